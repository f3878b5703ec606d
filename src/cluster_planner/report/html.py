"""``report.html``: one self-contained page (inline CSS and SVG charts, no network) that prints on A4.

Every text from the input is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections import OrderedDict
from typing import Any

import pandas as pd

from cluster_planner.i18n import t
from cluster_planner.report import charts
from cluster_planner.report.bundle import ReportTables
from cluster_planner.report.lottery import LotteryNote

CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",
 sans-serif;margin:0 auto;max-width:1240px;padding:12px 20px;color:#222;font-size:14px;line-height:1.4}
h1{font-size:22px;margin:.3em 0}h2{font-size:18px;border-bottom:2px solid #2e7d32;padding-bottom:2px;margin-top:1.6em}
h3{font-size:15px;margin:1em 0 .2em}
nav{position:sticky;top:0;background:#fff;padding:4px 0;border-bottom:1px solid #ddd;z-index:1}
nav a{margin-right:.9em;color:#1b5e20;text-decoration:none;white-space:nowrap}
.note{background:#fff8e1;border:1px solid #ffe082;padding:4px 8px;display:inline-block}
table{border-collapse:collapse;margin:.3em 0 1em}
th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#ddebf7;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:bold;background:#f3f3f3}
.facts{color:#444;margin:.2em 0 .3em}.facts span{margin-right:1.4em;display:inline-block}
.facts b{font-weight:600;margin-right:.3em}
.grid td{min-width:7em;overflow-wrap:anywhere}
.day table{width:100%}.day td.time{width:8em;white-space:nowrap;font-weight:600}
.cards{display:flex;flex-wrap:wrap;gap:6px}
.card{border:1px solid #ccc;border-left:5px solid #78909c;border-radius:4px;padding:3px 7px;min-width:10em;
 background:#fafafa;break-inside:avoid;font-size:13px}
.card b{display:block}.card span{display:block;color:#444}
.kind-care{border-left-color:#90a4ae}.kind-tutoring{border-left-color:#5c6bc0}.kind-club{border-left-color:#8e24aa}
.kind-reading{border-left-color:#6d4c41}.kind-sport{border-left-color:#43a047}.kind-art{border-left-color:#e91e63}
.kind-science{border-left-color:#0288d1}.kind-labour{border-left-color:#f9a825}
.overview{display:flex;gap:28px;align-items:flex-start}.overview>.chartbox{flex:1;min-width:0}
.charts{display:flex;flex-wrap:wrap;gap:12px}svg.chart{flex:1 1 340px;max-width:100%;height:auto}
table.grid{table-layout:fixed;width:100%}.grid th:first-child,.grid td:first-child{width:11em}
footer{color:#777;font-size:12px;margin-top:2em}
pre.command{background:#f4f4f4;border:1px solid #ccc;padding:6px 10px;white-space:pre-wrap;overflow-wrap:anywhere}
.example td{overflow-wrap:anywhere}
@page{size:A4;margin:12mm}
@media print{nav{display:none}body{max-width:none;padding:0;font-size:11px}h2{break-before:page}
 .rosters .block+.block,.staff .block+.block,.rooms .block+.block{break-before:page}
 tr,.card{break-inside:avoid}thead{display:table-header-group}.overview{display:block}}
"""

_KIND_CLASS = re.compile(r"[^a-z_]")
MAX_BARS = 60  # more groups or adults than this: a histogram instead of a bar each


def esc(value: Any) -> str:
    """Escaped text, line breaks kept."""
    return html.escape(str(value), quote=True).replace("\n", "<br>")


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def cell(value: Any, fmt: str | None = None) -> str:
    """A ``<td>`` for one value (numbers right-aligned and formatted)."""
    if _is_blank(value):
        return "<td></td>"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        if fmt == "money":
            text = f"{number:,.2f}"
        elif fmt == "percent":
            text = f"{number:.0%}"
        else:
            text = f"{number:g}" if not number.is_integer() else str(int(number))
        return f'<td class="num">{text}</td>'
    return f"<td>{esc(value)}</td>"


