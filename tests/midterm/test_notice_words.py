"""Issue 14 item 6: the change notices (变动通知, moves.csv) say in words what changes for whom.

One real re-solve of the tiny school with a join, an exit, a student's own change of days, an
adult's leave and a closed room: before and after name activities, days, clock times, rooms and
adults, never an id; "before" is the student's whole earlier week when their own data changed.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from midterm_school import change

import cluster_planner as cp
from cluster_planner.midterm import Resolution
from cluster_planner.plan.model import Move
from cluster_planner.plan.notice_words import NoticeWords

LATIN = re.compile(r"[A-Za-z]")
"""The tiny school names everything in Chinese: any Latin letter in a notice is an id leaking."""


@pytest.fixture
def notices(v1: Path, resolved) -> tuple[cp.Plan, Resolution, Path, dict[str, str]]:
    """The term-start plan, the re-solve of five rows, its folder, and who was picked for what."""
    old = cp.load_plan(v1)
    art = next(g for g in old.groups if g.group_id == "ART-1")
    chooser = next(a.student_id for a in old.assignments if a.group_id == "ART-1")
    leaver = next(a.student_id for a in old.assignments if a.group_id == "DRAW-1")
    care_room = next(g.room_id for g in old.groups if g.group_id.startswith("CARE-G1") and g.room_id != art.room_id)
    picked = {"adult": art.staff_ids[0], "room": care_room, "changed": chooser, "leaver": leaver}
    rows = [
        change("join", "N1", class_id="301", name="新同学", choice1="DRAW", change_id="J"),
        change("exit", leaver, change_id="X"),
        change("change", chooser, days="Mon", change_id="C"),
        change("staff_leave", picked["adult"], until="2026-10-30", change_id="L"),
        change("room_closed", care_room, until="2026-10-20", change_id="R"),
    ]
    res, out = resolved(v1, rows)
    return old, res, out, picked


def _by_id(res: Resolution) -> dict[str, Move]:
    return {m.id: m for m in res.plan.moves}


def test_notices_name_no_ids(notices) -> None:
    """Item 6: no before, after, reason or name holds an id (CARE-G1-Mon-1-A, Tue-2, R01, T01…)."""
    _, res, out, _ = notices
    assert {m.kind for m in res.plan.moves} == {"student", "staff", "group"}
    for m in res.plan.moves:
        for text in (m.name, m.before, m.after, m.reason):
            assert not LATIN.search(text), f"{m.id}: id-like text in {text!r}"
    with (out / "moves.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:6] == ["id", "name", "class", "before", "after", "reason"]
    assert all(not LATIN.search(r[c]) for r in rows for c in ("before", "after", "reason"))


def _names(old: cp.Plan, scenario: cp.Scenario, student: str) -> list[tuple[str, str, str]]:
    """(day word, activity name, room name) of each meeting a student had in ``old``."""
    groups = {(g.group_id, g.slot_id): g for g in old.groups}
    days = {"Mon": "周一", "Tue": "周二"}
    out = []
    for a in old.assignments:
        if a.student_id == student:
            g = groups[(a.group_id, a.slot_id)]
            activity = scenario.activity_by_id[g.activity_id].name
            out.append((days[g.day], activity, scenario.room_by_id[g.room_id].name))
    return out


def test_before_is_the_whole_earlier_week_of_a_student_who_changed(notices) -> None:
    """Item 6 regression: a student who attended two days and kept one is told both days before
    (not "原安排: 无"), and that the dropped day has no service after."""
    old, res, _, picked = notices
    m = _by_id(res)[picked["changed"]]
    assert m.reason_code == "changed"
    for day, activity, room in _names(old, res.scenario, picked["changed"]):
        assert day in m.before and activity in m.before and room in m.before
    assert m.before != "无" and "周二 不参加课后服务" in m.after
    assert "周一" in m.after


def test_join_and_exit_in_words(notices) -> None:
    """A joiner was not in the service before and is told their new week; a leaver is told their
    earlier week and that the service ends."""
    old, res, _, picked = notices
    moves = _by_id(res)
    joiner, leaver = moves["N1"], moves[picked["leaver"]]
    assert joiner.before == "未参加课后服务" and "绘画" in joiner.after and "周二" in joiner.after
    assert leaver.after == "不再参加课后服务"
    for day, activity, room in _names(old, res.scenario, picked["leaver"]):
        assert day in leaver.before and activity in leaver.before and room in leaver.before


def test_leave_and_closed_room_in_words(notices) -> None:
    """The adult away is told the meetings they leave, by activity, time and room; a group whose
    room closed is told its old and new room by name, and why."""
    _, res, _, picked = notices
    moves = _by_id(res)
    sc = res.scenario
    adult = moves[picked["adult"]]
    assert adult.reason == "请假" and "美术" in adult.before and "16:50–17:40" in adult.before
    closed = sc.room_by_id[picked["room"]].name
    groups = [m for m in res.plan.moves if m.kind == "group"]
    assert groups and all(closed in m.before and closed not in m.after for m in groups)
    assert all(m.reason == f"因{closed}关闭，更换场地" for m in groups)
    assert all(m.name == "托管" for m in groups)


def test_times_follow_the_season_in_force() -> None:
    """The clock times of a notice are the season's in force on the day the change takes effect (H3)."""
    from builders import scenario

    from cluster_planner.domain import School, Timeslot

    slot = Timeslot(
        slot_id="Mon-1", day="Mon", start="15:50", end="16:40", summer_start="16:00", summer_end="16:50", kind="care"
    )
    summer = School(name="测试小学", season="summer", season_switch="2026-10-08", term_start="2026-09-07")
    s = scenario(school=summer, timeslots=[slot])
    assert NoticeWords.of(s, s, "2026-09-14", "zh").slot_time("Mon-1") == "16:00–16:50"
    assert NoticeWords.of(s, s, "2026-10-12", "zh").slot_time("Mon-1") == "15:50–16:40"
    assert NoticeWords.of(s, s, "2026-10-12", "en").day("Mon") == "Mon"


def test_the_reports_change_sheet_says_it_in_words(notices, tmp_path: Path) -> None:
    """The report's 变动通知 sheet shows the same words: no id in before, after or reason."""
    from openpyxl import load_workbook

    from cluster_planner.report import write_reports

    _, res, _, _ = notices
    write_reports(res.scenario, res.plan, tmp_path, lang="zh")
    rows = list(load_workbook(tmp_path / "report.xlsx")["变动通知"].iter_rows(values_only=True))
    header = list(rows[1])
    columns = [header.index(name) for name in ("调整前", "调整后", "原因")]
    body = [r for r in rows[2:] if r[0]]
    assert len(body) == len(res.plan.moves)
    assert all(not LATIN.search(str(r[c] or "")) for r in body for c in columns)
