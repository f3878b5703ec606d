"""cluster-planner: term planning of a school's after-school service (课后服务).

>>> import cluster_planner as cp
>>> plan = cp.solve(cp.load("scenarios/demo-small"))   # doctest: +SKIP
>>> cp.summary(plan)                                    # doctest: +SKIP
>>> cp.compare({"now": plan, "cap 50": cp.solve(cp.with_rules(plan.scenario, group_cap=50))})  # doctest: +SKIP

The API functions are imported on first use, so commands that do not solve (``validate``,
``check``, ``template``) start without loading OR-Tools.
"""

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = ("load", "load_plan", "load_plan_folder", "resolve", "save", "solve", "validate")
_TABLES = (
    "table",
    "summary",
    "choices_by_grade",
    "satisfaction",
    "timetable",
    "pay",
    "rosters",
    "roster",
    "staff_timetables",
    "staff_timetable",
    "room_timetables",
    "room_timetable",
)
_PUBLISH = ("menu", "notices", "comply", "staff_record", "money", "lottery")
_EDITS = ("with_rules", "with_money", "with_pay", "add_staff", "remove_staff", "with_activity", "scale_demand")
_LAZY: dict[str, str] = {
    **dict.fromkeys(_API, "api"),
    **dict.fromkeys(_TABLES, "api"),
    **dict.fromkeys(_EDITS, "edits"),
    **dict.fromkeys(_PUBLISH, "publish"),
    "compare": "comparison",
    "show_versions": "versions",
}

__all__ = ["__version__", "plot", *_API, *_TABLES, *_EDITS, *_PUBLISH, "compare", "show_versions"]


def __getattr__(name: str) -> Any:
    if name == "plot":
        return import_module("cluster_planner.plot")
    if name in _LAZY:
        return getattr(import_module(f"cluster_planner.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'cluster_planner' has no attribute {name!r}")
