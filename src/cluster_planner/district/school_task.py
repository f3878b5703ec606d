"""One school of a district run: load, solve, save, check — a pure function a Dask worker runs.

:func:`plan_school` never raises for a school's own trouble (bad input, no plan, no plan in
time): it catches :class:`PlannerError` and returns a :class:`SchoolResult` whose
``outcome`` and ``problems`` say what went wrong, so one broken school never stops the
others. A school whose plan folder already holds a valid plan of the same scenario
(``plan.json`` ``scenario_hash`` equals the scenario's ``content_hash``, and the checker
finds nothing) is not solved again (``outcome == "kept"``): district runs are resumable.

Every figure in a result row is an aggregate; no name, phone or id of a person is kept
(district reports are shared beyond the school).
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

import pandas as pd

from cluster_planner import rules
from cluster_planner.domain import Scenario, StaffKind
from cluster_planner.domain.entities import Activity, ActivityMode
from cluster_planner.errors import InfeasibleError, PlannerError, ScenarioError, TimeLimitError
from cluster_planner.findings import Finding
from cluster_planner.i18n import register, t
from cluster_planner.plan import Plan
from cluster_planner.plan.figures import choices_granted

NO_ADULT = "reason.no_adult"
EXTERNAL_KINDS = frozenset({StaffKind.EXTERNAL, StaffKind.VOLUNTEER})
MAX_PROBLEMS = 3

register(
    {
        "district.no_plan_in_time": (
            "在时间限制内未找到任何方案；请放宽 --time-limit",
            "no plan was found within the time limit; allow more --time-limit",
        ),
        "district.check_failed": (
            "方案未通过独立检查：{count} 处违规（规则 {rules}），详见该校 check 命令输出",
            "the plan failed the independent check: {count} violations (rules {rules}); run check on the school",
        ),
        "district.internal": ("内部错误（程序缺陷）：{error}", "internal error (a bug): {error}"),
    }
)


class Outcome(StrEnum):
    """How one school's run ended."""

    PLANNED = "planned"  # solved now, saved, checked clean
    KEPT = "kept"  # an earlier valid plan of the same scenario was kept (resumed run)
    BAD_INPUT = "bad_input"  # the scenario cannot be planned as it stands (exit 2)
    INFEASIBLE = "infeasible"  # no plan satisfies the hard rules (exit 3)
    NO_PLAN_IN_TIME = "no_plan_in_time"  # the time limit passed before any plan (exit 4)
    CHECK_FAILED = "check_failed"  # saved, but the checker found violations (a bug)
    ERROR = "error"  # anything else (a bug or a lost worker)

    @property
    def ok(self) -> bool:
        return self in (Outcome.PLANNED, Outcome.KEPT)


@dataclass(frozen=True)
class SkillShortage:
    """Where adults with one skill were missing in one school.

    ``turned_away``: approved students who ranked an activity needing this skill above what
    they were granted (or got no choice), counted once per student and skill — an upper
    bound of what more adults with the skill could serve (rooms, slots and ``max_groups``
    may bind too). ``no_adult``: student × slot rows unplaced because no qualified adult was
    free (``reason_code == "reason.no_adult"``). ``qualified``: cleared adults with the skill.
    """

    skill: str
    turned_away: int
    no_adult: int
    qualified: int

    @property
    def score(self) -> int:
        return self.turned_away + self.no_adult


@dataclass(frozen=True)
class SchoolResult:
    """One row of the district report: what happened to one school, in figures only."""

    school_id: str
    outcome: Outcome
    name: str = ""
    level: str = ""
    problems: tuple[tuple[str, str], ...] = ()  # (zh, en) sentences, no personal data
    scenario_hash: str = ""
    applicants: int = 0
    approved: int = 0
    planned: int = 0
    unplaced: int = 0
    unplaced_priority: int = 0
    priority: int = 0
    with_choices: int = 0
    first_choice: int = 0
    any_choice: int = 0
    groups: int = 0
    adults: int = 0
    external_adults: int = 0
    periods_week: float = 0.0
    periods_term: float = 0.0
    cost: float = 0.0
    fee_income: float | None = None
    subsidy: float | None = None
    violations: int = 0
    seconds: float = 0.0
    shortages: tuple[SkillShortage, ...] = field(default=())

    @property
    def balance(self) -> float | None:
        if self.fee_income is None and self.subsidy is None:
            return None
        return round((self.fee_income or 0.0) + (self.subsidy or 0.0) - self.cost, 2)


