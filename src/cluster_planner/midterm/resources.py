"""Re-room meetings whose room closed and re-staff meetings and duties whose adult is away.

Two small CP-SAT models over the affected meetings only, each in the shape of
:class:`~cluster_planner.solver.allocation.AllocationModel`: variables, ``add_constraints()``
with one ``_add_<rule>`` per rule, objective terms returned by name in the office's order.
Every other meeting keeps its room and adults and counts as fixed load. A meeting that cannot
get a room or enough adults is returned as dropped (the repair then drops its whole group and
re-places its students).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from cluster_planner import rules
from cluster_planner.domain import DutyPost, Room, Staff
from cluster_planner.midterm.state import Duty, Key, WorkingPlan
from cluster_planner.plan.figures import rate_of
from cluster_planner.plan.meeting import Meeting
from cluster_planner.solver.params import SolveSettings, StageResult, run_stage

# Re-rooming, minimised in this order: a meeting left without a room, then a room the group
# does not use at its other meetings (plus the places it wastes, up to 50).
ROOM_DROP = 1_000_000
OTHER_ROOM = 100

# Re-staffing, minimised in this order (T1: own teachers first, then outside people, then pay).
DROP = 10_000_000_000  # a meeting left without enough adults (its students move)
DUTY_GAP = 1_000_000_000  # a duty post left short
OUTSIDE = 10_000_000  # T1: an outside person (external, volunteer, security) takes a meeting
SWAP = 100_000  # a meeting that keeps its slot but gets another adult
NEW_FACE = 10_000  # an adult who leads none of the group's other meetings
CANDIDATES = 6  # free adults offered to a swap partner
SCALE = 100  # periods in hundredths


@dataclass(frozen=True)
class Repaired:
    """Meetings that could not be repaired, and the CP-SAT stages run."""

    dropped: dict[Key, str]  # meeting -> "room" | "adult"
    stages: tuple[StageResult, ...]
    duty_gaps: tuple[tuple[str, str, str, int], ...] = ()  # (day, slot_id, post, missing)


# ---- rooms ------------------------------------------------------------------------------------
class RoomingModel:
    """R: a room (rain room) for each meeting whose room (rain room) closed, or the meeting drops."""

    def __init__(self, work: WorkingPlan, needs: list[tuple[Meeting, str]], closed: frozenset[str]) -> None:
        self.work = work
        self.needs = needs
        self.closed = closed
        self.skip = frozenset((m.key, role) for m, role in needs)
        self.model = cp_model.CpModel()
        self.choice: dict[tuple[int, str], cp_model.IntVar] = {}
        self.drop: dict[Key, cp_model.IntVar] = {}
        self._add_variables()

    def _fits(self, room: Room, meeting: Meeting, role: str) -> bool:
        """R1 (a room) or R2 (a rain room): open, available, of a listed type, big enough, free."""
        sc = self.work.scenario
        slot = sc.slot_by_id[meeting.slot_id]
        if room.room_id in self.closed or not sc.room_available(room, slot):
            return False
        if role == "room" and not rules.room_fits(room, self.work.activity(meeting), meeting.size):
            return False
        if role == "rain" and not rules.rain_room_fits(room, meeting.size):
            return False
        return self.work.room_takes(room, meeting.slot_id, meeting.size, self.skip)

    def _add_variables(self) -> None:
        rooms = sorted(self.work.scenario.rooms, key=lambda r: r.room_id)
        for i, (m, role) in enumerate(self.needs):
            for room in rooms:
                if self._fits(room, m, role):
                    self.choice[(i, room.room_id)] = self.model.new_bool_var(f"y{i}_{room.room_id}")
            if m.key not in self.drop:
                self.drop[m.key] = self.model.new_bool_var(f"drop{i}")

    def add_constraints(self) -> None:
        self._add_r1_r2_room_or_drop()
        self._add_r1_room_holds()

    def _add_r1_r2_room_or_drop(self) -> None:
        """R1/R2: each need gets one room, or its meeting drops."""
        for i, (m, _role) in enumerate(self.needs):
            options = [v for (j, _r), v in self.choice.items() if j == i]
            self.model.add(sum(options) + self.drop[m.key] == 1)

    def _add_r1_room_holds(self) -> None:
        """R1: over each slot and those at once with it a room holds at most ``max_groups`` groups,
        sharing its capacity (read strictly, as the solver and the checker read it)."""
        work = self.work
        for room in work.scenario.rooms:
            uses = [(i, v) for (i, rid), v in self.choice.items() if rid == room.room_id]
            if not uses:
                continue
            for together in work.room_sets:
                new = [(v, self.needs[i][0].size) for i, v in uses if self.needs[i][0].slot_id in together]
                if not new:
                    continue
                fixed = work.room_sizes(room.room_id, together, self.skip)
                self.model.add(sum(v for v, _ in new) <= room.max_groups - len(fixed))
                if room.max_groups > 1:
                    self.model.add(sum(size * v for v, size in new) <= room.capacity - sum(fixed))

    def objective_terms(self) -> dict[str, cp_model.LinearExprT]:
        """Named terms, the office's order: meetings dropped, then rooms changed."""
        usual: dict[tuple[str, str], set[str]] = defaultdict(set)  # (group, role) -> rooms it uses
        for o in self.work.meetings.values():
            usual[(o.group_id, "room")].add(o.room_id)
            usual[(o.group_id, "rain")].add(o.rain_room_id)
        other = []
        for (i, rid), v in self.choice.items():
            m, role = self.needs[i]
            if rid not in usual[(m.group_id, role)] - self.closed:
                room = self.work.scenario.room_by_id[rid]
                other.append((OTHER_ROOM + min(room.capacity - m.size, 50)) * v)
        return {"dropped": ROOM_DROP * sum(self.drop.values()), "other_room": sum(other)}

    def solve(self, settings: SolveSettings) -> Repaired:
        self.add_constraints()
        self.model.minimize(sum(self.objective_terms().values()))
        solver, stage = run_stage("R re-room", self.model, settings, settings.time_limit, deterministic_limit=5.0)
        solved = stage.objective is not None
        dropped: dict[Key, str] = {}
        for i, (m, role) in enumerate(self.needs):
            if not solved or solver.value(self.drop[m.key]):
                dropped[m.key] = "room"
                continue
            room_id = next(r for (j, r), v in self.choice.items() if j == i and solver.value(v))
            current = self.work.meetings[m.key]
            self.work.put(
                replace(current, room_id=room_id) if role == "room" else replace(current, rain_room_id=room_id)
            )
        return Repaired(dropped, (stage,))


