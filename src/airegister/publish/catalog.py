"""The DCAT-AP 3.0.1 catalog: the curators' description plus what the build computes.

Curators write titles, descriptions, contact, licence and themes in `data/catalog.ttl`; this module adds
the distributions (URL, media type, EU file type, size, SHA-256), dates, the SPARQL service's URLs and
the facts harvesters need about every code the catalog points at (type, scheme, label).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD
from rdflib.term import Node

from airegister.publication.urls import PublicUrls
from airegister.publish.datasets import DatasetSpec
from airegister.publish.files import PublishedFile
from airegister.rdf.namespaces import ADMS, SPDX, VCARD
from airegister.rdf.syntaxes import GZIP_FILE

DCATAP = "http://data.europa.eu/r5r/"
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
# DCAT-AP 3.0.1 (mdr-vocabularies.shape.ttl) accepts the checksum algorithm only under https://spdx.org/.
SHA256 = URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")
# Prefixes for the catalog's files beyond the standard ones (else rdflib names the namespace ns1).
CATALOG_PREFIXES = {"dcatap": DCATAP}

# DCAT-AP 3.0.1 range.ttl wants every value typed; these are the classes it checks, by property.
RANGE_CLASSES: dict[URIRef, URIRef] = {
    DCTERMS.license: DCTERMS.LicenseDocument,
    DCTERMS.language: DCTERMS.LinguisticSystem,
    DCTERMS.spatial: DCTERMS.Location,
    DCTERMS.accrualPeriodicity: DCTERMS.Frequency,
    DCTERMS.accessRights: DCTERMS.RightsStatement,
    DCAT.mediaType: DCTERMS.MediaType,
    DCAT.compressFormat: DCTERMS.MediaType,
    DCTERMS.format: DCTERMS.MediaTypeOrExtent,
    DCAT.theme: SKOS.Concept,
    DCAT.themeTaxonomy: SKOS.ConceptScheme,
    DCTERMS.publisher: FOAF.Agent,
    DCAT.contactPoint: VCARD.Kind,
    DCTERMS.conformsTo: DCTERMS.Standard,
    ADMS.status: SKOS.Concept,
    URIRef(DCATAP + "availability"): SKOS.Concept,
    DCAT.landingPage: FOAF.Document,
    FOAF.homepage: FOAF.Document,
}
# Defaults a dataset or service inherits from the `catalog#defaults` node when it does not say itself.
INHERITED = (
    DCAT.contactPoint,
    DCTERMS.publisher,
    DCTERMS.license,
    DCTERMS.accessRights,
    DCTERMS.accrualPeriodicity,
    DCTERMS.spatial,
    DCTERMS.language,
    DCTERMS.issued,
)
DISTRIBUTION_DEFAULTS = (DCTERMS.license, URIRef(DCATAP + "availability"), ADMS.status)
CODE_FACTS = (RDF.type, SKOS.inScheme, SKOS.prefLabel, DCTERMS.title, SKOS.notation, DCTERMS.type)


def _internal(base_ns: str, predicate: Node) -> bool:
    return str(predicate).startswith(base_ns)


def build_catalog(
    description: Graph,
    background: Graph,
    specs: list[DatasetSpec],
    files: Iterable[PublishedFile],
    modified: Mapping[str, date],
    urls: PublicUrls,
    catalog_iri: URIRef,
    base_ns: str,
) -> Graph:
    """The catalog graph: description (minus our internal build hints) + computed facts + code facts."""
    defaults = URIRef(str(catalog_iri) + "#defaults")
    out = Graph()
    for s, p, o in description:
        if s != defaults and not _internal(base_ns, p):
            out.add((s, p, o))
    by_dataset: dict[str, list[PublishedFile]] = {}
    for published in files:
        by_dataset.setdefault(published.dataset, []).append(published)
    latest = max(modified.values(), default=None)
    services = sorted(s for s in description.subjects(RDF.type, DCAT.DataService) if isinstance(s, URIRef))
    for spec in specs:
        _inherit(out, description, defaults, spec.iri)
        out.add((catalog_iri, DCAT.dataset, spec.iri))
        out.add((spec.iri, DCAT.landingPage, URIRef(urls.page(spec.landing_path))))
        if spec.name in modified:
            out.add((spec.iri, DCTERMS.modified, Literal(modified[spec.name].isoformat(), datatype=XSD.date)))
        for published in sorted(by_dataset.get(spec.name, []), key=lambda f: f.path):
            _distribution(out, description, defaults, spec.iri, published, urls)
    for service in services:
        _inherit(out, description, defaults, service)
        landing = description.value(service, URIRef(base_ns + "landingPath"))
        endpoint = URIRef(urls.page(str(landing) if landing is not None else "sparql"))
        out.add((catalog_iri, DCAT.service, service))
        out.add((service, DCAT.endpointURL, endpoint))
        out.add((service, DCAT.endpointDescription, endpoint))
        for spec in specs:
            out.add((service, DCAT.servesDataset, spec.iri))
    if latest is not None:
        out.add((catalog_iri, DCTERMS.modified, Literal(latest.isoformat(), datatype=XSD.date)))
    out.add((catalog_iri, FOAF.homepage, URIRef(urls.page(""))))
    _type_values(out)
    _code_facts(out, background)
    return out


def _inherit(out: Graph, description: Graph, defaults: URIRef, subject: URIRef) -> None:
    for predicate in INHERITED:
        if (subject, predicate, None) in description:
            continue
        for value in description.objects(defaults, predicate):
            out.add((subject, predicate, value))


def _distribution(
    out: Graph, description: Graph, defaults: URIRef, dataset: URIRef, published: PublishedFile, urls: PublicUrls
) -> None:
    node = URIRef(f"{dataset}/{published.name}")
    url = URIRef(urls.page(published.path))
    checksum = URIRef(f"{node}#sha256")
    out.add((dataset, DCAT.distribution, node))
    out.add((node, RDF.type, DCAT.Distribution))
    out.add((node, DCTERMS.identifier, Literal(published.name)))
    out.add((node, DCTERMS.title, Literal(published.name, lang="en")))
    what = "gzip-compressed " if published.compressed else ""
    out.add((node, DCTERMS.description, Literal(f"The {what}{published.kind.download_label} download.", lang="en")))
    out.add((node, DCAT.accessURL, url))
    out.add((node, DCAT.downloadURL, url))
    out.add((node, DCAT.mediaType, URIRef(published.kind.media_type_iri)))
    out.add((node, DCTERMS.format, URIRef(published.kind.file_type_iri)))
    if published.compressed:
        out.add((node, DCAT.compressFormat, URIRef(GZIP_FILE.media_type_iri)))
    out.add((node, DCAT.byteSize, Literal(published.size, datatype=XSD.nonNegativeInteger)))
    out.add((node, SPDX.checksum, checksum))
    out.add((checksum, RDF.type, SPDX.Checksum))
    out.add((checksum, SPDX.algorithm, SHA256))
    out.add((checksum, SPDX.checksumValue, Literal(published.sha256, datatype=XSD.hexBinary)))
    for predicate in DISTRIBUTION_DEFAULTS:
        for value in description.objects(defaults, predicate):
            out.add((node, predicate, value))


def _type_values(out: Graph) -> None:
    for predicate, cls in RANGE_CLASSES.items():
        for value in set(out.objects(None, predicate)):
            if isinstance(value, URIRef):
                out.add((value, RDF.type, cls))
    out.add((SPARQL_PROTOCOL, DCTERMS.title, Literal("SPARQL 1.1 Protocol", lang="en")))


def _code_facts(out: Graph, background: Graph) -> None:
    """Restate, for every code the catalog points at, its type, scheme and labels from our vocabularies.

    Repeats until nothing is added, so the schemes of the codes (and a licence's licence type) come too.
    """
    pending = {o for o in out.objects() if isinstance(o, URIRef)}
    seen: set[Node] = set()
    while pending:
        code = pending.pop()
        seen.add(code)
        for predicate in CODE_FACTS:
            for value in background.objects(code, predicate):
                out.add((code, predicate, value))
                if isinstance(value, URIRef) and predicate != RDF.type and value not in seen:
                    pending.add(value)


def add_coverage(out: Graph, specs: list[DatasetSpec], coverage: Mapping[str, tuple[str, str]]) -> None:
    """dct:temporal of each dataset: from the first to the last year its records' periods name."""
    for spec in specs:
        if spec.name not in coverage:
            continue
        first, last = coverage[spec.name]
        period = URIRef(f"{spec.iri}#temporal")
        out.add((spec.iri, DCTERMS.temporal, period))
        out.add((period, RDF.type, DCTERMS.PeriodOfTime))
        out.add((period, DCAT.startDate, Literal(first, datatype=XSD.gYear)))
        out.add((period, DCAT.endDate, Literal(last, datatype=XSD.gYear)))
