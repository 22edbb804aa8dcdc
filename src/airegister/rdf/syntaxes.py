"""Every format we read, write, publish or negotiate, in one table.

An RDF syntax carries its `?format=` key and other accepted names, file extension, label, media type,
rdflib writer and reader names, pyoxigraph `RdfFormat` name and EU file type; SPARQL result formats and
the non-RDF files of a build (CSV, CSVW metadata, gzip) have their own rows. Dumps, the catalog, VoID,
Linked Data documents, the SPARQL endpoint, the query page, the downloads page and the build's file
server all read these rows, so a format is added or renamed here once.
"""

from __future__ import annotations

from dataclasses import dataclass

IANA = "https://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


class _Described:
    """What the catalog states about a file in one format: its label, media type and EU file type as IRIs."""

    label: str
    media_type: str
    file_type: str
    download: str

    @property
    def download_label(self) -> str:
        return self.download or self.label

    @property
    def media_type_iri(self) -> str:
        return IANA + self.media_type

    @property
    def file_type_iri(self) -> str:
        return FILE_TYPE + self.file_type


@dataclass(frozen=True)
class Syntax(_Described):
    """An RDF serialisation."""

    key: str  # the `?format=` name we print
    extension: str
    label: str
    media_type: str
    rdflib_format: str  # rdflib's writer
    oxigraph: str  # pyoxigraph's RdfFormat attribute
    file_type: str  # EU file-type code
    quads: bool = False
    names: tuple[str, ...] = ()  # other names a client may use for it (`?format=`)
    download: str = ""  # how the catalog names a dump in this syntax, when it says more than `label`

    @property
    def parse_format(self) -> str:
        """rdflib's parser name (its RDF/XML writer is 'pretty-xml', its reader 'xml')."""
        return "xml" if self.rdflib_format == "pretty-xml" else self.rdflib_format

    @property
    def content_type(self) -> str:
        return content_type(self.media_type)


@dataclass(frozen=True)
class ResultsFormat:
    """A SPARQL results format (SELECT and ASK answers)."""

    key: str
    label: str
    media_type: str
    oxigraph: str  # pyoxigraph's QueryResultsFormat attribute
    names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # media types clients send that mean this one


@dataclass(frozen=True)
class FileKind(_Described):
    """A file of a build that is not an RDF dump."""

    extension: str
    label: str
    media_type: str
    file_type: str
    download: str = ""  # how the catalog names a file of this kind, when it says more than `label`


TURTLE = Syntax("ttl", "ttl", "Turtle", "text/turtle", "turtle", "TURTLE", "RDF_TURTLE", names=("turtle",))
NTRIPLES = Syntax(
    "nt", "nt", "N-Triples", "application/n-triples", "nt", "N_TRIPLES", "RDF_N_TRIPLES",
    names=("ntriples", "n-triples"),
)  # fmt: skip
NQUADS = Syntax(
    "nq", "nq", "N-Quads", "application/n-quads", "nquads", "N_QUADS", "RDF_N_QUADS", quads=True,
    names=("nquads", "n-quads"), download="N-Quads (one named graph per source file)",
)  # fmt: skip
TRIG = Syntax(
    "trig", "trig", "TriG", "application/trig", "trig", "TRIG", "RDF_TRIG", quads=True,
    download="TriG (one named graph per source file)",
)  # fmt: skip
JSONLD = Syntax(
    "jsonld", "jsonld", "JSON-LD", "application/ld+json", "json-ld", "JSON_LD", "JSON_LD", names=("json-ld",)
)
RDFXML = Syntax(
    "rdf", "rdf", "RDF/XML", "application/rdf+xml", "pretty-xml", "RDF_XML", "RDF_XML", names=("rdfxml", "xml")
)

SYNTAXES: tuple[Syntax, ...] = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML)
BY_EXTENSION = {syntax.extension: syntax for syntax in SYNTAXES}
BY_MEDIA_TYPE = {syntax.media_type: syntax for syntax in SYNTAXES}
# Files we read but never write: rdflib parser names by suffix.
PARSERS_BY_SUFFIX: dict[str, str] = {
    **{f".{syntax.extension}": syntax.parse_format for syntax in SYNTAXES},
    ".n3": "n3",
    ".owl": "xml",
}
# Media types clients send for a graph answer that mean one of ours.
GRAPH_ALIASES = {
    "application/json": JSONLD.media_type,
    "application/xml": RDFXML.media_type,
    "text/xml": RDFXML.media_type,
    "text/plain": NTRIPLES.media_type,
}

RESULTS_JSON_FORMAT = ResultsFormat(
    "json", "SPARQL JSON", "application/sparql-results+json", "JSON", names=("srj",), aliases=("application/json",)
)
RESULTS_XML_FORMAT = ResultsFormat(
    "xml", "SPARQL XML", "application/sparql-results+xml", "XML", names=("srx",),
    aliases=("application/xml", "text/xml"),
)  # fmt: skip
RESULTS_CSV_FORMAT = ResultsFormat("csv", "CSV", "text/csv", "CSV")
RESULTS_TSV_FORMAT = ResultsFormat("tsv", "TSV", "text/tab-separated-values", "TSV")
RESULTS_FORMATS = (RESULTS_JSON_FORMAT, RESULTS_XML_FORMAT, RESULTS_CSV_FORMAT, RESULTS_TSV_FORMAT)
RESULTS_JSON = RESULTS_JSON_FORMAT.media_type
# media type -> pyoxigraph format attribute name, for the query workers
SOLUTION_FORMATS: dict[str, str] = {f.media_type: f.oxigraph for f in RESULTS_FORMATS}
GRAPH_FORMATS: dict[str, str] = {s.media_type: s.oxigraph for s in SYNTAXES}

CSV_FILE = FileKind("csv", "CSV", "text/csv", "CSV", download="CSV (one row per project)")
CSVW_FILE = FileKind(
    "json", "CSVW metadata (JSON)", "application/csvm+json", "JSON", download="CSVW metadata (maps the CSV back to RDF)"
)
GZIP_FILE = FileKind("gz", "gzip", "application/gzip", "GZIP")
HTML_MEDIA_TYPE = "text/html"


def content_type(media_type: str) -> str:
    """The Content-Type header for a media type: text types say they are UTF-8."""
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def syntax_named(name: str) -> Syntax | None:
    """The RDF syntax a client means by a `?format=` value: key, extension, other name or media type."""
    return _SYNTAX_NAMES.get(name.strip().lower())


def results_format_named(name: str) -> ResultsFormat | None:
    return _RESULTS_NAMES.get(name.strip().lower())


def served_media_type(extension: str) -> str:
    """The Content-Type a build file is served with, by its extension (without the dot)."""
    syntax = BY_EXTENSION.get(extension)
    if syntax is not None:
        return syntax.content_type
    for kind in (CSV_FILE, GZIP_FILE):
        if kind.extension == extension:
            return content_type(kind.media_type)
    return "application/json" if extension == "json" else "application/octet-stream"


def label_of(extension: str) -> str:
    """How the downloads page names a file's format, by its extension."""
    syntax = BY_EXTENSION.get(extension)
    if syntax is not None:
        return syntax.label
    return {kind.extension: kind.label for kind in (CSV_FILE, CSVW_FILE, GZIP_FILE)}.get(extension, extension)


_SYNTAX_NAMES = {
    name: syntax
    for syntax in SYNTAXES
    for name in (syntax.key, syntax.extension, syntax.media_type, syntax.rdflib_format, *syntax.names)
}
_RESULTS_NAMES = {name: f for f in RESULTS_FORMATS for name in (f.key, f.media_type, *f.names)}
