"""Solver settings shared by the stages: reproducible by default (S6)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from cluster_planner.budget import Budget
from cluster_planner.solver.progress import ProgressPrinter, Reporter


@dataclass(frozen=True)
class SolveSettings:
    """How long and how hard to search.

    ``deterministic_limit`` is CP-SAT's deterministic time per stage: a run that stops on it
    (or on optimality) is reproducible. ``time_limit`` is the wall-clock safety stop of the
    whole solve; a plan cut by it is marked not reproducible.
    """

    time_limit: float = 120.0
    deterministic_limit: float = 30.0
    relative_gap: float = 0.005
    workers: int = 1
    seed: int = 0
    lang: str = "en"
    report: Reporter | None = None
    budget: Budget | None = field(default=None, compare=False)

    def left(self, wall_left: float) -> float:
        """Seconds a stage may run: its own share, never past the command's deadline."""
        return wall_left if self.budget is None else min(wall_left, self.budget.left())


@dataclass
class StageResult:
    """What one CP-SAT stage ended with."""

    name: str
    status: str
    objective: float | None
    bound: float | None
    seconds: float
    hit_wall_clock: bool
    num_variables: int = 0
    num_constraints: int = 0


def run_stage(
    name: str,
    model: cp_model.CpModel,
    settings: SolveSettings,
    wall_left: float,
    deterministic_limit: float | None = None,
    relative_gap: float = 0.0,
    linearization: int = 2,
    probing: int | None = None,
    allowance: Callable[[Callable[[cp_model.LinearExprT], float]], float] | None = None,
    at_least: float = 0.0,
    presolve_iterations: int | None = None,
    sat_inprocessing: bool = True,
    hint_search: bool = True,
) -> tuple[cp_model.CpSolver, StageResult]:
    """Solve one stage model with reproducible parameters and report progress.

    ``at_least``: wall seconds the stage gets even when the command's deadline has passed (a
    small stage the plan's validity depends on; a cancel still stops it).

    ``allowance`` (evaluated on each solution) is the absolute gap at which the stage's levels are
    proved and the search may stop; the stage then reports OPTIMAL with the gap it stopped at.
    """
    solver = cp_model.CpSolver()
    if settings.budget is not None and settings.budget.cancelled():  # cancelled: no stage starts
        proto = model.proto
        return solver, StageResult(name, "UNKNOWN", None, None, 0.0, True, len(proto.variables), len(proto.constraints))
    p = solver.parameters
    p.random_seed = settings.seed
    p.num_workers = max(1, settings.workers)
    p.linearization_level = linearization  # measured: level 2 closes stage A and C gaps in seconds (vs minutes)
    if threading.current_thread() is not threading.main_thread():  # under run_cancellable Ctrl-C is Python's
        p.catch_sigint_signal = False  # and Budget.cancel stops the search (CP-SAT's own handler would swallow it)
    if probing is not None:
        p.cp_model_probing_level = probing
    if presolve_iterations is not None:
        p.max_presolve_iterations = presolve_iterations
    p.use_sat_inprocessing = sat_inprocessing
    if not hint_search:  # the hint is a complete plan, kept as the first solution: no dive along it
        p.hint_conflict_limit = 0
    if p.num_workers > 1:
        p.interleave_search = True  # deterministic for a given number of workers
    p.max_deterministic_time = deterministic_limit or settings.deterministic_limit
    p.max_time_in_seconds = max(0.01, at_least, settings.left(wall_left))
    p.relative_gap_limit = relative_gap
    # Hints are complete feasible plans (greedy starts), so no ``repair_hint``: with it, CP-SAT
    # 9.15 aborted the process ("Check failed: heuristics.fixed_search") when a hinted stage got
    # under a second (nine-year-3000, --time-limit 8).
    callback = (
        ProgressPrinter(name, settings.report, settings.lang, allowance) if settings.report or allowance else None
    )
    if callback is not None and allowance is not None:
        solver.best_bound_callback = callback.check
    if settings.budget is not None:
        with settings.budget.running(solver):
            status = solver.solve(model, callback) if callback else solver.solve(model)
    else:
        status = solver.solve(model, callback) if callback else solver.solve(model)
    proto = model.proto
    has_solution = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    objective = solver.objective_value if has_solution and model.has_objective() else None
    bound = solver.best_objective_bound if has_solution and model.has_objective() else None
    seconds = solver.wall_time
    hit = (
        status != cp_model.OPTIMAL
        and not (callback is not None and callback.stopped_within)
        and seconds >= p.max_time_in_seconds * 0.98
        and solver.deterministic_time < (p.max_deterministic_time * 0.98)
    )
    return solver, StageResult(
        name=name,
        status="OPTIMAL"
        if callback is not None and callback.stopped_within and has_solution
        else solver.status_name(status),
        objective=objective,
        bound=bound,
        seconds=seconds,
        hit_wall_clock=hit,
        num_variables=len(proto.variables),
        num_constraints=len(proto.constraints),
    )
