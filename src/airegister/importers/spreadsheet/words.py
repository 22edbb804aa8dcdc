"""The few words the spreadsheet itself says (sheet names, headers of the reference sheets), in four languages."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "projects": {"fr": "Projets", "nl": "Projecten", "de": "Projekte", "en": "Projects"},
    "charter": {"fr": "Charte", "nl": "Charter", "de": "Charta", "en": "Charter"},
    "sheet": {"fr": "Feuille", "nl": "Blad", "de": "Tabellenblatt", "en": "Sheet"},
    "columns": {"fr": "Colonnes", "nl": "Kolommen", "de": "Spalten", "en": "Columns"},
    "organisations": {"fr": "Organisations", "nl": "Organisaties", "de": "Organisationen", "en": "Organisations"},
    "principles": {"fr": "Principes", "nl": "Beginselen", "de": "Grundsätze", "en": "Principles"},
    "column": {"fr": "Colonne", "nl": "Kolom", "de": "Spalte", "en": "Column"},
    "key": {"fr": "Clé", "nl": "Sleutel", "de": "Schlüssel", "en": "Key"},
    "meaning": {"fr": "Signification", "nl": "Betekenis", "de": "Bedeutung", "en": "Meaning"},
    "required": {"fr": "Obligatoire", "nl": "Verplicht", "de": "Pflicht", "en": "Mandatory"},
    "format": {"fr": "Format", "nl": "Formaat", "de": "Format", "en": "Format"},
    "several": {"fr": "Plusieurs valeurs", "nl": "Meerdere waarden", "de": "Mehrere Werte", "en": "Several values"},
    "allowed": {"fr": "Valeurs permises", "nl": "Toegestane waarden", "de": "Erlaubte Werte", "en": "Allowed values"},
    "example": {"fr": "Exemple", "nl": "Voorbeeld", "de": "Beispiel", "en": "Example"},
    "name": {"fr": "Nom", "nl": "Naam", "de": "Name", "en": "Name"},
    "other_names": {"fr": "Autres noms", "nl": "Andere namen", "de": "Andere Namen", "en": "Other names"},
    "level": {"fr": "Niveau de pouvoir", "nl": "Bestuursniveau", "de": "Verwaltungsebene", "en": "Level of government"},
    "kbo": {"fr": "Numéro BCE", "nl": "KBO-nummer", "de": "ZDU-Nummer", "en": "KBO number"},
    "code": {"fr": "Code", "nl": "Code", "de": "Code", "en": "Code"},
    "definition": {"fr": "Définition", "nl": "Definitie", "de": "Definition", "en": "Definition"},
    "iri": {"fr": "IRI", "nl": "IRI", "de": "IRI", "en": "IRI"},
    "yes": {"fr": "oui", "nl": "ja", "de": "ja", "en": "yes"},
    "no": {"fr": "non", "nl": "nee", "de": "nein", "en": "no"},
    "mandatory": {"fr": "obligatoire", "nl": "verplicht", "de": "Pflicht", "en": "mandatory"},
    "recommended": {"fr": "recommandé", "nl": "aanbevolen", "de": "empfohlen", "en": "recommended"},
    "optional": {"fr": "facultatif", "nl": "optioneel", "de": "optional", "en": "optional"},
}

TRUE_WORDS = {"yes", "y", "true", "1", "oui", "ja", "vrai", "waar", "wahr", "x"}
FALSE_WORDS = {"no", "n", "false", "0", "non", "nee", "nein", "faux", "onwaar", "falsch"}


def word(key: str, lang: str) -> str:
    return WORDS[key].get(lang, WORDS[key]["en"])


def sheet_names(key: str) -> set[str]:
    """A sheet's name in every language, lower-cased: an import finds the projects sheet whatever its language."""
    return {name.lower() for name in WORDS[key].values()}
