"""cluster-planner: term planning of a school's after-school service (课后服务).

>>> import cluster_planner as cp
>>> plan = cp.solve(cp.load("scenarios/demo-small"))   # doctest: +SKIP

The API functions are imported on first use, so commands that do not solve (``validate``,
``check``, ``template``) start without loading OR-Tools.
"""

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "load", "load_plan_folder", "save", "solve"]


def __getattr__(name: str) -> Any:
    if name in ("load", "load_plan_folder", "save", "solve"):
        from cluster_planner import api

        return getattr(api, name)
    raise AttributeError(f"module 'cluster_planner' has no attribute {name!r}")
