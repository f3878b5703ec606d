"""The mid-term re-solve: repair the earlier plan with the least disturbance.

Order (each step only touches what the changes affect):

1. leavers, joiners, students whose data changed and students unplaced before leave their places;
2. meetings in a closed room get another room, meetings and duties of an adult away get a
   substitute (:mod:`~cluster_planner.midterm.resources`); a meeting that cannot be repaired
   drops (a chosen activity: its whole group) and its students are re-placed;
3. one CP-SAT model places the students of step 1 and 2 (and, with ``fill_freed``, those who
   ranked a freed activity higher than theirs) into groups with spare places, or into new care
   groups where a room and an adult are free (:mod:`~cluster_planner.midterm.placement`); who
   cannot be placed is listed unplaced with the reason;
4. the meetings, unplaced rows and duties become the new plan
   (:func:`~cluster_planner.plan.assemble.assemble`).

Groups keep their ``group_id``, slot, room and adults unless a change forces otherwise; merge
rules and ``min_size`` bind at term start only (FORMAT.md), so a group that shrank is kept. The
grade span (G3) and keeping a joiner with their class (S7) bind on every version.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from cluster_planner import __version__, rules
from cluster_planner.domain import Scenario
from cluster_planner.domain.entities import Change, ChangeAction
from cluster_planner.i18n import register, t
from cluster_planner.midterm.changes import absences, change_key
from cluster_planner.midterm.moves import Reasons, diff_plans, placements
from cluster_planner.midterm.placement import CLASS_FULL, FULL, NO_CARE, SPAN, Mobile, place
from cluster_planner.midterm.resources import reroom, restaff
from cluster_planner.midterm.state import WorkingPlan
from cluster_planner.plan import Plan
from cluster_planner.plan.assemble import assemble
from cluster_planner.plan.meeting import Meeting
from cluster_planner.plan.model import DutyAssignment, PlanMeta, Unplaced
from cluster_planner.plan.priority_places import serve_priority_in_chosen_groups
from cluster_planner.solver.params import SolveSettings, StageResult
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
        "midterm.reason.span": (
            "{slot} 年级相近（相差不超过 {span}）的托管组已满，也没有空闲的场地和教师开新组",
            "at {slot} the care groups within {span} grade(s) are full and no free room and adult can open a new one",
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
    work = WorkingPlan.from_plan(old_plan, new_scenario)
    before = placements(old_plan)
    old_ids = {s.student_id for s in old_scenario.approved_students}
    new_ids = {s.student_id for s in new_scenario.approved_students}
    changed = {s for s in new_ids & old_ids if _student_changed(old_scenario, new_scenario, s)}
    # a join row for a student already enrolled (another class, say) places them as a joiner too
    rejoined = {c.id for c in applied if c.action == ChangeAction.JOIN} & changed
    joined = (new_ids - old_ids) | rejoined
    changed -= rejoined
    left = old_ids - new_ids
    unplaced_before = {u.student_id for u in old_plan.unplaced} & new_ids
    work.remove_students(left | joined | changed | unplaced_before)

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
        victims = [meeting] if meeting.kind != "choice" else work.of_group(meeting.group_id)
        if why == "room":
            room = meeting.room_id if meeting.room_id in away.rooms else meeting.rain_room_id
            params: dict[str, object] = {"words": "moved_room", "room": room}
        else:
            params = {"words": "moved_adult", "staff": sorted({p for p in old_staff(old_plan, key) if p in away.staff})}
        for m in victims:
            for sid in m.members:
                displaced.add(sid)
                reasons.setdefault(sid, ("moved", params))
            work.drop(m.key)
    work.remove_students(displaced)  # from their other meetings too: placed afresh, their way back first

    upgrade = (
        _upgrade_candidates(work, old_plan, new_scenario, new_ids - joined - changed - displaced)
        if fill_freed
        else set()
    )
    mobile_ids = joined | changed | unplaced_before | displaced | upgrade
    work.remove_students(upgrade)
    mobiles = [
        Mobile(sid, {s: g for s, g in before.get(sid, {}).items() if g}, sid not in joined | changed)
        for sid in sorted(mobile_ids)
    ]
    placement = place(work, mobiles, fill_freed, settings, away.staff, away.rooms)
    for m in placement.opened:
        work.put(m)
    joining: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (sid, slot_id), gid in sorted(placement.where.items()):
        if gid is not None and (gid, slot_id) in work.meetings and sid not in work.meetings[(gid, slot_id)].members:
            joining[(gid, slot_id)].append(sid)
    for key, sids in joining.items():
        m = work.meetings[key]
        work.put(replace(m, members=tuple(sorted((*m.members, *sids)))))
    unplaced = [
        _unplaced(new_scenario, sid, slot_id, placement.reasons[(sid, slot_id)], lang)
        for (sid, slot_id), gid in sorted(placement.where.items())
        if gid is None
    ]
    lottery = rules.scenario_lottery(new_scenario, settings.seed)
    unplaced = _priority_first(work, unplaced, new_scenario, lottery, lang, reasons)
    unplaced = _priority_into_ranked_groups(work, unplaced, new_scenario, lottery, lang, reasons)
    # S7 binds for every joiner of the term, not only this re-solve's: a place freed beside
    # classmates (a classmate left, a group grew) takes an earlier joiner in
    joiners = joined | ({c.id for c in new_scenario.changes if c.action == ChangeAction.JOIN} & new_ids)
    unplaced = _joiners_left_out_beside_classmates(work, unplaced, joiners)
    _joiners_to_classmates(work, joiners)
    for key in [k for k, m in work.meetings.items() if not m.members]:
        work.drop(key)

    stages = rooms.stages + adults.stages + ((placement.stage,) if placement.stage else ())
    warnings = [
        t("midterm.duty_gap", lang, **coded_params({"post": post, "day": day}, lang), slot=slot_id, missing=n)
        for day, slot_id, post, n in adults.duty_gaps
    ]
    meta = _meta(work, unplaced, old_plan, applied, on, away.ends, stages, settings, started, warnings, covers)
    duties = [DutyAssignment(d, s, p, pid) for d, s, p, pid in work.duties]
    plan = assemble(new_scenario, work.meetings.values(), unplaced, duties, meta)
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


def _priority_first(
    work: WorkingPlan,
    unplaced: list[Unplaced],
    scenario: Scenario,
    lottery: Mapping[str, int],
    lang: str,
    reasons: Reasons,
) -> list[Unplaced]:
    """S2 on a re-solve: a priority student the placement left out takes a place in their class's
    class-activity group where it meets then, otherwise in a care meeting open to their grade.
    Students without priority give way: those whose grade the newcomer's would put beyond the
    span (G3), and, if the meeting is still full, the least lucky of another class (S6, S7);
    each is listed unplaced with the reason. The meeting asking the
    fewest to give way is chosen (their class's first). Returns the unplaced rows after it."""
    student_of = scenario.student_by_id

    def classes_of(meeting: Meeting) -> set[str]:
        return {student_of[x].class_id for x in meeting.members}

    out = list(unplaced)
    gave_way: list[tuple[str, tuple[str, str]]] = []  # (student, meeting they left)
    for row in sorted(unplaced, key=lambda u: (u.slot_id, lottery.get(u.student_id, 0))):
        student = student_of.get(row.student_id)
        if student is None or not rules.is_priority(scenario, student):
            continue
        grade = scenario.grade_of(student)
        best: tuple[tuple[int, bool, str], Meeting, list[str]] | None = None
        at_slot = [m for m in work.meetings.values() if m.slot_id == row.slot_id]
        own_class = [m for m in at_slot if m.kind == "class" and student.class_id in classes_of(m)]
        care = [m for m in at_slot if m.kind == "care" and work.activity(m).eligible(grade)]
        for m in own_class or care:  # where their class activity meets, they stand in it (FORMAT.md)
            first = [x for x in m.members if rules.is_priority(scenario, student_of[x])]
            if not rules.grade_span_ok(scenario, [grade, *(scenario.grade_of(student_of[x]) for x in first)]):
                continue  # priority students do not give way to each other
            ordinary = [x for x in m.members if x not in first]
            grade_of = {x: scenario.grade_of(student_of[x]) for x in ordinary}
            leave = [x for x in ordinary if not rules.grade_span_ok(scenario, [grade, grade_of[x]])]
            stay = sorted(
                (x for x in ordinary if x not in leave),
                key=lambda x: (student_of[x].class_id == student.class_id, -lottery.get(x, 0)),
            )
            over = m.size - len(leave) + 1 - work.capacity(m)
            if over > len(stay):
                continue
            leave += stay[: max(0, over)]
            key = (len(leave), student.class_id not in {student_of[x].class_id for x in m.members}, m.group_id)
            if best is None or key < best[0]:
                best = (key, m, leave)
        if best is None:
            continue
        _, m, leave = best
        work.put(replace(m, members=tuple(sorted({*m.members} - set(leave) | {row.student_id}))))
        out.remove(row)
        for other in leave:
            gave_way.append((other, m.key))
    for other, key in gave_way:
        out.append(_unplaced(scenario, other, key[1], FULL, lang))
        reasons.setdefault(other, ("moved", {"words": "priority_first"}))
    # Places a swap freed (grades beyond the span left) go to those left out there, beside a
    # classmate (S7), luckiest first.
    touched = {key[1] for _, key in gave_way}
    for row in sorted(out, key=lambda u: lottery.get(u.student_id, 0)):
        student = student_of.get(row.student_id)
        if row.slot_id not in touched or student is None:
            continue
        grade = scenario.grade_of(student)
        for m in sorted(work.meetings.values(), key=lambda m: m.group_id):
            if m.slot_id != row.slot_id or m.kind != "care" or not work.activity(m).eligible(grade):
                continue
            if _room_beside_classmate(work, m, row.student_id):
                work.put(replace(m, members=tuple(sorted((*m.members, row.student_id)))))
                out.remove(row)
                break
    return sorted(out, key=lambda u: (u.student_id, u.slot_id))


def _priority_into_ranked_groups(
    work: WorkingPlan,
    unplaced: list[Unplaced],
    scenario: Scenario,
    lottery: Mapping[str, int],
    lang: str,
    reasons: Reasons,
) -> list[Unplaced]:
    """S2 in chosen groups on a re-solve (``plan.priority_places``): a priority student still left
    out takes the place of the least lucky student without priority in a group they ranked; that
    student is listed unplaced where they found no seat. Returns the unplaced rows after it."""
    if not any(
        rules.is_priority(scenario, s) for s in (scenario.student_by_id.get(u.student_id) for u in unplaced) if s
    ):
        return unplaced
    service = {sid: frozenset(slots) for sid, slots in scenario.service_slots.items()}
    after, gave_way = serve_priority_in_chosen_groups(scenario, work.meetings, service, lottery)
    for key, meeting in after.items():
        if meeting != work.meetings.get(key):
            work.put(meeting)
    placed = {(sid, m.slot_id) for m in work.meetings.values() for sid in m.members}
    out = [u for u in unplaced if (u.student_id, u.slot_id) not in placed]
    for g in gave_way:
        out.append(_unplaced(scenario, g.student_id, g.slot_id, FULL, lang))
        reasons.setdefault(g.student_id, ("moved", {"words": "priority_first"}))
    return sorted(out, key=lambda u: (u.student_id, u.slot_id))


def _unplaced(scenario: Scenario, sid: str, slot_id: str, why: str, lang: str) -> Unplaced:
    """The unplaced row of a student at a slot, with the reason in words."""
    day = scenario.slot_by_id[slot_id].day.value
    if why == CLASS_FULL:
        return Unplaced(sid, day, slot_id, t("midterm.reason.class_full", lang, slot=slot_id), "full")
    if why == NO_CARE:
        grade = scenario.grade_of(scenario.student_by_id[sid])
        return Unplaced(
            sid, day, slot_id, t("midterm.reason.no_care", lang, grade=grade, slot=slot_id), "reason.no_care"
        )
    if why == SPAN:
        span = rules.max_grade_span(scenario)
        return Unplaced(sid, day, slot_id, t("midterm.reason.span", lang, slot=slot_id, span=span), "full")
    return Unplaced(sid, day, slot_id, t("midterm.reason.full", lang, slot=slot_id), "full")


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


def _joiners_to_classmates(work: WorkingPlan, joined: set[str]) -> None:
    """S7 for joiners, read on the placed plan: a joiner in a care group without classmates moves to
    a care group of the same activity that holds a classmate, has room and keeps the grade span.

    The placement model sees the classes of the groups before it places anyone; pupils it moves in
    (a closed room's, an absent adult's) can make another group the class's group, so this pass
    looks again once everyone is placed."""
    sc = work.scenario
    class_of = {s.student_id: s.class_id for s in sc.students}
    for key in sorted(work.meetings):
        m = work.meetings.get(key)
        if m is None or m.kind != "care":
            continue
        for sid in sorted(set(m.members) & joined):
            if any(class_of.get(x) == class_of[sid] for x in m.members if x != sid):
                continue
            homes = [
                h
                for h in work.meetings.values()
                if h.kind == "care"
                and h.slot_id == m.slot_id
                and h.activity_id == m.activity_id
                and h.key != m.key
                and _room_beside_classmate(work, h, sid)
            ]
            if not homes:
                continue
            home = min(homes, key=lambda h: h.group_id)
            work.put(replace(work.meetings[key], members=tuple(x for x in work.meetings[key].members if x != sid)))
            work.put(replace(home, members=tuple(sorted((*home.members, sid)))))


def _joiners_left_out_beside_classmates(
    work: WorkingPlan, unplaced: list[Unplaced], joined: set[str]
) -> list[Unplaced]:
    """S7 for joiners the placement left out (it may stop on its budget with a feasible plan; sweep seed
    2026, school 120): a joiner left out at a slot, and held by nothing at once with it, joins a care
    group of their grade's care there that holds a classmate and has room. The others stay listed."""
    sc = work.scenario
    overlapping = rules.overlapping(sc.sorted_slots)
    left: list[Unplaced] = []
    for u in unplaced:
        care = sc.care_activity_of_grade.get(sc.grade_of(sc.student_by_id[u.student_id]))
        if u.student_id not in joined or care is None:
            left.append(u)  # only joiners: the rest were weighed by the placement and the passes before
            continue
        held = any(u.student_id in m.members for m in work.meetings.values() if m.slot_id in overlapping[u.slot_id])
        homes = [
            m
            for m in work.meetings.values()
            if m.slot_id == u.slot_id
            and m.activity_id == care.activity_id
            and _room_beside_classmate(work, m, u.student_id)
        ]
        if held or not homes:
            left.append(u)
            continue
        home = min(homes, key=lambda m: m.group_id)
        work.put(replace(home, members=tuple(sorted((*home.members, u.student_id)))))
    return left


def _room_beside_classmate(work: WorkingPlan, meeting: Meeting, sid: str) -> bool:
    """S7/G3: the care meeting holds a classmate of ``sid``, has room, and keeps the grade span with them."""
    sc = work.scenario
    class_id = sc.student_by_id[sid].class_id
    return (
        meeting.kind == "care"
        and any(x != sid and sc.student_by_id[x].class_id == class_id for x in meeting.members)
        and work.spare(meeting) > 0
        and rules.grade_span_ok(sc, [sc.grade_of(sc.student_by_id[x]) for x in (*meeting.members, sid)])
    )


def _give_back(
    work: WorkingPlan,
    covers: dict[str, dict[str, object]],
    away: frozenset[str],
    reasons: Reasons,
) -> dict[str, dict[str, object]]:
    """Adults back from leave take their meetings back from whoever covered, where they may lead
    it, are free then and have the periods left (T2–T5); returns the covers still running."""
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
        if not work.may_take(staff, work.activity(m), work.slot(slot_id)):
            continue
        work.put(replace(m, staff_ids=tuple(person if p == sub else p for p in m.staff_ids)))
        reasons[person] = ("returned", {})
    return still


def _upgrade_candidates(work: WorkingPlan, old_plan: Plan, scenario: Scenario, settled: set[str]) -> set[str]:
    """Students who ranked an activity with freed places above the best they hold (``fill_freed``)."""
    old_size: dict[str, int] = defaultdict(int)
    for g in old_plan.groups:
        old_size[g.group_id] = max(old_size[g.group_id], g.size)
    now: dict[str, int] = defaultdict(int)
    for m in work.meetings.values():
        now[m.group_id] = max(now[m.group_id], m.size)
    freed = {
        m.activity_id for m in work.meetings.values() if m.kind == "choice" and now[m.group_id] < old_size[m.group_id]
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


def _meta(
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
    covers: dict[str, dict[str, object]],
) -> PlanMeta:
    """plan.json of the re-solved plan: version, parent, dates, changes applied and the stages run."""
    hit = any(s.hit_wall_clock for s in stages)
    status = "OPTIMAL" if all(s.status == "OPTIMAL" for s in stages) else "FEASIBLE"
    return PlanMeta(
        scenario_hash=work.scenario.content_hash(),
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
            "groups": len({m.group_id for m in work.meetings.values()}),
            "adult_meetings": sum(len(m.staff_ids) for m in work.meetings.values()),
        },
        solve_seconds=round(time.monotonic() - started, 3),
        warnings=tuple(warnings),
        program_version=__version__,
        extra={"stages": [s.__dict__ for s in stages], "covers": covers},
    )
