"""Robustness sweep: many generated schools under varied rules and scarcity, each plan checked.

Not a test (minutes, not seconds): a search for plans the independent checker rejects. Each
school is ``generate_school`` with random size and grades, rules drawn from wide ranges
(ratio, group cap, merge threshold, grade span, activities per student, tutoring per day)
and only a share of its staff and rooms. Prints one line per school and exits 1 if any plan
breaks a rule. Found in session 2: care groups over the care activity's cap, a class over the
cap but under the threshold never split, class activities and care left without an adult.

    .venv/bin/python bench/sweep.py --seed 4 --count 40 --resolves 1 --jobs 2
    .venv/bin/python bench/sweep.py --seed 4 --only 7 12 --show 50   # rerun two cases
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from cluster_planner.check import check_plan
from cluster_planner.domain import Priority, Scenario
from cluster_planner.domain.entities import Change
from cluster_planner.errors import PlannerError
from cluster_planner.generate import generate_school
from cluster_planner.midterm import resolve_plan
from cluster_planner.plan.folder import save_plan_folder
from cluster_planner.solver import SolveSettings, solve_scenario


def varied(
    base: Scenario,
    rules: dict[str, int],
    keep_staff: float,
    keep_rooms: float,
    weekly_limit: float | None = None,
    priority_class: bool = False,
) -> Scenario:
    """The school with other rules and only a share of its staff and rooms (no duty posts).

    ``weekly_limit``: every other adult may work at most that many periods a week (limits that
    bind); ``priority_class``: the smallest home class is all left-behind pupils (S2 in a small class).
    """
    school = base.school.model_copy(update={"rules": base.school.rules.model_copy(update=rules)})
    staff = base.staff[: max(1, round(len(base.staff) * keep_staff))]
    if weekly_limit is not None:
        staff = tuple(
            p.model_copy(update={"max_periods_week": weekly_limit}) if k % 2 else p for k, p in enumerate(staff)
        )
    rooms = base.rooms[: max(1, round(len(base.rooms) * keep_rooms))]
    students = base.students
    if priority_class and base.classes:
        sizes = {c.class_id: len(base.students_by_class.get(c.class_id, ())) for c in base.classes}
        smallest = min((c for c in sizes if sizes[c]), key=lambda c: (sizes[c], c), default=None)
        students = tuple(
            s.model_copy(update={"priority": frozenset({Priority.LEFT_BEHIND})}) if s.class_id == smallest else s
            for s in students
        )
    kept = {p.staff_id for p in staff}
    kept_rooms = {r.room_id for r in rooms}
    classes = tuple(
        c.model_copy(
            update={
                "room_id": c.room_id if c.room_id in kept_rooms else None,
                "homeroom_teacher": c.homeroom_teacher if c.homeroom_teacher in kept else None,
            }
        )
        for c in base.classes
    )  # references to adults and rooms no longer there would make the scenario invalid
    students = tuple(
        s.model_copy(update={"teacher_pref": None}) if s.teacher_pref and s.teacher_pref not in kept else s
        for s in students
    )  # a preference for an adult no longer there would make the scenario invalid
    update = {"school": school, "staff": staff, "rooms": rooms, "duties": (), "students": students, "classes": classes}
    return base.model_copy(update=update)


SIZES = (30, 400)  # students of a sweep school, fewest and most


def school_case(rng: random.Random, sizes: tuple[int, int] = SIZES) -> tuple[str, Scenario]:
    """One generated school of the sweep: size, grades, rules, scarcity, bells, limits, priority."""
    size, grades, seed = rng.randint(*sizes), rng.choice(["1-3", "1-6", "4-6", "7-9", "1-9"]), rng.randint(0, 999)
    rules = {
        "ratio": rng.choice([10, 15, 25, 50]),
        "group_cap": rng.choice([15, 25, 35, 45]),
        "merge_threshold": rng.choice([8, 15, 25, 40]),
        "max_grade_span": rng.choice([0, 1, 2, 3]),
        "activities_per_student": rng.choice([0, 1, 2, 3]),
        "max_tutoring_per_day": rng.choice([0, 1, 2]),
    }
    keep_staff, keep_rooms = rng.choice([0.2, 0.5, 1.0]), rng.choice([0.2, 0.5, 1.0])
    evening = grades == "7-9" and rng.random() < 0.5
    bells = grades == "1-9" and rng.random() < 0.7
    limit = rng.choice([None, None, 2.0, 3.0, 5.0])
    priority = rng.random() < 0.5
    base = generate_school(size, grades, seed=seed, evening_study=evening, overlapping_bells=bells)
    scenario = varied(base, rules, keep_staff, keep_rooms, weekly_limit=limit, priority_class=priority)
    label = (
        f"{size:4d} students, grades {grades}{' two bells' if bells else ''}, {rules}, staff {keep_staff:.0%},"
        f" rooms {keep_rooms:.0%}, week limit {limit}, priority class {priority}"
    )
    return label, scenario


def random_changes(
    scenario: Scenario, rng: random.Random, count: int = 6, after: date | None = None
) -> tuple[Change, ...]:
    """Mid-term changes a school sees: joiners (some of them priority pupils), exits, a change of
    days, an adult on leave and a room closed, dated inside the term (after ``after``, the date the
    plan they change took effect)."""
    start = after or scenario.school.term_start
    when = (start + timedelta(days=rng.randint(14, 40))).isoformat()
    approved = [s for s in scenario.students if s.status.value == "approved"]
    rows: list[Change] = []
    for k in range(rng.randint(1, count)):
        home = rng.choice(scenario.classes)
        student = {"name": f"插班生{k}", "class_id": home.class_id}
        if rng.random() < 0.4:
            student["priority"] = "left_behind"
        rows.append(Change(date=when, action="join", id=f"J{k:03d}", student=student))
    for s in rng.sample(approved, min(len(approved), rng.randint(0, 3))):
        rows.append(Change(date=when, action="exit", id=s.student_id))
    if approved and rng.random() < 0.5:
        s = rng.choice(approved)
        rows.append(Change(date=when, action="change", id=s.student_id, student={"days": "Mon Wed"}))
    if scenario.staff and rng.random() < 0.5:
        rows.append(Change(date=when, action="staff_leave", id=rng.choice(scenario.staff).staff_id))
    if scenario.rooms and rng.random() < 0.3:
        rows.append(Change(date=when, action="room_closed", id=rng.choice(scenario.rooms).room_id))
    return tuple(rows)


def run_case(seed: int, k: int, resolves: int, out: Path, sizes: tuple[int, int] = SIZES) -> tuple[str, list[str], int]:
    """One school of the sweep (its own seeded generator, so any case reruns alone): the line
    printed, the violations found and how many of them were at term start."""
    rng = random.Random(seed * 100_003 + k)
    label, scenario = school_case(rng, sizes)
    started = time.monotonic()
    plan = solve_scenario(scenario, SolveSettings(time_limit=60, deterministic_limit=5)).plan
    folder = save_plan_folder(plan, scenario, out / f"school{k}")
    violations = check_plan(scenario, folder)
    at_start = len(violations)
    refused = ""
    after = None
    for r in range(resolves):
        changes = random_changes(scenario, rng, after=after)
        after = changes[0].date
        again = out / f"school{k}-v{r + 2}"
        try:
            new = resolve_plan(folder, changes, out=again, reports=False, time_limit=60)
        except PlannerError as error:  # a re-solve that refuses is a failure of the case, not of the sweep
            refused = f"re-solve {r + 2} refused: {error}"
            break
        violations += check_plan(new.scenario, again)
        scenario, folder = new.scenario, again
    kinds = Counter(f"{v.rule} {v.code}" for v in violations)
    verdict = f"{len(violations)} violations ({at_start} at term start): {dict(kinds)}" if violations else "ok"
    verdict += f", {refused}" if refused else ""
    line = (
        f"{k:3d} {label}: {time.monotonic() - started:5.1f} s, {len(plan.unplaced)} unplaced slots at term start,"
        f" {resolves} re-solve(s), {verdict}"
    )
    return line, [str(v) for v in violations] + ([refused] if refused else []), at_start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--resolves", type=int, default=0, help="random mid-term re-solves after each plan")
    parser.add_argument("--only", type=int, nargs="*", help="run only these cases (by number)")
    parser.add_argument("--jobs", type=int, default=1, help="schools solved side by side (one CP-SAT worker each)")
    parser.add_argument("--show", type=int, default=5, help="violations printed per school")
    parser.add_argument("--sizes", type=int, nargs=2, default=SIZES, help="fewest and most students of a school")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="sweep-"))
    cases = args.only if args.only else list(range(args.count))
    broken = 0
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        sizes = tuple(args.sizes)
        futures = [pool.submit(run_case, args.seed, k, args.resolves, out, sizes) for k in cases]
        for future in futures:
            line, violations, _ = future.result()
            broken += bool(violations)
            print(line, flush=True)
            for v in violations[: args.show]:
                print(f"      {v}", flush=True)
    print(f"{len(cases) - broken} of {len(cases)} plans pass the checker (plans in {out})")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
