"""Charts for the HTML report as inline SVG (matplotlib, no display, no network).

The ``draw_*`` functions draw on one matplotlib ``Axes`` and the ``*_data`` functions take a
chart's numbers from the report's tables; the report's SVG charts and the notebook plots of
:mod:`cluster_planner.plot` both use them, so each chart is drawn by one piece of code.

Text stays text in the SVG (``svg.fonttype = none``), so the browser draws Chinese with its
own fonts; a CJK font is preferred for layout when one is installed. A chart that cannot be
drawn is left out (logged), never failing the report.
"""

from __future__ import annotations

import io
import logging
import math
import re
import warnings
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from cluster_planner.i18n import register, t

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

register({"plot.compare": ("方案对比", "Plans compared")})  # the title of the plans compared (notebook and web)

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
COLOURS = ("#2e7d32", "#66bb6a", "#c5e1a5", "#fff59d", "#ef9a9a")


@cache
def _font_families() -> list[str]:
    """Installed CJK fonts first, then matplotlib's default."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    installed = {f.name for f in manager.ttflist}
    if not installed & set(CJK_FONTS):
        # matplotlib's font cache may predate a font installed later (``make browser`` installs one):
        # add the system's font files it does not know yet
        known = {f.fname for f in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    log.debug("font %s could not be read", path)
        installed = {f.name for f in manager.ttflist}
    return [f for f in CJK_FONTS if f in installed] + ["DejaVu Sans"]


def _svg(draw: Callable[[Figure], None], width: float, height: float) -> str:
    """Run ``draw(figure)`` and return the figure as an inline ``<svg>`` element ('' on failure)."""
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        settings = {
            "svg.fonttype": "none",
            "svg.hashsalt": "cluster-planner",
            "font.family": "sans-serif",
            "font.sans-serif": _font_families(),
            "font.size": 9,
        }
        font_log = logging.getLogger("matplotlib.font_manager")
        level = font_log.level
        font_log.setLevel(logging.ERROR)
        try:
            with warnings.catch_warnings(), matplotlib.rc_context(settings):
                warnings.simplefilter("ignore")
                fig = Figure(figsize=(width, height))  # fixed margins: layout engines are slow
                FigureCanvasAgg(fig)
                draw(fig)
                buf = io.StringIO()
                fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
        finally:
            font_log.setLevel(level)
    except Exception:  # a chart is decoration: never fail the report for it
        log.warning("chart not drawn", exc_info=True)
        return ""
    text = buf.getvalue()
    start = text.find("<svg")
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text[start:] if start >= 0 else "", flags=re.S)
    # scale with the page instead of a fixed size in points
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 class="chart"', text, count=1)


def stacked_bars(
    title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], ylabel: str
) -> str:
    """Stacked bars, one per category (e.g. choices granted by grade)."""

    def draw(fig: Figure) -> None:
        draw_stacked_bars(fig.add_subplot(), title, categories, series, ylabel)
        fig.subplots_adjust(left=0.1, right=0.78, top=0.88, bottom=0.12)

    return _svg(draw, 6.0, 3.2) if categories else ""


def bars(
    title: str, labels: Sequence[str], values: Sequence[float], ylabel: str, line: tuple[str, float] | None = None
) -> str:
    """Plain bars (group sizes, periods per adult), with an optional reference line (a cap)."""

    def draw(fig: Figure) -> None:
        draw_bars(fig.add_subplot(), title, labels, values, ylabel, line)
        fig.subplots_adjust(left=0.08, right=0.98, top=0.88, bottom=0.3 if len(labels) > 8 else 0.12)

    width = min(12.0, max(4.0, 0.25 * len(labels) + 2))
    return _svg(draw, width, 3.2) if labels else ""


# ---- drawing on one Axes: shared by the HTML report and ``cluster_planner.plot`` -------------
def draw_stacked_bars(
    ax: Axes, title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], ylabel: str
) -> None:
    """Stacked bars, one per category, a legend on the right."""
    bottom = [0.0] * len(categories)
    for k, (name, values) in enumerate(series):
        ax.bar(list(categories), list(values), bottom=bottom, label=name, color=COLOURS[k % len(COLOURS)])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.spines[["top", "right"]].set_visible(False)


def draw_bars(
    ax: Axes,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    ylabel: str,
    line: tuple[str, float] | None = None,
) -> None:
    """Plain bars with an optional dashed reference line (a cap); long label rows turn upright."""
    ax.bar(list(labels), list(values), color=COLOURS[0])
    if line:
        ax.axhline(line[1], color="#c62828", linestyle="--", linewidth=1, label=line[0])
        ax.legend(fontsize=8)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    rotate = len(labels) > 8
    ax.tick_params(axis="x", labelrotation=90 if rotate else 0, labelsize=7 if len(labels) > 20 else 9)
    ax.spines[["top", "right"]].set_visible(False)


def draw_grid(ax: Axes, title: str, grid: pd.DataFrame, fontsize: float = 7.0) -> None:
    """A weekly grid table as a picture: the first column labels the rows (clock times), the others are days.

    Each cell's text (lines joined by newlines) is written in its box; filled cells are shaded.
    """
    from matplotlib.patches import Rectangle

    days = list(grid.columns[1:])
    times = [str(v) for v in grid.iloc[:, 0]]
    ax.set_xlim(0, len(days))
    ax.set_ylim(len(times), 0)
    for r, (_, row) in enumerate(grid.iterrows()):
        for c, day in enumerate(days):
            text = str(row[day] or "")
            ax.add_patch(
                Rectangle((c, r), 1, 1, facecolor=COLOURS[2] if text else "white", edgecolor="#9e9e9e", linewidth=0.8)
            )
            if text:
                ax.text(c + 0.04, r + 0.06, text, fontsize=fontsize, va="top", ha="left", clip_on=True)
    ax.set_xticks([c + 0.5 for c in range(len(days))], [str(d) for d in days])
    ax.set_yticks([r + 0.5 for r in range(len(times))], times)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, pad=18)


# ---- the data of each chart, taken from the report's tables -----------------------------------
def choices_data(choices_by_grade: pd.DataFrame) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """Grades and one series per choice bucket, from the choices-by-grade table (its total row left out)."""
    grades = choices_by_grade.iloc[:-1]
    series = [(str(c), [float(v) for v in grades[c]]) for c in grades.columns[2:]]
    return [str(g) for g in grades.iloc[:, 0]], series


def sizes_data(timetable: pd.DataFrame, lang: str) -> tuple[list[str], list[float]]:
    """Each group once with its size, from the timetable table."""
    group, size = t("report.col.group", lang), t("report.col.size", lang)
    sizes = timetable.drop_duplicates(subset=[group])
    return [str(g) for g in sizes[group]], [float(v) for v in sizes[size]]


def load_data(pay: pd.DataFrame, lang: str) -> tuple[list[str], list[float]]:
    """Each adult's periods a week, from the pay table (its total row left out)."""
    people = pay.iloc[:-1]
    return [str(n) for n in people[t("report.col.name", lang)]], [
        float(v) for v in people[t("report.col.periods_week", lang)]
    ]


