"""Care settled again at a slot where meetings were lost (S1, S2, S7, G1, G3, G4, T4, R1).

When rooms (C1) or adults (C2) could not be found for a meeting, its pupils stand in care at
that slot (FORMAT.md) in the care meetings that are held, whose rooms and adults are fixed. One
small CP-SAT model per such slot decides how many pupils of each home class (priority pupils
apart) each held care meeting takes. Counting classes, not pupils, keeps the model small and
makes classmates interchangeable; which pupils move is decided afterwards by who already sits
where and then by the seeded lottery (S6).

Objective terms, in the office's order (weights proven large enough for strict order): priority
pupils left out (S2), pupils left out (S1), parts a class is split into (S7, G1), pupils moved
from the meeting they were in. A priority pupil may take a place a non-priority pupil held (S2
before every other student); the pupil who gives way is listed with the reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from cluster_planner import rules
from cluster_planner.domain import Room
from cluster_planner.plan.meeting import Meeting
from cluster_planner.solver.params import SolveSettings, StageResult, run_stage
from cluster_planner.solver.prepare import PlanningData
from cluster_planner.solver.rooming import RoomPlan

Counts = dict[tuple[str, int], tuple[int, int]]  # (class, host) -> (non-priority, priority) pupils
PRIORITY_LIMIT = 0.3  # deterministic seconds for each level of a slot's model
PLACES_LIMIT = 0.5
TIDY_LIMIT = 0.2
PRIORITY_AT_LEAST = 2.0  # S2 before the clock: priority levels may run this long in all past the deadline


@dataclass(frozen=True)
class CareSlot:
    """What one slot's model is about: the held care meetings and the pupils needing care there."""

    slot_id: str
    hosts: tuple[int, ...]  # indices of the held care meetings at the slot
    capacity: Mapping[int, int]  # each host's own limit: G4 cap, T4 its adults' ratio, its room's capacity
    rooms: tuple[tuple[tuple[int, ...], int], ...]  # R1: (hosts in one room, places left there), per instant
    classes: Mapping[str, tuple[str, ...]]  # home class -> its pupils needing care at the slot
    grade: Mapping[str, int]  # home class -> grade
    eligible: Mapping[str, tuple[int, ...]]  # home class -> hosts whose activity is open to its grade
    min_size: Mapping[int, int]  # G5: a held meeting keeps at least this many
    now: Mapping[tuple[str, int], int]  # (class, host) -> pupils there now
    now_first: Mapping[tuple[str, int], int]  # (class, host) -> priority pupils among them


