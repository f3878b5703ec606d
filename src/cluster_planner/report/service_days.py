"""What each adult did on each service date of a term, across the plan's versions (issue 17 item 6).

Each version is in force from its ``valid_from`` (the term start for the first) until the day before the
next version's. On each service date (holidays out) an adult works the periods the version in force gives
them on that weekday (:func:`~cluster_planner.plan.figures.day_periods`, M3), paid at that version's rate
with the afternoon cap (:func:`cluster_planner.rules.paid_periods`): the plan's own figures, date
by date. Covers are the meetings a re-solve gave to someone else while their adult is away (plan.json
``extra.covers``) and the duty posts taken over the same way; absences are the leave rows of the change
log (:func:`cluster_planner.midterm.changes.absences`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from cluster_planner import rules
from cluster_planner.domain import Scenario
from cluster_planner.domain.entities import ChangeAction
from cluster_planner.domain.values import parse_date
from cluster_planner.i18n import register, t
from cluster_planner.plan.figures import day_periods, rate_of
from cluster_planner.plan.model import Plan
from cluster_planner.report.words import DAYS, code_name
from cluster_planner.vocabulary import word

register(
    {
        "service_days.meeting": ("{day} {activity}（{group}）", "{day} {activity} ({group})"),
        "service_days.duty": ("{day} 值班：{post}", "{day} duty: {post}"),
    }
)


# ---- the versions in force ----------------------------------------------------------------------
@dataclass(frozen=True)
class Span:
    """One plan version (its scenario attached) and the dates it is in force (``start`` after ``end``: never)."""

    plan: Plan
    start: date
    end: date

    @property
    def version(self) -> int:
        return self.plan.meta.version

    @property
    def scenario(self) -> Scenario:
        return self.plan.require_scenario()

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


def plan_date(text: str | None) -> date | None:
    """plan.json's ``valid_from``/``valid_until`` as a date (None: not given, or unreadable)."""
    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


def versions_of(plan: Plan, folder: str | Path | None = None) -> tuple[Plan, ...]:
    """``plan`` and the versions it was re-solved from, oldest first, each with its scenario snapshot.

    The parents are found as ``cluster-planner history`` finds them (plan.json ``extra``: the path relative
    to ``folder``, else the absolute one); a parent without a snapshot borrows the next version's scenario.
    """
    from cluster_planner.midterm.history import chain, parent_in
    from cluster_planner.plan.folder import load_plan_with_snapshot

    extra = plan.meta.extra if folder is not None else {"parent_path": plan.meta.extra.get("parent_path")}
    start = parent_in(Path(folder) if folder is not None else Path(), extra)
    older = [load_plan_with_snapshot(v.path) for v in chain(start)] if start is not None else []
    out = [plan]
    for p in older:
        if p.meta.version >= out[-1].meta.version:
            break  # not an earlier version (a folder reused): the chain ends here
        out.append(p if p.scenario is not None else replace(p, scenario=out[-1].scenario))
    return tuple(reversed(out))


def spans_of(plans: Iterable[Plan]) -> tuple[Span, ...]:
    """Each version with the dates it is in force: from its ``valid_from`` to the day before the next one's."""
    plans = tuple(plans)
    school = plans[-1].require_scenario().school
    assert school.term_start and school.term_end
    starts = [max(school.term_start, plan_date(p.meta.valid_from) or school.term_start) for p in plans]
    out = []
    for k, p in enumerate(plans):
        end = starts[k + 1] - timedelta(days=1) if k + 1 < len(plans) else school.term_end
        out.append(Span(p, starts[k], min(end, school.term_end)))
    return tuple(out)


def service_dates(spans: tuple[Span, ...]) -> list[date]:
    """The term's service dates (holidays out) on the weekdays that have a slot."""
    school = spans[-1].scenario.school
    days = {s.day.value for span in spans for s in span.scenario.timeslots}
    return [d for d in school.service_dates() if DAYS[d.weekday()] in days]


# ---- covers ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cover:
    """One session an adult took over from a colleague who is away."""

    on: date
    by: str
    away: str
    what: str
    """Words: the day and activity (group), or the day and duty post."""
    periods: float


@dataclass(frozen=True)
class WeeklyCover:
    """A session covered every week a version is in force: its weekday, who covers whom, and what."""

    day: str
    by: str
    away: str
    what: str
    periods: float


def _meeting_words(plan: Plan, scenario: Scenario, group_id: str, slot_id: str, lang: str) -> str:
    activity_id = next((g.activity_id for g in plan.groups if g.group_id == group_id), "")
    activity = scenario.activity_by_id.get(activity_id)
    slot = scenario.slot_by_id.get(slot_id)
    day = word("day", slot.day.value, lang) if slot else slot_id
    name = (activity.name if activity else "") or activity_id
    return t("service_days.meeting", lang, day=day, activity=name, group=group_id)


def meeting_covers(span: Span, lang: str) -> list[WeeklyCover]:
    """The meetings the version records as covered for an adult away (plan.json ``extra.covers``)."""
    sc, plan = span.scenario, span.plan
    staffed = {(g.group_id, g.slot_id): g.staff_ids for g in plan.groups}
    out = []
    for key, cover in sorted(dict(plan.meta.extra.get("covers") or {}).items()):
        group_id, _, slot_id = str(key).rpartition("@")
        by, away, slot = str(cover.get("by", "")), str(cover.get("away", "")), sc.slot_by_id.get(slot_id)
        if slot is None or by not in staffed.get((group_id, slot_id), ()):
            continue
        what = _meeting_words(plan, sc, group_id, slot_id, lang)
        out.append(WeeklyCover(slot.day.value, by, away, what, slot.periods))
    return out


