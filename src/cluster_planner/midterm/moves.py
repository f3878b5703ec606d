"""What changed between two plans: one :class:`Move` per student or adult affected (moves.csv).

Used by ``resolve`` (with the reasons the repair knows) and by ``diff`` (any two plans).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan
from cluster_planner.plan.model import DutyAssignment, GroupMeeting, Move
from cluster_planner.plan.notice_words import WHOLE_WEEK, NoticeWords

Reasons = dict[str, tuple[str, dict[str, Any]]]
"""A student, adult or group id → (reason code, its parameters) the caller knows."""


def placements(plan: Plan) -> dict[str, dict[str, str]]:
    """Each student's group per slot (``""`` where unplaced)."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for a in plan.assignments:
        out[a.student_id][a.slot_id] = a.group_id
    for u in plan.unplaced:
        out[u.student_id].setdefault(u.slot_id, "")
    return out


def _work_rows(plan: Plan) -> dict[str, dict[str, GroupMeeting | DutyAssignment]]:
    """Each adult's meetings (``group@slot``) and duty posts (``post@day[@slot]``)."""
    out: dict[str, dict[str, GroupMeeting | DutyAssignment]] = defaultdict(dict)
    for g in plan.groups:
        for p in g.staff_ids:
            out[p][f"{g.group_id}@{g.slot_id}"] = g
    for d in plan.duty_roster:
        out[d.staff_id][f"{d.post}@{d.day}" + (f"@{d.slot_id}" if d.slot_id else "")] = d
    return out


def _days(before: dict[str, Any], after: dict[str, Any], day_of: dict[str, str], whole_week: bool) -> list[str]:
    """The days a notice describes: every day of either side for a person whose own data changed,
    else the days on which something changed."""
    keys = set(before) | set(after)
    return sorted({day_of.get(k, k) for k in keys if whole_week or before.get(k) != after.get(k)})


def diff_plans(
    old: Plan,
    new: Plan,
    old_scenario: Scenario | None,
    new_scenario: Scenario | None,
    lang: str = "zh",
    reasons: Reasons | None = None,
) -> tuple[Move, ...]:
    """Students, adults and groups whose place, work or room differs between ``old`` and ``new``.

    ``reasons`` maps an id to ``(reason_code, params)`` the caller knows (a re-solve does);
    otherwise the reason is inferred: joined, left, upgraded, moved. Before and after are words
    (:mod:`cluster_planner.plan.notice_words`): the whole week for a person whose own data changed,
    the days that changed for everyone else.
    """
    reasons = reasons or {}
    words = NoticeWords.of(old_scenario, new_scenario, new.meta.valid_from, lang)
    before, after = placements(old), placements(new)
    old_groups = {(g.group_id, g.slot_id): g for g in old.groups}
    new_groups = {(g.group_id, g.slot_id): g for g in new.groups}
    slot_day = {g.slot_id: g.day for g in (*old.groups, *new.groups)}
    for sc in (old_scenario, new_scenario):
        if sc is not None:
            slot_day.update({s.slot_id: s.day.value for s in sc.timeslots})
    people = {}
    for sc in (old_scenario, new_scenario):
        if sc is not None:
            people.update({s.student_id: s for s in sc.students})
    moves: list[Move] = []
    for sid in sorted(set(before) | set(after)):
        b, a = before.get(sid, {}), after.get(sid, {})
        if b == a:
            continue
        student = people.get(sid)
        if sid in reasons:
            code, params = reasons[sid]
        elif not b:
            code, params = "joined", {}
        elif not a:
            code, params = "left", {}
        else:
            code, params = _inferred(old, new, sid)
        days = _days(b, a, slot_day, code in WHOLE_WEEK)
        moves.append(
            Move(
                id=sid,
                name=student.name if student else "",
                class_id=student.class_id if student else "",
                before=words.student_week(b, old_groups, days, empty_key="notice.not_yet"),
                after=words.student_week(a, new_groups, days, empty_key="notice.no_longer"),
                reason=words.reason(code, **params),
                kind="student",
                reason_code=code,
            )
        )
    staff_names = {}
    for sc in (old_scenario, new_scenario):
        if sc is not None:
            staff_names.update({p.staff_id: p.name for p in sc.staff})
    old_work, new_work = _work_rows(old), _work_rows(new)
    for pid in sorted(set(old_work) | set(new_work)):
        b_rows, a_rows = old_work.get(pid, {}), new_work.get(pid, {})
        if set(b_rows) == set(a_rows):
            continue
        code, params = reasons.get(pid, ("restaffed", {}))
        day_of = {k: w.day for k, w in {**b_rows, **a_rows}.items()}
        days = _days(dict.fromkeys(b_rows, 1), dict.fromkeys(a_rows, 1), day_of, code in WHOLE_WEEK)
        moves.append(
            Move(
                id=pid,
                name=staff_names.get(pid, ""),
                class_id="",
                before=words.staff_week(b_rows.values(), days),
                after=words.staff_week(a_rows.values(), days),
                reason=words.reason(code, **params),
                kind="staff",
                reason_code=code,
            )
        )
    moves.extend(_group_moves(old, new, words, reasons))
    return tuple(moves)


def _group_moves(old: Plan, new: Plan, words: NoticeWords, reasons: Reasons) -> list[Move]:
    """A group whose meetings kept their slot but changed room or rainy-day room (its families are told):
    one row per group, its changed meetings before and after."""
    before = {(g.group_id, g.slot_id): g for g in old.groups}
    changed: dict[str, list[tuple[GroupMeeting, GroupMeeting]]] = defaultdict(list)
    for g in new.groups:
        o = before.get((g.group_id, g.slot_id))
        if o is not None and (o.room_id, o.rain_room_id) != (g.room_id, g.rain_room_id):
            changed[g.group_id].append((o, g))
    out = []
    for gid, pairs in sorted(changed.items()):
        code, params = reasons.get(gid, ("reroomed", {}))
        out.append(
            Move(
                id=gid,
                name=words.activity(pairs[0][1].activity_id),
                class_id="",
                before=words.group_rooms(o for o, _ in pairs),
                after=words.group_rooms(g for _, g in pairs),
                reason=words.reason(code, **params),
                kind="group",
                reason_code=code,
            )
        )
    return out


def _best_rank(plan: Plan, sid: str) -> int | None:
    return min((x.choice_rank for x in plan.assignments if x.student_id == sid and x.choice_rank), default=None)


def _inferred(old: Plan, new: Plan, sid: str) -> tuple[str, dict[str, Any]]:
    rank_old, rank_new = _best_rank(old, sid), _best_rank(new, sid)
    if rank_new is not None and (rank_old is None or rank_new < rank_old):
        return "upgraded", {"n": rank_new}
    return "moved", {}
