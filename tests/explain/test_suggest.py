"""``--suggest`` proposes the cheapest resources, and exactly the one that is missing."""

from __future__ import annotations

import explain_cases as cases

from cluster_planner.explain.suggest import suggest_fixes


def test_one_coach_short_proposes_exactly_that_coach():
    s = suggest_fixes(cases.one_coach_short(), seconds=30)
    for fix in (s.priority, s.every):
        assert fix.status == "OPTIMAL"
        assert [(a.code, dict(a.params)["skill"], dict(a.params)["n"]) for a in fix.additions] == [
            ("suggest.hire", "football", 1)
        ]
        assert dict(fix.additions[0].params)["days"] == "Tue"
    en, zh = "\n".join(s.lines("en")), "\n".join(s.lines("zh"))
    assert "hire 1 adult(s) with skill football for Tue" in en
    assert "聘请 1 名具备 足球 技能的教师" in zh


def test_missing_duty_holder_is_added_not_a_coach():
    s = suggest_fixes(cases.duty_nobody_may_hold(), seconds=30)
    assert [a.code for a in s.every.additions] == ["suggest.duty"]


def test_rooms_short_places_the_students():
    """46 children, one room: raising the care cap (300) is cheaper than a room (500)."""
    s = suggest_fixes(cases.priority_student_unplaced(), seconds=30)
    assert [a.code for a in s.every.additions] == ["suggest.raise_cap"]
    assert s.every.placed >= 1
