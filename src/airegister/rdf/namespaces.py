"""Every namespace the project uses, declared once.

Our own namespaces hang off the identity base, which is a setting; `Base` derives them so that a
deployment under another base gets consistent IRIs everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

DEFAULT_BASE = "https://w3id.org/be-ai-register/"

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
AI = Namespace("https://w3id.org/dpv/ai#")
AIRO = Namespace("https://w3id.org/airo#")
CV = Namespace("http://data.europa.eu/m8g/")
DPV = Namespace("https://w3id.org/dpv#")
EU_AIACT = Namespace("https://w3id.org/dpv/legal/eu/aiact#")
TECH = Namespace("https://w3id.org/dpv/tech#")
VAIR = Namespace("https://w3id.org/vair#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
BELGIF_CBE = Namespace("https://org.belgif.be/id/CbeRegisteredEntity/")

# Prefixes bound on every graph we serialise, so files read the same whoever wrote them.
STANDARD_PREFIXES: dict[str, str] = {
    "adms": str(ADMS),
    "ai": str(AI),
    "airo": str(AIRO),
    "cv": str(CV),
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "dpv": str(DPV),
    "eu-aiact": str(EU_AIACT),
    "foaf": str(FOAF),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sh": str(SH),
    "skos": str(SKOS),
    "spdx": str(SPDX),
    "tech": str(TECH),
    "vcard": str(VCARD),
    "xsd": str(XSD),
}


@dataclass(frozen=True)
class Base:
    """The IRIs we mint, derived from one identity base (DESIGN section 3)."""

    iri: str

    def __post_init__(self) -> None:
        if not self.iri.endswith("/"):
            raise ValueError(f"the identity base must end with '/': {self.iri!r}")

    @property
    def ns(self) -> Namespace:
        return Namespace(self.iri + "ns#")

    def thing(self, kind: str, ref: str = "") -> URIRef:
        """`{base}id/{kind}/{ref}`; with no ref, the collection or scheme `{base}id/{kind}`."""
        return URIRef(f"{self.iri}id/{kind}/{ref}" if ref else f"{self.iri}id/{kind}")

    def doc(self, kind: str, ref: str = "") -> URIRef:
        return URIRef(f"{self.iri}doc/{kind}/{ref}" if ref else f"{self.iri}doc/{kind}")

    def dataset(self, name: str) -> URIRef:
        return URIRef(f"{self.iri}dataset/{name}")

    def graph(self, relpath: str) -> URIRef:
        """The named graph holding one source file, by its path relative to the content root."""
        return URIRef(f"{self.iri}graph/{relpath}")

    @property
    def catalog(self) -> URIRef:
        return URIRef(f"{self.iri}catalog")


def bind_prefixes(graph: Graph, base: Base) -> Graph:
    """Bind the standard prefixes and ours (`ns:`, `id:`) so serialisations are stable and readable."""
    for prefix, namespace in STANDARD_PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.bind("ns", base.ns, override=True, replace=True)
    return graph
