"""The solve: stages A → B → C with a repair loop, assembled into a :class:`Plan`.

A (allocation) decides activities and patterns under aggregate capacities; B forms the
groups; C gives rooms (C1) and adults and duties (C2). When C cannot staff or room an
activity group, A is re-run with that pattern allowed one group fewer (or, for care groups
left without an adult or room, with that slot's capacity reduced), at most
``MAX_ROUNDS`` times. What still cannot be covered is listed in ``unplaced`` with the
reason in words (S1: never silent).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from cluster_planner import __version__, rules
from cluster_planner.budget import Budget
from cluster_planner.domain import Scenario
from cluster_planner.i18n import register, t
from cluster_planner.plan.assemble import assemble
from cluster_planner.plan.model import Assignment, DutyAssignment, GroupMeeting, Plan, PlanMeta, Unplaced
from cluster_planner.plan.priority_places import serve_priority_in_chosen_groups
from cluster_planner.solver.allocation import Allocation, Limits, allocate, greedy_allocation
from cluster_planner.solver.care_settle import settle_care
from cluster_planner.solver.grouping import Grouping, Meeting, build_groups
from cluster_planner.solver.params import SolveSettings, StageResult
from cluster_planner.solver.prepare import PlanningData, prepare
from cluster_planner.solver.progress import gap_of
from cluster_planner.solver.rooming import RoomPlan, assign_rooms
from cluster_planner.solver.staffing import StaffPlan, assign_staff
from cluster_planner.vocabulary import coded_params

MAX_ROUNDS = 5
ALLOCATION_SHARE = 0.5  # stage A may use at most this share of the time left
MIN_ROUND_SECONDS = 5.0
SETTLE_RESERVE, SETTLE_SHARE = 5.0, 0.1  # kept for settling care after lost meetings (care_settle)
SETTLE_MOST = 0.4  # of the time limit, at most kept for settling care
SETTLE_PER_SLOT = 1.5  # seconds kept, before another round starts, per slot whose care is settled again

register(
    {
        "reason.no_care": (
            "没有适用于{grade}年级的托管活动（{slot}）",
            "no care activity covers grade {grade} ({slot})",
        ),
        "reason.no_room": (
            "{slot} 没有空闲且合适的场地给「{activity}」（{grades}年级）",
            "no suitable room free on {slot} for {activity} (grade {grades})",
        ),
        "reason.care_full": (
            "{slot} 的托管名额不足（场地或教师不足）：名额先给优先学生，再尽量多安排学生",
            "care at {slot} is short of places (rooms or adults short): places went to priority students "
            "first, then to as many students as possible",
        ),
        "reason.gave_way": (
            "{slot} 托管场地或教师不足，优先学生 {student} 在 {group} 的名额先于其他学生（S2），本生让出名额",
            "care at {slot} was short of rooms or adults, so priority student {student} took this student's place "
            "in {group} (S2: priority students first)",
        ),
        "reason.no_adult": (
            "{slot} 没有空闲且合格的教师带「{activity}」（{grades}年级）",
            "no qualified adult free on {slot} for {activity} (grade {grades})",
        ),
        "progress.first_plan": (
            "[首个方案] {elapsed:6.1f}s 已覆盖 {covered}/{total} 个学生时段，{granted} 名学生获得志愿（贪心，未优化）",
            "[first plan] {elapsed:6.1f}s covers {covered}/{total} student-slots, "
            "{granted} students given a choice (greedy, not optimised)",
        ),
        "warning.lock": (
            "锁定无法兑现：学生 {student} 的活动 {activity} 不在其服务时段内或不对其年级开放",
            "lock cannot be kept: student {student} cannot take {activity} (not on their service slots or grade)",
        ),
        "warning.duty_unfilled": (
            "值班岗位 {post}（{day}{slot}）缺 {missing} 人：没有空闲且合格的{kind}",
            "duty post {post} ({day}{slot}) is {missing} short: no free, cleared {kind}",
        ),
    }
)


@dataclass(frozen=True)
class SolveOutcome:
    """The plan and how it was reached."""

    plan: Plan
    stages: tuple[StageResult, ...]
    rounds: int


def solve_scenario(scenario: Scenario, settings: SolveSettings) -> SolveOutcome:
    """Plan a validated scenario (stages A → B → C, repaired)."""
    started = time.monotonic()
    if settings.budget is None:  # one deadline for every stage of this solve
        settings = replace(settings, budget=Budget(settings.time_limit))
    data = prepare(scenario, settings.seed)
    limits = Limits()
    stages: list[StageResult] = []
    first = best = _first_plan(data, settings, started)
    rounds = 0
    while True:
        rounds += 1
        round_started = time.monotonic()
        reserve = _settle_reserve(settings, *best[1:])  # the round leaves time to settle care after it
        left = settings.left(settings.time_limit - reserve - (round_started - started))
        allocation = allocate(data, settings, limits, left * ALLOCATION_SHARE)
        stages.extend(allocation.results)
        grouping = build_groups(data, allocation)
        rooms, staffing = _rooms_and_staff(data, grouping, settings, started, reserve)
        stages.extend(rooms.results)
        if staffing.result:
            stages.append(staffing.result)
        found = staffing.result is not None and staffing.result.objective is not None
        if _rank(data, allocation, grouping, rooms, staffing) <= _rank(data, *best):
            best = (allocation, grouping, rooms, staffing)
        # another round only if it (as long as this one) and settling care after it fit in the time left
        next_round = max(MIN_ROUND_SECONDS, time.monotonic() - round_started)
        left = settings.left(settings.time_limit - (time.monotonic() - started))
        out_of_time = left < next_round + _settle_reserve(settings, *best[1:])
        if not found or out_of_time or rounds >= MAX_ROUNDS:
            break
        if not _tighten(data, allocation, grouping, rooms, staffing, limits):
            break
    kept = _round_stages(*best)
    if best is first:  # no CP-SAT round covered as many student-slots: the greedy plan stands
        kept = (StageResult("first plan (greedy)", "GREEDY", None, None, 0.0, False),)
        stages.extend(kept)
    plan = _assemble(data, *best, stages, kept, settings, started)
    return SolveOutcome(plan, tuple(stages), rounds)


def _round_stages(
    allocation: Allocation, grouping: Grouping, rooms: RoomPlan, staffing: StaffPlan
) -> tuple[StageResult, ...]:
    """The stages of one round: what the kept plan's status, objective, bound and gap come from."""
    return (*allocation.results, *rooms.results, *((staffing.result,) if staffing.result else ()))


