"""``explain --suggest``: the cheapest resources that let every rule hold, priority students first.

The feasibility model is built with :class:`~.model.Additions`: one more adult with skill X
on day D (costs their pay for the term), one more room of type T, a group cap raised by 5,
one more parallel group of an activity ([suggest] in school.toml), one more holder for a
duty post. Two solves: every rule but "every student placed" (priority students first),
then every rule. Each minimises the cost; the first also places as many students as it can.
Every solve runs within the command's :class:`~cluster_planner.budget.Budget`; past its
deadline the phases not reached say so, and gains are not measured.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from cluster_planner.budget import Budget
from cluster_planner.domain import Scenario
from cluster_planner.i18n import register, t
from cluster_planner.vocabulary import coded_params

from .instances import Family, activity_name
from .model import FeasibilityModel

PLACE_WEIGHT = 1  # per student-slot left unplaced, below one yuan of cost
DETERMINISTIC_LIMIT = 5.0  # per solve: the same answer on any machine (about 15 s at 3,000 students)
GAP = 0.01  # relative gap of the placement solves (their figures are "up to" anyway)
RELAXED = (Family.PLACED, Family.PRIORITY, Family.LOCK, Family.CLASS_ACTIVITY)
MAX_MEASURED = 6
MEASURE_BUDGET = 4.0  # deterministic seconds for all placement solves of one suggestion (~15 s wall at 3,000)
MIN_SOLVE = 0.5  # additions whose gain is measured (one solve each)

register(
    {
        "suggest.phase.priority": (
            "让每名优先学生都有去处的最省方案：",
            "cheapest way to place every priority student:",
        ),
        "suggest.phase.all": ("让每名学生都有去处的最省方案：", "cheapest way to place every student:"),
        "suggest.same": ("同上方案也能让每名学生都有去处。", "the same set also places every student."),
        "suggest.nothing": ("无需增加资源。", "nothing needs to be added."),
        "suggest.impossible": (
            "即使增加可选资源也无法满足（请先看 explain 给出的冲突规则）",
            "no set of the resources on offer is enough (see the conflict explain names)",
        ),
        "suggest.unknown": ("在时间限制内未找到方案", "no answer within the time limit"),
        "suggest.stopped": (
            "（已到时间限制而停止；以上方案未必最省，各项增益未全部测算）",
            "(stopped at the time limit; the sets above may not be the cheapest, and not every gain was measured)",
        ),
        "suggest.total": ("合计约 {cost} 元/学期", "about {cost} yuan a term in all"),
        "suggest.total_placed": (
            "合计约 {cost} 元/学期；可多安排 {placed} 个学生·时段",
            "about {cost} yuan a term in all; places {placed} more student-slots",
        ),
        "suggest.hire": (
            "聘请 {n} 名具备 {skill} 技能的教师，{days} 到岗（约 {cost} 元/学期）",
            "hire {n} adult(s) with skill {skill} for {days} (about {cost} yuan a term)",
        ),
        "suggest.hire_any": (
            "聘请 {n} 名可带组的教师，{days} 到岗（约 {cost} 元/学期）",
            "hire {n} adult(s) who may lead a group for {days} (about {cost} yuan a term)",
        ),
        "suggest.duty": (
            "为值班岗位 {post}（{day}）增加 {n} 名{kind}（约 {cost} 元/学期）",
            "add {n} {kind} for duty post {post} ({day}) (about {cost} yuan a term)",
        ),
        "suggest.room": (
            "增加 {n} 间{type}{where}（约 {cost} 元）",
            "add {n} {where}{type} room(s) (about {cost} yuan)",
        ),
        "suggest.outdoor": ("（室外）", "outdoor "),
        "suggest.gain": ("可{what}", "{what}"),
        "suggest.gain.join": ("：", ": "),
        "suggest.gain.sep": ("，", ", "),
        "suggest.gain.placed": ("多安排 {n} 个学生·时段", "places up to {n} more student-slots"),
        "suggest.gain.choice": (
            "多让 {n} 名学生获得志愿（其中 {first} 名为第一志愿）",
            "gives up to {n} more students one of their choices ({first} their first)",
        ),
        "suggest.gain.first": (
            "多让 {n} 名学生获得第一志愿",
            "gives up to {n} more students their first choice",
        ),
        "suggest.raise_cap": (
            "「{activity}」每组上限提高 5 人（约 {cost} 元）",
            "raise the group cap of {activity} by 5 (about {cost} yuan)",
        ),
        "suggest.extra_group": (
            "「{activity}」多开 {n} 个平行组（约 {cost} 元）",
            "allow {n} more parallel group(s) of {activity} (about {cost} yuan)",
        ),
    }
)


@dataclass(frozen=True)
class Addition:
    """One suggested resource: a catalogue code, its parameters (kind keys translated later), its variables."""

    code: str
    params: tuple[tuple[str, object], ...]
    cost: int
    units: tuple[tuple[str, int], ...] = ()  # (addition variable name, value) behind it

    def render(self, lang: str) -> str:
        params = {
            k: t(v, lang) if isinstance(v, str) and v.startswith(("explain.", "suggest.")) else v
            for k, v in self.params
        }
        return t(self.code, lang, **coded_params(params, lang))


@dataclass(frozen=True)
class Outcome:
    """The most the aggregate model can place with a set of additions (an upper bound on a plan)."""

    unplaced: int  # student-slots without a place
    granted: int  # students given one of their choices
    first: int  # students given their first choice

    def gain(self, before: Outcome) -> Gain:
        return Gain(before.unplaced - self.unplaced, self.granted - before.granted, self.first - before.first)


@dataclass(frozen=True)
class Gain:
    """What one addition brings, against the same set without it."""

    placed: int
    choice: int
    first: int

    def render(self, lang: str) -> str:
        parts = []
        if self.placed > 0:
            parts.append(t("suggest.gain.placed", lang, n=self.placed))
        if self.choice > 0:
            parts.append(t("suggest.gain.choice", lang, n=self.choice, first=max(0, self.first)))
        elif self.first > 0:
            parts.append(t("suggest.gain.first", lang, n=self.first))
        return t("suggest.gain", lang, what=t("suggest.gain.sep", lang).join(parts)) if parts else ""


@dataclass
class Fix:
    """The cheapest additions for one phase; ``status`` is a CP-SAT status name."""

    status: str
    additions: list[Addition] = field(default_factory=list)
    placed: int = 0
    left: int = 0  # student-slots still without a place with these additions
    gains: list[Gain | None] = field(default_factory=list)  # per addition, when measured

    @property
    def cost(self) -> int:
        return sum(a.cost for a in self.additions)

    def addition_lines(self, lang: str) -> list[str]:
        out = []
        for k, a in enumerate(self.additions):
            gain = self.gains[k] if k < len(self.gains) else None
            words = gain.render(lang) if gain is not None else ""
            out.append("  - " + a.render(lang) + (t("suggest.gain.join", lang) + words if words else ""))
        return out


@dataclass
class Suggestion:
    priority: Fix
    every: Fix
    stopped: bool = False  # the command's deadline cut the search

    def lines(self, lang: str) -> list[str]:
        out: list[str] = []
        for key, fix in (("suggest.phase.priority", self.priority), ("suggest.phase.all", self.every)):
            if key == "suggest.phase.all" and fix.additions == self.priority.additions and fix.status == "OPTIMAL":
                out.append(t("suggest.same", lang))
                continue
            out.append(t(key, lang))
            if fix.status == "INFEASIBLE":
                out.append("  " + t("suggest.impossible", lang))
            elif fix.status not in ("OPTIMAL", "FEASIBLE"):
                out.append("  " + t("suggest.unknown", lang))
            elif not fix.additions:
                out.append("  " + t("suggest.nothing", lang))
            else:
                out += fix.addition_lines(lang)
                key = "suggest.total_placed" if fix.placed else "suggest.total"
                out.append("  " + t(key, lang, cost=fix.cost, placed=fix.placed))
        if self.stopped:
            out.append(t("suggest.stopped", lang))
        return out


def _solver(seconds: float, budget: Budget, gap: float = 0.0) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.relative_gap_limit = gap
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is Python's: the budget stops the search
    solver.parameters.max_time_in_seconds = max(0.0, min(seconds, budget.left()))
    solver.parameters.max_deterministic_time = DETERMINISTIC_LIMIT
    solver.parameters.linearization_level = (
        2  # measured on primary-1200: best placement proved in 3 s (level 1: 30 s, undecided)
    )
    return solver


def _run(solver: cp_model.CpSolver, model: cp_model.CpModel, budget: Budget) -> int:
    """Solve within the budget: stopped at once on cancel (then :class:`Cancelled`)."""
    budget.raise_if_cancelled()
    with budget.running(solver):
        status = solver.solve(model)
    budget.raise_if_cancelled()
    return status


def _solve_phase(scenario: Scenario, placed_required: bool, seconds: float, budget: Budget) -> Fix:
    if budget.expired():
        budget.raise_if_cancelled()
        return Fix("UNKNOWN")
    fm = FeasibilityModel(scenario, suggest=True)
    m, add = fm.model, fm.add
    assert add is not None
    for rule, lit in fm.literal.items():
        if rule.family != Family.PLACED or placed_required:
            m.add(lit == 1)
    terms = fm.objective_terms()
    cost, unplaced = terms["cost"], terms["unplaced"]
    # Lexicographic in two solves (one weighted sum was undecided after 60 s on nine-year-3000
    # short of rooms): the cheapest set, then the most placed at that cost.
    m.minimize(cost)
    solver = _solver(seconds, budget)
    status = _run(solver, m, budget)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and not placed_required and not budget.expired():
        m.add(cost <= round(solver.objective_value))
        m.clear_hints()
        for v in add.variables():
            m.add_hint(v, solver.value(v))
        m.minimize(unplaced)
        again = _solver(seconds, budget, GAP)
        if _run(again, m, budget) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solver = again
    fix = Fix(solver.status_name(status))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return fix
    value = solver.value
    hires: dict[tuple[str, int], list[str]] = defaultdict(list)
    hire_cost: dict[tuple[str, int], int] = defaultdict(int)
    hire_units: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for (skill, day), v in add.hires.items():
        if value(v):
            hires[(skill, value(v))].append(day)
            hire_cost[(skill, value(v))] += add.cost[v.name] * value(v)
            hire_units[(skill, value(v))].append((v.name, value(v)))
    for (skill, n), days in sorted(hires.items()):
        code = "suggest.hire" if skill else "suggest.hire_any"
        c = hire_cost[(skill, n)]
        params = (("n", n), ("skill", skill), ("days", "/".join(days)), ("cost", c))
        fix.additions.append(Addition(code, params, c, tuple(hire_units[(skill, n)])))
    posts = sorted(scenario.duties, key=lambda p: (p.day.index, p.slot_id or "", p.post, p.kind.value))
    for j, v in add.duty_hires.items():
        if value(v):
            c = add.cost[v.name] * value(v)
            p = posts[j]
            params = (("n", value(v)), ("kind", f"explain.kind.{p.kind.value}"), ("post", p.post), ("day", p.day.value))
            fix.additions.append(Addition("suggest.duty", (*params, ("cost", c)), c, ((v.name, value(v)),)))
    for (rtype, outdoor), v in add.rooms.items():
        if value(v):
            c = add.cost[v.name] * value(v)
            where = "suggest.outdoor" if outdoor else ""
            params = (("n", value(v)), ("type", rtype), ("where", where), ("cost", c))
            fix.additions.append(Addition("suggest.room", params, c, ((v.name, value(v)),)))
    for aid, v in add.raise_cap.items():
        if value(v):
            c = add.cost[v.name]
            name = activity_name(scenario.activity_by_id[aid])
            fix.additions.append(Addition("suggest.raise_cap", (("activity", name), ("cost", c)), c, ((v.name, 1),)))
    for aid, v in add.extra_groups.items():
        if value(v):
            c = add.cost[v.name] * value(v)
            name = activity_name(scenario.activity_by_id[aid])
            params = (("n", value(v)), ("activity", name), ("cost", c))
            fix.additions.append(Addition("suggest.extra_group", params, c, ((v.name, value(v)),)))
    fix.left = sum(value(v) for v in fm.unplaced.values())
    return fix


@dataclass
class MeasureBudget:
    """Deterministic time left for the placement solves, so a large school's answer stays bounded."""

    left: float = MEASURE_BUDGET

    def take(self) -> float:
        return min(DETERMINISTIC_LIMIT, self.left)