@dataclass(frozen=True)
class SchoolJob:
    """What a worker needs to plan one school (plain paths and numbers: cheap to send)."""

    school_id: str
    scenario_path: str
    plan_dir: str
    time_limit: float = 120.0
    deterministic_limit: float = 30.0
    seed: int | None = None
    reports: bool = True


def plan_school(job: SchoolJob) -> SchoolResult:
    """Load, solve, save and check one school; never raises for the school's own trouble."""
    started = time.monotonic()
    try:
        result = _plan(job)
    except ScenarioError as exc:
        result = SchoolResult(job.school_id, Outcome.BAD_INPUT, problems=_finding_texts(exc))
    except InfeasibleError as exc:
        result = SchoolResult(job.school_id, Outcome.INFEASIBLE, problems=tuple((r, r) for r in exc.reasons[:3]))
    except TimeLimitError:
        words = (t("district.no_plan_in_time", "zh"), t("district.no_plan_in_time", "en"))
        result = SchoolResult(job.school_id, Outcome.NO_PLAN_IN_TIME, problems=(words,))
    except PlannerError as exc:
        result = SchoolResult(job.school_id, Outcome.BAD_INPUT, problems=((str(exc), str(exc)),))
    except Exception as exc:  # a bug in one school must not stop the district
        result = internal_error(job.school_id, exc)
    return _with_seconds(result, time.monotonic() - started)


def internal_error(school_id: str, exc: BaseException) -> SchoolResult:
    """The row of a school whose run hit a bug or lost its worker."""
    text = f"{type(exc).__name__}: {exc}"[:300]
    return SchoolResult(
        school_id,
        Outcome.ERROR,
        problems=((t("district.internal", "zh", error=text), t("district.internal", "en", error=text)),),
    )


def _with_seconds(result: SchoolResult, seconds: float) -> SchoolResult:
    return replace(result, seconds=round(seconds, 2))


def _finding_texts(exc: ScenarioError) -> tuple[tuple[str, str], ...]:
    """The first errors in words, without the offending value (it may be personal data)."""
    errors = [f for f in exc.findings if f.is_error][:MAX_PROBLEMS]
    return tuple((_finding_line(f, "zh"), _finding_line(f, "en")) for f in errors)


def _finding_line(finding: Finding, lang: str) -> str:
    where = finding.where(lang)
    return f"{where}: {finding.message(lang)}" if where else finding.message(lang)


def _plan(job: SchoolJob) -> SchoolResult:
    from cluster_planner import api
    from cluster_planner.check import check_plan
    from cluster_planner.io.loader import load_scenario_with_findings

    scenario, _warnings = load_scenario_with_findings(Path(job.scenario_path))
    plan_dir = Path(job.plan_dir)
    digest = scenario.content_hash()
    if _stored_hash(plan_dir) == digest:
        violations = check_plan(scenario, plan_dir)
        if not violations:
            plan = api.load_plan_folder(plan_dir)[0]
            return figures(job.school_id, scenario, plan, Outcome.KEPT)
    plan = api.solve(
        scenario,
        time_limit=job.time_limit,
        seed=job.seed,
        workers=1,
        deterministic_limit=job.deterministic_limit,
    )
    api.save(plan, plan_dir, scenario=scenario, reports=job.reports)
    violations = check_plan(scenario, plan_dir)
    row = figures(job.school_id, scenario, plan, Outcome.PLANNED if not violations else Outcome.CHECK_FAILED)
    if violations:
        rules = " ".join(sorted({v.rule for v in violations}))  # rule ids only: messages name students
        words = (
            t("district.check_failed", "zh", count=len(violations), rules=rules),
            t("district.check_failed", "en", count=len(violations), rules=rules),
        )
        row = replace(row, violations=len(violations), problems=(words,))
    return row


def _stored_hash(plan_dir: Path) -> str | None:
    """The scenario hash in ``plan_dir/plan.json``, or None when there is no readable plan."""
    meta = plan_dir / "plan.json"
    if not (plan_dir / "groups.csv").exists() or not meta.exists():
        return None
    try:
        return json.loads(meta.read_text("utf-8")).get("scenario_hash") or None
    except (OSError, ValueError):
        return None


