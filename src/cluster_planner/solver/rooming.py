"""Stage C1: a room for every meeting and an indoor rain room for every outdoor one (R1, R2).

Slots are independent for rooms, so each slot is its own small CP-SAT model, solved in
slot order; a group prefers the room it had at its earlier meetings, and a care group the
home room of one of its classes. A meeting that no room can take is dropped (its
students are then listed as unplaced with that reason).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from cluster_planner.domain import Activity, Room
from cluster_planner.solver.grouping import Meeting
from cluster_planner.solver.params import SolveSettings, StageResult, run_stage
from cluster_planner.solver.prepare import PlanningData

DROP_WEIGHT = 100_000
SIZE_WEIGHT = 1_000
SAME_ROOM_BONUS = 20
HOME_ROOM_BONUS = 10


@dataclass(frozen=True)
class RoomPlan:
    """Rooms chosen per meeting (by index in the meeting list)."""

    room: dict[int, str]
    rain_room: dict[int, str]
    dropped: tuple[int, ...]
    results: tuple[StageResult, ...]


def room_fits(room: Room, activity: Activity, size: int) -> bool:
    """R1: type among the activity's types, indoor unless the activity is outdoor, big enough."""
    if activity.room_type and room.type not in activity.room_type:
        return False
    return room.outdoor == activity.outdoor and room.capacity >= size


def assign_rooms(
    data: PlanningData, meetings: tuple[Meeting, ...], settings: SolveSettings, wall_left: float
) -> RoomPlan:
    """Choose rooms slot by slot, within the time left overall."""
    started = time.monotonic()
    scenario = data.scenario
    by_slot: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(meetings):
        by_slot[m.slot_id].append(i)
    home_rooms: dict[str, set[str]] = defaultdict(set)
    for c in scenario.classes:
        if c.room_id:
            home_rooms[c.class_id].add(c.room_id)
    class_of = {s.student_id: s.class_id for s in data.students}
    used_by_group: dict[str, str] = {}
    room: dict[int, str] = {}
    rain: dict[int, str] = {}
    dropped: list[int] = []
    results: list[StageResult] = []
    for slot in data.slots:
        idx = by_slot.get(slot.slot_id)
        if not idx:
            continue
        rooms = [r for r in sorted(scenario.rooms, key=lambda r: r.room_id) if scenario.room_available(r, slot)]
        model = cp_model.CpModel()
        y: dict[tuple[int, str], cp_model.IntVar] = {}
        w: dict[tuple[int, str], cp_model.IntVar] = {}
        drop: dict[int, cp_model.IntVar] = {}
        bonus = []
        for i in idx:
            m = meetings[i]
            activity = scenario.activity_by_id[m.activity_id]
            drop[i] = model.new_bool_var(f"drop|{i}")
            cands = [r for r in rooms if room_fits(r, activity, m.size)]
            for r in cands:
                y[(i, r.room_id)] = model.new_bool_var(f"y|{i}|{r.room_id}")
            model.add_exactly_one([*(y[(i, r.room_id)] for r in cands), drop[i]])
            homes = set().union(*(home_rooms[class_of[s]] for s in m.members)) if m.kind == "care" else set()
            for r in cands:
                if used_by_group.get(m.group_id) == r.room_id:
                    bonus.append(SAME_ROOM_BONUS * y[(i, r.room_id)])
                elif r.room_id in homes:
                    bonus.append(HOME_ROOM_BONUS * y[(i, r.room_id)])
            if activity.outdoor:
                indoor = [r for r in rooms if not r.outdoor and r.capacity >= m.size]
                for r in indoor:
                    w[(i, r.room_id)] = model.new_bool_var(f"w|{i}|{r.room_id}")
                model.add(sum(w[(i, r.room_id)] for r in indoor) + drop[i] == 1)
        for r in rooms:
            uses = [(meetings[i].size, v) for (i, rid), v in y.items() if rid == r.room_id]
            uses += [(meetings[i].size, v) for (i, rid), v in w.items() if rid == r.room_id]
            if not uses:
                continue
            model.add(sum(v for _, v in uses) <= r.max_groups)
            if r.max_groups > 1:
                model.add(sum(size * v for size, v in uses) <= r.capacity)
        waste = sum(
            (r_cap - meetings[i].size) * v for (i, rid), v in y.items() for r_cap in [scenario.room_by_id[rid].capacity]
        )
        model.minimize(
            sum((DROP_WEIGHT + SIZE_WEIGHT * meetings[i].size) * d for i, d in drop.items()) + waste - sum(bonus)
        )
        left = wall_left - (time.monotonic() - started)
        solver, result = run_stage(f"C rooms {slot.slot_id}", model, _quiet(settings), left, 5.0)
        results.append(result)
        for i in idx:
            if result.objective is None or solver.value(drop[i]):
                dropped.append(i)
                continue
            for (j, rid), v in y.items():
                if j == i and solver.value(v):
                    room[i] = rid
                    used_by_group.setdefault(meetings[i].group_id, rid)
            for (j, rid), v in w.items():
                if j == i and solver.value(v):
                    rain[i] = rid
    return RoomPlan(room, rain, tuple(sorted(dropped)), tuple(results))


def _quiet(settings: SolveSettings) -> SolveSettings:
    """Per-slot room models are small: no progress lines for them."""
    from dataclasses import replace

    return replace(settings, report=None)
