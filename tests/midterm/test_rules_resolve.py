"""Re-solves keep the rule book (issue 12): regression tests named after the rule they cover.

Each earlier plan is written by hand from meetings (``plan_from``), so the situation is exact;
every plan, earlier and re-solved, passes the independent checker.
"""

from __future__ import annotations

from pathlib import Path

import pytest
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
from midterm_school import change, plan_from, where
from solver_checks import assert_plan_passes

import cluster_planner as cp
from cluster_planner.domain import Room, Staff, Timeslot
from cluster_planner.domain.school import Level
from cluster_planner.midterm import resolve_plan
from cluster_planner.plan.meeting import Meeting
from cluster_planner.plan.model import DutyAssignment


def _care(gid: str, slot_id: str, members: list[str], room: str, staff: str) -> Meeting:
    return Meeting(gid, "CARE", slot_id, tuple(members), "care", room, "", (staff,))


def _ids(students: list) -> list[str]:
    return [s.student_id for s in students]


def _group_of(res, student_id: str, slot_id: str):
    gid = where(res.plan, student_id)[slot_id]
    return next(g for g in res.plan.groups if (g.group_id, g.slot_id) == (gid, slot_id))


# ---- G3: the grade span binds on every version --------------------------------------------------
def _grades_one_and_six(rooms: int, staff: int):
    """Grade-1 class 101 (20) with room in its care group; grade-6 class 601 (45) in a full one."""
    one, six = students_of("101", 20), students_of("601", 45)
    s = scenario(
        school=school(),
        timeslots=slots(days=("Mon",), clubs=False),
        classes=[HomeClass(class_id="101", grade=1), HomeClass(class_id="601", grade=6)],
        students=one + six,
        activities=[care_activity()],
        staff=teachers(staff),
        rooms=classrooms(rooms),
    )
    meetings = [
        _care("CARE-G1-Mon-1", "Mon-1", _ids(one), "R01", "T01"),
        _care("CARE-G6-Mon-1", "Mon-1", _ids(six), "R02", "T02"),
    ]
    return s, meetings


def test_g3_grade_six_joiner_opens_a_care_group_instead_of_joining_grade_one(tmp_path: Path, resolved) -> None:
    """The grade-6 group is at the cap (45); the grade-1 group has 25 places, but the grades would lie
    5 apart (span 1): a free room and teacher open a new care group for the joiner."""
    s, meetings = _grades_one_and_six(rooms=3, staff=3)
    res, _ = resolved(plan_from(s, meetings, tmp_path / "v1"), [change("join", "N6", class_id="601")])
    group = _group_of(res, "N6", "Mon-1")
    assert group.grades == (6,) and group.group_id not in {m.group_id for m in meetings}
    assert not res.plan.unplaced


def test_g3_grade_six_joiner_without_a_free_room_is_unplaced_with_the_reason(tmp_path: Path, resolved) -> None:
    """No free room: the joiner is listed unplaced (the reason names the grade span), not put with grade 1."""
    s, meetings = _grades_one_and_six(rooms=2, staff=3)
    res, _ = resolved(plan_from(s, meetings, tmp_path / "v1"), [change("join", "N6", class_id="601")], lang="en")
    assert not where(res.plan, "N6")
    [row] = res.plan.unplaced
    assert (row.student_id, row.slot_id) == ("N6", "Mon-1") and "within 1 grade" in row.reason