@dataclass
class CareSettleModel:
    """The slot's CP-SAT model: variables, one method per rule, objective terms by name."""

    data: PlanningData
    care: CareSlot
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)

    def __post_init__(self) -> None:
        self.priority = self.data.priority_ids
        self.ordinary_of = {c: [s for s in p if s not in self.priority] for c, p in self.care.classes.items()}
        self.priority_of = {c: [s for s in p if s in self.priority] for c, p in self.care.classes.items()}
        self._add_variables()
        self.add_constraints()

    # ---- variables --------------------------------------------------------------------
    def _add_variables(self) -> None:
        m = self.model
        self.ordinary: dict[tuple[str, int], cp_model.IntVar] = {}  # (class, host) -> non-priority pupils
        self.first: dict[tuple[str, int], cp_model.IntVar] = {}  # (class, host) -> priority pupils
        self.present: dict[tuple[str, int], cp_model.IntVar] = {}  # the class has a pupil there
        self.ordinary_present: dict[tuple[str, int], cp_model.IntVar] = {}  # a non-priority pupil of it
        for c, hosts in self.care.eligible.items():
            n, p = len(self.ordinary_of[c]), len(self.priority_of[c])
            for j in hosts:
                o = self.ordinary[(c, j)] = m.new_int_var(0, n, f"o_{c}_{j}")
                q = self.first[(c, j)] = m.new_int_var(0, p, f"q_{c}_{j}")
                here = self.present[(c, j)] = m.new_bool_var(f"in_{c}_{j}")
                ordinary_here = self.ordinary_present[(c, j)] = m.new_bool_var(f"oin_{c}_{j}")
                m.add(o + q >= 1).only_enforce_if(here)
                m.add(o + q == 0).only_enforce_if(~here)
                m.add(o >= 1).only_enforce_if(ordinary_here)
                m.add(o == 0).only_enforce_if(~ordinary_here)
        self.size = {j: sum(self._at(j)) for j in self.care.hosts}
        self.placed = {
            c: sum(self.ordinary[(c, j)] + self.first[(c, j)] for j in hosts) for c, hosts in self.care.eligible.items()
        }

    def _at(self, j: int) -> list[cp_model.LinearExprT]:
        return [self.ordinary[(c, j)] + self.first[(c, j)] for c in self.care.eligible if (c, j) in self.ordinary]

    def _classes_at(self, j: int) -> list[str]:
        return [c for c in self.care.eligible if (c, j) in self.ordinary]

    # ---- constraints ------------------------------------------------------------------
    def add_constraints(self) -> None:
        self._add_one_place_each()
        self._add_meeting_capacity()
        self._add_room_capacity()
        self._add_grade_span()
        self._add_big_class_alone()
        self._add_grades_mix_only_when_small()
        self._add_held_meetings_keep_pupils()

    def _add_one_place_each(self) -> None:
        """S3: a pupil is in at most one care meeting at the slot."""
        for c, hosts in self.care.eligible.items():
            self.model.add(sum(self.ordinary[(c, j)] for j in hosts) <= len(self.ordinary_of[c]))
            self.model.add(sum(self.first[(c, j)] for j in hosts) <= len(self.priority_of[c]))

    def _add_meeting_capacity(self) -> None:
        """G4 ∧ T4 ∧ R1: a meeting holds at most its cap, its adults' ratio and its room."""
        for j in self.care.hosts:
            self.model.add(self.size[j] <= self.care.capacity[j])

    def _add_room_capacity(self) -> None:
        """R1: meetings sharing a room at once hold no more than the places left in it."""
        for hosts, left in self.care.rooms:
            self.model.add(sum(self.size[j] for j in hosts) <= left)

    def _add_grade_span(self) -> None:
        """G3: the grades in a care meeting lie at most ``max_grade_span`` apart (every pupil)."""
        for j in self.care.hosts:
            by_grade: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for c in self._classes_at(j):
                by_grade[self.care.grade[c]].append(self.present[(c, j)])
            grades = sorted(by_grade)
            if rules.grade_span_ok(self.data.scenario, grades):
                continue
            has = {g: self._any(by_grade[g], f"g{g}_{j}") for g in grades}
            for g in grades:
                for h in grades:
                    if not rules.grade_span_ok(self.data.scenario, (g, h)):
                        self.model.add_bool_or([~has[g], ~has[h]])

    def _add_big_class_alone(self) -> None:
        """G1: a class with ``merge_threshold`` or more pupils in care at the slot shares no
        meeting with another class's non-priority pupils (priority pupils may join any: S2). A
        class that could reach the threshold either stays below it or keeps to itself."""
        threshold = rules.merge_threshold(self.data.scenario)
        for c, hosts in self.care.eligible.items():
            if len(self.care.classes[c]) < threshold:
                continue
            alone = self.model.new_bool_var(f"alone_{c}")
            self.model.add(self.placed[c] <= threshold - 1).only_enforce_if(~alone)
            for j in hosts:
                others = [self.ordinary_present[(d, j)] for d in self._classes_at(j) if d != c]
                if others:
                    self.model.add(sum(others) == 0).only_enforce_if([alone, self.present[(c, j)]])

    def _add_grades_mix_only_when_small(self) -> None:
        """G3: grades (of non-priority pupils) mix in a meeting only when one of them has fewer
        than ``merge_threshold`` pupils needing care at the slot (read as G1 is)."""
        threshold = rules.merge_threshold(self.data.scenario)
        per_grade: dict[int, int] = defaultdict(int)
        for c in self.care.eligible:
            per_grade[self.care.grade[c]] += len(self.care.classes[c])
        for j in self.care.hosts:
            present: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for c in self._classes_at(j):
                present[self.care.grade[c]].append(self.ordinary_present[(c, j)])
            big = [self._any(lits, f"og{g}_{j}") for g, lits in present.items() if per_grade[g] >= threshold]
            small = [lit for g, lits in present.items() if per_grade[g] < threshold for lit in lits]
            if len(big) < 2:
                continue
            if small:
                self.model.add(sum(big) <= 1 + len(big) * self._any(small, f"small_{j}"))
            else:
                self.model.add(sum(big) <= 1)

    def _add_held_meetings_keep_pupils(self) -> None:
        """G5: a held meeting keeps at least its minimum size (or what it has, if fewer)."""
        for j in self.care.hosts:
            if self.care.min_size[j] > 0:
                self.model.add(self.size[j] >= self.care.min_size[j])

    def _any(self, literals: list[cp_model.IntVar], name: str) -> cp_model.IntVar:
        if len(literals) == 1:
            return literals[0]
        b = self.model.new_bool_var(name)
        self.model.add_max_equality(b, literals)
        return b

    # ---- objective --------------------------------------------------------------------
    def terms(self) -> dict[str, cp_model.LinearExprT]:
        """The objective terms by name, in the office's order (all minimised)."""
        kept = []
        for (c, j), n in self.care.now.items():
            if (c, j) in self.ordinary and n:
                k = self.model.new_int_var(0, n, f"kept_{c}_{j}")
                self.model.add(k <= self.ordinary[(c, j)] + self.first[(c, j)])
                kept.append(k)
        return {
            "priority_left_out": sum(len(p) for p in self.priority_of.values())
            - sum(self.first[k] for k in self.first),
            "left_out": sum(len(p) for p in self.ordinary_of.values()) - sum(self.ordinary[k] for k in self.ordinary),
            "class_parts": sum(self.present.values()),
            "moved": sum(self.care.now.values()) - sum(kept),
        }

    def _hint_stay(self, key: tuple[str, int]) -> None:
        """Hint that the class's pupils at the host stay there."""
        here, first = self.care.now.get(key, 0), self.care.now_first.get(key, 0)
        self.model.add_hint(self.ordinary[key], here - first)
        self.model.add_hint(self.first[key], first)
        self.model.add_hint(self.present[key], int(here > 0))

    def solve(self, settings: SolveSettings, wall_left: float, grace: float = 0.0) -> tuple[Counts, list[StageResult]]:
        """(class, host) -> (non-priority, priority) pupils there, and the stages run.

        Level by level in the office's order (each level's value then holds as a constraint):
        priority pupils left out, pupils left out, then class parts and moves. Each
        level starts from the last one's plan (at first: everyone stays where they are). When no
        priority pupil lost a place, the first level is a constraint (they all keep one) instead
        of a search. ``grace``: wall seconds the priority level may run past the deadline."""
        terms = self.terms()
        pupils = sum(len(p) for p in self.care.classes.values())
        # The priority level also counts pupils moved from where they sit, so that its plan, kept
        # when the next level finds nothing in time, turns nobody out for nothing.
        levels = (  # (name, term, deterministic limit, wall seconds it gets past the deadline)
            ("priority", terms["priority_left_out"] * (pupils + 1) + terms["moved"], PRIORITY_LIMIT, PRIORITY_AT_LEAST),
            ("places", terms["left_out"], PLACES_LIMIT, 0.0),
            ("classes", terms["class_parts"] * (pupils + 1) + terms["moved"], TIDY_LIMIT, 0.0),
        )
        for key in self.ordinary:  # at first everyone stays where they are
            self._hint_stay(key)
        results: list[StageResult] = []
        counts: Counts = {}
        seated_first = sum(self.care.now_first.values())
        for name, term, limit, at_least in levels:
            if name == "priority" and seated_first == sum(len(p) for p in self.priority_of.values()):
                self.model.add(terms["priority_left_out"] == 0)  # every priority pupil keeps a place
                continue
            self.model.minimize(term)
            # the other levels stop ``grace`` before the deadline, which the priority levels may use
            keep = 0.0 if name == "priority" else grace
            solver, result = run_stage(
                f"C care {self.care.slot_id} {name}",
                self.model,
                settings,
                max(0.0, settings.left(wall_left) - keep),
                deterministic_limit=limit,
                at_least=min(at_least, grace),
            )
            results.append(result)
            if result.objective is None:
                break
            counts = {k: (solver.value(self.ordinary[k]), solver.value(self.first[k])) for k in self.ordinary}
            self.model.add(term <= round(result.objective))
            self.model.clear_hints()
            for var in (*self.ordinary.values(), *self.first.values()):
                self.model.add_hint(var, solver.value(var))
        return counts, results


