"""Scenario edits (issue #7): a new scenario each time, validated like a loaded one, never the original changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

import cluster_planner as cp
from cluster_planner.domain import Scenario, StudentStatus
from cluster_planner.errors import ScenarioError


def grade_counts(s: Scenario) -> Counter[int]:
    return Counter(s.grade_of(x) for x in s.approved_students)


EDITS: list[tuple[str, Callable[[Scenario], Scenario]]] = [
    ("rules", lambda s: cp.with_rules(s, group_cap=50, ratio=40)),
    ("money", lambda s: cp.with_money(s, fee_per_term=200)),
    ("pay", lambda s: cp.with_pay(s, external=100)),
    ("add_staff", lambda s: cp.add_staff(s, count=2, kind="external", skills="football", background_check="yes")),
    ("remove_staff", lambda s: cp.remove_staff(s, "T001")),
    ("change_activity", lambda s: cp.with_activity(s, "LEGO", max_groups=2)),
    ("new_activity", lambda s: cp.with_activity(s, "KITE", name="风筝", kind="art", grades="3-6", skill="art")),
    ("double_grade_1", lambda s: cp.scale_demand(s, grade=1, factor=2.0, seed=3)),
    ("halve_grade_2", lambda s: cp.scale_demand(s, grade=2, factor=0.5, seed=3)),
]


@pytest.mark.parametrize("edit", [e for _, e in EDITS], ids=[n for n, _ in EDITS])
def test_an_edit_returns_a_new_scenario_and_leaves_the_original_alone(
    demo: Scenario, edit: Callable[[Scenario], Scenario]
) -> None:
    before = demo.canonical_json()
    edited = edit(demo)
    assert demo.canonical_json() == before
    assert edited is not demo
    assert edited.canonical_json() != before


def test_with_rules_sets_the_rules_and_keeps_the_rest(demo: Scenario) -> None:
    edited = cp.with_rules(demo, group_cap=50, ratio=40)
    assert (edited.school.rules.group_cap, edited.school.rules.ratio) == (50, 40)
    assert edited.school.rules.merge_threshold == demo.school.rules.merge_threshold
    assert edited.students == demo.students
    # lookups are the edited scenario's own, not the original's cache
    activity = edited.activity_by_id["TUT"]
    assert edited.group_cap_of(activity) == min(activity.max_size or 50, 50)


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda s: cp.with_rules(s, group_capp=50), "group_capp"),  # a typo must not pass silently
        (lambda s: cp.with_rules(s, group_cap=0), "rules.group_cap"),  # below the minimum of 1
        (lambda s: cp.with_rules(s, latest_end_primary="17:00"), "latest"),  # slots now end too late (H1)
        (lambda s: cp.with_money(s, fee_per_term=-5), "money.fee_per_term"),
        (lambda s: cp.add_staff(s, staff_id="T001", name="重复"), "duplicate id"),
        (lambda s: cp.add_staff(s, staff_id="X1", kind="wizard"), "kind"),
        (lambda s: cp.add_staff(s), "no edit given"),
        (lambda s: cp.remove_staff(s, "NOBODY"), "NOBODY"),
        (lambda s: cp.with_activity(s, "LEGO", sessions_per_week=0), "sessions_per_week"),
        (lambda s: cp.with_activity(s, "KITE", name="风筝", slots="Someday"), "Someday"),
        (lambda s: cp.scale_demand(s, grade=9, factor=2.0), "no approved students"),
        (lambda s: cp.scale_demand(s, grade=1, factor=-1.0), "factor"),
    ],
)
def test_a_bad_edit_raises_with_the_finding(demo: Scenario, edit: Callable[[Scenario], Scenario], words: str) -> None:
    before = demo.canonical_json()
    with pytest.raises(ScenarioError) as caught:
        edit(demo)
    assert words in str(caught.value)
    assert all(f.is_error for f in caught.value.findings)
    assert demo.canonical_json() == before


def test_add_staff_gives_free_ids_and_checks_fields(demo: Scenario) -> None:
    edited = cp.add_staff(demo, count=2, name="足球教练", kind="external", skills="football", background_check="yes")
    new = edited.staff[len(demo.staff) :]
    assert [p.staff_id for p in new] == ["NEW01", "NEW02"]
    assert all(p.cleared and p.skills == frozenset({"football"}) for p in new)
    one = cp.add_staff(demo, {"staff_id": "C9", "name": "教练", "kind": "外聘", "background_check": "是"})
    assert one.staff_by_id["C9"].kind.value == "external" and one.staff_by_id["C9"].cleared


def test_remove_staff_clears_references_to_them(demo: Scenario) -> None:
    homeroom = next(c for c in demo.classes if c.homeroom_teacher)
    edited = cp.remove_staff(demo, homeroom.homeroom_teacher)
    assert homeroom.homeroom_teacher not in edited.staff_by_id
    assert edited.class_by_id[homeroom.class_id].homeroom_teacher is None
    assert len(edited.staff) == len(demo.staff) - 1


def test_with_activity_changes_one_field_or_adds_one_at_the_end(demo: Scenario) -> None:
    changed = cp.with_activity(demo, "LEGO", max_groups=2)
    old, new = demo.activity_by_id["LEGO"], changed.activity_by_id["LEGO"]
    assert new.max_groups == 2 and new.model_copy(update={"max_groups": old.max_groups}) == old
    assert [a.activity_id for a in changed.activities] == [a.activity_id for a in demo.activities]
    added = cp.with_activity(demo, "KITE", name="风筝", kind="art", grades="3-6", slots="Tue Thu", skill="art")
    kite = added.activities[-1]
    assert (kite.activity_id, kite.grades, kite.slots) == ("KITE", frozenset({3, 4, 5, 6}), ("Tue", "Thu"))


def test_scale_demand_doubles_one_grade_with_new_ids_and_is_seeded(demo: Scenario) -> None:
    doubled = cp.scale_demand(demo, grade=1, factor=2.0, seed=3)
    counts, base = grade_counts(doubled), grade_counts(demo)
    assert counts[1] == 2 * base[1]
    assert all(counts[g] == base[g] for g in base if g != 1)
    ids = [s.student_id for s in doubled.students]
    assert len(ids) == len(set(ids))
    clone = doubled.student_by_id[f"{demo.approved_students[0].student_id}-c1"]
    source = demo.approved_students[0]
    assert (clone.class_id, clone.choices, clone.days) == (source.class_id, source.choices, source.days)
    # a fraction of a copy is drawn by the seed: same seed, same scenario; another seed, other students
    a = cp.scale_demand(demo, grade=[1, 2], factor=1.5, seed=3)
    assert a.canonical_json() == cp.scale_demand(demo, grade=[1, 2], factor=1.5, seed=3).canonical_json()
    assert a.canonical_json() != cp.scale_demand(demo, grade=[1, 2], factor=1.5, seed=4).canonical_json()
    assert grade_counts(a)[1] + grade_counts(a)[2] == round(1.5 * (base[1] + base[2]))


def test_scale_demand_below_one_withdraws_students(demo: Scenario) -> None:
    halved = cp.scale_demand(demo, grade=2, factor=0.5, seed=3)
    base = grade_counts(demo)[2]
    assert grade_counts(halved)[2] == round(base * 0.5)
    assert len(halved.students) == len(demo.students)
    withdrawn = [s for s in halved.students if s.status == StudentStatus.WITHDRAWN]
    assert len(withdrawn) - sum(s.status == StudentStatus.WITHDRAWN for s in demo.students) == base - round(base * 0.5)
