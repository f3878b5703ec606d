"""Issue 17 item 6, the staff service record (教职工课后服务记录, for the 绩效 and 职称 files of 000 方案2): demo-small
solved, then re-solved with a teacher's and a leader's leave (v2) and the teacher's return (v3); the record walks back
from v3 and counts each adult's periods and pay date by date under the version in force, with covers and leave.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from paper_print import A4_PORTRAIT, print_pdf, read_pdf

import cluster_planner as cp
from cluster_planner.cli import main
from cluster_planner.domain import Scenario
from cluster_planner.domain.entities import AFTERNOON_KINDS
from cluster_planner.errors import UsageError
from cluster_planner.plan import Plan
from cluster_planner.report.staff_record import StaffRecord, build_staff_record
from cluster_planner.solver import SolveSettings, solve_scenario

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-small"
LEAVE, UNTIL, BACK = date(2026, 10, 14), date(2026, 11, 6), date(2026, 11, 9)  # a Wednesday; v3 from a Monday
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@pytest.fixture(scope="module")
def term(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """v1 (demo-small, seed 1), v2 (teacher T and leader L on leave from Wednesday 14 Oct; T until 6 Nov, L until
    16 Oct) and v3 (T back on 9 Nov), each a plan folder; T leads the most meetings, L holds a leader's duty."""
    root = tmp_path_factory.mktemp("staff_record")
    scenario = cp.load(DEMO)
    settings = SolveSettings(time_limit=60.0, deterministic_limit=5.0, workers=1, seed=1)
    v1 = cp.save(solve_scenario(scenario, settings).plan, root / "v1", scenario=scenario, reports=False)
    first = cp.load_plan(v1)
    meetings = Counter(p for g in first.groups for p in g.staff_ids if p.startswith("T"))
    teacher = meetings.most_common(1)[0][0]
    leader = _leader_with_a_coverable_post(scenario, first)
    changes = root / "changes.csv"
    changes.write_text(
        "change_id,date,until,action,id\n"
        f"L1,{LEAVE},{UNTIL},staff_leave,{teacher}\n"
        f"L2,{LEAVE},2026-10-16,staff_leave,{leader}\n",
        encoding="utf-8",
    )
    cp.resolve(v1, changes, out=root / "v2", reports=False)
    back = root / "back.csv"
    back.write_text(f"change_id,date,action,id\nR1,{BACK},staff_return,{teacher}\n", encoding="utf-8")
    cp.resolve(root / "v2", back, out=root / "v3", reports=False)
    return {"root": root, "v1": v1, "v2": root / "v2", "v3": root / "v3", "teacher": teacher, "leader": leader}


def _leader_with_a_coverable_post(scenario: Scenario, plan: Plan) -> str:
    """A leader on duty on a day of the leave (Wed-Fri, 14-16 Oct) while another leader is off duty that day."""
    leaders = sorted(p.staff_id for p in scenario.staff if p.kind == "leader")
    on_duty: dict[str, set[str]] = {}
    for d in plan.duty_roster:
        if d.post == "leader_on_duty":
            on_duty.setdefault(d.day, set()).add(d.staff_id)
    for leader in leaders:
        if any(leader in on_duty.get(day, set()) and set(leaders) - on_duty[day] for day in ("Wed", "Thu", "Fri")):
            return leader
    raise AssertionError("no leader's post could be covered in demo-small's plan")


@pytest.fixture(scope="module")
def record(term: dict[str, object]) -> StaffRecord:
    v3 = Path(str(term["v3"]))
    return build_staff_record(cp.load_plan(v3), v3, "zh")


def service_dates(scenario: Scenario, start: date, end: date) -> list[date]:
    """Service dates from ``start`` to ``end`` (holidays out), on weekdays with a slot."""
    days = {s.day.value for s in scenario.timeslots}
    return [d for d in scenario.school.service_dates() if start <= d <= end and WEEKDAYS[d.weekday()] in days]


def day_pay(plan: Plan, staff_id: str) -> dict[str, tuple[float, float]]:
    """Worked out here from the plan's rows (M3): each weekday's (periods, paid periods) of one adult, the
    afternoon periods capped per day by ``afternoon_period_cap`` (003)."""
    sc = plan.require_scenario()
    afternoon: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for g in plan.groups:
        if staff_id in g.staff_ids:
            slot = sc.slot_by_id[g.slot_id]
            (afternoon if slot.kind in AFTERNOON_KINDS else other)[slot.day.value] += slot.periods
    posts = {(p.day.value, p.slot_id or "", p.post): p.periods for p in sc.duties}
    for d in plan.duty_roster:
        if d.staff_id == staff_id:
            slot = sc.slot_by_id.get(d.slot_id) if d.slot_id else None
            kind = afternoon if slot is not None and slot.kind in AFTERNOON_KINDS else other
            kind[d.day] += posts[(d.day, d.slot_id, d.post)]
    cap = sc.school.pay.afternoon_period_cap
    return {
        day: (afternoon[day] + other[day], min(afternoon[day], cap if cap is not None else 1e9) + other[day])
        for day in set(afternoon) | set(other)
    }