def table(df: pd.DataFrame, lang: str, css: str = "") -> str:
    """A DataFrame as an HTML table (``attrs``: ``formats``, ``total_row``)."""
    if df.empty:
        return f"<p>{esc(t('report.html.empty', lang))}</p>"
    formats: dict[str, str] = df.attrs.get("formats", {})
    head = "".join(f"<th>{esc(c)}</th>" for c in df.columns)
    rows = []
    last = len(df) - 1
    for k, values in enumerate(df.to_numpy(dtype=object).tolist()):
        cls = ' class="total"' if df.attrs.get("total_row") and k == last else ""
        cells = "".join(cell(v, formats.get(str(c))) for c, v in zip(df.columns, values, strict=True))
        rows.append(f"<tr{cls}>{cells}</tr>")
    cls_attr = f' class="{css}"' if css else ""
    return f"<table{cls_attr}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def facts(items: list[tuple[str, str]]) -> str:
    """Label–value pairs above a block."""
    if not items:
        return ""
    return '<div class="facts">' + "".join(f"<span><b>{esc(k)}</b>{esc(v)}</span>" for k, v in items) + "</div>"


def blocks(items: dict[str, pd.DataFrame], lang: str, css: str = "") -> str:
    """One ``<article>`` per block: title, facts, table."""
    if not items:
        return f"<p>{esc(t('report.html.empty', lang))}</p>"
    out = []
    for df in items.values():
        out.append(
            f'<article class="block"><h3>{esc(df.attrs.get("title", ""))}</h3>'
            f"{facts(df.attrs.get('facts', []))}{table(df, lang, css)}</article>"
        )
    return "".join(out)


def day_view(tables: ReportTables) -> str:
    """Per day, the slots in time order with a card per group meeting (activity, room, adults, size)."""
    lang = tables.lang
    df = tables.timetable
    if df.empty:
        return f"<p>{esc(t('report.html.empty', lang))}</p>"

    def col(key: str) -> str:
        return t(f"report.col.{key}", lang)

    kinds = df.attrs.get("kinds", [""] * len(df))
    by_day: OrderedDict[str, OrderedDict[str, list[str]]] = OrderedDict()
    for k, row in enumerate(df.to_dict("records")):
        room = str(row[col("room")])
        if row[col("rain_room")]:
            room += f" ☂ {row[col('rain_room')]}"
        size = t("report.cell.size", lang, n=row[col("size")])
        card = (
            f'<div class="card kind-{_KIND_CLASS.sub("", str(kinds[k]))}"><b>{esc(row[col("activity")])}</b>'
            f"<span>{esc(row[col('group')])} · {esc(room)}</span>"
            f"<span>{esc(row[col('adults')])}</span><span>{esc(size)}</span></div>"
        )
        by_day.setdefault(str(row[col("day")]), OrderedDict()).setdefault(str(row[col("time")]), []).append(card)
    out = []
    for day, slots in by_day.items():
        rows = "".join(
            f'<tr><td class="time">{esc(time)}</td><td><div class="cards">{"".join(cards)}</div></td></tr>'
            for time, cards in slots.items()
        )
        out.append(f'<section class="day"><h3>{esc(day)}</h3><table><tbody>{rows}</tbody></table></section>')
    return "".join(out)


def chart_section(tables: ReportTables) -> str:
    """Choices granted by grade, group sizes and periods per adult, as inline SVG."""
    lang = tables.lang
    students = t("report.chart.students", lang)
    cap = (t("report.chart.cap", lang, n=tables.group_cap), float(tables.group_cap))
    svgs = [
        charts.stacked_bars(t("report.chart.choices", lang), *charts.choices_data(tables.choices_by_grade), students)
    ]
    title, periods = t("report.chart.sizes", lang), t("report.chart.periods", lang)
    labels, values = charts.sizes_data(tables.timetable, lang)
    if len(labels) > MAX_BARS:  # a histogram: a bar per group would be unreadable (and slow to draw)
        size, groups = t("report.chart.group_size", lang), t("report.chart.groups", lang)
        svgs.append(charts.histogram(title, values, size, groups, line=cap))
    else:
        svgs.append(charts.bars(title, labels, values, students, line=cap))
    title = t("report.chart.load", lang)
    labels, values = charts.load_data(tables.pay, lang)
    if len(labels) > MAX_BARS:
        svgs.append(charts.histogram(title, values, periods, t("report.chart.adults", lang)))
    else:
        svgs.append(charts.bars(title, labels, values, periods))
    drawn = "".join(s for s in svgs if s)
    return f'<h3>{esc(t("report.sheet.charts", lang))}</h3><div class="charts">{drawn}</div>' if drawn else ""