def reroom(work: WorkingPlan, closed: frozenset[str], settings: SolveSettings) -> Repaired:
    """A new room (rain room) for every meeting whose room (rain room) is closed (R1, R2)."""
    needs: list[tuple[Meeting, str]] = []
    for m in sorted(work.meetings.values(), key=lambda m: m.key):
        if m.room_id in closed:
            needs.append((m, "room"))
        if m.rain_room_id in closed:
            needs.append((m, "rain"))
    if not needs:
        return Repaired({}, ())
    return RoomingModel(work, needs, closed).solve(settings)


# ---- adults -----------------------------------------------------------------------------------
class StaffingModel:
    """T: adults for meetings short of them and holders for duty posts left open (T1–T6).

    ``needs``: (meeting, adults it needs). ``partners``: meetings whose own adults were taken
    off so that one of them may swap into a meeting in need (their own adults cost nothing,
    a free one ``SWAP``); they never drop.
    """

    def __init__(
        self,
        work: WorkingPlan,
        needs: list[tuple[Meeting, int]],
        duty_needs: list[tuple[str, str, str]],
        away: frozenset[str],
        partners: dict[Key, tuple[str, ...]] | None = None,
    ) -> None:
        self.work = work
        self.needs = needs
        self.duty_needs = duty_needs
        self.partners = partners or {}
        sc = work.scenario
        self.staff = [p for p in sorted(sc.staff, key=lambda p: p.staff_id) if p.staff_id not in away]
        self.model = cp_model.CpModel()
        self.lead: dict[tuple[int, str], cp_model.IntVar] = {}
        self.drop: dict[int, cp_model.IntVar] = {}
        self.holds: dict[tuple[int, str], cp_model.IntVar] = {}
        self.gap: dict[int, cp_model.IntVar] = {}
        self.post = _posts_by_key(work)
        self._add_variables()

    # ---- variables ------------------------------------------------------------------------
    def _offered(self, m: Meeting) -> list[Staff]:
        """T2 ∧ T3 ∧ T5: adults who may lead the meeting, free then and with the periods left."""
        activity, slot = self.work.activity(m), self.work.slot(m.slot_id)
        offered = [p for p in self.staff if p.staff_id not in m.staff_ids and self.work.may_take(p, activity, slot)]
        if m.key in self.partners:  # its own adults, or a few of the least-loaded free ones
            own = self.partners[m.key]
            mine = [p for p in offered if p.staff_id in own]
            others = sorted((p for p in offered if p.staff_id not in own), key=lambda p: self._load(p))
            offered = mine + others[:CANDIDATES]
        return offered

    def _holders(self, j: int) -> list[Staff]:
        """T6 (+ T2, T5): people who may hold the post and are free then."""
        need = self.duty_needs[j]
        slot_id = need[1]
        able = _may_hold_open_post(self.work, self.staff, need, self.post)
        return [p for p in able if not (slot_id and self.work.busy_at(p.staff_id, slot_id))]

    def _add_variables(self) -> None:
        m = self.model
        for i, (meeting, _n) in enumerate(self.needs):
            for p in self._offered(meeting):
                self.lead[(i, p.staff_id)] = m.new_bool_var(f"a{i}_{p.staff_id}")
            self.drop[i] = m.new_bool_var(f"drop{i}")
        for j in range(len(self.duty_needs)):
            for p in self._holders(j):
                self.holds[(j, p.staff_id)] = m.new_bool_var(f"d{j}_{p.staff_id}")
            self.gap[j] = m.new_bool_var(f"miss{j}")

    def _load(self, person: Staff) -> float:
        return self.work.periods(person.staff_id)[0]

    # ---- constraints ----------------------------------------------------------------------
    def add_constraints(self) -> None:
        self._add_t4_adults()
        self._add_t6_posts()
        self._add_t5_one_place()
        self._add_t5_hours()

    def _add_t4_adults(self) -> None:
        """T4: a meeting gets the adults it needs, or drops; a swap partner always keeps its number."""
        for i, (meeting, n) in enumerate(self.needs):
            options = [v for (k, _p), v in self.lead.items() if k == i]
            self.model.add(sum(options) == n * (1 - self.drop[i]))
            if meeting.key in self.partners:
                self.model.add(self.drop[i] == 0)

    def _add_t6_posts(self) -> None:
        """T6: each open duty post gets a holder, or is listed short."""
        for j in range(len(self.duty_needs)):
            options = [v for (k, _p), v in self.holds.items() if k == j]
            self.model.add(sum(options) + self.gap[j] == 1)

    def _uses(self) -> dict[str, list[tuple[cp_model.IntVar, str, str, float]]]:
        """Per person: (variable, day, slot_id or "" for an all-day post, periods) of the new work."""
        out: dict[str, list[tuple[cp_model.IntVar, str, str, float]]] = defaultdict(list)
        for (i, pid), v in self.lead.items():
            slot = self.work.slot(self.needs[i][0].slot_id)
            out[pid].append((v, slot.day.value, slot.slot_id, slot.periods))
        for (j, pid), v in self.holds.items():
            day, slot_id, name = self.duty_needs[j]
            out[pid].append((v, day, slot_id, self.post[(day, slot_id, name)].periods))
        return out

    def _add_t5_one_place(self) -> None:
        """T5: one place at a time among the new work (either season); one all-day post a day."""
        for uses in self._uses().values():
            for together in self.work.simultaneous:
                at_once = [v for v, _d, s, _p in uses if s in together]
                if len(at_once) > 1:
                    self.model.add(sum(at_once) <= 1)
            by_day: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for v, day, slot_id, _p in uses:
                if not slot_id:
                    by_day[day].append(v)
            for vs in by_day.values():
                if len(vs) > 1:
                    self.model.add(sum(vs) <= 1)

    def _add_t5_hours(self) -> None:
        """T5: periods a day and a week within the person's limits, on top of what they work already."""
        person = self.work.scenario.staff_by_id
        for pid, uses in self._uses().items():
            by_day: dict[str, list[tuple[cp_model.IntVar, float]]] = defaultdict(list)
            for v, day, _s, periods in uses:
                by_day[day].append((v, periods))
            for day, terms in by_day.items():
                left = self.work.hours_left(person[pid], day)[1]
                if left is not None:
                    self.model.add(sum(round(w * SCALE) * v for v, w in terms) <= max(round(left * SCALE), 0))
            left = self.work.hours_left(person[pid], "")[0]
            if left is not None:
                terms = [(v, periods) for v, _d, _s, periods in uses]
                self.model.add(sum(round(w * SCALE) * v for v, w in terms) <= max(round(left * SCALE), 0))

    # ---- objective ------------------------------------------------------------------------
    def objective_terms(self) -> dict[str, cp_model.LinearExprT]:
        """Named terms in the office's order: meetings dropped, posts short, outside people (T1),
        swaps, new faces in a group, then pay. (A term for the least-loaded adult made the model of
        100 changes on nine-year-3000 run into its time limit; ties go by the seeded search.)"""
        sc = self.work.scenario
        person = sc.staff_by_id
        usual: dict[str, set[str]] = defaultdict(set)  # group -> adults leading any of its meetings
        for o in self.work.meetings.values():
            usual[o.group_id].update(o.staff_ids)
        outside, swaps, faces, pay = [], [], [], []
        for (i, pid), v in self.lead.items():
            m = self.needs[i][0]
            if rules.is_outside(person[pid]):
                outside.append(v)
            if m.key in self.partners:
                if pid not in self.partners[m.key]:
                    swaps.append(v)
            elif pid not in usual[m.group_id]:
                faces.append(v)
            pay.append(round(rate_of(sc, pid) * self.work.slot(m.slot_id).periods) * v)
        for (j, pid), v in self.holds.items():
            day, slot_id, name = self.duty_needs[j]
            pay.append(round(rate_of(sc, pid) * self.post[(day, slot_id, name)].periods) * v)
        return {
            "dropped": DROP * sum(self.drop.values()),
            "duty_gaps": DUTY_GAP * sum(self.gap.values()),
            "outside": OUTSIDE * sum(outside),
            "swaps": SWAP * sum(swaps),
            "new_faces": NEW_FACE * sum(faces),
            "pay": sum(pay),
        }

    def solve(self, settings: SolveSettings) -> Repaired:
        """Solve and write the adults and duty holders found into the working plan."""
        self.add_constraints()
        self.model.minimize(sum(self.objective_terms().values()))
        solver, stage = run_stage("T re-staff", self.model, settings, settings.time_limit, deterministic_limit=5.0)
        solved = stage.objective is not None
        dropped: dict[Key, str] = {}
        for i, (m, _n) in enumerate(self.needs):
            current = self.work.meetings[m.key]
            if not solved or solver.value(self.drop[i]):
                if m.key in self.partners:
                    self.work.put(replace(current, staff_ids=self.partners[m.key]))
                else:
                    dropped[m.key] = "adult"
                continue
            chosen = [p for (k, p), v in sorted(self.lead.items()) if k == i and solver.value(v)]
            kept = [p for p in self.partners.get(m.key, ()) if p in chosen]
            self.work.put(
                replace(current, staff_ids=(*current.staff_ids, *kept, *(p for p in chosen if p not in kept)))
            )
        gaps = []
        duties: list[Duty] = list(self.work.duties)
        for j, (day, slot_id, name) in enumerate(self.duty_needs):
            taken = [p for (k, p), v in sorted(self.holds.items()) if k == j and solved and solver.value(v)]
            duties.extend((day, slot_id, name, p) for p in taken)
            if not taken:
                gaps.append((day, slot_id, name, 1))
        self.work.set_duties(duties)
        return Repaired(dropped, (stage,), tuple(gaps))


