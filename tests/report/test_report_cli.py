"""``cluster-planner report [SCENARIO] PLAN_DIR`` and reports of a solved plan."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook
from report_reading import roster_blocks

from cluster_planner.check import check_plan
from cluster_planner.cli import main
from cluster_planner.domain import Scenario
from cluster_planner.i18n import t
from cluster_planner.io.scenario_writer import write_scenario_folder
from cluster_planner.plan import Plan
from cluster_planner.plan.io import save_plan
from cluster_planner.report import PUBLIC_NAMES, REPORT_NAMES, write_reports
from cluster_planner.report import xlsx as report_xlsx


def run(*argv: str) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    return int(exit_info.value.code or 0)


@pytest.fixture
def plan_dir(tiny_school: Scenario, tiny_plan: Plan, tmp_path: Path) -> Path:
    """A plan folder with its scenario snapshot and no reports yet."""
    return save_plan(tiny_plan, tmp_path / "plan", (lambda tmp: write_scenario_folder(tiny_school, tmp / "scenario"),))


def test_report_from_the_snapshot(plan_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("report", str(plan_dir)) == 0
    assert all((plan_dir / name).exists() for name in REPORT_NAMES)
    assert not any((plan_dir / name).exists() for name in PUBLIC_NAMES)
    assert "report.xlsx" in capsys.readouterr().out


def test_report_with_a_scenario_language_and_public(plan_dir: Path) -> None:
    assert run("report", str(plan_dir / "scenario"), str(plan_dir), "--lang", "en", "--public") == 0
    assert all((plan_dir / name).exists() for name in REPORT_NAMES + PUBLIC_NAMES)
    assert t("report.sheet.rosters", "en") in load_workbook(plan_dir / "report.xlsx").sheetnames
    assert run("report", "-", str(plan_dir)) == 0


@pytest.mark.parametrize(
    "argv",
    [
        ("a", "b", "c"),  # too many paths
        ("{missing}",),  # not a plan folder
    ],
)
def test_bad_arguments_exit_2(argv: tuple[str, ...], tmp_path: Path) -> None:
    assert run("report", *(a.format(missing=tmp_path / "none") for a in argv)) == 2


def test_many_groups_share_one_attendance_sheet(
    tiny_school: Scenario, tiny_plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_xlsx, "MAX_ATTENDANCE_SHEETS", 2)
    path = report_xlsx.write_xlsx(report_xlsx.ReportTables.build(tiny_school, tiny_plan, "zh"), tmp_path / "r.xlsx")
    names = load_workbook(path).sheetnames
    assert [n for n in names if n.startswith(t("report.sheet.attendance", "zh"))] == ["考勤表"]


def test_reports_of_a_solved_plan(tmp_path: Path) -> None:
    """The solver's own plan (when the solver is available) reports without error."""
    from builders import care_activity, classrooms, scenario, school, slots, students_of, teachers

    solver = pytest.importorskip("cluster_planner.solver")
    from cluster_planner.domain import Activity, HomeClass

    sc = scenario(
        school=school(),
        timeslots=slots(days=("Mon", "Tue")),
        classes=[HomeClass(class_id="3-1", grade=3), HomeClass(class_id="4-1", grade=4)],
        students=students_of("3-1", 12, choice1="GO") + students_of("4-1", 9, choice1="GO"),
        activities=[care_activity(), Activity(activity_id="GO", name="围棋", grades="3-6", max_size=15)],
        staff=teachers(4, skills="care chinese math go"),
        rooms=classrooms(3),
    )
    settings = solver.SolveSettings(time_limit=60, deterministic_limit=20, workers=1, seed=0)
    plan = solver.solve_scenario(sc, settings).plan
    folder = save_plan(plan, tmp_path / "plan")
    assert not check_plan(sc, folder)  # the independent checker accepts the plan
    written = write_reports(sc, plan, folder, public=True)
    assert [p.name for p in written] == list(REPORT_NAMES + PUBLIC_NAMES)
    members: dict[str, set[str]] = defaultdict(set)
    with (folder / "assignments.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            members[row["group_id"]].add(row["student_id"])
    rosters = load_workbook(written[0])[t("report.sheet.rosters", "zh")]
    blocks = roster_blocks(rosters, set(members))
    assert {gid: sorted(ids) for gid, ids in blocks.items()} == {gid: sorted(ids) for gid, ids in members.items()}