def _first_plan(
    data: PlanningData, settings: SolveSettings, started: float
) -> tuple[Allocation, Grouping, RoomPlan, StaffPlan]:
    """A complete plan in seconds, without CP-SAT: stage A's first-come-first-served fallback
    (seeded lottery order), then greedy rooms and staff. It is reported as the first plan and
    kept unless a CP-SAT round covers at least as many student-slots (S1 before welfare)."""
    allocation = greedy_allocation(data, Limits(), (), ())
    grouping = build_groups(data, allocation)
    rooms, staffing = _rooms_and_staff(
        data, grouping, settings, started, _least_settle_reserve(settings), greedy_only=True
    )
    if settings.report:
        total = sum(len(slots) for slots in data.service_slots.values())
        settings.report(
            t(
                "progress.first_plan",
                settings.lang,
                elapsed=time.monotonic() - started,
                covered=total - _uncovered(grouping, rooms, staffing),
                total=total,
                granted=len(allocation.granted),
            )
        )
    return allocation, grouping, rooms, staffing


def _settle_reserve(settings: SolveSettings, grouping: Grouping, rooms: RoomPlan, staffing: StaffPlan) -> float:
    """Seconds kept for settling care at the end: ``SETTLE_PER_SLOT`` for each slot where the best
    plan so far lost a meeting, at least ``SETTLE_RESERVE`` (or ``SETTLE_SHARE`` of a short limit),
    at most ``SETTLE_MOST`` of the limit."""
    wanted = SETTLE_PER_SLOT * _slots_to_settle(grouping, rooms, staffing)
    return min(max(_least_settle_reserve(settings), wanted), SETTLE_MOST * settings.time_limit)


