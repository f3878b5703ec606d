"""cluster-planner: term planning of a school's after-school service (课后服务).

>>> import cluster_planner as cp
>>> plan = cp.solve(cp.load("scenarios/demo-small"))   # doctest: +SKIP
"""

__version__ = "0.1.0"

from cluster_planner.api import load, load_plan_folder, save, solve

__all__ = ["__version__", "load", "load_plan_folder", "save", "solve"]
