"""cluster-planner: term planning of a school's after-school service (课后服务)."""

__version__ = "0.1.0"
