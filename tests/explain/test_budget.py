"""Issue 14 item 3: one deadline and one cancel for the whole explain command, tested with the
deadline and a cancel signal, never with timings.

Past the deadline explain answers with what it knows (a true conflict, said not to be minimal;
or "undecided", exit 4); cancelled, it raises :class:`Cancelled` and answers nothing.
"""

from __future__ import annotations

import threading
import time

import explain_cases as cases
import pytest
from ortools.sat.python import cp_model

from cluster_planner.budget import Budget, Cancelled, run_cancellable
from cluster_planner.cli import main
from cluster_planner.explain import find_conflict
from cluster_planner.explain.answer import Answer, explain_scenario
from cluster_planner.explain.instances import Family
from cluster_planner.explain.model import FeasibilityModel
from cluster_planner.io.loader import load_scenario
from cluster_planner.io.scenario_writer import write_scenario_folder

F = Family
FOOTBALL_CAUSE = {(F.LOCK, "FOOT"), (F.QUALIFIED, "FOOT"), (F.CLEARED, "E01")}


class DeadlineAfterSolves(Budget):
    """A budget whose deadline passes as its ``n``-th solve ends (no clock involved)."""

    def __init__(self, n: int) -> None:
        super().__init__(None)
        self.solves_left = n

    def running(self, solver):
        self.solves_left -= 1
        if self.solves_left == 0:
            self.deadline = time.monotonic()  # the solve already has its limit; later ones find none left
        return super().running(solver)


class CancelledWhileSolving(Budget):
    """A budget cancelled by a timer thread once its first solve has started (as Ctrl-C does)."""

    def __init__(self) -> None:
        super().__init__(600)
        self.timer: threading.Timer | None = None

    def running(self, solver):
        if self.timer is None:
            self.timer = threading.Timer(0.05, self.cancel)
            self.timer.start()
        return super().running(solver)


def test_expired_budget_answers_undecided_at_once():
    answer = explain_scenario(cases.no_cleared_football_coach(), Budget(0))
    assert answer.undecided and answer.conflict is None
    assert answer.exit_code == 4  # FORMAT.md: the time limit passed before an answer


def test_cli_with_no_time_prints_the_prechecks_and_exits_4(tmp_path, capsys):
    folder = write_scenario_folder(cases.no_cleared_football_coach(), tmp_path / "s")
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", str(folder), "--lang", "en", "--time-limit", "0"])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 4, out + err
    assert "pre-checks:" in out and "E01" in out  # what is known without solving
    assert "feasibility could not be decided in time; allow more --time-limit" in err


def test_deadline_mid_search_gives_a_true_conflict_said_not_minimal():
    scenario = cases.no_cleared_football_coach()
    conflict = find_conflict(scenario, DeadlineAfterSolves(2))  # decided infeasible, core found, then out of time
    assert conflict is not None and conflict.stopped and not conflict.minimal
    named = {(r.family, r.subject) for r in conflict.rules}
    assert named >= FOOTBALL_CAUSE
    fm = FeasibilityModel(scenario)  # the rules named truly cannot hold together
    fm.model.add_assumptions([fm.literal[r] for r in conflict.rules])
    assert cp_model.CpSolver().solve(fm.model) == cp_model.INFEASIBLE
    answer = Answer(conflict=conflict)
    assert answer.exit_code == 3
    en = "\n".join(text for text, _ in answer.lines("en"))
    assert "stopped at the time limit; the conflict above may not be minimal" in en
    assert "drop any one" not in en  # the minimal set's heading is not claimed
    assert "已到时间限制而停止" in "\n".join(text for text, _ in answer.lines("zh"))


def test_enough_time_gives_the_minimal_conflict():
    conflict = find_conflict(cases.no_cleared_football_coach(), DeadlineAfterSolves(10_000))
    assert conflict is not None and conflict.minimal and not conflict.stopped
    assert {(r.family, r.subject) for r in conflict.rules} == FOOTBALL_CAUSE


def test_cancel_from_another_thread_raises_cancelled_and_answers_nothing():
    scenario = load_scenario("scenarios/demo-small")
    budget = CancelledWhileSolving()
    answers: list[Answer] = []
    with pytest.raises(Cancelled):
        answers.append(run_cancellable(lambda: explain_scenario(scenario, budget, suggest=True), budget))
    assert budget.cancelled() and answers == []
    with pytest.raises(Cancelled):  # the library call alone, too
        explain_scenario(scenario, CancelledWhileSolving(), suggest=True)


def test_the_solve_ends_in_time_to_write_the_plan():
    """A command keeps part of its --time-limit for writing: more with the reports, more for more
    students, never more than half; held back, the deadline comes that much earlier."""
    from cluster_planner.budget import writing_reserve

    assert writing_reserve(120, 3000, True) > writing_reserve(120, 3000, False) > writing_reserve(120, 300, False)
    assert writing_reserve(10, 3000, True) == 5.0
    budget = Budget(100)
    budget.hold_back(15.5)
    assert 84.0 < budget.left() <= 84.5
    unlimited = Budget()
    unlimited.hold_back(5)
    assert unlimited.left() == 1e9
