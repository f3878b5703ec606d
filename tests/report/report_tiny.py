"""A tiny school and a hand-made plan for it (used by the report tests' fixtures)."""

from __future__ import annotations

from builders import scenario

from cluster_planner.domain import Activity, DutyPost, HomeClass, Room, Scenario, School, Staff, Student, Timeslot
from cluster_planner.plan import Assignment, DutyAssignment, GroupMeeting, Plan, PlanMeta, Unplaced
from cluster_planner.plan.figures import staff_loads

FORMULA_NAME = '=HYPERLINK("http://evil.example","点我")'
COMMAND_NAME = "+cmd|' /C calc'!A0"
HOLIDAYS = ("2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07")


def phone(k: int) -> str:
    return f"138000000{k:02d}"


def parent(k: int) -> str:
    return f"家长甲乙{k}"


def _student(k: int, class_id: str, **fields: object) -> Student:
    return Student(
        student_id=f"S{k:02d}",
        name=fields.pop("name", f"学生{k}"),
        gender="女" if k % 2 else "男",
        class_id=class_id,
        parent_name=parent(k),
        parent_phone=phone(k),
        **fields,
    )


def tiny_school() -> Scenario:
    """Two classes, care on Mon/Wed, a club and an outdoor sport, a holiday week and a season switch."""
    slots = []
    for day in ("Mon", "Wed"):
        slots.append(
            Timeslot(
                slot_id=f"{day}-1",
                day=day,
                start="15:50",
                end="16:40",
                summer_start="16:10",
                summer_end="17:00",
                kind="care",
            )
        )
        slots.append(
            Timeslot(
                slot_id=f"{day}-2",
                day=day,
                start="16:50",
                end="17:40",
                summer_start="17:10",
                summer_end="18:00",
                kind="club",
            )
        )
    return scenario(
        school=School(
            name="测试小学",
            term_start="2026-09-07",
            term_end="2026-10-30",
            holidays=HOLIDAYS,
            season="autumn_winter",
            season_switch="2026-10-12",
            money={"fee_per_term": 300, "subsidy_per_student_year": 250},
        ),
        timeslots=slots,
        classes=[
            HomeClass(class_id="3-1", grade=3, name="三(1)班", homeroom_teacher="T01"),
            HomeClass(class_id="4-1", grade=4, name="四(1)班", homeroom_teacher="T02"),
        ],
        students=[
            _student(1, "3-1", choice1="GO"),
            _student(2, "3-1", choice1="GO", priority="留守"),
            _student(3, "3-1", choice1="FB", name=COMMAND_NAME),
            _student(4, "3-1", choice1="GO", fee_exempt="yes"),
            _student(5, "4-1", choice1="FB", choice2="GO"),
            _student(6, "4-1", choice1="FB", name=FORMULA_NAME),
            _student(7, "4-1"),
            _student(8, "4-1", status="pending", choice1="GO"),
        ],
        activities=[
            Activity(activity_id="CARE", name="托管", kind="care", grades="1-6"),
            Activity(activity_id="GO", name="围棋", kind="club", grades="3-6", slots="Mon"),
            Activity(activity_id="FB", name="足球", kind="sport", grades="3-6", slots="Wed", outdoor=True),
        ],
        staff=[
            Staff(staff_id="T01", name="李老师", kind="teacher"),
            Staff(staff_id="T02", name="王老师", kind="teacher"),
            Staff(staff_id="T03", name="赵老师", kind="teacher"),
            Staff(staff_id="E01", name="<b>陈教练</b>", kind="external", background_check="yes", rate=80),
        ],
        rooms=[
            Room(room_id="R01", name="一号教室", capacity=45),
            Room(room_id="R02", name="棋室", capacity=30),
            Room(room_id="F1", name="操场", type="field", capacity=200, outdoor=True),
        ],
        duties=[DutyPost(day="Mon", post="gate", kind="teacher", periods=1)],
    )


def tiny_plan(tiny_school: Scenario) -> Plan:
    """A plan made by hand: two care groups, a club, an outdoor sport with a rain room, two unplaced slots."""
    everyone = ("S01", "S02", "S03", "S04", "S05", "S06", "S07")
    groups = [
        GroupMeeting("CARE-1", "CARE", "Mon", "Mon-1", "R01", "", ("T01",), 7, (3, 4), ("3-1", "4-1")),
        GroupMeeting("CARE-2", "CARE", "Wed", "Wed-1", "R01", "", ("T02",), 7, (3, 4), ("3-1", "4-1")),
        GroupMeeting("GO-1", "GO", "Mon", "Mon-2", "R02", "", ("T03",), 3, (3, 4), ("3-1", "4-1")),
        GroupMeeting("FB-1", "FB", "Wed", "Wed-2", "F1", "R02", ("E01",), 2, (3, 4), ("3-1", "4-1")),
    ]
    assignments = [Assignment(s, "Mon", "Mon-1", "CARE-1", None, "CARE") for s in everyone]
    assignments += [Assignment(s, "Wed", "Wed-1", "CARE-2", None, "CARE") for s in everyone]
    assignments += [
        Assignment("S01", "Mon", "Mon-2", "GO-1", 1, "GO"),
        Assignment("S02", "Mon", "Mon-2", "GO-1", 1, "GO"),
        Assignment("S05", "Mon", "Mon-2", "GO-1", 2, "GO"),
        Assignment("S03", "Wed", "Wed-2", "FB-1", 1, "FB"),
        Assignment("S06", "Wed", "Wed-2", "FB-1", 1, "FB"),
    ]
    unplaced = [
        Unplaced("S04", "Mon", "Mon-2", "棋室已满 <full>", "reason.no_room"),
        Unplaced("S07", "Wed", "Wed-2", "没有空闲教师", "reason.no_adult"),
    ]
    duties = (DutyAssignment("Mon", "", "gate", "T02"),)
    meta = PlanMeta(
        scenario_hash=tiny_school.content_hash(),
        status="OPTIMAL",
        seed=0,
        reproducible=True,
        gap=0.0,
        warnings=("活动 <script>alert(1)</script> 未开放",),
    )
    return Plan(
        groups=tuple(groups),
        assignments=tuple(assignments),
        unplaced=tuple(unplaced),
        staff_load=staff_loads(tiny_school, groups, duties),
        duty_roster=duties,
        meta=meta,
    )
