"""``cluster-planner check``: exit 0 for a good plan, 1 for a broken one, 2 for a bad scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PlanText, build_school

from cluster_planner.cli import cli
from cluster_planner.errors import ScenarioError
from cluster_planner.findings import Finding, Severity
from cluster_planner.io import loader

#: The small school of conftest.py as the files an office keeps (for the real loader).
SCENARIO_FILES = {
    "school.toml": """\
name = "小学"
term_start = 2026-09-07
term_end = 2026-12-25
language = "en"

[rules]
group_cap = 5
merge_threshold = 3
ratio = 3
max_grade_span = 1
""",
    "timeslots.csv": """\
slot_id,day,start,end,kind
Mon-1,Mon,15:30,16:30,care
Mon-2,Mon,16:40,17:30,club
Tue-1,Tue,15:30,16:30,care
Tue-2,Tue,16:40,17:30,club
""",
    "classes.csv": "class_id,grade\nC1,3\nC2,3\nC3,4\n",
    "students.csv": """\
student_id,class_id,status,days,choice1,choice2
s1,C1,approved,,FOOT,ART
s2,C1,approved,,ART,
s3,C1,approved,,FOOT,
s4,C2,approved,,ART,FOOT
s5,C2,approved,,,
s6,C3,approved,,FOOT,
s7,C3,approved,Mon,ART,
s8,C3,pending,,FOOT,
""",
    "activities.csv": """\
activity_id,kind,mode,grades,slots,sessions_per_week,skill,room_type,outdoor
CARE,care,choice,1-6,,1,care,classroom,no
FOOT,sport,choice,3-6,Tue-2,1,football,field,yes
ART,art,choice,3-4,,2,art,art,no
READ,reading,class,4,Mon-2,1,reading,classroom,no
""",
    "staff.csv": """\
staff_id,kind,skills,available,max_periods_week,max_periods_day,background_check
T1,teacher,care chinese,,10,2,
T2,teacher,care math,,,,
T3,teacher,art,,,,
T4,external,football,Tue,,,yes
T5,teacher,reading care,,,,
L1,leader,,,,,
G1,security,,,,,yes
X1,external,football care,,,,
S2,security,,,,,no
""",
    "rooms.csv": """\