def lottery_section(note: LotteryNote) -> str:
    """How any family recomputes its lottery number from the seed and the student id, with a worked example."""
    lang = note.lang
    steps = "".join(f"<p>{esc(s)}</p>" for s in note.steps)
    after = "".join(f"<p>{esc(s)}</p>" for s in note.after)
    example = ""
    if note.example:
        rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in note.example)
        title = esc(t("lottery.example.title", lang))
        example = f'<h3>{title}</h3><table class="example"><tbody>{rows}</tbody></table>'
    return (
        f"<p>{esc(note.rule)}</p><h3>{esc(t('lottery.how.title', lang))}</h3>{steps}"
        f'<pre class="command">{esc(note.command)}</pre>{after}{example}'
    )


def overview(tables: ReportTables, charts_html: str) -> str:
    """The summary table with the charts beside it (below it in print)."""
    summary = table(tables.summary, tables.lang)
    return f'<div class="overview"><div>{summary}</div><div class="chartbox">{charts_html}</div></div>'


def render_html(tables: ReportTables, version: str = "", charts_html: str | None = None) -> str:
    """The whole page as text; ``charts_html`` reuses charts already drawn (they hold no personal data)."""
    lang = tables.lang
    if charts_html is None:
        charts_html = chart_section(tables)
    sections: list[tuple[str, str, str]] = [
        ("summary", t("report.sheet.summary", lang), overview(tables, charts_html)),
    ]
    if not tables.moves.empty:
        sections.append(("moves", t("report.sheet.moves", lang), table(tables.moves, lang)))
    sections += [
        ("timetable", t("report.sheet.timetable", lang), day_view(tables)),
        ("staff", t("report.sheet.staff", lang), blocks(tables.staff_timetables, lang, "grid")),
        ("rooms", t("report.sheet.rooms", lang), blocks(tables.room_timetables, lang, "grid")),
        ("rain", t("report.sheet.rain", lang), table(tables.rain_plan, lang)),
        ("rosters", t("report.sheet.rosters", lang), blocks(tables.rosters, lang)),
        ("pay", t("report.sheet.pay", lang), table(tables.pay, lang)),
        (
            "satisfaction",
            t("report.sheet.satisfaction", lang),
            f"<h3>{esc(tables.satisfaction.attrs.get('title', ''))}</h3>{table(tables.satisfaction, lang)}"
            f"<h3>{esc(tables.choices_by_grade.attrs.get('title', ''))}</h3>{table(tables.choices_by_grade, lang)}",
        ),
        ("unplaced", t("report.sheet.unplaced", lang), table(tables.unplaced, lang)),
        ("duties", t("report.sheet.duties", lang), table(tables.duty_roster, lang)),
        ("warnings", t("report.sheet.warnings", lang), table(tables.warnings, lang)),
        (
            "compliance",
            t("report.sheet.compliance", lang),
            f'<p class="verdict">{esc(tables.compliance.attrs.get("verdict", ""))}</p>{table(tables.compliance, lang)}',
        ),
        ("lottery", t("lottery.section", lang), lottery_section(tables.lottery)),
    ]
    title = t("report.html.title", lang, school=tables.school)
    nav = "".join(f'<a href="#{key}">{esc(name)}</a>' for key, name, _ in sections)
    body = "".join(
        f'<section id="{key}" class="{key}"><h2>{esc(name)}</h2>{content}</section>' for key, name, content in sections
    )
    note = f'<p class="note">{esc(t("report.html.public_note", lang))}</p>' if tables.public else ""
    footer = f"<footer>{esc(t('report.html.generated_by', lang, version=version))}</footer>"
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{esc(title)}</h1>{note}<nav>{nav}</nav>{body}{footer}</body></html>\n"
    )
