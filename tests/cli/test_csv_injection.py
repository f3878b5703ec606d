"""Issue 14 item 4: no live formula in a CSV people open; plans still read back unchanged."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from scenario_files import tiny_tables, write_folder

import cluster_planner as cp
from cluster_planner.cli import main
from cluster_planner.district.report import write_district_report
from cluster_planner.district.school_task import Outcome, SchoolResult
from cluster_planner.io.csv_cells import TRIGGERS, escape, unescape

LINK = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (LINK, "'" + LINK),  # a formula
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),  # DDE through a plus
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),  # digits first, letters after
        ("@SUM(1+1)", "'@SUM(1+1)"),  # an at sign
        ("\t=1+1", "'\t=1+1"),  # a tab
        ("\r=1+1", "'\r=1+1"),  # a carriage return
        ("-", "'-"),  # a dash alone is no number
        ("'=1+1", "''=1+1"),  # an apostrophe already there: one more, so reading gives it back
        ("-3", "-3"),  # a number
        ("-0.5", "-0.5"),  # a decimal
        ("+86 138 0013 8000", "+86 138 0013 8000"),  # a phone number
        ("+86-(10)-6552-9988", "+86-(10)-6552-9988"),  # a phone number with brackets
        ("'quoted'", "'quoted'"),  # an apostrophe before plain text
        ("张三", "张三"),  # a name
        ("", ""),  # blank
    ],
)
def test_issue14_cells_starting_like_a_formula_get_an_apostrophe(cell: str, written: str) -> None:
    assert escape(cell) == written
    assert unescape(escape(cell)) == cell


def _run(*args: str | Path) -> int:
    with pytest.raises(SystemExit) as info:
        main([str(a) for a in args])
    return int(info.value.code or 0)


def test_issue14_a_student_named_like_a_formula_is_escaped_on_disk_and_read_back(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["students"][1]["name"] = LINK  # S2
    scenario = write_folder(tmp_path / "tiny", tables)
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    assert _run("solve", scenario, "--out", v1, "--no-report", "--quiet") == 0
    changes = tmp_path / "changes.csv"
    with changes.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["change_id", "date", "action", "id", "name", "class_id"])
        writer.writerow(["X1", "2026-10-12", "join", "N1", "@SUM(A1)", "C1"])
        writer.writerow(["X2", "2026-10-12", "exit", "S2", "", ""])
    assert _run("resolve", v1, "--changes", changes, "--out", v2, "--no-report") == 0

    raw = (v2 / "moves.csv").read_text("utf-8-sig")
    assert "'=HYPERLINK(" in raw and "'@SUM(A1)" in raw  # text in a spreadsheet, not a formula
    names = {m.id: m.name for m in cp.load_plan(v2).moves}
    assert names["S2"] == LINK and names["N1"] == "@SUM(A1)"  # the product reads back what it meant
    assert _run("check", v2 / "scenario", v2) == 0  # so does the independent checker
    snapshot = (v2 / "scenario" / "students.csv").read_text("utf-8-sig")
    assert '"=HYPERLINK(""http://x"",""y"")"' in snapshot and "'=HYPERLINK" not in snapshot  # input as given


def test_issue14_the_district_csv_has_no_live_formula(tmp_path: Path) -> None:
    rows = [
        SchoolResult("=s1", Outcome.PLANNED, name=LINK, approved=3),
        SchoolResult("-s2", Outcome.BAD_INPUT, problems=(("@x", "@x"),)),
    ]
    write_district_report(rows, tmp_path, "en")
    with (tmp_path / "district.csv").open(encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert {"'=s1", "'" + LINK, "'-s2", "'@x"} <= set(cells)
    assert not [c for c in cells if c.startswith(TRIGGERS) and escape(c) != c]  # only numbers start so
