"""The Projects sheet's columns for profile 2 (docs/data-model.md, "Accountability (profile 2)").

Each group of facts hangs from one blank node reached by the group property, so its columns are
two-step paths (`ns:dpia / dct:date`) whose node is typed with the group's class when the import has to
create it. Every group ends with the same four declaration columns (who declared the facts, when they
were last confirmed, withheld with a reason, the reason in words). A few fields of a group stay one step
from the project, where profile 1 put them (legal basis, risk level) or in the contact point's node.
"""

from __future__ import annotations

from typing import Any

from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from airegister.content.groups import Group, groups
from airegister.importers.spreadsheet.columns import Column, Kind, lang_columns
from airegister.rdf.namespaces import CV, DPV, EU_AIACT, VCARD, Base


def _in(group: Group, key: str, prop: URIRef, kind: Kind, meaning: str, **extra: Any) -> Column:
    return Column(key, (group.prop, prop), kind, meaning, node_type=group.node_type, titled=True, **extra)


def _texts(
    group: Group, key: str, prop: URIRef, meaning: str, example: str = "", labels: dict[str, str] | None = None
) -> list[Column]:
    """Language columns in a group; the header names the group unless the column has labels of its own."""
    path = (group.prop, prop)
    return lang_columns(key, path, meaning, example, labels=labels, node_type=group.node_type, titled=not labels)


def _declaration(group: Group, base: Base) -> list[Column]:
    """The four fields every group node may carry."""
    ns = base.ns
    return [
        _in(group, f"{group.prefix}_declared_by", ns.declaredBy, Kind.CONCEPT,
            "Who declared these facts: the deploying organisation, or the observatory after checking.",
            schemes=("declarant",)),
        _in(group, f"{group.prefix}_confirmed", ns.lastConfirmed, Kind.DAY,
            "When the declarant last confirmed these facts.", example="2026-01-15"),
        _in(group, f"{group.prefix}_withheld", ns.withheldBecause, Kind.CONCEPT,
            "Why facts of this group are withheld (they then read 'withheld', not 'not stated').",
            schemes=("withheld-reason",)),
        *_texts(group, f"{group.prefix}_withheld_note", ns.withheldNote,
                "The reason for withholding, in words (needs a reason in the column before)."),
    ]  # fmt: skip


def _label(fr: str, nl: str, de: str, en: str) -> dict[str, str]:
    return {"fr": fr, "nl": nl, "de": de, "en": en}