def settle_care(
    data: PlanningData,
    meetings: list[Meeting],
    dropped: set[int],
    rooms: RoomPlan,
    adults_of: Mapping[int, tuple[str, ...]],
    settings: SolveSettings,
    wall_left: float,
) -> tuple[list[Meeting], list[tuple[str, str]], list[StageResult]]:
    """The meetings with care settled at every slot where a meeting with pupils was lost; the
    pupils who gave their place to a priority pupil (student, slot); the stages run."""
    meetings = list(meetings)
    gave_way: list[tuple[str, str]] = []
    results: list[StageResult] = []
    solved: dict[tuple, Counts] = {}  # a day's periods often pose the same question: answered once
    grace = PRIORITY_AT_LEAST
    slots = sorted({meetings[i].slot_id for i in dropped if meetings[i].members})
    for slot_id in slots:
        care = _care_slot(data, meetings, dropped, rooms, adults_of, slot_id)
        if care is None:
            continue
        key = _signature(data, care)
        if key in solved:
            counts = _by_position(solved[key], care)
        else:
            left = max(0.0, settings.left(wall_left))
            counts, stages = CareSettleModel(data, care).solve(settings, wall_left, grace)
            results += stages
            spent = sum(r.seconds for r in stages if r.name.endswith("priority"))
            grace = max(0.0, grace - max(0.0, spent - left))  # what the priority level took past the deadline
            if not _better_than_staying(care, counts):
                counts = {}  # out of time before a plan that seats more: everyone stays where they are
            counts = _keep_classes_together(care, counts, rules.merge_threshold(data.scenario))
            solved[key] = _to_position(counts, care)
        if counts:
            gave_way += _seat(data, meetings, dropped, care, counts)
    return meetings, gave_way, results


