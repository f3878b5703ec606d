"""Rules about students and what they may be given (S2, S4, S5, G3, T4's ratio)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from cluster_planner.domain.entities import Activity, ActivityKind, Student
from cluster_planner.domain.scenario import Scenario


def is_priority(scenario: Scenario, student: Student) -> bool:
    """S2: a priority category, or a grade the school names in ``priority_grades``."""
    return scenario.is_priority(student)


PRIORITY_FACTOR = 100  # a priority student losing a place weighs as much as this many others


def lost_students_weight(members: Iterable[str], priority: frozenset[str]) -> int:
    """S1/S2: the weight of students losing a meeting, a priority student counting as
    ``PRIORITY_FACTOR`` others (stages that must drop a meeting drop the lightest)."""
    return sum(PRIORITY_FACTOR if s in priority else 1 for s in members)


def is_tutoring(activity: Activity) -> bool:
    """S5: homework tutoring / Q&A counts toward the daily limit, in choice and class mode alike."""
    return activity.kind == ActivityKind.TUTORING


def tutoring_per_day(scenario: Scenario) -> int:
    """S5: tutoring meetings a student may have a day."""
    return scenario.school.rules.max_tutoring_per_day


def activities_per_student(scenario: Scenario) -> int:
    """Chosen activities a student may be given a week (class activities aside)."""
    return scenario.school.rules.activities_per_student


def max_grade_span(scenario: Scenario) -> int:
    """G3: how far apart the grades of one care group may lie."""
    return scenario.school.rules.max_grade_span


def grade_span_ok(scenario: Scenario, grades: Iterable[int]) -> bool:
    """G3: the grades of one care group lie at most ``max_grade_span`` apart."""
    grades = tuple(grades)
    return not grades or max(grades) - min(grades) <= max_grade_span(scenario)


def ratio(scenario: Scenario) -> int:
    """T4: students per adult."""
    return scenario.school.rules.ratio


LOTTERY_DIGITS = 8
"""S6: a published lottery number is the first 8 hex digits of its SHA-256 digest."""


def lottery_text(seed: int, student_id: str) -> str:
    """S6: the text a lottery number is the SHA-256 of: ``f"{seed}:{student_id}"`` (its UTF-8 bytes, no
    newline), so a family recomputes it with ``printf '%s' '2026:S0001' | sha256sum``."""
    return f"{seed}:{student_id}"


def lottery_number(seed: int, student_id: str) -> str:
    """S6: a student's published lottery number: the first :data:`LOTTERY_DIGITS` hex digits (lower case)
    of SHA-256 over :func:`lottery_text`. It depends on the seed and the student's own id only, so a join
    or an exit renumbers nobody."""
    return hashlib.sha256(lottery_text(seed, student_id).encode("utf-8")).hexdigest()[:LOTTERY_DIGITS]


def lottery_order(student_ids: Iterable[str], seed: int) -> list[str]:
    """S6: the draw order, the luckiest first: ascending lottery number (hex digits of equal length sort
    as the numbers they write), equal numbers by student id."""
    return sorted(set(student_ids), key=lambda sid: (lottery_number(seed, sid), sid))


def lottery(student_ids: Iterable[str], seed: int) -> dict[str, int]:
    """S6 ties: each student's place in the draw order of :func:`lottery_order`, 1 the luckiest. Two
    students keep their order whoever else is drawn; only the positions after a joiner or leaver shift."""
    return {sid: i + 1 for i, sid in enumerate(lottery_order(student_ids, seed))}


def scenario_lottery(scenario: Scenario, seed: int) -> dict[str, int]:
    """The one lottery of a plan (S6): over the scenario's approved students, so a student's number
    is the same in every stage that breaks a tie, whoever else that stage looks at."""
    return lottery((s.student_id for s in scenario.approved_students), seed)
