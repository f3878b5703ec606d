"""Unplaced students: ``solve`` prints the pre-checks first and the plan's warnings carry the explanation."""

from __future__ import annotations

import json

import explain_cases as cases
from click.testing import CliRunner

from cluster_planner.check import check_plan
from cluster_planner.cli import cli
from cluster_planner.explain.suggest import suggest_fixes
from cluster_planner.io.scenario_writer import write_scenario_folder


def _solve_cli(tmp_path, build, name: str):
    scenario = build()
    write_scenario_folder(scenario, tmp_path / name)
    out = tmp_path / f"{name}-plan"
    args = ["solve", str(tmp_path / name), "--out", str(out), "--lang", "en", "--no-report", "--quiet"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return scenario, out, result.output


def test_solve_with_unplaced_students_explains_them_in_the_plan(tmp_path):
    scenario, out, output = _solve_cli(tmp_path, cases.priority_student_unplaced, "prio")
    assert check_plan(scenario, out) == []
    assert (out / "unplaced.csv").read_text(encoding="utf-8-sig").count("\n") > 1
    warnings = json.loads((out / "plan.json").read_text(encoding="utf-8"))["warnings"]
    (conflict,) = [w for w in warnings if w.startswith("why students are unplaced")]
    for cause in ("holds at most 45 students", "R01", "46 priority students"):
        assert cause in conflict
    assert any(w.startswith("pre-check: Mon-1") for w in warnings)
    assert "why students are unplaced" in output


def test_solve_prints_prechecks_before_the_plan(tmp_path):
    scenario, out, output = _solve_cli(tmp_path, cases.duty_nobody_may_hold, "duty")
    assert {v.code for v in check_plan(scenario, out)} == {"duty_count"}  # the known cause, nothing else
    precheck = output.index("duty posts (gate) need 1 security")
    assert precheck < output.index("Plan for")
    warnings = json.loads((out / "plan.json").read_text(encoding="utf-8"))["warnings"]
    assert not any(w.startswith("why students are unplaced") for w in warnings)  # every student placed


def test_one_warning_for_an_activity_nobody_cleared_can_lead(tmp_path):
    """Validation's "no cleared adult has skill football" gives way to the pre-check naming E01."""
    write_scenario_folder(cases.no_cleared_football_coach(), tmp_path / "s")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "s"), "--lang", "en"])
    football = [line for line in result.output.splitlines() if "football" in line and "warning" in line]
    assert len(football) == 1 and "E01" in football[0], result.output


def test_suggestion_says_what_the_coach_gains():
    """One coach short: the hire lets 25 more students (a second group of 25) have their first choice."""
    s = suggest_fixes(cases.one_coach_short(), seconds=30)
    (gain,) = s.priority.gains
    assert gain is not None and (gain.choice, gain.first) == (25, 25)
    assert "gives up to 25 more students one of their choices (25 their first)" in "\n".join(s.lines("en"))
    assert "可多让 25 名学生获得志愿" in "\n".join(s.lines("zh"))
