"""Mid-term re-solving (issue #5): joins, exits, changes, leave and closures with least disturbance.

>>> res = resolve_plan("out/term1", "changes.csv", out="out/term1-v2")   # doctest: +SKIP
>>> res.plan.frame("moves")                                              # doctest: +SKIP
"""

from cluster_planner.midterm.changes import Absences, absences, apply_changes, read_changes, triage
from cluster_planner.midterm.history import Version, chain
from cluster_planner.midterm.moves import diff_plans
from cluster_planner.midterm.resolve import Resolution, resolve_plan

__all__ = [
    "Absences",
    "Resolution",
    "Version",
    "absences",
    "apply_changes",
    "chain",
    "diff_plans",
    "read_changes",
    "resolve_plan",
    "triage",
]
