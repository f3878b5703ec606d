"""Benchmark the planner on the bundled scenarios and on generated schools (``make bench``).

Each case runs in its own process (so peak memory is that case's), solves with
``SolveSettings(time_limit=…, workers=2, seed=0)`` and prints two tables: speed and size,
then welfare against a first-come-first-served plan, deferred acceptance and the flow bound
(see ``bench/baselines.py``). ``--write bench/RESULTS.md`` records the run between the
markers of that file, keeping the text around them.

    .venv/bin/python bench/run.py                 # everything (about 10 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick         # demo-small and a generated 1,000, short limits
    .venv/bin/python bench/run.py --sizes 3000 --no-bundled --time-limit 30
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import platform
import re
import resource
import sys
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cluster_planner.domain import Scenario

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ("demo-small", "primary-1200", "nine-year-3000")
SIZES = (1000, 3000, 6000)
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
LINE = re.compile(r"^\[(?P<stage>[^\]]+)\]")


@dataclass(frozen=True)
class Case:
    """One benchmark case: a bundled scenario folder or a generated school."""

    name: str
    time_limit: float
    path: str | None = None  # bundled scenario folder
    students: int = 0  # generated: applicants
    grades: str = "1-6"


@dataclass
class CaseResult:
    """What one case measured (plain data: it crosses a process boundary)."""

    name: str
    time_limit: float
    students: int = 0  # approved students planned
    variables: int = 0  # stage A, first round
    constraints: int = 0
    first_solution: float | None = None  # s from solve start to stage A's first solution
    first_plan: float | None = None  # s to the first complete plan (the greedy first plan)
    final: float = 0.0  # s, wall time of solve_scenario
    rounds: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    a_status: str = ""
    a_objective: float | None = None
    a_bound: float | None = None
    staff_status: str = ""
    staff_objective: float | None = None
    staff_bound: float | None = None
    status: str = ""
    peak_mb: float = 0.0
    unplaced: int = 0  # student × slot rows
    unplaced_students: int = 0
    welfare: dict[str, dict[str, float]] = field(default_factory=dict)  # method -> figures
    bounds: dict[str, float] = field(default_factory=dict)
    baseline_seconds: float = 0.0
    error: str = ""


# ---- one case (runs in a child process) ------------------------------------------------
def _load(case: Case) -> Scenario:
    if case.path:
        from cluster_planner.io.loader import load_scenario

        return load_scenario(case.path)
    from cluster_planner.generate import generate_school

    return generate_school(case.students, grades=case.grades, seed=0)


def run_case(case: Case, workers: int, seed: int) -> CaseResult:
    """Solve one case and measure it and its baselines."""
    from baselines import deferred_acceptance, flow_bounds, greedy_welfare, welfare_of

    from cluster_planner.solver import SolveSettings, solve_scenario
    from cluster_planner.solver.greedy import first_come_first_served
    from cluster_planner.solver.prepare import prepare

    result = CaseResult(case.name, case.time_limit)
    try:
        scenario = _load(case)
        lines: list[tuple[float, str]] = []
        started = time.monotonic()

        def report(line: str) -> None:
            match = LINE.match(line)
            lines.append((time.monotonic() - started, match["stage"] if match else ""))

        settings = SolveSettings(time_limit=case.time_limit, workers=workers, seed=seed, report=report)
        started = time.monotonic()
        outcome = solve_scenario(scenario, settings)
        result.final = time.monotonic() - started
        result.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        _record_stages(result, outcome, lines)
        plan = outcome.plan
        result.status = plan.meta.status
        result.unplaced = len(plan.unplaced)
        result.unplaced_students = len({u.student_id for u in plan.unplaced})

        t0 = time.monotonic()
        data = prepare(scenario, seed)
        result.students = len(data.students)
        granted: dict[str, set[tuple[str, int]]] = {}
        for a in plan.assignments:
            if a.choice_rank is not None:
                granted.setdefault(a.student_id, set()).add((a.activity_id, a.choice_rank))
        ours = welfare_of(data, {sid: [r for _, r in g] for sid, g in granted.items()})
        terms = plan.meta.objective_terms
        result.welfare["ours (plan)"] = asdict(ours)
        result.welfare["ours (A)"] = {
            "wanting": terms.get("students_wanting_choice", ours.wanting),
            "with_choice": terms.get("students_with_choice", float("nan")),
            "rank_cost": terms.get("rank_cost", float("nan")),
        }
        greedy = first_come_first_served(data)
        result.welfare["FCFS"] = asdict(greedy_welfare(data, greedy))
        result.welfare["DA (capacity only)"] = asdict(deferred_acceptance(data))
        result.bounds = asdict(flow_bounds(data))
        result.baseline_seconds = time.monotonic() - t0
    except Exception as exc:  # a bench reports failures, it does not stop on them
        result.error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}"
    return result


def _record_stages(result: CaseResult, outcome: Any, lines: list[tuple[float, str]]) -> None:
    stages = outcome.stages
    result.rounds = outcome.rounds
    a_runs = [s for s in stages if s.name == "A allocation"]
    if a_runs:
        result.variables, result.constraints = a_runs[0].num_variables, a_runs[0].num_constraints
        last = a_runs[-1]
        result.a_status, result.a_objective, result.a_bound = last.status, last.objective, last.bound
    staff = [s for s in stages if s.name == "C staff"]
    if staff:
        last = staff[-1]
        result.staff_status, result.staff_objective, result.staff_bound = last.status, last.objective, last.bound
    for s in stages:
        key = "C rooms" if s.name.startswith("C rooms") else s.name
        result.stage_seconds[key] = result.stage_seconds.get(key, 0.0) + s.seconds
    # progress names stages in the user's words ("[allocation]"); older lines used the stage id
    result.first_solution = next((t for t, stage in lines if stage in ("A allocation", "allocation", "分配学生")), None)
    # the greedy first plan (progress "[first plan]"), else the first staffing solution of round 1
    result.first_plan = next((t for t, stage in lines if stage in ("first plan", "首个方案", "C staff")), None)


def _child(case: Case, workers: int, seed: int, queue: Any) -> None:
    queue.put(asdict(run_case(case, workers, seed)))


def run_isolated(case: Case, workers: int, seed: int) -> CaseResult:
    """Run a case in a fresh process so that its peak memory is its own."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(case, workers, seed, queue))
    proc.start()
    try:
        data = queue.get(timeout=case.time_limit * 3 + 300)
    except Exception as exc:
        proc.kill()
        return CaseResult(case.name, case.time_limit, error=f"no result: {type(exc).__name__}")
    proc.join()
    return CaseResult(**data)