def outcome(
    scenario: Scenario,
    units: dict[str, int],
    seconds: float,
    measure: MeasureBudget | None = None,
    budget: Budget | None = None,
) -> Outcome | None:
    """The most students placed, then given a choice, then their first, with exactly these additions.

    Every rule holds except those the planner, too, may leave unmet with students unplaced
    (:data:`RELAXED`: everyone placed, measured instead; locks; class activities). None when
    the other rules already clash or the solve is undecided (or the command's time is up).
    """
    budget = budget or Budget()
    if budget.expired():
        budget.raise_if_cancelled()
        return None
    fm = FeasibilityModel(scenario, suggest=True)
    m, add = fm.model, fm.add
    assert add is not None
    for rule, lit in fm.literal.items():
        if rule.family not in RELAXED:
            m.add(lit == 1)
    for v in add.variables():
        m.add(v == units.get(v.name, 0))
    students = max(1, len(scenario.students))
    terms = fm.objective_terms()
    unplaced, granted, first = terms["unplaced"], terms["granted"], terms["first_choice"]
    m.minimize(unplaced * (students + 1) ** 2 - granted * (students + 1) - first)
    solver = _solver(seconds, budget, GAP)
    if measure is not None:
        if measure.take() < MIN_SOLVE:
            return None
        solver.parameters.max_deterministic_time = measure.take()
    status = _run(solver, m, budget)
    if measure is not None:
        measure.left -= solver.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return Outcome(round(solver.value(unplaced)), round(solver.value(granted)), round(solver.value(first)))