def _least_settle_reserve(settings: SolveSettings) -> float:
    return min(SETTLE_RESERVE, SETTLE_SHARE * settings.time_limit)


def _rooms_and_staff(
    data: PlanningData,
    grouping: Grouping,
    settings: SolveSettings,
    started: float,
    reserve: float,
    greedy_only: bool = False,
) -> tuple[RoomPlan, StaffPlan]:
    """Stage C: rooms (C1), then adults for the meetings that got one (C2), within the time left
    less what settling care needs at the end (``reserve``)."""
    left = settings.time_limit - reserve - (time.monotonic() - started)
    rooms = assign_rooms(data, grouping.meetings, settings, left, greedy_only=greedy_only)
    active = tuple(i for i in range(len(grouping.meetings)) if i in rooms.room)
    left = settings.time_limit - reserve - (time.monotonic() - started)
    return rooms, assign_staff(data, grouping.meetings, active, settings, left, greedy_only=greedy_only)


def _rank(
    data: PlanningData, allocation: Allocation, grouping: Grouping, rooms: RoomPlan, staffing: StaffPlan
) -> tuple[int, int, float]:
    """Rounds compare by priority student-slots left uncovered that settling care cannot seat,
    then by all student-slots left uncovered (S2, S1), then by stage A's welfare objective (the
    greedy allocation has none: it loses ties)."""
    solved = [r.objective for r in allocation.results if r.objective is not None and r.name == "A allocation"]
    out = _uncovered_students(grouping, rooms, staffing)
    return _priority_left_out(data, grouping, rooms, staffing, out), len(out), solved[-1] if solved else float("inf")


def _priority_left_out(
    data: PlanningData, grouping: Grouping, rooms: RoomPlan, staffing: StaffPlan, out: list[tuple[str, str]]
) -> int:
    """Priority student-slots left uncovered with no held care meeting at the slot, open to their
    grade, that has a free place or a pupil without priority who could give way (S2, as
    :func:`settle_care` seats them)."""
    priority = data.priority_ids
    wanting = [(s, slot_id) for s, slot_id in out if s in priority]
    if not wanting:
        return 0
    lost = set(rooms.dropped) | set(staffing.dropped)
    sc, grade = data.scenario, data.grade
    hosts: dict[str, list[Meeting]] = defaultdict(list)  # slot -> held care meetings that could seat one more
    for i, m in enumerate(grouping.meetings):
        if m.kind != "care" or i in lost or i not in rooms.room:
            continue
        full = m.size >= rules.group_cap(sc, sc.activity_by_id[m.activity_id])
        if not full or any(s not in priority for s in m.members):
            hosts[m.slot_id].append(m)

    def seatable(student: str, slot_id: str) -> bool:
        g = grade[student]
        return any(
            sc.activity_by_id[m.activity_id].eligible(g)
            and rules.grade_span_ok(sc, {g, *(grade[s] for s in m.members)})
            for m in hosts[slot_id]
        )

    return sum(1 for s, slot_id in wanting if not seatable(s, slot_id))


def _uncovered_students(grouping: Grouping, rooms: RoomPlan, staffing: StaffPlan) -> list[tuple[str, str]]:
    """(student, slot) a round leaves without a place."""
    dropped = set(rooms.dropped) | set(staffing.dropped)
    out = [(s, grouping.meetings[i].slot_id) for i in sorted(dropped) for s in grouping.meetings[i].members]
    return out + list(grouping.no_care)


def _slots_to_settle(grouping: Grouping, rooms: RoomPlan, staffing: StaffPlan) -> int:
    """Slots where a meeting with pupils was lost: care is settled again there at the end."""
    lost = set(rooms.dropped) | set(staffing.dropped)
    return len({grouping.meetings[i].slot_id for i in lost if grouping.meetings[i].members})


