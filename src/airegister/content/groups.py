"""The groups of facts of profile 2 (docs/data-model.md, "Accountability (profile 2)"): one table.

Each group hangs from one blank node of the project, reached by the group property and typed with the
group's class; its spreadsheet columns and export fields start with the group's prefix. The spreadsheet,
the AI Act export and the CSV dump all read this table, so a group is added or renamed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from airegister.rdf.namespaces import AI, DPV, EU_AIACT, TECH, Base


@dataclass(frozen=True)
class Group:
    """A group of facts: its column prefix, the property that holds its node, and the node's class."""

    prefix: str
    prop: URIRef
    node_type: URIRef


def groups(base: Base) -> tuple[Group, ...]:
    """Every group, in the contract's order."""
    ns = base.ns
    return (
        Group("purpose", TECH.hasIntendedUse, TECH.IntendedUse),
        Group("oversight", ns.humanOversight, DPV.HumanOversight),
        Group("data", ns.dataProtection, ns.DataProtectionStatement),
        Group("dpia", ns.dpia, DPV.DPIA),
        Group("legal", ns.legalFramework, ns.LegalFrameworkStatement),
        Group("fria", ns.fria, EU_AIACT.FRIA),
        Group("bias", ns.biasTesting, AI.BiasAssessment),
        Group("risks", ns.riskManagement, DPV.RiskAssessment),
        Group("rights", ns.publicRights, ns.PublicRightsStatement),
        Group("ai_act", ns.aiAct, ns.AIActStatement),
    )


def group(base: Base, prefix: str) -> Group:
    """The group with this column prefix ('fria', 'ai_act')."""
    return next(g for g in groups(base) if g.prefix == prefix)
