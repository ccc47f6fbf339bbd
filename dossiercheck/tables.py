"""The eleven input tables of TABLES.md, as data.

Every reader, parser, schema and report derives from these declarations; nothing else in
the code base lists columns or aliases.

Column types (see :mod:`dossiercheck.parsing` for the cell formats):

- ``klantnummer`` / ``chequenummer``: normalised keys (DAT004 when malformed)
- ``text``: free text (trimmed, empty = missing)
- ``code``: a code held in a text column (integral numbers lose ``.0``)
- ``categorie``: a two-digit code (``2`` -> ``02``; ``... (00)`` -> ``00``)
- ``fincode``: financing code (``EEWG019 - description`` -> ``EEWG019``)
- ``rrn``: Belgian national number (checked by DAT006)
- ``date`` / ``datetime``: day-first dates (time dropped; DAT002 when unparseable)
- ``month``: a calendar month (``2019-06``, ``06/2019`` or a date in that month)
- ``bool``: ja/nee, x/empty, ...
- ``enum``: one of ``values`` after normalisation (DAT003 when not)
- ``duration``: minutes; ``money``: euros; ``number``: a plain number
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dossiercheck.text import normalise

KEY_ALIASES = {
    "klantnummer": ("klantnr", "klant nummer", "client number", "ikl"),
    "chequenummer": ("cheque nr", "chequenr", "cheque nummer", "cheque"),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    values: tuple[str, ...] = ()  # allowed values of an enum, canonical spelling
    value_aliases: dict[str, str] = field(default_factory=dict)  # extra spelling -> canonical
    empty_value: str | None = None  # enum/bool value an empty cell stands for
    true_values: tuple[str, ...] = ()  # extra words meaning "true" for a bool column

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *KEY_ALIASES.get(self.name, ()))


@dataclass(frozen=True)
class Table:
    name: str
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]
    identity: tuple[str, ...]  # natural key of a record: the basis of fingerprints
    unique_key: str | None = None  # DAT005

    def column(self, name: str) -> Column:
        return self._by_name[name]

    @property
    def _by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def header_map(self) -> dict[str, str]:
        """Normalised header text -> canonical column name."""
        out: dict[str, str] = {}
        for col in self.columns:
            for alias in col.all_names:
                out.setdefault(normalise(alias), col.name)
        return out


C = Column

TOESTANDEN = ("Bezig", "Beëindigd", "Geannuleerd", "Stopgezet", "Uitgevoerd")
TENDERS = ("TIBB4", "TIBB4 anderstaligen", "SCRABA", "SAB3", "WIJ3")
CONTACT_RESULTS = (
    "Aanwezig",
    "Afwezig - geldige reden",
    "Afwezig - ongeldige reden",
    "Afwezig - geen reden",
    "Gepland",
)
GESPREK_TYPES = (
    "Intake gesprek",
    "Verdiepingsgesprek",
    "Synthesegesprek",
    "Nazorggesprek",
    "Stopzetting van de begeleiding",
)
EINDADVIEZEN = (
    "Geen nood aan persoonlijke dienstverlening",
    "Nood aan persoonlijke dienstverlening",
    "Dienstverlening uitgeput",
    "Nieuwe inschatting nodig",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "dossiers",
            ("klantendossiers", "dossier", "klanten", "clients"),
            (
                C("klantnummer", "klantnummer", True),
                C("naam", "text", aliases=("familienaam", "achternaam", "last name")),
                C("voornaam", "text", aliases=("first name",)),
                C("rijksregisternummer", "rrn", aliases=("rrn", "insz", "national number")),
                C(
                    "regio",
                    "enum",
                    aliases=("woonregio", "woonplaats regio", "region"),
                    values=("Vlaanderen", "Brussel", "Wallonie", "Buitenland"),
                ),
                C(
                    "categorie",
                    "categorie",
                    aliases=(
                        "inschrijvingscategorie",
                        "categorie werkzoekende",
                        "catwz",
                        "werksituatie",
                    ),
                ),
                C("diploma_secundair", "bool", aliases=("diploma so", "diploma secundair onderwijs")),
                C("diploma_datum", "date", aliases=("datum diploma",)),
                C("bemiddelaar", "text", aliases=("trajectbegeleider", "mediator")),
                C("tenderpartner", "bool", aliases=("roze banner", "dossier bij tenderpartner")),
                C("organisatie", "text", aliases=("school", "partner", "organisation", "loopbaancentrum")),
            ),
            identity=("klantnummer",),
            unique_key="klantnummer",
        ),
        Table(
            "lijnen",
            ("stappen naar werk", "stappen", "lines"),
            (
                C("klantnummer", "klantnummer", True),
                C("stap", "text", True, aliases=("step", "actie")),
                C("toestand", "enum", True, aliases=("status", "state"), values=TOESTANDEN),
                C("startdatum", "date", True, aliases=("datum", "begindatum", "start")),
                C("einddatum", "date", aliases=("einde", "datum einde")),
                C("financieringsnummer", "fincode", aliases=("financiering", "uitbestedingsnummer", "fin nr")),
                C("resultaatcode", "text", aliases=("resultaat", "fase")),
                C("opleidingscode", "code", aliases=("code opleiding",)),
                C("aanvrager", "text", aliases=("requester",)),
                C("uitvoerder", "text", aliases=("executor", "trajectbegeleider")),
                C("samenvatting", "text", aliases=("summary", "omschrijving")),
                C("laatst_gewijzigd", "date", aliases=("datum laatst gewijzigd", "gewijzigd op", "last modified")),
                C("organisatie", "text", aliases=("school", "partner")),
            ),
            identity=("klantnummer", "stap", "startdatum"),
        ),
        Table(
            "notities",
            ("verslaggeving", "notes", "notitie"),
            (
                C("klantnummer", "klantnummer", True),
                C("datum", "date", True, aliases=("aangemaakt op",)),
                C("reden", "text", True, aliases=("notitie", "onderwerp", "titel")),
                C("gedeeld_met", "text", aliases=("delen met", "shared with")),
                C("vastgepind", "bool", aliases=("bovenaan vastgepind", "pinned")),
                C("bijlage", "text", aliases=("attachment", "document")),
            ),
            identity=("klantnummer", "datum", "reden"),
        ),
        Table(
            "plannen",
            ("plan van aanpak", "status dienstverlening", "dienstverlening"),
            (
                C("klantnummer", "klantnummer", True),
                C("datum", "date", True),
                C("status", "text", True, aliases=("status dienstverlening",)),
                C("reden", "text", aliases=("waarom", "waarom kies je deze status")),
                C("acties", "text", aliases=("welke acties voorzie je", "warme overdracht")),
            ),
            identity=("klantnummer", "datum", "status"),
        ),
        Table(
            "documenten",
            ("documenten overzicht", "documents"),
            (
                C("klantnummer", "klantnummer", True),
                C("publicatienaam", "text", True, aliases=("document", "naam", "titel")),
                C("datum", "date", True, aliases=("datum toevoegen", "toegevoegd op")),
            ),
            identity=("klantnummer", "publicatienaam", "datum"),
        ),
        Table(
            "contacten",
            ("afspraken", "geplande contacten", "appointments"),
            (
                C("klantnummer", "klantnummer", True),
                C("datum", "datetime", True, aliases=("wanneer",)),
                C("type", "text", True, aliases=("type afspraak", "contact")),
                C("aangetekend", "bool", aliases=("per aangetekende brief", "registered")),
                C(
                    "resultaat",
                    "enum",
                    aliases=("afgewerkt", "actie"),
                    values=CONTACT_RESULTS,
                    empty_value="Gepland",
                ),
                C("aangemaakt_op", "date", aliases=("ingepland op", "created")),
            ),
            identity=("klantnummer", "datum", "type"),
        ),
        Table(
            "afsprakenbladen",
            ("afsprakenblad", "agreement sheets"),
            (
                C("klantnummer", "klantnummer", True),
                C("datum", "date", True),
                C("ondertekend", "bool", aliases=("getekend", "signed")),
            ),
            identity=("klantnummer", "datum"),
        ),
        Table(
            "services",
            ("service", "intensieve bemiddeling", "tender"),
            (
                C("klantnummer", "klantnummer", True),
                C("tender", "enum", True, aliases=("project", "perceel"), values=TENDERS),
                C("toeleiding", "date", aliases=("aanvraag", "datum toeleiding")),
                C("start_bemiddeling", "date", aliases=("start bemiddelingsproces",)),
                C("einde_bemiddeling", "date", aliases=("einde", "einddatum")),
                C(
                    "reden_afsluiting",
                    "enum",
                    aliases=("reden",),
                    values=("3x passieve categorie", "maximum duur", "afwezigheid", "door VDAB", "vroegtijdig"),
                ),
                C("wijze_afsluiting", "enum", aliases=("wijze",), values=("manueel", "automatisch", "door VDAB")),
                C("eindadvies", "enum", aliases=("advies",), values=EINDADVIEZEN),
                C("eindadvies_datum", "date", aliases=("datum eindadvies",)),
                C("organisatie", "text", aliases=("partner",)),
            ),
            identity=("klantnummer", "tender", "toeleiding"),
        ),
        Table(
            "categorieen",
            ("catwz", "categorie historiek", "maandcategorie"),
            (
                C("klantnummer", "klantnummer", True),
                C("maand", "month", True, aliases=("periode",)),
                C("categorie", "categorie", True, aliases=("catwz",)),
                C("passief", "bool", True, aliases=("passieve categorie",)),
            ),
            identity=("klantnummer", "maand"),
        ),
        Table(
            "cheques",
            ("loopbaancheques", "overzicht begeleidingen", "begeleidingen"),
            (
                C("chequenummer", "chequenummer", True),
                C("klantnummer", "klantnummer", True),
                C(
                    "status",
                    "enum",
                    True,
                    values=("Cheque in gebruik", "Cheque afgesloten", "Cheque stopgezet"),
                    value_aliases={
                        "in gebruik": "Cheque in gebruik",
                        "afgesloten": "Cheque afgesloten",
                        "stopgezet": "Cheque stopgezet",
                    },
                ),
                C("aangevraagd_op", "date", aliases=("aanvraagdatum",)),
                C("uren", "number", aliases=("goed voor", "uren begeleiding")),
                C("waarde", "money", aliases=("ter waarde van",)),
                C("kost_klant", "money", aliases=("kost voor de klant",)),
                C("reden_begeleiding", "text", aliases=("reden van begeleiding", "thema")),
                C("beginvraag", "text", aliases=("meer info", "loopbaanvraag")),
                C("loopbaancentrum", "text", aliases=("centrum", "organisatie")),
                C("laatst_gewijzigd", "date", aliases=("datum laatst gewijzigd",)),
            ),
            identity=("chequenummer",),
            unique_key="chequenummer",
        ),
        Table(
            "gesprekken",
            ("financieel overzicht", "gesprek", "conversations"),
            (
                C("chequenummer", "chequenummer", True),
                C("datum", "date", True, aliases=("datum gesprek",)),
                C("registratiedatum", "date", aliases=("geregistreerd op",)),
                C("begeleider", "text", True, aliases=("naam begeleider",)),
                C(
                    "type",
                    "enum",
                    True,
                    aliases=("type gesprek",),
                    values=GESPREK_TYPES,
                    value_aliases={
                        "Intakegesprek": "Intake gesprek",
                        "Synthese gesprek": "Synthesegesprek",
                        "Stopzetting": "Stopzetting van de begeleiding",
                    },
                ),
                C("vorm", "enum", aliases=("vorm gesprek",), values=("Individueel", "E-coaching", "Groep")),
                C("duur", "duration", True, aliases=("duurtijd", "duur gesprek")),
                C("feedback", "text"),
                C(
                    "verwijderd",
                    "bool",
                    aliases=("status gesprek",),
                    true_values=("verwijderd",),
                ),
                C("bedrag", "money", aliases=("waarde van het gesprek",)),
                C("loopbaancentrum", "text", aliases=("centrum",)),
            ),
            identity=("chequenummer", "datum", "type", "begeleider"),
        ),
    )
}

# Default number of guidance hours a cheque buys when `uren` is empty (TABLES.md).
DEFAULT_CHEQUE_HOURS = 4


def table_alias_map() -> dict[str, str]:
    """Normalised table name or alias -> table name."""
    out: dict[str, str] = {}
    for t in TABLES.values():
        for n in (t.name, *t.aliases):
            out.setdefault(normalise(n), t.name)
    return out