def histogram(
    title: str, values: Sequence[float], xlabel: str, ylabel: str, line: tuple[str, float] | None = None
) -> str:
    """How many items have each value (group sizes, periods per adult) when there are too many for a bar each."""

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        low, high = math.floor(min(values)), math.ceil(max(values))
        step = max(1, math.ceil((high - low + 1) / 40))
        edges = [low - 0.5 + step * k for k in range(math.ceil((high - low + 1) / step) + 1)]
        ax.hist(list(values), bins=edges, color=COLOURS[0], edgecolor="white")
        if line:
            ax.axvline(line[1], color="#c62828", linestyle="--", linewidth=1, label=line[0])
            ax.legend(fontsize=8)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.spines[["top", "right"]].set_visible(False)
        fig.subplots_adjust(left=0.1, right=0.97, top=0.88, bottom=0.16)

    return _svg(draw, 6.0, 3.2) if values else ""


# ---- plans compared: one panel per headline figure, one bar per plan (``cp.plot.compare``, the web's what-if) ----
def compare_size(figures: Sequence[str]) -> tuple[float, float]:
    """Width and height (inches) of the panels of ``figures``: four to a row."""
    ncols = min(4, len(figures))
    return 3.2 * ncols, 2.6 * math.ceil(len(figures) / ncols)


def draw_compare(fig: Figure, table: pd.DataFrame, figures: Sequence[str], lang: str) -> None:
    """The panels of ``figures`` (keys of :data:`cluster_planner.comparison.FIGURES`) from a ``cp.compare`` table."""
    from cluster_planner.comparison import SHARES, label

    keys = list(table.attrs["keys"])
    names = [str(c) for c in table.columns]
    ncols = min(4, len(figures))
    nrows = math.ceil(len(figures) / ncols)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        if k >= len(figures):
            ax.set_visible(False)
            continue
        key = figures[k]
        raw = table.iloc[keys.index(key)]
        values = [float(v) if v is not None and not math.isnan(float(v)) else 0.0 for v in raw]
        colours = [COLOURS[j % len(COLOURS)] for j in range(len(names))]
        bars = ax.bar(names, values, color=colours, edgecolor="#555", linewidth=0.5)
        share = key in SHARES
        ax.bar_label(bars, labels=[f"{v:.0%}" if share else f"{v:,.0f}" for v in values], fontsize=8)
        ax.set_title(label(key, lang), fontsize=9)
        ax.tick_params(axis="x", labelrotation=20 if len(names) > 2 else 0, labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(y=0.18)
        if share:
            ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    fig.suptitle(t("plot.compare", lang))


def compare(table: pd.DataFrame, figures: Sequence[str], lang: str, scale: float = 0.65) -> str:
    """:func:`draw_compare` as an inline SVG ('' when it cannot be drawn); ``scale`` < 1 draws the panels smaller,
    so their words are larger where the page fits the chart to its width."""

    def draw(fig: Figure) -> None:
        fig.set_layout_engine("constrained")
        draw_compare(fig, table, figures, lang)

    width, height = compare_size(figures)
    return _svg(draw, width * scale, height * scale)
