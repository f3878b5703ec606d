"""The CP-SAT planner: allocation (A), grouping (B), rooms and staff (C)."""

from cluster_planner.solver.params import SolveSettings
from cluster_planner.solver.solve import SolveOutcome, solve_scenario

__all__ = ["SolveOutcome", "SolveSettings", "solve_scenario"]
