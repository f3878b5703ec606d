"""A plan's version chain: each re-solved plan's plan.json names its parent folder (``extra``).

``parent_relpath`` (relative to the plan folder, survives moving the whole tree) is tried
first, then ``parent_path`` (absolute). The chain stops at a plan without a parent or one
that can no longer be found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cluster_planner.plan.io import load_plan
from cluster_planner.plan.model import PlanMeta


@dataclass(frozen=True)
class Version:
    """One plan of the chain, newest first."""

    path: Path
    meta: PlanMeta
    students_moved: int
    staff_moved: int
    joined: int
    left: int


def parent_of(folder: Path, meta: PlanMeta) -> Path | None:
    """The folder of the plan ``meta`` was re-solved from, if it still exists."""
    return parent_in(folder, meta.extra)


def parent_in(folder: Path, extra: Mapping[str, Any]) -> Path | None:
    """The parent plan folder a plan.json's ``extra`` names (relative path first), resolved, if it exists."""
    for key, base in (("parent_relpath", folder), ("parent_path", None)):
        value = extra.get(key)
        if not value or not isinstance(value, str):
            continue
        path = (Path(base) / value) if base is not None else Path(value)
        try:
            if (path / "groups.csv").is_file():
                return path.resolve()
        except OSError:
            continue
    return None


def chain(folder: str | Path, limit: int = 1000) -> list[Version]:
    """The versions from ``folder`` back to the first plan, newest first."""
    out: list[Version] = []
    seen: set[Path] = set()
    path: Path | None = Path(folder).resolve()
    while path is not None and path not in seen and len(out) < limit:
        seen.add(path)
        plan = load_plan(path)
        codes = [m.reason_code for m in plan.moves if m.kind == "student"]
        out.append(
            Version(
                path=path,
                meta=plan.meta,
                students_moved=sum(1 for c in codes if c in ("moved", "upgraded")),
                staff_moved=sum(1 for m in plan.moves if m.kind == "staff"),
                joined=codes.count("joined"),
                left=codes.count("left"),
            )
        )
        path = parent_of(path, plan.meta)
    return out
