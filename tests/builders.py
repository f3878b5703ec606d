"""Small scenario builders for solver tests (construct domain models directly)."""

from __future__ import annotations

from typing import Any

from cluster_planner.domain import (
    Activity,
    DutyPost,
    HomeClass,
    Room,
    Scenario,
    School,
    Staff,
    Student,
    Timeslot,
)


def school(**rules: Any) -> School:
    """A primary school with a fixed term and the given rule overrides."""
    return School(name="测试小学", term_start="2026-09-07", term_end="2026-12-25", rules=rules)


def slots(days: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri"), clubs: bool = True) -> tuple[Timeslot, ...]:
    """A care slot (-1) and, optionally, a club slot (-2) on each day."""
    out = []
    for d in days:
        out.append(Timeslot(slot_id=f"{d}-1", day=d, start="15:50", end="16:40", kind="care"))
        if clubs:
            out.append(Timeslot(slot_id=f"{d}-2", day=d, start="16:50", end="17:40", kind="club"))
    return tuple(out)


def students_of(class_id: str, n: int, start: int = 1, **fields: Any) -> list[Student]:
    """``n`` approved students of one class, ids ``{class_id}-{k:03d}``."""
    return [
        Student(student_id=f"{class_id}-{k:03d}", name=f"学生{class_id}{k}", class_id=class_id, **fields)
        for k in range(start, start + n)
    ]


def care_activity(grades: str = "1-6") -> Activity:
    return Activity(activity_id="CARE", name="托管", kind="care", grades=grades, room_type="classroom")


def classrooms(n: int, capacity: int = 50) -> list[Room]:
    return [Room(room_id=f"R{k:02d}", name=f"教室{k}", type="classroom", capacity=capacity) for k in range(1, n + 1)]


def teachers(n: int, skills: str = "care chinese math") -> list[Staff]:
    return [Staff(staff_id=f"T{k:02d}", name=f"老师{k}", kind="teacher", skills=skills) for k in range(1, n + 1)]


def scenario(**parts: Any) -> Scenario:
    """A Scenario from parts, tuples made of lists."""
    return Scenario(**{k: tuple(v) if isinstance(v, list) else v for k, v in parts.items()})


__all__ = [
    "Activity",
    "DutyPost",
    "HomeClass",
    "care_activity",
    "classrooms",
    "scenario",
    "school",
    "slots",
    "students_of",
    "teachers",
]
