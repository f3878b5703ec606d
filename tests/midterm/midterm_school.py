"""The tiny school of the mid-term tests, and helpers (a uniquely named module: other test
folders have their own ``conftest``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from builders import Activity, HomeClass, care_activity, classrooms, scenario, school, slots, students_of, teachers
from solver_checks import assert_plan_passes

import cluster_planner as cp
from cluster_planner.domain import Room, Scenario, Staff
from cluster_planner.domain.entities import Change
from cluster_planner.plan.assemble import assemble
from cluster_planner.plan.meeting import Meeting
from cluster_planner.plan.model import DutyAssignment, PlanMeta
from cluster_planner.solver import SolveSettings

SETTINGS = SolveSettings(time_limit=60.0, deterministic_limit=20.0, workers=1, seed=0)


def tiny_school() -> Scenario:
    """``tiny_school``: grade-1 classes 101 and 102 (20 each, their own care groups at the cap of 20),
    103 (8), grade-3 class 301 (14) wanting ART (max 10, Tue club) first and DRAW second."""
    choosing = students_of("301", 14, choice1="ART", choice2="DRAW")
    return scenario(
        school=school(group_cap=20, merge_threshold=20, ratio=50),
        timeslots=slots(days=("Mon", "Tue")),
        classes=[
            HomeClass(class_id="101", grade=1),
            HomeClass(class_id="102", grade=1),
            HomeClass(class_id="103", grade=1),
            HomeClass(class_id="301", grade=3),
        ],
        students=students_of("101", 20) + students_of("102", 20) + students_of("103", 8) + choosing,
        activities=[
            care_activity(),
            Activity(activity_id="ART", name="美术", kind="art", grades="3-6", slots="Tue-2", max_size=10, skill="art"),
            Activity(
                activity_id="DRAW", name="绘画", kind="art", grades="3-6", slots="Tue-2", max_size=10, skill="art"
            ),
        ],
        staff=[
            *teachers(6),
            Staff(staff_id="A1", name="美术甲", kind="teacher", skills="art"),
            Staff(staff_id="A2", name="美术乙", kind="teacher", skills="art"),
            Staff(staff_id="A3", name="美术丙", kind="teacher", skills="art"),
        ],
        rooms=[*classrooms(7, capacity=30), Room(room_id="ART1", name="美术室", type="classroom", capacity=30)],
    )


def checked(s: Scenario, folder: Path) -> None:
    """Assert the independent checker finds nothing wrong with the plan folder."""
    assert_plan_passes(s, folder)


def plan_from(s: Scenario, meetings: list[Meeting], folder: Path, duties: tuple[DutyAssignment, ...] = ()) -> Path:
    """A term-start plan folder written by hand from ``meetings`` (each with room and adults) and
    duty holders, checked."""
    meta = PlanMeta(scenario_hash=s.content_hash(), status="OPTIMAL", seed=0, reproducible=True)
    cp.save(assemble(s, meetings, (), duties, meta), folder, scenario=s, reports=False)
    checked(s, folder)
    return folder


def fingerprint(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under a folder (to prove it was not touched)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def change(action: str, id: str, date: str = "2026-10-12", **fields: object) -> Change:
    """One changes.csv row."""
    student = {k: str(v) for k, v in fields.items() if k not in ("change_id", "until")}
    extra = {k: fields[k] for k in ("change_id", "until") if k in fields}
    return Change(date=date, action=action, id=id, student=student, **extra)


def where(plan: cp.Plan, student_id: str) -> dict[str, str]:
    """slot -> group of one student."""
    return {a.slot_id: a.group_id for a in plan.assignments if a.student_id == student_id}