def _measure(scenario: Scenario, fix: Fix, seconds: float, measure: MeasureBudget, budget: Budget) -> None:
    """Each addition's gain: the whole set against the set without it (at most :data:`MAX_MEASURED`)."""
    if not fix.additions or len(fix.additions) > MAX_MEASURED:
        return
    units = {name: n for a in fix.additions for name, n in a.units}
    full = outcome(scenario, units, seconds, measure, budget)
    if full is None:
        return
    for a in fix.additions:
        if budget.expired():
            break
        without = {k: v for k, v in units.items() if k not in dict(a.units)}
        before = outcome(scenario, without, seconds, measure, budget)
        fix.gains.append(full.gain(before) if before is not None else None)


def suggest_fixes(scenario: Scenario, seconds: float = 60.0, budget: Budget | None = None) -> Suggestion:
    """The cheapest additions placing every priority student, then every student, with what each gains.

    ``seconds``: wall-clock stop of one solve; ``budget``: the command's deadline and cancel
    (past it, what is known is the answer and ``Suggestion.stopped`` says so).
    """
    budget = budget or Budget()
    priority = _solve_phase(scenario, placed_required=False, seconds=seconds, budget=budget)
    every = _solve_phase(scenario, placed_required=True, seconds=seconds, budget=budget)
    measure = MeasureBudget()
    if priority.additions or every.additions:
        baseline = outcome(scenario, {}, seconds, measure, budget)  # student-slots placed with nothing added
        for fix in (priority, every):
            fix.placed = max(0, baseline.unplaced - fix.left) if baseline is not None else 0
    _measure(scenario, priority, seconds, measure, budget)
    if every.additions == priority.additions:
        every.gains = priority.gains
    else:
        _measure(scenario, every, seconds, measure, budget)
    budget.raise_if_cancelled()
    return Suggestion(priority=priority, every=every, stopped=budget.expired())
