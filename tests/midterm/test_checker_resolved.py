"""The checker on re-solved plans: term-start rules lifted by ``parent_version``; leave and closures
read from the snapshot's changes on plan.json ``valid_from``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from midterm_school import change

import cluster_planner as cp
from cluster_planner.check import check_plan
from cluster_planner.midterm import apply_changes


def _set_meta(folder: Path, **keys: object) -> None:
    path = folder / "plan.json"
    meta = json.loads(path.read_text("utf-8"))
    meta.update(keys)
    path.write_text(json.dumps(meta), encoding="utf-8")


def test_parent_version_alone_lifts_min_size_and_merging(v1: Path, tmp_path: Path) -> None:
    """A plan with a parent is a re-solve even if its version number says 1 (FORMAT.md)."""
    s = cp.load(v1 / "scenario")
    strict = s.model_copy(
        update={"activities": tuple(a.model_copy(update={"min_size": 11}) if a.activity_id == "ART" else a
                                    for a in s.activities)}
    )  # fmt: skip
    assert "G5" in {v.rule for v in check_plan(strict, v1)}
    _set_meta(v1, version=1, parent_version=0)
    assert "G5" not in {v.rule for v in check_plan(strict, v1)}


def test_adult_on_leave_and_closed_room_are_violations_on_the_plans_date(v1: Path, tmp_path: Path) -> None:
    """The earlier plan checked against a snapshot where its ART teacher is on leave and a room closed."""
    plan = cp.load_plan(v1)
    art = next(g for g in plan.groups if g.group_id == "ART-1")
    s = apply_changes(
        cp.load(v1 / "scenario"),
        (
            change("staff_leave", art.staff_ids[0], until="2026-10-30"),
            change("room_closed", art.room_id, date="2026-10-13"),
        ),
    )
    folder = Path(shutil.copytree(v1, tmp_path / "stale"))
    _set_meta(folder, version=2, parent_version=1, valid_from="2026-10-12")
    codes = {v.code for v in check_plan(s, folder)}
    assert "on_leave_group" in codes and "room_closed" not in codes  # closed only from the 13th
    _set_meta(folder, valid_from="2026-10-13")
    codes = {v.code for v in check_plan(s, folder)}
    assert {"on_leave_group", "room_closed"} <= codes
    _set_meta(folder, valid_from="2026-10-31")  # the leave ended by itself on the 30th
    assert "on_leave_group" not in {v.code for v in check_plan(s, folder)}
    s_back = apply_changes(s, (change("room_open", art.room_id, date="2026-10-20"),))
    assert "room_closed" not in {v.code for v in check_plan(s_back, folder)}