def _uncovered(grouping: Grouping, rooms: RoomPlan, staffing: StaffPlan) -> int:
    """Student-slots a round leaves without a place."""
    return len(_uncovered_students(grouping, rooms, staffing))


def _tighten(
    data: PlanningData, allocation: Allocation, grouping: Grouping, rooms: RoomPlan, staffing: StaffPlan, limits: Limits
) -> bool:
    """Learn from meetings C had to drop; True if stage A should run again."""
    changed = False
    dropped = [(i, "room") for i in rooms.dropped] + [(i, "adult") for i in staffing.dropped]
    pattern_of: dict[str, tuple[str, int]] = {}
    for (aid, pidx), _n in allocation.groups_open.items():
        for m in grouping.meetings:
            if m.activity_id == aid and m.kind == "choice" and m.slot_id in data.patterns[aid][pidx].slot_ids:
                pattern_of.setdefault(m.group_id, (aid, pidx))
    activity_slots = {m.slot_id for m in grouping.meetings if m.kind != "care"}
    for i, why in list(dropped):
        m = grouping.meetings[i]
        if why == "adult" and (m.kind == "class" or (m.kind == "care" and m.slot_id not in activity_slots)):
            # A class activity or a care group must meet: let stage A move or close one chosen
            # group (the smallest) that took an adult who could have led it, as if it had been
            # dropped. Capacity at the slot cannot be the cause here, so it is the adult's time.
            rival = _rival_group(data, grouping, staffing, m, pattern_of)
            if rival is not None and rival not in {j for j, _ in dropped}:
                dropped.append((rival, "adult"))
    for i, why in dropped:
        m = grouping.meetings[i]
        if m.kind == "choice" and m.group_id in pattern_of:
            key = pattern_of[m.group_id]
            current = allocation.groups_open.get(key, 0)
            if limits.max_groups.get(key, current) >= current:
                limits.max_groups[key] = max(0, current - 1)
                changed = True
        elif m.kind == "care" and m.slot_id in activity_slots:
            short = limits.adults_short if why == "adult" else limits.rooms_short
            short[m.slot_id] = short.get(m.slot_id, 0) + 1
            changed = True
    return changed


def _absorb_into_siblings(
    data: PlanningData,
    grouping: Grouping,
    rooms: RoomPlan,
    staffing: StaffPlan,
    dropped: dict[int, tuple[str, str]],
) -> list[Meeting]:
    """The meetings, with the pupils of lost meetings placed again where the rules allow: pupils of
    a dropped part of a split class activity move, slot by slot, into a part of the class meeting then
    with room (G4 cap, T4 ratio of its adults, R1 its rooms; S7), priority pupils
    taking a non-priority classmate's place (S2). Care is settled afterwards (:mod:`care_settle`)."""
    scenario = data.scenario
    meetings = list(grouping.meetings)
    by_group: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(meetings):
        by_group[m.group_id].append(i)
    holders: dict[tuple[str, str], set[int]] = defaultdict(set)  # (room, slot) -> meetings using it
    for table in (rooms.room, rooms.rain_room):
        for i, rid in table.items():
            holders[(rid, meetings[i].slot_id)].add(i)

    def room_left(i: int) -> int:
        m = meetings[i]
        used = tuple(scenario.room_by_id[rid] for rid in (rooms.room.get(i), rooms.rain_room.get(i)) if rid)
        for room in used:
            shared = {j for o in data.overlapping[m.slot_id] for j in holders[(room.room_id, o)]} - {i}
            if room.max_groups > 1 or shared:
                return 0  # capacity shared with another group or a rain reservation: leave it
        activity = scenario.activity_by_id[m.activity_id]
        return max(0, rules.meeting_capacity(scenario, activity, len(staffing.adults.get(i, ())), used) - m.size)

    class_of = data.class_of
    lost_groups = sorted({meetings[i].group_id for i in dropped if meetings[i].kind == "class"})
    for gid in lost_groups:
        first = meetings[by_group[gid][0]]
        siblings = [
            g
            for g, idx in sorted(by_group.items())
            if g != gid
            and meetings[idx[0]].kind == "class"
            and meetings[idx[0]].activity_id == first.activity_id
            and {class_of[x] for x in meetings[idx[0]].members} == {class_of[x] for x in first.members}
            and not any(i in dropped for i in idx)
        ]
        sibling_at = {g: {meetings[i].slot_id: i for i in by_group[g]} for g in siblings}
        pupils = sorted({x for i in by_group[gid] for x in meetings[i].members})
        for sid in pupils:
            # slot by slot: where the class meets, a pupil stands in its group at that slot (FORMAT.md)
            for i in sorted(
                (i for i in by_group[gid] if sid in meetings[i].members), key=lambda i: meetings[i].slot_id
            ):
                slot_id = meetings[i].slot_id
                options = [(room_left(at[slot_id]), g, at[slot_id]) for g, at in sibling_at.items() if slot_id in at]
                room, _, j = max(options, default=(0, "", -1))
                if room <= 0:
                    continue
                meetings[j] = replace(meetings[j], members=tuple(sorted((*meetings[j].members, sid))))
                meetings[i] = replace(meetings[i], members=tuple(x for x in meetings[i].members if x != sid))
        _priority_first_in_class(data, meetings, by_group[gid], sibling_at)
    return meetings


