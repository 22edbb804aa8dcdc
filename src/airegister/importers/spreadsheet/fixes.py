"""The fix of a validation finding in the sheet's own words, by the shape's rule number (skos:notation).

A shape's fix (sh:description) is written for someone editing Turtle (`ns:fria`, `eu-aiact:RiskLevelHigh`);
on a sheet it must name columns and drop-down values instead. Profile 2's rules (docs/data-model.md,
"Severities") have a fix here; a rule without one keeps the shape's fix when it has no Turtle in it, else
the generic "fill in or correct <column>". English, like the importer's other messages.

In a template, `{key}` is the column with that key (its header as the sheet shows it), `{key_*}` a text's
columns in every language, `{key=IRI}` the column and the label of one of its values, `{column}` the column
the finding is on, `{@suffix}` the column of the same group (`{@date}` next to `dpia_done` is `dpia_date`)
and `{@*}` every column of that group.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from airegister.content.groups import groups
from airegister.importers.spreadsheet.columns import Column
from airegister.importers.spreadsheet.model import SheetModel
from airegister.rdf.namespaces import EU_AIACT

HIGH = str(EU_AIACT.RiskLevelHigh)
NOT_ASSESSED = "risk-level/not-assessed"  # a value without a scheme is the register's own: {base}id/...

FIXES: dict[str, str] = {
    "V7": f"Set {{risk_level={HIGH}}} if the system is high-risk, else empty the {{@*}} columns",
    "V8": f"Set {{risk_level={HIGH}}}, or empty {{column}}",
    "V9": f"Set {{risk_level={HIGH}}}, or set {{column=registration-status/not-required}}",
    "V10": "Set {column=decision-role/automated-decision}, or set {solely_automated_decision} to no",
    "V11": "Set {column} to yes, or empty {personal_data_categories_*}",
    "V12": "Set {column} to yes if it was done, or empty {@date}",
    "V13": "Choose a reason in {@withheld} (explain 'other' in {@withheld_note_*}), or empty both",
    "V15": "Fill in {principle}, {date} and {status} on this row",
    "V16": "Keep one row per project, {principle} and {date}; an update is a new row with the date it was made",
    "V17": "Say why the principle does not apply in {explanation_*}",
    "V19": "Choose an organisation the drop-down of {column} offers (a new one is added to data/organisations.ttl)",
    "V20": "Fill in {address_street_*}, {address_postal_code} and {address_locality_*}",
    "W1": "Fill in {fria_done} and {fria_summary_*}, or say why they are withheld in {fria_withheld}",
    "W2": "Fill in {dpia_done} and {dpia_summary_*}, set {personal_data} to no if no personal data is processed, "
    "or say why they are withheld in {dpia_withheld}",
    "W3": "Fill in {eu_database_entry}, or say why it is withheld in {ai_act_withheld}",
    "W4": "Choose the Annex I/III point in {high_risk_category}",
    "W5": "Register the use (AI Act Article 49(3)) and set {registration_status}",
    "W6": "Say who can override or review, when and how in {oversight_who_*}, {oversight_when_*} and {oversight_how_*}",
    "W7": "Describe how a person can object or appeal in {appeal_*}",
    "W8": "Add one row per principle on the Charter sheet (status, explanation, date)",
    "W9": "Fill in {column}",
    "W10": "Fill in {column}: who declared the group's facts, and when they last confirmed them",
    "W11": "Fill in the organisation's postal address and public contact on the Organisations sheet",
    "W12": f"Choose a level in {{risk_level}}, or set {{risk_level={NOT_ASSESSED}}} if nobody has assessed it yet",
}

_PLACE = re.compile(r"\{([^{}]+)\}")
_LANG_SUFFIX = re.compile(r" \([a-z]{2}\)$")


class _Unknown(KeyError):
    """A template names a column this sheet does not have."""


def sheet_fix(
    notation: str | None, model: SheetModel, shown: dict[str, str], column: Column | None, lang: str
) -> str | None:
    """The fix for rule `notation` in the sheet's words: `shown` holds the sheet's header of each column key
    it has; None when the rule has no fix here or names a column this sheet lacks."""
    template = FIXES.get(notation or "")
    if template is None:
        return None
    try:
        return _PLACE.sub(lambda m: _render(m.group(1), model, shown, column, lang), template)
    except _Unknown:
        return None


def _render(place: str, model: SheetModel, shown: dict[str, str], column: Column | None, lang: str) -> str:
    key, _, value = place.partition("=")
    if key == "column":
        if column is None:
            raise _Unknown(key)
        key = column.key
    elif key.startswith("@"):
        prefix = _group_prefix(model, column)
        if key == "@*":
            return f"{_group_title(model, prefix, lang)!r}"
        key = f"{prefix}_{key[1:]}"
    text = _header(model, shown, key, lang)
    if value:
        iri = URIRef(value) if "://" in value else model.base.thing(*value.split("/", 1))
        values = model.values.get(key)
        return f"{text} to {values.label(iri, lang) if values else str(iri)!r}"
    return text


def _header(model: SheetModel, shown: dict[str, str], key: str, lang: str) -> str:
    """A column's header as the sheet shows it (in the sheet's language when it lacks the column);
    `key_*` names a text's columns, one per language."""
    if key.endswith("_*"):
        each = [c for c in model.columns if c.key.startswith(key[:-1]) and c.lang and c.key == f"{key[:-1]}{c.lang}"]
        if not each:
            raise _Unknown(key)
        header = _LANG_SUFFIX.sub("", model.header(each[0], lang))
        return f"{header!r} ({'/'.join(c.lang or '' for c in each)})"
    if key in shown:
        return repr(shown[key])
    found = next((c for c in model.columns if c.key == key), None)
    if found is None:
        raise _Unknown(key)
    return repr(model.header(found, lang))


def _group_prefix(model: SheetModel, column: Column | None) -> str:
    group = next((g for g in groups(model.base) if column is not None and g.prop == column.group), None)
    if group is None:
        raise _Unknown("@")
    return group.prefix


def _group_title(model: SheetModel, prefix: str, lang: str) -> str:
    """The words every header of a group starts with ('Article 27 assessment (FRIA): ...')."""
    first = next(c for c in model.columns if c.key.startswith(f"{prefix}_") and c.titled)
    return model.header(first, lang).split(": ", 1)[0] + ": ..."
