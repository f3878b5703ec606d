"""Issue 15 item 2 (plan): a solve in its own process, live progress, one per school, cancel, commit as a version."""

from __future__ import annotations

import os
import time

from fastapi.testclient import TestClient
from web_helpers import demo_zip


def _ready(client: TestClient) -> None:
    client.post("/schools/1/upload", files={"file": ("demo-small.zip", demo_zip(), "application/zip")})


def test_finished_job_is_one_version_with_its_progress(planned: tuple[TestClient, int]) -> None:
    client, version_id = planned
    state = client.get("/jobs/1/progress").json()
    assert state["status"] == "done" and state["version"] == version_id and state["version_number"] == 1
    assert state["objective"] is not None and state["bound"] is not None and 0 <= state["gap"] < 1
    assert state["stage"] == "完成" and state["elapsed"] > 0
    assert any("目标" in line and "下界" in line for line in state["lines"])
    page = client.get("/jobs/1").text
    assert 'id="open-version"' in page and "已完成" in page
    school = client.get("/schools/1").text
    assert f'href="/versions/{version_id}"' in school and "方案 v1" in school


def test_solve_runs_in_its_own_process_one_per_school_and_can_be_cancelled(client: TestClient) -> None:
    _ready(client)
    response = client.post("/schools/1/solve", data={"time_limit": "60"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/jobs/1"
    jobs = client.app.state.jobs
    pid = jobs.procs[1].pid
    assert pid != os.getpid()
    second = client.post("/schools/1/solve", data={"time_limit": "60"})
    assert second.status_code == 409 and "已有一个排课正在进行" in second.text and "/jobs/1" in second.text
    state = wait_until_progress(client)
    assert state["status"] == "running" and state["lines"]
    assert client.post("/jobs/1/cancel").status_code == 200
    state = client.get("/jobs/1/progress").json()
    assert state["status"] == "cancelled" and state["version"] is None
    assert not _alive(pid)
    assert "还没有方案" in client.get("/schools/1").text
    store = client.app.state.store
    assert store.versions(1) == [] and store.job(1).log  # the job's log is kept in the store


def test_progress_of_an_unknown_job_is_404(client: TestClient) -> None:
    assert client.get("/jobs/42/progress").status_code == 404
    assert client.get("/jobs/42").status_code == 404
    assert client.post("/jobs/42/cancel").status_code == 404


def test_solve_without_a_draft_is_refused(client: TestClient) -> None:
    response = client.post("/schools/1/solve", data={"time_limit": "5"})
    assert response.status_code == 409 and "请先上传数据" in response.text


def wait_until_progress(client: TestClient, seconds: float = 30.0) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        state = client.get("/jobs/1/progress").json()
        if state["stage"] not in ("", "读取数据") or time.monotonic() > deadline or state["status"] != "running":
            return state
        time.sleep(0.2)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True
