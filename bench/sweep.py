"""Robustness sweep: many generated schools under varied rules and scarcity, each plan checked.

Not a test (minutes, not seconds): a search for plans the independent checker rejects. Each
school is ``generate_school`` with random size and grades, rules drawn from wide ranges
(ratio, group cap, merge threshold, grade span, activities per student, tutoring per day)
and only a share of its staff and rooms. Prints one line per school and exits 1 if any plan
breaks a rule. Found in session 2: care groups over the care activity's cap, a class over the
cap but under the threshold never split, class activities and care left without an adult.

    .venv/bin/python bench/sweep.py --seed 4 --count 40
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from cluster_planner.check import check_plan
from cluster_planner.domain import Scenario
from cluster_planner.generate import generate_school
from cluster_planner.plan.io import save_plan
from cluster_planner.solver import SolveSettings, solve_scenario


def varied(base: Scenario, rules: dict[str, int], keep_staff: float, keep_rooms: float) -> Scenario:
    """The school with other rules and only a share of its staff and rooms (no duty posts)."""
    school = base.school.model_copy(update={"rules": base.school.rules.model_copy(update=rules)})
    staff = base.staff[: max(1, round(len(base.staff) * keep_staff))]
    rooms = base.rooms[: max(1, round(len(base.rooms) * keep_rooms))]
    return base.model_copy(update={"school": school, "staff": staff, "rooms": rooms, "duties": ()})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = Path(tempfile.mkdtemp(prefix="sweep-"))
    broken = 0
    for k in range(args.count):
        size, grades, seed = rng.randint(30, 400), rng.choice(["1-3", "1-6", "4-6", "7-9", "1-9"]), rng.randint(0, 999)
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
        scenario = varied(
            generate_school(size, grades, seed=seed, evening_study=evening), rules, keep_staff, keep_rooms
        )
        started = time.monotonic()
        plan = solve_scenario(scenario, SolveSettings(time_limit=60, deterministic_limit=5)).plan
        folder = save_plan(plan, out / f"school{k}")
        violations = check_plan(scenario, folder)
        broken += bool(violations)
        print(
            f"{k:3d} {size:4d} students, grades {grades}, {rules}, staff {keep_staff:.0%}, rooms {keep_rooms:.0%}:"
            f" {time.monotonic() - started:5.1f} s, {len(plan.unplaced)} unplaced slots,"
            f" {f'{len(violations)} violations' if violations else 'ok'}",
            flush=True,
        )
        for v in violations[:5]:
            print(f"      {v}", flush=True)
    print(f"{args.count - broken} of {args.count} plans pass the checker (plans in {out})")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
