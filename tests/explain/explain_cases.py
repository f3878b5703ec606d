"""Tiny scenarios with one known cause each, for the explanation tests."""

from __future__ import annotations

from builders import (
    Activity,
    DutyPost,
    HomeClass,
    care_activity,
    classrooms,
    scenario,
    school,
    slots,
    students_of,
    teachers,
)

from cluster_planner.domain import Lock, Room, Scenario, Staff


def field(max_groups: int = 2) -> Room:
    return Room(room_id="FIELD", name="操场", type="field", capacity=200, outdoor=True, max_groups=max_groups)


def football(**fields: object) -> Activity:
    values = {
        "activity_id": "FOOT",
        "name": "足球",
        "kind": "sport",
        "grades": "3-6",
        "slots": "Tue-2",
        "skill": "football",
        "room_type": "field",
        "outdoor": True,
        "max_size": 30,
    }
    values.update(fields)
    return Activity(**values)


def coach(cleared: bool = True, staff_id: str = "E01", available: str = "Tue") -> Staff:
    return Staff(
        staff_id=staff_id,
        name="教练" + staff_id,
        kind="external",
        skills="football",
        available=available,
        background_check="yes" if cleared else "no",
    )


def no_cleared_football_coach() -> Scenario:
    """A student is promised football; the only football coach has not passed the background check."""
    return scenario(
        school=school(),
        timeslots=slots(("Tue",)),
        classes=[HomeClass(class_id="301", grade=3)],
        students=students_of("301", 20, choice1="FOOT"),
        activities=[care_activity(), football()],
        staff=[*teachers(3), coach(cleared=False)],
        rooms=[*classrooms(3), field()],
        locks=[Lock(student_id="301-001", activity_id="FOOT")],
    )


def two_outdoor_groups_one_indoor_room() -> Scenario:
    """Two classes take PE outdoors at Tue-2 as a class activity; one indoor room is free for rain."""
    pe = Activity(
        activity_id="PE",
        name="大课间",
        kind="sport",
        mode="class",
        grades="3",
        slots="Tue-2",
        skill="pe",
        room_type="field",
        outdoor=True,
    )
    return scenario(
        school=school(),
        timeslots=slots(("Tue",)),
        classes=[HomeClass(class_id="301", grade=3), HomeClass(class_id="302", grade=3)],
        students=[*students_of("301", 20), *students_of("302", 20)],
        activities=[care_activity(), pe],
        staff=teachers(3, skills="care pe"),
        rooms=[*classrooms(1), field()],
    )


def duty_nobody_may_hold() -> Scenario:
    """A gate post for security staff; the school has no security staff."""
    return scenario(
        school=school(),
        timeslots=slots(("Mon",)),
        classes=[HomeClass(class_id="101", grade=1)],
        students=students_of("101", 10),
        activities=[care_activity()],
        staff=teachers(2),
        rooms=classrooms(2),
        duties=[DutyPost(day="Mon", post="gate", count=1, kind="security")],
    )


def priority_student_unplaced() -> Scenario:
    """46 left-behind children need care at Mon-1; one room, groups of at most 45."""
    return scenario(
        school=school(),
        timeslots=slots(("Mon",), clubs=False),
        classes=[HomeClass(class_id="101", grade=1)],
        students=students_of("101", 46, priority="left_behind"),
        activities=[care_activity()],
        staff=teachers(2),
        rooms=classrooms(1),
    )


def one_coach_short() -> Scenario:
    """Two football groups are promised at Tue-2 (locks), one cleared coach is free."""
    students = students_of("301", 30, choice1="FOOT") + students_of("302", 30, choice1="FOOT")
    locks = [Lock(student_id=s.student_id, activity_id="FOOT") for s in students[:40]]
    return scenario(
        school=school(),
        timeslots=slots(("Tue",)),
        classes=[HomeClass(class_id="301", grade=3), HomeClass(class_id="302", grade=3)],
        students=students,
        activities=[care_activity(), football(max_groups=2, max_size=25)],
        staff=[*teachers(3), coach()],
        rooms=[*classrooms(3), field()],
        locks=locks,
    )


#: The three adults of demo-small who cannot lead a group: an uncleared volunteer and two guards without skills.
NOT_LEADERS = frozenset({"V02", "SEC01", "SEC02"})


def saturday_only_demo() -> Scenario:
    """demo-small with 29 of its 32 adults available only on Saturday (issue 14 item 3); the other
    three cannot lead a group, so no adult may lead one on any service day."""
    from cluster_planner.io.loader import load_scenario

    demo = load_scenario("scenarios/demo-small")
    staff = tuple(p if p.staff_id in NOT_LEADERS else p.model_copy(update={"available": ("Sat",)}) for p in demo.staff)
    assert sum(p.staff_id not in NOT_LEADERS for p in staff) == 29
    return demo.model_copy(update={"staff": staff})


def no_adult_at_the_club_slot() -> Scenario:
    """Ten first-graders need a place at Mon-1 and Mon-2; the only teacher works at Mon-1."""
    return scenario(
        school=school(),
        timeslots=slots(("Mon",)),
        classes=[HomeClass(class_id="101", grade=1)],
        students=students_of("101", 10),
        activities=[care_activity()],
        staff=[t.model_copy(update={"available": ("Mon-1",)}) for t in teachers(1)],
        rooms=classrooms(2),
    )
