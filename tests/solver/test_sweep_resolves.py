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


def test_S7_earlier_joiner_takes_a_place_freed_beside_classmates(tmp_path: Path) -> None:
    """S7 on every version: a pupil who joined in v2 found class 703's care groups full and sat in
    another; in v3 a classmate left, and the joiner, kept where they were, should have taken the
    freed place beside classmates (sweep seed 4242, school 3, two re-solves)."""
    _, violations, _ = run_case(4242, 3, 2, tmp_path)
    assert violations == []


def test_S7_earlier_joiner_moves_to_a_classmates_group_that_gained_room(tmp_path: Path) -> None:
    """S7 on every version: a pupil who joined class 801 in v2 sat in a grade-7 care group at
    Thu-2; in v3 the class's care group there had room and the joiner stayed out of it (sweep
    seed 4242, school 102, two re-solves)."""
    _, violations, _ = run_case(4242, 102, 2, tmp_path)
    assert violations == []
