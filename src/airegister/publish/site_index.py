"""`site-index.json`: what the home page and the project list need, computed once per build.

The site's pages must not get slower as the register grows, so the build reduces every project to a
small entry (titles, short descriptions, the IRIs of its facet values, its start year, its search
tokens) and resolves every label in the four languages. The server loads this file once and answers
from memory. Nothing here names a project, an organisation or a principle: facets are read from the
properties of the data model, and COFOG divisions are found by walking `skos:broader` in the scheme.
The bytes are deterministic (sorted keys and lists), so the same input gives the same file.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import cast

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, RDF, SKOS
from rdflib.term import Node

from airegister.content.load import Content
from airegister.publication.site_index import FACETS, FORMAT_VERSION, encode, tokens
from airegister.rdf.languages import LABEL_PREDICATES, LANGUAGES, by_language, local_name, merged, pick_text
from airegister.rdf.namespaces import ADMS, AI, EU_AIACT, TECH

SHORT_DESCRIPTION = 240  # characters shown in a list item
# The facets every project entry carries: key in the index -> the property giving its values.
DIRECT_FACETS = {
    "phase": ADMS.status,
    "org": TECH.hasDeployer,
    "technique": AI.hasTechnique,
    "capability": AI.hasCapability,
    "risk": EU_AIACT.hasRiskLevel,
}
# Facets with every concept of their scheme in the counts (zero included): a chart of phases shows an empty one.
WHOLE_SCHEME_FACETS = ("phase", "level", "principle")


def _shorten(text: str, limit: int = SHORT_DESCRIPTION) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:.") + "…"


def _resolved(texts: dict[str, str], default: str) -> dict[str, str]:
    """A text for each of the site's languages, chosen by the language rule (rdf/languages.py)."""
    return {lang: pick_text(texts, lang, default) for lang in LANGUAGES}


class _Facts:
    """One pass over every triple, keeping only the predicates the index reads."""

    WANTED = frozenset(
        {
            RDF.type,
            DCTERMS.identifier,
            DCTERMS.title,
            DCTERMS.description,
            DCAT.keyword,
            DCTERMS.temporal,
            DCAT.startDate,
            DCTERMS.subject,
            DCTERMS.modified,
            DCTERMS.publisher,
            ORG.classification,
            SKOS.broader,
            SKOS.inScheme,
            SKOS.notation,
            *LABEL_PREDICATES,
            *DIRECT_FACETS.values(),
        }
    )

    def __init__(self, content: Content, principle: URIRef) -> None:
        self.values: dict[tuple[Node, Node], list[Node]] = {}
        wanted = self.WANTED | {principle}
        for subject, predicate, value in content.dataset.triples((None, None, None)):
            if predicate in wanted:
                self.values.setdefault((subject, predicate), []).append(value)
        self.subjects_of_type: dict[Node, set[Node]] = {}
        self.in_scheme: dict[Node, set[Node]] = {}
        for (subject, predicate), objects in self.values.items():
            if predicate == RDF.type:
                for kind in objects:
                    self.subjects_of_type.setdefault(kind, set()).add(subject)
            elif predicate == SKOS.inScheme:
                for scheme in objects:
                    self.in_scheme.setdefault(scheme, set()).add(subject)

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        return self.values.get((subject, predicate), [])

    def iris(self, subject: Node, predicate: Node) -> list[str]:
        return sorted({str(o) for o in self.objects(subject, predicate) if isinstance(o, URIRef)})

    def labels(self, iri: str) -> dict[str, str]:
        node = URIRef(iri)
        texts = merged(by_language(self.objects(node, predicate)) for predicate in LABEL_PREDICATES)
        return _resolved(texts, local_name(iri))


def _division(facts: _Facts, concept: URIRef, scheme: set[Node]) -> str | None:
    """The top concept above `concept` in the COFOG scheme (a division), or None if it is not COFOG."""
    if concept not in scheme:
        return None
    seen = set()
    while concept not in seen:
        seen.add(concept)
        broader = sorted(b for b in facts.objects(concept, SKOS.broader) if isinstance(b, URIRef) and b in scheme)
        if not broader:
            return str(concept)
        concept = broader[0]
    return str(concept)


def _start_year(facts: _Facts, project: Node) -> int | None:
    years = []
    for period in facts.objects(project, DCTERMS.temporal):
        for start in facts.objects(period, DCAT.startDate):
            match = re.match(r"-?\d{4}", str(start))
            if match:
                years.append(int(match.group(0)))
    return min(years) if years else None


