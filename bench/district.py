"""Benchmark district planning on Dask (issue #8): one generated district on 1 and on 2 workers.

Generates a district (``--schools``, ``--min-students``/``--max-students``, ``--seed``), then
plans it from scratch once per worker count on a fresh ``LocalCluster`` (one single-threaded
process per worker, CP-SAT with one search worker each) and prints a table of wall time,
schools planned and speed-up against one worker. Plans go to a fresh folder per run, so no
school is skipped by resumption. Not a test: on a shared machine the figures depend on load.

    .venv/bin/python bench/district.py                                  # 40 schools of 200–3,000 (long)
    .venv/bin/python bench/district.py --max-students 600 --time-limit 30 --deterministic-limit 5
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

from cluster_planner.district.generate import generate_district
from cluster_planner.district.run import RunSettings, run_district


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-students", type=int, default=200)
    parser.add_argument("--max-students", type=int, default=3000)
    parser.add_argument("--time-limit", type=float, default=120.0, help="Wall-clock stop per school, seconds.")
    parser.add_argument("--deterministic-limit", type=float, default=30.0, help="CP-SAT deterministic time per stage.")
    parser.add_argument("--workers", default="1,2", help="Worker counts to compare, e.g. 1,2.")
    parser.add_argument("--school-reports", action="store_true", help="Also write each school's report files.")
    parser.add_argument("--keep", type=Path, default=None, help="Keep the district and plans in this folder.")
    args = parser.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="district-bench-"))
    district = root / "district"
    if district.exists():
        shutil.rmtree(district)
    specs = generate_district(district, args.schools, args.seed, args.min_students, args.max_students)
    total = sum(s.students for s in specs)
    primary = sum(1 for s in specs if s.level == "primary")
    print(
        f"district: {len(specs)} schools ({primary} primary, {len(specs) - primary} junior), "
        f"{total:,} applicants, {min(s.students for s in specs)}–{max(s.students for s in specs)} per school; "
        f"time limit {args.time_limit:g} s, deterministic {args.deterministic_limit:g} s per stage; "
        f"{os.cpu_count()} cores, {platform.machine()}",
        flush=True,
    )
    rows = []
    for workers in (int(w) for w in args.workers.split(",")):
        out = root / f"plans-{workers}"
        if out.exists():
            shutil.rmtree(out)
        settings = RunSettings(
            time_limit=args.time_limit,
            deterministic_limit=args.deterministic_limit,
            seed=0,
            reports=args.school_reports,
            workers=workers,
        )
        started = time.monotonic()
        results = run_district(district, out, settings)
        wall = time.monotonic() - started
        ok = sum(1 for r in results if r.outcome.ok)
        busy = sum(r.seconds for r in results)
        unplaced = sum(r.unplaced for r in results)
        rows.append((workers, wall, ok, len(results), busy, unplaced))
        print(f"  {workers} worker(s): {wall:.1f} s wall, {ok}/{len(results)} planned", flush=True)
    base = rows[0][1]
    print()
    print("| workers | wall s | speed-up | schools planned | sum of school s | students not fully placed |")
    print("|--:|--:|--:|--:|--:|--:|")
    for workers, wall, ok, n, busy, unplaced in rows:
        print(f"| {workers} | {wall:.1f} | {base / wall:.2f}× | {ok} / {n} | {busy:.1f} | {unplaced:,} |")
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
