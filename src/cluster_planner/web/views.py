"""What the Look pages show, built from a committed plan folder by the report's own tables.

A plan, its tables per language and the rendered parts of pages are kept in memory
(:mod:`cluster_planner.web.plan_cache`: the last few plans, read again when a file in the folder
changes). Nothing here plans: tables come from :mod:`cluster_planner.report` (the same as
``report.xlsx``), explanations from :mod:`cluster_planner.explain`.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

import cluster_planner.api as cp
from cluster_planner.budget import Budget
from cluster_planner.domain import Scenario
from cluster_planner.i18n import register, t
from cluster_planner.plan import Plan
from cluster_planner.report import ReportTables
from cluster_planner.web.plan_cache import PlanCache

register(
    {
        "web.class.title": ("{name}（{id}）班级课表", "Class {name} ({id}): timetable"),
        "web.class.cell": (
            "{group} {activity} · {room}（本班 {n} 人）",
            "{group} {activity} · {room} ({n} of the class)",
        ),
    }
)

EXPLAIN_SECONDS = 20.0  # deadline of one "why not my first choice" / "what would fix it"


PLANS = PlanCache(lambda folder: cp.load_plan(folder))
"""The plans this server has read (one per process; the routes' thread pool shares it)."""


def plan_of(folder: str) -> Plan:
    """The committed plan with its scenario snapshot."""
    return PLANS.entry(folder).plan


def tables_of(folder: str, lang: str, masked: bool = False) -> ReportTables:
    """The report's tables, made once per plan and language; ``masked``: no parent names and phones masked
    (the ``--public`` rule, for viewers)."""
    if masked:
        return built(
            folder,
            ("tables", lang, "masked"),
            lambda plan: tables_of(folder, lang).masked(plan.require_scenario(), plan),
        )
    return built(folder, ("tables", lang), lambda plan: ReportTables.build(plan.require_scenario(), plan, lang))


def built(folder: str, key: tuple[str, ...], build: Callable[[Plan], Any]) -> Any:
    """``build(plan)`` made once per plan folder and ``key`` (e.g. a page's HTML in one language) and kept
    with the plan."""
    return PLANS.entry(folder).built(key, build)


def scenario_of(folder: str) -> Scenario:
    return plan_of(folder).require_scenario()


@dataclass(frozen=True)
class Block:
    """A titled table with label–value facts (a group, adult, room or class)."""

    title: str
    facts: list[tuple[str, str]]
    frame: pd.DataFrame


def block(df: pd.DataFrame) -> Block:
    return Block(str(df.attrs.get("title", "")), list(df.attrs.get("facts", [])), df)


def choices(folder: str, kind: str, lang: str) -> list[tuple[str, str]]:
    """(id, label) of everything a timetable of ``kind`` can be shown for."""
    tables, scenario = tables_of(folder, lang), scenario_of(folder)
    if kind == "group":
        return [(gid, str(df.attrs.get("title", gid))) for gid, df in tables.rosters.items()]
    if kind == "staff":
        return [(pid, str(df.attrs.get("title", pid))) for pid, df in tables.staff_timetables.items()]
    if kind == "room":
        return [(rid, str(df.attrs.get("title", rid))) for rid, df in tables.room_timetables.items()]
    used = {s.class_id for s in scenario.approved_students}
    return [(c.class_id, f"{c.name} ({c.class_id})") for c in scenario.classes if c.class_id in used]


def timetable_blocks(folder: str, kind: str, key: str, lang: str, masked: bool = False) -> list[Block] | None:
    """The blocks shown for one group, adult, room or home class; None when ``key`` is unknown."""
    tables = tables_of(folder, lang, masked)
    if kind == "staff":
        df = tables.staff_timetables.get(key)
        return None if df is None else [block(df)]
    if kind == "room":
        df = tables.room_timetables.get(key)
        return None if df is None else [block(df)]
    if kind == "group":
        roster = tables.rosters.get(key)
        if roster is None:
            return None
        meetings = tables.timetable[tables.timetable[t("report.col.group", lang)] == key]
        return [
            Block(str(roster.attrs.get("title", key)), list(roster.attrs.get("facts", [])), meetings),
            Block("", [], roster),
        ]
    return class_blocks(folder, key, lang)


def class_blocks(folder: str, class_id: str, lang: str) -> list[Block] | None:
    """A home class's week: where its students are, each day and time (the sheet a class teacher posts)."""
    home = scenario_of(folder).class_by_id.get(class_id)
    if home is None:
        return None
    counts = built(folder, ("class-counts",), _class_counts).get(class_id, {})
    rows = built(folder, ("timetable-rows", lang), lambda _: tables_of(folder, lang).timetable.to_dict("records"))
    col = {k: t(f"report.col.{k}", lang) for k in ("day", "time", "group", "activity", "room")}
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    days: list[str] = []
    times: list[str] = []
    for row in rows:
        if row[col["group"]] not in counts:
            continue
        day, time = str(row[col["day"]]), str(row[col["time"]])
        days += [day] if day not in days else []
        times += [time] if time not in times else []
        cells[(time, day)].append(
            t(
                "web.class.cell",
                lang,
                group=row[col["group"]],
                activity=row[col["activity"]],
                room=row[col["room"]],
                n=counts[row[col["group"]]],
            )
        )
    grid = pd.DataFrame(
        [[time, *("\n".join(cells.get((time, d), [])) for d in days)] for time in sorted(times)],
        columns=[col["time"], *days],
        dtype=object,
    )
    return [Block(t("web.class.title", lang, name=home.name, id=class_id), [], grid)]


def _class_counts(plan: Plan) -> dict[str, dict[str, int]]:
    """How many students of each home class are in each group: ``{class_id: {group_id: n}}`` (built once per
    plan, so a class's week is a few milliseconds, not a pass over every assignment)."""
    class_of = {s.student_id: s.class_id for s in plan.require_scenario().students}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a in plan.assignments:
        if a.student_id in class_of:
            counts[class_of[a.student_id]][a.group_id] += 1
    return {class_id: dict(groups) for class_id, groups in counts.items()}


def explain_student(folder: str, student_id: str, lang: str) -> list[str]:
    """ "Why not my first choice": each choice above the granted one and what stood in the way."""
    from cluster_planner.explain.student import account_of

    plan = plan_of(folder)
    return account_of(plan, plan.require_scenario(), student_id, Budget(EXPLAIN_SECONDS)).lines(lang)


def what_would_fix(folder: str, lang: str) -> list[str]:
    """ "What would fix it": the cheapest resources that place every student (``explain --suggest``)."""
    from cluster_planner.explain.answer import explain_scenario
    from cluster_planner.explain.precheck import precheck

    scenario = scenario_of(folder)
    checks = precheck(scenario)
    answer = explain_scenario(scenario, Budget(EXPLAIN_SECONDS), True, checks)
    lines = [f.render(lang) for f in checks]
    return lines + [text for text, _ in answer.lines(lang)]


def search(folder: str, query: str) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """Students (id, name, class) and adults (id, name) whose name or id holds ``query``."""
    scenario = scenario_of(folder)
    q = query.strip().casefold()
    if not q:
        return [], []
    students = [
        (s.student_id, s.name, s.class_id)
        for s in scenario.students
        if q in s.name.casefold() or q == s.student_id.casefold()
    ]
    staff = [(p.staff_id, p.name) for p in scenario.staff if q in p.name.casefold() or q == p.staff_id.casefold()]
    return students[:50], staff[:50]


def student_places(folder: str, student_id: str, lang: str) -> pd.DataFrame:
    """The daily timetable rows of the groups a student is in."""
    plan = plan_of(folder)
    groups = {a.group_id for a in plan.assignments if a.student_id == student_id}
    timetable = tables_of(folder, lang).timetable
    return timetable[timetable[t("report.col.group", lang)].isin(groups)]


def attendance_workbook(folder: str, lang: str) -> Path:
    """The attendance sheets alone as a workbook (made from the plan; the plan folder is not touched)."""
    import xlsxwriter

    from cluster_planner.report.xlsx import WORKBOOK_OPTIONS, WorkbookWriter

    out = Path(tempfile.mkdtemp(prefix="attendance-")) / "attendance.xlsx"
    with xlsxwriter.Workbook(str(out), WORKBOOK_OPTIONS) as wb:
        WorkbookWriter(wb, lang).attendance(tables_of(folder, lang).attendance)
    return out
