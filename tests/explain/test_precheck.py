"""Counting pre-checks: one warning with the numbers per shortfall, none where nothing is short."""

from __future__ import annotations

import explain_cases as cases
import pytest

from cluster_planner.explain.precheck import certain, precheck
from cluster_planner.io.loader import load_scenario


@pytest.mark.parametrize(
    ("build", "code", "numbers"),
    [
        (cases.no_cleared_football_coach, "precheck.uncleared_holder", ["E01", "football"]),
        (cases.two_outdoor_groups_one_indoor_room, "precheck.rain_short", ["Tue-2", "2 outdoor groups", "1 indoor"]),
        (cases.duty_nobody_may_hold, "precheck.duty_short", ["gate", "1 security", "0 cleared"]),
        (cases.priority_student_unplaced, "precheck.band_short", ["Mon-1", "46 students", "2 groups", "1 suitable"]),
        (cases.one_coach_short, "precheck.skill_short", ["Tue-2", "needs 2 adults", "football", "1 are cleared"]),
        (cases.no_adult_at_the_club_slot, "precheck.no_adults", ["Mon-2: 10 students", "no cleared adult"]),
    ],
)
def test_precheck_finds_the_shortfall(build, code, numbers):
    findings = precheck(build())
    found = [f for f in findings if f.code == code]
    assert len(found) == 1, [f.render("en") for f in findings]
    assert all(not f.is_error for f in findings)
    text = found[0].render("en")
    for n in numbers:
        assert n in text
    assert found[0].render("zh") != text and "警告" in found[0].render("zh")
    assert "应为：" in found[0].render("zh") and "expected " in text  # issue 15: what was expected, in words


def test_demo_school_has_only_menu_warnings():
    """demo-small is plannable: no slot, band, rain, duty or workload shortfall, only menu notes."""
    codes = {f.code for f in precheck(load_scenario("scenarios/demo-small"))}
    assert codes <= {"precheck.over_capacity", "precheck.never_opens"}
    assert "precheck.never_opens" in codes  # WEIQI: 9 eligible students, minimum 10


def test_validate_shows_prechecks(tmp_path):
    from click.testing import CliRunner

    from cluster_planner.cli import cli
    from cluster_planner.io.scenario_writer import write_scenario_folder

    write_scenario_folder(cases.duty_nobody_may_hold(), tmp_path / "s")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "s"), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "值班岗位（门岗）需要 1 名保安" in result.output


def test_only_counting_proofs_are_certain():
    """A proof ends the explanation; an estimate (a band short of rooms if all were in care) does not."""
    proofs = {f.code for f in certain(precheck(cases.no_adult_at_the_club_slot()))}
    assert proofs == {"precheck.no_adults", "precheck.workload"}  # 2 periods needed, 1 available
    assert certain(precheck(cases.priority_student_unplaced())) == []
