"""``--student``: a true account of why a student who got choice 2 did not get choice 1."""

from __future__ import annotations

from click.testing import CliRunner

from cluster_planner.budget import Budget
from cluster_planner.cli import cli
from cluster_planner.explain.student import account_of
from cluster_planner.io.loader import load_scenario
from cluster_planner.plan.figures import choices_granted

FULL = {
    "student.why.priority",
    "student.why.no_choice",
    "student.why.ranks",
    "student.why.groups",
    "student.why.lottery",
}


def test_account_of_a_student_with_choice_two(solve_to):
    scenario = load_scenario("scenarios/demo-small")
    plan, folder = solve_to(scenario, seed=1)
    best = choices_granted(scenario, plan.assignments)
    second = sorted(s for s, rank in best.items() if rank == 2)
    assert second
    opened = {g.activity_id for g in plan.groups}
    for sid in second[:2]:
        account = account_of(plan, scenario, sid)
        student = scenario.student_by_id[sid]
        first = dict(student.choices)[1]
        assert account.granted is not None and account.granted[0] == 2
        (reason,) = account.reasons
        assert reason.rank == 1 and first in reason.activity
        if reason.code == "student.why.below_min":
            assert first not in opened  # it truly did not open
        elif reason.code in FULL:
            assert first in opened  # it opened, and every place in it went to someone else
            members = {a.student_id for a in plan.assignments if a.activity_id == first}
            assert sid not in members
        else:
            raise AssertionError(reason)
    # Issue 14 item 3: with the command's time used up, a choice that takes a re-solve says so
    # instead of claiming a cause (and the re-solve is not run at all).
    late = account_of(plan, scenario, second[0], Budget(0))
    (reason,) = late.reasons
    if reason.code != "student.why.below_min":  # that one needs no re-solve
        assert reason.code == "student.why.stopped"
        assert "no answer within the time limit" in "\n".join(late.lines("en"))
    result = CliRunner().invoke(cli, ["explain", str(folder), "--student", second[0], "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "got choice 2" in result.output and "choice 1" in result.output
    result = CliRunner().invoke(cli, ["explain", str(folder), "--student", second[0], "--lang", "zh"])
    assert "获得第 2 志愿" in result.output and "第 1 志愿" in result.output
