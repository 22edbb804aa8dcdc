"""The `airegister` command line: one entry point, a subcommand per job, `serve` by default."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from airegister import __version__
from airegister.content.load import Content, ContentError, load
from airegister.content.report_text import render_json, render_text
from airegister.content.validation import validate_content
from airegister.rdf.languages import LANGUAGES
from airegister.settings import BuildMismatch, Settings, SettingsError, read_settings

if TYPE_CHECKING:
    from starlette.types import ASGIApp


def _root_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="content root holding ontology/, shapes/ and data/ (default: $AIREGISTER_ROOT or .)",
    )


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    try:
        content = load(settings.root, settings.base, extra=args.paths)
    except ContentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = validate_content(content)
    if args.paths:
        report = report.restricted_to(_named_files(content, args.paths))
    output = render_json(report) if args.format == "json" else render_text(report)
    sys.stdout.write(output)
    return report.exit_code


def _named_files(content: Content, paths: list[Path]) -> set[str]:
    """The loaded files that the paths given on the command line name (files, or folders holding them)."""
    wanted = [p.resolve() for p in paths]
    named: set[str] = set()
    for path in content.files.values():
        if any(path == w or path.is_relative_to(w) for w in wanted):
            named.add(content.relative(path))
    return named


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from airegister.importers.pstw import command as pstw

    if args.source == "pstw":
        return pstw.run(args, settings)
    if args.source == "spreadsheet":
        from airegister.importers.spreadsheet import cli as spreadsheet_cli

        return spreadsheet_cli.run_import(args, settings)
    raise AssertionError(args.source)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from airegister.importers.spreadsheet import cli as spreadsheet_cli

    if args.target == "spreadsheet":
        return spreadsheet_cli.run_export(args, settings)
    if args.target == "ai-act":
        from airegister.publish import ai_act

        return ai_act.run(settings, args.file, args.all, sys.stderr)
    raise AssertionError(args.target)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from airegister.publish.build import BuildFailed, run_build
    from airegister.publish.datasets import CatalogError

    out = args.out if args.out is not None else settings.dist
    show = not args.quiet and not args.json and sys.stderr.isatty()

    def progress(message: str) -> None:
        if show:
            print(f"build: {message}", file=sys.stderr, flush=True)

    try:
        result = run_build(settings, out, lang=args.lang, progress=progress)
    except BuildFailed as failure:
        if failure.report is not None:
            blocking = failure.report.violations_only()
            sys.stdout.write(render_json(blocking) if args.json else render_text(blocking))
            print(f"error: {failure}; the previous publication is still served", file=sys.stderr)
            return max(failure.report.exit_code, 1)
        print(f"error: {failure}", file=sys.stderr)
        return 2
    except (ContentError, CatalogError, OSError) as error:
        print(f"error: {error}; the previous publication is still served", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.summary(), indent=2))
    elif not args.quiet:
        summary_line = result.summary()
        print(
            f"published {summary_line['build_id']} in {result.folder}: {result.projects} projects, "
            f"{len(result.files)} files, {summary_line['bytes']} bytes ({result.seconds:.1f} s)"
        )
        for path in result.unpublished:
            print(f"note: {path} is in no dataset of data/catalog.ttl, so it is not published")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the current build with uvicorn, or answer one request in-process with --get."""
    if not args.get:
        from airegister.web.server.serving import serve

        return serve(settings)
    from airegister.web.server.serving import one_process_app

    try:
        app = one_process_app(settings)
    except (FileNotFoundError, BuildMismatch) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return _get_once(app, args.get)


def _get_once(app: ASGIApp, path: str) -> int:
    """datasette-style `--get PATH`: one request through the real app, the body on stdout."""
    import asyncio

    from airegister.web.server.asgi_call import get, started

    async def once() -> tuple[int, dict[str, str], bytes]:
        async with started(app):
            return await get(app, path)

    status, _, body = asyncio.run(once())
    sys.stdout.write(body.decode("utf-8", "replace"))
    return 0 if status < 400 else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="airegister", description="Publish the Belgian public sector's AI register as Linked Open Data."
    )
    parser.add_argument("--version", action="version", version=f"airegister {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser("validate", help="check the content against the shapes")
    _root_option(validate)
    validate.add_argument("paths", nargs="*", type=Path, help="extra record files or folders to check")
    validate.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    validate.set_defaults(handler=cmd_validate)

    importer = commands.add_parser("import", help="turn records from elsewhere into data/ files")
    sources = importer.add_subparsers(dest="source", metavar="SOURCE", required=True)
    from airegister.importers.pstw import command as pstw

    pstw_parser = sources.add_parser("pstw", help="Public Sector Tech Watch cases (CSV)")
    _root_option(pstw_parser)
    pstw.configure(pstw_parser)
    from airegister.importers.spreadsheet import cli as spreadsheet_cli

    sheet_import = sources.add_parser("spreadsheet", help="projects from a curators' spreadsheet (XLSX or CSV)")
    _root_option(sheet_import)
    spreadsheet_cli.configure_import(sheet_import)
    importer.set_defaults(handler=cmd_import)

    exporter = commands.add_parser("export", help="write the register in a form to edit elsewhere")
    formats = exporter.add_subparsers(dest="target", metavar="FORMAT", required=True)
    sheet_export = formats.add_parser("spreadsheet", help="one row per project (XLSX with drop-downs, or CSV)")
    _root_option(sheet_export)
    spreadsheet_cli.configure_export(sheet_export)
    ai_act_export = formats.add_parser("ai-act", help="the deployers' AI Act registrations (Annex VIII Section C)")
    _root_option(ai_act_export)
    ai_act_export.add_argument("file", type=Path, help="the file to write (.json or .csv)")
    ai_act_export.add_argument("--all", action="store_true", help="every project, not only the high-risk ones")
    exporter.set_defaults(handler=cmd_export)

    build = commands.add_parser("build", help="validate and publish dumps, catalog, VoID, CSV and the store")
    _root_option(build)
    build.add_argument("--out", type=Path, default=None, help="publication folder (default: $AIREGISTER_DIST or dist)")
    build.add_argument("--lang", default="en", choices=LANGUAGES, help="language of CSV labels")
    build.add_argument("--quiet", action="store_true", help="print nothing but errors")
    build.add_argument("--json", action="store_true", help="print a JSON summary")
    build.set_defaults(handler=cmd_build)

    serve = commands.add_parser("serve", help="serve the published build (default command)")
    serve.add_argument("--dist", type=Path, default=None, help="publication folder (default: $AIREGISTER_DIST or dist)")
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=None, help="SPARQL queries evaluated at once (default 4)")
    serve.add_argument("--processes", type=int, default=None, help="server processes sharing the port (default 2)")
    serve.add_argument("--get", metavar="PATH", default=None, help="answer one GET request and exit")
    serve.set_defaults(handler=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # rdflib logs a traceback for every ill-typed literal it meets; validation reports them in words.
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv) or ["serve"])
    overrides = {
        name: getattr(args, name)
        for name in ("root", "dist", "host", "port", "workers", "processes")
        if getattr(args, name, None) is not None
    }
    try:
        settings = read_settings(**overrides)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    handler = args.handler
    code: int = handler(args, settings)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
