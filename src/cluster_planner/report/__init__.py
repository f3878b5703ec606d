"""The human reports of a plan: ``report.xlsx`` and ``report.html`` (and public versions).

>>> write_reports(scenario, plan, Path("plans/term1"), public=True)  # doctest: +SKIP

The tables behind them are in :mod:`cluster_planner.report.tables`, one function each, for
notebooks as well.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cluster_planner.domain import Scenario
from cluster_planner.io.out_path import write_derived
from cluster_planner.plan.model import Plan
from cluster_planner.report.bundle import ReportTables
from cluster_planner.report.html import chart_section, render_html
from cluster_planner.report.masking import mask_phone
from cluster_planner.report.tables import (
    attendance_sheets,
    choices_by_grade,
    duty_roster,
    moves,
    pay,
    rain_plan,
    room_timetables,
    rosters,
    satisfaction,
    staff_timetables,
    summary,
    timetable,
    unplaced,
    warnings,
)
from cluster_planner.report.xlsx import write_xlsx

REPORT_NAMES = ("report.xlsx", "report.html")
PUBLIC_NAMES = ("report-public.xlsx", "report-public.html")


def write_atomic(target: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``target``, then move it into place (a derived document)."""
    return write_derived(target.parent, target.name, write)


def _write_pair(tables: ReportTables, folder: Path, names: tuple[str, str], charts_html: str) -> list[Path]:
    from cluster_planner import __version__

    xlsx_path = write_atomic(folder / names[0], lambda tmp: write_xlsx(tables, tmp))
    page = render_html(tables, __version__, charts_html)
    html_path = write_atomic(folder / names[1], lambda tmp: tmp.write_text(page, encoding="utf-8"))
    return [xlsx_path, html_path]


def write_reports(
    scenario: Scenario, plan: Plan, folder: Path, lang: str | None = None, public: bool = False
) -> list[Path]:
    """Write ``report.xlsx`` and ``report.html`` into ``folder`` (and the ``report-public.*`` pair).

    ``lang`` defaults to the school's language. Each file is written to a temporary file and
    moved into place, so a reader never sees half a report. Returns the paths written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = ReportTables.build(scenario, plan, lang)
    charts_html = chart_section(tables)
    written = _write_pair(tables, folder, REPORT_NAMES, charts_html)
    if public:
        written += _write_pair(tables.masked(scenario, plan), folder, PUBLIC_NAMES, charts_html)
    return written


__all__ = [
    "PUBLIC_NAMES",
    "REPORT_NAMES",
    "ReportTables",
    "attendance_sheets",
    "choices_by_grade",
    "duty_roster",
    "mask_phone",
    "moves",
    "pay",
    "rain_plan",
    "room_timetables",
    "rosters",
    "satisfaction",
    "staff_timetables",
    "summary",
    "timetable",
    "unplaced",
    "warnings",
    "write_reports",
]
