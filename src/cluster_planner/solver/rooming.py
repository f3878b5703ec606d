"""Stage C1: a room for every meeting and an indoor rain room for every outdoor one (R1, R2).

Slots are independent for rooms, so each slot is its own small CP-SAT model, solved in
slot order; a group prefers the room it had at its earlier meetings, and a care group the
home room of one of its classes. A meeting that no room can take is dropped (its
students are then listed as unplaced with that reason).

Speed: a greedy pass first gives every meeting a room where one is free; the model then
chooses each meeting's room among that greedy room, its preferred rooms and the few
best-fitting others (``CANDIDATES``), hinted with the greedy plan. Only when the greedy
pass leaves a meeting without a room does the slot get the model over every fitting room.
Measured on nine-year-3000: 28 s → see bench/RESULTS.md.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from cluster_planner.domain import Activity, Room
from cluster_planner.solver.grouping import Meeting
from cluster_planner.solver.params import SolveSettings, StageResult, run_stage
from cluster_planner.solver.prepare import PlanningData

DROP_WEIGHT = 100_000
SIZE_WEIGHT = 1_000
SAME_ROOM_BONUS = 20
HOME_ROOM_BONUS = 10
CANDIDATES = 6  # best-fitting rooms offered per meeting besides its greedy and preferred rooms
ROOM_STAGE_BUDGET = 5.0  # deterministic seconds per slot model


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


@dataclass(frozen=True)
class _SlotMeeting:
    """One meeting of the slot with its fitting rooms, best first, and preferred rooms."""

    index: int
    size: int
    fitting: tuple[Room, ...]
    rain_fitting: tuple[Room, ...]  # indoor rooms big enough (outdoor activities only)
    preferred: dict[str, int]  # room id -> bonus


class _Occupancy:
    """Groups and places taken in each room of one slot (R1: max_groups sharing capacity)."""

    def __init__(self) -> None:
        self.groups: dict[str, int] = defaultdict(int)
        self.people: dict[str, int] = defaultdict(int)

    def fits(self, room: Room, size: int) -> bool:
        if self.groups[room.room_id] >= room.max_groups:
            return False
        return room.max_groups <= 1 or self.people[room.room_id] + size <= room.capacity

    def take(self, room: Room, size: int) -> None:
        self.groups[room.room_id] += 1
        self.people[room.room_id] += size


def _greedy(slot_meetings: list[_SlotMeeting]) -> tuple[dict[int, Room], dict[int, Room]]:
    """Rooms for the hardest meetings first (fewest fitting rooms, then largest)."""
    taken = _Occupancy()
    room: dict[int, Room] = {}
    rain: dict[int, Room] = {}
    order = sorted(slot_meetings, key=lambda sm: (len(sm.fitting), -sm.size, sm.index))
    for sm in order:
        ranked = sorted(sm.fitting, key=lambda r: -sm.preferred.get(r.room_id, 0))  # stable: best fit next
        choice = next((r for r in ranked if taken.fits(r, sm.size)), None)
        if choice is not None:
            room[sm.index] = choice
            taken.take(choice, sm.size)
    for sm in order:
        if sm.index in room and sm.rain_fitting:
            shelter = next((r for r in sm.rain_fitting if taken.fits(r, sm.size)), None)
            if shelter is None:
                taken.groups[room[sm.index].room_id] -= 1
                taken.people[room[sm.index].room_id] -= sm.size
                del room[sm.index]
            else:
                rain[sm.index] = shelter
                taken.take(shelter, sm.size)
    return room, rain


def _offered(rooms: tuple[Room, ...], must: set[str], limit: int | None) -> list[Room]:
    """The rooms a meeting may take in the model: ``must`` plus the first ``limit`` others."""
    if limit is None:
        return list(rooms)
    out = [r for r in rooms if r.room_id in must]
    out += [r for r in rooms if r.room_id not in must][:limit]
    return out


def _solve_slot(
    slot_id: str,
    slot_meetings: list[_SlotMeeting],
    greedy: tuple[dict[int, Room], dict[int, Room]],
    limit: int | None,
    settings: SolveSettings,
    wall_left: float,
) -> tuple[dict[int, str], dict[int, str], list[int], StageResult]:
    """One slot's room model (rooms offered per meeting: all fitting when ``limit`` is None)."""
    g_room, g_rain = greedy
    model = cp_model.CpModel()
    y: dict[tuple[int, str], cp_model.IntVar] = {}
    w: dict[tuple[int, str], cp_model.IntVar] = {}
    drop: dict[int, cp_model.IntVar] = {}
    uses: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    room_by_id: dict[str, Room] = {}
    objective: list[cp_model.LinearExprT] = []
    for sm in slot_meetings:
        i = sm.index
        drop[i] = model.new_bool_var(f"drop|{i}")
        model.add_hint(drop[i], i not in g_room)
        must = set(sm.preferred) | ({g_room[i].room_id} if i in g_room else set())
        cands = _offered(sm.fitting, must, limit)
        for r in cands:
            v = y[(i, r.room_id)] = model.new_bool_var(f"y|{i}|{r.room_id}")
            model.add_hint(v, i in g_room and g_room[i].room_id == r.room_id)
            uses[r.room_id].append((sm.size, v))
            room_by_id[r.room_id] = r
            objective.append((r.capacity - sm.size - sm.preferred.get(r.room_id, 0)) * v)
        model.add_exactly_one([*(y[(i, r.room_id)] for r in cands), drop[i]])
        objective.append((DROP_WEIGHT + SIZE_WEIGHT * sm.size) * drop[i])
        if sm.rain_fitting:
            shelters = _offered(sm.rain_fitting, {g_rain[i].room_id} if i in g_rain else set(), limit)
            for r in shelters:
                v = w[(i, r.room_id)] = model.new_bool_var(f"w|{i}|{r.room_id}")
                model.add_hint(v, i in g_rain and g_rain[i].room_id == r.room_id)
                uses[r.room_id].append((sm.size, v))
                room_by_id[r.room_id] = r
            model.add(sum(w[(i, r.room_id)] for r in shelters) + drop[i] == 1)
    for rid, taken in uses.items():
        r = room_by_id[rid]
        if len(taken) > r.max_groups:
            model.add(sum(v for _, v in taken) <= r.max_groups)
        if r.max_groups > 1 and sum(size for size, _ in taken) > r.capacity:
            model.add(sum(size * v for size, v in taken) <= r.capacity)
    model.minimize(sum(objective))
    solver, result = run_stage(f"C rooms {slot_id}", model, settings, wall_left, ROOM_STAGE_BUDGET)
    room: dict[int, str] = {}
    rain: dict[int, str] = {}
    dropped: list[int] = []
    if result.objective is None:  # keep the greedy rooms rather than lose the slot
        room = {i: r.room_id for i, r in g_room.items()}
        rain = {i: r.room_id for i, r in g_rain.items()}
        return room, rain, [sm.index for sm in slot_meetings if sm.index not in room], result
    for (i, rid), v in y.items():
        if solver.value(v):
            room[i] = rid
    for (i, rid), v in w.items():
        if solver.value(v):
            rain[i] = rid
    dropped = [sm.index for sm in slot_meetings if solver.value(drop[sm.index])]
    return room, rain, dropped, result


