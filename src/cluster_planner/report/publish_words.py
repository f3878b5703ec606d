"""Words the published documents share (menu, family notices): days, grades, seasons, yuan."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from cluster_planner.domain.values import Day, try_parse_day
from cluster_planner.i18n import register, t
from cluster_planner.vocabulary import word

register(
    {
        "publish.day_run": ("{first}至{last}", "{first}–{last}"),
        "publish.list_sep": ("、", ", "),
        "publish.colon": ("：", ": "),
        "publish.semicolon": ("；", "; "),
        "publish.or_sep": ("或", " or "),
        "publish.grades": ("{grades} 年级", "grades {grades}"),
        "publish.grade": ("{grade} 年级", "grade {grade}"),
        "publish.all_grades": ("各年级", "all grades"),
        "publish.season.summer": ("夏季作息", "summer hours"),
        "publish.season.autumn_winter": ("秋冬季作息", "autumn/winter hours"),
        "publish.yuan": ("{amount} 元", "{amount} yuan"),
        "publish.date": ("{y}年{m}月{d}日", "{d} {month} {y}"),
        "publish.short_date": ("{m}月{d}日", "{d} {month}"),
        "publish.from_date": ("{date}起", "from {date}"),
        "publish.term": ("{start}至{end}", "{start} to {end}"),
    }
)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEK = list(Day)


def joined(items: Iterable[str], lang: str) -> str:
    """``甲、乙`` / ``a, b`` (blank items left out)."""
    return t("publish.list_sep", lang).join(i for i in items if i)


def either(items: Iterable[str], lang: str) -> str:
    """``教室或图书室`` / ``classroom or library``."""
    return t("publish.or_sep", lang).join(i for i in items if i)


def day_runs(days: Iterable[str], lang: str) -> str:
    """Days in week order, three or more in a row as a run: ``周一至周五``, ``周二、周四``."""
    parsed = sorted({d for d in (try_parse_day(x) for x in days) if d is not None}, key=lambda d: d.index)
    runs: list[list[Day]] = []
    for d in parsed:
        if runs and _WEEK.index(runs[-1][-1]) + 1 == d.index:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = []
    for run in runs:
        names = [word("day", d.value, lang) for d in run]
        if len(run) >= 3:
            parts.append(t("publish.day_run", lang, first=names[0], last=names[-1]))
        else:
            parts.extend(names)
    return joined(parts, lang)


def grades_words(grades: Iterable[int], lang: str) -> str:
    """``3–6 年级`` / ``grades 3–6``; ``1、3 年级``; every grade when none are named."""
    ordered = sorted(set(grades))
    if not ordered:
        return t("publish.all_grades", lang)
    if len(ordered) == 1:
        return t("publish.grade", lang, grade=ordered[0])
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return t("publish.grades", lang, grades=f"{ordered[0]}–{ordered[-1]}")
    return t("publish.grades", lang, grades=joined((str(g) for g in ordered), lang))


def season_words(season: str, lang: str) -> str:
    """夏季作息 / 秋冬季作息 (H3)."""
    return t(f"publish.season.{season}", lang)


def yuan(amount: float, lang: str) -> str:
    """``300 元`` / ``300 yuan`` (cents only when there are any)."""
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return t("publish.yuan", lang, amount=text)


def long_date(day: date, lang: str) -> str:
    """``2026年9月7日`` / ``7 Sep 2026``."""
    return t("publish.date", lang, y=day.year, m=day.month, d=day.day, month=_MONTHS[day.month - 1])


def short_date(day: date, lang: str) -> str:
    """``10月8日`` / ``8 Oct``."""
    return t("publish.short_date", lang, m=day.month, d=day.day, month=_MONTHS[day.month - 1])
