"""Mid-term re-solves (issue #5): each "Done when" item, every result checked by the plan checker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from midterm_school import change, where

import cluster_planner as cp
from cluster_planner import rules
from cluster_planner.errors import ScenarioError, UsageError


def _student_moves(plan: cp.Plan) -> dict[str, str]:
    return {m.id: m.reason_code for m in plan.moves if m.kind == "student"}


def test_exit_frees_a_place_and_nobody_else_moves(v1: Path, resolved) -> None:
    """An exit without --fill-freed: only the leaver is listed; every other student stays put."""
    old = cp.load_plan(v1)
    leaver = next(a.student_id for a in old.assignments if a.group_id == "ART-1")
    res, out = resolved(v1, [change("exit", leaver, change_id="X1")])
    assert _student_moves(res.plan) == {leaver: "left"}
    assert not where(res.plan, leaver)
    others = {a.student_id for a in old.assignments} - {leaver}
    assert all(where(res.plan, s) == where(old, s) for s in others)
    assert res.scenario.student_by_id[leaver].status.value == "withdrawn"
    meta = json.loads((out / "plan.json").read_text("utf-8"))
    assert (meta["version"], meta["parent_version"], meta["changes_applied"]) == (2, 1, ["X1"])
    assert (out / "moves.csv").read_text("utf-8-sig").splitlines()[0].startswith("id,name,class,before,after,reason")


def test_join_lands_in_a_group_with_room_without_moving_others(v1: Path, resolved) -> None:
    """A grade-3 joiner wanting DRAW (4 of 10) gets it; nobody else is listed."""
    res, _ = resolved(v1, [change("join", "N1", class_id="301", name="新生", choice1="DRAW")])
    assert _student_moves(res.plan) == {"N1": "joined"}
    assert where(res.plan, "N1")["Tue-2"] == "DRAW-1"
    assert next(a.choice_rank for a in res.plan.assignments if a.student_id == "N1" and a.slot_id == "Tue-2") == 1
    assert not res.plan.unplaced


def test_join_into_a_full_class_care_group_takes_the_smallest_change(v1: Path, resolved) -> None:
    """Class 101's care groups are at the cap (20): the joiner goes to another grade-1 care group
    with room (103's), and no family already placed is moved."""
    old = cp.load_plan(v1)
    res, _ = resolved(v1, [change("join", "N2", class_id="101", name="插班生")])
    assert _student_moves(res.plan) == {"N2": "joined"}
    placed = where(res.plan, "N2")
    class_101 = {a.slot_id: a.group_id for a in old.assignments if a.student_id == "101-001"}
    class_103 = {a.slot_id: a.group_id for a in old.assignments if a.student_id == "103-001"}
    assert placed == class_103 and all(placed[s] != class_101[s] for s in placed)
    assert all(g.size <= 20 for g in res.plan.groups)


def test_join_with_every_care_group_full_opens_a_new_group(v1: Path, resolved) -> None:
    """Thirteen joiners of class 101: grade-1 groups fill to the cap (never a grade-3 group: G3),
    the rest get a new care group (a free room and adult exist); still nobody already placed moves."""
    rows = [change("join", f"N{k:02d}", class_id="101") for k in range(13)]
    res, _ = resolved(v1, rows)
    assert set(_student_moves(res.plan).values()) == {"joined"}
    new_groups = {g.group_id for g in res.plan.groups} - {g.group_id for g in cp.load_plan(v1).groups}
    assert new_groups and not res.plan.unplaced


def test_staff_leave_restaffs_only_their_groups(v1: Path, resolved) -> None:
    """A care teacher's leave: colleagues cover their meetings; another meeting changes adult only
    where its adult moved to cover one of them (the only one with the skill); no student moves."""
    old = cp.load_plan(v1)
    lead = {(g.group_id, g.slot_id): g.staff_ids for g in old.groups}
    teacher = lead[("CARE-G1-Mon-1-A", "Mon-1")][0]
    res, _ = resolved(v1, [change("staff_leave", teacher, until="2026-10-30")])
    new = {(g.group_id, g.slot_id): g.staff_ids for g in res.plan.groups}
    changed = {k for k in lead if lead[k] != new[k]}
    theirs = {k for k, v in lead.items() if teacher in v}
    assert changed >= theirs
    covering = {p for k in theirs for p in new[k]}
    for k in changed - theirs:  # a chain: its adult now covers one of the teacher's meetings at that slot
        assert set(lead[k]) & {p for t in theirs if t[1] == k[1] for p in new[t]}, k
    assert covering and len(changed - theirs) <= len(theirs)
    assert all(teacher not in v for v in new.values())
    assert not _student_moves(res.plan)
    assert res.plan.meta.valid_until == "2026-10-30"
    assert {m.id: m.reason_code for m in res.plan.moves if m.kind == "staff"}[teacher] == "on_leave"


def test_staff_leave_without_a_free_substitute_swaps_one_adult(v1: Path, resolved) -> None:
    """ART's teacher is away. When every other art teacher is busy at Tue-2, the one in a care group
    takes ART and a free colleague takes that care group (two meetings change); when one is free (the
    term-start staffing decides), it takes ART and nothing else changes. No student moves."""
    old = cp.load_plan(v1)
    lead = {(g.group_id, g.slot_id): g.staff_ids for g in old.groups}
    art_lead = lead[("ART-1", "Tue-2")][0]
    res, _ = resolved(v1, [change("staff_leave", art_lead)])
    new = {(g.group_id, g.slot_id): g.staff_ids for g in res.plan.groups}
    changed = {k for k in lead if lead[k] != new[k]}
    theirs = {k for k, v in lead.items() if art_lead in v}  # ART-1, and any care group they led
    assert ("ART-1", "Tue-2") in theirs <= changed
    sc = old.require_scenario()
    art = sc.activity_by_id["ART"]
    busy = {p for (_, slot_id), v in lead.items() if slot_id == "Tue-2" for p in v}
    free = [
        p.staff_id
        for p in sc.staff
        if p.staff_id != art_lead and p.staff_id not in busy and rules.may_lead(p, art, sc.slot_by_id["Tue-2"])
    ]
    # no art teacher free then: the one in a care group swaps with a free colleague; else nothing else moves
    assert len(changed - theirs) == (0 if free else 1)
    assert new[("ART-1", "Tue-2")][0].startswith("A")
    assert not _student_moves(res.plan)


def test_room_closure_moves_only_its_groups(v1: Path, resolved) -> None:
    old = cp.load_plan(v1)
    room = old.groups[0].room_id
    res, _ = resolved(v1, [change("room_closed", room)])
    before = {(g.group_id, g.slot_id): g.room_id for g in old.groups}
    after = {(g.group_id, g.slot_id): g.room_id for g in res.plan.groups}
    assert set(after) == set(before)
    assert {k for k in before if before[k] != after[k]} == {k for k, r in before.items() if r == room}
    assert room not in after.values()
    assert not _student_moves(res.plan)
    assert {m.id for m in res.plan.moves if m.kind == "group"} == {k[0] for k, r in before.items() if r == room}


def test_fill_freed_upgrades_a_student_who_ranked_the_activity_higher(v1: Path, resolved) -> None:
    """ART is full (10) and four got DRAW (their choice 2): an ART leaver's place goes to one of them
    with --fill-freed, listed as upgraded to choice 1; without it nobody moves."""
    old = cp.load_plan(v1)
    leaver = next(a.student_id for a in old.assignments if a.group_id == "ART-1")
    plain, _ = resolved(v1, [change("exit", leaver)])
    assert _student_moves(plain.plan) == {leaver: "left"}
    res, _ = resolved(v1, [change("exit", leaver)], fill_freed=True)
    moves = _student_moves(res.plan)
    upgraded = [s for s, code in moves.items() if code == "upgraded"]
    assert len(upgraded) == 1 and where(old, upgraded[0])["Tue-2"] == "DRAW-1"
    assert where(res.plan, upgraded[0])["Tue-2"] == "ART-1"
    assert next(m.reason for m in res.plan.moves if m.id == upgraded[0]) in ("调入第1志愿", "upgraded to choice 1")


def test_rows_already_applied_are_skipped_and_history_accumulates(v1: Path, resolved, tmp_path: Path) -> None:
    """An office appends to one changes file: earlier rows (by id, or identical content) are skipped."""
    first = tmp_path / "changes.csv"
    first.write_text(
        "change_id,date,action,id,class_id,choice1\nC1,2026-10-12,join,N1,301,DRAW\n,2026-10-12,exit,103-001,,\n",
        encoding="utf-8",
    )
    res, v2 = resolved(v1, first)
    assert len(res.applied) == 2
    with first.open("a", encoding="utf-8") as fh:
        fh.write("C3,2026-10-19,exit,103-002,,\n")
    res3, v3 = resolved(v2, first)
    assert [c.action.value for c in res3.applied] == ["exit"] and len(res3.skipped) == 2
    assert res3.plan.meta.valid_from == "2026-10-19"
    assert len(cp.load(v3 / "scenario").changes) == 3
    with pytest.raises(UsageError):
        resolved(v3, first)


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("C9,2026-10-12,exit,NOBODY", "id"),  # an exit of a student who is not listed
        ("C9,2026-10-12,staff_leave,NOBODY", "id"),  # leave of an unknown staff member
        ("C9,2026-10-12,room_closed,NOWHERE", "id"),  # an unknown room
    ],
)
def test_unknown_id_is_an_error_with_its_row(v1: Path, tmp_path: Path, row: str, column: str) -> None:
    path = tmp_path / "my-changes.csv"
    path.write_text("change_id,date,action,id\nC1,2026-10-12,exit,101-001\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        cp.resolve(v1, path, out=tmp_path / "never", reports=False)
    finding = info.value.findings[0]
    assert (finding.file, finding.row, finding.column) == ("my-changes.csv", 3, column)
    assert not (tmp_path / "never").exists()


def test_resolve_refuses_to_write_over_the_earlier_plan(v1: Path) -> None:
    with pytest.raises(UsageError):
        cp.resolve(v1, [change("exit", "101-001")], out=v1, reports=False)


def test_leave_with_until_ends_by_itself_and_the_groups_come_back(v1: Path, resolved) -> None:
    """A leave through the 16th: a re-solve from the 19th (for an unrelated join) gives the
    teacher their meetings back from whoever covered; nothing else changes for them."""
    old = cp.load_plan(v1)
    lead = {(g.group_id, g.slot_id): g.staff_ids for g in old.groups}
    teacher = lead[("CARE-G1-Mon-1-A", "Mon-1")][0]
    _, v2 = resolved(v1, [change("staff_leave", teacher, until="2026-10-16")])
    res, _ = resolved(v2, [change("join", "N9", date="2026-10-19", class_id="301", choice1="DRAW")])
    back = {(g.group_id, g.slot_id): g.staff_ids for g in res.plan.groups}
    assert {k for k, v in lead.items() if teacher in v} == {k for k, v in back.items() if teacher in v}
    assert {m.id: m.reason_code for m in res.plan.moves if m.kind == "staff"}[teacher] == "returned"
    assert res.plan.meta.valid_until is None


def test_join_into_a_class_whose_class_activity_group_is_full(tmp_path: Path, resolved) -> None:
    """Regression (session 2): a joiner of class 101, whose class activity READ (cap 20) is full at
    Mon-2, is listed as unplaced there with the reason — not put over the cap (G4) nor into a care
    group while the class meets (S7); at the other slot they join care; nobody else moves."""
    from builders import Activity, HomeClass, care_activity, classrooms, scenario, school, slots, students_of, teachers
    from midterm_school import SETTINGS, checked

    from cluster_planner.solver import solve_scenario

    s = scenario(
        school=school(group_cap=20, merge_threshold=20),
        timeslots=slots(days=("Mon",)),
        classes=[HomeClass(class_id="101", grade=1)],
        students=students_of("101", 20),
        activities=[
            care_activity(),
            Activity(activity_id="READ", name="共读", kind="reading", mode="class", grades="1", slots="Mon-2"),
        ],
        staff=teachers(3),
        rooms=classrooms(3),
    )
    v1 = tmp_path / "v1"
    cp.save(solve_scenario(s, SETTINGS).plan, v1, scenario=s, reports=False)
    checked(s, v1)
    res, _ = resolved(v1, [change("join", "N9", class_id="101", name="插班生")])
    assert _student_moves(res.plan) == {"N9": "joined"}
    assert [(u.student_id, u.slot_id) for u in res.plan.unplaced] == [("N9", "Mon-2")]
    assert "Mon-1" in where(res.plan, "N9")
    assert all(g.size <= 20 for g in res.plan.groups)


def test_a_cancelled_budget_writes_nothing(v1: Path, tmp_path: Path) -> None:
    """The command's budget reaches the repair: cancelled, it raises and no new folder appears."""
    from cluster_planner.budget import Budget, Cancelled
    from cluster_planner.midterm import resolve_plan

    budget = Budget(60)
    budget.cancel()
    with pytest.raises(Cancelled):
        resolve_plan(v1, [change("join", "N1", class_id="301")], out=tmp_path / "v2", reports=False, budget=budget)
    assert not (tmp_path / "v2").exists()
