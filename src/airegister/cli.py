"""The `airegister` command line: one entry point, a subcommand per job, `serve` by default."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from airegister import __version__
from airegister.reporting import render_json, render_text, summary
from airegister.settings import Settings
from airegister.sources import Content, ContentError, load
from airegister.validation import validate_content


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
    from airegister.importers import pstw

    if args.source == "pstw":
        return pstw.run(args, settings.root.resolve())
    raise AssertionError(args.source)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Until the build and the server land, `serve` checks the content and says what it found."""
    try:
        content = load(settings.root, settings.base)
    except ContentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = validate_content(content)
    print(summary(report))
    print("The HTTP server is not built yet; `airegister validate` shows the full report.")
    return report.exit_code


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
    from airegister.importers import pstw

    pstw_parser = sources.add_parser("pstw", help="Public Sector Tech Watch cases (CSV)")
    _root_option(pstw_parser)
    pstw.configure(pstw_parser)
    importer.set_defaults(handler=cmd_import)

    serve = commands.add_parser("serve", help="serve the register (default command)")
    _root_option(serve)
    serve.set_defaults(handler=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv) or ["serve"])
    overrides = {"root": args.root} if getattr(args, "root", None) is not None else {}
    settings = Settings(**overrides)
    handler = args.handler
    code: int = handler(args, settings)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
