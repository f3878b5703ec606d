"""Benchmark the reports: seconds to write report.xlsx, report.html and the public pair of a plan.

Reports are written from plan folders made beforehand (a solve takes minutes and is not what
is measured here); the default looks for ``out/bench/<scenario>`` of each bundled scenario:

    .venv/bin/cluster-planner solve scenarios/nine-year-3000 --out out/bench/nine-year-3000 \\
        --no-report --time-limit 150
    .venv/bin/python bench/reports.py                       # every plan found under out/bench/
    .venv/bin/python bench/reports.py out/some/plan --repeat 3

Each output is timed separately (wall and CPU seconds, best of ``--repeat`` runs):
*tables* builds every table once; *xlsx* and *html* write the office's pair from them (html
includes drawing the charts); *public* masks the tables and writes both public files. *total*
is what ``cluster-planner report --public`` spends after loading, and *report* the same
without ``--public``. Target (issue #4): nine-year-3000 under 20 s.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ("demo-small", "primary-1200", "nine-year-3000")
STEPS = ("load", "tables", "xlsx", "html", "public")


def timed(step: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Best wall and CPU seconds of ``repeat`` runs of ``step``, and its last result."""
    best_wall = best_cpu = float("inf")
    result: object = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = step()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, result


def measure(plan_dir: Path, repeat: int) -> dict[str, object]:
    """Time each report output of one plan folder (written into a temporary folder)."""
    from cluster_planner import __version__
    from cluster_planner.io.loader import load_scenario
    from cluster_planner.plan.io import load_plan
    from cluster_planner.report import PUBLIC_NAMES, REPORT_NAMES, write_atomic
    from cluster_planner.report.bundle import ReportTables
    from cluster_planner.report.html import chart_section, render_html
    from cluster_planner.report.xlsx import write_xlsx

    row: dict[str, object] = {"plan": str(plan_dir)}
    wall, cpu, loaded = timed(lambda: (load_scenario(plan_dir / "scenario"), load_plan(plan_dir)), repeat)
    scenario, plan = loaded  # type: ignore[misc]
    row["load"] = (wall, cpu)
    row["scenario"] = scenario.school.name
    row["students"] = len(scenario.approved_students)
    row["groups"] = len({g.group_id for g in plan.groups})
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def write_pair(tables: ReportTables, names: tuple[str, str], charts: str | None = None) -> None:
            write_atomic(out / names[0], lambda p: write_xlsx(tables, p))
            page = render_html(tables, __version__, charts)
            write_atomic(out / names[1], lambda p: p.write_text(page, encoding="utf-8"))

        wall, cpu, tables = timed(lambda: ReportTables.build(scenario, plan), repeat)
        row["tables"] = (wall, cpu)
        row["xlsx"] = timed(lambda: write_atomic(out / REPORT_NAMES[0], lambda p: write_xlsx(tables, p)), repeat)[:2]

        def html() -> str:
            page = render_html(tables, __version__, chart_section(tables))
            write_atomic(out / REPORT_NAMES[1], lambda p: p.write_text(page, encoding="utf-8"))
            return page

        row["html"] = timed(html, repeat)[:2]
        charts = chart_section(tables)  # the public pair reuses the charts (no personal data in them)
        row["public"] = timed(lambda: write_pair(tables.masked(scenario, plan), PUBLIC_NAMES, charts), repeat)[:2]
        row["sizes"] = {name: (out / name).stat().st_size for name in REPORT_NAMES + PUBLIC_NAMES}
    return row


def markdown(rows: list[dict[str, object]], repeat: int) -> str:
    """The results as a markdown table: wall seconds (CPU seconds in brackets)."""

    def sec(value: object) -> str:
        wall, cpu = value  # type: ignore[misc]
        return f"{wall:.1f} ({cpu:.1f})"

    def total(row: dict[str, object], steps: tuple[str, ...]) -> tuple[float, float]:
        return (
            sum(row[s][0] for s in steps),  # type: ignore[index]
            sum(row[s][1] for s in steps),  # type: ignore[index]
        )

    head = [
        f"Run {time.strftime('%Y-%m-%d')} on {platform.machine()}, Python {platform.python_version()}; "
        f"`bench/reports.py`, best of {repeat}; seconds wall (CPU).",
        "",
        "| plan | school | students | groups | load | tables | xlsx | html | public | report | report --public |"
        " xlsx MB |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    lines = []
    for r in rows:
        name = Path(str(r["plan"])).name
        mb = r["sizes"]["report.xlsx"] / 1e6  # type: ignore[index]
        lines.append(
            f"| {name} | {r['scenario']} | {r['students']:,} | {r['groups']:,} | "
            + " | ".join(sec(r[s]) for s in STEPS)
            + f" | {sec(total(r, ('tables', 'xlsx', 'html')))} | {sec(total(r, ('tables', 'xlsx', 'html', 'public')))}"
            + f" | {mb:.1f} |"
        )
    return "\n".join(head + lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plans", nargs="*", type=Path, help="plan folders (default: out/bench/<bundled scenario>)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per output; the best is kept (default 1)")
    args = parser.parse_args(argv)
    plans = args.plans or [ROOT / "out" / "bench" / name for name in BUNDLED]
    found = [p for p in plans if (p / "groups.csv").exists()]
    for p in plans:
        if p not in found:
            print(
                f"skipped {p}: no plan there; make one with\n  .venv/bin/cluster-planner solve "
                f"scenarios/{p.name} --out {p} --no-report --time-limit 150",
                file=sys.stderr,
            )
    rows = []
    for p in found:
        print(f"reports of {p} …", file=sys.stderr, flush=True)
        rows.append(measure(p, args.repeat))
    if rows:
        print(markdown(rows, args.repeat))
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main())
