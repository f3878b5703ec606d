"""``check_plan``: verify a plan folder against its scenario from the rules alone."""

from __future__ import annotations

from pathlib import Path

from cluster_planner.check.duties import check_duties
from cluster_planner.check.folder import STOPPING
from cluster_planner.check.groups import check_groups
from cluster_planner.check.joiners import check_joiners
from cluster_planner.check.pay import check_pay
from cluster_planner.check.plan_files import read_plan
from cluster_planner.check.priority import check_priority
from cluster_planner.check.references import check_consistency, check_references
from cluster_planner.check.rooms import check_rooms
from cluster_planner.check.staff import check_staff, commitments
from cluster_planner.check.students import check_students
from cluster_planner.check.view import PlanView
from cluster_planner.check.violation import Violation, sort_key
from cluster_planner.domain.scenario import Scenario

#: F1 codes that stop the check: the folder cannot be read as a plan (a plan file missing or unreadable,
#: a required column missing, plan.json unreadable).
UNREADABLE = STOPPING


def exit_code(violations: list[Violation]) -> int:
    """The exit code of ``check`` for these violations (FORMAT.md "Findings and exit codes").

    0 when there are none; 2 when the folder cannot be read as a plan (bad input: nothing else was
    checked); 1 when the plan, read, breaks a rule (unreadable cells and unknown ids, F2/F3, included).
    """
    if not violations:
        return 0
    return 2 if any(v.rule == "F1" and v.code in UNREADABLE for v in violations) else 1


def check_plan(scenario: Scenario, plan_dir: Path) -> list[Violation]:
    """Every rule the plan in ``plan_dir`` breaks, in report order; empty when it keeps them all.

    A plan whose files are missing, unreadable or lack required columns (F1) is reported with
    those problems only. Otherwise unreadable cells and unknown ids (F2) are reported and the
    rows they touch are skipped by the rules that need them.
    """
    plan, problems = read_plan(Path(plan_dir))
    if plan is None:
        return sorted(problems, key=sort_key)
    view = PlanView(scenario, plan)
    problems += check_references(view)
    problems += check_consistency(view)
    problems += check_students(view)
    problems += check_priority(view)
    problems += check_joiners(view)
    problems += check_groups(view)
    problems += check_staff(view)
    problems += check_duties(view)
    problems += check_rooms(view)
    problems += check_pay(view, commitments(view))
    return sorted(_unique(problems), key=sort_key)


def _unique(items: list[Violation]) -> list[Violation]:
    seen: set[tuple[str, str, tuple[str, ...], str]] = set()
    out = []
    for v in items:
        key = (v.rule, v.code, v.ids, repr(sorted(v.params.items())))
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out
