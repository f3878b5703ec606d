"""What a source (folder or workbook) yields before any parsing: text cells and school keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cluster_planner.findings import Finding


@dataclass(frozen=True)
class RawTable:
    """One sheet or CSV file as text. ``rows`` pairs each data row with its Excel row number."""

    key: str
    display: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...] = ()

    @staticmethod
    def from_rows(key: str, display: str, rows: list[list[str]]) -> RawTable:
        """Row 1 is the header; blank rows are skipped but keep their numbers."""
        header = tuple(c.strip() for c in rows[0]) if rows else ()
        data = tuple(
            (number, tuple(cells)) for number, cells in enumerate(rows[1:], start=2) if any(c.strip() for c in cells)
        )
        return RawTable(key=key, display=display, header=header, rows=data)


@dataclass(frozen=True)
class RawSchool:
    """The school settings as nested data, with the row (or TOML line) of each dotted key."""

    display: str
    data: dict[str, Any]
    rows: dict[str, int] = field(default_factory=dict)


@dataclass
class RawScenario:
    """Everything a source read, and the problems met while reading it."""

    tables: dict[str, RawTable] = field(default_factory=dict)
    school: RawSchool | None = None
    findings: list[Finding] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    """Files that are there but could not be read (not to be reported missing as well)."""
