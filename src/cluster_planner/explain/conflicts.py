"""Why no plan keeps every hard rule: a minimal set of rule instances that cannot hold together.

The aggregate feasibility model (:mod:`.model`) is solved with one assumption literal per
rule instance. CP-SAT minimises the assumption core only without an objective, on one
worker, and with presolve on a core may hold literals that are not assumptions (OR-Tools
issue 5141): so presolve is off and the core is filtered to assumptions, then shrunk by a
deletion filter (drop a rule, re-solve: still infeasible → it was not needed).

Every solve runs within the command's :class:`~cluster_planner.budget.Budget`: at most the
time left, stopped at once on cancel. Past the deadline the filter stops and the conflict
found so far is the answer (true, but perhaps not minimal: ``Conflict.stopped`` says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from cluster_planner.budget import Budget
from cluster_planner.domain import Scenario
from cluster_planner.errors import InfeasibleError
from cluster_planner.i18n import register, t

from .instances import Rule
from .model import FeasibilityModel

SOLVE_SECONDS = 30.0  # wall-clock stop of one feasibility solve
DETERMINISTIC_LIMIT = 20.0
# A check tries these in turn, each with its deterministic budget, until one decides: the
# aggregate model is decided fastest at full LP mostly, by pure CP search sometimes (measured on
# nine-year-3000 with a third of its rooms: one check undecided after 30 s at level 2, 0.2 s at
# level 0). Presolve off gives a core with the answer; presolve on, the answer alone.
MIN_SOLVE = 0.05  # below this much budget left, a check is not tried (undecided)
ATTEMPTS = ((False, 2, 1.0), (False, 0, 1.0), (True, 2, 2.0), (True, 0, DETERMINISTIC_LIMIT))

register(
    {
        "explain.feasible": (
            "可行：所有硬性规则可以同时满足，每名学生都能安排。",
            "feasible: every hard rule can hold together and every student can be placed.",
        ),
        "explain.infeasible": (
            "无法同时满足以下 {n} 条规则（去掉其中任何一条，其余的就能满足）：",
            "these {n} rules cannot all hold together (drop any one and the rest can):",
        ),
        "explain.infeasible_partial": (
            "无法同时满足以下 {n} 条规则：",
            "these {n} rules cannot all hold together:",
        ),
        "explain.infeasible_unnamed": (
            "所有硬性规则无法同时满足，但在时间限制内未能找出是哪几条；请放宽 --time-limit",
            "the hard rules cannot all hold together, but the time limit passed before the rules at fault "
            "were found; allow more --time-limit",
        ),
        "explain.not_minimal": (
            "（部分检验超时，此集合可能还可以更小）",
            "(some checks ran out of time: the set may not be the smallest)",
        ),
        "explain.stopped": (
            "（已到时间限制而停止；上述冲突可能不是最小的）",
            "(stopped at the time limit; the conflict above may not be minimal)",
        ),
        "explain.unknown": (
            "在时间限制内未能判断是否可行。",
            "could not decide feasibility within the time limit.",
        ),
    }
)


class Undecided(TimeoutError):
    """The time limit passed before feasibility was decided."""


@dataclass(frozen=True)
class Conflict:
    """A set of rules that cannot hold together.

    ``minimal`` when every check was decided; ``stopped`` when the command's deadline cut the
    search (the set is true but may not be minimal; empty when no rule was named in time).
    """

    rules: tuple[Rule, ...]
    minimal: bool
    stopped: bool = False

    def sentences(self, lang: str = "en") -> list[str]:
        return [r.render(lang) for r in self.rules]

    def heading(self, lang: str = "en") -> str:
        if not self.rules:
            return t("explain.infeasible_unnamed", lang)
        key = "explain.infeasible" if self.minimal else "explain.infeasible_partial"
        return t(key, lang, n=len(self.rules))

    def note(self, lang: str = "en") -> str:
        """Why the set may not be the smallest ("" when it is)."""
        if self.stopped and self.rules:
            return t("explain.stopped", lang)
        return "" if self.minimal or not self.rules else t("explain.not_minimal", lang)

    def lines(self, lang: str = "en") -> list[str]:
        """Heading, one line per rule, and the note."""
        note = self.note(lang)
        return [self.heading(lang), *(f"  - {s}" for s in self.sentences(lang)), *([note] if note else [])]

    def error(self, lang: str = "en") -> InfeasibleError:
        """The conflict as the typed error of exit code 3."""
        return InfeasibleError([self.heading(lang), *self.sentences(lang)])


def _solver(
    seconds: float, presolve: bool = False, limit: float = DETERMINISTIC_LIMIT, linearization: int = 2
) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.cp_model_presolve = presolve  # off for cores (OR-Tools issue 5141: keep the core made of assumptions)
    p.linearization_level = linearization  # default 2: nine-year-3000 decided in 0.4 s (level 0: 6 s)
    p.random_seed = 0
    p.catch_sigint_signal = False  # Ctrl-C is Python's: the budget stops the search (CP-SAT's handler left SIG_DFL)
    p.max_time_in_seconds = seconds
    p.max_deterministic_time = limit
    return solver


class ConflictFinder:
    """Solves the feasibility model under chosen assumptions, within the command's budget."""

    def __init__(
        self,
        fm: FeasibilityModel,
        budget: Budget | None = None,
        seconds: float = SOLVE_SECONDS,
        deterministic: float | None = None,
    ) -> None:
        self.fm = fm
        self.budget = budget or Budget()
        self.seconds = seconds  # wall-clock stop of one solve (never past the budget)
        self.deterministic = deterministic  # deterministic seconds for all solves; None: each its own limit
        self.stopped = False  # a check was cut short by the command's deadline

    def solve(self, lits: list[cp_model.IntVar], presolve: bool | None = None) -> tuple[int, list[int]]:
        """Status and, when infeasible without presolve, the indices of the assumptions in the core.

        ``presolve=None``: the :data:`ATTEMPTS` in turn until one decides.
        """
        if presolve is not None:
            return self._solve(lits, presolve, DETERMINISTIC_LIMIT, 2)
        status, core = cp_model.UNKNOWN, []
        for presolve_on, level, limit in ATTEMPTS:
            status, core = self._solve(lits, presolve_on, limit, level)
            if status != cp_model.UNKNOWN or self.budget.expired():
                break
        return status, core

    def _solve(self, lits: list[cp_model.IntVar], presolve: bool, limit: float, level: int) -> tuple[int, list[int]]:
        self.budget.raise_if_cancelled()
        if self.deterministic is not None:
            limit = min(limit, self.deterministic)
            if limit < MIN_SOLVE:
                return cp_model.UNKNOWN, []
        if self.budget.left() < MIN_SOLVE:
            self.stopped = True
            return cp_model.UNKNOWN, []
        model = self.fm.model
        model.clear_assumptions()
        model.add_assumptions(lits)
        solver = _solver(min(self.seconds, self.budget.left()), presolve, limit, level)
        with self.budget.running(solver):
            status = solver.solve(model)
        self.budget.raise_if_cancelled()
        if self.deterministic is not None:
            self.deterministic -= solver.deterministic_time
        if status == cp_model.UNKNOWN and self.budget.expired():
            self.stopped = True
        core: list[int] = []
        if status == cp_model.INFEASIBLE and not presolve:
            assumed = {v.index for v in lits}
            core = [i for i in solver.sufficient_assumptions_for_infeasibility() if i in assumed]
        return status, core

    def _prefer_telling(self, lits: list[cp_model.IntVar], core: list[int]) -> list[int]:
        """Drop whole families of the core, least telling first, while the rest stays infeasible.

        "Every student placed" may then give way to "every priority student placed", a general
        rule to the particular one that really binds.
        """
        active = list(lits)
        for family in sorted({self.fm.rules[i].family for i in core}):
            if self.budget.expired():
                self.stopped = True
                break
            if not any(self.fm.rules[i].family == family for i in core):
                continue
            rest = [v for v in active if self.fm.rules[v.index].family != family]
            status, smaller = self.solve(rest)
            if status == cp_model.INFEASIBLE and smaller:
                active, core = rest, smaller
        return core

    def minimal_core(self) -> Conflict | None:
        """None when feasible; else a conflict shrunk by the deletion filter (as far as time allows).

        Raises :class:`Undecided` when the deadline passes before feasibility is decided.
        """
        lits = self.fm.assumptions()
        status, core = self.solve(lits, presolve=True)  # feasible or not: presolve helps large schools
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        if status == cp_model.INFEASIBLE:
            status, core = self.solve(lits, presolve=False)
            if status == cp_model.UNKNOWN and self.stopped:
                return Conflict((), minimal=False, stopped=True)  # infeasible, no rule named in time
        if status != cp_model.INFEASIBLE:
            raise Undecided("feasibility undecided")
        order = {v.index: k for k, v in enumerate(lits)}
        by_index = {v.index: v for v in lits}
        core = self._prefer_telling(lits, core)
        candidates = sorted(set(core) or set(by_index), key=order.__getitem__)
        kept: list[int] = []
        minimal = True
        while candidates:
            if self.budget.expired():  # what is left of the core still cannot hold together with what is kept
                kept += candidates
                self.stopped = True
                break
            lit = candidates.pop(0)
            status, smaller = self.solve([by_index[i] for i in kept + candidates])
            if status == cp_model.INFEASIBLE:
                within = set(smaller) if smaller else set(candidates)
                candidates = [i for i in candidates if i in within]  # every kept rule is in any core
            else:
                kept.append(lit)
                minimal = minimal and status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        rules = tuple(self.fm.rules[i] for i in sorted(kept, key=order.__getitem__))
        return Conflict(rules, minimal and not self.stopped, stopped=self.stopped)


def find_conflict(
    scenario: Scenario,
    budget: Budget | None = None,
    seconds: float = SOLVE_SECONDS,
    deterministic: float | None = None,
) -> Conflict | None:
    """A minimal set of rule instances that cannot hold together, or None when the rules can.

    ``budget``: the command's deadline and cancellation (:class:`Undecided` when nothing was
    decided in time; :class:`~cluster_planner.budget.Cancelled` on cancel). ``deterministic``:
    deterministic seconds for every solve together (the same answer on any machine). Either
    cut leaves the set true but perhaps not minimal (``Conflict.minimal``/``stopped`` say so).
    """
    budget = budget or Budget()
    fm = FeasibilityModel(scenario)
    budget.raise_if_cancelled()
    return ConflictFinder(fm, budget, seconds, deterministic).minimal_core()


def require_feasible(scenario: Scenario, lang: str = "en", budget: Budget | None = None) -> None:
    """Raise :class:`InfeasibleError` (exit 3) naming the conflict when the rules cannot all hold."""
    conflict = find_conflict(scenario, budget)
    if conflict is not None:
        raise conflict.error(lang)
