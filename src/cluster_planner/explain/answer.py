"""``explain SCENARIO`` in one call: a counting proof, else a conflict, else "feasible" (or suggestions).

The answer agrees with the pre-checks: when one of them proves that no plan can keep every
hard rule (:func:`.precheck.certain`, e.g. no adult free on the service days), that is the
explanation and no conflict is searched. Every solve shares the command's
:class:`~cluster_planner.budget.Budget`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cluster_planner.budget import Budget
from cluster_planner.domain import Scenario
from cluster_planner.errors import InfeasibleError, TimeLimitError
from cluster_planner.findings import Finding
from cluster_planner.i18n import register, t

from .conflicts import Conflict, Undecided, find_conflict
from .precheck import certain, precheck
from .suggest import Suggestion, suggest_fixes

register(
    {
        "explain.certain": (
            "任何方案都无法满足全部硬性规则，预检查的计数已说明原因：",
            "no plan can keep every hard rule; the pre-check counts show why:",
        ),
    }
)

Line = tuple[str, str | None]  # (text, style)


@dataclass(frozen=True)
class Answer:
    """What ``explain`` says about a scenario, in either language, and its exit code."""

    proof: tuple[Finding, ...] = ()  # pre-checks proving the rules cannot all hold
    conflict: Conflict | None = None
    suggestion: Suggestion | None = None
    undecided: bool = False

    @property
    def exit_code(self) -> int:
        """0 feasible or suggestions; 3 the rules cannot all hold; 4 undecided in time (FORMAT.md)."""
        if self.suggestion is not None:
            return 0
        if self.proof or self.conflict is not None:
            return InfeasibleError.exit_code
        return TimeLimitError.exit_code if self.undecided else 0

    def lines(self, lang: str) -> list[Line]:
        if self.suggestion is not None:
            return [(line, None) for line in self.suggestion.lines(lang)]
        if self.proof:
            return [(t("explain.certain", lang), "bold red"), *((f"  - {f.message(lang)}", None) for f in self.proof)]
        if self.conflict is not None:
            head, *rest = self.conflict.lines(lang)
            return [(head, "bold red"), *((line, None) for line in rest)]
        if self.undecided:
            return [(t("explain.unknown", lang), "yellow")]
        return [(t("explain.feasible", lang), "green")]


def needs_search(checks: list[Finding], suggest: bool) -> bool:
    """True when the answer takes solving (not a counting proof alone)."""
    return suggest or not certain(checks)


def explain_scenario(
    scenario: Scenario, budget: Budget | None = None, suggest: bool = False, checks: list[Finding] | None = None
) -> Answer:
    """The answer of ``explain`` (``suggest``: of ``explain --suggest``) within ``budget``."""
    budget = budget or Budget()
    checks = precheck(scenario) if checks is None else checks
    if suggest:
        return Answer(suggestion=suggest_fixes(scenario, budget=budget))
    proof = certain(checks)
    if proof:
        return Answer(proof=tuple(proof))
    try:
        return Answer(conflict=find_conflict(scenario, budget))
    except Undecided:
        return Answer(undecided=True)