def _better_than_staying(care: CareSlot, counts: Counts) -> bool:
    """More priority pupils seated than now, or as many and at least as many pupils in all (S2, S1)."""
    first, seated = sum(q for _o, q in counts.values()), sum(o + q for o, q in counts.values())
    first_now, seated_now = sum(care.now_first.values()), sum(care.now.values())
    return first > first_now or (first == first_now and seated >= seated_now)


def _signature(data: PlanningData, care: CareSlot) -> tuple:
    """The slot's question with meetings named by position: equal signatures, equal answers."""
    pos = {j: k for k, j in enumerate(care.hosts)}
    priority = data.priority_ids
    return (
        tuple((care.capacity[j], care.min_size[j]) for j in care.hosts),
        tuple((tuple(pos[j] for j in hosts), left) for hosts, left in care.rooms),
        tuple(
            sorted(
                (c, care.grade[c], sum(s in priority for s in p), len(p), tuple(pos[j] for j in care.eligible[c]))
                for c, p in care.classes.items()
            )
        ),
        tuple(sorted((c, pos[j], n, care.now_first.get((c, j), 0)) for (c, j), n in care.now.items())),
    )


def _to_position(counts: Counts, care: CareSlot) -> dict[tuple[str, int], tuple[int, int]]:
    pos = {j: k for k, j in enumerate(care.hosts)}
    return {(c, pos[j]): n for (c, j), n in counts.items()}


def _by_position(counts: Mapping[tuple[str, int], tuple[int, int]], care: CareSlot) -> Counts:
    return {(c, care.hosts[k]): n for (c, k), n in counts.items()}


