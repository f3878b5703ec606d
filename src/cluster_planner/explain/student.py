"""Why a student did not get a higher choice, checked by re-solving stage A with that choice forced.

For each choice ranked above the one granted: the activity is not on the menu, not open to
the student's grade, does not meet on the student's days, cannot be led by any cleared
adult, did not open (below its minimum), or is full — and then the forced re-solve says
what taking a place would cost: a priority student's place, N more students without any
choice, lower choices for others, or nothing but the tie on the seeded lottery (S6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cluster_planner import rules
from cluster_planner.budget import Budget
from cluster_planner.domain import Scenario
from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t
from cluster_planner.plan import Plan
from cluster_planner.solver import AllocationModel, Limits, PlanningData, SolveSettings, prepare, run_stage
from cluster_planner.vocabulary import coded_params

from .instances import activity_name

RESOLVE_LIMIT = 30.0  # deterministic seconds per re-solve

register(
    {
        "student.unknown": ("方案中没有已核准的学生 {student}", "no approved student {student} in this plan"),
        "student.granted": (
            "学生 {student} 获得第 {rank} 志愿：{activity}",
            "student {student} got choice {rank}: {activity}",
        ),
        "student.none": ("学生 {student} 未获得任何志愿", "student {student} got none of their choices"),
        "student.no_choices": ("学生 {student} 没有填报志愿", "student {student} listed no choices"),
        "student.choice": ("第 {rank} 志愿 {activity}：{why}", "choice {rank}, {activity}: {why}"),
        "student.why.not_on_menu": ("不在服务菜单中", "not on the menu"),
        "student.why.grade": (
            "不对 {grade} 年级开放（适用 {grades} 年级）",
            "not open to grade {grade} (grades {grades})",
        ),
        "student.why.no_staff": (
            "没有通过审查、具备所需技能的教师，未开设",
            "no cleared adult can lead it; it did not open",
        ),
        "student.why.days": (
            "只在 {slots} 上课，不在该生的服务时段（{mine}）内",
            "it meets only on {slots}, not within the student's service slots ({mine})",
        ),
        "student.why.below_min": (
            "未开设：只有 {demand} 名学生可以参加，少于最低 {min} 人",
            "it did not open: only {demand} students could take it, below its minimum of {min}",
        ),
        "student.why.infeasible": (
            "即使强制安排也无法满足硬性规则（人数上限、场地或教师不足）",
            "even forced, no allocation keeps the hard rules (group caps, rooms or adults at its slots)",
        ),
        "student.why.priority": (
            "名额已满：让该生参加会使 {n} 名优先学生失去志愿名额",
            "full: taking a place would cost {n} priority student(s) their place",
        ),
        "student.why.no_choice": (
            "名额已满：让该生参加会使另外 {n} 名学生得不到任何志愿",
            "full: taking a place would leave {n} more student(s) without any choice",
        ),
        "student.why.ranks": (
            "名额已满：让该生参加会使其他学生的志愿共下降 {n} 位",
            "full: taking a place would move other students {n} choice step(s) down in all",
        ),
        "student.why.groups": (
            "让该生参加需要多开 {n} 个组",
            "taking a place would need {n} more group(s) to open",
        ),
        "student.why.lottery": (
            "名额已满，同等条件下按抽签决定：该生抽签号 {number}，抽签顺序第 {position}/{total} 位（号小者优先）",
            "full, and the tie went against the student's lottery number {number} (drawn {position} of {total}; "
            "the smallest number draws first)",
        ),
        "student.why.opened": (
            "强制重新求解可以安排，代价相同（方案经过修复轮次，与重新求解不完全一致）",
            "a forced re-solve grants it at no cost (the plan went through repair rounds the re-solve does not repeat)",
        ),
        "student.checked": (
            "（以上每条均已通过强制该志愿重新求解分配阶段加以核对{approx}）",
            "(each reason was checked by re-solving the allocation with that choice forced{approx})",
        ),
        "student.approx": ("；部分求解未证明最优", "; some solves were not proven optimal"),
        "student.why.stopped": (
            "在时间限制内未能核对（请放宽 --time-limit）",
            "not checked: no answer within the time limit (allow more --time-limit)",
        ),
    }
)


@dataclass(frozen=True)
class Reason:
    """One choice above the granted one and what stood in the way."""

    rank: int
    activity: str
    code: str
    params: tuple[tuple[str, Any], ...] = ()


@dataclass
class StudentAccount:
    """A student's choices and the reasons, ready to print in either language."""

    student_id: str
    lang: str
    granted: tuple[int, str] | None
    has_choices: bool
    reasons: list[Reason] = field(default_factory=list)
    resolved: bool = False
    approximate: bool = False

    def lines(self, lang: str) -> list[str]:
        sid = self.student_id
        if not self.has_choices:
            return [t("student.no_choices", lang, student=sid)]
        out = [
            t("student.granted", lang, student=sid, rank=self.granted[0], activity=self.granted[1])
            if self.granted
            else t("student.none", lang, student=sid)
        ]
        for r in self.reasons:
            why = t(r.code, lang, **coded_params(dict(r.params), lang))
            out.append("  - " + t("student.choice", lang, rank=r.rank, activity=r.activity, why=why))
        if self.resolved:
            out.append(t("student.checked", lang, approx=t("student.approx", lang) if self.approximate else ""))
        return out


@dataclass(frozen=True)
class _Outcome:
    feasible: bool
    optimal: bool
    priority_with: int = 0
    with_choice: int = 0
    rank_cost: int = 0
    groups: int = 0
    decided: bool = True  # False: the solve was cut before an answer


