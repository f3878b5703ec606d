"""Solver progress: objective, bound and gap as the search goes (printed to stderr)."""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from cluster_planner.i18n import register, t

register(
    {
        "progress.line": (
            "[{stage}] {elapsed:6.1f}s 目标 {objective:.0f} 下界 {bound:.0f} 差距 {gap:.2%}",
            "[{stage}] {elapsed:6.1f}s objective {objective:.0f} bound {bound:.0f} gap {gap:.2%}",
        ),
        "progress.stage.explain": ("核对志愿", "checking a choice"),
        "progress.stage.allocation": ("分配学生", "allocation"),
        "progress.stage.greedy": ("贪心方案", "greedy plan"),
        "progress.stage.ties": ("同等志愿的抽签与经济", "lottery and economy among equal welfare"),
        "progress.stage.cover": ("托管覆盖", "care coverage"),
        "progress.stage.rooms": ("安排场地", "rooms"),
        "progress.stage.staff": ("安排教师", "staff"),
        "progress.stage.re_room": ("调整场地", "re-rooming"),
        "progress.stage.re_staff": ("调整人员", "re-staffing"),
        "progress.stage.placement": ("安置学生", "placement"),
    }
)

#: Stage names (plan.json keeps them) → their words, longest first.
STAGE_WORDS = (
    ("A allocation (explain)", "progress.stage.explain"),
    ("A allocation", "progress.stage.allocation"),
    ("A ties", "progress.stage.ties"),
    ("A cover", "progress.stage.cover"),
    ("A greedy", "progress.stage.greedy"),
    ("first plan (greedy)", "progress.stage.greedy"),
    ("C rooms", "progress.stage.rooms"),
    ("C staff", "progress.stage.staff"),
    ("R re-room", "progress.stage.re_room"),
    ("T re-staff", "progress.stage.re_staff"),
    ("P placement", "progress.stage.placement"),
)


def stage_words(name: str, lang: str) -> str:
    """A stage's name in words (``C rooms Mon-1`` → ``安排场地 Mon-1``); an unknown name as it is."""
    for prefix, key in STAGE_WORDS:
        if name.startswith(prefix):
            rest = name[len(prefix) :].strip()
            return f"{t(key, lang)} {rest}".strip()
    return name


Reporter = Callable[[str], None]


def gap_of(objective: float, bound: float) -> float:
    """Relative gap between an objective and its bound (0 when equal)."""
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(1.0, abs(objective))


class ProgressPrinter(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution of one stage; optionally stops the search once the gap is
    within what the stage's level allows (``allowance``: evaluated on each solution)."""

    def __init__(
        self,
        stage: str,
        report: Reporter | None,
        lang: str = "en",
        allowance: Callable[[Callable[[cp_model.LinearExprT], float]], float] | None = None,
    ) -> None:
        super().__init__()
        self._stage = stage
        self._report = report
        self._lang = lang
        self._start = time.monotonic()
        self._allowance = allowance
        self._objective: float | None = None
        self._allowed = -1.0
        self.stopped_within = False  # the search was stopped because the allowance was met

    def on_solution_callback(self) -> None:
        objective, bound = self.ObjectiveValue(), self.BestObjectiveBound()
        self._objective = objective
        if self._allowance is not None:
            self._allowed = self._allowance(self.Value)
        if self._report is not None:
            self._report(
                t(
                    "progress.line",
                    self._lang,
                    stage=stage_words(self._stage, self._lang),
                    elapsed=time.monotonic() - self._start,
                    objective=objective,
                    bound=bound,
                    gap=gap_of(objective, bound),
                )
            )
        self.check(bound)

    def check(self, bound: float) -> None:
        """Stop when the best objective is within the allowance of ``bound``."""
        if self._objective is not None and self._allowed >= 0 and self._objective - bound <= self._allowed:
            self.stopped_within = True
            self.StopSearch()
