"""变动通知: a re-solved plan's moves become a sheet and a section listing whom to notify (D2, D1)."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from report_tiny import parent, phone

from cluster_planner.domain import Scenario
from cluster_planner.i18n import t
from cluster_planner.plan import Move, Plan
from cluster_planner.report import PUBLIC_NAMES, REPORT_NAMES, tables, write_reports

MOVES = (
    Move(
        "T03", "赵老师", "", "GO-1 围棋 周一", "GO-1 围棋 周一（王老师代）", "", kind="staff", reason_code="restaffed"
    ),
    Move("S05", "", "4-1", "GO-1 围棋", "FB-1 足球", "调到第一志愿", reason_code="upgraded"),
    Move("S01", "学生1", "3-1", "GO-1 围棋", "", "", reason_code="left"),
)


def col(key: str, lang: str = "zh") -> str:
    return t(f"report.col.{key}", lang)


@pytest.fixture(scope="module")
def moved_plan(tiny_plan: Plan) -> Plan:
    """The tiny plan as a re-solve left it: a student upgraded, one left, an adult replaced."""
    return replace(tiny_plan, moves=MOVES)


@pytest.fixture(scope="module")
def moved_reports(tiny_school: Scenario, moved_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The moved plan's reports in Chinese, with the public pair."""
    folder = tmp_path_factory.mktemp("moved")
    write_reports(tiny_school, moved_plan, folder, lang="zh", public=True)
    return folder


def test_moves_table_lists_families_first_with_parent_and_phone(tiny_school: Scenario, moved_plan: Plan) -> None:
    df = tables.moves(tiny_school, moved_plan, "zh")
    assert list(df.columns) == [
        col(k) for k in ("who", "id", "name", "class", "parent", "phone", "before", "after")
    ] + [col("reason")]
    assert list(df[col("id")]) == ["S01", "S05", "T03"]  # families (by class) first, then staff
    s05 = df[df[col("id")] == "S05"].iloc[0]
    # name, parent and phone come from students.csv when the move row has none
    assert (s05[col("name")], s05[col("class")]) == ("学生5", "四(1)班")
    assert (s05[col("parent")], s05[col("phone")]) == (parent(5), phone(5))
    assert (s05[col("before")], s05[col("after")], s05[col("reason")]) == ("GO-1 围棋", "FB-1 足球", "调到第一志愿")
    staff = df[df[col("id")] == "T03"].iloc[0]
    assert staff[col("who")] == "教职工" and staff[col("phone")] == "" and staff[col("parent")] == ""
    assert staff[col("reason")] == "更换教师"  # no text in the plan: the reason code in words


def test_public_moves_mask_phones_and_drop_parent_names(tiny_school: Scenario, moved_plan: Plan) -> None:
    df = tables.moves(tiny_school, moved_plan, "en", public=True)
    assert col("parent", "en") not in df.columns
    assert set(df[col("phone", "en")]) == {"138****0001", "138****0005", ""}
    assert df[df[col("id", "en")] == "S01"].iloc[0][col("reason", "en")] == "left"


def test_no_moves_no_sheet_and_no_section(reports: dict[str, Path]) -> None:
    for lang in ("zh", "en"):
        assert t("report.sheet.moves", lang) not in load_workbook(reports[lang] / "report.xlsx").sheetnames
        assert t("report.sheet.moves", lang) not in (reports[lang] / "report.html").read_text("utf-8")


def test_workbook_has_the_changes_sheet_after_the_summary(moved_reports: Path) -> None:
    wb = load_workbook(moved_reports / "report.xlsx")
    assert wb.sheetnames[:2] == [t("report.sheet.summary", "zh"), t("report.sheet.moves", "zh")]
    rows = list(wb[t("report.sheet.moves", "zh")].iter_rows(values_only=True))
    assert rows[0][0] == "变动通知"
    header = rows[1]
    assert header[:3] == (col("who"), col("id"), col("name"))
    body = {r[1]: r for r in rows[2:] if r[1]}
    assert set(body) == {"S01", "S05", "T03"}
    assert body["S05"][header.index(col("phone"))] == phone(5)
    page = (moved_reports / "report.html").read_text("utf-8")
    assert 'id="moves"' in page and "调到第一志愿" in page and phone(5) in page


def test_public_changes_hold_no_parent_name_or_full_phone(moved_reports: Path) -> None:
    wb = load_workbook(moved_reports / PUBLIC_NAMES[0])
    sheet = wb[t("report.sheet.moves", "zh")]
    texts = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "138****0005" in texts and "调到第一志愿" in texts
    with zipfile.ZipFile(moved_reports / PUBLIC_NAMES[0]) as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    page = (moved_reports / PUBLIC_NAMES[1]).read_text("utf-8")
    for k in range(1, 9):
        assert phone(k) not in xml and phone(k) not in page
        assert parent(k) not in xml and parent(k) not in page
    assert 'id="moves"' in page and "138****0005" in page
    assert phone(5) in (moved_reports / REPORT_NAMES[1]).read_text("utf-8")  # the office's copy keeps it
