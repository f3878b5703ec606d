"""A what-if's edits as the web app receives them, applies them and says them.

The form (group cap, ratio, staff hired or removed, a grade's demand scaled) becomes a small JSON
object kept in the store; :func:`apply` turns it into a new scenario with the library's own
what-if edits (:mod:`cluster_planner.edits`: ``with_rules``, ``remove_staff``, ``add_staff``,
``scale_demand``), so a what-if is checked exactly as ``cp.with_rules`` … check it, and the solve
job applies the same edits to the same snapshot. The edits object::

    {"rules": {"group_cap": 50}, "was": {"group_cap": 45},
     "remove": [{"staff_id": "T003", "name": "周凯帆"}],
     "hire": [{"name": "王教练", "kind": "external", "skills": "football", "available": "Mon Tue",
               "background_check": "yes"}],
     "scale": {"grade": 1, "factor": 1.2}}            # grade null: every grade

Every part is optional; an empty object is "nothing edited" (an error finding).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cluster_planner.domain import Scenario, StaffKind
from cluster_planner.edits import add_staff, remove_staff, scale_demand, with_rules
from cluster_planner.errors import ScenarioError
from cluster_planner.findings import Finding, Severity
from cluster_planner.i18n import register, t
from cluster_planner.vocabulary import word, words

register(
    {
        "web.whatif.rule.group_cap": ("组容量（每组最多人数）", "group cap (largest group)"),
        "web.whatif.rule.ratio": ("师生比（每名成人对应学生数）", "ratio (students per adult)"),
        "web.whatif.said.rule": ("{rule}：{old} → {new}", "{rule}: {old} → {new}"),
        "web.whatif.said.hire": ("新聘 {name}（{kind}）", "hire {name} ({kind})"),
        "web.whatif.said.skills": ("技能：{skills}", "skills: {skills}"),
        "web.whatif.said.available": ("时段：{available}", "available: {available}"),
        "web.whatif.said.cleared": ("已通过背景审查", "background checked"),
        "web.whatif.said.sep": ("；", "; "),
        "web.whatif.said.unnamed": ("（未填姓名）", "(no name)"),
        "web.whatif.said.remove": ("减少 {id} {name}", "remove {id} {name}"),
        "web.whatif.said.scale": ("{grade}报名 ×{factor}", "{grade} applications ×{factor}"),
        "web.whatif.said.all_grades": ("全部年级", "all grades'"),
        "web.whatif.said.grade": ("{n}年级", "grade {n}"),
        "web.whatif.bad_number": ("不是数字", "not a number"),
        "web.whatif.expect_whole": ("不小于 1 的整数", "a whole number of at least 1"),
        "web.whatif.expect_factor": ("不小于 0 的数，如 1.2", "a number of at least 0, e.g. 1.2"),
        "web.whatif.nothing": ("没有做任何修改", "nothing was edited"),
        "web.whatif.expect_edit": (
            "至少一项修改：组容量、师生比、新聘或减少教职工、某年级报名人数",
            "at least one edit: group cap, ratio, staff hired or removed, a grade's applications",
        ),
    }
)

RULES = ("group_cap", "ratio")
"""The ``[rules]`` a what-if form edits (G4, T4)."""
HIRE_ROWS = 3  # rows of the form for staff hired
HIRE_FIELDS = ("name", "kind", "skills", "available")
"""The staff.csv columns a hire row gives (``hire_name_0`` …); ``hire_check_n`` is its background check."""
MAX_FACTOR = 10.0  # a grade's applications scaled at most this much (a bigger school is a new upload)

Form = Callable[[str], list[str]]
"""A form field's values by name (``request.form().getlist``)."""


def _error(code: str, column: str, value: str, expected: str) -> Finding:
    """A finding about one field of the form (named as the form names it)."""
    return Finding(Severity.ERROR, code, column=column, value=value, expected=expected)


def _first(form: Form, name: str) -> str:
    values = form(name)
    return str(values[0]).strip()[:200] if values else ""


