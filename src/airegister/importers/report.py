"""What an import did and what it could not map, so nothing from the source disappears silently.

Every problem names the physical CSV line where the record starts, the source id, the column and the
value, so a curator can fix either the source or the scheme labels (usually a missing hiddenLabel).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

# Problem kinds: a value we have a field for but could not map, and a column the data model has no
# field for (kept out of the record on purpose, but still listed).
UNMAPPED = "unmapped"
NOT_MODELLED = "not-modelled"
NOTICE = "notice"


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    pstw_id: str
    column: str
    value: str
    message: str
    kind: str = UNMAPPED

    def text(self) -> str:
        value = " ".join(self.value.split())
        if len(value) > 120:
            value = value[:117] + "..."
        return f"line {self.line} {self.pstw_id}: {self.column}: {value!r}: {self.message}"


@dataclass
class Report:
    rows_read: int = 0
    imported: int = 0
    skipped_country: int = 0
    skipped_technology: int = 0
    skipped_invalid: int = 0
    files_written: int = 0
    files_unchanged: int = 0
    organisations_created: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int, pstw_id: str, column: str, value: str, message: str, kind: str = UNMAPPED) -> None:
        self.problems.append(Problem(line, pstw_id, column, value, message, kind))

    def by_column(self, kind: str) -> dict[str, int]:
        counts = Counter(p.column for p in self.problems if p.kind == kind)
        return dict(sorted(counts.items()))

    def counts(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "imported": self.imported,
            "skipped_by_country": self.skipped_country,
            "skipped_non_ai": self.skipped_technology,
            "skipped_invalid": self.skipped_invalid,
            "files_written": self.files_written,
            "files_unchanged": self.files_unchanged,
            "organisations_created": len(self.organisations_created),
            "unmapped_by_column": self.by_column(UNMAPPED),
            "not_modelled_by_column": self.by_column(NOT_MODELLED),
            "notices": len([p for p in self.problems if p.kind == NOTICE]),
        }

    def to_json(self) -> str:
        return json.dumps(
            {
                "counts": self.counts(),
                "organisations_created": [{"iri": i, "label": n} for i, n in self.organisations_created],
                "problems": [asdict(p) for p in sorted(self.problems)],
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_text(self, details: bool = True) -> str:
        lines: list[str] = []
        if details:
            for kind, title in (
                (UNMAPPED, "Unmapped values"),
                (NOT_MODELLED, "Values in columns the data model has no field for"),
                (NOTICE, "Notices"),
            ):
                chosen = sorted(p for p in self.problems if p.kind == kind)
                if chosen:
                    lines.append(f"{title} ({len(chosen)}):")
                    lines.extend("  " + p.text() for p in chosen)
            if self.organisations_created:
                lines.append(f"Organisations created ({len(self.organisations_created)}):")
                lines.extend(f"  {iri}  {label!r}" for iri, label in self.organisations_created)
        counts = self.counts()
        lines.append(
            "rows read {rows_read}, imported {imported}, skipped by country {skipped_by_country}, "
            "skipped non-AI {skipped_non_ai}, skipped invalid {skipped_invalid}; files written "
            "{files_written}, unchanged {files_unchanged}; organisations created "
            "{organisations_created}".format(**counts)
        )
        for key, title in (
            ("unmapped_by_column", "unmapped values by column"),
            ("not_modelled_by_column", "values in columns the data model has no field for"),
        ):
            if counts[key]:
                lines.append(title + ": " + ", ".join(f"{c} {n}" for c, n in counts[key].items()))
        return "\n".join(lines)
