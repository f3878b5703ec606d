"""The solution: a plan's rows (FORMAT.md plan folder) and its reading and writing."""

from cluster_planner.plan.model import (
    Assignment,
    DutyAssignment,
    GroupMeeting,
    Move,
    Plan,
    PlanMeta,
    StaffLoad,
    Unplaced,
)

__all__ = ["Assignment", "DutyAssignment", "GroupMeeting", "Move", "Plan", "PlanMeta", "StaffLoad", "Unplaced"]