# ---- S7: classmates together ---------------------------------------------------------------------
def test_s7_a_class_of_45_joining_is_not_split_across_other_classes_groups(tmp_path: Path, resolved) -> None:
    """Class 102 (45, none in care at term start) joins mid-term. Class 101's group has 25 spare
    places, but the 45 fit one group (cap 45): they form one new group, 101's group is unchanged."""
    one = students_of("101", 20)
    s = scenario(
        school=school(),
        timeslots=slots(days=("Mon",), clubs=False),
        classes=[HomeClass(class_id="101", grade=1), HomeClass(class_id="102", grade=1)],
        students=one,
        activities=[care_activity()],
        staff=teachers(2),
        rooms=classrooms(2),
    )
    v1 = plan_from(s, [_care("CARE-G1-Mon-1", "Mon-1", _ids(one), "R01", "T01")], tmp_path / "v1")
    res, _ = resolved(v1, [change("join", f"102-{k:03d}", class_id="102") for k in range(1, 46)])
    groups = {g.group_id: g for g in res.plan.groups}
    assert groups["CARE-G1-Mon-1"].class_ids == ("101",) and groups["CARE-G1-Mon-1"].size == 20
    [new] = [g for g in groups.values() if "102" in g.class_ids]
    assert new.size == 45 and new.class_ids == ("102",)


@pytest.mark.parametrize("action", ["change", "join"])
def test_s7_a_student_moved_into_a_class_joins_its_care_group_while_it_has_room(
    tmp_path: Path, resolved, action: str
) -> None:
    """A change of home class (102 → 101), as a change row or as a join row for the enrolled
    student (placed as a joiner): the student joins 101's care group, which has room, rather
    than staying with their old class."""
    one, two = students_of("101", 30), students_of("102", 30)
    s = scenario(
        school=school(),
        timeslots=slots(days=("Mon",), clubs=False),
        classes=[HomeClass(class_id="101", grade=1), HomeClass(class_id="102", grade=1)],
        students=one + two,
        activities=[care_activity()],
        staff=teachers(2),
        rooms=classrooms(2),
    )
    meetings = [
        _care("CARE-G1-Mon-1-A", "Mon-1", _ids(one), "R01", "T01"),
        _care("CARE-G1-Mon-1-B", "Mon-1", _ids(two), "R02", "T02"),
    ]
    res, _ = resolved(plan_from(s, meetings, tmp_path / "v1"), [change(action, "102-001", class_id="101")])
    assert where(res.plan, "102-001") == {"Mon-1": "CARE-G1-Mon-1-A"}


# ---- S2: priority first when places are short ----------------------------------------------------
def test_s2_priority_joiner_takes_the_last_place_in_the_class_activity(tmp_path: Path, resolved) -> None:
    """Class 101's class activity READ (cap 20) has one place left; two joiners: the priority one
    (left-behind) gets it, the other is listed unplaced there — whatever their ids."""
    pupils = students_of("101", 19)
    s = scenario(
        school=school(group_cap=20),
        timeslots=slots(days=("Mon",)),
        classes=[HomeClass(class_id="101", grade=1)],
        students=pupils,
        activities=[
            care_activity(),
            Activity(activity_id="READ", name="共读", kind="reading", mode="class", grades="1", slots="Mon-2"),
        ],
        staff=teachers(3),
        rooms=classrooms(3),
    )
    meetings = [
        _care("CARE-G1-Mon-1", "Mon-1", _ids(pupils), "R01", "T01"),
        Meeting("READ-101", "READ", "Mon-2", tuple(_ids(pupils)), "class", "R01", "", ("T01",)),
    ]
    rows = [change("join", "N1", class_id="101"), change("join", "N2", class_id="101", priority="left_behind")]
    res, _ = resolved(plan_from(s, meetings, tmp_path / "v1"), rows)
    assert where(res.plan, "N2")["Mon-2"] == "READ-101"
    assert [(u.student_id, u.slot_id) for u in res.plan.unplaced] == [("N1", "Mon-2")]


# ---- R1 / T5: at once in either season -----------------------------------------------------------
SEASONS = {
    # junior 16:20–17:05 beside primary 15:50–16:35: at once in autumn and in summer
    "autumn": {"start": "16:20", "end": "17:05"},
    # junior 16:40–17:25 in autumn (after the primary slot), 16:20–17:05 in summer: at once in summer only
    "summer": {"start": "16:40", "end": "17:25", "summer_start": "16:20", "summer_end": "17:05"},
}