def from_form(form: Form, base: Scenario) -> tuple[dict[str, Any], list[Finding]]:
    """The edits the form asks of ``base`` (only what differs from it) and the findings of reading the form."""
    findings: list[Finding] = []
    edits: dict[str, Any] = {}
    rules = base.school.rules
    for name in RULES:
        raw = _first(form, name)
        if not raw:
            continue
        try:
            value = int(raw)
        except ValueError:
            findings.append(_error("web.whatif.bad_number", name, raw, "web.whatif.expect_whole"))
            continue
        if value != getattr(rules, name):
            edits.setdefault("rules", {})[name] = value
            edits.setdefault("was", {})[name] = getattr(rules, name)
    gone = [i for i in dict.fromkeys(str(v).strip() for v in form("remove")) if i]
    if gone:
        known = base.staff_by_id
        edits["remove"] = [{"staff_id": i, "name": known[i].name if i in known else ""} for i in gone]
    hired = []
    for n in range(HIRE_ROWS):
        row = {k: _first(form, f"hire_{k}_{n}") for k in HIRE_FIELDS}
        if not (row["name"] or row["skills"] or row["available"]):
            continue
        person = {k: v for k, v in row.items() if v}
        if _first(form, f"hire_check_{n}"):
            person["background_check"] = "yes"
        hired.append(person)
    if hired:
        edits["hire"] = hired
    grade, raw = _first(form, "scale_grade"), _first(form, "scale_factor")
    if grade and raw:
        try:
            factor = float(raw)
        except ValueError:
            factor = -1.0
        if not 0 <= factor <= MAX_FACTOR:
            findings.append(_error("web.whatif.bad_number", "scale_factor", raw, "web.whatif.expect_factor"))
        elif factor != 1:
            edits["scale"] = {"grade": None if grade == "all" else _grade(grade), "factor": factor}
    if not edits and not findings:
        findings.append(_error("web.whatif.nothing", "", "", "web.whatif.expect_edit"))
    return edits, findings


def _grade(text: str) -> int | str:
    """A grade chosen on the form (a number; anything else is left for ``scale_demand`` to refuse)."""
    try:
        return int(text)
    except ValueError:
        return text


def apply(base: Scenario, edits: dict[str, Any]) -> Scenario:
    """``base`` with the edits (rules, staff removed, staff hired, demand, in that order); :class:`ScenarioError`."""
    scenario = base
    if edits.get("rules"):
        scenario = with_rules(scenario, **edits["rules"])
    if edits.get("remove"):
        scenario = remove_staff(scenario, *(p["staff_id"] for p in edits["remove"]))
    for person in edits.get("hire", ()):
        scenario = add_staff(scenario, **person)
    if edits.get("scale"):
        scale = edits["scale"]
        grade = scale["grade"]
        if grade is not None and not isinstance(grade, int):
            raise ScenarioError([_error("edit.no_students", "scale_grade", str(grade), "")])
        scenario = scale_demand(scenario, grade=grade, factor=scale["factor"], seed=base.school.rules.seed)
    return scenario


def check(base: Scenario, edits: dict[str, Any]) -> list[Finding]:
    """The findings of applying ``edits`` to ``base`` (empty: the what-if can be solved)."""
    try:
        apply(base, edits)
    except ScenarioError as exc:
        return list(exc.findings)
    return []


def describe(edits: dict[str, Any], lang: str) -> list[str]:
    """Each edit in words (``组容量（每组最多人数）：45 → 50`` …), in the order they are applied."""
    said = []
    for name, new in edits.get("rules", {}).items():
        old = edits.get("was", {}).get(name, "")
        said.append(t("web.whatif.said.rule", lang, rule=t(f"web.whatif.rule.{name}", lang), old=old, new=new))
    for person in edits.get("remove", ()):
        said.append(t("web.whatif.said.remove", lang, id=person["staff_id"], name=person.get("name", "")).strip())
    for person in edits.get("hire", ()):
        kind = word("staff_kind", person.get("kind") or StaffKind.TEACHER.value, lang)
        parts = [
            t("web.whatif.said.hire", lang, name=person.get("name") or t("web.whatif.said.unnamed", lang), kind=kind)
        ]
        if person.get("skills"):
            parts.append(t("web.whatif.said.skills", lang, skills=words("skill", person["skills"], lang)))
        if person.get("available"):
            parts.append(t("web.whatif.said.available", lang, available=words("day", person["available"], lang)))
        if person.get("background_check"):
            parts.append(t("web.whatif.said.cleared", lang))
        said.append(t("web.whatif.said.sep", lang).join(parts))
    if edits.get("scale"):
        grade = edits["scale"]["grade"]
        who = t("web.whatif.said.all_grades", lang) if grade is None else t("web.whatif.said.grade", lang, n=grade)
        said.append(t("web.whatif.said.scale", lang, grade=who, factor=f"{edits['scale']['factor']:g}"))
    return said