def _priority_first_in_class(
    data: PlanningData, meetings: list[Meeting], lost: list[int], sibling_at: dict[str, dict[str, int]]
) -> None:
    """S2 within a split class activity: at each slot, a priority pupil of the part that cannot meet
    takes the place of the least lucky non-priority classmate in a part that meets then."""
    priority = data.priority_ids
    for sid in sorted({x for i in lost for x in meetings[i].members} & priority, key=data.lottery.get):
        for i in sorted(lost, key=lambda i: meetings[i].slot_id):
            if sid not in meetings[i].members:
                continue
            at_slot = [at[meetings[i].slot_id] for at in sibling_at.values() if meetings[i].slot_id in at]
            others = [(x, j) for j in at_slot for x in meetings[j].members if x not in priority]
            if not others:
                continue
            other, j = max(others, key=lambda o: (data.lottery.get(o[0], 0), o[0]))  # the least lucky gives way
            meetings[j] = replace(meetings[j], members=tuple(sorted({*meetings[j].members} - {other} | {sid})))
            meetings[i] = replace(meetings[i], members=tuple(sorted({*meetings[i].members} - {sid} | {other})))


def _rival_group(
    data: PlanningData,
    grouping: Grouping,
    staffing: StaffPlan,
    lost: Meeting,
    pattern_of: dict[str, tuple[str, int]],
) -> int | None:
    """The smallest chosen-activity meeting led by an adult who could have led ``lost``: one at
    the same slot, or one whose adult's day or week limit (T5) ran out on ``lost``'s day."""
    scenario = data.scenario
    slot = scenario.slot_by_id[lost.slot_id]
    wanted = {p.staff_id for p in data.qualified_at(scenario.activity_by_id[lost.activity_id], lost.slot_id)}

    def competes(i: int, m: Meeting) -> bool:
        for pid in wanted & set(staffing.adults.get(i, ())):
            person = scenario.staff_by_id[pid]
            same_day = scenario.slot_by_id[m.slot_id].day == slot.day
            if m.slot_id in data.overlapping[lost.slot_id] or rules.week_limit(person) is not None:
                return True
            if same_day and rules.day_limit(person) is not None:
                return True
        return False

    rivals = [
        (m.size, m.group_id, i)
        for i, m in enumerate(grouping.meetings)
        if m.kind == "choice" and m.group_id in pattern_of and competes(i, m)
    ]
    return min(rivals)[2] if rivals else None


