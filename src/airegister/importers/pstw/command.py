"""`airegister import pstw`: Public Sector Tech Watch cases to one Turtle file per project.

The importer is re-runnable: the same input gives the same bytes, files whose bytes do not change are
not touched, and organisations it had to mint are merged into the organisations file so the next run
finds them by name. What it could not map is reported, never dropped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import Graph

from airegister.importers.concepts import ConceptIndex, OrganisationIndex
from airegister.importers.pstw import read as col
from airegister.importers.pstw.mapping import AI_TECHNOLOGY, Mapper, project_ref
from airegister.importers.pstw.organisations import OrganisationBook
from airegister.importers.pstw.values import read_countries
from airegister.importers.report import Report
from airegister.rdf.io import write_turtle
from airegister.rdf.syntaxes import TURTLE
from airegister.settings import Settings

COUNTRIES_FILE = Path("data/imports/pstw-countries.csv")
# The source's own name, looked up like any organisation: the creator of the PSTW identifiers.
SOURCE_NAME = "Public Sector Tech Watch"
SOURCE_CATEGORY = "European Institution/Agency"
REQUIRED_SCHEMES = ("phase", "pstw-status", "cofog", "ai-watch")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("csv", type=Path, help="the PSTW cases export (CSV, as downloaded)")
    parser.add_argument("--country", metavar="NAME", help="only rows whose country is NAME (default: all)")
    parser.add_argument("--out", type=Path, help="where project files go (default: <root>/data/projects)")
    parser.add_argument(
        "--orgs-out", type=Path, help="organisations file minted organisations are merged into "
        "(default: <root>/data/organisations.ttl)"
    )  # fmt: skip
    parser.add_argument(
        "--descriptions", type=Path, metavar="CSV",
        help="pstw_id,description file whose text replaces PSTW's descriptions",
    )  # fmt: skip
    parser.add_argument(
        "--all-technologies", action="store_true", help="import every row, not only Primary Technology AI"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress, only the summary")


def load_content(root: Path, skip: list[Path]) -> Graph:
    """Every Turtle file under ontology/ and data/ in one graph (the schemes, vocabularies, organisations),
    leaving out the directories the importer writes to."""
    graph = Graph()
    skipped = [s.resolve() for s in skip]
    for folder in ("ontology", "data"):
        for path in sorted((root / folder).rglob("*.ttl")):
            if not any(path.resolve().is_relative_to(s) for s in skipped):
                graph.parse(path, format=TURTLE.parse_format)
    return graph


def run(args: argparse.Namespace, settings: Settings) -> int:
    root = settings.root.resolve()
    out: Path = args.out or root / "data" / "projects"
    orgs_out: Path = args.orgs_out or root / "data" / "organisations.ttl"
    for needed in (args.csv, root / COUNTRIES_FILE, *([args.descriptions] if args.descriptions else [])):
        if not needed.is_file():
            print(f"error: {needed}: no such file", file=sys.stderr)
            return 2
    base = settings.base
    graph = load_content(root, [out])
    if orgs_out.is_file() and not orgs_out.resolve().is_relative_to(root.resolve()):
        graph.parse(orgs_out, format=TURTLE.parse_format)
    concepts = ConceptIndex.from_graph(graph)
    missing = [s for s in REQUIRED_SCHEMES if base.thing(s) not in concepts.schemes()]
    if missing:
        print(f"error: no concepts of scheme(s) {', '.join(missing)} under {root}/ontology", file=sys.stderr)
        return 2
    report = Report()
    book = OrganisationBook(base, OrganisationIndex.from_graph(graph), concepts, report)
    descriptions = col.read_descriptions(args.descriptions) if args.descriptions else None
    creator = book.resolve(SOURCE_NAME, SOURCE_CATEGORY, None, 0, "-", "(source)")[0]
    mapper = Mapper(base, concepts, book, read_countries(root / COUNTRIES_FILE), descriptions, creator, report)
    seen: set[str] = set()
    for row in col.read_rows(args.csv):
        report.rows_read += 1
        if not args.quiet and not args.json and report.rows_read % 500 == 0:
            print(f"... {report.rows_read} rows", file=sys.stderr)
        if args.country and not row.matches(col.COUNTRY, args.country):
            report.skipped_country += 1
            continue
        if not args.all_technologies and not row.matches(col.PRIMARY_TECHNOLOGY, AI_TECHNOLOGY):
            report.skipped_technology += 1
            continue
        ref = project_ref(row.pstw_id)
        if ref is None or ref in seen:
            why = "not a PSTW-<number> id" if ref is None else "duplicate id"
            report.add(row.line, row.pstw_id, col.ID, row.pstw_id, f"{why}; row skipped")
            report.skipped_invalid += 1
            continue
        seen.add(ref)
        written = write_turtle(mapper.map(row, ref), out / f"{ref}.ttl", base)
        report.imported += 1
        report.files_written += written
        report.files_unchanged += not written
    if len(book.created):
        merged = Graph()
        if orgs_out.is_file():
            merged.parse(orgs_out, format=TURTLE.parse_format)
        merged += book.created
        write_turtle(merged, orgs_out, base)
    print(report.to_json() if args.json else report.to_text(details=not args.quiet))
    return 0
