"""Rule packs, one sub-package per programme; see :mod:`dossiercheck.checks.registry`."""
