"""check_plan on whole plans: a good hand-made plan passes however it is spelled; the rules
that bind only at term start are skipped for a re-solved plan; messages read as sentences."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import PlanText, build_school

from cluster_planner.check import Violation, check_plan
from cluster_planner.domain import Lock, Scenario


def test_good_plan_keeps_every_rule(tmp_path: Path, small_school: Scenario, good_plan: PlanText) -> None:
    assert check_plan(small_school, good_plan.write(tmp_path)) == []


def test_excel_spelling_is_read(tmp_path: Path, small_school: Scenario, good_plan: PlanText) -> None:
    """BOM, CRLF, Chinese days, 、/；-separated lists, header case and extra columns are all fine."""
    files = {}
    for name, text in good_plan.files.items():
        text = text.replace(",Mon,", ",周一,").replace(",Tue,", ",星期二,").replace("T2 T5", "T2、T5")
        text = text.replace("C1 C2", "C1；C2").replace("C2 C3", '"C2,C3"').replace("C1 C3", '"C1 , C3"')
        lines = text.splitlines()
        lines[0] = lines[0].upper().replace(",", " , ") + ",note"
        files[name] = "\r\n".join([lines[0], *(f"{line},备注" for line in lines[1:])]) + "\r\n"
    files["duty_roster.csv"] = files["duty_roster.csv"].replace("Mon,", "周一,", 1)
    folder = PlanText(files).write(tmp_path, encoding="utf-8-sig")
    assert check_plan(small_school, folder) == []


def test_gb18030_plan_is_read(tmp_path: Path, small_school: Scenario, good_plan: PlanText) -> None:
    files = {n: t.replace(",Mon,", ",周一,") for n, t in good_plan.files.items()}
    assert check_plan(small_school, PlanText(files).write(tmp_path, encoding="gb18030")) == []


def test_explained_unplacement_is_fine(tmp_path: Path, small_school: Scenario, good_plan: PlanText) -> None:
    """S1: a student × slot listed in unplaced.csv with a reason (and its empty group gone) is allowed."""
    plan = (
        good_plan.sub("assignments.csv", "s5,Tue,Tue-2,CARE-B,", "")
        .add("unplaced.csv", "s5,Tue,Tue-2,没有空余场地 (no room)")
        .sub("groups.csv", "CARE-B,CARE,Tue,Tue-2,R102,,T2,1,3,C2", "")
        .sub("staff_load.csv", "T2,3,48,1920", "T2,2,32,1280")
    )
    assert check_plan(small_school, plan.write(tmp_path)) == []


def test_lock_explained_by_unplaced_row(tmp_path: Path, good_plan: PlanText) -> None:
    """L1: a lock the plan cannot keep is fine when the student is listed as unplaced with a reason."""
    school = build_school(locks=(Lock(student_id="s5", activity_id="FOOT"),))
    plan = (
        good_plan.sub("assignments.csv", "s5,Tue,Tue-2,CARE-B,", "")
        .add("unplaced.csv", "s5,Tue,Tue-2,FOOT is full (locked)")
        .sub("groups.csv", "CARE-B,CARE,Tue,Tue-2,R102,,T2,1,3,C2", "")
        .sub("staff_load.csv", "T2,3,48,1920", "T2,2,32,1280")
    )
    assert [v.rule for v in check_plan(school, plan.write(tmp_path))] == []


def test_term_start_rules_skip_a_resolved_plan(tmp_path: Path, good_plan: PlanText) -> None:
    """G1–G3 and min_size bind at term start only (plan.json version 1 or missing)."""
    school = build_school(rules={"merge_threshold": 2}, activities={"FOOT": {"min_size": 4}})
    plan = good_plan.write(tmp_path)
    at_start = {v.rule for v in check_plan(school, plan)}
    assert {"G1", "G3", "G5"} <= at_start
    (plan / "plan.json").write_text(json.dumps({"version": 2, "parent_version": 1}), encoding="utf-8")
    assert check_plan(school, plan) == []
    (plan / "plan.json").write_text(json.dumps({"version": 1}), encoding="utf-8")
    assert {v.rule for v in check_plan(school, plan)} == at_start


def test_unreadable_plan_json_is_reported(tmp_path: Path, small_school: Scenario, good_plan: PlanText) -> None:
    plan = good_plan.write(tmp_path)
    (plan / "plan.json").write_text("{not json", encoding="utf-8")
    found = check_plan(small_school, plan)
    assert [(v.rule, v.code) for v in found] == [("F1", "json_invalid")]
    assert found[0].message("en") == "plan.json is not valid JSON at line 1, column 2; expected a JSON object (F1)"


def test_missing_files_stop_the_check(tmp_path: Path, small_school: Scenario) -> None:
    """F1: an empty folder names each missing file and nothing else."""
    found = check_plan(small_school, tmp_path)
    assert {v.code for v in found} == {"file_missing"}
    assert len(found) == 5


def test_violation_reads_as_a_sentence() -> None:
    v = Violation(
        "G4", "group_too_large", ("FOOT-1", "Tue-2"), {"group": "FOOT-1", "slot": "Tue-2", "size": 47, "cap": 45}
    )
    assert v.message("en") == "group FOOT-1 on Tue-2 has 47 students; at most 45 allowed (G4)"
    assert v.message("zh") == "组 FOOT-1 在 Tue-2 有 47 名学生；最多 45 名（G4）"
    assert str(v) == v.message("en")
    assert v.to_dict("en")["ids"] == ["FOOT-1", "Tue-2"]
    assert hash(v) == hash(Violation("G4", "group_too_large", ("FOOT-1", "Tue-2"), {}))


def test_report_order_is_stable(tmp_path: Path, good_plan: PlanText) -> None:
    """Violations come sorted by rule family, the same on every run."""
    school = build_school(rules={"group_cap": 3, "max_grade_span": 0})
    plan = good_plan.sub("staff_load.csv", "T1,3,48,1920", "").write(tmp_path)
    first = check_plan(school, plan)
    assert [v.rule for v in first] == ["G4", "G3", "G3", "M3"]
    assert first == check_plan(school, plan)
