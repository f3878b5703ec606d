"""The report tables (DataFrames) recompute what the plan says (D1, R2, R3, M1–M3, S6)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

import pytest

from cluster_planner.domain import Scenario
from cluster_planner.i18n import t
from cluster_planner.plan import GroupMeeting, Plan
from cluster_planner.report import tables


def col(key: str, lang: str = "zh") -> str:
    return t(f"report.col.{key}", lang)


def summary_value(df, key: str, lang: str = "zh", **params: object):
    item = t(f"report.sum.{key}", lang, **params)
    return df.loc[df[col("item", lang)] == item, col("value", lang)].item()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_roster_rows_are_the_groups_assignments(tiny_school: Scenario, tiny_plan: Plan, lang: str) -> None:
    members: dict[str, set[str]] = defaultdict(set)
    for a in tiny_plan.assignments:
        members[a.group_id].add(a.student_id)
    rosters = tables.rosters(tiny_school, tiny_plan, lang)
    assert set(rosters) == {g.group_id for g in tiny_plan.groups}
    for gid, df in rosters.items():
        assert sorted(df[col("student_id", lang)]) == sorted(members[gid])
        assert df.attrs["title"].startswith(gid)


def test_roster_shows_class_homeroom_teacher_parent_and_phone(tiny_school: Scenario, tiny_plan: Plan) -> None:
    df = tables.rosters(tiny_school, tiny_plan, "zh")["GO-1"]
    row = df[df[col("student_id")] == "S05"].iloc[0]
    assert (row[col("class")], row[col("homeroom")]) == ("四(1)班", "王老师")
    assert (row[col("parent")], row[col("phone")]) == ("家长甲乙5", "13800000005")
    public = tables.rosters(tiny_school, tiny_plan, "zh", public=True)["GO-1"]
    assert col("parent") not in public.columns
    assert set(public[col("phone")]) == {"138****0001", "138****0002", "138****0005"}


def test_attendance_has_a_column_per_service_date_of_the_groups_day(tiny_school: Scenario, tiny_plan: Plan) -> None:
    sheets = tables.attendance_sheets(tiny_school, tiny_plan, "zh")
    school = tiny_school.school
    for gid, df in sheets.items():
        day = next(g.day for g in tiny_plan.groups if g.group_id == gid)
        weekday = ("Mon", "Tue", "Wed", "Thu", "Fri").index(day)
        span = (school.term_end - school.term_start).days + 1
        dates = [school.term_start + timedelta(days=k) for k in range(span)]
        expected = [d for d in dates if d.weekday() == weekday and d not in school.holidays]
        assert len(df.attrs["date_columns"]) == len(expected) == 7
        assert list(df.columns[3:]) == df.attrs["date_columns"]
        assert len(df) == len({a.student_id for a in tiny_plan.assignments if a.group_id == gid})
    # care on Monday: autumn/winter clocks until the switch on 10/12, summer clocks from then on
    labels = sheets["CARE-1"].attrs["date_columns"]
    assert labels[0] == "9/7\n15:50" and labels[-1] == "10/26\n16:10"
    assert "10/5\n15:50" not in labels  # a holiday


def test_summary_counts_students_choices_and_money(tiny_school: Scenario, tiny_plan: Plan) -> None:
    df = tables.summary(tiny_school, tiny_plan, "zh")
    assert summary_value(df, "approved") == 7  # S08 is pending
    assert summary_value(df, "unplaced") == 2
    assert summary_value(df, "planned") == 5
    assert summary_value(df, "choice_n", n=1) == "4（67%）"  # of 6 who gave choices
    assert summary_value(df, "choice_none") == "1（17%）"
    assert summary_value(df, "priority") == "1 / 1"
    assert summary_value(df, "groups") == 4
    assert summary_value(df, "fee_income") == 300 * 6  # one exempt
    assert summary_value(df, "subsidy") == 250 * 7 / 2
    cost = round(sum(x.pay_term for x in tiny_plan.staff_load), 2)
    assert summary_value(df, "cost") == cost
    assert summary_value(df, "balance") == round(1800 + 875 - cost, 2)


def test_fee_per_day_counts_the_days_each_payer_applied_for(tiny_school: Scenario, tiny_plan: Plan) -> None:
    school = tiny_school.school.model_copy(
        update={"money": tiny_school.school.money.model_copy(update={"fee_per_term": None, "fee_per_day": 10})}
    )
    scenario = tiny_school.model_copy(update={"school": school})
    df = tables.summary(scenario, tiny_plan, "en")
    assert summary_value(df, "fee_income", "en") == 10 * 6 * (7 + 7)  # 6 payers × 7 Mondays + 7 Wednesdays


def test_choices_by_grade_totals(tiny_school: Scenario, tiny_plan: Plan) -> None:
    df = tables.choices_by_grade(tiny_school, tiny_plan, "en")
    assert list(df[col("grade", "en")]) == ["Grade 3", "Grade 4", "Total"]
    total = df.iloc[-1]
    assert total[col("with_choices", "en")] == 6
    assert total[t("report.col.choice_n", "en", n=1)] == 4
    assert total[t("report.col.choice_n", "en", n=2)] == 1


def test_pay_total_row_is_the_sum_of_staff_load(tiny_school: Scenario, tiny_plan: Plan) -> None:
    df = tables.pay(tiny_school, tiny_plan, "zh")
    assert df.iloc[-1][col("name")] == t("report.total", "zh")
    assert df.iloc[-1][col("pay_term")] == pytest.approx(sum(x.pay_term for x in tiny_plan.staff_load))
    assert df.iloc[:-1][col("pay_term")].sum() == pytest.approx(df.iloc[-1][col("pay_term")])
    coach = df[df[col("staff_id")] == "E01"].iloc[0]
    assert coach[col("rate")] == 80 and coach[col("periods_term")] == 7  # 7 Wednesdays


def test_pay_is_recomputed_when_the_plan_has_no_staff_load(tiny_school: Scenario, tiny_plan: Plan) -> None:
    bare = replace(tiny_plan, staff_load=())
    assert tables.pay(tiny_school, bare, "zh").iloc[-1][col("pay_term")] == pytest.approx(
        sum(x.pay_term for x in tiny_plan.staff_load)
    )


def test_staff_and_room_timetables(tiny_school: Scenario, tiny_plan: Plan) -> None:
    staff = tables.staff_timetables(tiny_school, tiny_plan, "zh")
    assert set(staff) == {"T01", "T02", "T03", "E01"}
    grid = staff["T03"]
    assert list(grid.columns) == [col("time"), "周一", "周三"]
    assert grid.iloc[1]["周一"] == "GO-1\n围棋\n棋室" and grid.iloc[1]["周三"] == ""
    assert any("门岗" in v for _, v in staff["T02"].attrs["facts"])  # the all-day gate duty
    rooms = tables.room_timetables(tiny_school, tiny_plan, "zh")
    assert set(rooms) == {"R01", "R02", "F1"}
    assert rooms["R02"].iloc[1]["周三"].startswith("雨天：FB-1")  # the rainy-day room (R2)


def test_rain_plan_lists_outdoor_groups_with_their_indoor_room(tiny_school: Scenario, tiny_plan: Plan) -> None:
    df = tables.rain_plan(tiny_school, tiny_plan, "en")
    assert list(df[col("group", "en")]) == ["FB-1"]
    assert df.iloc[0][col("rain_room", "en")] == "棋室"


def test_satisfaction_by_activity(tiny_school: Scenario, tiny_plan: Plan) -> None:
    df = tables.satisfaction(tiny_school, tiny_plan, "en").set_index(col("activity", "en"))
    go = df.loc["围棋"]
    assert (go[col("demand_first", "en")], go[col("granted_first", "en")], go[col("students", "en")]) == (3, 2, 3)
    assert df.loc["足球", col("demand_first", "en")] == 3 and df.loc["足球", col("granted_first", "en")] == 2
    assert df.loc["托管", col("demand_first", "en")] is None  # care takes no choices


def test_unplaced_duties_and_warnings(tiny_school: Scenario, tiny_plan: Plan) -> None:
    assert list(tables.unplaced(tiny_school, tiny_plan, "zh")[col("student_id")]) == ["S04", "S07"]
    duties = tables.duty_roster(tiny_school, tiny_plan, "zh")
    assert list(duties[col("post")]) == ["门岗"] and list(duties[col("time")]) == ["全天"]
    assert len(tables.warnings(tiny_school, tiny_plan, "zh")) == 1


def test_a_plan_naming_unknown_ids_still_reports(tiny_school: Scenario, tiny_plan: Plan) -> None:
    """A hand-edited plan may name a room, adult or slot the scenario lacks: shown by id, not a crash."""
    odd = GroupMeeting("X-1", "NOPE", "周二", "Tue-9", "R99", "", ("Z99",), 1, (3,), ("3-1",))
    plan = replace(tiny_plan, groups=(*tiny_plan.groups, odd), staff_load=())
    assert "Z99" in tables.staff_timetables(tiny_school, plan, "zh")
    timetable = tables.timetable(tiny_school, plan, "zh").set_index(col("group"))
    assert (timetable.loc["X-1", col("room")], timetable.loc["X-1", col("day")]) == ("R99", "周二")
    assert "X-1" in tables.attendance_sheets(tiny_school, plan, "zh")
    assert "R99" in tables.room_timetables(tiny_school, plan, "zh")


def test_an_unknown_language_is_refused(tiny_school: Scenario, tiny_plan: Plan) -> None:
    with pytest.raises(ValueError, match="language"):
        tables.summary(tiny_school, tiny_plan, "fr")
