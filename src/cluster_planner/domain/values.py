"""Parsers for the cell values an office types: days, grades, lists, yes/no, clock times.

Each parser accepts what FORMAT.md allows (English or Chinese spellings) and raises
``ValueError`` with a short statement of what was expected; pydantic turns that into a
finding that names the file, row and column.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any


class Day(StrEnum):
    """A weekday, stored in its English short form."""

    MON = "Mon"
    TUE = "Tue"
    WED = "Wed"
    THU = "Thu"
    FRI = "Fri"
    SAT = "Sat"
    SUN = "Sun"

    @property
    def index(self) -> int:
        """0 for Monday … 6 for Sunday."""
        return list(Day).index(self)


_DAY_WORDS: dict[str, Day] = {}
for _i, _d in enumerate(Day):
    _zh = "一二三四五六日"[_i]
    for _w in (
        _d.value,
        _d.value.lower(),
        _d.value.upper(),
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][_i],
        f"周{_zh}",
        f"星期{_zh}",
        f"礼拜{_zh}",
    ):
        _DAY_WORDS[_w.lower()] = _d
_DAY_WORDS["周天"] = _DAY_WORDS["星期天"] = _DAY_WORDS["礼拜天"] = Day.SUN

_LIST_SPLIT = re.compile(r"[\s,，、;；/]+")


def split_list(value: Any) -> tuple[str, ...]:
    """Split a list cell on spaces, commas, 、 and ；; a list or tuple passes through."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple, set, frozenset)):
        items: list[str] = []
        for v in value:
            items.extend(split_list(v))
        return tuple(items)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return tuple(p for p in _LIST_SPLIT.split(str(value).strip()) if p)


def is_blank(value: Any) -> bool:
    """True for None, NaN and cells holding only whitespace."""
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip()


def parse_day(value: Any) -> Day:
    """Mon…Sun, Monday…, 周一…周日, 星期一…星期日."""
    if isinstance(value, Day):
        return value
    word = str(value).strip().lower()
    if word in _DAY_WORDS:
        return _DAY_WORDS[word]
    raise ValueError("a weekday: Mon…Sun or 周一…周日")


def try_parse_day(value: str) -> Day | None:
    """The day a token names, or None when it is not a day."""
    return _DAY_WORDS.get(str(value).strip().lower())


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_JUNIOR = {"初一": 7, "初二": 8, "初三": 9, "七年级": 7, "八年级": 8, "九年级": 9}


def parse_grade(value: Any) -> int:
    """1–9, 一年级…六年级, 初一…初三, 七年级…九年级."""
    if isinstance(value, bool):
        raise ValueError("a grade 1–9 (or 一年级…九年级, 初一…初三)")
    if isinstance(value, int):
        grade = value
    elif isinstance(value, float) and value.is_integer():
        grade = int(value)
    else:
        text = str(value).strip()
        if text in _JUNIOR:
            grade = _JUNIOR[text]
        elif re.fullmatch(r"\d+", text):
            grade = int(text)
        elif re.fullmatch(r"\d+(\.0+)?", text):
            grade = int(float(text))
        elif m := re.fullmatch(r"([一二三四五六七八九])年级", text):
            grade = _CN_DIGITS[m.group(1)]
        elif m := re.fullmatch(r"(\d)年级", text):
            grade = int(m.group(1))
        else:
            raise ValueError("a grade 1–9 (or 一年级…九年级, 初一…初三)")
    if not 1 <= grade <= 9:
        raise ValueError("a grade 1–9 (or 一年级…九年级, 初一…初三)")
    return grade


def parse_grades(value: Any) -> frozenset[int]:
    """A set of grades: ``3-6``, ``1 2``, ``一年级、二年级``, ``7-9``; blank = empty set."""
    if is_blank(value):
        return frozenset()
    if isinstance(value, (set, frozenset)):
        return frozenset(parse_grade(v) for v in value)
    if isinstance(value, (int, float)):
        return frozenset({parse_grade(value)})
    grades: set[int] = set()
    text = str(value).strip().replace("～", "-").replace("~", "-").replace("—", "-").replace("至", "-")
    for token in split_list(text):
        if "-" in token:
            lo_text, _, hi_text = token.partition("-")
            lo, hi = parse_grade(lo_text), parse_grade(hi_text)
            if lo > hi:
                raise ValueError("a grade range low-high such as 3-6")
            grades.update(range(lo, hi + 1))
        else:
            grades.add(parse_grade(token))
    return frozenset(grades)


_YES = {"yes", "y", "true", "t", "1", "是", "有", "√", "✓", "通过", "已审查", "x"}
_NO = {"no", "n", "false", "f", "0", "否", "无", "×", "未通过", "未审查"}


def parse_bool(value: Any) -> bool:
    """yes/no, true/false, 是/否, 1/0."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError("yes or no (是/否, true/false, 1/0)")


def parse_time(value: Any) -> time:
    """``HH:MM`` (also ``H:MM``, ``HH：MM`` with a Chinese colon, or an Excel time)."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    text = str(value).strip().replace("：", ":")
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2})?", text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError("a clock time HH:MM such as 16:30")
    return time(int(m.group(1)), int(m.group(2)))


def parse_date(value: Any) -> date:
    """``YYYY-MM-DD`` (also ``YYYY/MM/DD``, ``YYYY.MM.DD``, ``2026年9月1日`` or an Excel date)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00)?)?", text)
    if not m:
        raise ValueError("a date YYYY-MM-DD such as 2026-09-01")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise ValueError("a real calendar date YYYY-MM-DD") from exc


def minutes(t: time) -> int:
    """Minutes since midnight."""
    return t.hour * 60 + t.minute


def format_grades(grades: frozenset[int] | set[int]) -> str:
    """``3-6`` for a run, ``1 3`` otherwise; the inverse of :func:`parse_grades`."""
    ordered = sorted(grades)
    if not ordered:
        return ""
    if len(ordered) > 1 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]}"
    return " ".join(str(g) for g in ordered)