def _nine_year(junior: dict[str, str], rooms: list[Room], staff: list[Staff]):
    """A nine-year school: primary care Mon-P (grade 1, class 101 of 20), junior care Mon-J (grade 7)."""
    primary, junior_pupils = students_of("101", 20), students_of("701", 20)
    s = scenario(
        school=school().model_copy(update={"level": Level.NINE_YEAR}),
        timeslots=[
            Timeslot(slot_id="Mon-P", day="Mon", start="15:50", end="16:35", kind="care", grades="1-6"),
            Timeslot(slot_id="Mon-J", day="Mon", kind="care", grades="7-9", **junior),
            Timeslot(slot_id="Tue-P", day="Tue", start="15:50", end="16:35", kind="care", grades="1-6"),
            Timeslot(slot_id="Wed-P", day="Wed", start="15:50", end="16:35", kind="care", grades="1-6"),
        ],
        classes=[HomeClass(class_id="101", grade=1), HomeClass(class_id="701", grade=7)],
        students=primary + junior_pupils,
        activities=[care_activity("1-9")],
        staff=staff,
        rooms=rooms,
    )
    return s, _ids(primary), _ids(junior_pupils)


@pytest.mark.parametrize("season", sorted(SEASONS))
def test_r1_two_bells_one_room_in_either_season(tmp_path: Path, resolved, season: str) -> None:
    """Room R1 closes; R2 (one group at a time) fits the primary group best but holds the junior
    group at a slot at once with it: the primary group goes to R3 instead."""
    rooms = [
        Room(room_id="R1", name="一", type="classroom", capacity=40),
        Room(room_id="R2", name="二", type="classroom", capacity=20),
        Room(room_id="R3", name="三", type="classroom", capacity=60),
    ]
    s, primary, junior = _nine_year(SEASONS[season], rooms, teachers(3))
    meetings = [
        _care("CARE-G1-Mon-P", "Mon-P", primary, "R1", "T01"),
        _care("CARE-G7-Mon-J", "Mon-J", junior, "R2", "T02"),
        _care("CARE-G1-Tue-P", "Tue-P", primary, "R1", "T01"),
        _care("CARE-G1-Wed-P", "Wed-P", primary, "R1", "T01"),
    ]
    res, _ = resolved(plan_from(s, meetings, tmp_path / "v1"), [change("room_closed", "R1")])
    rooms_now = {(g.group_id, g.slot_id): g.room_id for g in res.plan.groups}
    assert rooms_now[("CARE-G1-Mon-P", "Mon-P")] == "R3" and rooms_now[("CARE-G7-Mon-J", "Mon-J")] == "R2"


@pytest.mark.parametrize("season", sorted(SEASONS))
def test_t5_two_bells_one_adult_in_either_season(tmp_path: Path, resolved, season: str) -> None:
    """T01 is on leave; T02 (less loaded than T03) leads the junior group at a slot at once with the
    primary one, so T03 covers the primary group."""
    s, primary, junior = _nine_year(SEASONS[season], classrooms(4), teachers(3))
    meetings = [
        _care("CARE-G1-Mon-P", "Mon-P", primary, "R01", "T01"),
        _care("CARE-G7-Mon-J", "Mon-J", junior, "R02", "T02"),
        _care("CARE-G1-Tue-P", "Tue-P", primary, "R01", "T03"),
        _care("CARE-G1-Wed-P", "Wed-P", primary, "R01", "T03"),
    ]
    v1 = plan_from(s, meetings, tmp_path / "v1")
    res, _ = resolved(v1, [change("staff_leave", "T01")])
    staff = {(g.group_id, g.slot_id): g.staff_ids for g in res.plan.groups}
    assert staff[("CARE-G1-Mon-P", "Mon-P")] == ("T03",)