def _project(facts: _Facts, project: URIRef, principle: URIRef, cofog: set[Node]) -> dict[str, object]:
    identifier = sorted(str(v) for v in facts.objects(project, DCTERMS.identifier))
    titles = by_language(facts.objects(project, DCTERMS.title))
    descriptions = by_language(facts.objects(project, DCTERMS.description))
    keywords = sorted({str(k) for k in facts.objects(project, DCAT.keyword) if isinstance(k, Literal)})
    entry: dict[str, object] = {
        "ref": identifier[0] if identifier else local_name(str(project)),
        "iri": str(project),
        "title": {lang: text for lang, text in titles.items() if lang in LANGUAGES or lang == ""},
        "description": {lang: _shorten(text) for lang, text in descriptions.items() if lang in (*LANGUAGES, "")},
        "keywords": keywords,
        "year": _start_year(facts, project),
    }
    for key, predicate in DIRECT_FACETS.items():
        entry[key] = facts.iris(project, predicate)
    entry["principle"] = facts.iris(project, principle)
    orgs = facts.iris(project, TECH.hasDeployer)
    entry["level"] = sorted({level for org in orgs for level in facts.iris(URIRef(org), ORG.classification)})
    subjects = [s for s in facts.objects(project, DCTERMS.subject) if isinstance(s, URIRef)]
    entry["domain"] = sorted({d for d in (_division(facts, s, cofog) for s in subjects) if d is not None})
    words: set[str] = set()
    for text in [*titles.values(), *descriptions.values(), *keywords]:
        words.update(tokens(text))
    entry["tokens"] = " ".join(sorted(words))
    return entry


def _counts(facts: _Facts, entries: list[dict[str, object]], charter: URIRef) -> dict[str, Counter[str]]:
    """Projects per facet value; the facets of WHOLE_SCHEME_FACETS count every concept of their schemes."""
    counts: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
    for entry in entries:
        for facet in FACETS:
            counts[facet].update(cast(list[str], entry[facet]))
    for facet in WHOLE_SCHEME_FACETS:  # every concept of the schemes in use, so a chart shows zeros too
        used = {URIRef(iri) for iri in counts[facet]}
        schemes = {s for iri in used for s in facts.objects(iri, SKOS.inScheme)}
        if facet == "principle":  # the charter's principles, even before any project addresses one
            schemes.add(charter)
        for scheme in sorted(schemes, key=str):
            for concept in facts.in_scheme.get(scheme, set()):
                counts[facet].setdefault(str(concept), 0)
    return counts


def _datasets(facts: _Facts) -> dict[str, dict[str, dict[str, str]]]:
    return {
        local_name(str(d)): {
            "title": _resolved(by_language(facts.objects(d, DCTERMS.title)), local_name(str(d))),
            "description": _resolved(by_language(facts.objects(d, DCTERMS.description)), ""),
        }
        for d in facts.subjects_of_type.get(DCAT.Dataset, set())
        if isinstance(d, URIRef)
    }


def site_index(content: Content) -> dict[str, object]:
    """The index as a plain structure (see the module docstring); `build_site_index` gives its bytes."""
    base = content.base
    principle = base.ns.addressesPrinciple
    facts = _Facts(content, principle)
    cofog = facts.in_scheme.get(base.thing("cofog"), set())
    projects = sorted(
        (p for p in facts.subjects_of_type.get(base.ns.AIProject, set()) if isinstance(p, URIRef)), key=str
    )
    entries = sorted((_project(facts, p, principle, cofog) for p in projects), key=lambda e: (e["ref"], e["iri"]))
    counts = _counts(facts, entries, base.thing("charter"))
    years = Counter(entry["year"] for entry in entries if isinstance(entry["year"], int))
    described = sorted({iri for facet in FACETS for iri in counts[facet]})
    notations = {
        iri: min(str(n) for n in facts.objects(URIRef(iri), SKOS.notation))
        for iri in described
        if facts.objects(URIRef(iri), SKOS.notation)
    }
    publishers = sorted(str(p) for p in facts.objects(base.catalog, DCTERMS.publisher) if isinstance(p, URIRef))
    modified = sorted(
        str(value)[:10] for p in projects for value in facts.objects(p, DCTERMS.modified) if isinstance(value, Literal)
    )
    return {
        "version": FORMAT_VERSION,
        "base": base.iri,
        "languages": list(LANGUAGES),
        "modified": modified[-1] if modified else None,
        "projects": entries,
        "datasets": _datasets(facts),
        "publisher": facts.labels(publishers[0]) if publishers else None,
        "labels": {iri: facts.labels(iri) for iri in described},
        "notations": notations,
        "counts": {
            "projects": len(entries),
            "organisations": len(counts["org"]),
            "facets": {facet: dict(sorted(counts[facet].items())) for facet in FACETS},
            "years": {str(year): n for year, n in sorted(years.items())},
        },
    }


def build_site_index(content: Content) -> bytes:
    """Deterministic bytes of `site-index.json` (publication/site_index.py says how they are encoded)."""
    return encode(site_index(content))
