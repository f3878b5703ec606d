"""A solved plan that leaves students unplaced carries the explanation in its warnings.

``solve`` never stops at infeasible (S1): the students who cannot be placed land in
``unplaced.csv`` with a reason, and this hook adds what the office needs to act on it — the
counting pre-checks and, within a small deterministic budget, the rules that cannot hold
together — to ``PlanMeta.warnings``, which the report's warnings table shows.
"""

from __future__ import annotations

from dataclasses import replace

from cluster_planner.budget import Budget
from cluster_planner.domain import Scenario
from cluster_planner.findings import Finding
from cluster_planner.i18n import register, t
from cluster_planner.plan import Plan

from .conflicts import Undecided, find_conflict
from .precheck import certain, precheck

DETERMINISTIC = 3.0  # deterministic seconds for the conflict search (bounded; the same on any machine)

register(
    {
        "explain.unplaced.precheck": ("预检查：{text}", "pre-check: {text}"),
        "explain.unplaced.conflict": (
            "未安排原因：以下 {n} 条规则无法同时满足：{rules}",
            "why students are unplaced: these {n} rules cannot all hold together: {rules}",
        ),
        "explain.unplaced.not_minimal": (
            "（检验未全部完成，可能还可以更小）",
            " (not all checks ran: may not be the smallest)",
        ),
        "explain.unplaced.sep": ("；", "; "),
    }
)


def explanation_lines(
    scenario: Scenario, lang: str, checks: list[Finding] | None = None, budget: Budget | None = None
) -> list[str]:
    """The pre-check sentences, then the conflict (when the rules cannot all hold), one line each.

    A pre-check that proves the rules cannot hold (:func:`.precheck.certain`) is the
    explanation: no conflict is searched then. ``budget``: the command's deadline and cancel.
    """
    checks = precheck(scenario) if checks is None else checks
    lines = [t("explain.unplaced.precheck", lang, text=f.message(lang)) for f in checks]
    if certain(checks):
        return lines
    try:
        conflict = find_conflict(scenario, budget, deterministic=DETERMINISTIC)
    except Undecided:  # undecided within the budget: the pre-checks must do
        return lines
    if conflict is None or not conflict.rules:
        return lines
    rules = t("explain.unplaced.sep", lang).join(conflict.sentences(lang))
    line = t("explain.unplaced.conflict", lang, n=len(conflict.rules), rules=rules)
    return [*lines, line + ("" if conflict.minimal else t("explain.unplaced.not_minimal", lang))]


def with_explanation(
    plan: Plan, scenario: Scenario, lang: str, checks: list[Finding] | None = None, budget: Budget | None = None
) -> Plan:
    """``plan`` with the explanation added to its warnings when it leaves students unplaced (else as is)."""
    if not plan.unplaced:
        return plan
    new = [line for line in explanation_lines(scenario, lang, checks, budget) if line not in plan.meta.warnings]
    if not new:
        return plan
    return replace(plan, meta=replace(plan.meta, warnings=(*plan.meta.warnings, *new)))
