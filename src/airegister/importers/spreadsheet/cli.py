"""Command-line entry points: `export spreadsheet FILE` and `import spreadsheet FILE`.

The main CLI wires them like `import pstw`: it builds the subparser, calls `configure_*` and, when the
command runs, `run_*(args, settings)`. Exit codes: 0 done (or nothing to do), 1 problems in the
spreadsheet (nothing written, or with --partial only the good rows), 2 the command could not run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from airegister.content.load import ContentError, load
from airegister.importers.spreadsheet.columns import COLUMN_ORDER
from airegister.importers.spreadsheet.export import export_csv, export_xlsx
from airegister.importers.spreadsheet.importer import import_sheets
from airegister.importers.spreadsheet.model import models
from airegister.importers.spreadsheet.read import DATA_SHEETS, read_sheets
from airegister.importers.spreadsheet.report import Outcome
from airegister.importers.spreadsheet.targets import Target
from airegister.rdf.io import write_turtle
from airegister.settings import Settings

SUFFIXES = (".xlsx", ".csv")


def configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the spreadsheet to write (.xlsx or .csv)")
    parser.add_argument("--lang", choices=COLUMN_ORDER, default="en", help="language of headers and values")
    parser.add_argument("--empty", action="store_true", help="only the headers (a template for new projects)")
    parser.add_argument("--delimiter", choices=(";", ","), default=";", help="CSV separator (default ';')")
    parser.add_argument(
        "--sheet", choices=DATA_SHEETS, default="projects", help="the sheet a CSV file holds (default: projects)"
    )


def configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the spreadsheet to read (.xlsx or .csv)")
    parser.add_argument("--out", type=Path, help="where project files are (default: <root>/data/projects)")
    parser.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    parser.add_argument("--partial", action="store_true", help="write the rows without errors, list the others")
    parser.add_argument(
        "--lang", choices=COLUMN_ORDER, default=None, help="language of values in messages (default: the headers')"
    )
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.file
    if path.suffix.lower() not in SUFFIXES:
        print(f"error: {path}: write .xlsx or .csv", file=sys.stderr)
        return 2
    try:
        content = load(settings.root.resolve(), settings.base)
    except ContentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    sheets = models(content)
    if path.suffix.lower() == ".csv":
        model = sheets[args.sheet]
        count = export_csv(model, path, args.lang, args.empty, args.delimiter)
        print(f"wrote {path}: {count} row(s) of the {args.sheet} sheet, {len(model.columns)} columns")
    else:
        count = export_xlsx(sheets, path, args.lang, args.empty)
        print(f"wrote {path}: {count} project(s), {sum(len(m.columns) for m in sheets.values())} columns")
    return 0


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    root = settings.root.resolve()
    path: Path = args.file
    if not path.is_file() or path.suffix.lower() not in (*SUFFIXES, ".xlsm"):
        print(f"error: {path}: not an .xlsx or .csv file", file=sys.stderr)
        return 2
    out: Path = (args.out or root / "data" / "projects").resolve()
    try:
        content = load(
            root, settings.base, extra=[] if out.is_relative_to(root.resolve()) or not out.is_dir() else [out]
        )
    except ContentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if content.problems:
        for problem in content.problems:
            print(f"error: {problem.path}:{problem.line or '?'}: {problem.message}", file=sys.stderr)
        return 2
    sheets = read_sheets(path)
    outcome, targets = import_sheets(sheets, content, models(content), out, args.lang)
    outcome.dry_run = args.dry_run
    bad = {(sheet.name, row) for sheet in sheets for row in sheet.bad_rows() if row > 1}
    good = decide(outcome, targets, bad, any(sheet.file_errors() for sheet in sheets), args.partial)
    if not outcome.blocked and not args.dry_run:
        for target in good:
            write_turtle(target.graph, target.path, settings.base)
            outcome.written.append(content.relative(target.path))
    sys.stdout.write(outcome.to_json() + "\n" if args.json else outcome.to_text())
    return 1 if outcome.errors else 0


def decide(
    outcome: Outcome, targets: list[Target], bad: set[tuple[str, int]], file_errors: bool, partial: bool
) -> list[Target]:
    """The files to write: none while an error remains (or the whole file has one); with --partial, those
    none of whose rows has an error. The rows left out are listed in the outcome."""
    outcome.blocked = file_errors or (bool(outcome.errors) and not partial)
    good = [t for t in targets if not (t.rows & bad)]
    if partial and not file_errors:
        left = bad | {row for t in targets if t not in good for row in t.edited}
        outcome.skipped_rows = [f"'{sheet}' row {row}" for sheet, row in sorted(left)]
    for target in targets:
        if target not in good or (outcome.blocked and not outcome.dry_run):
            outcome.drop(target.changes)
    outcome.files = [t.label for t in good] if not outcome.blocked else []
    return good