def _resolve(data: PlanningData, student_id: str | None, activity_id: str | None, budget: Budget) -> _Outcome:
    """Stage A from scratch (no repair limits), optionally with one student's choice forced."""
    am = AllocationModel(data, Limits())
    if student_id is not None:
        lits = [v for o, v in am.x.items() if o.student_id == student_id and o.activity_id == activity_id]
        am.model.add(sum(lits) == 1)
    am.model.minimize(am.objective())
    settings = SolveSettings(
        deterministic_limit=RESOLVE_LIMIT, relative_gap=0.0, seed=data.seed, workers=1, budget=budget
    )
    solver, result = run_stage("A allocation (explain)", am.model, settings, wall_left=3 * RESOLVE_LIMIT)
    budget.raise_if_cancelled()
    if result.objective is None:
        return _Outcome(False, result.status == "INFEASIBLE", decided=result.status == "INFEASIBLE")
    granted: dict[str, list[int]] = {}
    for o, v in am.x.items():
        if solver.value(v):
            granted.setdefault(o.student_id, []).append(o.rank)
    priority = {s.student_id for s in data.students if data.is_priority(s)}
    return _Outcome(
        feasible=True,
        optimal=result.status == "OPTIMAL",
        priority_with=sum(1 for s in granted if s in priority),
        with_choice=len(granted),
        rank_cost=sum(sum(r) for r in granted.values()),
        groups=sum(solver.value(n) for n in am.n.values()),
    )


def _cost_of(base: _Outcome, forced: _Outcome, data: PlanningData, student_id: str) -> tuple[str, dict[str, Any]]:
    """What forcing the choice cost, in the order the planner weighs it (S2, S6, economy, lottery)."""
    if not (base.decided and forced.decided):
        return "student.why.stopped", {}
    if not forced.feasible:
        return "student.why.infeasible", {}
    if forced.priority_with < base.priority_with:
        return "student.why.priority", {"n": base.priority_with - forced.priority_with}
    # The forced student gains a choice when the base gave none; others' loss is net of that gain.
    if forced.with_choice < base.with_choice:
        return "student.why.no_choice", {"n": base.with_choice - forced.with_choice}
    if forced.rank_cost > base.rank_cost and forced.with_choice == base.with_choice:
        return "student.why.ranks", {"n": forced.rank_cost - base.rank_cost}
    if forced.groups > base.groups:
        return "student.why.groups", {"n": forced.groups - base.groups}
    if forced.with_choice > base.with_choice or forced.rank_cost < base.rank_cost:
        return "student.why.opened", {}
    number = rules.lottery_number(data.seed, student_id)
    return "student.why.lottery", {"number": number, "position": data.lottery[student_id], "total": len(data.lottery)}


def account_of(plan: Plan, scenario: Scenario, student_id: str, budget: Budget | None = None) -> StudentAccount:
    """The account of one student of a solved plan (re-solving stage A for each contested choice).

    ``budget``: the command's deadline and cancel; a choice not checked in time says so.
    """
    budget = budget or Budget()
    data = prepare(scenario, plan.meta.seed)
    student = next((s for s in data.students if s.student_id == student_id), None)
    if student is None:
        raise UsageError(t("student.unknown", scenario.school.language, student=student_id))
    ranks = [a for a in plan.assignments if a.student_id == student_id and a.choice_rank]
    best = min(ranks, key=lambda a: a.choice_rank, default=None)
    by_id = scenario.activity_by_id
    granted = None
    if best is not None:
        group_activity = best.activity_id or next(g.activity_id for g in plan.groups if g.group_id == best.group_id)
        granted = (best.choice_rank, activity_name(by_id[group_activity]))
    account = StudentAccount(student_id, scenario.school.language, granted, bool(student.choices))
    limit = best.choice_rank if best is not None else 99
    opened = {g.activity_id for g in plan.groups}
    grade = data.grade[student_id]
    mine = data.service_slots[student_id]
    base: _Outcome | None = None
    for rank, aid in student.choices:
        if rank >= limit:
            break
        a = by_id.get(aid)
        name = activity_name(a) if a else aid
        code: str
        params: dict[str, Any] = {}
        if a is None:
            code = "student.why.not_on_menu"
        elif not a.eligible(grade):
            code, params = "student.why.grade", {"grade": grade, "grades": " ".join(map(str, sorted(a.grades)))}
        elif aid not in data.patterns:
            code = "student.why.no_staff"
        elif not any(set(p.slot_ids) <= mine for p in data.patterns[aid]):
            slots = sorted({s for p in data.patterns[aid] for s in p.slot_ids})
            code, params = "student.why.days", {"slots": " ".join(slots), "mine": " ".join(sorted(mine))}
        else:
            demand = len({o.student_id for o in data.choice_options if o.activity_id == aid})
            if aid not in opened and demand < max(1, a.min_size):
                code, params = "student.why.below_min", {"demand": demand, "min": a.min_size}
            elif budget.expired():
                budget.raise_if_cancelled()
                code = "student.why.stopped"
            else:
                if base is None:
                    base = _resolve(data, None, None, budget)
                forced = _resolve(data, student_id, aid, budget)
                account.resolved = True
                account.approximate |= not (base.optimal and forced.optimal)
                code, params = _cost_of(base, forced, data, student_id)
        account.reasons.append(Reason(rank, name, code, tuple(params.items())))
    return account


def explain_student(plan_dir: str | Path, student_id: str, budget: Budget | None = None) -> StudentAccount:
    """Read a plan folder (with its scenario snapshot) and account for one student."""
    from cluster_planner.plan.folder import load_plan_folder

    plan, scenario = load_plan_folder(plan_dir)
    return account_of(plan, scenario, student_id, budget)
