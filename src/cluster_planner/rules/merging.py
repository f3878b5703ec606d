"""When classes and grades may share a care group (G1, G3's threshold part)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from cluster_planner.domain.entities import Student
from cluster_planner.domain.scenario import Scenario


def merge_threshold(scenario: Scenario) -> int:
    """G1: pupils of one class in care at a slot from which the class keeps a group to itself."""
    return scenario.school.rules.merge_threshold


def keeps_to_itself(scenario: Scenario, pupils_in_care: int) -> bool:
    """G1 (a class) and G3's threshold part (a grade): at ``merge_threshold`` or more pupils in care
    at a slot, it shares no care group with another class's (grade's) pupils without priority."""
    return pupils_in_care >= merge_threshold(scenario)


def merging_faults(scenario: Scenario, groups: Iterable[Sequence[Student]]) -> int:
    """G1 and G3's threshold part over the care groups held at one slot (their pupils): how many
    times a class (a grade) with ``merge_threshold`` or more pupils in care there shares a group
    with another class's (grade's) pupils without priority. Priority pupils may join any (S2)."""
    groups = [tuple(g) for g in groups]
    per_class = Counter(s.class_id for g in groups for s in g)
    per_grade = Counter(scenario.grade_of(s) for g in groups for s in g)
    faults = 0
    for group in groups:
        ordinary = [s for s in group if not scenario.is_priority(s)]
        classes = {s.class_id for s in ordinary}
        for class_id in {s.class_id for s in group}:
            faults += keeps_to_itself(scenario, per_class[class_id]) and bool(classes - {class_id})
        grades = {scenario.grade_of(s) for s in ordinary}
        faults += len(grades) > 1 and all(keeps_to_itself(scenario, per_grade[g]) for g in grades)
    return faults
