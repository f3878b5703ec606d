"""What the mid-term pages show: a preview's outcome, the versions as a timeline, the diff of two, the notices.

Read from plan folders with the library's own code: the report's 变动通知 and 未安排 tables
(:mod:`cluster_planner.report.tables`, the words of moves.csv) and ``diff_plans`` for two versions.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from cluster_planner.i18n import register, t
from cluster_planner.web.store import Row, Store
from cluster_planner.web.views import plan_of, tables_of

register(
    {
        "web.figure.joined": ("新加入学生", "students joined"),
        "web.figure.left": ("退出学生", "students left"),
        "web.figure.changed": ("本人变更的学生", "students who changed"),
        "web.figure.moved": ("被调整的其他学生", "other students moved"),
        "web.figure.upgraded": ("调入更靠前志愿", "upgraded to a better choice"),
        "web.figure.staff": ("涉及教职工", "staff affected"),
        "web.figure.groups": ("更换场地的组", "groups with a new room"),
        "web.figure.unplaced": ("未安排（学生×时段）", "unplaced (student × slot)"),
    }
)


@dataclass(frozen=True)
class Outcome:
    """A re-solved plan in figures (its moves by reason) with its notices and unplaced tables."""

    counts: list[tuple[str, int]]
    notices: pd.DataFrame
    unplaced: pd.DataFrame


def outcome(folder: str, lang: str, masked: bool = False) -> Outcome:
    """The preview (or version) in ``folder``: who moves, in words, and who is left unplaced and why
    (``masked``: no parent names, phones masked)."""
    plan = plan_of(folder)
    tables = tables_of(folder, lang, masked)
    return Outcome(move_counts(plan.moves, lang, len(plan.unplaced)), tables.moves, tables.unplaced)


def move_counts(moves: tuple, lang: str, unplaced: int | None = None) -> list[tuple[str, int]]:
    """Students joined, left, changed, moved, upgraded; staff and groups affected (words, count)."""
    counts = Counter(m.reason_code if m.kind == "student" else m.kind for m in moves)
    keys = ("joined", "left", "changed", "moved", "upgraded", "staff", "groups")
    found = {"groups": counts["group"], **{k: counts[k] for k in keys if k != "groups"}}
    rows = [(t(f"web.figure.{k}", lang), found[k]) for k in keys]
    if unplaced is not None:
        rows.append((t("web.figure.unplaced", lang), unplaced))
    return rows


def change_rows(text: str, lang: str) -> list[dict[str, str]]:
    """The rows of a changes file as the history shows them (kind of change in words)."""
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        action = (row.get("action") or "").strip()
        key = f"web.action.{action}"
        said = t(key, lang) if action in ACTION_KEYS else action
        rows.append({k: (v or "").strip() for k, v in row.items() if k} | {"action_words": said})
    return rows


ACTION_KEYS = ("join", "exit", "change", "staff_leave", "staff_return", "room_closed", "room_open")


@dataclass(frozen=True)
class Entry:
    """One version on the timeline: when made, from when it holds, what changed, who entered it."""

    version: Row
    valid_from: str
    counts: Counter
    changes: list[dict[str, str]]
    preview: Row | None
    whatif: Row | None = None  # a what-if promoted to be the plan (its edits in words below)
    edits: tuple[str, ...] = ()


def timeline(store: Store, school_id: int, lang: str) -> list[Entry]:
    """The school's versions, newest first, each with the mid-term changes it took (none at term start)."""
    entries = []
    for version in store.versions(school_id):
        plan = plan_of(str(store.data / version.folder))
        preview = store.preview_of_job(version.job_id)
        codes = Counter(m.reason_code if m.kind == "student" else m.kind for m in plan.moves)
        entries.append(
            Entry(
                version=version,
                valid_from=plan.meta.valid_from or "",
                counts=codes,
                changes=change_rows(preview.changes, lang) if preview else [],
                preview=preview,
                **_promoted(store, version, lang),
            )
        )
    return entries


def _promoted(store: Store, version: Row, lang: str) -> dict[str, Any]:
    """The what-if a version was promoted from, with its edits in words (nothing for other versions)."""
    from cluster_planner.web.whatif_edits import describe

    whatif = store.whatif_of_job(version.job_id)
    if whatif is None or whatif.promoted_version != version.id:
        return {}
    return {"whatif": whatif, "edits": tuple(describe(json.loads(whatif.edits), lang))}


def diff(old: str, new: str, lang: str, masked: bool = False) -> tuple[tuple, pd.DataFrame]:
    """Who and what differs from the plan in ``old`` to the one in ``new``: the moves and their 变动通知 table
    (``masked``: no parent names, phones masked)."""
    from cluster_planner.midterm import diff_plans
    from cluster_planner.report.tables import moves

    before, after = plan_of(old), plan_of(new)
    scenario = after.require_scenario()
    found = diff_plans(before, after, before.scenario, scenario, lang)
    return found, moves(scenario, replace(after, moves=found), lang, public=masked)
