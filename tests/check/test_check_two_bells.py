"""R1 across two bells, read per group: a room holds at most ``max_groups`` groups at a slot where
it holds one, counting the groups in it at slots overlapping that one (sweep seed 2026, school 117:
the checker counted a room's 15:50 and 16:45 groups together at the junior 16:20 slot because
another room held a junior group then)."""

from __future__ import annotations

from pathlib import Path

from builders import care_activity, scenario, school, students_of, teachers

import cluster_planner as cp
from cluster_planner.check import check_plan
from cluster_planner.domain import HomeClass, Room, Scenario, Timeslot
from cluster_planner.plan.assemble import assemble
from cluster_planner.plan.meeting import Meeting
from cluster_planner.plan.model import PlanMeta


def _nine_year() -> Scenario:
    def slot(sid: str, start: str, end: str, grades: str) -> Timeslot:
        return Timeslot(slot_id=sid, day="Mon", start=start, end=end, kind="care", grades=grades)

    return scenario(
        school=school(),
        timeslots=[
            slot("Mon-1", "15:50", "16:35", "1-6"),
            slot("Mon-2", "16:45", "17:30", "1-6"),
            slot("Mon-J1", "16:20", "17:05", "7-9"),
        ],
        classes=[HomeClass(class_id="101", grade=1), HomeClass(class_id="701", grade=7)],
        students=students_of("101", 10) + students_of("701", 10),
        activities=[care_activity(grades="1-9")],
        rooms=[Room(room_id=r, name=r, type="classroom", capacity=40) for r in ("R01", "R02")],
        staff=teachers(3),
    )


def _violations(tmp_path: Path, junior_room: str) -> list[str]:
    sc = _nine_year()
    primary = tuple(f"101-{k:03d}" for k in range(1, 11))
    junior = tuple(f"701-{k:03d}" for k in range(1, 11))
    meetings = [
        Meeting("CARE-P", "CARE", "Mon-1", primary, "care", room_id="R01", staff_ids=("T01",)),
        Meeting("CARE-P", "CARE", "Mon-2", primary, "care", room_id="R01", staff_ids=("T01",)),
        Meeting("CARE-J", "CARE", "Mon-J1", junior, "care", room_id=junior_room, staff_ids=("T02",)),
    ]
    meta = PlanMeta(scenario_hash=sc.content_hash(), status="OPTIMAL", seed=0, reproducible=True)
    folder = tmp_path / junior_room
    cp.save(assemble(sc, meetings, (), (), meta), folder, scenario=sc, reports=False)
    return [f"{v.rule} {v.code}" for v in check_plan(sc, folder)]


def test_R1_groups_one_after_the_other_in_a_room_beside_a_junior_group_elsewhere(tmp_path: Path) -> None:
    assert _violations(tmp_path, "R02") == []


def test_R1_junior_group_in_the_room_of_both_primary_groups(tmp_path: Path) -> None:
    assert "R1 room_groups" in _violations(tmp_path, "R01")
