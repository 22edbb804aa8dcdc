"""Reading the Public Sector Tech Watch CSV export as it really is.

The export has a UTF-8 BOM, a header with stray spaces (" Status"), and cells spanning several lines;
problems are reported by the physical line where a record starts, so the reader tracks it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from airegister.importers.concepts import normalise

# Column names as they appear once stripped of surrounding spaces.
ID = "PSTW ID"
NAME = "Name"
WEBSITE = "Website"
DESCRIPTION = "Description"
EXTENT = "Geographical extent"
COUNTRY = "Geographical coverage (country)"
NUTS = "NUTS 2021"
ORGANISATION = "Responsible organisation"
ORGANISATION_CATEGORY = "Responsible organisation category"
COFOG_1 = "Functions of Government (COFOG level I)"
COFOG_2 = "Functions of Government (COFOG level II)"
STATUS = "Status"
START = "Start Year"
END = "End Year"
PROCESS_TYPE = "Process type"
APPLICATION_TYPE = "Application type"
CROSS_BORDER = "Cross Border"
CROSS_SECTOR = "Cross Sector"
PRIMARY_TECHNOLOGY = "Primary Technology"
INTERACTION = "Interaction"
SOURCE = "Source"
AI_DOMAIN = "AI Classification (I)"
AI_SUBDOMAINS = (
    "AI Classification Subdomain (II) (main)",
    "AI Classification Subdomain (II) (Other I)",
    "AI Classification Subdomain (II) (Other II)",
    "AI Classification Subdomain (II) (Other III)",
)
KEYWORDS = "AI Keywords"
DATE_UPDATED = "Date updated"

# The impact groups and their flags, in the export's column order: the headers are the labels the
# benefit scheme carries, so the flags are found by label like any other value.
BENEFIT_GROUPS: dict[str, tuple[str, ...]] = {
    "Improved Public Service": (
        "Personalized Services",
        "Public (citizen)-centered services",
        "Increase quality of PSI and services",
        "More responsive, efficient, and cost-effective public services",
        "New services or channels",
    ),
    "Improved Administrative Efficiency": (
        "Cost-reduction",
        "Responsiveness of government operation",
        "Improved management of public resources",
        "Increased quality of processes and systems",
        "Better collaboration and better communication",
        "Reduced or eliminated the risk of corruption and abuse of the law by public servants",
        "Enabled greater fairness, honesty, equality",
    ),
    "Open government capabilities": (
        "Increased transparency of public sector operations",
        "Increased public participation in government actions and policy making",
        "Improved public control and influence on government actions and policies",
    ),
}


@dataclass(frozen=True)
class Row:
    """One record of the export: the physical line it starts on and its cells by stripped header."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The cell, stripped; '' when absent or blank (non-breaking spaces count as blank)."""
        return self.cells.get(column, "").strip()

    @property
    def pstw_id(self) -> str:
        return self.get(ID)

    def is_blank(self, column: str) -> bool:
        return not self.get(column)

    def matches(self, column: str, wanted: str) -> bool:
        return normalise(self.get(column)) == normalise(wanted)


def read_rows(path: Path) -> Iterator[Row]:
    """Yield the records of a PSTW CSV export with the line each starts on (the header is line 1)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            return
        start = reader.line_num + 1
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            yield Row(line, dict(zip(header, record, strict=False)))


def read_descriptions(path: Path) -> dict[str, str]:
    """Our own descriptions (`pstw_id,description`), keyed by normalised PSTW ID."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {
            normalise(row["pstw_id"]): " ".join(row["description"].split())
            for row in csv.DictReader(handle)
            if row.get("pstw_id") and row.get("description")
        }