# ---- tables --------------------------------------------------------------------------------
def _num(value: float | None, fmt: str = "{:,.0f}") -> str:
    return "—" if value is None or value != value else fmt.format(value)


def _gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(1.0, abs(objective))


def speed_table(results: list[CaseResult]) -> tuple[list[str], list[list[str]]]:
    """Size, time, stage objectives and memory per case."""
    head = [
        "case", "students", "vars A", "cons A", "1st A sol. s", "1st plan s", "final s", "limit s", "rounds",
        "A s", "lottery s", "rooms s", "staff s", "A status", "A obj", "A bound", "A gap", "staff obj",
        "staff gap", "peak MB", "unplaced (rows/students)",
    ]  # fmt: skip
    rows = []
    for r in results:
        if r.error and not r.final:
            rows.append([r.name, "error", *[""] * (len(head) - 2)])
            continue
        sec = r.stage_seconds
        rows.append(
            [
                r.name,
                _num(r.students),
                _num(r.variables),
                _num(r.constraints),
                _num(r.first_solution, "{:.1f}"),
                _num(r.first_plan, "{:.1f}"),
                _num(r.final, "{:.1f}"),
                _num(r.time_limit),
                str(r.rounds),
                _num(sec.get("A allocation"), "{:.1f}"),
                _num(sec.get("A lottery"), "{:.1f}"),
                _num(sec.get("C rooms"), "{:.1f}"),
                _num(sec.get("C staff"), "{:.1f}"),
                r.a_status,
                _num(r.a_objective),
                _num(r.a_bound),
                _num(_gap(r.a_objective, r.a_bound), "{:.2%}"),
                _num(r.staff_objective),
                _num(_gap(r.staff_objective, r.staff_bound), "{:.1%}"),
                _num(r.peak_mb),
                f"{r.unplaced:,} / {r.unplaced_students:,}",
            ]
        )
    return head, rows