def accountability_columns(base: Base) -> tuple[Column, ...]:
    """The profile 2 columns of the Projects sheet, group by group, in the contract's order."""
    ns = base.ns
    purpose, oversight, data, dpia, legal, fria, bias, risks, rights, ai_act = groups(base)
    by_group: dict[Group, list[Column]] = {
        purpose: [
            *_texts(purpose, "purpose", DCTERMS.description, "What the system is for.",
                    "Sort incoming letters by subject.", labels=_label("Finalité", "Doel", "Zweck", "Purpose")),
            *_texts(purpose, "problem", ns.problem, "The problem the system solves.", "Letters waited days."),
            _in(purpose, "decision_role", ns.decisionRole, Kind.CONCEPT,
                "Whether the system takes no decision, supports a person's decision, or decides automatically.",
                schemes=("decision-role",)),
            _in(purpose, "solely_automated_decision", ns.solelyAutomatedDecision, Kind.BOOLEAN,
                "Whether it decides about a person without human intervention (GDPR Article 22).", example="no"),
            *_texts(purpose, "output_use", ns.outputUse, "What a person can do with the system's output."),
        ],
        oversight: [
            *_texts(oversight, "oversight_who", ns.overseer, "Who can override or review (a role, never a name)."),
            *_texts(oversight, "oversight_when", ns.oversightMoment, "When oversight happens."),
            *_texts(oversight, "oversight_how", ns.oversightMethod, "How oversight works."),
        ],
        data: [
            _in(data, "personal_data", ns.processesPersonalData, Kind.BOOLEAN,
                "Whether personal data is processed.", example="yes"),
            *_texts(data, "data_sources", ns.dataSources, "The data the system uses, and where it comes from."),
            *_texts(data, "personal_data_categories", ns.personalDataCategories,
                    "The categories of personal data processed."),
            _in(data, "special_categories", ns.processesSpecialCategories, Kind.BOOLEAN,
                "Whether special categories of personal data are processed (GDPR Article 9).", example="no"),
        ],
        dpia: [
            _in(dpia, "dpia_done", ns.performed, Kind.BOOLEAN, "Whether a DPIA was carried out.", example="yes"),
            _in(dpia, "dpia_date", DCTERMS.date, Kind.DAY, "When the DPIA was made.", example="2025-06-30"),
            _in(dpia, "dpia_link", FOAF.page, Kind.IRI, "Where the DPIA can be read.", example="https://example.be/dpia"),
            *_texts(dpia, "dpia_summary", DCTERMS.abstract, "A summary of the DPIA (AI Act Annex VIII C.5)."),
        ],
        legal: [
            Column("legal_basis", (CV.hasLegalResource,), Kind.IRI,
                   "The laws the project rests on (ELI addresses, else the Moniteur/Staatsblad or Justel address).",
                   multi=True, example="http://data.europa.eu/eli/reg/2024/1689/oj"),
            *_texts(legal, "legal_basis_text", DCTERMS.description, "The legal basis, in words.",
                    labels=_label("Base juridique (en mots)", "Rechtsgrond (in woorden)", "Rechtsgrundlage (in Worten)",
                             "Legal basis (in words)")),
        ],
        fria: [
            _in(fria, "fria_done", ns.performed, Kind.BOOLEAN,
                "Whether the Article 27 fundamental-rights impact assessment was carried out.", example="yes"),
            _in(fria, "fria_date", DCTERMS.date, Kind.DAY, "When it was made.", example="2025-09-01"),
            _in(fria, "fria_link", FOAF.page, Kind.IRI, "Where it can be read.", example="https://example.be/fria"),
            *_texts(fria, "fria_summary", DCTERMS.abstract, "A summary of its findings (AI Act Annex VIII C.4)."),
            *_texts(fria, "fria_a_processes", ns.friaProcesses, "(a) The deployer's processes using the system."),
            *_texts(fria, "fria_b_period", ns.friaPeriodAndFrequency, "(b) The period and frequency of use."),
            *_texts(fria, "fria_c_affected", ns.friaAffectedPersons, "(c) The people and groups affected."),
            *_texts(fria, "fria_d_risks", ns.friaRisksOfHarm, "(d) The specific risks of harm."),
            *_texts(fria, "fria_e_oversight", ns.friaHumanOversight, "(e) The human-oversight measures."),
            *_texts(fria, "fria_f_measures", ns.friaMeasures,
                    "(f) The measures when risks materialise, governance and complaints."),
        ],
        bias: [
            _in(bias, "bias_tested", ns.performed, Kind.BOOLEAN, "Whether bias was tested.", example="yes"),
            _in(bias, "bias_date", DCTERMS.date, Kind.DAY, "When bias was last tested.", example="2025-10-01"),
            *_texts(bias, "bias_method", ns.biasTestMethod, "How bias was tested."),
            *_texts(bias, "bias_findings", ns.biasFindings, "What the tests found."),
            *_texts(bias, "bias_measures", ns.biasMeasures, "What was done about it."),
        ],
        risks: [
            *_texts(risks, "risks", ns.risksIdentified, "The risks identified."),
            _in(risks, "risk_types", DPV.hasRisk, Kind.CONCEPT,
                "Kinds of risk (DPV, DPV-AI or AIRO concepts, by name or web address).",
                multi=True, classes=(DPV.Risk, DPV.RiskConcept), open=True),
            *_texts(risks, "risk_consequences", ns.riskConsequences, "Their possible consequences."),
            *_texts(risks, "mitigations", ns.riskMitigations, "The measures that control them."),
        ],
        rights: [
            Column("contact_name", (DCAT.contactPoint, VCARD.fn), Kind.TEXT, "The name of the contact point (a team).",
                   example="AI team", node_type=VCARD.Kind,
                   labels=_label("Contact (nom)", "Contact (naam)", "Kontakt (Name)", "Contact name")),
            Column("contact_email", (DCAT.contactPoint, VCARD.hasEmail), Kind.EMAIL,
                   "A functional mailbox the public can write to, never a person's address.", example="ai@example.be",
                   labels=_label("Contact (e-mail)", "Contact (e-mail)", "Kontakt (E-Mail)", "Contact email"),
                   node_type=VCARD.Kind),
            Column("contact_url", (DCAT.contactPoint, VCARD.hasURL), Kind.IRI,
                   "A web form or page where the public can ask questions.", example="https://example.be/contact",
                   labels=_label("Contact (formulaire web)", "Contact (webformulier)", "Kontakt (Webformular)",
                            "Contact web form"), node_type=VCARD.Kind),
            *_texts(rights, "appeal", ns.appealProcedure, "How a person can object or appeal."),
            _in(rights, "human_alternative", ns.humanAlternative, Kind.BOOLEAN,
                "Whether a person can deal with a human instead of the system.", example="yes"),
        ],
        ai_act: [
            Column("risk_level", (EU_AIACT.hasRiskLevel,), Kind.CONCEPT,
                   "The risk level under the EU AI Act (empty: not assessed)."),  # the values: the shapes' sh:in
            _in(ai_act, "high_risk_category", ns.highRiskCategory, Kind.CONCEPT,
                "The Annex III area and point (or Annex I) that makes the system high-risk.",
                schemes=("high-risk-category",), numbered=True),
            _in(ai_act, "eu_database_entry", ns.providerDatabaseEntry, Kind.IRI,
                "The provider's entry in the EU database (AI Act Annex VIII C.3).", example="https://example.eu/entry"),
            _in(ai_act, "registration_status", ns.registrationStatus, Kind.CONCEPT,
                "Where the deployer's registration of its use stands.", schemes=("registration-status",)),
            _in(ai_act, "registration_submitter", ns.registrationSubmitter, Kind.ORGANISATION,
                "The organisation that registered the use for the deployer (AI Act Annex VIII C.2)."),
        ],
    }  # fmt: skip
    return tuple(c for group, fields in by_group.items() for c in (*fields, *_declaration(group, base)))