def weeks_of(record: StaffRecord, staff_id: str) -> dict[int, object]:
    adult = next(a for a in record.adults if a.staff_id == staff_id)
    return {w.number: w for w in adult.weeks}


def week_of(day: date) -> int:
    """The week of the demo's term (from Monday 7 Sep 2026) a date falls in."""
    return (day - date(2026, 9, 7)).days // 7 + 1


def test_issue17_staff_record_absence_in_its_week_and_fewer_periods_from_that_date(term, record) -> None:
    """The teacher on leave: the leave stands in the weeks of 14 Oct to 6 Nov (the days of the change log), the week
    of 14 Oct counts only Monday and Tuesday under v1, the leave weeks nothing, and from 9 Nov (v3) the full week."""
    teacher = str(term["teacher"])
    v1 = cp.load_plan(Path(str(term["v1"])))
    sc = v1.require_scenario()
    per_day = day_pay(v1, teacher)
    weeks = weeks_of(record, teacher)
    away = service_dates(sc, LEAVE, UNTIL)
    assert sorted(d for w in weeks.values() for d in w.absent) == away
    assert len(weeks[week_of(LEAVE)].absent) == 3 and not weeks[week_of(LEAVE) - 1].absent
    monday = LEAVE - timedelta(days=2)
    before = sum(per_day.get(WEEKDAYS[d.weekday()], (0, 0))[0] for d in service_dates(sc, monday, LEAVE - timedelta(1)))
    full = sum(p for p, _ in per_day.values())
    assert before < full
    assert weeks[week_of(LEAVE)].periods == pytest.approx(before)
    assert weeks[week_of(LEAVE)].versions == (1, 2)
    for n in range(week_of(LEAVE) + 1, week_of(UNTIL) + 1):
        assert weeks[n].periods == 0 and len(weeks[n].absent) == 5 and "请假" in weeks[n].notes
    assert weeks[week_of(BACK)].periods == pytest.approx(full) and weeks[week_of(BACK)].versions == (3,)
    assert not weeks[week_of(BACK)].absent
    adult = next(a for a in record.adults if a.staff_id == teacher)
    assert [(x.change_id, x.start, x.until, x.returned, x.days) for x in adult.leaves] == [
        ("L1", LEAVE, UNTIL, BACK, len(away))
    ]


def test_issue17_staff_record_covers_of_meetings_and_duty_posts(term, record) -> None:
    """Each meeting v2 records as covered (plan.json covers) counts as a cover of its substitute on every date of
    v2 on its weekday, and as covered for the teacher; the leader's duty post taken over is a cover too."""
    v2 = cp.load_plan(Path(str(term["v2"])))
    sc = v2.require_scenario()
    teacher, leader = str(term["teacher"]), str(term["leader"])
    v2_dates = service_dates(sc, LEAVE, BACK - timedelta(days=1))
    covers = v2.meta.extra["covers"]
    assert any(c["away"] == teacher for c in covers.values())
    by_adult = {a.staff_id: a for a in record.adults}
    expected_for: Counter[str] = Counter()
    for key, cover in covers.items():
        slot = sc.slot_by_id[key.rpartition("@")[2]]
        dates = [d for d in v2_dates if WEEKDAYS[d.weekday()] == slot.day.value]
        if cover["away"] == teacher:  # the teacher is away all v2; the leader's are given back in v3
            group = key.rpartition("@")[0]
            mine = [c for c in by_adult[cover["by"]].covers if group in c.what and c.away == teacher]
            assert sorted(c.on for c in mine) == dates
        expected_for[cover["away"]] += len(dates)
    assert len(by_adult[teacher].covered) == expected_for[teacher]
    substitute = next(iter(c["by"] for c in covers.values() if c["away"] == teacher))
    name = by_adult[teacher].name
    assert name in weeks_of(record, substitute)[week_of(LEAVE) + 1].notes
    old = {(d.day, d.post) for d in cp.load_plan(Path(str(term["v1"]))).duty_roster if d.staff_id == leader}
    before = {(d.day, d.post, d.staff_id) for d in cp.load_plan(Path(str(term["v1"]))).duty_roster}
    took = {  # a colleague who holds one of the leader's posts in v2 and did not hold it in v1
        (d.day, d.staff_id)
        for d in v2.duty_roster
        if (d.day, d.post) in old and d.staff_id != leader and (d.day, d.post, d.staff_id) not in before
    }
    duty_covers = [c for a in record.adults for c in a.covers if c.away == leader and "值日领导" in c.what]
    # the posts a colleague took over are covers (the re-solve may find nobody free to take them: then none)
    assert bool(duty_covers) == bool(took)
    assert {(WEEKDAYS[c.on.weekday()], c.by) for c in duty_covers} <= took