room_id,type,capacity,outdoor,available,max_groups
R101,classroom,5,no,,1
R102,classroom,5,no,,1
R103,classroom,5,no,,1
ART1,art,5,no,,1
FIELD,field,20,yes,,2
GYM,gym,10,no,,1
""",
    "duties.csv": "day,slot_id,post,count,kind,periods\nMon,,leader_on_duty,1,leader,1\nTue,Tue-2,gate,1,security,2\n",
    "locks.csv": "student_id,activity_id\ns3,FOOT\n",
}


def broken(plan: PlanText) -> PlanText:
    """The good plan with one student × slot dropped (S1) and a size cell left stale (G4)."""
    return plan.sub("assignments.csv", "s5,Tue,Tue-2,CARE-B,", "")


@pytest.fixture
def fake_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """``load_scenario`` returns the small school, whatever the path."""
    monkeypatch.setattr(loader, "load_scenario", lambda path: build_school())


@pytest.mark.usefixtures("fake_loader")
def test_good_plan_exits_0(tmp_path: Path, good_plan: PlanText) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path), str(good_plan.write(tmp_path / "plan")), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "keeps every rule" in result.output


@pytest.mark.usefixtures("fake_loader")
def test_broken_plan_exits_1_and_names_each_violation(tmp_path: Path, good_plan: PlanText) -> None:
    plan = broken(good_plan).write(tmp_path / "plan")
    result = CliRunner().invoke(cli, ["check", str(tmp_path), str(plan), "--lang", "en"])
    assert result.exit_code == 1
    assert (
        "student s5 is neither placed nor listed as unplaced at Tue-2; each service slot should be in "
        "assignments.csv or unplaced.csv once (S1)"
    ) in result.output
    assert "(G4)" in result.output


@pytest.mark.usefixtures("fake_loader")
def test_json_and_chinese(tmp_path: Path, good_plan: PlanText) -> None:
    plan = broken(good_plan).write(tmp_path / "plan")
    result = CliRunner().invoke(cli, ["check", str(tmp_path), str(plan), "--json", "--lang", "zh"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False
    assert {v["rule"] for v in data["violations"]} == {"S1", "G4"}
    assert any("既未安排" in v["message"] for v in data["violations"])


def test_bad_scenario_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, good_plan: PlanText) -> None:
    def refuse(path: Path) -> None:
        raise ScenarioError([Finding(Severity.ERROR, "finding.error", file="students.csv", row=3)])

    monkeypatch.setattr(loader, "load_scenario", refuse)
    result = CliRunner().invoke(cli, ["check", str(tmp_path), str(good_plan.write(tmp_path / "plan"))])
    assert result.exit_code == 2
    assert "students.csv 第3行" in result.output  # no school named: Chinese (issue 14 item 8)


def test_missing_plan_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path), str(tmp_path / "nowhere")])
    assert result.exit_code == 2


def test_with_the_real_loader(tmp_path: Path, good_plan: PlanText) -> None:
    """End to end: the scenario folder read by ``load_scenario``, the plan by the checker."""
    scenario = tmp_path / "scenario"
    scenario.mkdir()
    for name, text in SCENARIO_FILES.items():
        (scenario / name).write_text(text, encoding="utf-8")
    runner = CliRunner()
    good = runner.invoke(cli, ["check", str(scenario), str(good_plan.write(tmp_path / "good"))])
    assert good.exit_code == 0, good.output
    bad = runner.invoke(cli, ["check", str(scenario), str(broken(good_plan).write(tmp_path / "bad"))])
    assert bad.exit_code == 1, bad.output
    assert "(S1)" in bad.output  # the school's language (en) is the default


@pytest.mark.usefixtures("fake_loader")
def test_entry_point_exit_codes(tmp_path: Path, good_plan: PlanText) -> None:
    """The installed ``cluster-planner`` entry point passes the check's exit code on (FORMAT.md: 1 = breaks a rule)."""
    from cluster_planner.cli import main

    for plan, code in ((good_plan, 0), (broken(good_plan), 1)):
        with pytest.raises(SystemExit) as exit_info:
            main(["check", str(tmp_path), str(plan.write(tmp_path / f"plan{code}")), "--lang", "en"])
        assert exit_info.value.code == code


def no_size_column(p: PlanText) -> PlanText:
    return PlanText({**p.files, "groups.csv": p.files["groups.csv"].replace(",size", ",sizes", 1)})


def rank_in_words(p: PlanText) -> PlanText:
    return p.sub("assignments.csv", "s2,Mon,Mon-2,ART-1,1", "s2,Mon,Mon-2,ART-1,first")


@pytest.mark.usefixtures("fake_loader")
@pytest.mark.parametrize(
    ("edit", "code", "words"),
    [
        (lambda p: p.drop_file("unplaced.csv"), 2, "plan file unplaced.csv is missing"),  # F1: bad input
        (no_size_column, 2, "groups.csv lacks column 'size'"),  # F1: bad input
        (rank_in_words, 1, "assignments.csv row 12, column 'choice_rank'"),  # F2: a rule of a plan that was read
    ],
)
def test_issue14_unreadable_plan_exits_2_and_bad_cells_exit_1(
    tmp_path: Path, good_plan: PlanText, edit, code: int, words: str
) -> None:
    """A folder that cannot be read as a plan is bad input (exit 2); a bad cell of a read plan breaks a rule (1)."""
    plan = edit(good_plan).write(tmp_path / "plan")
    result = CliRunner().invoke(cli, ["check", str(tmp_path), str(plan), "--lang", "en"])
    assert result.exit_code == code, result.output
    assert words in result.output
    assert ("no rule was checked" in result.output) == (code == 2)
