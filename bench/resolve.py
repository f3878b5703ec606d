"""Benchmark the mid-term re-solve (issue #5): 20 mixed changes on nine-year-3000.

The term-start plan is solved once (about 100 s) and cached under ``out/bench/resolve/v1``;
then a fixed-seed batch of changes (exits, joins, changes of choices or days, staff leave,
room closures) is generated and re-solved:

    .venv/bin/python bench/resolve.py                       # nine-year-3000, 20 changes, seed 5
    .venv/bin/python bench/resolve.py --changes 40 --seed 7 --fill-freed

Printed: *repair* = applying the changes and re-solving (the issue's figure: interpreter start,
reading the plan folder and writing files excluded), *total* = ``cp.resolve`` end to end with
the plan files written but no reports, the students moved who did not change themselves
(target 0 where capacity allows), student-slots left unplaced, and the checker's verdict.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cluster_planner.domain import Scenario
    from cluster_planner.domain.entities import Change
    from cluster_planner.plan import Plan

ROOT = Path(__file__).resolve().parent.parent


def make_changes(scenario: Scenario, plan: Plan, n: int, seed: int) -> tuple[Change, ...]:
    """``n`` mixed change rows: 30 % exits, 30 % joins, 20 % changes, 10 % staff leave, 10 % closures."""
    from cluster_planner.domain.entities import Change

    rng = random.Random(seed)
    students = list(scenario.approved_students)
    leading = sorted({p for g in plan.groups for p in g.staff_ids})
    rooms = sorted({g.room_id for g in plan.groups if g.room_id})
    kinds = ["exit"] * 3 + ["join"] * 3 + ["change"] * 2 + ["staff_leave"] * 1 + ["room_closed"] * 1
    rows, used = [], set()
    day = "2026-10-12"
    for k in range(n):
        kind = kinds[k % len(kinds)]
        cid = f"B{k + 1:03d}"
        if kind in ("exit", "change"):
            s = rng.choice([s for s in students if s.student_id not in used])
            used.add(s.student_id)
            student = {}
            if kind == "change":
                mate = rng.choice(students)
                student = {f"choice{i}": a for i, (_, a) in enumerate(mate.choices, start=1) if i <= 5}
                student = {**student, **{f"choice{i}": "" for i in range(len(student) + 1, 6)}}
                student = {k2: v for k2, v in student.items() if v}
            rows.append(Change(change_id=cid, date=day, action=kind, id=s.student_id, student=student))
        elif kind == "join":
            mate = rng.choice(students)  # a classmate-like application
            data = {"class_id": mate.class_id, "name": f"新生{k}"}
            data.update({f"choice{i}": a for i, (_, a) in enumerate(mate.choices, start=1)})
            if mate.days:
                data["days"] = " ".join(d.value for d in mate.days)
            rows.append(Change(change_id=cid, date=day, action="join", id=f"NEW{k:03d}", student=data))
        elif kind == "staff_leave":
            rows.append(Change(change_id=cid, date=day, until="2026-10-30", action=kind, id=rng.choice(leading)))
        else:
            rows.append(Change(change_id=cid, date=day, action=kind, id=rng.choice(rooms)))
    return tuple(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "nine-year-3000"))
    parser.add_argument("--cache", default=str(ROOT / "out" / "bench" / "resolve" / "v1"))
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--fill-freed", action="store_true")
    args = parser.parse_args()

    import cluster_planner as cp
    from cluster_planner.check import check_plan
    from cluster_planner.midterm import resolve_plan

    cache = Path(args.cache)
    if not (cache / "groups.csv").exists():
        print(f"solving {args.scenario} once (cached in {cache}) …", file=sys.stderr)
        scenario = cp.load(args.scenario)
        cp.save(cp.solve(scenario, time_limit=300), cache, reports=False)
    plan, scenario = cp.load_plan_folder(cache)
    changes = make_changes(scenario, plan, args.changes, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "v2"
        started = time.perf_counter()
        res = resolve_plan(plan, changes, out=out, fill_freed=args.fill_freed, reports=False)
        total = time.perf_counter() - started
        violations = check_plan(cp.load(out / "scenario"), out)
    counts: dict[str, int] = {}
    for c in res.applied:
        counts[c.action.value] = counts.get(c.action.value, 0) + 1
    mix = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    stages = " ".join(f"{s.name.split()[0]}={s.seconds:.2f}s" for s in res.facts.stages)
    print("| scenario | changes | repair s | total s | moved, not changed | unplaced slots | checker |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {Path(args.scenario).name} | {len(res.applied)} ({mix}) | {res.seconds:.2f} | {total:.2f} | "
        f"{res.moved_unchanged} | {len(res.plan.unplaced)} | {'ok' if not violations else len(violations)} |"
    )
    print(f"stages: {stages}; displaced by staff/room changes: {len(res.facts.displaced)}")
    for v in violations[:10]:
        print("  ", v)


if __name__ == "__main__":
    main()
