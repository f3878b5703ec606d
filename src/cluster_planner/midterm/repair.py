"""The mid-term re-solve: repair the earlier plan with the least disturbance.

Order (each step only touches what the changes affect):

1. leavers, joiners, students whose data changed and students unplaced before leave their places;
2. meetings in a closed room get another room, meetings and duties of an adult away get a
   substitute (:mod:`~cluster_planner.midterm.resources`); a meeting that cannot be repaired
   drops (a chosen activity: its whole group) and its students are re-placed;
3. one small CP-SAT model places the students of step 1 and 2 (and, with ``fill_freed``, those
   who ranked a freed activity higher than theirs) into groups with spare places
   (:mod:`~cluster_planner.midterm.placement`);
4. students still without a place get a new care group where a room and an adult are free;
   otherwise they are listed as unplaced with the reason.

Groups keep their ``group_id``, slot, room and adults unless a change forces otherwise; merge
rules and ``min_size`` bind at term start only (FORMAT.md), so a group that shrank is kept.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from cluster_planner import __version__
from cluster_planner.domain import Scenario
from cluster_planner.domain.entities import Change
from cluster_planner.i18n import register, t
from cluster_planner.midterm.changes import absences, change_key
from cluster_planner.midterm.moves import Reasons, diff_plans, placements
from cluster_planner.midterm.placement import Mobile, place
from cluster_planner.midterm.resources import free_adult, free_room, reroom, restaff
from cluster_planner.midterm.state import Meeting, WorkingPlan, kind_of
from cluster_planner.plan import Plan
from cluster_planner.plan.figures import staff_loads
from cluster_planner.plan.model import Assignment, DutyAssignment, GroupMeeting, PlanMeta, Unplaced, ordered_rows
from cluster_planner.solver.params import SolveSettings, StageResult
from cluster_planner.solver.prepare import prepare
from cluster_planner.vocabulary import coded_params

register(
    {
        "midterm.reason.full": (
            "{slot} 已无空位：现有各组已满，也没有空闲的场地和教师开新组",
            "no place left at {slot}: the groups are full and no free room and adult can open a new one",
        ),
        "midterm.reason.class_full": (
            "{slot} 本班的班级活动组已满（组容量、场地或师生比），无法再加入",
            "at {slot} the class's own class-activity group is full (group cap, room or ratio)",
        ),
        "midterm.reason.no_care": (
            "没有适用于{grade}年级的托管活动（{slot}）",
            "no care activity covers grade {grade} ({slot})",
        ),
        "midterm.duty_gap": (
            "值班岗位 {post}（{day} {slot}）缺 {missing} 人：请假人员无人可替",
            "duty {post} ({day} {slot}) is short of {missing}: no one can replace the person on leave",
        ),
    }
)


@dataclass(frozen=True)
class RepairFacts:
    """What the repair did, for the summary and the benchmark."""

    joined: frozenset[str]
    left: frozenset[str]
    changed: frozenset[str]
    displaced: frozenset[str]
    stages: tuple[StageResult, ...]


def _student_changed(old: Scenario, new: Scenario, sid: str) -> bool:
    a, b = old.student_by_id.get(sid), new.student_by_id.get(sid)
    return a is None or b is None or a.model_dump(exclude={"row"}) != b.model_dump(exclude={"row"})


def repair(
    old_plan: Plan,
    old_scenario: Scenario,
    new_scenario: Scenario,
    applied: tuple[Change, ...],
    on: date,
    *,
    fill_freed: bool = False,
    settings: SolveSettings | None = None,
) -> tuple[Plan, RepairFacts]:
    """The re-solved plan of ``new_scenario`` (``old_scenario`` with ``applied``), valid from ``on``."""
    started = time.monotonic()
    settings = settings or SolveSettings(seed=old_plan.meta.seed)
    lang = settings.lang
    data = prepare(new_scenario, settings.seed)
    work = WorkingPlan.from_plan(old_plan, new_scenario, data)
    before = placements(old_plan)
    old_ids = {s.student_id for s in old_scenario.approved_students}
    new_ids = {s.student_id for s in new_scenario.approved_students}
    joined = new_ids - old_ids
    left = old_ids - new_ids
    changed = {s for s in new_ids & old_ids if _student_changed(old_scenario, new_scenario, s)}
    unplaced_before = {u.student_id for u in old_plan.unplaced} & new_ids
    _remove(work, left | joined | changed | unplaced_before)

    away = absences(new_scenario.changes, on)
    reasons: Reasons = {}
    covers = _give_back(work, dict(old_plan.meta.extra.get("covers", {})), away.staff, reasons)
    for g in old_plan.groups:
        closed = next((r for r in (g.room_id, g.rain_room_id) if r in away.rooms), None)
        if closed:
            reasons[g.group_id] = ("reroomed", {"words": "reroomed_closed", "room": closed})
    rooms = reroom(work, away.rooms, settings)
    adults = restaff(work, away.staff, settings)
    covers.update(_covers(old_plan, work, away.staff))
    displaced: set[str] = set()
    for key, why in sorted({**rooms.dropped, **adults.dropped}.items()):
        meeting = work.meetings.get(key)
        if meeting is None:
            continue
        victims = [meeting] if kind_of(work.activity(meeting)) != "choice" else work.of_group(meeting.group_id)
        if why == "room":
            room = meeting.room_id if meeting.room_id in away.rooms else meeting.rain_room_id
            params: dict[str, object] = {"words": "moved_room", "room": room}
        else:
            params = {"words": "moved_adult", "staff": sorted({p for p in old_staff(old_plan, key) if p in away.staff})}
        for m in victims:
            for sid in m.members:
                displaced.add(sid)
                reasons.setdefault(sid, ("moved", params))
            del work.meetings[m.key]
        work.changed()

    _remove(work, displaced)
    upgrade = (
        _upgrade_candidates(work, old_plan, new_scenario, new_ids - joined - changed - displaced)
        if fill_freed
        else set()
    )
    mobile_ids = joined | changed | unplaced_before | displaced | upgrade
    _remove(work, upgrade)
    mobiles = [
        Mobile(sid, {s: g for s, g in before.get(sid, {}).items() if g}, sid not in joined | changed)
        for sid in sorted(mobile_ids)
    ]
    placement = place(work, mobiles, fill_freed, settings)
    missing: dict[str, list[str]] = defaultdict(list)
    for (sid, slot_id), gid in sorted(placement.where.items()):
        if (sid, slot_id) in placement.class_full:
            continue  # S7: their class activity meets then; a care group elsewhere would break it
        if gid is None:
            missing[slot_id].append(sid)
        else:
            work.meetings[(gid, slot_id)].members.add(sid)
    unplaced = _open_care_groups(work, missing, away.staff | frozenset(), away.rooms, lang)
    for sid, slot_id in sorted(placement.class_full):
        day = work.scenario.slot_by_id[slot_id].day.value
        unplaced.append(Unplaced(sid, day, slot_id, t("midterm.reason.class_full", lang, slot=slot_id), "full"))
    for key in [k for k, m in work.meetings.items() if not m.members]:
        del work.meetings[key]

    stages = rooms.stages + adults.stages + ((placement.stage,) if placement.stage else ())
    warnings = [
        t("midterm.duty_gap", lang, **coded_params({"post": post, "day": day}, lang), slot=slot_id, missing=n)
        for day, slot_id, post, n in adults.duty_gaps
    ]
    plan = _assemble(work, unplaced, old_plan, applied, on, away.ends, stages, settings, started, warnings)
    plan = replace(plan, meta=replace(plan.meta, extra={**plan.meta.extra, "covers": covers}))
    for sid in joined:
        reasons[sid] = ("joined", {})
    for sid in left:
        reasons[sid] = ("left", {})
    for sid in changed:
        reasons[sid] = ("changed", {})
    for pid in away.staff:
        reasons[pid] = ("on_leave", {})
    moves = diff_plans(old_plan, plan, old_scenario, new_scenario, lang, reasons)

    facts = RepairFacts(frozenset(joined), frozenset(left), frozenset(changed), frozenset(displaced), stages)
    return replace(plan, moves=moves, scenario=new_scenario), facts


def old_staff(plan: Plan, key: tuple[str, str]) -> tuple[str, ...]:
    """The adults a meeting had in ``plan``."""
    return next((g.staff_ids for g in plan.groups if (g.group_id, g.slot_id) == key), ())


def _covers(old_plan: Plan, work: WorkingPlan, away: frozenset[str]) -> dict[str, dict[str, object]]:
    """``group@slot`` → the adult away and who covers for them (so they get it back on return)."""
    out: dict[str, dict[str, object]] = {}
    for g in old_plan.groups:
        m = work.meetings.get((g.group_id, g.slot_id))
        gone = [p for p in g.staff_ids if p in away]
        if m is None or not gone:
            continue
        subs = [p for p in m.staff_ids if p not in g.staff_ids]
        for p, sub in zip(gone, subs, strict=False):
            out[f"{g.group_id}@{g.slot_id}"] = {"away": p, "by": sub}
    return out


def _give_back(
    work: WorkingPlan,
    covers: dict[str, dict[str, object]],
    away: frozenset[str],
    reasons: Reasons,
) -> dict[str, dict[str, object]]:
    """Adults back from leave take their meetings back from whoever covered, where they are free
    and within their period limits; returns the covers still running."""
    still: dict[str, dict[str, object]] = {}
    sc = work.scenario
    for key, cover in sorted(covers.items()):
        person, sub = str(cover.get("away", "")), str(cover.get("by", ""))
        gid, _, slot_id = key.rpartition("@")
        m = work.meetings.get((gid, slot_id))
        if person in away:
            if m is not None and sub in m.staff_ids:
                still[key] = cover
            continue
        staff = sc.staff_by_id.get(person)
        if m is None or sub not in m.staff_ids or staff is None or person in m.staff_ids:
            continue
        slot = sc.slot_by_id[slot_id]
        busy = work.busy_slots().get(person, set())
        week, day = work.periods()
        if busy & work.data.overlapping[slot_id] or not sc.staff_available(staff, slot):
            continue
        if (
            staff.max_periods_day is not None
            and day.get((person, slot.day.value), 0) + slot.periods > staff.max_periods_day
        ):
            continue
        if staff.max_periods_week is not None and week.get(person, 0) + slot.periods > staff.max_periods_week:
            continue
        m.staff_ids = [person if p == sub else p for p in m.staff_ids]
        reasons[person] = ("returned", {})
    return still


def _remove(work: WorkingPlan, students: set[str]) -> None:
    if not students:
        return
    for m in work.meetings.values():
        m.members -= students


def _upgrade_candidates(work: WorkingPlan, old_plan: Plan, scenario: Scenario, settled: set[str]) -> set[str]:
    """Students who ranked an activity with freed places above the best they hold (``fill_freed``)."""
    old_size: dict[str, int] = defaultdict(int)
    for g in old_plan.groups:
        old_size[g.group_id] = max(old_size[g.group_id], g.size)
    now: dict[str, int] = defaultdict(int)
    for m in work.meetings.values():
        now[m.group_id] = max(now[m.group_id], len(m.members))
    freed = {
        m.activity_id
        for m in work.meetings.values()
        if kind_of(work.activity(m)) == "choice" and now[m.group_id] < old_size[m.group_id]
    }
    if not freed:
        return set()
    best: dict[str, int] = {}
    for a in old_plan.assignments:
        if a.choice_rank:
            best[a.student_id] = min(best.get(a.student_id, 6), a.choice_rank)
    out = set()
    for sid in settled:
        student = scenario.student_by_id[sid]
        if any(r < best.get(sid, 6) and aid in freed for r, aid in student.choices):
            out.add(sid)
    return out


def _open_care_groups(
    work: WorkingPlan, missing: dict[str, list[str]], away: frozenset[str], closed: frozenset[str], lang: str
) -> list[Unplaced]:
    """New care groups for students the existing groups cannot take; the rest are unplaced."""
    sc = work.scenario
    rules = sc.school.rules
    out: list[Unplaced] = []
    for slot_id in sorted(missing):
        slot = sc.slot_by_id[slot_id]
        pending: dict[str, list[str]] = defaultdict(list)
        for sid in missing[slot_id]:
            care = sc.care_activity_of_grade.get(sc.grade_of(sc.student_by_id[sid]))
            if care is None:
                grade = sc.grade_of(sc.student_by_id[sid])
                out.append(
                    Unplaced(
                        sid,
                        slot.day.value,
                        slot_id,
                        t("midterm.reason.no_care", lang, grade=grade, slot=slot_id),
                        "reason.no_care",
                    )
                )
            else:
                pending[care.activity_id].append(sid)
        for care_id, students in sorted(pending.items()):
            order = sorted(
                students,
                key=lambda s: (not sc.is_priority(sc.student_by_id[s]), sc.grade_of(sc.student_by_id[s]), s),
            )
            k = 0
            while order:
                first = sc.grade_of(sc.student_by_id[order[0]])
                batch = [s for s in order if abs(sc.grade_of(sc.student_by_id[s]) - first) <= rules.max_grade_span]
                batch = batch[: min(rules.group_cap, rules.ratio)]
                room = free_room(work, care_id, slot_id, len(batch), closed) or free_room(
                    work, care_id, slot_id, 1, closed
                )
                adult = free_adult(work, care_id, slot_id, away) if room else None
                if room is None or adult is None:
                    break
                batch = batch[: room.capacity]
                k += 1
                gid = f"{care_id}-N-{slot_id}-{k}"
                while any(m.group_id == gid for m in work.meetings.values()):
                    k += 1
                    gid = f"{care_id}-N-{slot_id}-{k}"
                work.meetings[(gid, slot_id)] = Meeting(gid, care_id, slot_id, room.room_id, "", [adult], set(batch))
                work.changed()
                order = [s for s in order if s not in set(batch)]
            for sid in order:
                out.append(Unplaced(sid, slot.day.value, slot_id, t("midterm.reason.full", lang, slot=slot_id), "full"))
    return out


def _assemble(
    work: WorkingPlan,
    unplaced: list[Unplaced],
    old: Plan,
    applied: tuple[Change, ...],
    on: date,
    until: date | None,
    stages: tuple[StageResult, ...],
    settings: SolveSettings,
    started: float,
    warnings: list[str],
) -> Plan:
    sc = work.scenario
    order = {s.slot_id: i for i, s in enumerate(sc.sorted_slots)}
    groups: list[GroupMeeting] = []
    assignments: list[Assignment] = []
    for m in work.meetings.values():
        activity = work.activity(m)
        members = sorted(m.members)
        students = [sc.student_by_id[s] for s in members]
        day = sc.slot_by_id[m.slot_id].day.value
        groups.append(
            GroupMeeting(
                group_id=m.group_id,
                activity_id=m.activity_id,
                day=day,
                slot_id=m.slot_id,
                room_id=m.room_id,
                rain_room_id=m.rain_room_id,
                staff_ids=tuple(m.staff_ids),
                size=len(members),
                grades=tuple(sorted({sc.grade_of(s) for s in students})),
                class_ids=tuple(sorted({s.class_id for s in students})),
            )
        )
        chosen = kind_of(activity) == "choice"
        for s in students:
            rank = next((r for r, a in s.choices if a == m.activity_id), None) if chosen else None
            assignments.append(Assignment(s.student_id, day, m.slot_id, m.group_id, rank, m.activity_id))
    duty_list = [DutyAssignment(d, s, p, pid) for d, s, p, pid in work.duties]
    group_rows, assignment_rows, unplaced_rows, duties = ordered_rows(groups, assignments, unplaced, duty_list, order)
    hit = any(s.hit_wall_clock for s in stages)
    status = "OPTIMAL" if all(s.status == "OPTIMAL" for s in stages) else "FEASIBLE"
    meta = PlanMeta(
        scenario_hash=sc.content_hash(),
        status=status,
        seed=settings.seed,
        reproducible=not hit,
        version=old.meta.version + 1,
        parent_version=old.meta.version,
        valid_from=on.isoformat(),
        valid_until=until.isoformat() if until else None,
        changes_applied=tuple(change_key(c) for c in applied),
        objective_terms={
            "unplaced_slots": len(unplaced),
            "groups": len({g.group_id for g in groups}),
            "adult_meetings": sum(len(g.staff_ids) for g in groups),
        },
        solve_seconds=round(time.monotonic() - started, 3),
        warnings=tuple(warnings),
        program_version=__version__,
        extra={"stages": [s.__dict__ for s in stages]},
    )
    return Plan(
        groups=group_rows,
        assignments=assignment_rows,
        unplaced=unplaced_rows,
        staff_load=staff_loads(sc, group_rows, duties),
        duty_roster=duties,
        meta=meta,
    )
