"""Fixtures for the plan checker: one small school and a hand-made plan that keeps every rule.

The school (``small_school``): grades 3–4, three classes, a care slot and a club slot on Mon
and Tue, care (any slot), football (outdoor, Tue-2), art (club slots, twice a week), a class
reading activity for class C3 (Mon-2), two duty posts and a lock. Rules are scaled down so a
handful of students exercises merging and the ratio: group_cap 5, merge_threshold 3, ratio 3.

The plan (``good_plan``) is written by hand from the rules, as an office would in Excel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cluster_planner.domain import (
    Activity,
    Change,
    DutyPost,
    HomeClass,
    Lock,
    Room,
    Scenario,
    School,
    Staff,
    Student,
    Timeslot,
)

RULES: dict[str, Any] = {"group_cap": 5, "merge_threshold": 3, "ratio": 3, "max_grade_span": 1}

GROUPS = """\
group_id,activity_id,day,slot_id,room_id,rain_room_id,staff_ids,size,grades,class_ids
CARE-A,CARE,Mon,Mon-1,R101,,T1,3,3,C1
CARE-B,CARE,Mon,Mon-1,R102,,T2 T5,4,3-4,C2 C3
READ-C3,READ,Mon,Mon-2,R103,,T5,2,4,C3
ART-1,ART,Mon,Mon-2,ART1,,T3,2,3,C1 C2
CARE-A,CARE,Mon,Mon-2,R101,,T1,3,3,C1 C2
CARE-A,CARE,Tue,Tue-1,R101,,T1,3,3,C1
CARE-B,CARE,Tue,Tue-1,R102,,T2,3,3-4,C2 C3
FOOT-1,FOOT,Tue,Tue-2,FIELD,GYM,T4,3,3-4,C1 C3
ART-1,ART,Tue,Tue-2,ART1,,T3,2,3,C1 C2
CARE-B,CARE,Tue,Tue-2,R102,,T2,1,3,C2
"""

ASSIGNMENTS = """\
student_id,day,slot_id,group_id,choice_rank
s1,Mon,Mon-1,CARE-A,
s2,Mon,Mon-1,CARE-A,
s3,Mon,Mon-1,CARE-A,
s4,Mon,Mon-1,CARE-B,
s5,Mon,Mon-1,CARE-B,
s6,Mon,Mon-1,CARE-B,
s7,Mon,Mon-1,CARE-B,
s1,Mon,Mon-2,CARE-A,
s3,Mon,Mon-2,CARE-A,
s5,Mon,Mon-2,CARE-A,
s2,Mon,Mon-2,ART-1,1
s4,Mon,Mon-2,ART-1,1
s6,Mon,Mon-2,READ-C3,
s7,Mon,Mon-2,READ-C3,
s1,Tue,Tue-1,CARE-A,
s2,Tue,Tue-1,CARE-A,
s3,Tue,Tue-1,CARE-A,
s4,Tue,Tue-1,CARE-B,
s5,Tue,Tue-1,CARE-B,
s6,Tue,Tue-1,CARE-B,
s1,Tue,Tue-2,FOOT-1,1
s3,Tue,Tue-2,FOOT-1,1
s6,Tue,Tue-2,FOOT-1,1
s2,Tue,Tue-2,ART-1,1
s4,Tue,Tue-2,ART-1,1
s5,Tue,Tue-2,CARE-B,
"""

UNPLACED = "student_id,day,slot_id,reason\n"

STAFF_LOAD = """\
staff_id,periods_week,periods_term,pay_term
T1,3,48,1920
T2,3,48,1920
T3,2,32,1280
T4,1,16,960
T5,2,32,1280
L1,1,16,640
G1,2,32,960
"""

DUTY_ROSTER = """\
day,slot_id,post,staff_id
Mon,,leader_on_duty,L1
Tue,Tue-2,gate,G1
"""

PLAN_FILES = {
    "groups.csv": GROUPS,
    "assignments.csv": ASSIGNMENTS,
    "unplaced.csv": UNPLACED,
    "staff_load.csv": STAFF_LOAD,
    "duty_roster.csv": DUTY_ROSTER,
}


def build_school(
    rules: dict[str, Any] | None = None,
    activities: dict[str, dict[str, Any]] | None = None,
    students: dict[str, dict[str, Any]] | None = None,
    staff: dict[str, dict[str, Any]] | None = None,
    rooms: dict[str, dict[str, Any]] | None = None,
    duties: tuple[DutyPost, ...] | None = None,
    locks: tuple[Lock, ...] | None = None,
    changes: tuple[Change, ...] = (),
) -> Scenario:
    """The small school, with field overrides per entity id (e.g. ``activities={"ART": {"grades": "4"}}``)."""
    activities, students, staff, rooms = activities or {}, students or {}, staff or {}, rooms or {}

    def act(activity_id: str, **fields: Any) -> Activity:
        return Activity(activity_id=activity_id, **{**fields, **activities.get(activity_id, {})})

    def pupil(student_id: str, class_id: str, **fields: Any) -> Student:
        return Student(student_id=student_id, class_id=class_id, **{**fields, **students.get(student_id, {})})

    def person(staff_id: str, **fields: Any) -> Staff:
        return Staff(staff_id=staff_id, **{**fields, **staff.get(staff_id, {})})

    def place(room_id: str, **fields: Any) -> Room:
        return Room(room_id=room_id, **{**fields, **rooms.get(room_id, {})})

    return Scenario(
        school=School(name="小学", term_start="2026-09-07", term_end="2026-12-25", rules={**RULES, **(rules or {})}),
        timeslots=(
            Timeslot(slot_id="Mon-1", day="Mon", start="15:30", end="16:30", kind="care"),
            Timeslot(slot_id="Mon-2", day="Mon", start="16:40", end="17:30", kind="club"),
            Timeslot(slot_id="Tue-1", day="Tue", start="15:30", end="16:30", kind="care"),
            Timeslot(slot_id="Tue-2", day="Tue", start="16:40", end="17:30", kind="club"),
        ),
        classes=(
            HomeClass(class_id="C1", grade=3),
            HomeClass(class_id="C2", grade=3),
            HomeClass(class_id="C3", grade=4),
        ),
        students=(
            pupil("s1", "C1", choice1="FOOT", choice2="ART"),
            pupil("s2", "C1", choice1="ART"),
            pupil("s3", "C1", choice1="FOOT"),
            pupil("s4", "C2", choice1="ART", choice2="FOOT"),
            pupil("s5", "C2"),
            pupil("s6", "C3", choice1="FOOT"),
            pupil("s7", "C3", days="Mon", choice1="ART"),
            pupil("s8", "C3", status="pending", choice1="FOOT"),
        ),
        activities=(
            act("CARE", kind="care", grades="1-6", skill="care", room_type="classroom"),
            act("FOOT", kind="sport", grades="3-6", slots="Tue-2", skill="football", room_type="field", outdoor="yes"),
            act("ART", kind="art", grades="3-4", sessions_per_week=2, skill="art", room_type="art"),
            act(
                "READ", kind="reading", mode="class", grades="4", slots="Mon-2", skill="reading", room_type="classroom"
            ),
        ),
        staff=(
            person("T1", skills="care chinese", max_periods_day=2, max_periods_week=10),
            person("T2", skills="care math"),
            person("T3", skills="art"),
            person("T4", kind="external", skills="football", available="Tue", background_check="yes"),
            person("T5", skills="reading care"),
            person("L1", kind="leader"),
            person("G1", kind="security", background_check="yes"),
            person("X1", kind="external", skills="football care"),
            person("S2", kind="security", background_check="no"),
        ),
        rooms=(
            place("R101", type="classroom", capacity=5),
            place("R102", type="classroom", capacity=5),
            place("R103", type="classroom", capacity=5),
            place("ART1", type="art", capacity=5),
            place("FIELD", type="field", capacity=20, outdoor="yes", max_groups=2),
            place("GYM", type="gym", capacity=10),
        ),
        duties=duties
        if duties is not None
        else (
            DutyPost(day="Mon", post="leader_on_duty", count=1, kind="leader", periods=1),
            DutyPost(day="Tue", slot_id="Tue-2", post="gate", count=1, kind="security", periods=2),
        ),
        locks=locks if locks is not None else (Lock(student_id="s3", activity_id="FOOT"),),
        changes=changes,
    )


class PlanText:
    """A hand-made plan folder as CSV text, edited line by line before it is written."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = dict(files)

    def sub(self, file: str, old: str, new: str) -> PlanText:
        """Replace the one line ``old`` of ``file`` by ``new`` (``""`` drops it)."""
        lines = self.files[file].splitlines()
        assert lines.count(old) == 1, f"{old!r} is not exactly once in {file}"
        i = lines.index(old)
        lines[i : i + 1] = [new] if new else []
        return PlanText({**self.files, file: "\n".join(lines) + "\n"})

    def add(self, file: str, *new: str) -> PlanText:
        """Append lines to ``file``."""
        return PlanText({**self.files, file: self.files[file] + "".join(f"{line}\n" for line in new)})

    def drop_file(self, file: str) -> PlanText:
        return PlanText({k: v for k, v in self.files.items() if k != file})

    def write(self, folder: Path, encoding: str = "utf-8") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in self.files.items():
            (folder / name).write_text(text, encoding=encoding)
        return folder


@pytest.fixture
def small_school() -> Scenario:
    """The small school as it is."""
    return build_school()


@pytest.fixture
def make_school() -> Callable[..., Scenario]:
    """The small school with overrides (see :func:`build_school`)."""
    return build_school


@pytest.fixture
def good_plan() -> PlanText:
    """A hand-made plan of the small school that keeps every rule."""
    return PlanText(PLAN_FILES)