def test_issue17_staff_record_term_totals_are_periods_times_rate_over_the_dates_of_each_version(term, record) -> None:
    """Each adult's term pay and periods equal the sum over the versions of (paid) periods × rate on each service
    date the version is in force; the weeks add up to the summary; an adult whom no change touched gets what the
    term-start plan's own pay table says."""
    plans = [cp.load_plan(Path(str(term[v]))) for v in ("v1", "v2", "v3")]
    sc = plans[-1].require_scenario()
    assert sc.school.term_start and sc.school.term_end
    windows = [(sc.school.term_start, LEAVE - timedelta(1)), (LEAVE, BACK - timedelta(1)), (BACK, sc.school.term_end)]
    summary = record.summary()
    rows = {r["编号"]: r for r in summary.to_dict("records")}
    for adult in record.adults:
        periods = pay = 0.0
        for plan, (start, end) in zip(plans, windows, strict=True):
            per_day = day_pay(plan, adult.staff_id)
            rate = plan.require_scenario().staff_by_id[adult.staff_id]
            rate_value = rate.rate if rate.rate is not None else getattr(sc.school.pay, rate.kind.value)
            for d in service_dates(sc, start, end):
                p, paid = per_day.get(WEEKDAYS[d.weekday()], (0.0, 0.0))
                periods += p
                pay += paid * rate_value
        assert adult.periods == pytest.approx(periods), adult.staff_id
        assert adult.pay == pytest.approx(pay), adult.staff_id
        assert rows[adult.staff_id]["课时费（元）"] == pytest.approx(pay)
    weeks = record.frame()
    assert weeks.groupby("编号", sort=False)["课时费（元）"].sum().to_dict() == pytest.approx(
        {a.staff_id: a.pay for a in record.adults}
    )
    total = summary.iloc[-1]
    assert total["编号"] == "合计" and total["课时费（元）"] == pytest.approx(sum(a.pay for a in record.adults))
    touched = {str(term["teacher"]), str(term["leader"])} | {m.id for p in plans for m in p.moves if m.kind == "staff"}
    loads = {x.staff_id: x for x in plans[0].staff_load}
    untouched = [a for a in record.adults if a.staff_id not in touched]
    assert untouched
    for a in untouched:
        assert (a.periods, a.pay) == pytest.approx((loads[a.staff_id].periods_term, loads[a.staff_id].pay_term))


def test_issue17_staff_record_of_a_term_start_plan_is_its_pay_table(term) -> None:
    """One version only: every adult's term periods and pay are those of the plan's pay table (M3)."""
    v1 = cp.load_plan(Path(str(term["v1"])))
    record = build_staff_record(v1, Path(str(term["v1"])), "en")
    assert [s.version for s in record.spans] == [1] and record.weeks == 19
    got = {a.staff_id: (round(a.periods, 2), round(a.pay, 2)) for a in record.adults}
    assert got == {x.staff_id: (x.periods_term, x.pay_term) for x in v1.staff_load}
    assert not any(a.covers or a.absent_days for a in record.adults)