def figures(school_id: str, scenario: Scenario, plan: Plan, outcome: Outcome) -> SchoolResult:
    """The school's row, recomputed from the plan and the scenario (the report's summary figures)."""
    from cluster_planner.report.tables import summary

    approved = scenario.approved_students
    unplaced_ids = {u.student_id for u in plan.unplaced}
    priority = [s for s in approved if scenario.is_priority(s)]
    wanting = [s for s in approved if s.choices]
    best = choices_granted(scenario, plan.assignments)
    adults = {p for g in plan.groups for p in g.staff_ids} | {d.staff_id for d in plan.duty_roster}
    staff = scenario.staff_by_id
    money = _money(summary(scenario, plan, "en"))
    return SchoolResult(
        school_id=school_id,
        outcome=outcome,
        name=scenario.school.name,
        level=scenario.school.level.value,
        scenario_hash=plan.meta.scenario_hash,
        applicants=len(scenario.students),
        approved=len(approved),
        planned=sum(1 for s in approved if s.student_id not in unplaced_ids),
        unplaced=sum(1 for s in approved if s.student_id in unplaced_ids),
        unplaced_priority=sum(1 for s in priority if s.student_id in unplaced_ids),
        priority=len(priority),
        with_choices=len(wanting),
        first_choice=sum(1 for s in wanting if best.get(s.student_id) == 1),
        any_choice=sum(1 for s in wanting if best.get(s.student_id) is not None),
        groups=len({g.group_id for g in plan.groups}),
        adults=len(adults),
        external_adults=sum(1 for p in adults if p in staff and staff[p].kind in EXTERNAL_KINDS),
        periods_week=round(sum(x.periods_week for x in plan.staff_load), 2),
        periods_term=round(sum(x.periods_term for x in plan.staff_load), 2),
        cost=money["cost"] or 0.0,
        fee_income=money["fee_income"],
        subsidy=money["subsidy"],
        shortages=skill_shortages(scenario, plan),
    )


def _money(table: pd.DataFrame) -> dict[str, float | None]:
    """Cost, fee income and subsidy read from the school report's summary (one source of the figures)."""
    values = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    out: dict[str, float | None] = {}
    for key in ("cost", "fee_income", "subsidy"):
        value = values.get(t(f"report.sum.{key}", "en"))
        out[key] = float(value) if isinstance(value, (int, float)) else None
    return out


def skill_key(skills: frozenset[str]) -> str:
    """One label for an activity's skill set (any one of them qualifies, T3)."""
    return " / ".join(sorted(skills))


def skill_shortages(scenario: Scenario, plan: Plan) -> tuple[SkillShortage, ...]:
    """Per skill: students turned away from activities needing it, and slots left without an adult."""
    granted: dict[str, dict[str, int]] = defaultdict(dict)
    for a in plan.assignments:
        if a.choice_rank is not None and a.activity_id:
            granted[a.student_id][a.activity_id] = a.choice_rank
    per_student = scenario.school.rules.activities_per_student
    turned: dict[str, set[str]] = defaultdict(set)
    for s in scenario.approved_students:
        got = granted.get(s.student_id, {})
        worst = max(got.values(), default=None)
        grade = scenario.grade_of(s)
        for rank, aid in s.choices:
            activity = scenario.activity_by_id.get(aid)
            if activity is None or not activity.skill or activity.mode != ActivityMode.CHOICE:
                continue
            if aid in got or not activity.eligible(grade):
                continue
            if len(got) < per_student or (worst is not None and rank < worst):
                turned[skill_key(activity.skill)].add(s.student_id)
    no_adult: Counter[str] = Counter()
    for u in plan.unplaced:
        if u.reason_code == NO_ADULT:
            activity = _activity_named_in(scenario, u.reason)
            no_adult[skill_key(activity.skill) if activity and activity.skill else "?"] += 1
    out = []
    for skill in sorted(set(turned) | set(no_adult)):
        words = set(skill.split(" / "))
        needs = Activity(activity_id="?", skill=frozenset(words))
        qualified = sum(1 for p in scenario.staff if rules.is_cleared(p) and rules.qualified_for(p, needs))
        out.append(SkillShortage(skill, len(turned.get(skill, ())), no_adult.get(skill, 0), qualified))
    return tuple(sorted(out, key=lambda x: (-x.score, x.skill)))


def _activity_named_in(scenario: Scenario, reason: str) -> Activity | None:
    """The activity whose name the solver put into an unplaced reason (the longest name found)."""
    found = [a for a in scenario.activities if (a.name or a.activity_id) and (a.name or a.activity_id) in reason]
    return max(found, key=lambda a: len(a.name or a.activity_id), default=None)
