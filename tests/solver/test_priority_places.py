"""S2 in chosen groups (plan/priority_places.py): a priority pupil left out at a slot takes the place
of a pupil without priority in a group they ranked, under A1, L1, S3 and S5."""

from __future__ import annotations

from builders import care_activity, classrooms, scenario, school, slots, students_of, teachers

from cluster_planner.domain import Activity, HomeClass, Scenario
from cluster_planner.domain.entities import Lock
from cluster_planner.plan.meeting import Meeting
from cluster_planner.plan.priority_places import serve_priority_in_chosen_groups
from cluster_planner.rules import lottery

PRIORITY = "4-2-001"


def _school(kind: str = "club", **rules: object) -> Scenario:
    return scenario(
        school=school(**rules),
        timeslots=slots(days=("Mon",)),
        classes=[HomeClass(class_id="4-1", grade=4), HomeClass(class_id="4-2", grade=4)],
        students=students_of("4-1", 4, choice1="BASK") + students_of("4-2", 1, choice1="BASK", priority="left_behind"),
        activities=[
            care_activity(),
            Activity(activity_id="BASK", name="篮球", kind=kind, grades="4", slots="Mon-2", max_groups=1),
        ],
        rooms=classrooms(2),
        staff=teachers(2),
    )


def _after_care_was_lost(sc: Scenario, in_bask: tuple[str, ...]) -> dict[tuple[str, str], Meeting]:
    """Mon-1 care holds everyone; at Mon-2 the care meeting was lost, BASK-1 holds ``in_bask``."""
    everyone = tuple(s.student_id for s in sc.students)
    meetings = [
        Meeting("CARE-1", "CARE", "Mon-1", everyone, "care"),
        Meeting("BASK-1", "BASK", "Mon-2", in_bask, "choice"),
    ]
    return {m.key: m for m in meetings}


def _serve(sc: Scenario, meetings: dict[tuple[str, str], Meeting]):
    service = {s.student_id: frozenset({"Mon-1", "Mon-2"}) for s in sc.students}
    luck = lottery(service, 0)
    return serve_priority_in_chosen_groups(sc, meetings, service, luck), luck


def test_S2_priority_pupil_left_out_takes_the_least_lucky_place_in_a_ranked_group() -> None:
    sc = _school()
    ordinary = ("4-1-001", "4-1-002", "4-1-003")
    (after, gave_way), luck = _serve(sc, _after_care_was_lost(sc, ordinary))
    least_lucky = max(ordinary, key=luck.get)
    assert PRIORITY in after[("BASK-1", "Mon-2")].members
    assert least_lucky not in after[("BASK-1", "Mon-2")].members
    assert after[("BASK-1", "Mon-2")].size == 3  # the group keeps its size, adults and room
    assert [(g.student_id, g.slot_id, g.group_id) for g in gave_way] == [(least_lucky, "Mon-2", "BASK-1")]


def test_S2_a_pupil_with_a_lock_on_the_activity_does_not_give_way() -> None:
    sc = _school().model_copy(update={"locks": (Lock(student_id="4-1-001", activity_id="BASK"),)})
    (after, gave_way), _ = _serve(sc, _after_care_was_lost(sc, ("4-1-001",)))
    assert after[("BASK-1", "Mon-2")].members == ("4-1-001",)
    assert gave_way == []


def test_S2_nothing_moves_when_the_priority_pupil_is_placed() -> None:
    sc = _school()
    meetings = _after_care_was_lost(sc, ("4-1-001", "4-1-002"))
    meetings[("CARE-2", "Mon-2")] = Meeting("CARE-2", "CARE", "Mon-2", (PRIORITY, "4-1-003", "4-1-004"), "care")
    (after, gave_way), _ = _serve(sc, meetings)
    assert after == meetings and gave_way == []


def test_A1_a_priority_pupil_at_their_limit_of_activities_takes_no_second_group() -> None:
    sc = _school(activities_per_student=1)
    meetings = _after_care_was_lost(sc, ("4-1-001", "4-1-002"))
    # the priority pupil already holds a chosen group on Monday's first period
    meetings[("CARE-1", "Mon-1")] = Meeting("CARE-1", "CARE", "Mon-1", ("4-1-003", "4-1-004"), "care")
    meetings[("READ-1", "Mon-1")] = Meeting("READ-1", "READ", "Mon-1", (PRIORITY,), "choice")
    sc = sc.model_copy(
        update={
            "activities": (
                *sc.activities,
                Activity(activity_id="READ", name="阅读", kind="club", grades="4", slots="Mon-1", max_groups=1),
            )
        }
    )
    (after, gave_way), _ = _serve(sc, meetings)
    assert PRIORITY not in after[("BASK-1", "Mon-2")].members and gave_way == []


