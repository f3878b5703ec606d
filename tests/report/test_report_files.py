"""report.xlsx / report.html: files, sheets, personal data, inert formulas, pay totals (issue #4)."""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook
from report_tiny import COMMAND_NAME, FORMULA_NAME, parent, phone

from cluster_planner.domain import Scenario
from cluster_planner.i18n import t
from cluster_planner.plan import Plan
from cluster_planner.report import PUBLIC_NAMES, REPORT_NAMES, write_reports

MAIN_SHEETS = (
    "summary",
    "timetable",
    "rosters",
    "staff",
    "rooms",
    "rain",
    "pay",
    "satisfaction",
    "unplaced",
    "duties",
    "warnings",
)


def all_cells(path: Path) -> list:
    wb = load_workbook(path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_files_exist_and_open_with_every_sheet(reports: dict[str, Path], lang: str) -> None:
    folder = reports[lang]
    for name in REPORT_NAMES + PUBLIC_NAMES:
        assert (folder / name).stat().st_size > 0
    wb = load_workbook(folder / "report.xlsx")
    for key in MAIN_SHEETS:
        assert t(f"report.sheet.{key}", lang) in wb.sheetnames
    assert sum(name.startswith(t("report.sheet.attendance", lang)) for name in wb.sheetnames) == 4
    page = (folder / "report.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page.count("<svg") == 3  # charts inline: choices by grade, group sizes, staff load
    assert page.count('<div class="card ') == 4  # the day view: a card per group meeting
    for fetch in ('src="http', "src='http", 'href="http', "url(http", "<link", "@import"):
        assert fetch not in page  # self-contained: nothing loaded from the network
    assert not list(folder.glob(".*.tmp"))  # temporary files moved into place


def test_roster_sheet_lists_each_assignment_once_per_group(reports: dict[str, Path], tiny_plan: Plan) -> None:
    ws = load_workbook(reports["zh"] / "report.xlsx")[t("report.sheet.rosters", "zh")]
    ids = Counter(
        row[1] for row in ws.iter_rows(values_only=True) if isinstance(row[1], str) and row[1].startswith("S")
    )
    expected = Counter(a.student_id for a in {(a.student_id, a.group_id): a for a in tiny_plan.assignments}.values())
    assert ids == expected


def test_attendance_sheet_has_a_column_per_meeting_date(reports: dict[str, Path], tiny_school: Scenario) -> None:
    wb = load_workbook(reports["zh"] / "report.xlsx")
    ws = wb[f"{t('report.sheet.attendance', 'zh')} FB-1"]
    header = next(row for row in ws.iter_rows(values_only=True) if row[0] == t("report.col.no", "zh"))
    wednesdays = [d for d in tiny_school.school.service_dates() if d.weekday() == 2]
    assert len(wednesdays) == 7  # 8 Wednesdays, 10/7 a holiday
    assert len([c for c in header if c]) == 3 + len(wednesdays)


def test_public_report_has_no_parent_name_or_full_phone(reports: dict[str, Path]) -> None:
    folder = reports["zh"]
    private = " ".join(str(c.value) for c in all_cells(folder / "report.xlsx"))
    assert phone(1) in private and parent(1) in private  # the office's copy has them
    for xlsx, page in [PUBLIC_NAMES]:
        text = " ".join(str(c.value) for c in all_cells(folder / xlsx)) + (folder / page).read_text("utf-8")
        for k in range(1, 9):
            assert phone(k) not in text
            assert parent(k) not in text
        assert "138****0001" in text


def test_formula_looking_names_stay_text(reports: dict[str, Path]) -> None:
    for name in REPORT_NAMES[:1] + PUBLIC_NAMES[:1]:
        cells = all_cells(reports["zh"] / name)
        assert not [c for c in cells if c.data_type == "f"]
        formula = [c for c in cells if c.value == FORMULA_NAME]
        assert formula and all(c.data_type == "s" for c in formula)
        assert [c for c in cells if c.value == COMMAND_NAME]
    page = (reports["zh"] / "report.html").read_text("utf-8")
    assert html.escape(FORMULA_NAME) in page and FORMULA_NAME not in page
    assert "<script>" not in page and "&lt;script&gt;" in page  # a warning's text
    assert "<b>陈教练</b>" not in page and "&lt;b&gt;陈教练&lt;/b&gt;" in page  # a staff name


def test_pay_sheet_total_is_the_plans_pay(reports: dict[str, Path], tiny_plan: Plan) -> None:
    ws = load_workbook(reports["en"] / "report.xlsx")[t("report.sheet.pay", "en")]
    header = [c.value for c in next(r for r in ws.iter_rows() if r[0].value == t("report.col.staff_id", "en"))]
    total = next(r for r in ws.iter_rows(values_only=True) if r[1] == t("report.total", "en"))
    pay_col = header.index(t("report.col.pay_term", "en"))
    assert total[pay_col] == pytest.approx(sum(x.pay_term for x in tiny_plan.staff_load))
    assert total[pay_col] > 0


def test_language_defaults_to_the_schools(tiny_school: Scenario, tiny_plan: Plan, tmp_path: Path) -> None:
    school = tiny_school.school.model_copy(update={"language": "en"})
    written = write_reports(tiny_school.model_copy(update={"school": school}), tiny_plan, tmp_path)
    assert [p.name for p in written] == list(REPORT_NAMES)
    assert t("report.sheet.summary", "en") in load_workbook(written[0]).sheetnames
