"""The dates an attendance sheet has a column for (R3): each meeting of a group in the term."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from cluster_planner.domain import School
from cluster_planner.domain.values import parse_date
from cluster_planner.plan.model import GroupMeeting, PlanMeta
from cluster_planner.report.words import DAYS, day_code


def _optional_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        return None


def plan_window(school: School, meta: PlanMeta) -> tuple[date, date]:
    """The days the plan holds: the term, narrowed by ``valid_from``/``valid_until`` of a re-solved plan."""
    assert school.term_start and school.term_end
    start = max(school.term_start, _optional_date(meta.valid_from) or school.term_start)
    end = min(school.term_end, _optional_date(meta.valid_until) or school.term_end)
    return start, end


def meeting_dates(
    school: School, meetings: Iterable[GroupMeeting], window: tuple[date, date] | None = None
) -> list[tuple[date, GroupMeeting]]:
    """Each service date (holidays excluded) on which one of ``meetings`` takes place, in order.

    A date is a service date of ``School.service_dates()``; a meeting takes place on the dates
    whose weekday is its day. ``window`` limits the dates (a re-solved plan's validity).
    """
    by_day: dict[str, list[GroupMeeting]] = {}
    for m in meetings:
        by_day.setdefault(day_code(m.day), []).append(m)
    out: list[tuple[date, GroupMeeting]] = []
    for d in school.service_dates():
        if window and not window[0] <= d <= window[1]:
            continue
        for m in by_day.get(DAYS[d.weekday()], ()):
            out.append((d, m))
    return out
