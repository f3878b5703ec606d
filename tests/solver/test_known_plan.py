"""Property (issue "One rule book (2 of 2)"): schools generated around a known complete plan.

A plan is built first — every pupil in a care group on day one's care slot and in one club of
their first choice at the club slot — then a school with just the rooms and adults that plan
needs, plus noise (second choices, spare adults, a spare room). The solver must place everyone
and grant at least the known plan's choices; every plan passes the checker.
"""

from __future__ import annotations

import math
import random

from builders import care_activity, classrooms, scenario, school, slots, students_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solver_checks import solve_checked

from cluster_planner.domain import Activity, HomeClass, Staff


def school_around_a_plan(sizes: list[int], clubs: int, seed: int, spare: bool):
    """Classes of ``sizes`` (grade 3), ``clubs`` clubs at the club slot, each pupil's first choice
    the club the known plan gives them (filled class by class up to the cap of 45)."""
    rng = random.Random(seed)
    cap = 45
    clubs = max(clubs, math.ceil(sum(sizes) / cap))  # the known plan has a club place for everyone
    classes = [HomeClass(class_id=f"3-{k + 1}", grade=3) for k in range(len(sizes))]
    pupils, load = [], [0] * clubs
    for k, n in enumerate(sizes):
        for i in range(n):
            club = next(c for c in range(clubs) if load[c] < cap)  # the known plan: first club with room
            load[club] += 1
            other = rng.randrange(clubs)
            fields = {"choice1": f"C{club}", "choice2": f"C{other}" if other != club else None}
            pupils += students_of(f"3-{k + 1}", 1, start=i + 1, **fields)
    used = [c for c in range(clubs) if load[c]]
    activities = [care_activity(grades="3")] + [
        Activity(
            activity_id=f"C{c}", name=f"社团{c}", kind="club", grades="3", max_size=cap, skill=f"s{c}",
            room_type="classroom",
        )
        for c in range(clubs)
    ]  # fmt: skip
    care_groups = sum(max(1, math.ceil(n / cap)) for n in sizes)  # G1/G2 never need more than one a class
    staff = [Staff(staff_id=f"K{c}", kind="teacher", skills=f"s{c}") for c in used]
    staff += [Staff(staff_id=f"T{k:02d}", kind="teacher", skills="care") for k in range(care_groups + spare)]
    rooms = classrooms(max(care_groups, len(used)) + spare)
    sc = scenario(
        school=school(activities_per_student=1),
        timeslots=slots(days=("Mon",)),
        classes=classes,
        students=pupils,
        activities=activities,
        rooms=rooms,
        staff=staff,
    )
    return sc, len(pupils)


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.lists(st.integers(5, 44), min_size=1, max_size=4),
    clubs=st.integers(2, 5),
    seed=st.integers(0, 99),
    spare=st.booleans(),
)
def test_S1_S6_a_school_built_around_a_complete_plan_is_planned_completely(tmp_path_factory, sizes, clubs, seed, spare):
    sc, pupils = school_around_a_plan(sizes, clubs, seed, spare)
    plan = solve_checked(sc, tmp_path_factory.mktemp("plan"))
    assert not plan.unplaced
    assert plan.meta.objective_terms["students_with_choice"] >= pupils  # the known plan gives every pupil one
