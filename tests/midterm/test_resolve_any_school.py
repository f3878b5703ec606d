"""Property test: generated schools under varied rules and scarcity, re-solved after random changes.

Every re-solved plan passes the independent checker, and for joiners two rules that bind on
every version (FORMAT.md) are read here once more: the grades of a care group holding a joiner
lie within ``max_grade_span`` (G3), and a joiner is in a care group with a classmate whenever a
care group holding classmates has room (S7).
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from resolve import make_changes  # bench/resolve.py: joins, exits, changes, leave and closures
from solver_checks import TEST_SETTINGS
from sweep import varied  # bench/sweep.py: the same variation as the solver's property test

from cluster_planner import rules
from cluster_planner.check import check_plan
from cluster_planner.generate import generate_school
from cluster_planner.midterm import Resolution, resolve_plan
from cluster_planner.plan.io import save_plan
from cluster_planner.solver import solve_scenario


def joiners_kept_by_g3_and_s7(res: Resolution) -> list[str]:
    """What a joiner's care group breaks: G3 (grade span) or S7 (a classmates' group had room)."""
    sc, plan, joined = res.scenario, res.plan, res.facts.joined
    members: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in plan.assignments:
        members[(a.group_id, a.slot_id)].add(a.student_id)
    care = {(g.group_id, g.slot_id): g for g in plan.groups if sc.activity_by_id[g.activity_id].kind.value == "care"}
    settled_classes = {k: {sc.student_by_id[s].class_id for s in members[k] - joined} for k in care}
    out = []
    for key in care:
        grades = [sc.grade_of(sc.student_by_id[s]) for s in members[key]]
        if members[key] & joined and not rules.grade_span_ok(sc, grades):
            out.append(f"G3 {key} {sorted(set(grades))}")
    for a in plan.assignments:
        key = (a.group_id, a.slot_id)
        if a.student_id not in joined or key not in care:
            continue
        class_id = sc.student_by_id[a.student_id].class_id
        if class_id in settled_classes[key]:
            continue
        for other, g in care.items():
            if other[1] != a.slot_id or class_id not in settled_classes[other]:
                continue
            rooms = tuple(sc.room_by_id[r] for r in (g.room_id, g.rain_room_id) if r)
            if g.size < rules.meeting_capacity(sc, sc.activity_by_id[g.activity_id], len(g.staff_ids), rooms):
                out.append(f"S7 {a.student_id} in {key}, {other} had room")
    return out


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    students=st.integers(40, 120),
    grades=st.sampled_from(["1-3", "1-6", "4-6", "7-9", "1-9"]),
    seed=st.integers(0, 50),
    rules_=st.fixed_dictionaries(
        {
            "ratio": st.sampled_from([10, 25, 50]),
            "group_cap": st.sampled_from([15, 30, 45]),
            "merge_threshold": st.sampled_from([8, 20, 40]),
            "max_grade_span": st.sampled_from([0, 1, 2]),
            "activities_per_student": st.sampled_from([0, 1, 2]),
        }
    ),
    keep_staff=st.sampled_from([0.3, 0.6, 1.0]),
    keep_rooms=st.sampled_from([0.3, 1.0]),
    bells=st.booleans(),
    weekly_limit=st.sampled_from([None, 2.0, 4.0]),
    priority_class=st.booleans(),
    changes=st.integers(3, 20),
    change_seed=st.integers(0, 99),
    fill_freed=st.booleans(),
)
def test_any_school_re_solved_passes_the_checker(
    tmp_path_factory,
    students,
    grades,
    seed,
    rules_,
    keep_staff,
    keep_rooms,
    bells,
    weekly_limit,
    priority_class,
    changes,
    change_seed,
    fill_freed,
) -> None:
    """Including nine-year schools whose junior bell overlaps the primary one, weekly limits that
    bind and a small class of priority pupils (issue "One rule book (1 of 2)")."""
    base = generate_school(students, grades, seed=seed, overlapping_bells=bells and grades == "1-9")
    scenario = varied(base, rules_, keep_staff, keep_rooms, weekly_limit=weekly_limit, priority_class=priority_class)
    plan = solve_scenario(scenario, TEST_SETTINGS).plan.with_scenario(scenario)
    rows = make_changes(scenario, plan, changes, change_seed)
    res = resolve_plan(plan, rows, fill_freed=fill_freed, reports=False, time_limit=30.0)
    folder = save_plan(res.plan, tmp_path_factory.mktemp("v2"))
    violations = check_plan(res.scenario, folder)
    assert not violations, "\n".join(str(v) for v in violations)
    assert not joiners_kept_by_g3_and_s7(res)