def _posts_by_key(work: WorkingPlan) -> dict[tuple[str, str, str], DutyPost]:
    """The scenario's duty posts by (day, slot_id or "", post), as the working plan's duties name them."""
    return {(p.day.value, p.slot_id or "", p.post): p for p in work.scenario.duties}


def _may_hold_open_post(
    work: WorkingPlan,
    staff: list[Staff],
    need: tuple[str, str, str],
    posts: dict[tuple[str, str, str], DutyPost],
) -> list[Staff]:
    """T6 (+ T2, T5): of ``staff``, those who may hold the open post ``need`` (day, slot_id, post):
    not holding it already, not on another all-day post that day (for an all-day post), of its
    kind, cleared, available and with the hours. Whether they are free at its slot is the caller's."""
    post = posts.get(need)
    if post is None:
        return []
    day, slot_id, _name = need
    holders = {p for d, s, n, p in work.duties if (d, s, n) == need}
    all_day = {p for d, s, _n, p in work.duties if d == day and not s}
    slots = work.scenario.sorted_slots
    return [
        p
        for p in staff
        if p.staff_id not in holders
        and not (not slot_id and p.staff_id in all_day)
        and rules.may_hold_duty(p, post, slots)
    ]


def _post_partners(work: WorkingPlan, open_posts: list[tuple[str, str, str]], away: frozenset[str]) -> set[Key]:
    """Meetings of people who could hold an open post (T6) but lack the hours or are busy then:
    up to ``CANDIDATES`` per post, the least loaded first, so that one of them can hand meetings on."""
    staff = [p for p in work.scenario.staff if p.staff_id not in away]
    posts = _posts_by_key(work)
    leads: dict[str, list[Key]] = defaultdict(list)
    for m in sorted(work.meetings.values(), key=lambda m: m.key):
        for pid in m.staff_ids:
            leads[pid].append(m.key)
    out: set[Key] = set()
    for need in open_posts:
        able = [p for p in _may_hold_open_post(work, staff, need, posts) if leads[p.staff_id]]
        able.sort(key=lambda p: (work.periods(p.staff_id)[0], p.staff_id))
        for p in able[:CANDIDATES]:
            out.update(leads[p.staff_id])
    return out


