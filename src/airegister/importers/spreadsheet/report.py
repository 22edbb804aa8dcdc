"""Problems found in a spreadsheet, each placed where a curator looks: file, sheet, row, column, value.

A problem without a row concerns the whole file (its encoding, an unknown column) and blocks every row,
even with --partial; a problem with a row blocks that row.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int | None  # as Excel numbers rows: the header is row 1
    column: str | None  # letter, as Excel shows it
    header: str | None
    value: str | None
    message: str  # what is wrong
    allowed: str | None = None  # what to write instead
    severity: str = "error"

    def where(self) -> str:
        parts = [self.file if self.sheet == self.file else f"{self.file}, sheet '{self.sheet}'"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column} '{self.header}'" if self.header else f"column {self.column}")
        elif self.header:
            parts.append(f"column '{self.header}'")
        return ", ".join(parts)

    def text(self) -> str:
        fix = f" -- {self.allowed}" if self.allowed else ""
        found = f" (found: {self.value})" if self.value and self.value not in self.message else ""
        return f"{self.where()}: {self.message}{found}{fix}"


@dataclass
class Change:
    """What an import does to one field of one project (for --dry-run and the summary)."""

    column: str  # header
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    def text(self) -> str:
        if len(self.removed) == 1 and len(self.added) == 1:
            return f"  ~ {self.column}: {self.removed[0]!r} -> {self.added[0]!r}"
        lines = [f"  - {self.column}: {v!r}" for v in self.removed]
        return "\n".join(lines + [f"  + {self.column}: {v!r}" for v in self.added])


@dataclass
class Outcome:
    """The result of an import: problems, what changed per record (a project, an assessment, an
    organisation) and which files were written."""

    problems: list[Problem] = field(default_factory=list)
    changes: dict[str, list[Change]] = field(default_factory=dict)  # record label -> changes
    new: list[str] = field(default_factory=list)  # labels of new records
    where: dict[str, str] = field(default_factory=dict)  # record label -> its sheet and row
    files: list[str] = field(default_factory=list)  # the files an import writes (or would write)
    written: list[str] = field(default_factory=list)
    skipped_rows: list[str] = field(default_factory=list)
    dry_run: bool = False
    blocked: bool = False  # errors stop every write (without --partial, or errors about the whole file)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def record(self, label: str, where: str, changes: list[Change], new: bool) -> None:
        self.changes[label] = changes
        self.where[label] = where
        if new:
            self.new.append(label)

    def drop(self, labels: list[str]) -> None:
        """Forget the changes of records that are not written after all."""
        for label in labels:
            self.changes.pop(label, None)
        self.new = [n for n in self.new if n not in labels]

    def to_text(self) -> str:
        lines: list[str] = []
        for label, changes in self.changes.items():
            state = f"new {label_kind(label)}" if label in self.new else "changed"
            lines.append(f"{label} ({self.where.get(label, '?')}, {state}):")
            lines.extend(change.text() for change in changes)
        for problem in self.problems:
            lines.append(f"{problem.severity}: {problem.text()}")
        verb = "would write" if self.dry_run else "wrote"
        count = len(self.files) if self.dry_run else len(self.written)
        summary = f"{verb} {0 if self.blocked else count} file(s); {len(self.errors)} error(s)"
        if self.blocked:
            summary += "; nothing is written until every error is fixed (or use --partial for row errors)"
        elif self.skipped_rows:
            summary += f"; rows not imported: {', '.join(self.skipped_rows)}"
        lines.append(summary)
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps(
            {
                "problems": [asdict(p) for p in self.problems],
                "changes": {label: [asdict(c) for c in cs] for label, cs in self.changes.items()},
                "new": self.new,
                "written": self.written,
                "skipped_rows": self.skipped_rows,
                "dry_run": self.dry_run,
                "blocked": self.blocked,
            },
            indent=2,
            ensure_ascii=False,
        )


def label_kind(label: str) -> str:
    """What a record label names: an assessment (`{project}#assessment-...`) or a project."""
    return "assessment" if "#assessment-" in label else "project"
