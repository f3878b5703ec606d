"""The CP-SAT planner: allocation (A), grouping (B), rooms and staff (C)."""

from cluster_planner.solver.allocation import AllocationModel, Limits
from cluster_planner.solver.params import SolveSettings, run_stage
from cluster_planner.solver.prepare import PlanningData, prepare
from cluster_planner.solver.solve import SolveOutcome, solve_scenario

__all__ = [
    "AllocationModel",
    "Limits",
    "PlanningData",
    "SolveOutcome",
    "SolveSettings",
    "prepare",
    "run_stage",
    "solve_scenario",
]