def welfare_table(results: list[CaseResult]) -> tuple[list[str], list[list[str]]]:
    """Students given a choice and rank cost: ours against FCFS, DA and the flow bound."""
    head = [
        "case", "wanting", "with choice: ours plan", "ours A", "FCFS", "DA", "flow max", "gap vs flow",
        "rank cost: ours plan", "FCFS", "DA", "flow min", "gap vs flow", "weighted: ours", "FCFS", "flow min",
        "ours/DA (choice)", "ours ≥ FCFS",
    ]  # fmt: skip
    rows = []
    for r in results:
        if not r.welfare or not r.bounds:
            rows.append([r.name, "error", *[""] * (len(head) - 2)])
            continue
        ours, ours_a = r.welfare["ours (plan)"], r.welfare["ours (A)"]
        fcfs, da, b = r.welfare["FCFS"], r.welfare["DA (capacity only)"], r.bounds
        choice_gap = (b["max_with_choice"] - ours["with_choice"]) / max(1, b["max_with_choice"])
        rank_gap = (ours["rank_cost"] - b["min_rank_cost"]) / max(1, b["min_rank_cost"])
        not_worse = ours["weighted_cost"] <= fcfs["weighted_cost"]
        rows.append(
            [
                r.name,
                _num(ours["wanting"]),
                _num(ours["with_choice"]),
                _num(ours_a["with_choice"]),
                _num(fcfs["with_choice"]),
                _num(da["with_choice"]),
                _num(b["max_with_choice"]),
                f"{choice_gap:.2%}",
                _num(ours["rank_cost"]),
                _num(fcfs["rank_cost"]),
                _num(da["rank_cost"]),
                _num(b["min_rank_cost"]),
                f"{rank_gap:.2%}",
                _num(ours["weighted_cost"]),
                _num(fcfs["weighted_cost"]),
                _num(b["min_weighted_cost"]),
                f"{ours['with_choice'] / max(1, da['with_choice']):.3f}",
                "yes" if not_worse else "NO",
            ]
        )
    return head, rows


def print_tables(results: list[CaseResult]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=250)
    for title, (head, rows) in (
        ("Speed and size (stage A = allocation; s = seconds from the start of the solve)", speed_table(results)),
        (
            "Welfare (rank cost: choice k costs k, none 6; weighted: the solver's 12 / 52 for none)",
            welfare_table(results),
        ),
    ):
        table = Table(title=title, header_style="bold")
        for i, h in enumerate(head):
            table.add_column(h, justify="left" if i == 0 else "right", overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    for r in results:
        if r.error:
            console.print(f"[red]{r.name}[/red]: {r.error}")


def markdown(results: list[CaseResult], args: argparse.Namespace) -> str:
    """The recorded run: machine, settings and both tables."""
    import ortools

    lines = [
        f"Run {dt.date.today().isoformat()} at commit {_commit()} "
        f"on {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, OR-Tools {ortools.__version__}; "
        f"`{' '.join(['bench/run.py', *sys.argv[1:]])}`: workers={args.workers}, seed={args.seed}, "
        "time limit per case as listed.",
        "",
    ]
    for head, rows in (speed_table(results), welfare_table(results)):
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join("---" if i == 0 else "--:" for i in range(len(head))) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def _commit() -> str:
    """The checkout's commit, ``+dirty`` when the solver has uncommitted changes."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+dirty" if git("status", "--porcelain", "src") else "")


def write_results(path: Path, text: str) -> None:
    """Replace the text between the bench markers (or append a marked section)."""
    block = f"{BEGIN}\n{text}\n{END}"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\n"
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN)] + block + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


# ---- command line --------------------------------------------------------------------------
def cases_of(args: argparse.Namespace) -> list[Case]:
    """Cases in run order; limits: ``--time-limit`` or 60 s (120 s from 5,000 students)."""

    def limit(students: int) -> float:
        if args.time_limit:
            return args.time_limit
        return (20.0 if args.quick else 60.0) if students < 5000 else 120.0

    cases = []
    bundled = ("demo-small",) if args.quick else BUNDLED
    sizes = args.sizes or ((1000,) if args.quick else SIZES)
    if not args.no_bundled:
        sizes_of = {"demo-small": 300, "primary-1200": 1200, "nine-year-3000": 3000}
        for name in bundled:
            folder = ROOT / "scenarios" / name
            if folder.exists():
                cases.append(Case(name, limit(sizes_of[name]), path=str(folder)))
            else:
                print(f"skipping {name}: {folder} not found", file=sys.stderr)
    cases += [Case(f"generated-{n}", limit(n), students=n, grades=args.grades) for n in sizes]
    return [c for c in cases if not args.cases or c.name in args.cases]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", help="generated school sizes (default 1000 3000 6000)")
    parser.add_argument("--grades", default="1-6", help="grades of the generated schools (default 1-6)")
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled scenarios")
    parser.add_argument("--quick", action="store_true", help="demo-small and a generated 1,000, 20 s limits")
    parser.add_argument("--time-limit", type=float, help="seconds per case (default 60; 120 from 5,000 students)")
    parser.add_argument("--cases", nargs="*", help="run only these cases, e.g. nine-year-3000 generated-6000")
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT workers (default 1, the solver's default)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", type=Path, help="record the run in this markdown file (e.g. bench/RESULTS.md)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    results = []
    started = time.monotonic()
    for case in cases_of(args):
        print(f"… {case.name} (limit {case.time_limit:.0f} s)", file=sys.stderr, flush=True)
        results.append(run_isolated(case, args.workers, args.seed))
    print(f"bench took {time.monotonic() - started:.0f} s", file=sys.stderr)
    print_tables(results)
    if args.write:
        write_results(args.write, markdown(results, args))
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