# ---- T6: a leader on leave is replaced on duty ---------------------------------------------------
def _leaders_on_duty(free_teacher: bool):
    """Two leaders on duty on Mon and Tue (L1, L2). L3, the only other leader, leads both care
    meetings and has 3 periods a week (L1 and L2 may not lead care): to stand in for L1 on both
    days L3 must hand a meeting on."""
    pupils = students_of("101", 20)
    leaders = [
        Staff(staff_id=f"L{k}", name=f"领导{k}", kind="leader", skills=skills, max_periods_week=max_week)
        for k, skills, max_week in ((1, "chess", None), (2, "chess", None), (3, "care", 3))
    ]
    s = scenario(
        school=school(),
        timeslots=slots(days=("Mon", "Tue"), clubs=False),
        classes=[HomeClass(class_id="101", grade=1)],
        students=pupils,
        activities=[care_activity().model_copy(update={"skill": frozenset({"care"})})],
        staff=[*leaders, *(teachers(1, skills="care") if free_teacher else ())],
        rooms=classrooms(2),
        duties=[DutyPost(day=d, post="leader_on_duty", count=2, kind="leader", periods=1) for d in ("Mon", "Tue")],
    )
    meetings = [_care(f"CARE-G1-{d}-1", f"{d}-1", _ids(pupils), "R01", "L3") for d in ("Mon", "Tue")]
    duties = tuple(DutyAssignment(d, "", "leader_on_duty", p) for d in ("Mon", "Tue") for p in ("L1", "L2"))
    return s, meetings, duties


def test_t6_leader_on_leave_is_replaced_on_duty_by_one_who_hands_a_meeting_on(tmp_path: Path, resolved) -> None:
    """L1 is away: L3 holds both posts and hands one care meeting to the free teacher (one swap)."""
    s, meetings, duties = _leaders_on_duty(free_teacher=True)
    res, _ = resolved(plan_from(s, meetings, tmp_path / "v1", duties), [change("staff_leave", "L1")])
    held = {(d.day, d.staff_id) for d in res.plan.duty_roster}
    assert held == {("Mon", "L2"), ("Mon", "L3"), ("Tue", "L2"), ("Tue", "L3")}
    assert sorted(g.staff_ids for g in res.plan.groups) == [("L3",), ("T01",)]
    assert not res.plan.meta.warnings


def test_t6_post_nobody_can_take_is_listed_short(tmp_path: Path) -> None:
    """No free adult to take L3's meetings: one post stays short, the re-solve says so, and the
    checker names T6 (the meetings and their pupils stay)."""
    s, meetings, duties = _leaders_on_duty(free_teacher=False)
    v1 = plan_from(s, meetings, tmp_path / "v1", duties)
    res = resolve_plan(v1, [change("staff_leave", "L1")], out=tmp_path / "v2", reports=False, lang="en")
    assert len(res.plan.duty_roster) == 3 and len(res.plan.groups) == 2 and not res.plan.unplaced
    assert [w for w in res.plan.meta.warnings if "leader_on_duty" in w or "short of 1" in w]
    assert_plan_passes(cp.load(tmp_path / "v2" / "scenario"), tmp_path / "v2", expect=frozenset({"duty_count"}))


# ---- T1: own teachers first ----------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["volunteer", "external", "security"])
def test_t1_restaffing_takes_a_free_own_teacher_before_a_cheaper_outsider(tmp_path: Path, resolved, kind: str) -> None:
    """T01 is on leave; T02 (free, cleared, with the skill and the hours, but busier and paid more)
    covers, not the unpaid outside person with the same skill and nothing else to do."""
    pupils = students_of("101", 20)
    outsider = Staff(staff_id="O1", name="外", kind=kind, skills="care", background_check="yes", rate=0)
    s = scenario(
        school=school(),
        timeslots=slots(days=("Mon", "Tue"), clubs=False),
        classes=[HomeClass(class_id="101", grade=1)],
        students=pupils,
        activities=[care_activity().model_copy(update={"skill": frozenset({"care"})})],
        staff=[*teachers(2, skills="care"), outsider],
        rooms=classrooms(2),
    )
    meetings = [
        _care("CARE-G1-Mon-1", "Mon-1", _ids(pupils), "R01", "T01"),
        _care("CARE-G1-Tue-1", "Tue-1", _ids(pupils), "R01", "T02"),
    ]
    res, _ = resolved(plan_from(s, meetings, tmp_path / "v1"), [change("staff_leave", "T01")])
    assert {(g.group_id, g.staff_ids) for g in res.plan.groups} == {
        ("CARE-G1-Mon-1", ("T02",)),
        ("CARE-G1-Tue-1", ("T02",)),
    }


