"""Immutable problem data: the school's entities and the scenario that holds them."""

from cluster_planner.domain.entities import (
    Activity,
    ActivityKind,
    ActivityMode,
    Change,
    ChangeAction,
    DutyPost,
    HomeClass,
    Lock,
    Priority,
    Room,
    SlotKind,
    Staff,
    StaffKind,
    Student,
    StudentStatus,
    Timeslot,
)
from cluster_planner.domain.scenario import Scenario
from cluster_planner.domain.school import Money, Pay, Rules, School, Suggest
from cluster_planner.domain.values import Day

__all__ = [
    "Activity",
    "ActivityKind",
    "ActivityMode",
    "Change",
    "ChangeAction",
    "Day",
    "DutyPost",
    "HomeClass",
    "Lock",
    "Money",
    "Pay",
    "Priority",
    "Room",
    "Rules",
    "Scenario",
    "School",
    "SlotKind",
    "Staff",
    "StaffKind",
    "Student",
    "StudentStatus",
    "Suggest",
    "Timeslot",
]
