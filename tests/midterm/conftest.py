"""Fixtures of the mid-term tests: the tiny school solved once per module, and re-solving it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from midterm_school import SETTINGS, checked, fingerprint, tiny_school

import cluster_planner as cp
from cluster_planner.domain.entities import Change
from cluster_planner.midterm import Resolution, resolve_plan
from cluster_planner.solver import solve_scenario


@pytest.fixture(scope="module")
def term_start(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny school's term-start plan folder (version 1, snapshot inside), checked."""
    s = tiny_school()
    folder = tmp_path_factory.mktemp("midterm") / "v1"
    plan = solve_scenario(s, SETTINGS).plan
    cp.save(plan, folder, scenario=s, reports=False)
    checked(s, folder)
    return folder


@pytest.fixture
def v1(term_start: Path, tmp_path: Path) -> Path:
    """A private copy of the term-start plan."""
    return Path(shutil.copytree(term_start, tmp_path / "v1"))


@pytest.fixture
def resolved(tmp_path: Path) -> Callable[..., tuple[Resolution, Path]]:
    """``resolved(earlier, changes, **options)``: re-solve into a new folder, check it, and prove the
    earlier folder byte-identical afterwards."""
    counter = iter(range(100))

    def run(earlier: Path, changes: list[Change] | Path, **options: object) -> tuple[Resolution, Path]:
        before = fingerprint(earlier)
        out = tmp_path / f"v{next(counter) + 2}"
        res = resolve_plan(earlier, changes, out=out, reports=False, **options)
        assert fingerprint(earlier) == before, "the earlier plan folder was modified"
        checked(cp.load(out / "scenario"), out)
        return res, out

    return run
