"""Stage C1: a room for every meeting and an indoor rain room for every outdoor one (R1, R2).

Rooms are shared only by meetings at once (R1: the same slot, or slots whose clocks overlap in
either season, e.g. a junior bell beside a primary one), so each day's cluster of slots at once
is its own small CP-SAT model, solved in slot order; a group prefers the room it had at its
earlier meetings, and a care group the home room of one of its classes. A meeting that no room can take is dropped (its
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

from cluster_planner import rules
from cluster_planner.domain import Room
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


@dataclass(frozen=True)
class _SlotMeeting:
    """One meeting of the slot with its fitting rooms, best first, and preferred rooms."""

    index: int
    slot_id: str
    size: int
    weight: int  # S1/S2: what losing it weighs (rules.lost_students_weight)
    fitting: tuple[Room, ...]
    rain_fitting: tuple[Room, ...]  # indoor rooms big enough (outdoor activities only)
    preferred: dict[str, int]  # room id -> bonus


class _Occupancy:
    """Groups and places taken in each room at each slot; R1 over every instant (``max_groups``
    groups at once sharing the capacity), slots at once in either season counted together."""

    def __init__(self, sets: tuple[frozenset[str], ...]) -> None:
        self.sets_of: dict[str, list[frozenset[str]]] = defaultdict(list)
        for slot_set in sets:
            for slot_id in slot_set:
                self.sets_of[slot_id].append(slot_set)
        self.groups: dict[tuple[str, str], int] = defaultdict(int)
        self.people: dict[tuple[str, str], int] = defaultdict(int)

    def fits(self, room: Room, slot_id: str, size: int) -> bool:
        for slot_set in self.sets_of[slot_id]:
            groups = sum(self.groups[(room.room_id, t)] for t in slot_set)
            people = sum(self.people[(room.room_id, t)] for t in slot_set)
            if not rules.room_holds(room, [*([0] * groups), size]) or (
                room.max_groups > 1 and people + size > room.capacity
            ):
                return False
        return True

    def take(self, room: Room, slot_id: str, size: int, sign: int = 1) -> None:
        self.groups[(room.room_id, slot_id)] += sign
        self.people[(room.room_id, slot_id)] += sign * size


def _greedy(
    slot_meetings: list[_SlotMeeting], sets: tuple[frozenset[str], ...]
) -> tuple[dict[int, Room], dict[int, Room]]:
    """Rooms for the hardest meetings first (fewest fitting rooms, then the heaviest to lose: S1/S2)."""
    taken = _Occupancy(sets)
    room: dict[int, Room] = {}
    rain: dict[int, Room] = {}
    order = sorted(slot_meetings, key=lambda sm: (len(sm.fitting), -sm.weight, sm.index))
    for sm in order:
        ranked = sorted(sm.fitting, key=lambda r: -sm.preferred.get(r.room_id, 0))  # stable: best fit next
        choice = next((r for r in ranked if taken.fits(r, sm.slot_id, sm.size)), None)
        if choice is not None:
            room[sm.index] = choice
            taken.take(choice, sm.slot_id, sm.size)
    for sm in order:
        if sm.index in room and sm.rain_fitting:
            shelter = next((r for r in sm.rain_fitting if taken.fits(r, sm.slot_id, sm.size)), None)
            if shelter is None:
                taken.take(room[sm.index], sm.slot_id, sm.size, sign=-1)
                del room[sm.index]
            else:
                rain[sm.index] = shelter
                taken.take(shelter, sm.slot_id, sm.size)
    return room, rain


def _offered(rooms: tuple[Room, ...], must: set[str], limit: int | None) -> list[Room]:
    """The rooms a meeting may take in the model: ``must`` plus the first ``limit`` others."""
    if limit is None:
        return list(rooms)
    out = [r for r in rooms if r.room_id in must]
    out += [r for r in rooms if r.room_id not in must][:limit]
    return out


class RoomingModel:
    """One cluster of slots at once (C1): variables, one method per rule, objective terms by name.

    Rooms offered per meeting: its greedy and preferred rooms plus the first ``limit`` other
    fitting ones (all fitting rooms when ``limit`` is None), hinted with the greedy plan.
    """

    def __init__(
        self,
        slot_meetings: list[_SlotMeeting],
        sets: tuple[frozenset[str], ...],
        greedy: tuple[dict[int, Room], dict[int, Room]],
        limit: int | None,
    ) -> None:
        self.slot_meetings = slot_meetings
        self.sets = sets
        self.greedy = greedy
        self.limit = limit
        self.model = cp_model.CpModel()
        self._add_variables()
        self.add_constraints()

    # ---- variables --------------------------------------------------------------------
    def _add_variables(self) -> None:
        """Per meeting: dropped, a room among those offered, a rain room (outdoor only); greedy hints."""
        m = self.model
        g_room, g_rain = self.greedy
        self.y: dict[tuple[int, str], cp_model.IntVar] = {}  # (meeting, room) -> the meeting is there
        self.w: dict[tuple[int, str], cp_model.IntVar] = {}  # (meeting, room) -> its rain room
        self.drop: dict[int, cp_model.IntVar] = {}
        self.rooms_of: dict[int, list[Room]] = {}
        self.shelters_of: dict[int, list[Room]] = {}
        self.uses: dict[str, list[tuple[str, int, cp_model.IntVar]]] = defaultdict(list)
        self.room_by_id: dict[str, Room] = {}
        for sm in self.slot_meetings:
            i = sm.index
            self.drop[i] = m.new_bool_var(f"drop|{i}")
            m.add_hint(self.drop[i], i not in g_room)
            must = set(sm.preferred) | ({g_room[i].room_id} if i in g_room else set())
            self.rooms_of[i] = _offered(sm.fitting, must, self.limit)
            for r in self.rooms_of[i]:
                v = self.y[(i, r.room_id)] = m.new_bool_var(f"y|{i}|{r.room_id}")
                m.add_hint(v, i in g_room and g_room[i].room_id == r.room_id)
                self._use(r, sm, v)
            if sm.rain_fitting:
                keep = {g_rain[i].room_id} if i in g_rain else set()
                self.shelters_of[i] = _offered(sm.rain_fitting, keep, self.limit)
                for r in self.shelters_of[i]:
                    v = self.w[(i, r.room_id)] = m.new_bool_var(f"w|{i}|{r.room_id}")
                    m.add_hint(v, i in g_rain and g_rain[i].room_id == r.room_id)
                    self._use(r, sm, v)

    def _use(self, room: Room, sm: _SlotMeeting, v: cp_model.IntVar) -> None:
        self.uses[room.room_id].append((sm.slot_id, sm.size, v))
        self.room_by_id[room.room_id] = room

    # ---- constraints ------------------------------------------------------------------
    def add_constraints(self) -> None:
        self._add_one_room_or_dropped()
        self._add_rain_room()
        self._add_room_sharing()

    def _add_one_room_or_dropped(self) -> None:
        """R1: a meeting takes one fitting room, or is dropped."""
        for sm in self.slot_meetings:
            i = sm.index
            self.model.add_exactly_one([*(self.y[(i, r.room_id)] for r in self.rooms_of[i]), self.drop[i]])

    def _add_rain_room(self) -> None:
        """R2: an outdoor meeting held also has an indoor rain room big enough."""
        for i, shelters in self.shelters_of.items():
            self.model.add(sum(self.w[(i, r.room_id)] for r in shelters) + self.drop[i] == 1)

    def _add_room_sharing(self) -> None:
        """R1 at every instant: over each set of slots at once (either season) a room holds at most
        ``max_groups`` groups, and groups sharing it fit its capacity together."""
        for rid, all_uses in self.uses.items():
            r = self.room_by_id[rid]
            for slot_set in self.sets:
                taken = [(size, v) for t, size, v in all_uses if t in slot_set]
                if len(taken) > r.max_groups:
                    self.model.add(sum(v for _, v in taken) <= r.max_groups)
                if r.max_groups > 1 and sum(size for size, _ in taken) > r.capacity:
                    self.model.add(sum(size * v for size, v in taken) <= r.capacity)

    # ---- objective --------------------------------------------------------------------
    def objective_terms(self) -> dict[str, cp_model.LinearExprT]:
        """The objective terms by name, in the office's order (all minimised): meetings dropped
        (by the students losing them, a priority student as many others: S1/S2), then each room's
        spare seats less its preference bonus."""
        by_index = {sm.index: sm for sm in self.slot_meetings}
        return {
            "dropped": sum((DROP_WEIGHT + SIZE_WEIGHT * by_index[i].weight) * v for i, v in self.drop.items()),
            "room_fit": sum(
                (self.room_by_id[rid].capacity - by_index[i].size - by_index[i].preferred.get(rid, 0)) * v
                for (i, rid), v in self.y.items()
            ),
        }

    def solve(
        self, name: str, settings: SolveSettings, wall_left: float
    ) -> tuple[dict[int, str], dict[int, str], list[int], StageResult]:
        """Rooms and rain rooms chosen, meetings dropped, and the stage run; the greedy rooms stand
        when CP-SAT finds nothing in time."""
        self.model.minimize(sum(self.objective_terms().values()))
        solver, result = run_stage(f"C rooms {name}", self.model, settings, wall_left, ROOM_STAGE_BUDGET)
        if result.objective is None:  # keep the greedy rooms rather than lose the slot
            g_room, g_rain = self.greedy
            room = {i: r.room_id for i, r in g_room.items()}
            rain = {i: r.room_id for i, r in g_rain.items()}
            return room, rain, [sm.index for sm in self.slot_meetings if sm.index not in room], result
        room = {i: rid for (i, rid), v in self.y.items() if solver.value(v)}
        rain = {i: rid for (i, rid), v in self.w.items() if solver.value(v)}
        dropped = [sm.index for sm in self.slot_meetings if solver.value(self.drop[sm.index])]
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
    class_of = data.class_of
    used_by_group: dict[str, str] = {}
    room: dict[int, str] = {}
    rain: dict[int, str] = {}
    dropped: list[int] = []
    results: list[StageResult] = []
    for cluster in _clusters(data):
        slot_meetings = []
        for slot in cluster:
            free = sorted(
                (r for r in scenario.rooms if scenario.room_available(r, slot)), key=lambda r: (r.capacity, r.room_id)
            )
            for i in by_slot.get(slot.slot_id, ()):
                m = meetings[i]
                activity = scenario.activity_by_id[m.activity_id]
                preferred: dict[str, int] = {}
                if m.kind == "care":
                    for c in {class_of[s] for s in m.members}:
                        preferred.update(dict.fromkeys(home_rooms[c], HOME_ROOM_BONUS))
                if m.group_id in used_by_group:
                    preferred[used_by_group[m.group_id]] = SAME_ROOM_BONUS
                fitting = tuple(r for r in free if rules.room_fits(r, activity, m.size))
                preferred = {rid: b for rid, b in preferred.items() if any(r.room_id == rid for r in fitting)}
                rain_fitting = tuple(r for r in free if rules.rain_room_fits(r, m.size)) if activity.outdoor else ()
                weight = rules.lost_students_weight(m.members, data.priority_ids)
                slot_meetings.append(_SlotMeeting(i, slot.slot_id, m.size, weight, fitting, rain_fitting, preferred))
        if not slot_meetings:
            continue
        ids = {t.slot_id for t in cluster}
        sets = tuple(x for x in data.room_sets if x <= ids)
        greedy = _greedy(slot_meetings, sets)
        if greedy_only:
            found = (
                {i: r.room_id for i, r in greedy[0].items()},
                {i: r.room_id for i, r in greedy[1].items()},
                [sm.index for sm in slot_meetings if sm.index not in greedy[0]],
            )
        else:
            complete = len(greedy[0]) == len(slot_meetings)
            left = wall_left - (time.monotonic() - started)
            rooming = RoomingModel(slot_meetings, sets, greedy, CANDIDATES if complete else None)
            room_list, rain_list, drops, result = rooming.solve("+".join(t.slot_id for t in cluster), quiet, left)
            results.append(result)
            found = (room_list, rain_list, drops)
        room.update(found[0])
        rain.update(found[1])
        dropped.extend(found[2])
        for i, rid in sorted(found[0].items()):
            used_by_group.setdefault(meetings[i].group_id, rid)
    return RoomPlan(room, rain, tuple(sorted(dropped)), tuple(results))


def _clusters(data: PlanningData) -> list[list]:
    """Slots in slot order, grouped into clusters joined by being at once (R1 couples only these)."""
    clusters: list[list] = []
    for slot in data.slots:
        joined = [c for c in clusters if any(t.slot_id in data.overlapping[slot.slot_id] for t in c)]
        merged = [t for c in joined for t in c] + [slot]
        clusters = [c for c in clusters if c not in joined] + [merged]
    order = {t.slot_id: k for k, t in enumerate(data.slots)}
    return sorted((sorted(c, key=lambda t: order[t.slot_id]) for c in clusters), key=lambda c: order[c[0].slot_id])
