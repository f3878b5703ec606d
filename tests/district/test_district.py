"""District planning on Dask (issue #8): a 4-school district, one school broken, on a LocalCluster.

The first run plans the district once (module fixture); the tests then check its rows, every
plan with the independent checker, the resumed re-run, the report and the commands.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cluster_planner.check import check_plan
from cluster_planner.cli import cli
from cluster_planner.district.generate import district_specs, generate_district
from cluster_planner.district.report import write_district_report
from cluster_planner.district.run import SCHOOLS_DIR, RunSettings, run_district
from cluster_planner.district.school_task import Outcome, SchoolJob, plan_school
from cluster_planner.i18n import t
from cluster_planner.io.loader import load_scenario

BROKEN = "s02-junior"
# small schools, short limits: each solve takes about a second
SMALL = ("--min-students", "40", "--max-students", "60")
LIMITS = ("--time-limit", "60", "--deterministic-limit", "2")
SETTINGS = dict(time_limit=60.0, deterministic_limit=2.0, seed=0, reports=False)


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes, shared by the tests of this module."""
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
    ) as local:
        yield local


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four generated schools of 40–80 applicants; ``s02-junior`` has a students.csv without class_id."""
    folder = tmp_path_factory.mktemp("district") / "county"
    specs = generate_district(folder, 4, seed=1, min_students=40, max_students=80)
    assert BROKEN in {s.folder for s in specs}
    (folder / BROKEN / "students.csv").write_text("student_id,name\nS1,某某\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def first_run(district: Path, cluster, tmp_path_factory: pytest.TempPathFactory):
    """The district planned once on the cluster: (out folder, results)."""
    out = tmp_path_factory.mktemp("out")
    settings = RunSettings(**SETTINGS, scheduler=cluster.scheduler_address)
    seen: list[tuple[int, int]] = []
    results = run_district(district, out, settings, progress=lambda r, done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    return out, results


def test_broken_school_is_reported_and_others_are_planned_and_checked(district: Path, first_run) -> None:
    out, results = first_run
    assert [r.school_id for r in results] == sorted(p.name for p in district.iterdir())
    by_id = {r.school_id: r for r in results}
    broken = by_id.pop(BROKEN)
    assert broken.outcome == Outcome.BAD_INPUT
    assert broken.problems and "students.csv" in broken.problems[0][1]
    assert not (out / SCHOOLS_DIR / BROKEN).exists()
    for school_id, row in by_id.items():
        assert row.outcome == Outcome.PLANNED, row.problems
        scenario = load_scenario(district / school_id)
        plan_dir = out / SCHOOLS_DIR / school_id
        assert check_plan(scenario, plan_dir) == []
        assert json.loads((plan_dir / "plan.json").read_text("utf-8"))["scenario_hash"] == scenario.content_hash()
        assert row.approved == len(scenario.approved_students) > 0
        assert row.planned + row.unplaced == row.approved
        assert row.adults > 0 and row.cost > 0 and row.fee_income is not None


def test_rerun_keeps_valid_plans_and_replans_a_changed_school(district: Path, first_run, cluster) -> None:
    out, before = first_run
    stamps = {r.school_id: (out / SCHOOLS_DIR / r.school_id / "plan.json").stat().st_mtime_ns for r in before[:1]}
    settings = RunSettings(**SETTINGS, scheduler=cluster.scheduler_address)
    again = run_district(district, out, settings)
    outcomes = {r.school_id: r.outcome for r in again}
    assert outcomes.pop(BROKEN) == Outcome.BAD_INPUT
    assert set(outcomes.values()) == {Outcome.KEPT}
    for school_id, mtime in stamps.items():
        assert (out / SCHOOLS_DIR / school_id / "plan.json").stat().st_mtime_ns == mtime
    kept = {r.school_id: r for r in again}
    for r in before:
        if r.outcome.ok:
            assert (kept[r.school_id].approved, kept[r.school_id].planned) == (r.approved, r.planned)


def test_a_plan_of_another_scenario_is_not_kept(district: Path, first_run, tmp_path: Path) -> None:
    """Resumability keys on the scenario hash: a stale plan.json hash means solve again."""
    _, results = first_run
    school_id = next(r.school_id for r in results if r.outcome.ok)
    plan_dir = tmp_path / school_id
    job = SchoolJob(school_id, str(district / school_id), str(plan_dir), **SETTINGS)
    assert plan_school(job).outcome == Outcome.PLANNED
    meta = json.loads((plan_dir / "plan.json").read_text("utf-8"))
    meta["scenario_hash"] = "0" * 64
    (plan_dir / "plan.json").write_text(json.dumps(meta), "utf-8")
    assert plan_school(job).outcome == Outcome.PLANNED
    assert plan_school(job).outcome == Outcome.KEPT


def _cells(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_report_workbook_has_totals_and_no_personal_data(district: Path, first_run, tmp_path: Path) -> None:
    _, results = first_run
    paths = write_district_report(results, tmp_path, "en")
    assert [p.name for p in paths] == ["district.xlsx", "district.html", "district.csv"]
    sheets = _cells(paths[0])
    totals = {row[0]: row[1] for row in sheets["District totals"] if row and row[0]}
    planned = [r for r in results if r.outcome.ok]
    assert totals["Schools"] == 4
    assert totals["Schools with a plan"] == 3 and totals["Schools without a plan"] == 1
    assert totals["Approved"] == sum(r.approved for r in planned)
    assert totals["Term pay (yuan)"] == pytest.approx(sum(r.cost for r in planned))
    rows = sheets["Schools"]
    header = next(k for k, row in enumerate(rows) if row and row[0] == "School folder")
    columns = rows[header]
    total = next(row for row in rows[header + 1 :] if row and row[0] == "Total")
    assert total[columns.index("Fully placed")] == sum(r.planned for r in planned)
    broken = next(row for row in rows if row and row[0] == BROKEN)
    assert broken[columns.index("Outcome")] == t("district.outcome.bad_input", "en")
    assert "students.csv" in broken[columns.index("What went wrong")]
    assert any(row and row[0] == 1 for row in sheets["Staff short by school & skill"])
    # masking: no student's name or parent's phone anywhere in the district report
    text = paths[1].read_text("utf-8") + repr(sheets)
    for school_id in (r.school_id for r in planned):
        for s in load_scenario(district / school_id).students[:20]:
            assert s.name not in text and (not s.parent_phone or s.parent_phone not in text)


def test_solve_district_command_resumes_on_a_scheduler(district: Path, first_run, cluster) -> None:
    out, _ = first_run
    args = ["solve-district", str(district), "--out", str(out), "--scheduler", cluster.scheduler_address]
    result = CliRunner().invoke(cli, [*args, *LIMITS, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "3 with a plan, 1 without" in result.output
    assert (out / "district.xlsx").exists() and (out / "district.html").exists()


def test_commands_generate_and_plan_on_a_new_local_cluster(tmp_path: Path) -> None:
    """The default path: generate-district, then solve-district starting its own one-worker LocalCluster."""
    runner = CliRunner()
    gen = runner.invoke(
        cli,
        ["generate-district", str(tmp_path / "d"), "--schools", "1", "--seed", "3", *SMALL, "--lang", "en"],
    )
    assert gen.exit_code == 0, gen.output
    assert "1 schools written" in gen.output
    solve = runner.invoke(
        cli,
        [
            "solve-district",
            str(tmp_path / "d"),
            "--out",
            str(tmp_path / "o"),
            "--workers",
            "1",
            *LIMITS,
            "--lang",
            "en",
        ],
    )
    assert solve.exit_code == 0, solve.output
    (school,) = (tmp_path / "o" / SCHOOLS_DIR).iterdir()
    assert (school / "report.xlsx").exists()  # school reports are written by default
    assert check_plan(load_scenario(tmp_path / "d" / school.name), school) == []


def test_generated_district_is_deterministic_and_within_bounds() -> None:
    specs = district_specs(40, seed=7)
    assert specs == district_specs(40, seed=7)
    assert all(200 <= s.students <= 3000 for s in specs)
    assert {s.level for s in specs} == {"primary", "junior"}
    assert len({s.name for s in specs}) == len({s.folder for s in specs}) == 40


def test_missing_district_folder_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["solve-district", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
