"""The checker's own reading of FORMAT.md's derived notions, and its independence from Scenario's helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PlanText

from cluster_planner.check import check_plan, derive
from cluster_planner.domain import Activity, HomeClass, Scenario, Student, Timeslot


def nine_year_school(**student: object) -> Scenario:
    """Grade 7 student; Mon has a care slot for all, an evening slot for 7–9 and a club slot for 1–6."""
    return Scenario(
        timeslots=(
            Timeslot(slot_id="Mon-1", day="Mon", start="15:30", end="16:30", kind="care"),
            Timeslot(slot_id="Mon-2", day="Mon", start="16:40", end="17:30", kind="club", grades="1-6"),
            Timeslot(slot_id="Mon-E", day="Mon", start="19:00", end="20:30", kind="evening_study", grades="7-9"),
            Timeslot(slot_id="Tue-1", day="Tue", start="15:30", end="16:30", kind="care"),
            Timeslot(slot_id="Tue-M", day="Tue", start="07:00", end="08:10", kind="morning"),
        ),
        classes=(HomeClass(class_id="J1", grade=7),),
        students=(Student(student_id="j1", class_id="J1", **student),),
    )


@pytest.mark.parametrize(
    ("student", "expected"),
    [
        ({}, {"Mon-1", "Tue-1"}),  # blank: care club tutoring on every day; Mon-2 is for grades 1–6
        ({"days": "Tue"}, {"Tue-1"}),  # only the days applied for
        ({"services": "care evening_study"}, {"Mon-1", "Mon-E", "Tue-1"}),  # kinds named, slot grades 7–9 fit
        ({"services": "托管 晚自习", "days": "周一"}, {"Mon-1", "Mon-E"}),  # Chinese kind words and days
        ({"services": "Tue-M"}, {"Tue-M"}),  # a slot named by id
        ({"services": "Mon-2", "days": "Tue"}, {"Mon-2"}),  # a slot named by id ignores days and slot grades
        ({"services": "morning", "days": "Mon"}, set()),  # no slot of that kind on that day
    ],
)
def test_service_slots(student: dict[str, object], expected: set[str]) -> None:
    school = nine_year_school(**student)
    assert derive.service_slots(school, school.students[0]) == expected


@pytest.mark.parametrize(
    ("activity", "slot_id", "allowed"),
    [
        ({"kind": "art"}, "Mon-2", True),  # blank slots: any club slot
        ({"kind": "art"}, "Mon-1", False),  # … and not a care slot
        ({"kind": "care"}, "Tue-M", True),  # a care activity: any slot
        ({"kind": "art", "slots": "Tue"}, "Tue-1", True),  # a day token admits every slot of that day
        ({"kind": "art", "slots": "周一"}, "Tue-1", False),  # a Chinese day token
        ({"kind": "art", "slots": "Mon-1、Tue-M"}, "Tue-M", True),  # slot ids
    ],
)
def test_activity_admits(activity: dict[str, object], slot_id: str, allowed: bool) -> None:
    school = nine_year_school()
    act = Activity(activity_id="A", **activity)
    assert derive.activity_admits(act, school.slot_by_id[slot_id]) is allowed


def test_at_once_uses_both_seasons() -> None:
    a = Timeslot(slot_id="a", day="Mon", start="15:00", end="16:00", kind="care")
    b = Timeslot(
        slot_id="b", day="Mon", start="16:00", end="17:00", kind="care", summer_start="15:30", summer_end="16:30"
    )
    c = Timeslot(slot_id="c", day="Tue", start="15:00", end="16:00", kind="care")
    assert derive.at_once(a, a) and derive.at_once(a, b) and not derive.at_once(a, c)
    assert not derive.at_once(a, Timeslot(slot_id="d", day="Mon", start="16:00", end="17:00", kind="care"))


def test_adults_needed() -> None:
    assert [derive.adults_needed(n, 50) for n in (0, 1, 50, 51, 100, 101)] == [1, 1, 1, 2, 2, 3]


def test_checker_does_not_copy_scenario_helpers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, small_school: Scenario, good_plan: PlanText
) -> None:
    """A bug in Scenario's derived helpers must not leak into the checker's verdict."""
    for name in ("service_slots", "care_activity_of_grade"):
        monkeypatch.setattr(Scenario, name, property(lambda self: {}))
    monkeypatch.setattr(Scenario, "activity_slots", lambda self, activity: ())
    assert small_school.service_slots == {}  # the helpers are broken now
    assert check_plan(small_school, good_plan.write(tmp_path)) == []
    broken = good_plan.sub("assignments.csv", "s5,Tue,Tue-2,CARE-B,", "").write(tmp_path / "broken")
    assert "S1" in {v.rule for v in check_plan(small_school, broken)}
