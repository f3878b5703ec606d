"""Charts for the HTML report as inline SVG (matplotlib, no display, no network).

Text stays text in the SVG (``svg.fonttype = none``), so the browser draws Chinese with its
own fonts; a CJK font is preferred for layout when one is installed. A chart that cannot be
drawn is left out (logged), never failing the report.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

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

    installed = {f.name for f in font_manager.fontManager.ttflist}
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
        ax = fig.add_subplot()
        bottom = [0.0] * len(categories)
        for k, (name, values) in enumerate(series):
            ax.bar(list(categories), list(values), bottom=bottom, label=name, color=COLOURS[k % len(COLOURS)])
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.spines[["top", "right"]].set_visible(False)
        fig.subplots_adjust(left=0.1, right=0.78, top=0.88, bottom=0.12)

    return _svg(draw, 6.0, 3.2) if categories else ""


def bars(
    title: str, labels: Sequence[str], values: Sequence[float], ylabel: str, line: tuple[str, float] | None = None
) -> str:
    """Plain bars (group sizes, periods per adult), with an optional reference line (a cap)."""

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        ax.bar(list(labels), list(values), color=COLOURS[0])
        if line:
            ax.axhline(line[1], color="#c62828", linestyle="--", linewidth=1, label=line[0])
            ax.legend(fontsize=8)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        rotate = len(labels) > 8
        ax.tick_params(axis="x", labelrotation=90 if rotate else 0, labelsize=7 if len(labels) > 20 else 9)
        ax.spines[["top", "right"]].set_visible(False)
        fig.subplots_adjust(left=0.08, right=0.98, top=0.88, bottom=0.3 if rotate else 0.12)

    width = min(12.0, max(4.0, 0.25 * len(labels) + 2))
    return _svg(draw, width, 3.2) if labels else ""
