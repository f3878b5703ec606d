"""Every report table of one plan, built once and handed to the xlsx and HTML writers."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from cluster_planner.domain import Scenario
from cluster_planner.plan.model import Plan
from cluster_planner.report import tables as tb
from cluster_planner.report.lottery import LotteryNote, lottery_note
from cluster_planner.report.words import check_lang


@dataclass(frozen=True)
class ReportTables:
    """The tables of a report in one language; ``public`` ones hold no parent names or full phones."""

    lang: str
    public: bool
    school: str
    group_cap: int
    summary: pd.DataFrame
    choices_by_grade: pd.DataFrame
    timetable: pd.DataFrame
    rosters: dict[str, pd.DataFrame]
    staff_timetables: dict[str, pd.DataFrame]
    room_timetables: dict[str, pd.DataFrame]
    rain_plan: pd.DataFrame
    attendance: dict[str, pd.DataFrame]
    pay: pd.DataFrame
    satisfaction: pd.DataFrame
    unplaced: pd.DataFrame
    duty_roster: pd.DataFrame
    warnings: pd.DataFrame
    moves: pd.DataFrame
    compliance: pd.DataFrame  # the ten prohibitions (十严禁); attrs: title, verdict
    lottery: LotteryNote  # how a family recomputes its lottery number (S6)

    def masked(self, scenario: Scenario, plan: Plan) -> ReportTables:
        """The same tables for posting: parent names removed, phones masked (D1)."""
        return replace(
            self,
            public=True,
            rosters=tb.rosters(scenario, plan, self.lang, public=True),
            moves=tb.moves(scenario, plan, self.lang, public=True),
        )

    @classmethod
    def build(cls, scenario: Scenario, plan: Plan, lang: str | None = None, public: bool = False) -> ReportTables:
        """All tables of ``plan`` in ``lang`` (default: the school's language)."""
        lang = check_lang(lang or scenario.school.language)
        return cls(
            lang=lang,
            public=public,
            school=scenario.school.name,
            group_cap=scenario.school.rules.group_cap,
            summary=tb.summary(scenario, plan, lang),
            choices_by_grade=tb.choices_by_grade(scenario, plan, lang),
            timetable=tb.timetable(scenario, plan, lang),
            rosters=tb.rosters(scenario, plan, lang, public=public),
            staff_timetables=tb.staff_timetables(scenario, plan, lang),
            room_timetables=tb.room_timetables(scenario, plan, lang),
            rain_plan=tb.rain_plan(scenario, plan, lang),
            attendance=tb.attendance_sheets(scenario, plan, lang),
            pay=tb.pay(scenario, plan, lang),
            satisfaction=tb.satisfaction(scenario, plan, lang),
            unplaced=tb.unplaced(scenario, plan, lang),
            duty_roster=tb.duty_roster(scenario, plan, lang),
            warnings=tb.warnings(scenario, plan, lang),
            moves=tb.moves(scenario, plan, lang, public=public),
            compliance=_compliance(scenario, plan, lang),
            lottery=lottery_note(scenario, plan.meta.seed, lang),
        )


def _compliance(scenario: Scenario, plan: Plan, lang: str) -> pd.DataFrame:
    """The compliance table of ``cluster-planner comply`` with its title and verdict."""
    from cluster_planner.report.comply import build_compliance

    report = build_compliance(scenario, plan, lang)
    df = report.frame()
    df.attrs.update(title=report.title, verdict=report.verdict)
    return df