def restaff(work: WorkingPlan, away: frozenset[str], settings: SolveSettings) -> Repaired:
    """Replace every away adult at their meetings and duty posts (T1–T6), least change first.

    First only free adults are offered. Then a meeting still uncovered may take an adult from
    another meeting at its slot, which gets a free adult instead; and a duty post still open may
    be held by someone who hands one of their meetings to a free adult to have the hours (a swap:
    two places change adults, no student moves).
    """
    needs: list[tuple[Meeting, int]] = []
    for m in sorted(work.meetings.values(), key=lambda m: m.key):
        gone = [p for p in m.staff_ids if p in away]
        if gone:
            kept = replace(m, staff_ids=tuple(p for p in m.staff_ids if p not in away))
            work.put(kept)
            needs.append((kept, len(gone)))
    duty_needs = [(d, s, post) for d, s, post, p in work.duties if p in away]
    work.set_duties(d for d in work.duties if d[3] not in away)
    if not needs and not duty_needs:
        return Repaired({}, ())
    first = StaffingModel(work, needs, duty_needs, away).solve(settings)
    if not first.dropped and not first.duty_gaps:
        return first
    again = [(work.meetings[m.key], n) for m, n in needs if m.key in first.dropped]
    open_posts = [(d, s, post) for d, s, post, _n in first.duty_gaps]
    touched = {m.slot_id for m, _ in again}
    swappable = _post_partners(work, open_posts, away)
    partners: dict[Key, tuple[str, ...]] = {}
    for m in sorted(work.meetings.values(), key=lambda m: m.key):
        if m.key not in first.dropped and m.staff_ids and (m.slot_id in touched or m.key in swappable):
            partners[m.key] = m.staff_ids
            work.put(replace(m, staff_ids=()))
    swaps = [(work.meetings[k], len(own)) for k, own in partners.items()]
    second = StaffingModel(work, again + swaps, open_posts, away, partners).solve(settings)
    return Repaired(second.dropped, first.stages + second.stages, second.duty_gaps)
