"""Issue 17 item 4 (M3): the checker recomputes each adult's term periods and pay from the plan's groups and duties
over the term's service dates (holidays out), with the afternoon cap of 003, and fails an edited figure.

The small school's term is 16 weeks (16 Mondays, 16 Tuesdays); its hand-made plan's staff_load.csv is honest:
T1 3 periods a week (two on Monday afternoon) × 16 × 40 = 1920, T4 (external, 60) 16 × 60 = 960, L1's all-day
duty 16 × 40 = 640, G1's gate duty at Tue-2 (2 periods) 32 × 30 = 960.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner
from conftest import PlanText, build_school

from cluster_planner.check import check_plan
from cluster_planner.cli import cli
from cluster_planner.io import loader


def pay_findings(scenario, plan: PlanText, folder: Path) -> list[tuple[str, tuple[str, ...]]]:
    return [(v.code, v.ids) for v in check_plan(scenario, plan.write(folder)) if v.rule == "M3"]


def test_issue17_m3_the_honest_plan_passes(tmp_path: Path, good_plan: PlanText) -> None:
    assert check_plan(build_school(), good_plan.write(tmp_path / "plan")) == []


def test_issue17_m3_an_edited_pay_figure_fails_naming_the_adult(tmp_path: Path, good_plan: PlanText) -> None:
    edited = good_plan.sub("staff_load.csv", "T4,1,16,960", "T4,1,16,1960")
    [violation] = check_plan(build_school(), edited.write(tmp_path / "plan"))
    assert (violation.rule, violation.code, violation.ids) == ("M3", "pay_mismatch", ("T4",))
    assert violation.message("en") == (
        "staff_load.csv says T4 is paid 1960 yuan for the term; recomputed from the plan's groups and duties, "
        "16 paid periods × 60 yuan = 960 yuan, so it should say 960 (M3)"
    )
    assert "T4" in violation.message("zh") and "应为 960" in violation.message("zh")


def test_issue17_m3_an_edited_term_periods_figure_fails(tmp_path: Path, good_plan: PlanText) -> None:
    edited = good_plan.sub("staff_load.csv", "T3,2,32,1280", "T3,2,30,1280")
    assert pay_findings(build_school(), edited, tmp_path / "plan") == [("periods_term_mismatch", ("T3",))]


def test_issue17_m3_a_blank_pay_reads_zero(tmp_path: Path, good_plan: PlanText) -> None:
    edited = good_plan.sub("staff_load.csv", "L1,1,16,640", "L1,1,16,")
    assert pay_findings(build_school(), edited, tmp_path / "plan") == [("pay_mismatch", ("L1",))]


def test_issue17_m3_afternoon_cap_of_003(tmp_path: Path, good_plan: PlanText) -> None:
    """With at most 1 afternoon period paid a day: T1 and T5 (two Monday periods), T2 (two on Tuesday) and G1 (a
    2-period gate duty at the Tuesday club slot) are paid one a day; the plan's figures fail, the capped ones pass.
    Periods worked stay as they were (the cap bounds pay, not work)."""
    school = build_school()
    pay = school.school.pay.model_copy(update={"afternoon_period_cap": 1.0})
    capped = school.model_copy(update={"school": school.school.model_copy(update={"pay": pay})})
    found = pay_findings(capped, good_plan, tmp_path / "a")
    assert sorted(found) == [("pay_mismatch", (sid,)) for sid in ("G1", "T1", "T2", "T5")]
    fixed = good_plan
    for old, new in (
        ("T1,3,48,1920", "T1,3,48,1280"),  # Mon 1 + Tue 1, × 16 × 40
        ("T2,3,48,1920", "T2,3,48,1280"),  # Mon 1 + Tue 1
        ("T5,2,32,1280", "T5,2,32,640"),  # Mon 1
        ("G1,2,32,960", "G1,2,32,480"),  # Tue 1 × 16 × 30
    ):
        fixed = fixed.sub("staff_load.csv", old, new)
    assert pay_findings(capped, fixed, tmp_path / "b") == []


def test_issue17_m3_holidays_are_out(tmp_path: Path, good_plan: PlanText) -> None:
    """A Monday holiday: 15 Mondays. L1's Monday duty pays 15 × 40 = 600, T1 (2 Monday periods, 1 Tuesday)
    works 2 × 15 + 16 = 46 periods for 1840; T4 (Tuesdays only) is unchanged."""
    school = build_school()
    school = school.model_copy(update={"school": school.school.model_copy(update={"holidays": (date(2026, 10, 5),)})})
    found = pay_findings(school, good_plan, tmp_path / "a")
    assert ("pay_mismatch", ("L1",)) in found and ("periods_term_mismatch", ("T1",)) in found
    assert not [ids for _, ids in found if ids == ("T4",)]
    fixed = good_plan
    for old, new in (
        ("L1,1,16,640", "L1,1,15,600"),
        ("T1,3,48,1920", "T1,3,46,1840"),
        ("T2,3,48,1920", "T2,3,47,1880"),
        ("T3,2,32,1280", "T3,2,31,1240"),
        ("T5,2,32,1280", "T5,2,30,1200"),
    ):
        fixed = fixed.sub("staff_load.csv", old, new)
    assert pay_findings(school, fixed, tmp_path / "b") == []


def test_issue17_m3_check_command_exits_1_on_an_edited_pay(tmp_path: Path, good_plan: PlanText, monkeypatch) -> None:
    monkeypatch.setattr(loader, "load_scenario", lambda path: build_school())
    edited = good_plan.sub("staff_load.csv", "G1,2,32,960", "G1,2,32,1200").write(tmp_path / "plan")
    result = CliRunner().invoke(cli, ["check", str(tmp_path), str(edited), "--lang", "zh"])
    assert result.exit_code == 1, result.output
    assert "G1" in result.output and "1200" in result.output and "应为 960" in result.output
