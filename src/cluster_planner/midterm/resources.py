"""Re-room meetings whose room closed and re-staff meetings and duties whose adult is away.

Two small CP-SAT models over the affected meetings only; every other meeting keeps its room
and adults and counts as fixed load. A meeting that cannot get a room or enough adults is
returned as dropped (the repair then drops its whole group and re-places its students).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from cluster_planner.domain import Room
from cluster_planner.midterm.state import Key, Meeting, WorkingPlan
from cluster_planner.solver.params import SolveSettings, StageResult, run_stage
from cluster_planner.solver.rooming import room_fits
from cluster_planner.solver.staffing import available_on_day, can_lead

DROP = 1_000_000
SWAP = 50  # a group that keeps its slot but gets another adult
CANDIDATES = 6  # free adults offered to a swap partner
SCALE = 100  # periods in hundredths


@dataclass(frozen=True)
class Repaired:
    """Meetings that could not be repaired, and the CP-SAT stages run."""

    dropped: dict[Key, str]  # meeting -> "room" | "adult"
    stages: tuple[StageResult, ...]
    duty_gaps: tuple[tuple[str, str, str, int], ...] = ()  # (day, slot_id, post, missing)


def _room_load(work: WorkingPlan, room: Room, slot_id: str, skip: set[tuple[Key, str]]) -> tuple[int, int]:
    """(groups, students) already in ``room`` at ``slot_id`` or overlapping, roles in ``skip`` aside."""
    n = size = 0
    for m in work.at_once(slot_id):
        for role, rid in (("room", m.room_id), ("rain", m.rain_room_id)):
            if rid == room.room_id and (m.key, role) not in skip:
                n += 1
                size += len(m.members)
    return n, size


def reroom(work: WorkingPlan, closed: frozenset[str], settings: SolveSettings) -> Repaired:
    """A new room (rain room) for every meeting whose room (rain room) is closed (R1, R2)."""
    sc = work.scenario
    needs: list[tuple[Meeting, str]] = []
    for m in sorted(work.meetings.values(), key=lambda m: m.key):
        if m.room_id in closed:
            needs.append((m, "room"))
        if m.rain_room_id in closed:
            needs.append((m, "rain"))
    if not needs:
        return Repaired({}, ())
    skip = {(m.key, role) for m, role in needs}
    model = cp_model.CpModel()
    choice: dict[tuple[int, str], cp_model.IntVar] = {}
    drop: dict[Key, cp_model.IntVar] = {}
    cost = []
    for i, (m, role) in enumerate(needs):
        activity = work.activity(m)
        slot = sc.slot_by_id[m.slot_id]
        size = len(m.members)
        usual = {o.room_id if role == "room" else o.rain_room_id for o in work.of_group(m.group_id)} - closed
        options = []
        for room in sorted(sc.rooms, key=lambda r: r.room_id):
            if room.room_id in closed or not sc.room_available(room, slot):
                continue
            ok = room_fits(room, activity, size) if role == "room" else (not room.outdoor and room.capacity >= size)
            if not ok:
                continue
            n, used = _room_load(work, room, m.slot_id, skip)
            if n >= room.max_groups or used + size > room.capacity:
                continue
            var = model.new_bool_var(f"y{i}_{room.room_id}")
            choice[(i, room.room_id)] = var
            options.append(var)
            waste = min(room.capacity - size, 50)
            cost.append((0 if room.room_id in usual else 10 + waste) * var)
        if m.key not in drop:
            drop[m.key] = model.new_bool_var(f"drop{i}")
            cost.append(DROP * drop[m.key])
        model.add(sum(options) + drop[m.key] == 1)
    # Rooms shared at once: count and capacity, new uses on top of the fixed load.
    for room in sc.rooms:
        for slot_id in {m.slot_id for m, _ in needs}:
            over = work.data.overlapping[slot_id]
            terms = [
                (choice[(i, room.room_id)], len(m.members))
                for i, (m, _) in enumerate(needs)
                if m.slot_id in over and (i, room.room_id) in choice
            ]
            if len(terms) < 1:
                continue
            n, used = _room_load(work, room, slot_id, skip)
            model.add(sum(v for v, _ in terms) + n <= room.max_groups)
            model.add(sum(s * v for v, s in terms) + used <= room.capacity)
    model.minimize(sum(cost))
    solver, stage = run_stage("R re-room", model, settings, settings.time_limit, deterministic_limit=5.0)
    dropped: dict[Key, str] = {}
    solved = stage.objective is not None
    for i, (m, role) in enumerate(needs):
        if not solved or solver.value(drop[m.key]):
            dropped[m.key] = "room"
            continue
        room_id = next(r for (j, r), v in choice.items() if j == i and solver.value(v))
        if role == "room":
            m.room_id = room_id
        else:
            m.rain_room_id = room_id
    return Repaired(dropped, (stage,))


def restaff(work: WorkingPlan, away: frozenset[str], settings: SolveSettings) -> Repaired:
    """Replace every away adult at their meetings and duty posts (T2–T6), least change first.

    A substitute must be cleared and qualified, available at the slot, free at it and at the
    slots overlapping it, and within their periods a day and a week. First only free adults are
    offered; a meeting still uncovered then may take an adult from another meeting at its slot,
    which gets a free adult instead (a swap: two groups change adults, no student moves).
    """
    needs: list[tuple[Meeting, int]] = []
    for m in sorted(work.meetings.values(), key=lambda m: m.key):
        gone = [p for p in m.staff_ids if p in away]
        if gone:
            m.staff_ids = [p for p in m.staff_ids if p not in away]
            needs.append((m, len(gone)))
    duty_needs: list[tuple[str, str, str]] = [(d, s, post) for d, s, post, p in work.duties if p in away]
    work.duties = [d for d in work.duties if d[3] not in away]
    if not needs and not duty_needs:
        return Repaired({}, ())
    first = _staff_round(work, needs, duty_needs, away, settings, swaps=False)
    if not first.dropped:
        return first
    again = [(m, n) for m, n in needs if m.key in first.dropped]
    second = _staff_round(work, again, [], away, settings, swaps=True)
    return Repaired(second.dropped, first.stages + second.stages, first.duty_gaps)


def _staff_round(
    work: WorkingPlan,
    needs: list[tuple[Meeting, int]],
    duty_needs: list[tuple[str, str, str]],
    away: frozenset[str],
    settings: SolveSettings,
    swaps: bool,
) -> Repaired:
    """One re-staffing model; with ``swaps``, the other meetings at the slots concerned may
    change adults too (their own adults at no cost, a free one at ``SWAP``)."""
    sc = work.scenario
    needs = list(needs)
    touched = {m.slot_id for m, _ in needs}
    needing = {m.key for m, _ in needs}
    original: dict[Key, list[str]] = {}
    if swaps:
        for m in sorted(work.meetings.values(), key=lambda m: m.key):
            if m.slot_id in touched and m.key not in needing and m.staff_ids:
                original[m.key] = m.staff_ids
                needs.append((m, len(m.staff_ids)))
                m.staff_ids = []
    busy = work.busy_slots()
    week, day = work.periods()
    staff = [p for p in sorted(sc.staff, key=lambda p: p.staff_id) if p.staff_id not in away and p.cleared]
    model = cp_model.CpModel()
    lead: dict[tuple[int, str], cp_model.IntVar] = {}
    drop: dict[int, cp_model.IntVar] = {}
    cost = []
    load_at: dict[tuple[str, str], list[tuple[cp_model.IntVar, float]]] = defaultdict(list)  # (person, day)
    slot_use: dict[str, list[tuple[cp_model.IntVar, str]]] = defaultdict(list)  # person -> (var, slot)
    for i, (m, n) in enumerate(needs):
        activity = work.activity(m)
        slot = sc.slot_by_id[m.slot_id]
        over = work.data.overlapping[m.slot_id]
        usual = {p for o in work.of_group(m.group_id) for p in o.staff_ids}
        options = []
        offered = []
        for p in staff:
            if p.staff_id in m.staff_ids or not can_lead(p, activity) or not sc.staff_available(p, slot):
                continue
            if busy.get(p.staff_id, set()) & over:
                continue
            offered.append(p)
        if m.key in original:  # a swap partner: its own adults, or a few of the least-loaded free ones
            mine = [p for p in offered if p.staff_id in original[m.key]]
            others = sorted(
                (p for p in offered if p.staff_id not in original[m.key]), key=lambda p: week.get(p.staff_id, 0)
            )
            offered = mine + others[:CANDIDATES]
        for p in offered:
            var = model.new_bool_var(f"a{i}_{p.staff_id}")
            lead[(i, p.staff_id)] = var
            options.append(var)
            load_at[(p.staff_id, slot.day.value)].append((var, slot.periods))
            slot_use[p.staff_id].append((var, m.slot_id))
            if m.key in original:
                weight = 0 if p.staff_id in original[m.key] else SWAP + min(int(week.get(p.staff_id, 0)), 20)
            else:
                weight = 0 if p.staff_id in usual else 10 + min(int(week.get(p.staff_id, 0)), 20)
            cost.append(weight * var)
        drop[i] = model.new_bool_var(f"drop{i}")
        cost.append(DROP * drop[i])
        model.add(sum(options) == n * (1 - drop[i]))
        if m.key in original:
            model.add(drop[i] == 0)  # a swap partner can always keep its own adults
    holds: dict[tuple[int, str], cp_model.IntVar] = {}
    miss = []
    posts = {(p.day.value, p.slot_id or "", p.post): p for p in sc.duties}
    all_day = {(d, p) for d, s, _post, p in work.duties if not s}
    for j, (d, slot_id, post_name) in enumerate(duty_needs):
        post = posts.get((d, slot_id, post_name))
        if post is None:
            continue
        options = []
        holders = {p for dd, ss, pp, p in work.duties if (dd, ss, pp) == (d, slot_id, post_name)}
        for p in staff:
            if p.kind != post.kind or p.staff_id in holders or not available_on_day(work.data, p, post):
                continue
            if slot_id and busy.get(p.staff_id, set()) & work.data.overlapping[slot_id]:
                continue
            if not slot_id and (d, p.staff_id) in all_day:
                continue
            var = model.new_bool_var(f"d{j}_{p.staff_id}")
            holds[(j, p.staff_id)] = var
            options.append(var)
            load_at[(p.staff_id, d)].append((var, post.periods))
            if slot_id:
                slot_use[p.staff_id].append((var, slot_id))
            cost.append((10 + min(int(week.get(p.staff_id, 0)), 20)) * var)
        gap = model.new_bool_var(f"miss{j}")
        miss.append(gap)
        cost.append(DROP // 2 * gap)
        model.add(sum(options) + gap == 1)
    # One place at a time among the new work (T5); all-day posts: one a day per person.
    for uses in slot_use.values():
        for _, slot_id in uses:
            over = work.data.overlapping[slot_id]
            same = [v for v, s in uses if s in over]
            if len(same) > 1:
                model.add(sum(same) <= 1)
    for pid in {p for (_, p) in holds}:
        by_day: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for (j, p), v in holds.items():
            if p == pid and not duty_needs[j][1]:
                by_day[duty_needs[j][0]].append(v)
        for vs in by_day.values():
            if len(vs) > 1:
                model.add(sum(vs) <= 1)
    # Periods a day and a week (T5).
    person = sc.staff_by_id
    week_terms: dict[str, list[tuple[cp_model.IntVar, float]]] = defaultdict(list)
    for (pid, d), terms in load_at.items():
        week_terms[pid].extend(terms)
        limit = person[pid].max_periods_day
        if limit is not None:
            room = round((limit - day.get((pid, d), 0.0)) * SCALE)
            model.add(sum(round(w * SCALE) * v for v, w in terms) <= max(room, 0))
    for pid, terms in week_terms.items():
        limit = person[pid].max_periods_week
        if limit is not None:
            room = round((limit - week.get(pid, 0.0)) * SCALE)
            model.add(sum(round(w * SCALE) * v for v, w in terms) <= max(room, 0))
    model.minimize(sum(cost))
    solver, stage = run_stage("T re-staff", model, settings, settings.time_limit, deterministic_limit=5.0)
    solved = stage.objective is not None
    dropped: dict[Key, str] = {}
    for i, (m, _n) in enumerate(needs):
        if not solved:
            m.staff_ids = original.get(m.key, m.staff_ids)
            if m.key in needing:
                dropped[m.key] = "adult"
            continue
        if solver.value(drop[i]):
            dropped[m.key] = "adult"
            continue
        chosen = [p for (j, p), v in sorted(lead.items()) if j == i and solver.value(v)]
        kept = [p for p in original.get(m.key, []) if p in chosen]
        m.staff_ids += kept + [p for p in chosen if p not in kept]
    gaps = []
    for j, (d, slot_id, post_name) in enumerate(duty_needs):
        taken = [p for (k, p), v in sorted(holds.items()) if k == j and solved and solver.value(v)]
        for p in taken:
            work.duties.append((d, slot_id, post_name, p))
        if not taken:
            gaps.append((d, slot_id, post_name, 1))
    return Repaired(dropped, (stage,), tuple(gaps))


def free_room(work: WorkingPlan, activity_id: str, slot_id: str, size: int, closed: frozenset[str]) -> Room | None:
    """The smallest free room that fits a new meeting of ``activity_id`` at ``slot_id`` (indoor care only)."""
    sc = work.scenario
    activity = sc.activity_by_id[activity_id]
    slot = sc.slot_by_id[slot_id]
    best = None
    for room in sorted(sc.rooms, key=lambda r: (r.capacity, r.room_id)):
        if room.room_id in closed or not sc.room_available(room, slot) or not room_fits(room, activity, size):
            continue
        n, used = _room_load(work, room, slot_id, set())
        if n < room.max_groups and used + size <= room.capacity:
            best = room
            break
    return best


def free_adult(work: WorkingPlan, activity_id: str, slot_id: str, away: frozenset[str]) -> str | None:
    """The least-loaded qualified adult free at ``slot_id`` within their period limits, or None."""
    sc = work.scenario
    activity = sc.activity_by_id[activity_id]
    slot = sc.slot_by_id[slot_id]
    busy = work.busy_slots()
    week, day = work.periods()
    over = work.data.overlapping[slot_id]
    candidates = []
    for p in sorted(sc.staff, key=lambda p: p.staff_id):
        if p.staff_id in away or not can_lead(p, activity) or not sc.staff_available(p, slot):
            continue
        if busy.get(p.staff_id, set()) & over:
            continue
        if (
            p.max_periods_day is not None
            and day.get((p.staff_id, slot.day.value), 0) + slot.periods > p.max_periods_day
        ):
            continue
        if p.max_periods_week is not None and week.get(p.staff_id, 0) + slot.periods > p.max_periods_week:
            continue
        candidates.append((week.get(p.staff_id, 0.0), p.staff_id))
    return min(candidates)[1] if candidates else None
