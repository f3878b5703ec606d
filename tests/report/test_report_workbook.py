"""report.xlsx read back sheet by sheet (issue #4, done when): every sheet, rosters, pay, public masking."""

from __future__ import annotations

import csv
import re
import zipfile
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from report_reading import roster_blocks
from report_tiny import FORMULA_NAME, parent, phone

from cluster_planner.domain import Scenario
from cluster_planner.i18n import t
from cluster_planner.io.scenario_writer import write_scenario_folder
from cluster_planner.plan import Plan
from cluster_planner.plan.figures import staff_loads
from cluster_planner.plan.io import save_plan
from cluster_planner.report import PUBLIC_NAMES, ReportTables, write_reports
from cluster_planner.report.print_layout import AttendanceLayout
from cluster_planner.report.xlsx import MAX_WIDTH, display_width

# sheet key → (orientation, header repeated on every printed page, the table(s) the sheet shows)
FLAT = {
    "summary": ("portrait", ["summary", "choices_by_grade"]),
    "timetable": ("landscape", ["timetable"]),
    "rain": ("landscape", ["rain_plan"]),
    "pay": ("portrait", ["pay"]),
    "satisfaction": ("landscape", ["satisfaction", "choices_by_grade"]),
    "unplaced": ("landscape", ["unplaced"]),
    "duties": ("portrait", ["duty_roster"]),
    "warnings": ("portrait", ["warnings"]),
    "compliance": ("landscape", ["compliance"]),
}
BLOCKS = {
    "rosters": ("portrait", "rosters"),
    "staff": ("landscape", "staff_timetables"),
    "rooms": ("landscape", "room_timetables"),
}
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def rows_of(ws: Worksheet) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def header_rows(ws: Worksheet, columns: list[str]) -> list[int]:
    """1-based numbers of the rows that are exactly this header."""
    want = tuple(columns)
    return [k for k, row in enumerate(rows_of(ws), start=1) if tuple(row[: len(want)]) == want]


def cell_value(value: object) -> object:
    """What a table's value reads back as from the workbook (blank → None; floats to Excel's 15 digits)."""
    if value in ("", None):
        return None
    return pytest.approx(value, rel=1e-12) if isinstance(value, float) else value


def assert_printable(ws: Worksheet, orientation: str) -> None:
    ps = ws.page_setup
    assert int(ps.paperSize) == 9, ws.title  # A4
    assert ps.orientation == orientation, ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ps.fitToHeight) == 0  # one page wide, as long as needed
    assert ws.oddFooter.center.text == "&P / &N" and ws.print_options.horizontalCentered
    assert ws.freeze_panes, ws.title


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_sheet_shows_its_tables_and_prints_on_a4(
    reports: dict[str, Path], tiny_school: Scenario, tiny_plan: Plan, lang: str
) -> None:
    tables = ReportTables.build(tiny_school, tiny_plan, lang)
    wb = load_workbook(reports[lang] / "report.xlsx")
    seen = set()
    for key, (orientation, names) in FLAT.items():
        ws = wb[t(f"report.sheet.{key}", lang)]
        seen.add(ws.title)
        assert ws["A1"].value == ws.title
        assert_printable(ws, orientation)
        first = getattr(tables, names[0])
        assert header_rows(ws, list(first.columns)) == [2]
        assert ws.print_title_rows == "$2:$2"  # the header row repeats on every printed page
        assert ws.freeze_panes == "A3"
        body = [r[: len(first.columns)] for r in rows_of(ws)[2 : 2 + len(first)]]
        assert body == [tuple(cell_value(v) for v in row) for row in first.itertuples(index=False)]
        for name in names[1:]:
            assert len(header_rows(ws, list(getattr(tables, name).columns))) == 1
    for key, (orientation, name) in BLOCKS.items():
        ws = wb[t(f"report.sheet.{key}", lang)]
        seen.add(ws.title)
        assert_printable(ws, orientation)
        blocks = getattr(tables, name)
        titles = [r[0] for r in rows_of(ws)]
        for df in blocks.values():
            assert df.attrs["title"] in titles
            assert header_rows(ws, list(df.columns))
        if key == "staff":  # a timetable takes a page or half a page (test_report_print.py)
            assert len(blocks) // 2 <= len(ws.row_breaks.brk) + 1 <= len(blocks)
        else:
            assert len(ws.row_breaks.brk) == len(blocks) - 1  # each block starts a printed page
    for gid, df in tables.attendance.items():
        ws = wb[f"{t('report.sheet.attendance', lang)} {gid}"]
        seen.add(ws.title)
        assert_printable(ws, AttendanceLayout.of(tables.attendance).orientation)  # a long name: landscape
        (header,) = header_rows(ws, list(df.columns))
        assert ws.freeze_panes == f"D{header + 1}"  # each printed piece has its own header (test_report_print.py)
        sign = rows_of(ws)[header + len(df)]
        assert sign[1] == t("report.att.sign", lang)  # the signature row under the students
    assert set(wb.sheetnames) == seen  # no sheet unaccounted for


def test_columns_are_wide_enough_for_chinese_text(reports: dict[str, Path]) -> None:
    ws = load_workbook(reports["zh"] / "report.xlsx")[t("report.sheet.timetable", "zh")]
    widest: dict[str, int] = defaultdict(int)
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, str):
                widest[c.column_letter] = max(widest[c.column_letter], display_width(c.value))
    assert widest["E"] >= 4  # 活动 names are Chinese: each character counts two
    for letter, width in widest.items():
        assert ws.column_dimensions[letter].width >= min(MAX_WIDTH, width), letter