# ---- S5: class-mode tutoring counts --------------------------------------------------------------
def test_s5_joiner_with_class_tutoring_that_day_is_not_given_a_chosen_tutoring(tmp_path: Path, resolved) -> None:
    """Class 101 has class-mode homework tutoring HW at Mon-1; a joiner of 101 who chose tutoring QA
    (Mon-2, room left) would have two tutoring meetings on Monday: they go to care at Mon-2 instead."""
    ones, twos = students_of("101", 10), students_of("201", 5, choice1="QA")
    s = scenario(
        school=school(),
        timeslots=slots(days=("Mon",)),
        classes=[HomeClass(class_id="101", grade=1), HomeClass(class_id="201", grade=2)],
        students=ones + twos,
        activities=[
            care_activity(),
            Activity(activity_id="HW", name="作业", kind="tutoring", mode="class", grades="1", slots="Mon-1"),
            Activity(activity_id="QA", name="答疑", kind="tutoring", grades="1-2", slots="Mon-2", max_size=10),
        ],
        staff=teachers(4),
        rooms=classrooms(4),
    )
    meetings = [
        Meeting("HW-101", "HW", "Mon-1", tuple(_ids(ones)), "class", "R01", "", ("T01",)),
        _care("CARE-G1-Mon-2", "Mon-2", _ids(ones), "R01", "T01"),
        _care("CARE-G2-Mon-1", "Mon-1", _ids(twos), "R02", "T02"),
        Meeting("QA-1", "QA", "Mon-2", tuple(_ids(twos)), "choice", "R02", "", ("T02",)),
    ]
    rows = [change("join", "N1", class_id="101", choice1="QA")]
    res, _ = resolved(plan_from(s, meetings, tmp_path / "v1"), rows)
    assert where(res.plan, "N1") == {"Mon-1": "HW-101", "Mon-2": "CARE-G1-Mon-2"}


# ---- S1/S3: a student displaced at one slot keeps their places at the others ---------------------
def test_s3_students_of_a_dropped_meeting_keep_their_other_slots(tmp_path: Path, resolved) -> None:
    """R01 closes and no room is free at Mon-1: class 101's Mon-1 group drops and its pupils join
    102's group there; at Tue-1 they stay in their own group (placed once, never also unplaced)."""
    one, two = students_of("101", 20), students_of("102", 20)
    s = scenario(
        school=school(merge_threshold=20),
        timeslots=slots(days=("Mon", "Tue"), clubs=False),
        classes=[HomeClass(class_id="101", grade=1), HomeClass(class_id="102", grade=1)],
        students=one + two,
        activities=[care_activity()],
        staff=teachers(3),
        rooms=classrooms(2),
    )
    meetings = [
        _care("CARE-G1-Mon-1-A", "Mon-1", _ids(one), "R01", "T01"),
        _care("CARE-G1-Mon-1-B", "Mon-1", _ids(two), "R02", "T02"),
        _care("CARE-G1-Tue-1-A", "Tue-1", _ids(one), "R02", "T01"),
        _care("CARE-G1-Tue-1-B", "Tue-1", _ids(two), "R01", "T02"),
    ]
    res, _ = resolved(plan_from(s, meetings, tmp_path / "v1"), [change("room_closed", "R01", until="2026-10-16")])
    assert all(where(res.plan, p) == {"Mon-1": "CARE-G1-Mon-1-B", "Tue-1": "CARE-G1-Tue-1-A"} for p in _ids(one))
    assert not res.plan.unplaced
