"""Rules about students and what they may be given (S2, S4, S5, G3, T4's ratio)."""

from __future__ import annotations

import random
from collections.abc import Iterable

from cluster_planner.domain.entities import Activity, ActivityKind, Student
from cluster_planner.domain.scenario import Scenario


def is_priority(scenario: Scenario, student: Student) -> bool:
    """S2: a priority category, or a grade the school names in ``priority_grades``."""
    return scenario.is_priority(student)


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


def lottery(student_ids: Iterable[str], seed: int) -> dict[str, int]:
    """S6 ties: a seeded lottery number per student (the scenario's approved students, in its
    order, shuffled by the seed), 1 the luckiest."""
    ids = list(student_ids)
    random.Random(seed).shuffle(ids)
    return {sid: i + 1 for i, sid in enumerate(ids)}


def scenario_lottery(scenario: Scenario, seed: int) -> dict[str, int]:
    """The one lottery of a plan (S6): over the scenario's approved students, so a student's number
    is the same in every stage that breaks a tie, whoever else that stage looks at."""
    return lottery((s.student_id for s in scenario.approved_students), seed)
