"""Plan every school of a district on Dask: one task per school, on a local or remote cluster.

Each entry of the district folder (a sub-folder, or an ``.xlsx`` workbook) is one school
scenario; its plan goes to ``OUT/schools/<entry>``. By default a
:class:`dask.distributed.LocalCluster` runs one single-threaded worker process per core
(CP-SAT with one search worker in each, so plans are reproducible); ``scheduler`` submits
to an existing cluster instead, whose workers must see the same paths (a shared disk).
Results come back as :class:`SchoolResult` rows, in school order, however the tasks finish.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cluster_planner.district.school_task import SchoolJob, SchoolResult, internal_error, plan_school
from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t
from cluster_planner.io.out_path import Target, check_out

if TYPE_CHECKING:
    from dask.distributed import Client

SCHOOLS_DIR = "schools"

register(
    {
        "district.no_schools": (
            "{path} 中没有学校（每所学校应为一个子文件夹或 .xlsx 工作簿）",
            "no schools in {path} (each school is a sub-folder or an .xlsx workbook)",
        ),
        "district.not_folder": ("{path} 不是文件夹", "{path} is not a folder"),
    }
)

Progress = Callable[[SchoolResult, int, int], None]


@dataclass(frozen=True)
class RunSettings:
    """How to plan each school and where to run."""

    time_limit: float = 120.0
    deterministic_limit: float = 30.0
    seed: int | None = None
    reports: bool = True
    workers: int | None = None  # local worker processes (default: one per core)
    scheduler: str | None = None  # address of an existing Dask scheduler, e.g. tcp://host:8786


def school_entries(district: Path) -> list[Path]:
    """The school scenarios in ``district``: sub-folders and workbooks, by name (hidden ones skipped)."""
    district = Path(district)
    if not district.is_dir():
        raise UsageError(
            t("district.not_folder", "zh", path=district) + " / " + t("district.not_folder", "en", path=district)
        )
    entries = [
        p
        for p in sorted(district.iterdir())
        if not p.name.startswith((".", "_")) and (p.is_dir() or p.suffix.lower() in (".xlsx", ".xlsm"))
    ]
    if not entries:
        raise UsageError(
            t("district.no_schools", "zh", path=district) + " / " + t("district.no_schools", "en", path=district)
        )
    return entries


def school_jobs(district: Path, out: Path, settings: RunSettings) -> list[SchoolJob]:
    """One job per school; its id is the entry's name without a workbook suffix."""
    jobs = []
    for entry in school_entries(district):
        school_id = entry.stem if entry.is_file() else entry.name
        jobs.append(
            SchoolJob(
                school_id=school_id,
                scenario_path=str(entry.resolve()),
                plan_dir=str((Path(out) / SCHOOLS_DIR / school_id).resolve()),
                time_limit=settings.time_limit,
                deterministic_limit=settings.deterministic_limit,
                seed=settings.seed,
                reports=settings.reports,
            )
        )
    return jobs


@contextmanager
def dask_client(settings: RunSettings, num_jobs: int) -> Iterator[Client]:
    """A client of the given scheduler, or of a new local cluster sized to the cores and jobs."""
    from dask.distributed import Client, LocalCluster

    if settings.scheduler:
        with Client(settings.scheduler) as client:
            yield client
        return
    workers = max(1, min(settings.workers or os.cpu_count() or 1, num_jobs))
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port: never clash with a running cluster
            silence_logs=40,  # logging.ERROR: worker chatter would bury the progress bar
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_district(
    district: Path, out: Path, settings: RunSettings, progress: Progress | None = None
) -> tuple[SchoolResult, ...]:
    """Plan every school of ``district`` into ``out/schools``; one result row per school, in school order."""
    from dask.distributed import as_completed

    check_out(out, Target.DISTRICT, inputs=[district])
    jobs = school_jobs(district, out, settings)
    (Path(out) / SCHOOLS_DIR).mkdir(parents=True, exist_ok=True)
    results: dict[str, SchoolResult] = {}
    with dask_client(settings, len(jobs)) as client:
        run = uuid.uuid4().hex[:8]  # task keys unique per run: a scheduler never hands back an old result
        futures = {
            client.submit(plan_school, job, key=f"plan-school-{job.school_id}-{run}", pure=False): job for job in jobs
        }
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # a lost worker or a bug outside plan_school's own guard
                result = internal_error(job.school_id, exc)
            results[job.school_id] = result
            if progress:
                progress(result, len(results), len(jobs))
    return tuple(results[job.school_id] for job in jobs)
