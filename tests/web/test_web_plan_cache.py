"""Issue 16 item 4 (under load): plans are kept in the server's memory, read once per version folder.

Over HTTP: the second page of a version uses the plan already read; a newly committed version is read
fresh; a folder whose files change is read again. Twenty viewers opening a new version at once cause
one read; the cache holds a few plans, the least recently used going first.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import with_csrf

from cluster_planner.web import create_app, views
from cluster_planner.web.plan_cache import PlanCache
from cluster_planner.web.store import Row


@pytest.fixture
def office(planned: tuple[TestClient, int], tmp_path: Path) -> Iterator[tuple[TestClient, Path, object]]:
    """An app over a data folder of its own with one school; ``commit()`` makes the next version (a copy of
    demo-small's plan, committed as a finished job's plan is) and returns its id."""
    client, version_id = planned
    store = client.app.state.store
    solved = store.data / store.version(version_id).folder
    data = tmp_path / "data"
    with TestClient(create_app(data)) as c:
        with_csrf(c).post("/schools", data={"name": "育才小学"})
        jobs = c.app.state.jobs

        def commit() -> int:
            job_id = jobs.store.add_job(1, 0, "", 10.0)
            plan = data / "jobs" / f"job-{job_id}" / "plan"
            shutil.copytree(solved, plan)
            job: Row = jobs.store.job(job_id)
            return jobs.commit(job, plan, log="")

        yield c, data, commit


def _folder(client: TestClient, version_id: int) -> str:
    store = client.app.state.store
    return str(store.data / store.version(version_id).folder)


def test_issue16_4_second_page_uses_the_kept_plan_a_new_version_is_read_fresh(office) -> None:
    client, _data, commit = office
    v1 = commit()
    assert client.get(f"/versions/{v1}").status_code == 200
    plan1, loads = views.plan_of(_folder(client, v1)), views.PLANS.loads
    for path in (f"/versions/{v1}/timetables/class", f"/versions/{v1}/rosters", f"/versions/{v1}/table/pay"):
        assert client.get(path).status_code == 200
    assert views.plan_of(_folder(client, v1)) is plan1
    assert views.PLANS.loads == loads  # not read again

    v2 = commit()  # a new version: its own folder, read fresh on its first page
    assert client.get(f"/versions/{v2}/timetables/group").status_code == 200
    plan2 = views.plan_of(_folder(client, v2))
    assert plan2 is not plan1 and views.PLANS.loads == loads + 1
    assert views.plan_of(_folder(client, v1)) is plan1  # the older version stays kept


def test_issue16_4_a_plan_folder_written_again_is_read_again(office) -> None:
    client, _data, commit = office
    v1 = commit()
    folder = Path(_folder(client, v1))
    client.get(f"/versions/{v1}")
    plan1 = views.plan_of(str(folder))
    stat = (folder / "plan.json").stat()
    os.utime(folder / "plan.json", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert client.get(f"/versions/{v1}/rosters").status_code == 200
    assert views.plan_of(str(folder)) is not plan1


def test_issue16_4_viewers_opening_a_new_version_at_once_read_it_once(
    planned: tuple[TestClient, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cluster_planner.api as cp

    client, version_id = planned
    folder = tmp_path / "plan"
    shutil.copytree(_folder(client, version_id), folder)
    reads: list[str] = []
    load = cp.load_plan

    def slow_load(path, *args, **kwargs):
        reads.append(str(path))
        time.sleep(0.3)  # a big plan takes this long: every viewer arrives meanwhile
        return load(path, *args, **kwargs)

    monkeypatch.setattr(cp, "load_plan", slow_load)
    plans: list[object] = []
    viewers = [threading.Thread(target=lambda: plans.append(views.plan_of(str(folder)))) for _ in range(8)]
    for viewer in viewers:
        viewer.start()
    for viewer in viewers:
        viewer.join()
    assert len(reads) == 1
    assert len(plans) == 8 and all(p is plans[0] for p in plans)


def test_issue16_4_cache_holds_a_few_plans_least_recently_used_first_out(tmp_path: Path) -> None:
    folders = []
    for name in "abc":
        (tmp_path / name).mkdir()
        (tmp_path / name / "plan.json").write_text(name)
        folders.append(tmp_path / name)
    cache = PlanCache(lambda folder: object(), size=2)  # type: ignore[arg-type,return-value]
    a = cache.entry(folders[0]).plan
    cache.entry(folders[1])
    assert cache.entry(folders[0]).plan is a  # a used last: b goes when c comes
    cache.entry(folders[2])
    assert cache.loads == 3
    assert cache.entry(folders[0]).plan is a and cache.loads == 3
    cache.entry(folders[1])
    assert cache.loads == 4


def test_issue16_4_a_page_part_is_built_once_per_plan_and_key(tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text("{}")
    cache = PlanCache(lambda folder: object(), size=2)  # type: ignore[arg-type,return-value]
    calls: list[str] = []

    def build(plan: object) -> str:
        calls.append("built")
        time.sleep(0.1)
        return "<table>"

    threads = [threading.Thread(target=cache.entry(tmp_path).built, args=(("rosters", "zh"), build)) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.entry(tmp_path).built(("rosters", "zh"), build) == "<table>"
    assert calls == ["built"]
    cache.entry(tmp_path).built(("rosters", "en"), build)
    assert calls == ["built", "built"]
