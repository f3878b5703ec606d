"""A rule the plan breaks, named by its rule id and said in words (i18n catalogue)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cluster_planner.i18n import register, t
from cluster_planner.vocabulary import coded_params

#: Order in which rule families are reported (files first, then students, groups, staff, rooms).
RULE_ORDER = (
    "F1", "F2", "F3", "C2", "S1", "S2", "S3", "S4", "S5", "S6", "A1", "L1", "S7", "P1",
    "G4", "H4", "G5", "G1", "G3", "T2", "T3", "T4", "T5", "T6", "R1", "R2", "M3",
)  # fmt: skip

register(
    {
        "check.rule": ("{message}（{rule}）", "{message} ({rule})"),
        "check.none": ("方案符合全部规则。", "the plan keeps every rule."),
        "check.summary": ("方案违反规则 {n} 处。", "the plan breaks a rule in {n} place(s)."),
        "check.unreadable": (
            "无法按方案读取此文件夹（{n} 处问题），未检查任何规则。",
            "the folder cannot be read as a plan ({n} problem(s)); no rule was checked.",
        ),
    }
)


@dataclass(frozen=True)
class Violation:
    """One place where the plan breaks a rule.

    ``rule`` is the rule id of DOMAIN.md/FORMAT.md (``S1``, ``G4``, ``T4`` …; ``F1``–``F3`` for
    the plan files themselves), ``code`` the catalogue key of its sentence (``check.<code>``),
    ``ids`` the entities involved (students, groups, slots, staff, rooms), ``params`` the words
    that fill the sentence.
    """

    rule: str
    code: str
    ids: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def message(self, lang: str = "en") -> str:
        """The sentence, e.g. ``group FOOT-1 on Tue-2 has 47 students; at most 45 allowed (G4)``."""
        message = t(f"check.{self.code}", lang, **coded_params(self.params, lang))
        return t("check.rule", lang, message=message, rule=self.rule)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Machine-readable form (``check --json``)."""
        return {
            "rule": self.rule,
            "code": self.code,
            "ids": list(self.ids),
            "params": {k: _plain(v) for k, v in self.params.items()},
            "message": self.message(lang),
        }

    def __str__(self) -> str:
        return self.message("en")


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def sort_key(v: Violation) -> tuple[int, str, tuple[str, ...], str]:
    """Report order: rule family, then code, then ids."""
    rank = RULE_ORDER.index(v.rule) if v.rule in RULE_ORDER else len(RULE_ORDER)
    return rank, v.code, v.ids, repr(sorted(v.params.items()))


def listed(items: Any) -> str:
    """A list of ids as one cell of words: ``a, b, c``."""
    return ", ".join(str(i) for i in items)
