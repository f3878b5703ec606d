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
    }
)

Reporter = Callable[[str], None]


def gap_of(objective: float, bound: float) -> float:
    """Relative gap between an objective and its bound (0 when equal)."""
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(1.0, abs(objective))


class ProgressPrinter(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution of one stage."""

    def __init__(self, stage: str, report: Reporter, lang: str = "en") -> None:
        super().__init__()
        self._stage = stage
        self._report = report
        self._lang = lang
        self._start = time.monotonic()

    def on_solution_callback(self) -> None:
        objective, bound = self.ObjectiveValue(), self.BestObjectiveBound()
        self._report(
            t(
                "progress.line",
                self._lang,
                stage=self._stage,
                elapsed=time.monotonic() - self._start,
                objective=objective,
                bound=bound,
                gap=gap_of(objective, bound),
            )
        )
