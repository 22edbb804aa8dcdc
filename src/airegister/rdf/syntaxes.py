"""The RDF syntaxes we publish and negotiate: one table, used by dumps, the catalog and HTTP answers."""

from __future__ import annotations

from dataclasses import dataclass

IANA = "https://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


@dataclass(frozen=True)
class Syntax:
    """A serialisation: file extension, rdflib plugin name, media type, EU file type, named graphs or not."""

    key: str
    extension: str
    rdflib_format: str
    media_type: str
    file_type: str
    quads: bool = False

    @property
    def parse_format(self) -> str:
        """rdflib's parser name (its RDF/XML writer is 'pretty-xml', its reader 'xml')."""
        return "xml" if self.rdflib_format == "pretty-xml" else self.rdflib_format

    @property
    def media_type_iri(self) -> str:
        return IANA + self.media_type

    @property
    def file_type_iri(self) -> str:
        return FILE_TYPE + self.file_type


TURTLE = Syntax("turtle", "ttl", "turtle", "text/turtle", "RDF_TURTLE")
NTRIPLES = Syntax("ntriples", "nt", "nt", "application/n-triples", "RDF_N_TRIPLES")
NQUADS = Syntax("nquads", "nq", "nquads", "application/n-quads", "RDF_N_QUADS", quads=True)
TRIG = Syntax("trig", "trig", "trig", "application/trig", "RDF_TRIG", quads=True)
JSONLD = Syntax("jsonld", "jsonld", "json-ld", "application/ld+json", "JSON_LD")
RDFXML = Syntax("rdfxml", "rdf", "pretty-xml", "application/rdf+xml", "RDF_XML")

SYNTAXES: tuple[Syntax, ...] = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML)
BY_EXTENSION = {syntax.extension: syntax for syntax in SYNTAXES}

CSV_MEDIA_TYPE = "text/csv"
CSVW_MEDIA_TYPE = "application/csvm+json"
GZIP_MEDIA_TYPE = "application/gzip"

# SPARQL results: media type -> pyoxigraph QueryResultsFormat attribute name.
RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
RESULTS_CSV = "text/csv"
RESULTS_TSV = "text/tab-separated-values"
SOLUTION_FORMATS: dict[str, str] = {RESULTS_JSON: "JSON", RESULTS_XML: "XML", RESULTS_CSV: "CSV", RESULTS_TSV: "TSV"}
# Graph answers (CONSTRUCT, DESCRIBE): media type -> pyoxigraph RdfFormat attribute name.
GRAPH_FORMATS: dict[str, str] = {
    TURTLE.media_type: "TURTLE",
    NTRIPLES.media_type: "N_TRIPLES",
    JSONLD.media_type: "JSON_LD",
    RDFXML.media_type: "RDF_XML",
    NQUADS.media_type: "N_QUADS",
    TRIG.media_type: "TRIG",
}