def test_formula_looking_text_keeps_a_quote_prefix(reports: dict[str, Path]) -> None:
    wb = load_workbook(reports["zh"] / "report.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == FORMULA_NAME]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_each_groups_roster_is_its_rows_of_assignments_csv(
    tiny_school: Scenario, tiny_plan: Plan, tmp_path: Path
) -> None:
    folder = save_plan(
        tiny_plan, tmp_path / "plan", (lambda tmp: write_scenario_folder(tiny_school, tmp / "scenario"),)
    )
    write_reports(tiny_school, tiny_plan, folder, lang="zh")
    with (folder / "assignments.csv").open(encoding="utf-8-sig", newline="") as fh:
        members: dict[str, set[str]] = defaultdict(set)
        for r in csv.DictReader(fh):
            members[r["group_id"]].add(r["student_id"])
    ws = load_workbook(folder / "report.xlsx")[t("report.sheet.rosters", "zh")]
    blocks = roster_blocks(ws, set(members))
    assert set(blocks) == set(members) == {"CARE-1", "CARE-2", "GO-1", "FB-1"}
    for gid, ids in blocks.items():
        assert len(ids) == len(set(ids)), gid  # each student once
        assert set(ids) == members[gid], gid


def pay_rows(path: Path, lang: str = "en") -> tuple[list[str], dict[str, dict[str, object]]]:
    ws = load_workbook(path)[t("report.sheet.pay", lang)]
    rows = rows_of(ws)
    header = [str(v) for v in rows[1]]
    by_id = {}
    for r in rows[2:]:
        record = dict(zip(header, r, strict=False))
        by_id[record[t("report.col.staff_id", lang)] or "total"] = record
    return header, by_id


def test_pay_is_periods_times_rate(reports: dict[str, Path]) -> None:
    """Counted by hand: 7 Mondays and 7 Wednesdays of service (9/7–10/30 less the National Day week)."""
    _, rows = pay_rows(reports["en"] / "report.xlsx")
    expected = {  # staff_id: (periods a term, rate)
        "T01": (7, 40),  # CARE-1, Mondays
        "T02": (7 + 7, 40),  # CARE-2 on Wednesdays and the gate duty (1 period) on Mondays
        "T03": (7, 40),  # GO-1, Mondays
        "E01": (7, 80),  # FB-1 on Wednesdays, the coach's own rate
    }
    periods, rate, pay = (t(f"report.col.{k}", "en") for k in ("periods_term", "rate", "pay_term"))
    assert set(rows) == {*expected, "total"}
    for pid, (n, r) in expected.items():
        assert (rows[pid][periods], rows[pid][rate]) == (n, r), pid
        assert rows[pid][pay] == pytest.approx(n * r), pid
    assert rows["total"][pay] == pytest.approx(sum(n * r for n, r in expected.values()))
    assert rows["total"][periods] == sum(n for n, _ in expected.values())


def test_pay_with_the_afternoon_cap_shows_the_periods_paid(
    tiny_school: Scenario, tiny_plan: Plan, tmp_path: Path
) -> None:
    """003: at most 1 paid afternoon period a day here; T01 leads care and the club on Mondays."""
    pay_rules = tiny_school.school.pay.model_copy(update={"afternoon_period_cap": 1})
    school = tiny_school.school.model_copy(update={"pay": pay_rules})
    capped = tiny_school.model_copy(update={"school": school})
    groups = tuple(replace(g, staff_ids=("T01",)) if g.group_id == "GO-1" else g for g in tiny_plan.groups)
    plan = replace(tiny_plan, groups=groups, staff_load=staff_loads(capped, groups, tiny_plan.duty_roster))
    write_reports(capped, plan, tmp_path, lang="en")
    header, rows = pay_rows(tmp_path / "report.xlsx")
    periods, paid, pay = (t(f"report.col.{k}", "en") for k in ("periods_term", "paid_periods", "pay_term"))
    assert paid in header
    assert (rows["T01"][periods], rows["T01"][paid], rows["T01"][pay]) == (14, 7, 7 * 40)
    for pid, row in rows.items():
        if pid != "total":
            assert row[pay] == pytest.approx(row[paid] * row[t("report.col.rate", "en")]), pid


def xlsx_text(path: Path) -> str:
    """Every XML part of a workbook (cells, shared strings, sheet names, properties) as one text."""
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_public_files_hold_no_full_phone_anywhere(
    reports: dict[str, Path], tiny_school: Scenario, tiny_plan: Plan
) -> None:
    phones = {s.parent_phone for s in tiny_school.students if s.parent_phone}
    assert phones == {phone(k) for k in range(1, 9)}
    for lang in ("zh", "en"):
        folder = reports[lang]
        private = xlsx_text(folder / "report.xlsx") + (folder / "report.html").read_text("utf-8")
        assert phones & set(MOBILE.findall(private))  # the scan finds phones where they are
        public = xlsx_text(folder / PUBLIC_NAMES[0]) + (folder / PUBLIC_NAMES[1]).read_text("utf-8")
        assert not MOBILE.findall(public)
        assert not [p for p in phones if p in public or p[-8:] in public]
        assert not [k for k in range(1, 9) if parent(k) in public]
        assert "138****0001" in public
