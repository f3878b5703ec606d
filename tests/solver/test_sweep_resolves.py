"""Regressions found by ``bench/sweep.py`` in mid-term re-solves (session 6), each rule-named."""

from __future__ import annotations

from pathlib import Path

from sweep import run_case  # bench/sweep.py: one sweep school, rerun alone from its number


def test_S7_joiner_left_out_by_a_placement_stopped_on_its_budget_joins_a_classmates_group(tmp_path: Path) -> None:
    """S7: the re-solve's placement stopped FEASIBLE on its budget (258 mobile students, staff 20 %)
    with a joiner left out at a slot where a new care group of their class had room (sweep seed 2026,
    school 120); the joiner now joins it after the placement."""
    _, violations, _ = run_case(2026, 120, 1, tmp_path)
    assert violations == []
