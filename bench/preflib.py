"""Real preference data: PrefLib 00038 (student–project allocation, Glasgow 2007–2015) as a school.

Each year becomes a school by the mapping in ``shared/data/preflib-00038/README.md``: every
student in grade 6 (classes of at most 40) with service at every slot; each ranked list their
choice1…choice5; each project a club activity (one place, one group) with its own skill, meeting
at the slot given by its position in its supervisor's list; each supervisor a teacher whose skills
are their projects and whose ``max_periods_week`` is their capacity (years without capacities:
one unlimited teacher per project); care for grade 6 with enough care teachers and classrooms.

The exact optimum — the most students given one of their choices, then the least rank cost — is
a min-cost flow students → projects (1) → supervisors (capacity) → sink, computed here with
OR-Tools' network flow, apart from the product. The product's plan is read from its
``assignments`` rows. Prints one row per year and exits 1 when a year falls short.

    .venv/bin/python bench/preflib.py [--years 1-8] [--data bench/data/preflib-00038]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ortools.graph.python import min_cost_flow

from cluster_planner.domain import Activity, HomeClass, Room, Scenario, School, Staff, Student, Timeslot
from cluster_planner.plan import Plan
from cluster_planner.solver import SolveSettings, solve_scenario

DATA = Path(__file__).resolve().parent / "data" / "preflib-00038"  # a copy of shared/data (cite: its README)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
BLOCKS = (("15:50", "16:30"), ("16:40", "17:20"), ("17:25", "18:00"))
CHOICES = 5


@dataclass(frozen=True)
class Year:
    """One year of the data set: ranked lists (project numbers, 0-based) and supervisors."""

    number: int
    prefs: tuple[tuple[int, ...], ...]
    supervisors: tuple[tuple[int, tuple[int, ...]], ...] | None  # (capacity, projects); None: no capacities
    projects: int


def read_year(folder: Path, number: int) -> Year:
    """Read ``00038-0000000N.soi`` (and ``.dat`` where the year has capacities)."""
    soi = (folder / f"00038-{number:08d}.soi").read_text(encoding="utf-8")
    prefs: list[tuple[int, ...]] = []
    projects = 0
    for line in soi.splitlines():
        if line.startswith("# NUMBER ALTERNATIVES:"):
            projects = int(line.split(":")[1])
        if line.startswith("#") or ":" not in line:
            continue
        count, ranking = line.split(":", 1)
        ranked = tuple(int(x) - 1 for x in ranking.replace("{", "").replace("}", "").split(",") if x.strip())
        prefs.extend([ranked[:CHOICES]] * int(count))
    dat = folder / f"00038-{number:08d}.dat"
    supervisors = None
    if dat.exists() and dat.read_text(encoding="utf-8").strip():
        rows = dat.read_text(encoding="utf-8").splitlines()[1:]
        supervisors = tuple(
            (int(cap), tuple(int(p) for p in items.split()))
            for _, cap, items in (row.split(",", 2) for row in rows if row.strip())
        )
    return Year(number, tuple(prefs), supervisors, projects)


def optimum(year: Year) -> tuple[int, int]:
    """(students given a choice, their rank cost) of the exact optimum: max flow at min cost."""
    flow = min_cost_flow.SimpleMinCostFlow()
    n = len(year.prefs)
    source, sink = 0, 1
    student = {s: 2 + s for s in range(n)}
    project = {p: 2 + n + p for p in range(year.projects)}
    base = 2 + n + year.projects
    for s, ranked in enumerate(year.prefs):
        flow.add_arc_with_capacity_and_unit_cost(source, student[s], 1, 0)
        for rank, p in enumerate(ranked, start=1):
            flow.add_arc_with_capacity_and_unit_cost(student[s], project[p], 1, rank)
    if year.supervisors is None:
        for p in range(year.projects):
            flow.add_arc_with_capacity_and_unit_cost(project[p], sink, 1, 0)
    else:
        for k, (cap, items) in enumerate(year.supervisors):
            for p in items:
                flow.add_arc_with_capacity_and_unit_cost(project[p], base + k, 1, 0)
            flow.add_arc_with_capacity_and_unit_cost(base + k, sink, cap, 0)
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"year {year.number}: min-cost flow status {status}")
    return flow.maximum_flow(), flow.optimal_cost()


def school_of(year: Year) -> Scenario:
    """The year as a school (README mapping)."""
    if year.supervisors is None:
        supervisors = tuple((None, (p,)) for p in range(year.projects))
        slot_of = dict.fromkeys(range(year.projects), 0)
    else:
        supervisors = year.supervisors
        slot_of = {p: i for _, items in supervisors for i, p in enumerate(items)}
    num_slots = max(slot_of.values(), default=0) + 1
    slots = [
        Timeslot(slot_id=f"S{k + 1}", day=DAYS[k % 5], start=BLOCKS[k // 5][0], end=BLOCKS[k // 5][1], kind="club")
        for k in range(num_slots)
    ]
    n = len(year.prefs)
    classes = [HomeClass(class_id=f"6-{c + 1}", grade=6) for c in range(math.ceil(n / 40))]
    students = [
        Student(
            student_id=f"S{s + 1:03d}",
            class_id=f"6-{s // 40 + 1}",
            **{f"choice{r}": f"P{p}" for r, p in enumerate(ranked, start=1)},
        )
        for s, ranked in enumerate(year.prefs)
    ]
    offered = sorted(slot_of)
    activities = [
        Activity(activity_id="CARE", name="托管", kind="care", grades="6", skill="care", room_type="classroom"),
        *(
            Activity(
                activity_id=f"P{p}",
                name=f"Project {p}",
                kind="club",
                grades="6",
                slots=f"S{slot_of[p] + 1}",
                min_size=1,
                max_size=1,
                max_groups=1,
                skill=f"p{p}",
                room_type="classroom",
            )
            for p in offered
        ),
    ]
    staff = [
        Staff(
            staff_id=f"V{k:03d}",
            kind="teacher",
            skills=" ".join(f"p{p}" for p in items),
            max_periods_week=cap,
        )
        for k, (cap, items) in enumerate(supervisors)
    ]
    care_groups = math.ceil(n / 40) + 1
    staff += [Staff(staff_id=f"C{k:03d}", kind="teacher", skills="care") for k in range(care_groups)]
    per_slot = max((sum(1 for p in offered if slot_of[p] == k) for k in range(num_slots)), default=0)
    rooms = [Room(room_id=f"R{k:03d}", type="classroom", capacity=50) for k in range(per_slot + care_groups)]
    school = School(
        name=f"PrefLib 00038 year {year.number}",
        term_start="2026-09-07",
        term_end="2026-12-25",
        rules={"activities_per_student": 1},
    )
    return Scenario(
        school=school,
        timeslots=tuple(slots),
        classes=tuple(classes),
        students=tuple(students),
        activities=tuple(activities),
        staff=tuple(staff),
        rooms=tuple(rooms),
    )


def granted(plan: Plan) -> tuple[int, int]:
    """(students given a choice, their rank cost) read from the plan's assignments."""
    ranks: dict[str, int] = {}
    for a in plan.assignments:
        if a.choice_rank is not None:
            ranks[a.student_id] = a.choice_rank
    return len(ranks), sum(ranks.values())


