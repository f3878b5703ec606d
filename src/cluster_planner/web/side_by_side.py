"""Two plans side by side for the what-if page: ``cp.compare``'s figures, its chart, and each plan's report charts.

The figures are the library's (:func:`cluster_planner.comparison.compare`, the report's summary
figures) with the change from one plan to the other; the chart is ``cp.plot.compare``'s drawing
(:func:`cluster_planner.report.charts.draw_compare`) as inline SVG; each plan's charts are its
report's (:func:`cluster_planner.report.html.chart_section`). Nothing is computed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from cluster_planner.comparison import compare
from cluster_planner.i18n import register, t
from cluster_planner.plot import COMPARE_FIGURES
from cluster_planner.report import charts
from cluster_planner.report.html import chart_section, esc
from cluster_planner.web.views import plan_of, tables_of

register(
    {
        "web.compare.change": ("变化", "Change"),
        "web.compare.points": ("{n} 个百分点", "{n} points"),
    }
)

MONEY = frozenset({"cost", "fee_income", "subsidy", "income", "balance"})


@dataclass(frozen=True)
class SideBySide:
    """The comparison as HTML pieces: the figures table, the chart of them, and each plan's charts."""

    figures: str
    chart: str
    charts: list[tuple[str, str]]


def side_by_side(before: tuple[str, str], after: tuple[str, str], lang: str) -> SideBySide:
    """``before`` and ``after`` are (name, plan folder); the names head the columns."""
    return _side_by_side(before, after, lang)


@lru_cache(maxsize=8)
def _side_by_side(before: tuple[str, str], after: tuple[str, str], lang: str) -> SideBySide:
    plans = {before[0]: plan_of(before[1]), after[0]: plan_of(after[1])}
    table = compare(plans, lang=lang)
    each = [(name, chart_section(tables_of(folder, lang))) for name, folder in (before, after)]
    return SideBySide(figures_table(table, lang), charts.compare(table, COMPARE_FIGURES, lang), each)


def _number(value: object, key: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    number = float(value)  # type: ignore[arg-type]
    if key.endswith("_share"):
        return f"{number:.1%}"
    if key in MONEY:
        return f"{number:,.2f}"
    return f"{number:g}" if not number.is_integer() else f"{int(number):,}"


def _change(old: object, new: object, key: str, lang: str) -> str:
    try:
        delta = float(new) - float(old)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    if math.isnan(delta):
        return ""
    if key.endswith("_share"):
        points = round(delta * 100, 1)
        return t("web.compare.points", lang, n=f"{points:+.1f}") if points else "0"
    if delta == 0:
        return "0"
    return f"{delta:+,.2f}" if key in MONEY else (f"{delta:+g}" if not delta.is_integer() else f"{int(delta):+,}")


def figures_table(table: pd.DataFrame, lang: str) -> str:
    """A ``cp.compare`` table of two plans with the change between them (shares as percentages)."""
    keys = list(table.attrs["keys"])
    names = [str(c) for c in table.columns]
    head = "".join(f"<th>{esc(c)}</th>" for c in (table.index.name, *names, t("web.compare.change", lang)))
    rows = []
    for key, (label, values) in zip(keys, table.iterrows(), strict=True):
        old, new = values.iloc[0], values.iloc[-1]
        cells = "".join(f'<td class="num">{_number(v, key)}</td>' for v in values)
        change = _change(old, new, key, lang)
        rows.append(f'<tr data-key="{key}"><th>{esc(label)}</th>{cells}<td class="num change">{esc(change)}</td></tr>')
    return f'<table id="compare-figures"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
