"""How a validation report reads: grouped text for curators, JSON for machines."""

from __future__ import annotations

import json
from dataclasses import asdict
from itertools import groupby

from airegister.content.validation import Report

MARKS = {"violation": "VIOLATION", "warning": "warning", "info": "info"}


def render_text(report: Report) -> str:
    """Group findings by file, then record; each names field, problem, offending value and fix."""
    lines: list[str] = []
    for problem in report.parse_problems:
        where = f"{problem.path}:{problem.line}" if problem.line else str(problem.path)
        lines.append(f"{where}: ERROR: cannot parse this file: {problem.message}")
        lines.append("    fix: correct the syntax at that line (a missing '.', ';' or quote is the usual cause)")
    for file, in_file in groupby(report.findings, key=lambda f: f.file or "(no file)"):
        lines.append("")
        lines.append(file)
        for record, in_record in groupby(in_file, key=lambda f: f.record):
            found = list(in_record)
            title = f' "{found[0].record_title}"' if found[0].record_title else ""
            line = f" (line {found[0].line})" if found[0].line else ""
            lines.append(f"  record <{record}>{title}{line}")
            for finding in found:
                value = f" [value: {finding.value}]" if finding.value else ""
                lines.append(f"    {MARKS[finding.severity]}: {finding.field}: {finding.message}{value}")
                if finding.fix:
                    lines.append(f"      fix: {finding.fix}")
    lines.append("")
    lines.append(summary(report))
    return "\n".join(lines).lstrip("\n") + "\n"


def summary(report: Report) -> str:
    if report.parse_problems:
        return f"{len(report.parse_problems)} file(s) could not be parsed; nothing was validated."
    verdict = "conforms" if report.violations == 0 else "does not conform"
    return (
        f"{report.records} project records, {report.triples} triples: {verdict}; "
        f"{report.violations} violation(s), {report.warnings} warning(s) ({report.seconds:.1f} s)"
    )


def render_json(report: Report) -> str:
    payload = {
        "conforms": report.exit_code == 0,
        "exit_code": report.exit_code,
        "records": report.records,
        "triples": report.triples,
        "violations": report.violations,
        "warnings": report.warnings,
        "seconds": round(report.seconds, 3),
        "parse_errors": [{"file": str(p.path), "line": p.line, "message": p.message} for p in report.parse_problems],
        "findings": [asdict(f) for f in report.findings],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
