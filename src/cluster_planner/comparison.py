"""``cp.compare``: the headline figures of several plans side by side, one column per plan.

The figures are those of each plan's report summary sheet (:func:`report.tables.summary_figures`,
which the sheet itself is built from), so a comparison never disagrees with a report.

>>> import cluster_planner as cp
>>> cp.compare({"now": plan, "+2 coaches": coached})   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t
from cluster_planner.plan import Plan
from cluster_planner.plan.figures import Headline

register(
    {
        "compare.figure": ("指标", "Figure"),
        "compare.priority": ("优先保障学生", "Priority students"),
        "compare.priority_served": ("其中已全部安排", "Priority students fully placed"),
        "compare.choice_share": ("获得第{n}志愿的比例", "Share given choice {n}"),
        "compare.choice_none_share": ("未获任何志愿的比例", "Share given none of their choices"),
        "compare.income": ("收入合计：服务费＋补助（元）", "Income: fees + subsidy (yuan)"),
        "compare.no_plans": ("没有要比较的方案", "no plans to compare"),
    }
)

FIGURES: tuple[tuple[str, str], ...] = (
    ("approved", "report.sum.approved"),
    ("planned", "report.sum.planned"),
    ("unplaced", "report.sum.unplaced"),
    ("priority", "compare.priority"),
    ("priority_served", "compare.priority_served"),
    ("choice_1_share", "compare.choice_share:1"),
    ("choice_2_share", "compare.choice_share:2"),
    ("choice_3_share", "compare.choice_share:3"),
    ("choice_none_share", "compare.choice_none_share"),
    ("groups", "report.sum.groups"),
    ("meetings", "report.sum.meetings"),
    ("adults", "report.sum.adults"),
    ("periods_week", "report.sum.periods_week"),
    ("periods_term", "report.sum.periods_term"),
    ("cost", "report.sum.cost"),
    ("fee_income", "report.sum.fee_income"),
    ("subsidy", "report.sum.subsidy"),
    ("income", "compare.income"),
    ("balance", "report.sum.balance"),
)
"""The rows of a comparison: (key, catalogue key of its label; ``:n`` fills ``{n}``)."""

SHARES = frozenset(k for k, _ in FIGURES if k.endswith("_share"))


def label(key: str, lang: str) -> str:
    """The words for one figure key in ``lang``."""
    entry = dict(FIGURES)[key]
    name, _, n = entry.partition(":")
    return t(name, lang, n=n)


def figures_of(h: Headline) -> dict[str, float | int | None]:
    """One plan's figures by key (shares as fractions 0–1; None where the school gives no number)."""
    income = None
    if h.fee_income is not None or h.subsidy is not None:
        income = round((h.fee_income or 0.0) + (h.subsidy or 0.0), 2)
    return {
        "approved": h.approved,
        "planned": h.planned,
        "unplaced": h.unplaced,
        "priority": h.priority,
        "priority_served": h.priority_served,
        "choice_1_share": h.share(h.choice_1),
        "choice_2_share": h.share(h.choice_2),
        "choice_3_share": h.share(h.choice_3),
        "choice_none_share": h.share(h.choice_none),
        "groups": h.groups,
        "meetings": h.meetings,
        "adults": h.adults,
        "periods_week": h.periods_week,
        "periods_term": h.periods_term,
        "cost": h.cost,
        "fee_income": h.fee_income,
        "subsidy": h.subsidy,
        "income": income,
        "balance": h.balance,
    }


def compare(plans: Mapping[str, Plan], lang: str | None = None) -> pd.DataFrame:
    """The headline figures of ``plans`` (name → plan with its scenario), one column per plan.

    Rows are labelled in ``lang`` (default: the first plan's school language); ``attrs["keys"]``
    holds each row's key (``planned``, ``choice_1_share``, ``cost`` …, see :data:`FIGURES`) and
    ``attrs["shares"]`` the keys whose values are fractions. Missing numbers are NaN.

    >>> table = cp.compare({"now": plan, "cap 50": bigger}, lang="en")   # doctest: +SKIP
    >>> table.style.format(precision=2)                                  # doctest: +SKIP
    """
    from cluster_planner.report.tables import summary_figures

    if not plans:
        raise UsageError(t("compare.no_plans", "zh") + " / " + t("compare.no_plans", "en"))
    columns: dict[str, list[float | int | None]] = {}
    first_language = None
    for name, plan in plans.items():
        scenario = plan.require_scenario()
        first_language = first_language or scenario.school.language
        values = figures_of(summary_figures(scenario, plan))
        columns[str(name)] = [values[k] for k, _ in FIGURES]
    lang = lang or first_language or "zh"
    keys = [k for k, _ in FIGURES]
    index = pd.Index([label(k, lang) for k in keys], name=t("compare.figure", lang))
    df = pd.DataFrame(columns, index=index, dtype=object)  # whole numbers stay whole
    df = df.where(df.notna(), float("nan"))
    df.attrs.update(keys=keys, shares=sorted(SHARES), lang=lang)
    return df