def test_S5_no_second_tutoring_that_day() -> None:
    sc = _school(kind="tutoring", max_tutoring_per_day=1)
    meetings = _after_care_was_lost(sc, ("4-1-001", "4-1-002"))
    sc = sc.model_copy(
        update={
            "activities": (
                *sc.activities,
                Activity(activity_id="HW", name="作业辅导", kind="tutoring", mode="class", grades="4", slots="Mon-1"),
            )
        }
    )
    meetings[("CARE-1", "Mon-1")] = Meeting("CARE-1", "CARE", "Mon-1", ("4-1-003", "4-1-004"), "care")
    meetings[("HW-1", "Mon-1")] = Meeting("HW-1", "HW", "Mon-1", (PRIORITY,), "class")
    (after, gave_way), _ = _serve(sc, meetings)
    assert PRIORITY not in after[("BASK-1", "Mon-2")].members and gave_way == []


def test_S7_the_pupil_who_gave_way_takes_the_care_seat_beside_a_classmate() -> None:
    """The group meets at both slots: at Mon-1 the priority pupil leaves care beside the other's
    classmates, and the pupil who gave way takes that seat; at Mon-2 (care lost) they are left out."""
    sc = _school()
    sc = sc.model_copy(
        update={
            "activities": (
                care_activity(),
                Activity(activity_id="BASK", name="篮球", kind="club", grades="4", slots="Mon-1 Mon-2", max_groups=1),
            )
        }
    )
    meetings = {
        ("CARE-1", "Mon-1"): Meeting("CARE-1", "CARE", "Mon-1", (PRIORITY, "4-1-003", "4-1-004"), "care"),
        ("BASK-1", "Mon-1"): Meeting("BASK-1", "BASK", "Mon-1", ("4-1-001", "4-1-002"), "choice"),
        ("BASK-1", "Mon-2"): Meeting("BASK-1", "BASK", "Mon-2", ("4-1-001", "4-1-002"), "choice"),
    }
    (after, gave_way), luck = _serve(sc, meetings)
    other = max(("4-1-001", "4-1-002"), key=luck.get)
    assert after[("CARE-1", "Mon-1")].members == tuple(sorted((other, "4-1-003", "4-1-004")))
    assert [(g.student_id, g.slot_id) for g in gave_way] == [(other, "Mon-2")]
    assert all(PRIORITY in after[("BASK-1", s)].members for s in ("Mon-1", "Mon-2"))


def _big_class_beside_priority_pupils(threshold: int) -> tuple[Scenario, dict[tuple[str, str], Meeting]]:
    """A care meeting at Mon-1 holds class 4-1 (three pupils) and two priority pupils of 4-2 (one
    ranked BASK); BASK meets at Mon-1 and Mon-2 (care lost there) with two 4-2 pupils without priority."""
    sc = scenario(
        school=school(merge_threshold=threshold),
        timeslots=slots(days=("Mon",)),
        classes=[HomeClass(class_id="4-1", grade=4), HomeClass(class_id="4-2", grade=4)],
        students=students_of("4-1", 3)
        + students_of("4-2", 1, choice1="BASK", priority="left_behind")
        + students_of("4-2", 1, start=2, priority="left_behind")
        + students_of("4-2", 2, start=3, choice1="BASK"),
        activities=[
            care_activity(),
            Activity(activity_id="BASK", name="篮球", kind="club", grades="4", slots="Mon-1 Mon-2", max_groups=1),
        ],
        rooms=classrooms(2),
        staff=teachers(2),
    )
    in_care = ("4-1-001", "4-1-002", "4-1-003", PRIORITY, "4-2-002")
    meetings = {
        ("CARE-1", "Mon-1"): Meeting("CARE-1", "CARE", "Mon-1", in_care, "care"),
        ("BASK-1", "Mon-1"): Meeting("BASK-1", "BASK", "Mon-1", ("4-2-003", "4-2-004"), "choice"),
        ("BASK-1", "Mon-2"): Meeting("BASK-1", "BASK", "Mon-2", ("4-2-003", "4-2-004"), "choice"),
    }
    return sc, meetings


def test_G1_the_pupil_who_gave_way_does_not_join_a_big_class_in_care() -> None:
    """G1 (sweep seed 2026, school 76, after a change in stage A's search): the pupil who gave way
    took the care seat beside two priority classmates, so a class at the merge threshold shared its
    group with a pupil without priority of another class. That pupil is now left out there."""
    sc, meetings = _big_class_beside_priority_pupils(threshold=3)
    (after, gave_way), luck = _serve(sc, meetings)
    other = max(("4-2-003", "4-2-004"), key=luck.get)
    assert PRIORITY in after[("BASK-1", "Mon-1")].members
    assert other not in after[("CARE-1", "Mon-1")].members
    assert sorted((g.student_id, g.slot_id) for g in gave_way) == [(other, "Mon-1"), (other, "Mon-2")]


def test_G1_the_pupil_who_gave_way_sits_beside_classmates_when_no_class_is_big() -> None:
    """The same meetings with a threshold no class reaches: the seat beside classmates is taken."""
    sc, meetings = _big_class_beside_priority_pupils(threshold=10)
    (after, gave_way), luck = _serve(sc, meetings)
    other = max(("4-2-003", "4-2-004"), key=luck.get)
    assert other in after[("CARE-1", "Mon-1")].members
    assert [(g.student_id, g.slot_id) for g in gave_way] == [(other, "Mon-2")]