def assign_rooms(
    data: PlanningData,
    meetings: tuple[Meeting, ...],
    settings: SolveSettings,
    wall_left: float,
    greedy_only: bool = False,
) -> RoomPlan:
    """Choose rooms slot by slot, within the time left overall (``greedy_only``: no CP-SAT)."""
    started = time.monotonic()
    scenario = data.scenario
    quiet = replace(settings, report=None)  # per-slot room models are small: no progress lines
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
        free = sorted(
            (r for r in scenario.rooms if scenario.room_available(r, slot)), key=lambda r: (r.capacity, r.room_id)
        )
        slot_meetings = []
        for i in idx:
            m = meetings[i]
            activity = scenario.activity_by_id[m.activity_id]
            preferred: dict[str, int] = {}
            if m.kind == "care":
                for c in {class_of[s] for s in m.members}:
                    preferred.update(dict.fromkeys(home_rooms[c], HOME_ROOM_BONUS))
            if m.group_id in used_by_group:
                preferred[used_by_group[m.group_id]] = SAME_ROOM_BONUS
            fitting = tuple(r for r in free if room_fits(r, activity, m.size))
            preferred = {rid: b for rid, b in preferred.items() if any(r.room_id == rid for r in fitting)}
            rain_fitting = tuple(r for r in free if not r.outdoor and r.capacity >= m.size) if activity.outdoor else ()
            slot_meetings.append(_SlotMeeting(i, m.size, fitting, rain_fitting, preferred))
        greedy = _greedy(slot_meetings)
        if greedy_only:
            found = (
                {i: r.room_id for i, r in greedy[0].items()},
                {i: r.room_id for i, r in greedy[1].items()},
                [sm.index for sm in slot_meetings if sm.index not in greedy[0]],
            )
        else:
            complete = len(greedy[0]) == len(slot_meetings)
            left = wall_left - (time.monotonic() - started)
            room_list, rain_list, drops, result = _solve_slot(
                slot.slot_id, slot_meetings, greedy, CANDIDATES if complete else None, quiet, left
            )
            results.append(result)
            found = (room_list, rain_list, drops)
        room.update(found[0])
        rain.update(found[1])
        dropped.extend(found[2])
        for i, rid in found[0].items():
            used_by_group.setdefault(meetings[i].group_id, rid)
    return RoomPlan(room, rain, tuple(sorted(dropped)), tuple(results))