def _run(*argv: str) -> int:
    try:
        main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_issue17_staff_record_command_and_api_in_both_languages_never_overwriting(term, tmp_path: Path) -> None:
    """The command writes staff-record.html and .xlsx beside the plan by default; the API gives the same rows from
    the folder or the plan; an existing --out with files is refused (exit 2, UsageError) and left as it was."""
    v3 = Path(str(term["v3"]))
    teacher = str(term["teacher"])
    assert _run("staff-record", str(v3)) == 0
    default = v3.parent / "v3-staff-record"
    assert sorted(p.name for p in default.iterdir()) == ["staff-record.html", "staff-record.xlsx"]
    before = _hashes(default)
    assert _run("staff-record", str(v3), "--out", str(default), "--lang", "en") == 2
    with pytest.raises(UsageError):
        cp.staff_record(v3, out=default)
    assert _hashes(default) == before
    zh = (default / "staff-record.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in zh and "每周服务" in zh and "请假记录" in zh and "代课记录" in zh

    en_out = tmp_path / "en"
    df = cp.staff_record(v3, out=en_out, lang="en")
    assert list(df.columns[:5]) == ["Staff id", "Name", "Kind", "Week", "Dates"]
    mine = df[df["Staff id"] == teacher]
    assert mine["Days on leave"].sum() == 18 and mine["Notes"].str.contains("leave: 14 Oct to 16 Oct").any()
    en = (en_out / "staff-record.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in en and "Week by week" in en and "on leave from 14 Oct until 6 Nov" in en
    assert "每周服务" not in en and "请假" not in en
    pd.testing.assert_frame_equal(cp.staff_record(cp.load_plan(v3), lang="en"), df)  # the parents from plan.json
    summary = cp.staff_record(v3, summary=True)
    assert summary.iloc[-1]["编号"] == "合计" and len(summary) == len(df["Staff id"].unique()) + 1

    wb = load_workbook(en_out / "staff-record.xlsx", read_only=True)
    assert wb.sheetnames == ["Service by week", "Term summary"]
    week_rows = [r for r in wb["Service by week"].iter_rows(values_only=True) if r[0] == teacher]
    assert len(week_rows) == 19 and sum(r[df.columns.get_loc("Days on leave")] for r in week_rows) == 18
    assert _run("staff-record", str(tmp_path / "nothing"), "--out", str(tmp_path / "none")) == 2
    assert not (tmp_path / "none").exists()


def test_issue17_staff_record_prints_one_a4_page_per_adult(term, record, tmp_path: Path) -> None:
    """Printed by Chromium: A4 portrait, a CJK font embedded, one page per adult, each naming that adult only."""
    from cluster_planner.report.staff_record_page import write_staff_record

    out = tmp_path / "record"
    write_staff_record(record, out)
    printed = read_pdf(print_pdf(out / "staff-record.html", tmp_path / "staff-record.pdf"))
    assert printed.pages == len(record.adults)
    assert set(printed.sizes) == {A4_PORTRAIT} and printed.cjk_embedded, printed.embedded_fonts
    for adult, text in zip(record.adults, printed.texts, strict=True):
        named = [a.staff_id for a in record.adults if f"编号 {a.staff_id} " in text]
        assert named == [adult.staff_id], (adult.staff_id, text[:200])
        assert "课后服务教职工服务记录" in text and "本人签字" in text


def test_issue17_staff_record_flags_leave_days_the_plan_then_in_force_still_paid(term, tmp_path: Path) -> None:
    """A leave entered late (dated Monday 12 Oct, re-solved in force from Wednesday 14 Oct): Monday and Tuesday stay
    the term-start plan's, so the adult is both on leave and given work there; the record keeps the plan's periods
    and says so in the week's notes, for the office to check."""
    from cluster_planner.domain.entities import Change

    v1 = Path(str(term["v1"]))
    first = cp.load_plan(v1)
    days: dict[str, set[str]] = {}
    for g in first.groups:
        for p in g.staff_ids:
            days.setdefault(p, set()).add(g.day)
    worked_days = {p: set(d) for p, d in days.items()}  # meetings and duty posts: the days given work
    for d in first.duty_roster:
        worked_days.setdefault(d.staff_id, set()).add(d.day)
    teacher = sorted(p for p, d in days.items() if {"Mon", "Tue"} & d and p.startswith("T"))[0]
    leave = Change(change_id="L9", date=date(2026, 10, 12), until=date(2026, 10, 16), action="staff_leave", id=teacher)
    late = cp.resolve(v1, [leave], on=LEAVE, out=tmp_path / "late", reports=False)
    assert late.meta.valid_from == LEAVE.isoformat()
    record = build_staff_record(cp.load_plan(tmp_path / "late"), tmp_path / "late", "zh")
    week = weeks_of(record, teacher)[week_of(LEAVE)]
    worked = [d for d in (date(2026, 10, 12), date(2026, 10, 13)) if WEEKDAYS[d.weekday()] in worked_days[teacher]]
    assert week.worked_absent == tuple(worked) and len(week.absent) == 5
    assert week.periods > 0 and "请假日当时的方案仍排有课时" in week.notes
    assert not any(w.worked_absent for a in record.adults for w in a.weeks if a.staff_id != teacher)
