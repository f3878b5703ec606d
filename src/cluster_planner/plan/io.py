"""Reading and writing a plan folder (FORMAT.md), atomically.

A plan is first written completely into a temporary folder beside the target, then moved
into place; a crash or Ctrl-C never leaves a half-written plan. An earlier plan at the same
path is moved aside, never deleted (:mod:`cluster_planner.io.out_path`).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from cluster_planner.errors import PlanFormatError
from cluster_planner.io.csv_cells import escape, unescape
from cluster_planner.plan.model import (
    Assignment,
    DutyAssignment,
    GroupMeeting,
    Move,
    Plan,
    PlanMeta,
    StaffLoad,
    Unplaced,
)

PLAN_FILES: dict[str, type] = {
    "groups.csv": GroupMeeting,
    "assignments.csv": Assignment,
    "unplaced.csv": Unplaced,
    "staff_load.csv": StaffLoad,
    "duty_roster.csv": DutyAssignment,
}
MOVES_FILE = "moves.csv"
ATTRIBUTE = {
    "groups.csv": "groups",
    "assignments.csv": "assignments",
    "unplaced.csv": "unplaced",
    "staff_load.csv": "staff_load",
    "duty_roster.csv": "duty_roster",
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (tuple, list)):
        return " ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_rows(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    """A CSV in UTF-8 with BOM (Excel opens it), every cell as plain text, none a live formula."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([escape(_cell(row.get(c))) for c in columns])


def write_plan_files(plan: Plan, folder: Path) -> None:
    """The five plan CSVs and plan.json into ``folder`` (no snapshot, not atomic)."""
    for name, row_type in PLAN_FILES.items():
        columns = [f.name for f in fields(row_type)]
        write_rows(folder / name, columns, [asdict(r) for r in getattr(plan, ATTRIBUTE[name])])
    if plan.moves or plan.meta.parent_version is not None:
        # moves.csv: FORMAT.md's columns (``class`` for class_id) then ours.
        columns = ["id", "name", "class", "before", "after", "reason", "kind", "reason_code"]
        rows = [{**asdict(m), "class": m.class_id} for m in plan.moves]
        write_rows(folder / MOVES_FILE, columns, rows)
    meta = asdict(plan.meta)
    (folder / "plan.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")


def save_plan(
    plan: Plan, target: Path, extra_writers: tuple[Callable[[Path], object], ...] = (), lang: str | None = None
) -> Path:
    """Write a whole plan folder atomically; ``extra_writers`` add files (snapshot, reports).

    Where it may write is :mod:`cluster_planner.io.out_path`'s rule: a new or empty folder, or an
    earlier plan folder no other version names as its parent (moved aside, never deleted).
    """
    from cluster_planner.io.out_path import Target, writing_folder

    with writing_folder(Path(target), Target.PLAN, lang=lang) as tmp:
        write_plan_files(plan, tmp)
        for writer in extra_writers:
            writer(tmp)
    return Path(target)


def _read_csv(path: Path) -> list[dict[str, str]]:
    """Rows as written by :func:`write_rows` (the formula guard's apostrophes removed)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: unescape(v) if isinstance(v, str) else v for k, v in row.items()} for row in csv.DictReader(fh)]


def _split(text: str) -> tuple[str, ...]:
    return tuple(t for t in text.replace(",", " ").replace("、", " ").replace("；", " ").split() if t)


def load_plan(folder: Path) -> Plan:
    """Read a plan folder written by this tool or by hand (extra columns ignored)."""
    folder = Path(folder)
    if not (folder / "groups.csv").exists():
        raise PlanFormatError(f"{folder}: not a plan folder (groups.csv missing)")
    try:
        groups = tuple(
            GroupMeeting(
                group_id=r["group_id"],
                activity_id=r["activity_id"],
                day=r["day"],
                slot_id=r["slot_id"],
                room_id=r.get("room_id", ""),
                rain_room_id=r.get("rain_room_id", ""),
                staff_ids=_split(r.get("staff_ids", "")),
                size=int(r.get("size") or 0),
                grades=tuple(int(g) for g in _split(r.get("grades", ""))),
                class_ids=_split(r.get("class_ids", "")),
            )
            for r in _read_csv(folder / "groups.csv")
        )
        assignments = tuple(
            Assignment(
                student_id=r["student_id"],
                day=r["day"],
                slot_id=r["slot_id"],
                group_id=r["group_id"],
                choice_rank=int(r["choice_rank"]) if r.get("choice_rank") else None,
                activity_id=r.get("activity_id", ""),
            )
            for r in _read_csv(folder / "assignments.csv")
        )
        unplaced = tuple(
            Unplaced(r["student_id"], r["day"], r["slot_id"], r.get("reason", ""), r.get("reason_code", ""))
            for r in _read_optional(folder / "unplaced.csv")
        )
        loads = tuple(
            StaffLoad(r["staff_id"], float(r["periods_week"]), float(r["periods_term"]), float(r["pay_term"]))
            for r in _read_optional(folder / "staff_load.csv")
        )
        duties = tuple(
            DutyAssignment(r["day"], r.get("slot_id", ""), r["post"], r["staff_id"])
            for r in _read_optional(folder / "duty_roster.csv")
        )
        moves = tuple(
            Move(
                id=r["id"],
                name=r.get("name", ""),
                class_id=r.get("class", r.get("class_id", "")),
                before=r.get("before", ""),
                after=r.get("after", ""),
                reason=r.get("reason", ""),
                kind=r.get("kind") or "student",
                reason_code=r.get("reason_code", ""),
            )
            for r in _read_optional(folder / MOVES_FILE)
        )
    except (KeyError, ValueError) as exc:
        raise PlanFormatError(f"{folder}: a plan file has a missing column or bad value ({exc})") from exc
    meta_path = folder / "plan.json"
    raw = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {}
    known = {f.name for f in fields(PlanMeta)}
    meta = PlanMeta(
        **{
            "scenario_hash": raw.get("scenario_hash", ""),
            "status": raw.get("status", "UNKNOWN"),
            "seed": raw.get("seed", 0),
            "reproducible": raw.get("reproducible", False),
            **{k: (tuple(v) if isinstance(v, list) else v) for k, v in raw.items() if k in known},
        }
    )
    return Plan(groups, assignments, unplaced, loads, duties, meta, moves)


def _read_optional(path: Path) -> list[dict[str, str]]:
    return _read_csv(path) if path.exists() else []


def is_plan_folder(path: Path) -> bool:
    """True if ``path`` looks like a plan folder."""
    return os.path.isdir(path) and (Path(path) / "groups.csv").exists()
