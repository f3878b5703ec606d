"""Issue 14 item 2: the checker never crashes on a hand-made plan, and every message it gives names
the file with its row or column (or the ids involved) and says what was expected.

A seeded hypothesis property over real plan folders — demo-small solved once for this module, the
same plan read as a re-solve with a joiner, the hand-made plan of the small school, and that plan
against a scenario it breaks almost everywhere — broken by
the mutations of ``bench/fuzz_check.py`` (rows and cells dropped, duplicated and swapped; unknown
ids and ids of the wrong kind; text in numeric columns and blanks; columns and files missing; files
empty, binary, re-encoded or a folder; plan.json garbage; the snapshot's changes.csv) and checked
in process. ``bench/fuzz_check.py`` runs 10,000 such cases; the figures are in bench/RESULTS.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PLAN_FILES, build_school
from fuzz_check import MUTATIONS, Base, base_from_folder, hostile, mutate, run_case, with_joiner, write_folder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solver_checks import TEST_SETTINGS

from cluster_planner.check import check_plan
from cluster_planner.io.loader import load_scenario
from cluster_planner.plan.io import save_plan
from cluster_planner.solver import solve_scenario

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-small"


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Base]:
    """demo-small solved once, the same plan as a re-solve with a joiner, the small school's hand-made plan,
    and that plan against a scenario it breaks almost everywhere (every rule family speaks at once)."""
    work = tmp_path_factory.mktemp("fuzz-bases")
    demo = load_scenario(DEMO)
    folder = save_plan(solve_scenario(demo, TEST_SETTINGS).plan, work / "demo-small")
    small = {name: text.encode() for name, text in PLAN_FILES.items()}
    out = [
        base_from_folder("demo-small", demo, folder),
        base_from_folder("small-school", build_school(), write_folder(small, work / "small-school")),
    ]
    out.append(with_joiner(out[0], "demo-small-resolved"))
    out.append(hostile(out[1], "small-school-hostile"))
    return {b.name: b for b in out}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-cases")


@pytest.mark.parametrize("name", ["demo-small", "small-school", "demo-small-resolved"])
def test_unmutated_plans_keep_every_rule(bases: dict[str, Base], work: Path, name: str) -> None:
    """The starting points are good plans: whatever the fuzz finds comes from its mutations."""
    assert check_plan(bases[name].scenario, write_folder(bases[name].files, work / f"clean-{name}")) == []


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    name=st.sampled_from(["demo-small", "demo-small-resolved", "small-school", "small-school-hostile"]),
    ops=st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=3),
    seed=st.integers(0, 2**32 - 1),
)
def test_issue14_checker_never_crashes_and_every_message_is_placed_and_says_what_was_expected(
    bases: dict[str, Base], work: Path, name: str, ops: list[str], seed: int
) -> None:
    base = bases[name]
    audit = run_case(base, mutate(base, ops, seed), work / "case", f"{name} {ops} seed={seed}")
    assert audit.failures == 0, "\n".join(audit.examples)


def test_the_audit_catches_a_message_without_place_or_expectation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fuzz's audit can fail: a sentence naming nothing and expecting nothing is counted twice."""
    from fuzz_check import names_place, says_expected

    from cluster_planner.check import Violation
    from cluster_planner.i18n import CATALOGUE

    monkeypatch.setitem(CATALOGUE, "check.mute", {"zh": "有问题", "en": "something is wrong"})
    v = Violation("S1", "mute", ("s5", "Tue-2"), {"student": "s5", "slot": "Tue-2"})
    assert not names_place(v, v.message("en")) and not says_expected(v, "en", v.message("en"))
    assert not says_expected(v, "zh", v.message("zh"))
