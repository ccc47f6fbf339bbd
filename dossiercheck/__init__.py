"""dossiercheck: batch compliance checker for registrations in VDAB client dossiers."""

__version__ = "0.1.0"
