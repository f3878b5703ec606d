"""A plan's tables and the API round trip (issues #4 item 4, #7 and #12 item 5): one implementation, report.tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from api_solve import DEMO

import cluster_planner as cp
from cluster_planner.api import REPORT_TABLES
from cluster_planner.check import check_plan
from cluster_planner.domain import Scenario
from cluster_planner.errors import UsageError
from cluster_planner.i18n import t
from cluster_planner.plan import Plan
from cluster_planner.report import tables

matplotlib.use("Agg")


def same(a: object, b: object) -> bool:
    """Equal tables, or equal ``{id: table}`` blocks, attrs included."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    assert isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)
    return a.equals(b) and list(a.columns) == list(b.columns) and a.attrs == b.attrs


def test_solve_attaches_the_scenario(demo: Scenario, demo_plan: Plan) -> None:
    assert demo_plan.scenario is demo
    assert demo_plan.meta.scenario_hash == demo.content_hash()


@pytest.mark.parametrize("name", REPORT_TABLES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_tables_are_the_report_tables(demo: Scenario, demo_plan: Plan, name: str, lang: str) -> None:
    assert same(cp.table(demo_plan, name, lang), getattr(tables, name)(demo, demo_plan, lang))


def test_named_accessors_match_report_tables(demo: Scenario, demo_plan: Plan) -> None:
    p = demo_plan
    assert same(cp.summary(p), tables.summary(demo, p))  # default: the school's language
    assert cp.summary(p).columns[0] == t("report.col.item", "zh")
    assert same(cp.summary(p, "en"), tables.summary(demo, p, "en"))
    assert same(cp.choices_by_grade(p), tables.choices_by_grade(demo, p))
    assert same(cp.satisfaction(p), tables.satisfaction(demo, p))
    assert same(cp.timetable(p), tables.timetable(demo, p))
    assert same(cp.pay(p), tables.pay(demo, p))
    assert same(cp.rosters(p, public=True), tables.rosters(demo, p, public=True))
    assert same(cp.staff_timetables(p), tables.staff_timetables(demo, p))
    assert same(cp.room_timetables(p), tables.room_timetables(demo, p))
    group = p.groups[0].group_id
    adult = p.staff_load[0].staff_id
    room = p.groups[0].room_id
    assert same(cp.roster(p, group), tables.rosters(demo, p)[group])
    assert same(cp.staff_timetable(p, adult), tables.staff_timetables(demo, p)[adult])
    assert same(cp.room_timetable(p, room), tables.room_timetables(demo, p)[room])


def test_plan_frames_are_its_rows(demo_plan: Plan) -> None:
    assignments = demo_plan.frame("assignments")
    assert len(assignments) == len(demo_plan.assignments)
    assert set(assignments["student_id"]) <= {s.student_id for s in demo_plan.scenario.approved_students}
    assert (
        demo_plan.frame("groups")["group_id"].nunique()
        == cp.summary(demo_plan, "en").set_index(t("report.col.item", "en")).loc[t("report.sum.groups", "en")].iloc[0]
    )


def test_unknown_names_and_ids_say_what_exists(demo_plan: Plan) -> None:
    with pytest.raises(UsageError, match="summary"):
        cp.table(demo_plan, "nonsense")
    with pytest.raises(UsageError, match="NOBODY"):
        cp.staff_timetable(demo_plan, "NOBODY")


def test_save_then_load_plan_round_trips(demo: Scenario, demo_plan: Plan, demo_folder: Path) -> None:
    again = cp.load_plan(demo_folder)
    assert again == demo_plan
    assert again.scenario is not None and again.scenario.canonical_json() == demo.canonical_json()
    assert same(cp.summary(again), cp.summary(demo_plan))
    assert (demo_folder / "report.xlsx").exists() and (demo_folder / "report.html").exists()
    assert not check_plan(again.scenario, demo_folder)
    plan, scenario = cp.load_plan_folder(demo_folder)
    assert plan == demo_plan and plan.scenario == scenario


def test_save_again_and_a_plan_without_snapshot(demo: Scenario, demo_plan: Plan, tmp_path: Path) -> None:
    folder = cp.save(demo_plan, tmp_path / "saved", reports=False)
    assert not (folder / "report.xlsx").exists()
    assert cp.load_plan(folder) == demo_plan
    shutil.rmtree(folder / "scenario")  # a plan folder made by hand or by another tool
    bare = cp.load_plan(folder)
    assert bare == demo_plan and bare.scenario is None
    with pytest.raises(UsageError, match="no scenario attached"):
        cp.summary(bare)
    assert same(cp.summary(cp.load_plan(folder, scenario=demo)), cp.summary(demo_plan))


def test_validate_lists_findings(tmp_path: Path) -> None:
    assert cp.validate(DEMO).query("severity == 'error'").empty
    broken = tmp_path / "broken"
    shutil.copytree(DEMO, broken)
    students = broken / "students.csv"
    students.write_text(students.read_text("utf-8-sig").replace(",101,", ",999,", 1), "utf-8-sig")
    findings = cp.validate(broken, lang="en")
    errors = findings[findings["severity"] == "error"]
    assert (errors["value"] == "999").any()
    assert errors["message"].str.contains("no such class").any()


def test_show_versions_names_the_libraries(capsys: pytest.CaptureFixture[str]) -> None:
    cp.show_versions()
    out = capsys.readouterr().out
    lines = {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines())}
    assert lines["cluster-planner"] == cp.__version__
    for name in ("python", "ortools", "pandas", "matplotlib"):
        assert name in out


def test_plots_draw_the_report_figures(demo_plan: Plan) -> None:
    grades = cp.choices_by_grade(demo_plan, "en")
    ax = cp.plot.choices_by_grade(demo_plan, lang="en")
    assert sum(b.get_height() for b in ax.patches) == pytest.approx(grades.iloc[:-1, 1].sum())
    ax = cp.plot.group_sizes(demo_plan, lang="en")
    assert len(ax.patches) == len({g.group_id for g in demo_plan.groups})
    ax = cp.plot.staff_load(demo_plan, lang="en")
    assert sum(b.get_height() for b in ax.patches) == pytest.approx(sum(x.periods_week for x in demo_plan.staff_load))
    adult = demo_plan.staff_load[0].staff_id
    grid = cp.staff_timetable(demo_plan, adult, "en")
    ax = cp.plot.timetable(demo_plan, staff_id=adult, lang="en")
    assert len(ax.patches) == len(grid) * (len(grid.columns) - 1)  # one box per clock row and day
    ax = cp.plot.timetable(demo_plan, lang="en")
    written = "\n".join(text.get_text() for text in ax.texts)
    assert written.count("\n") + 1 == len(demo_plan.groups)  # one line per group meeting
    matplotlib.pyplot.close("all")
