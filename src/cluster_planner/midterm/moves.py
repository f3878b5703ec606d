"""What changed between two plans: one :class:`Move` per student or adult affected (moves.csv).

Used by ``resolve`` (with the reasons the repair knows) and by ``diff`` (any two plans).
"""

from __future__ import annotations

from collections import defaultdict

from cluster_planner.domain import Scenario
from cluster_planner.i18n import register, t
from cluster_planner.plan import Plan
from cluster_planner.plan.model import Move

register(
    {
        "move.joined": ("新加入", "joined"),
        "move.left": ("退出", "left"),
        "move.changed": ("本人申请变更", "changed their application"),
        "move.moved": ("调整安排", "moved"),
        "move.moved_room": ("因场地 {room} 关闭而调整", "moved because room {room} closed"),
        "move.moved_adult": (
            "因教师 {staff} 请假无人代课而调整",
            "moved because {staff} is on leave and no one can cover",
        ),
        "move.upgraded": ("调入第{n}志愿", "upgraded to choice {n}"),
        "move.restaffed": ("人员调整（代课或值班变动）", "re-staffed (cover or duty change)"),
        "move.on_leave": ("请假", "on leave"),
        "move.returned": ("销假返岗，恢复原带组", "back from leave, takes their groups back"),
        "move.reroomed": ("场地调整", "room changed"),
        "move.unplaced": ("未安排", "unplaced"),
        "move.none": ("无", "none"),
    }
)


def placements(plan: Plan) -> dict[str, dict[str, str]]:
    """Each student's group per slot (``""`` where unplaced)."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for a in plan.assignments:
        out[a.student_id][a.slot_id] = a.group_id
    for u in plan.unplaced:
        out[u.student_id].setdefault(u.slot_id, "")
    return out


def work_of(plan: Plan) -> dict[str, set[str]]:
    """Each adult's meetings (``group@slot``) and duty posts (``post@day[@slot]``)."""
    out: dict[str, set[str]] = defaultdict(set)
    for g in plan.groups:
        for p in g.staff_ids:
            out[p].add(f"{g.group_id}@{g.slot_id}")
    for d in plan.duty_roster:
        out[d.staff_id].add(f"{d.post}@{d.day}" + (f"@{d.slot_id}" if d.slot_id else ""))
    return out


def _describe(where: dict[str, str], slots: list[str], lang: str) -> str:
    parts = [f"{s} {where.get(s) or t('move.unplaced', lang)}" for s in slots if s in where]
    return "; ".join(parts) or t("move.none", lang)


def diff_plans(
    old: Plan,
    new: Plan,
    old_scenario: Scenario | None,
    new_scenario: Scenario | None,
    lang: str = "zh",
    reasons: dict[str, tuple[str, str]] | None = None,
) -> tuple[Move, ...]:
    """Students and adults whose place or work differs between ``old`` and ``new``.

    ``reasons`` maps a student or staff id to ``(reason_code, reason words)`` the caller knows
    (a re-solve does); otherwise the reason is inferred: joined, left, upgraded, moved.
    """
    reasons = reasons or {}
    before, after = placements(old), placements(new)
    order = {s.slot_id: i for i, s in enumerate(new_scenario.sorted_slots)} if new_scenario else {}
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
        slots = sorted(set(b) | set(a), key=lambda s: (order.get(s, 99), s))
        changed = [s for s in slots if b.get(s) != a.get(s)]
        if sid in reasons:
            code, words = reasons[sid]
        elif not b:
            code, words = "joined", t("move.joined", lang)
        elif not a:
            code, words = "left", t("move.left", lang)
        else:
            code, words = _inferred(old, new, sid, lang)
        moves.append(
            Move(
                id=sid,
                name=student.name if student else "",
                class_id=student.class_id if student else "",
                before=_describe(b, changed, lang) if b else "",
                after=_describe(a, changed, lang) if a else "",
                reason=words,
                kind="student",
                reason_code=code,
            )
        )
    staff_names = {}
    for sc in (old_scenario, new_scenario):
        if sc is not None:
            staff_names.update({p.staff_id: p.name for p in sc.staff})
    old_work, new_work = work_of(old), work_of(new)
    for pid in sorted(set(old_work) | set(new_work)):
        b, a = old_work.get(pid, set()), new_work.get(pid, set())
        if b == a:
            continue
        code, words = reasons.get(pid, ("restaffed", t("move.restaffed", lang)))
        moves.append(
            Move(
                id=pid,
                name=staff_names.get(pid, ""),
                class_id="",
                before=" ".join(sorted(b - a)),
                after=" ".join(sorted(a - b)),
                reason=words,
                kind="staff",
                reason_code=code,
            )
        )
    moves.extend(_group_moves(old, new, lang, reasons))
    return tuple(moves)


def _group_moves(old: Plan, new: Plan, lang: str, reasons: dict[str, tuple[str, str]]) -> list[Move]:
    """A group meeting that kept its slot but changed room or rainy-day room (its families are told)."""
    before = {(g.group_id, g.slot_id): g for g in old.groups}
    out = []
    for g in new.groups:
        o = before.get((g.group_id, g.slot_id))
        if o is None or (o.room_id, o.rain_room_id) == (g.room_id, g.rain_room_id):
            continue
        code, words = reasons.get(g.group_id, ("reroomed", t("move.reroomed", lang)))
        out.append(
            Move(
                id=g.group_id,
                name=g.activity_id,
                class_id="",
                before=f"{g.slot_id} {o.room_id}" + (f" / {o.rain_room_id}" if o.rain_room_id else ""),
                after=f"{g.slot_id} {g.room_id}" + (f" / {g.rain_room_id}" if g.rain_room_id else ""),
                reason=words,
                kind="group",
                reason_code=code,
            )
        )
    return out


def _best_rank(plan: Plan, sid: str) -> int | None:
    return min((x.choice_rank for x in plan.assignments if x.student_id == sid and x.choice_rank), default=None)


def _inferred(old: Plan, new: Plan, sid: str, lang: str) -> tuple[str, str]:
    rank_old, rank_new = _best_rank(old, sid), _best_rank(new, sid)
    if rank_new is not None and (rank_old is None or rank_new < rank_old):
        return "upgraded", t("move.upgraded", lang, n=rank_new)
    return "moved", t("move.moved", lang)
