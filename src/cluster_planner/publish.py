"""What the office publishes (issue 17), as API calls: the service menu, the family notices, the 十严禁 check,
the staff service record, the term's income and spending (收支公示), the lottery order.

>>> cp.menu("scenarios/demo-small", out="out/menu")             # doctest: +SKIP
>>> cp.notices(cp.load_plan("out/demo-small"), class_id="101")  # doctest: +SKIP
>>> cp.comply(cp.load_plan("out/demo-small"))                   # doctest: +SKIP
>>> cp.staff_record("out/demo-small-v2")                        # doctest: +SKIP
>>> cp.money(cp.load_plan("out/demo-small"), out="out/money")   # doctest: +SKIP
>>> cp.lottery("scenarios/demo-small", seed=2026)               # doctest: +SKIP

Each returns its table (one row per activity, one row per notice) and, with ``out``, writes the
html that prints on A4 and the xlsx into that new folder (atomically; an existing folder with
files in it is refused, nothing of the user's is overwritten).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan

if TYPE_CHECKING:
    import pandas as pd


def menu(scenario: Scenario | str | Path, out: str | Path | None = None, lang: str | None = None) -> pd.DataFrame:
    """服务菜单公示: every activity with grades, days and times in both seasons, places (groups × cap), who
    leads it, room and fee, by section (chosen, care, class). ``scenario`` may be a path; ``lang``
    defaults to the school's; ``out`` also writes menu.html and menu.xlsx there.
    """
    from cluster_planner.io.loader import load_scenario
    from cluster_planner.report.menu import build_menu, write_menu

    inputs: tuple[str | Path, ...] = ()
    if not isinstance(scenario, Scenario):
        inputs = (scenario,)
        scenario = load_scenario(Path(scenario))
    built = build_menu(scenario, lang)
    if out is not None:
        write_menu(built, out, inputs)
    return built.frame()


def notices(
    plan: Plan | str | Path,
    out: str | Path | None = None,
    class_id: str | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """家长告知书: one row per notice (a column per service day, the fee, and for a re-solved plan the change).

    ``plan`` may be a plan folder (read with its snapshot). A re-solved plan gives notices only to the
    students whose plan changed. ``class_id`` (an id or a class name) keeps one class; ``out`` also writes
    notices.html (one A4 page per student) and notices.xlsx (a sheet per class) there.
    """
    from cluster_planner.report.notices import build_notices, write_notices

    plan, inputs = _plan_and_inputs(plan)
    built = build_notices(plan.require_scenario(), plan, lang, class_id)
    if out is not None:
        write_notices(built, out, inputs)
    return built.frame()


def comply(plan: Plan | str | Path, out: str | Path | None = None, lang: str | None = None) -> pd.DataFrame:
    """十严禁: the ten prohibitions of 000 方案2 as ten rows (number, prohibition, what was checked, result,
    what was found, the offending ids). ``df.attrs["status"]`` holds each row's result as a code (``ok``,
    ``manual``, ``warning``, ``violation``). ``plan`` may be a plan folder; ``out`` also writes comply.html
    (A4) and comply.xlsx there.
    """
    from cluster_planner.report.comply import build_compliance, write_compliance

    plan, inputs = _plan_and_inputs(plan)
    built = build_compliance(plan.require_scenario(), plan, lang)
    if out is not None:
        write_compliance(built, out, inputs)
    return built.frame()


def staff_record(
    plan: Plan | str | Path, out: str | Path | None = None, lang: str | None = None, summary: bool = False
) -> pd.DataFrame:
    """教职工服务记录 (issue 17 item 6): each adult's periods, pay, covers and leave per calendar week of the
    term, across the plan's versions (``plan`` is the newest; its parents are read back from plan.json).

    One row per adult and week; ``summary=True`` gives one row per adult with the term's totals instead.
    ``plan`` may be a plan folder (read with its snapshot); ``out`` also writes staff-record.html (an A4 page
    per adult) and staff-record.xlsx (the weeks and the summary) there.

    >>> cp.staff_record("out/term1-v3", out="out/term1-v3-staff-record")   # doctest: +SKIP
    """
    from cluster_planner.report.staff_record import build_staff_record
    from cluster_planner.report.staff_record_page import write_staff_record

    folder = None if isinstance(plan, Plan) else plan
    plan, inputs = _plan_and_inputs(plan)
    built = build_staff_record(plan, folder, lang)
    if out is not None:
        write_staff_record(built, out, inputs)
    return built.summary() if summary else built.frame()


def money(
    plan: Plan | str | Path, out: str | Path | None = None, lang: str | None = None, published: date | None = None
) -> pd.DataFrame:
    """收支公示: the term's income (service fees of the students who are not exempt, activity fees, the subsidy)
    and spending (pay by kind of adult, ``[money] other_costs``), with totals and the balance, one row each;
    ``df.attrs`` holds ``income``, ``spending`` and ``balance``. ``plan`` may be a plan folder; ``out`` also
    writes money.html (A4) and money.xlsx there, dated ``published`` (default: today).
    """
    from cluster_planner.report.money import build_money, write_money

    plan, inputs = _plan_and_inputs(plan)
    built = build_money(plan.require_scenario(), plan, lang, published)
    if out is not None:
        write_money(built, out, inputs)
    return built.frame()


def lottery(
    source: Scenario | Plan | str | Path,
    seed: int | None = None,
    out: str | Path | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """抽签顺序 (S6): every approved student in draw order — rank, student id, name, class, lottery number (the
    first 8 hex digits of SHA-256 over the UTF-8 text ``"{seed}:{student_id}"``). ``source`` is a scenario or a
    plan (or a path to either); ``seed`` defaults to a plan's own, else school.toml's ``rules.seed`` (as
    ``cp.solve``). ``df.attrs["seed"]`` holds the seed; ``out`` also writes a new .csv or .xlsx file.
    """
    from cluster_planner.io.loader import load_scenario
    from cluster_planner.io.out_path import is_plan_folder
    from cluster_planner.report.lottery import build_draw, write_draw

    inputs: tuple[str | Path, ...] = ()
    if isinstance(source, (str, Path)) and is_plan_folder(Path(source)):
        source, inputs = _plan_and_inputs(source)
    elif isinstance(source, (str, Path)):
        source, inputs = load_scenario(Path(source)), (source,)
    if isinstance(source, Plan):
        seed = source.meta.seed if seed is None else seed
        source = source.require_scenario()
    built = build_draw(source, seed, lang)
    if out is not None:
        write_draw(built, out, inputs)
    return built.frame()


def _plan_and_inputs(plan: Plan | str | Path) -> tuple[Plan, tuple[str | Path, ...]]:
    """The plan (a folder read with its snapshot) and the inputs its documents must not overwrite."""
    from cluster_planner.plan.folder import load_plan_with_snapshot

    if isinstance(plan, Plan):
        return plan, ()
    return load_plan_with_snapshot(plan), (plan,)
