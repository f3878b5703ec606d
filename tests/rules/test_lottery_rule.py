"""Issue 17 item 5 (S6): the transparent lottery. A number is the first 8 hex digits of SHA-256 over the UTF-8
text ``"{seed}:{student_id}"``; the order is ascending by number; a join or an exit renumbers nobody."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest
from builders import care_activity, classrooms, scenario, school, slots, students_of, teachers

from cluster_planner import rules
from cluster_planner.domain import HomeClass, Scenario
from cluster_planner.domain.entities import StudentStatus
from cluster_planner.report.lottery import command_line


def independent(seed: int, student_id: str) -> str:
    """The published number, computed here without the product."""
    return hashlib.sha256(f"{seed}:{student_id}".encode()).hexdigest()[:8]


def _school(extra: int = 0, withdrawn: str | None = None) -> Scenario:
    students = students_of("3-1", 25) + students_of("3-2", 20 + extra)
    if withdrawn:
        gone = StudentStatus.WITHDRAWN
        students = [s.model_copy(update={"status": gone}) if s.student_id == withdrawn else s for s in students]
    return scenario(
        school=school(seed=2026),
        timeslots=slots(days=("Mon",)),
        classes=[HomeClass(class_id="3-1", grade=3), HomeClass(class_id="3-2", grade=3)],
        students=students,
        activities=[care_activity()],
        rooms=classrooms(2),
        staff=teachers(2),
    )


@pytest.mark.parametrize("seed", [0, 1, 2026, -7, 2**40])
@pytest.mark.parametrize("student_id", ["S0001", "3-1-001", "学生01", "a b", "O'Neil"])
def test_S6_number_is_sha256_of_seed_colon_student_id(seed: int, student_id: str) -> None:
    assert rules.lottery_text(seed, student_id) == f"{seed}:{student_id}"
    assert rules.lottery_number(seed, student_id) == independent(seed, student_id)


def test_S6_numbers_are_the_same_on_any_machine() -> None:
    """Known digests (``printf '%s' '2026:S0001' | sha256sum`` on another machine)."""
    assert rules.lottery_number(2026, "S0001") == "0586dd92"
    assert rules.lottery_number(7, "学生01") == "d1cbdb9f"


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="no sha256sum here")
@pytest.mark.parametrize("student_id", ["S0001", "学生01", "O'Neil"])
def test_S6_the_published_command_line_gives_the_number(student_id: str) -> None:
    """The line report.html tells a family to type prints the digest whose first 8 characters are the number."""
    line = command_line(2026, student_id)
    assert line.startswith("printf '%s' '2026:")
    done = subprocess.run(["sh", "-c", line], capture_output=True, text=True, check=True, env={"LC_ALL": "C.UTF-8"})
    assert done.stdout[:8] == rules.lottery_number(2026, student_id)


def test_S6_order_is_ascending_by_number() -> None:
    sc = _school()
    ranks = rules.scenario_lottery(sc, 2026)
    ids = [s.student_id for s in sc.approved_students]
    expected = sorted(ids, key=lambda sid: (independent(2026, sid), sid))
    assert sorted(ranks, key=ranks.__getitem__) == expected
    assert sorted(ranks.values()) == list(range(1, len(ids) + 1))
    assert rules.scenario_lottery(sc, 2027) != ranks  # another seed, another order


def test_S6_equal_numbers_go_by_student_id(monkeypatch: pytest.MonkeyPatch) -> None:
    from cluster_planner.rules import students

    monkeypatch.setattr(students, "lottery_number", lambda seed, sid: "00000000")
    assert rules.lottery_order(["b", "c", "a"], 1) == ["a", "b", "c"]


def test_S6_a_join_renumbers_nobody() -> None:
    before = rules.scenario_lottery(_school(), 2026)
    after = rules.scenario_lottery(_school(extra=1), 2026)  # 3-2-021 joins
    (joiner,) = set(after) - set(before)
    assert joiner == "3-2-021"
    for sid in before:
        assert rules.lottery_number(2026, sid) == independent(2026, sid)
    # everyone keeps their order; ranks after the joiner's move down by one, nobody else's change
    assert sorted(before, key=before.__getitem__) == [s for s in sorted(after, key=after.__getitem__) if s != joiner]
    assert all(after[s] == before[s] + (after[joiner] < after[s]) for s in before)


def test_S6_an_exit_renumbers_nobody() -> None:
    before = rules.scenario_lottery(_school(), 2026)
    leaver = "3-1-007"
    after = rules.scenario_lottery(_school(withdrawn=leaver), 2026)
    assert set(before) - set(after) == {leaver}
    assert sorted(after, key=after.__getitem__) == [s for s in sorted(before, key=before.__getitem__) if s != leaver]
    assert all(after[s] == before[s] - (before[leaver] < before[s]) for s in after)