def _keep_classes_together(care: CareSlot, counts: Counts, threshold: int) -> Counts:
    """S7 and G1 made sure: a class split across meetings moves whole into one of them that can
    take it (its cap, adults and room), as long as the meetings it leaves keep their minimum or
    close, and G1 and G3's threshold hold there as the model reads them (:func:`_may_join`).
    The grade span holds (the class is there already), and nobody loses a place."""
    counts = dict(counts)
    size = {j: sum(o + q for (_, h), (o, q) in counts.items() if h == j) for j in care.hosts}

    def fits(h: int, extra: int) -> bool:
        if size[h] + extra > care.capacity[h]:
            return False
        return all(sum(size[j] for j in hosts) + extra <= left for hosts, left in care.rooms if h in hosts)

    moved = True
    while moved:
        moved = False
        for c in sorted(care.classes):
            parts = {j: counts[(c, j)] for j in care.eligible[c] if sum(counts.get((c, j), (0, 0)))}
            if len(parts) < 2:
                continue
            for h in sorted(parts, key=lambda j: (-sum(parts[j]), j)):
                others = [j for j in parts if j != h]
                extra = sum(sum(parts[j]) for j in others)
                after = {j: size[j] - sum(parts[j]) for j in others}
                ordinary_moving = any(parts[j][0] for j in others)
                if ordinary_moving and not parts[h][0] and not _may_join(care, counts, c, h, threshold):
                    continue  # only its priority pupils are there, and its others may not join (G1, G3)
                if not fits(h, extra) or any(0 < after[j] < care.min_size[j] for j in others):
                    continue
                counts[(c, h)] = tuple(sum(n[i] for n in parts.values()) for i in (0, 1))  # type: ignore[assignment]
                for j in others:
                    counts[(c, j)] = (0, 0)
                    size[j] = after[j]
                size[h] += extra
                moved = True
                break
    return counts


def _may_join(care: CareSlot, counts: Counts, c: str, h: int, threshold: int) -> bool:
    """G1 and G3's threshold, read on the pupils placed in care at the slot (as the model reads G1,
    and the checker both), when non-priority pupils of class ``c`` join meeting ``h``: no class at
    the threshold there shares it with another class's non-priority pupils, and grades mix only
    when one of them is small."""
    placed: dict[str, int] = defaultdict(int)
    per_grade: dict[int, int] = defaultdict(int)
    for (d, _j), (o, q) in counts.items():
        placed[d] += o + q
        per_grade[care.grade[d]] += o + q
    here = {d: counts.get((d, h), (0, 0)) for d in care.classes}
    present = {d for d, (o, q) in here.items() if o + q}
    ordinary = {d for d, (o, _q) in here.items() if o} | {c}
    if any(placed[d] >= threshold and ordinary - {d} for d in present | {c}):
        return False
    grades = {care.grade[d] for d in ordinary}
    return len(grades) < 2 or any(per_grade[g] < threshold for g in grades)


def _care_slot(
    data: PlanningData,
    meetings: list[Meeting],
    dropped: set[int],
    rooms: RoomPlan,
    adults_of: Mapping[int, tuple[str, ...]],
    slot_id: str,
) -> CareSlot | None:
    """The slot's model data, or None when no pupil left out has a held care meeting open to them."""
    scenario = data.scenario
    activity = scenario.activity_by_id
    room_of = rooms.room
    hosts = tuple(
        j
        for j, m in enumerate(meetings)
        if j not in dropped and m.kind == "care" and m.slot_id == slot_id and j in room_of
    )
    if not hosts:
        return None
    class_of = data.class_of
    pupils = [s for j in hosts for s in meetings[j].members]
    # A pupil whose class activity meets then stands in it (FORMAT.md), never in care: one left
    # out of a full class part stays listed with that part's reason.
    class_meets = {
        class_of[s]
        for i, m in enumerate(meetings)
        if i not in dropped and m.kind == "class" and m.slot_id == slot_id
        for s in m.members
    }
    pupils += [
        s
        for i in sorted(dropped)
        if meetings[i].slot_id == slot_id
        for s in meetings[i].members
        if class_of[s] not in class_meets
    ]
    classes: dict[str, list[str]] = defaultdict(list)
    for s in dict.fromkeys(pupils):
        classes[class_of[s]].append(s)
    grade = {c: data.grade[p[0]] for c, p in classes.items()}
    eligible = {c: tuple(j for j in hosts if activity[meetings[j].activity_id].eligible(grade[c])) for c in classes}
    eligible = {c: js for c, js in eligible.items() if js}
    held = {s for j in hosts for s in meetings[j].members}
    if all(s in held for c in eligible for s in classes[c]):
        return None  # nobody who lost a meeting could stand in a held care meeting
    capacity = {
        j: rules.meeting_capacity(
            scenario,
            activity[meetings[j].activity_id],
            len(set(adults_of.get(j, ()))),
            (scenario.room_by_id[room_of[j]],),
        )
        for j in hosts
    }
    now = Counter((class_of[s], j) for j in hosts for s in meetings[j].members)
    now_first = Counter((class_of[s], j) for j in hosts for s in meetings[j].members if s in data.priority_ids)
    min_size = {j: min(meetings[j].size, max(1, activity[meetings[j].activity_id].min_size)) for j in hosts}
    return CareSlot(
        slot_id=slot_id,
        hosts=hosts,
        capacity=capacity,
        rooms=_room_limits(data, meetings, dropped, rooms, hosts, slot_id),
        classes={c: tuple(p) for c, p in classes.items() if c in eligible},
        grade=grade,
        eligible=eligible,
        min_size=min_size,
        now=now,
        now_first=now_first,
    )


