"""Plots for notebooks (matplotlib): the report's charts, a weekly timetable grid and comparisons.

Each chart is drawn by the same code as the HTML report's (:mod:`cluster_planner.report.charts`)
from the same tables; here it goes on a matplotlib ``Axes`` (yours via ``ax=``, or a new
figure) instead of into an SVG. Labels follow ``lang`` (default: the school's language).

>>> import cluster_planner as cp
>>> cp.plot.choices_by_grade(plan)                                   # doctest: +SKIP
>>> cp.plot.timetable(plan, staff_id="T001")                         # doctest: +SKIP
>>> cp.plot.compare({"now": plan, "cap 50": bigger}, lang="en")      # doctest: +SKIP

Chinese labels need a CJK font (e.g. Debian ``fonts-noto-cjk``); without one a single warning
says so and the characters show as boxes.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING

import pandas as pd

from cluster_planner import api
from cluster_planner.comparison import compare as compare_table
from cluster_planner.i18n import register, t
from cluster_planner.plan import Plan
from cluster_planner.report import charts

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

register(
    {
        "plot.no_cjk_font": (
            "未安装中文字体，图中汉字将显示为方框（可安装 fonts-noto-cjk）",
            "no CJK font installed: Chinese text in charts shows as boxes (install e.g. fonts-noto-cjk)",
        ),
        "plot.week": ("每周安排", "The week"),
    }
)

COMPARE_FIGURES = (
    "planned",
    "unplaced",
    "choice_1_share",
    "choice_none_share",
    "groups",
    "adults",
    "cost",
    "balance",
)
"""The figures :func:`compare` draws unless told otherwise (keys of :data:`cluster_planner.comparison.FIGURES`)."""


@cache
def _warn_once_without_cjk() -> None:
    if charts._font_families() == ["DejaVu Sans"]:
        warnings.warn(t("plot.no_cjk_font", "en"), stacklevel=5)  # the caller of a plot function
    # the one warning above says it all; matplotlib would add one per missing character
    warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")


@contextmanager
def _style() -> Iterator[None]:
    """The report's fonts (CJK first) while a chart is built."""
    import matplotlib

    _warn_once_without_cjk()
    with matplotlib.rc_context({"font.family": charts._font_families(), "font.size": 9}):
        yield


def _axes(ax: Axes | None, width: float, height: float) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=(width, height), layout="constrained")
    return new


def _lang(plan: Plan, lang: str | None) -> str:
    return lang or (plan.scenario.school.language if plan.scenario else "zh")


def choices_by_grade(plan: Plan, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """Stacked bars: per grade, students by the best choice granted (S6)."""
    lang = _lang(plan, lang)
    with _style():
        ax = _axes(ax, 7.0, 3.5)
        categories, series = charts.choices_data(api.choices_by_grade(plan, lang))
        charts.draw_stacked_bars(
            ax, t("report.chart.choices", lang), categories, series, t("report.chart.students", lang)
        )
    return ax


def group_sizes(plan: Plan, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """Bars: each group's size, with the group cap as a dashed line (G4)."""
    lang = _lang(plan, lang)
    cap = plan.require_scenario().school.rules.group_cap
    with _style():
        labels, values = charts.sizes_data(api.timetable(plan, lang), lang)
        ax = _axes(ax, min(14.0, max(5.0, 0.18 * len(labels) + 2)), 3.5)
        line = (t("report.chart.cap", lang, n=cap), float(cap))
        charts.draw_bars(ax, t("report.chart.sizes", lang), labels, values, t("report.chart.students", lang), line)
    return ax


def staff_load(plan: Plan, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """Bars: each adult's periods a week (T7, M3)."""
    lang = _lang(plan, lang)
    with _style():
        labels, values = charts.load_data(api.pay(plan, lang), lang)
        ax = _axes(ax, min(14.0, max(5.0, 0.18 * len(labels) + 2)), 3.5)
        charts.draw_bars(ax, t("report.chart.load", lang), labels, values, t("report.chart.periods", lang))
    return ax


def _school_grid(plan: Plan, lang: str) -> pd.DataFrame:
    """The whole school's week as a grid: per clock row and day, one line per meeting (activity, size)."""
    tt = api.timetable(plan, lang)

    def col(key: str) -> str:
        return t(f"report.col.{key}", lang)

    days = list(dict.fromkeys(tt[col("day")]))
    times = sorted(set(tt[col("time")]))
    cells: dict[tuple[str, str], list[str]] = {}
    for row in tt.to_dict("records"):
        cells.setdefault((row[col("time")], row[col("day")]), []).append(f"{row[col('activity')]} ({row[col('size')]})")
    rows = [[time, *("\n".join(cells.get((time, d), [])) for d in days)] for time in times]
    return pd.DataFrame(rows, columns=[col("time"), *days], dtype=object)


def timetable(
    plan: Plan,
    staff_id: str | None = None,
    room_id: str | None = None,
    lang: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A weekday × clock grid: one adult's week (``staff_id``), one room's (``room_id``), or the school's.

    The school's grid lists each meeting as ``activity (size)``; an adult's or a room's shows
    the cells of the report's staff and room timetables.
    """
    lang = _lang(plan, lang)
    if staff_id is not None:
        grid = api.staff_timetable(plan, staff_id, lang)
        title = grid.attrs.get("title", staff_id)
    elif room_id is not None:
        grid = api.room_timetable(plan, room_id, lang)
        title = grid.attrs.get("title", room_id)
    else:
        grid = _school_grid(plan, lang)
        title = t("plot.week", lang)
    lines = max((str(v).count("\n") + 1 for v in grid.iloc[:, 1:].to_numpy().ravel() if v), default=1)
    with _style():
        ax = _axes(ax, max(6.0, 2.2 * (len(grid.columns) - 1) + 1.2), 0.6 + len(grid) * (0.25 + 0.13 * lines))
        charts.draw_grid(ax, title, grid, fontsize=6.5 if lines > 4 else 8.0)
    return ax


def compare(
    plans: Mapping[str, Plan] | pd.DataFrame, figures: Sequence[str] = COMPARE_FIGURES, lang: str | None = None
) -> Figure:
    """Small multiples: one panel per headline figure, one bar per plan (values written on the bars).

    ``plans`` is what :func:`cluster_planner.compare` takes, or the table it returned.
    """
    import matplotlib.pyplot as plt

    table = plans if isinstance(plans, pd.DataFrame) else compare_table(plans, lang)
    lang = lang or table.attrs.get("lang", "zh")
    width, height = charts.compare_size(figures)
    with _style():
        fig = plt.figure(figsize=(width, height), layout="constrained")
        charts.draw_compare(fig, table, figures, lang)
    return fig