def _assemble(
    data: PlanningData,
    allocation: Allocation,
    grouping: Grouping,
    rooms: RoomPlan,
    staffing: StaffPlan,
    stages: list[StageResult],
    kept: tuple[StageResult, ...],
    settings: SolveSettings,
    started: float,
) -> Plan:
    scenario = data.scenario
    lang = settings.lang
    slot = scenario.slot_by_id
    groups: list[Meeting] = []  # the meetings held, with their rooms and adults
    unplaced: list[Unplaced] = []
    dropped = _whole_groups(grouping, {i: "room" for i in rooms.dropped} | {i: "adult" for i in staffing.dropped})
    meetings = _absorb_into_siblings(data, grouping, rooms, staffing, dropped)
    left = settings.time_limit - (time.monotonic() - started)
    meetings, gave_way, settled = settle_care(data, meetings, set(dropped), rooms, staffing.adults, settings, left)
    stages.extend(settled)
    kept = (*kept, *settled)
    held = {m.key: i for i, m in enumerate(meetings) if i not in dropped}
    served, gave_place = serve_priority_in_chosen_groups(
        scenario, {k: meetings[i] for k, i in held.items()}, data.service_slots, data.lottery
    )
    for key, i in held.items():
        meetings[i] = served[key]
    placed = {(s, m.slot_id) for m in served.values() for s in m.members}
    for i, m in enumerate(meetings):
        grades = tuple(sorted({data.grade[s] for s in m.members}))
        if i in dropped:
            activity = scenario.activity_by_id[m.activity_id]
            why, at = dropped[i]
            code = "reason.no_room" if why == "room" else "reason.no_adult"
            reason = t(code, lang, slot=at, activity=activity.name or activity.activity_id, grades=_grades(grades))
            unplaced.extend(
                Unplaced(s, slot[m.slot_id].day.value, m.slot_id, reason, code)
                for s in m.members
                if (s, m.slot_id) not in placed
            )
            continue
        if m.kind == "care" and not m.members:
            continue  # its pupils were settled elsewhere: the meeting is not held
        room, rain_room, adults = rooms.room.get(i, ""), rooms.rain_room.get(i, ""), staffing.adults.get(i, ())
        groups.append(replace(m, room_id=room, rain_room_id=rain_room, staff_ids=tuple(adults)))
    for sid, slot_id in gave_way:
        if (sid, slot_id) in placed:
            continue  # a priority pupil who then took a place in a group they ranked
        code = "reason.care_full"
        unplaced.append(Unplaced(sid, slot[slot_id].day.value, slot_id, t(code, lang, slot=slot_id), code))
    for g in gave_place:
        code = "reason.gave_way"
        reason = t(code, lang, group=g.group_id, slot=g.slot_id, student=g.priority_student_id)
        unplaced.append(Unplaced(g.student_id, slot[g.slot_id].day.value, g.slot_id, reason, code))
    for sid, slot_id in grouping.no_care:
        if (sid, slot_id) in placed:
            continue
        code = "reason.no_care"
        reason = t(code, lang, grade=data.grade[sid], slot=slot_id)
        unplaced.append(Unplaced(sid, slot[slot_id].day.value, slot_id, reason, code))
    duties = tuple(DutyAssignment(post.day.value, post.slot_id or "", post.post, pid) for post, pid in staffing.duties)
    warnings = [t(key, lang, **coded_params(dict(params), lang)) for key, params in dict.fromkeys(data.warnings)]
    warnings += [t("warning.lock", lang, student=s, activity=a) for s, a in allocation.lock_failures]
    warnings += [
        t(
            "warning.duty_unfilled",
            lang,
            **coded_params({"post": p.post, "day": p.day.value, "kind": p.kind.value}, lang),
            slot=f" {p.slot_id}" if p.slot_id else "",
            missing=n,
        )
        for p, n in staffing.unfilled_duties
    ]
    welfare = next((s for s in reversed(kept) if s.name == "A allocation"), None)
    # The plan's status, objective, bound and gap are those of the round that was kept (its
    # welfare stage for the objective): GREEDY when the kept plan or one of its stages is a greedy
    # fallback, OPTIMAL when every kept stage proved its optimum (gap: the largest gap a stage
    # stopped at, so "optimal" is said only at gap 0), FEASIBLE when one stopped on its budget;
    # not reproducible when the wall clock cut any stage of the solve.
    if any(s.status == "GREEDY" for s in kept):
        status = "GREEDY"
    else:
        status = "OPTIMAL" if all(s.status == "OPTIMAL" for s in kept) else "FEASIBLE"
    gaps = [g for g in (_gap(s) for s in kept) if g is not None]
    meta = PlanMeta(
        scenario_hash=scenario.content_hash(),
        status=status,
        seed=data.seed,
        reproducible=not any(s.hit_wall_clock for s in stages),
        objective=welfare.objective if welfare else None,
        bound=welfare.bound if welfare else None,
        gap=max(gaps) if gaps and status != "GREEDY" else None,
        solve_seconds=round(time.monotonic() - started, 3),
        warnings=tuple(warnings),
        program_version=__version__,
        extra={
            "stages": [s.__dict__ for s in kept if not s.name.startswith("C rooms")],
            "all_stages": [s.__dict__ for s in stages if not s.name.startswith("C rooms")],
        },
    )
    plan = assemble(scenario, groups, unplaced, duties, meta)
    terms = objective_terms(data, plan.assignments, plan.unplaced, plan.groups)  # from the rows, not the solver
    return replace(plan, meta=replace(plan.meta, objective_terms=terms))