def _room_limits(
    data: PlanningData,
    meetings: list[Meeting],
    dropped: set[int],
    rooms: RoomPlan,
    hosts: tuple[int, ...],
    slot_id: str,
) -> tuple[tuple[tuple[int, ...], int], ...]:
    """R1 as the checker reads it: at every slot at once with this one, the meetings in a room at
    that slot or one overlapping it (and outdoor meetings whose rain room it is) hold no more than
    its capacity; the hosts' share is what the other meetings leave."""
    scenario = data.scenario
    room_of, rain_room_of = rooms.room, rooms.rain_room
    out = []
    by_room: dict[str, list[int]] = defaultdict(list)
    for j in hosts:
        by_room[room_of[j]].append(j)
    for room_id, here in sorted(by_room.items()):
        room: Room = scenario.room_by_id[room_id]
        for x in sorted(data.overlapping[slot_id]):
            at_once = data.overlapping[x]
            load = 0
            for i, m in enumerate(meetings):
                if i in dropped or i in here or m.slot_id not in at_once:
                    continue
                in_room = room_of.get(i) == room_id
                rain = rain_room_of.get(i) == room_id and i in room_of and scenario.room_by_id[room_of[i]].outdoor
                if in_room or rain:
                    load += m.size
            out.append((tuple(here), room.capacity - load))
    return tuple(out)


def _seat(
    data: PlanningData,
    meetings: list[Meeting],
    dropped: set[int],
    care: CareSlot,
    counts: Mapping[tuple[str, int], tuple[int, int]],
) -> list[tuple[str, str]]:
    """Write the model's counts into ``meetings``: pupils stay where they are where the counts
    allow, the luckiest (S6) first; the others fill the places left, luckiest first. Pupils left
    out stay in (or return to) the lost meeting they came from; a pupil who held a place and lost
    it (a priority pupil came first, or more pupils fit otherwise) is returned."""
    lottery = data.lottery
    priority = data.priority_ids
    source: dict[str, int] = {}
    for i in sorted(dropped):
        if meetings[i].slot_id == care.slot_id:
            for s in meetings[i].members:
                source[s] = i
    seated_before = {s: j for j in care.hosts for s in meetings[j].members}
    members: dict[int, list[str]] = {j: [] for j in care.hosts}
    gave_way: list[tuple[str, str]] = []
    for c, pupils in care.classes.items():
        for first in (False, True):
            mine = sorted((s for s in pupils if (s in priority) == first), key=lambda s: lottery[s])
            want = {j: counts.get((c, j), (0, 0))[1 if first else 0] for j in care.eligible[c]}
            left = []
            for s in mine:  # stay where you are
                j = seated_before.get(s)
                if j is not None and want.get(j, 0) > 0:
                    members[j].append(s)
                    want[j] -= 1
                else:
                    left.append(s)
            for j in care.eligible[c]:  # fill the places left
                while want[j] > 0 and left:
                    members[j].append(left.pop(0))
                    want[j] -= 1
            for s in left:
                if s in seated_before:
                    gave_way.append((s, care.slot_id))
    for j in care.hosts:
        meetings[j] = replace(meetings[j], members=tuple(sorted(members[j])))
    seated = {s for j in care.hosts for s in members[j]}
    for i, m in enumerate(meetings):
        if i in source.values():
            meetings[i] = replace(m, members=tuple(s for s in m.members if s not in seated))
    return gave_way