DutyKey = tuple[str, str, str]


def _duty_holders(plan: Plan) -> dict[DutyKey, set[str]]:
    out: dict[DutyKey, set[str]] = defaultdict(set)
    for d in plan.duty_roster:
        out[(d.day, d.slot_id, d.post)].add(d.staff_id)
    return out


def duty_covers(spans: tuple[Span, ...], lang: str) -> list[list[WeeklyCover]]:
    """Per version, the duty posts held for an adult who is away.

    As the re-solve records it for meetings: a post an away adult held in the version before and someone
    new holds now is covered by them; it stays covered while the adult is away and the cover holds it.
    """
    from cluster_planner.midterm.changes import absences

    out: list[list[WeeklyCover]] = []
    running: dict[tuple[DutyKey, str], str] = {}
    before: dict[DutyKey, set[str]] = {}
    for k, span in enumerate(spans):
        now = _duty_holders(span.plan)
        away = absences(span.scenario.changes, span.start).staff if k else frozenset()
        kept = {(post, gone): by for (post, gone), by in running.items() if gone in away and by in now.get(post, ())}
        for post, holders in now.items():
            gone = sorted(p for p in before.get(post, ()) if p in away and p not in holders)
            subs = sorted(p for p in holders if p not in before.get(post, ()))
            kept.update({(post, g): s for g, s in zip(gone, subs, strict=False)})
        running, before = kept, now
        periods = {(p.day.value, p.slot_id or "", p.post): p.periods for p in span.scenario.duties}
        rows = []
        for ((day, slot_id, post), gone), by in sorted(running.items()):
            what = t("service_days.duty", lang, day=word("day", day, lang), post=code_name("post", post, lang))
            rows.append(WeeklyCover(day, by, gone, what, periods.get((day, slot_id, post), 0.0)))
        out.append(rows)
    return out


# ---- each adult's days ----------------------------------------------------------------------------
@dataclass
class DayWork:
    """One adult's service on one date (or, added up, a week)."""

    periods: float = 0.0
    paid: float = 0.0
    pay: float = 0.0
    covers: list[Cover] = field(default_factory=list)
    covered: list[Cover] = field(default_factory=list)
    """Sessions of theirs others covered."""
    absent: list[date] = field(default_factory=list)

    def add(self, other: DayWork) -> None:
        self.periods += other.periods
        self.paid += other.paid
        self.pay += other.pay
        self.covers += other.covers
        self.covered += other.covered
        self.absent += other.absent


def day_work(spans: tuple[Span, ...], dates: list[date], lang: str) -> dict[str, dict[date, DayWork]]:
    """Each adult's work on each of ``dates``: periods and pay of the version in force, covers, absence."""
    from cluster_planner.midterm.changes import absences

    work: dict[str, dict[date, DayWork]] = defaultdict(lambda: defaultdict(DayWork))
    for span, duties in zip(spans, duty_covers(spans, lang), strict=True):
        sc, plan = span.scenario, span.plan
        per_day = day_periods(sc, plan.groups, plan.duty_roster)
        rates = {pid: rate_of(sc, pid) if pid in sc.staff_by_id else 0.0 for pid in per_day}
        covers = meeting_covers(span, lang) + duties
        for d in (d for d in dates if span.holds(d)):
            day = DAYS[d.weekday()]
            for pid, days in per_day.items():
                if day in days:
                    paid = rules.paid_periods(*days[day], rules.afternoon_period_cap(sc))
                    today = work[pid][d]
                    today.periods += sum(days[day])
                    today.paid += paid
                    today.pay += paid * rates[pid]
            for c in (c for c in covers if c.day == day):
                cover = Cover(d, c.by, c.away, c.what, c.periods)
                work[c.by][d].covers.append(cover)
                work[c.away][d].covered.append(cover)
    changes = spans[-1].scenario.changes
    if any(c.action == ChangeAction.STAFF_LEAVE for c in changes):
        for d in dates:
            for pid in absences(changes, d).staff:
                work[pid][d].absent.append(d)
    return work


@dataclass(frozen=True)
class Leave:
    """One leave row of the change log."""

    change_id: str
    start: date
    until: date | None
    returned: date | None
    days: int
    """Service dates the adult was away on, from this row."""


def leaves(scenario: Scenario, absent: dict[str, set[date]]) -> dict[str, list[Leave]]:
    """Each adult's leave rows of ``scenario``'s change log, with the dates of ``absent`` each covers."""
    changes = scenario.changes
    out: dict[str, list[Leave]] = defaultdict(list)
    for c in sorted(changes, key=lambda c: (c.date, c.row)):
        if c.action != ChangeAction.STAFF_LEAVE:
            continue
        back = [r.date for r in changes if r.action == ChangeAction.STAFF_RETURN and r.id == c.id and r.date > c.date]
        returned = min(back) if back else None
        ends = [d for d in (c.until, returned - timedelta(days=1) if returned else None) if d is not None]
        days = sum(1 for d in absent.get(c.id, ()) if c.date <= d and (not ends or d <= min(ends)))
        out[c.id].append(Leave(c.change_id or "", c.date, c.until, returned, days))
    return out