def run_year(year: Year, time_limit: float = 60.0) -> tuple[tuple[int, int], tuple[int, int], float, str]:
    """(optimum, plan's figures, seconds, plan status) for one year."""
    best = optimum(year)
    started = time.monotonic()
    plan = solve_scenario(school_of(year), SolveSettings(time_limit=time_limit, workers=1, seed=0)).plan
    return best, granted(plan), time.monotonic() - started, plan.meta.status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", default="1-8")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    lo, _, hi = args.years.partition("-")
    short = 0
    print("| year | students | projects | capacities | optimum: given a choice | rank cost | plan: given a choice"
          " | rank cost | seconds | status |")  # fmt: skip
    print("|--:|--:|--:|---|--:|--:|--:|--:|--:|---|")
    for number in range(int(lo), int(hi or lo) + 1):
        year = read_year(args.data, number)
        (best_n, best_cost), (n, cost), seconds, status = run_year(year, args.time_limit)
        short += (n, -cost) != (best_n, -best_cost)
        print(
            f"| {number} | {len(year.prefs)} | {year.projects} | {'yes' if year.supervisors else 'no'} |"
            f" {best_n} | {best_cost} | {n} | {cost} | {seconds:.1f} | {status} |",
            flush=True,
        )
    print(f"\n{short} year(s) short of the optimum")
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
