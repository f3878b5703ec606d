"""What-if edits of a scenario: each returns a NEW scenario, validated like a loaded one.

The original is never changed (scenarios are frozen). Every edit checks the new entities'
fields (as the loader checks cells) and then the whole scenario with
:func:`cluster_planner.domain.validation.validate`; any error raises :class:`ScenarioError`
with the findings, warnings pass as they do when loading.

>>> import cluster_planner as cp
>>> base = cp.load("scenarios/demo-small")                                    # doctest: +SKIP
>>> bigger = cp.with_rules(base, group_cap=50)                                # doctest: +SKIP
>>> coached = cp.add_staff(base, count=2, name="足球教练", kind="external",
...                        skills="football", background_check="yes")        # doctest: +SKIP
>>> doubled = cp.scale_demand(base, grade=1, factor=2.0, seed=7)              # doctest: +SKIP
>>> more_clay = cp.with_activity(base, "CLAY", max_groups=2)                  # doctest: +SKIP
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cluster_planner.domain import Activity, ChangeAction, Scenario, School, Staff, Student, StudentStatus
from cluster_planner.domain.validation import FILE_NAMES, validate
from cluster_planner.errors import ScenarioError
from cluster_planner.findings import Finding, Severity
from cluster_planner.i18n import register
from cluster_planner.io.expected import findings_of

register(
    {
        "edit.unknown_setting": ("没有这项设置（可用：{known}）", "no such setting (known: {known})"),
        "edit.no_students": ("该年级没有已核准的学生可供复制", "no approved students of this grade to copy"),
        "edit.bad_factor": ("倍数应不小于 0", "the factor must be at least 0"),
        "edit.nothing": ("没有给出要做的修改", "no edit given"),
    }
)

M = TypeVar("M", bound=BaseModel)
STAFF_ACTIONS = frozenset({ChangeAction.STAFF_LEAVE, ChangeAction.STAFF_RETURN})


def _error(code: str, file: str, column: str = "", value: Any = "", **params: Any) -> Finding:
    return Finding(Severity.ERROR, code, file=file, column=column, value=str(value), params=params)


def checked(scenario: Scenario) -> Scenario:
    """``scenario`` if it has no error finding; else :class:`ScenarioError` listing the errors."""
    errors = [f for f in validate(scenario) if f.is_error]
    if errors:
        raise ScenarioError(errors)
    return scenario


def _entity(model: type[M], fields: Mapping[str, Any], key: str) -> M:
    """A new entity from cell-like values, checked as the loader checks a row (row 0: not from a file)."""
    try:
        return model.model_validate({**fields, "row": 0})
    except ValidationError as exc:
        raise ScenarioError(findings_of(exc, FILE_NAMES[key], None, lambda loc: ".".join(map(str, loc)))) from exc


# ---- school.toml ------------------------------------------------------------------------------
def _with_section(scenario: Scenario, section: str, values: dict[str, Any]) -> Scenario:
    school = scenario.school
    current = getattr(school, section)
    known = type(current).model_fields
    unknown = [k for k in values if k not in known]
    if unknown:
        raise ScenarioError(
            [
                _error("edit.unknown_setting", "school.toml", f"{section}.{k}", values[k], known=", ".join(known))
                for k in unknown
            ]
        )
    data = school.model_dump()
    data[section] = {**current.model_dump(), **values}
    try:
        new_school = School.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(findings_of(exc, "school.toml", None, lambda loc: ".".join(map(str, loc)))) from exc
    return checked(scenario.model_copy(update={"school": new_school}))


def with_rules(scenario: Scenario, **rules: Any) -> Scenario:
    """Other ``[rules]`` (G1–G4, T4, S5 …), e.g. ``with_rules(s, group_cap=50, ratio=40)``.

    An unknown rule name is an error (a typo must not pass silently).
    """
    return _with_section(scenario, "rules", rules)


def with_money(scenario: Scenario, **money: Any) -> Scenario:
    """Other ``[money]`` settings (M1–M2), e.g. ``with_money(s, fee_per_term=200)``."""
    return _with_section(scenario, "money", money)


def with_pay(scenario: Scenario, **pay: Any) -> Scenario:
    """Other ``[pay]`` rates (M3), e.g. ``with_pay(s, external=100)``."""
    return _with_section(scenario, "pay", pay)


# ---- staff ------------------------------------------------------------------------------------
def _free_ids(prefix: str, taken: set[str], n: int) -> list[str]:
    out, k = [], 1
    while len(out) < n:
        candidate = f"{prefix}{k:02d}"
        if candidate not in taken:
            out.append(candidate)
        k += 1
    return out


def add_staff(scenario: Scenario, *people: Staff | Mapping[str, Any], count: int = 1, **fields: Any) -> Scenario:
    """Staff added (T1): ``Staff`` objects or dicts of staff.csv columns, and/or one person as keywords.

    With keywords, ``count`` people like it are added; without ``staff_id`` (or with ``count`` > 1)
    their ids are ``{staff_id or "NEW"}01``, ``02`` … (ids not yet taken). External people need
    ``background_check="yes"`` to take groups (T2), as in staff.csv.

    >>> cp.add_staff(s, count=2, name="足球教练", kind="external", skills="football",
    ...              background_check="yes")                                # doctest: +SKIP
    """
    added = [p if isinstance(p, Staff) else _entity(Staff, p, "staff") for p in people]
    if fields:
        taken = {s.staff_id for s in scenario.staff} | {s.staff_id for s in added}
        base = fields.pop("staff_id", None)
        ids = [base] if base and count == 1 else _free_ids(base or "NEW", taken, count)
        added += [_entity(Staff, {**fields, "staff_id": i}, "staff") for i in ids]
    if not added:
        raise ScenarioError([_error("edit.nothing", FILE_NAMES["staff"])])
    return checked(scenario.model_copy(update={"staff": (*scenario.staff, *added)}))


def remove_staff(scenario: Scenario, *staff_ids: str) -> Scenario:
    """Staff taken out of the service (left, long leave): they lead no group and hold no duty.

    References to them go too: a class's ``homeroom_teacher`` and a student's ``teacher_pref``
    become blank, their ``staff_leave``/``staff_return`` changes are dropped. An unknown id is an error.
    """
    unknown = [i for i in staff_ids if i not in scenario.staff_by_id]
    if unknown or not staff_ids:
        if not staff_ids:
            raise ScenarioError([_error("edit.nothing", FILE_NAMES["staff"])])
        raise ScenarioError([_error("finding.unknown_staff", FILE_NAMES["staff"], "staff_id", i) for i in unknown])
    gone = set(staff_ids)
    classes = tuple(
        c.model_copy(update={"homeroom_teacher": None}) if c.homeroom_teacher in gone else c for c in scenario.classes
    )
    students = tuple(
        s.model_copy(update={"teacher_pref": None}) if s.teacher_pref in gone else s for s in scenario.students
    )
    changes = tuple(c for c in scenario.changes if not (c.action in STAFF_ACTIONS and c.id in gone))
    update = {
        "staff": tuple(s for s in scenario.staff if s.staff_id not in gone),
        "classes": classes,
        "students": students,
        "changes": changes,
    }
    return checked(scenario.model_copy(update=update))


# ---- the menu ---------------------------------------------------------------------------------
def with_activity(scenario: Scenario, activity: Activity | str | None = None, **fields: Any) -> Scenario:
    """An activity changed or added (G5, H4, T3, R1).

    ``with_activity(s, "CLAY", max_groups=2)`` changes the fields given of activity ``CLAY``;
    with an id not on the menu (or ``activity_id=…`` in ``fields``, or an ``Activity``) it is
    added, keeping the menu's order. Values may be written as in activities.csv
    (``grades="3-6"``, ``slots="Tue Thu"``, ``outdoor="yes"``).
    """
    if isinstance(activity, Activity):
        new = activity.model_copy(update=fields) if fields else activity
        new = _entity(Activity, new.model_dump(exclude={"row"}), "activities")
    else:
        activity_id = activity or fields.pop("activity_id", None)
        if not activity_id:
            raise ScenarioError([_error("finding.missing_value", FILE_NAMES["activities"], "activity_id")])
        fields.pop("activity_id", None)
        old = scenario.activity_by_id.get(activity_id)
        base = old.model_dump(exclude={"row"}) if old else {}
        new = _entity(Activity, {**base, **fields, "activity_id": activity_id}, "activities")
        if old is not None:
            new = new.model_copy(update={"row": old.row})
    menu = list(scenario.activities)
    at = next((k for k, a in enumerate(menu) if a.activity_id == new.activity_id), None)
    if at is None:
        menu.append(new)
    else:
        menu[at] = new
    return checked(scenario.model_copy(update={"activities": tuple(menu)}))


# ---- demand -----------------------------------------------------------------------------------
def _grades(scenario: Scenario, grade: int | Iterable[int] | None) -> set[int]:
    if grade is None:
        return {c.grade for c in scenario.classes}
    return {grade} if isinstance(grade, int) else set(grade)


def scale_demand(
    scenario: Scenario, grade: int | Iterable[int] | None = None, factor: float = 2.0, seed: int = 0
) -> Scenario:
    """Applications of ``grade`` (one, several, or None: every grade) scaled by ``factor``.

    Above 1: new approved students are cloned from that grade's approved students (same class,
    days, services, choices, priority and fee exemption; new ids ``{id}-c{k}``, names marked
    ``#k``, no locks). Each student is copied ``int(factor) - 1`` times and a seeded lottery picks
    who is copied once more, so the same ``seed`` gives the same scenario. Below 1: a seeded
    lottery marks students ``withdrawn`` (kept in the data, not planned).
    """
    if factor < 0:
        raise ScenarioError([_error("edit.bad_factor", FILE_NAMES["students"], "", factor)])
    grades = _grades(scenario, grade)
    pool = [s for s in scenario.approved_students if scenario.class_by_id[s.class_id].grade in grades]
    if not pool:
        value = " ".join(map(str, sorted(grades)))
        raise ScenarioError([_error("edit.no_students", FILE_NAMES["students"], "grade", value)])
    rng = random.Random(seed)
    target = round(len(pool) * factor)
    if target <= len(pool):
        leaving = {s.student_id for s in rng.sample(pool, len(pool) - target)}
        students = tuple(
            s.model_copy(update={"status": StudentStatus.WITHDRAWN}) if s.student_id in leaving else s
            for s in scenario.students
        )
        return checked(scenario.model_copy(update={"students": students}))
    extra = target - len(pool)
    copies = {s.student_id: extra // len(pool) for s in pool}
    for s in rng.sample(pool, extra % len(pool)):
        copies[s.student_id] += 1
    taken = set(scenario.student_by_id)
    clones: list[Student] = []
    for s in pool:
        for k in range(1, copies[s.student_id] + 1):
            new_id = f"{s.student_id}-c{k}"
            while new_id in taken:
                new_id += "x"
            taken.add(new_id)
            name = f"{s.name} #{k}" if s.name else ""
            clones.append(s.model_copy(update={"student_id": new_id, "name": name, "row": 0}))
    return checked(scenario.model_copy(update={"students": (*scenario.students, *clones)}))
