"""The explanation model asks the rule book and has the planner's shape (issue 12 items 1, 2, 5)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from builders import Activity, HomeClass, care_activity, classrooms, scenario, school, slots, students_of, teachers

import cluster_planner.explain as explain_package
from cluster_planner.domain import Timeslot
from cluster_planner.explain import find_conflict
from cluster_planner.explain.instances import RULE_IDS, Family
from cluster_planner.explain.model import FeasibilityModel
from cluster_planner.rules import RULES, weekly_patterns


def test_weekly_patterns_are_the_planners_distinct_days_first():
    """H4: explain's own pattern list began with two meetings on one day; the planner's, on two days."""
    art = Activity(activity_id="ART", name="美术", kind="art", grades="1-6", slots="Mon-1 Mon-2 Tue-1 Tue-2")
    art = art.model_copy(update={"sessions_per_week": 2})
    sc = scenario(
        school=school(),
        timeslots=slots(("Mon", "Tue")),
        classes=[HomeClass(class_id="101", grade=1)],
        students=students_of("101", 10, choice1="ART"),
        activities=[care_activity(), art],
        staff=teachers(2, skills="care art"),
        rooms=classrooms(2),
    )
    patterns = FeasibilityModel(sc).patterns["ART"]
    assert patterns == weekly_patterns(sc, art)
    assert {sc.slot_by_id[s].day for s in patterns[0]} == {"Mon", "Tue"}


def _two_bells(summer_only: bool):
    """Primary care 15:50–16:35 and junior care 16:20–17:05 on Monday (or apart in autumn and
    overlapping in summer); one room for one group at a time, two teachers."""
    if summer_only:
        primary = Timeslot(
            slot_id="P-1", day="Mon", start="15:50", end="16:20", summer_start="16:00", summer_end="16:45",
            kind="care", grades="1-6",
        )  # fmt: skip
        junior = Timeslot(
            slot_id="J-1", day="Mon", start="16:30", end="17:10", summer_start="16:30", summer_end="17:10",
            kind="care", grades="7-9",
        )  # fmt: skip
    else:
        primary = Timeslot(slot_id="P-1", day="Mon", start="15:50", end="16:35", kind="care", grades="1-6")
        junior = Timeslot(slot_id="J-1", day="Mon", start="16:20", end="17:05", kind="care", grades="7-9")
    junior_care = care_activity("7-9").model_copy(update={"activity_id": "CARE-J"})
    return scenario(
        school=school(),
        timeslots=[primary, junior],
        classes=[HomeClass(class_id="101", grade=1), HomeClass(class_id="701", grade=7)],
        students=[*students_of("101", 10), *students_of("701", 10)],
        activities=[care_activity("1-6"), junior_care],
        staff=teachers(2),
        rooms=classrooms(1),
    )


@pytest.mark.parametrize("summer_only", [False, True])
def test_two_bells_one_room_cannot_hold_both_groups(summer_only):
    """R1 in either season: slots at once share the room (explain counted the room per slot id)."""
    conflict = find_conflict(_two_bells(summer_only))
    assert conflict is not None and conflict.minimal
    assert (Family.ROOM, "R01") in {(r.family, r.subject) for r in conflict.rules}


def test_model_shape_constraints_per_rule_and_named_objective_terms():
    fm = FeasibilityModel(_two_bells(False), suggest=True)
    assert set(fm.objective_terms()) == {"cost", "unplaced", "granted", "first_choice"}
    rules_added = [n for n in vars(FeasibilityModel) if n.startswith("_add_") and not n.endswith("_variables")]
    source = ast.unparse(ast.parse(Path(explain_package.__file__).with_name("model.py").read_text(encoding="utf-8")))
    assert all(f"self.{name}()" in source for name in rules_added)
    assert all(RULE_IDS[f] in RULES or RULE_IDS[f] == "" for f in Family)  # every family is a DOMAIN.md rule


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return out


def test_explain_imports_no_solver_internals_and_no_api():
    """explain calls the rule book; only --student asks the planner, through the solver package."""
    allowed = {("student.py", "cluster_planner.solver"), ("student.py", "cluster_planner.api")}  # api: until
    # load_plan_folder leaves the API layer (issue 12 item 5)
    for path in sorted(Path(explain_package.__file__).parent.glob("*.py")):
        for module in _imports(path):
            if module.startswith(("cluster_planner.solver", "cluster_planner.api")):
                assert (path.name, module) in allowed, f"{path.name} imports {module}"