def _whole_groups(grouping: Grouping, dropped: dict[int, str]) -> dict[int, tuple[str, str]]:
    """Dropped meetings → (why, slot); an activity group that lost one meeting loses them all.

    G5: a group meets ``sessions_per_week`` times or not at all, so when rooms or staff fail
    one meeting of an activity or class group (possible only when stage A's repair ran out of
    time), the group's other meetings go too and its students are listed as unplaced there,
    with the reason of the meeting that failed. Care groups are per slot and stand alone.
    """
    meetings = grouping.meetings
    failed: dict[str, tuple[str, str]] = {}
    for i, why in sorted(dropped.items()):
        if meetings[i].kind != "care":
            failed.setdefault(meetings[i].group_id, (why, meetings[i].slot_id))
    out = {i: (why, meetings[i].slot_id) for i, why in dropped.items()}
    for i, m in enumerate(meetings):
        if m.kind != "care" and m.group_id in failed:
            out.setdefault(i, failed[m.group_id])
    return out


def _grades(grades: tuple[int, ...]) -> str:
    return "/".join(str(g) for g in grades)


def _gap(stage: StageResult | None) -> float | None:
    if stage is None or stage.objective is None or stage.bound is None:
        return None
    return round(gap_of(stage.objective, stage.bound), 6)


def objective_terms(
    data: PlanningData,
    assignments: Iterable[Assignment],
    unplaced: Iterable[Unplaced],
    groups: Iterable[GroupMeeting],
) -> dict[str, float]:
    """The office's figures recomputed from the plan's rows (not from solver internals): coverage,
    choices granted (a student counts as given a choice only where assignments.csv places them
    in it), rank cost (choice k costs k; 6 for a student who wanted one and got none), the
    worst-off rank, groups and adult meetings."""
    groups, unplaced = tuple(groups), tuple(unplaced)
    priority = data.priority_ids
    unplaced_students = {u.student_id for u in unplaced}
    granted: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for a in assignments:
        if a.choice_rank is not None:
            granted[a.student_id].add((a.activity_id, a.choice_rank))
    wanting = {o.student_id for o in data.choice_options}
    given = {s for s in wanting if granted.get(s)}
    granted_cost = sum(rank for s in given for _, rank in granted[s])
    return {
        "unplaced_slots": len(unplaced),
        "unplaced_priority_students": len(unplaced_students & priority),
        "students_with_choice": len(given),
        "priority_students_with_choice": len(given & priority),
        "students_wanting_choice": len(wanting),
        "granted_rank_cost": granted_cost,
        "rank_cost": granted_cost + 6 * len(wanting - given),
        "worst_rank": max((rank for s in wanting for _, rank in granted.get(s, ())), default=0)
        if given == wanting
        else 6,
        "groups": len({g.group_id for g in groups}),
        "adult_meetings": sum(len(g.staff_ids) for g in groups),
    }
