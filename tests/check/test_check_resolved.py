"""Re-solved plans (issue 12 item 4): the grade span (G3) and S7 for joiners bind on every version;
no plan.json key FORMAT.md does not give relaxes a rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PlanText, build_school

from cluster_planner.check import check_plan
from cluster_planner.domain import Change

G, A, U = "groups.csv", "assignments.csv", "unplaced.csv"
RESOLVED = {"version": 2, "parent_version": 1, "valid_from": "2026-10-12"}
S2_JOINS = (Change(date="2026-10-12", action="join", id="s2"),)


def resolved(plan: PlanText, folder: Path, meta: dict[str, object] = RESOLVED) -> Path:
    out = plan.write(folder)
    (out / "plan.json").write_text(json.dumps(meta), encoding="utf-8")
    return out


def s2_in_care_b(p: PlanText) -> PlanText:
    """s2 (class C1) at Mon-1 in CARE-B with classes C2/C3, while C1's CARE-A keeps s1 and s3 (room for one more)."""
    return (
        p.sub(A, "s2,Mon,Mon-1,CARE-A,", "s2,Mon,Mon-1,CARE-B,")
        .sub(G, "CARE-A,CARE,Mon,Mon-1,R101,,T1,3,3,C1", "CARE-A,CARE,Mon,Mon-1,R101,,T1,2,3,C1")
        .sub(G, "CARE-B,CARE,Mon,Mon-1,R102,,T2 T5,4,3-4,C2 C3", "CARE-B,CARE,Mon,Mon-1,R102,,T2 T5,5,3-4,C1 C2 C3")
    )


def s2_unplaced(p: PlanText) -> PlanText:
    """s2 unplaced at Mon-1 while C1's CARE-A keeps s1 and s3."""
    return (
        p.sub(A, "s2,Mon,Mon-1,CARE-A,", "")
        .add(U, "s2,Mon,Mon-1,joined late")
        .sub(G, "CARE-A,CARE,Mon,Mon-1,R101,,T1,3,3,C1", "CARE-A,CARE,Mon,Mon-1,R101,,T1,2,3,C1")
    )


def codes(found: list) -> set[tuple[str, str]]:
    return {(v.rule, v.code) for v in found}


def test_grade_span_binds_on_a_resolved_plan(tmp_path: Path, good_plan: PlanText) -> None:
    """G3: a care group mixing grades 3 and 4 with max_grade_span 0 breaks the span on version 2 too."""
    school = build_school(rules={"max_grade_span": 0, "merge_threshold": 2})
    found = codes(check_plan(school, resolved(good_plan, tmp_path / "v2")))
    assert ("G3", "grade_span") in found
    assert ("G3", "needless_grade_mix") not in found and ("G1", "big_class_merged") not in found  # term start only


def test_grade_span_honoured_on_a_resolved_plan(tmp_path: Path, good_plan: PlanText) -> None:
    assert check_plan(build_school(), resolved(good_plan, tmp_path / "v2")) == []


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (s2_in_care_b, "joiner_elsewhere"),  # placed in another class's care group
        (s2_unplaced, "joiner_unplaced"),  # left out
    ],
)
def test_joiner_with_room_in_the_class_group_breaks_s7(tmp_path: Path, good_plan: PlanText, edit, code: str) -> None:
    found = check_plan(build_school(changes=S2_JOINS), resolved(edit(good_plan), tmp_path / "v2"))
    assert ("S7", code) in codes(found), [str(v) for v in found]
    v = next(v for v in found if v.code == code)
    assert "s2" in v.message("en") and "CARE-A" in v.message("en") and "CARE-A" in v.message("zh")


def test_joiner_in_the_class_group_keeps_s7(tmp_path: Path, good_plan: PlanText) -> None:
    assert check_plan(build_school(changes=S2_JOINS), resolved(good_plan, tmp_path / "v2")) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"rules": {"ratio": 2}},  # CARE-A's one adult holds two (T4)
        {"rooms": {"R101": {"capacity": 2}}},  # CARE-A's room holds two (R1)
        {"rules": {"group_cap": 2}},  # the cap is two (G4)
    ],
)
def test_joiner_elsewhere_when_the_class_group_is_full_keeps_s7(tmp_path: Path, good_plan: PlanText, overrides) -> None:
    found = check_plan(build_school(changes=S2_JOINS, **overrides), resolved(s2_in_care_b(good_plan), tmp_path / "v2"))
    assert not {c for c in codes(found) if c[0] == "S7"}, [str(v) for v in found]


def test_pupil_who_did_not_join_may_sit_elsewhere(tmp_path: Path, good_plan: PlanText) -> None:
    """S7 for joiners is about joiners: without a join row, s2 in CARE-B is no S7 matter on a re-solved plan."""
    found = check_plan(build_school(), resolved(s2_in_care_b(good_plan), tmp_path / "v2"))
    assert not {c for c in codes(found) if c[0] == "S7"}


@pytest.mark.parametrize(
    "changes_csv",
    [
        "change_id,date,action,id\nc1,2026-10-12,join,s2\n",
        "变动编号,日期,变动,编号\nc1,2026-10-12,加入,s2\n",
    ],
)
def test_joiners_are_read_from_the_plans_snapshot(tmp_path: Path, good_plan: PlanText, changes_csv: str) -> None:
    """The joiners of a re-solved plan are in its snapshot's changes.csv even if the scenario given lacks them."""
    folder = resolved(s2_in_care_b(good_plan), tmp_path / "v2")
    (folder / "scenario").mkdir()
    (folder / "scenario" / "changes.csv").write_text(changes_csv, encoding="utf-8")
    assert ("S7", "joiner_elsewhere") in codes(check_plan(build_school(), folder))


def test_unreadable_snapshot_changes_is_said_and_the_check_goes_on(tmp_path: Path, good_plan: PlanText) -> None:
    folder = resolved(s2_in_care_b(good_plan), tmp_path / "v2")
    (folder / "scenario").mkdir()
    (folder / "scenario" / "changes.csv").write_text("date,what\n2026-10-12,join\n", encoding="utf-8")
    found = check_plan(build_school(changes=S2_JOINS), folder)
    assert {("F1", "snapshot_column"), ("S7", "joiner_elsewhere")} <= codes(found)
    v = next(v for v in found if v.code == "snapshot_column")
    assert "scenario/changes.csv" in v.message("en") and "'action'" in v.message("en")


@pytest.mark.parametrize(
    "flags",
    [
        {"relaxed": True, "skip_rules": ["G3", "S2", "S7"], "term_start": False},  # made-up switches
        {"status": "FEASIBLE", "greedy": True, "reproducible": "no"},  # what the solver says of itself
        {"resolve": True, "keep_groups": True, "minimal_moves": True},  # a re-solve's intentions
    ],
)
def test_no_plan_json_flag_relaxes_a_rule(tmp_path: Path, good_plan: PlanText, flags: dict[str, object]) -> None:
    """Only version / parent_version (term-start rules) and valid_from (leave, closures) are read from plan.json."""
    school = build_school(rules={"max_grade_span": 0}, changes=S2_JOINS, students={"s2": {"priority": "disabled"}})
    plan = s2_in_care_b(good_plan)
    plain = check_plan(school, resolved(plan, tmp_path / "plain"))
    flagged = check_plan(school, resolved(plan, tmp_path / "flagged", {**RESOLVED, **flags}))
    assert {"G3", "S7"} <= {v.rule for v in plain}
    assert flagged == plain
