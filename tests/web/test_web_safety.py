"""Issue 15 Safety: internal errors as a short page with a log reference; kill -9 of the server during a solve or a
commit loses no committed version and leaves no half one; after a restart an interrupted job shows as interrupted."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import demo_zip, free_port, post, serve_process, wait_for, with_csrf

from cluster_planner.cli import main
from cluster_planner.web import create_app, views, worker
from cluster_planner.web.jobs import Jobs
from cluster_planner.web.store import Store


def test_internal_error_is_a_short_message_with_a_log_reference(
    planned: tuple[TestClient, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, v = planned

    def broken(*_: object) -> None:
        raise RuntimeError("a bug deep inside")

    monkeypatch.setattr(views, "tables_of", broken)
    response = TestClient(client.app, raise_server_exceptions=False).get(f"/versions/{v}")
    assert response.status_code == 500
    assert "内部错误" in response.text and "Traceback" not in response.text and "deep inside" not in response.text
    ref = response.text.split("编号 ", 1)[1][:8]
    log = (client.app.state.store.data / "logs" / "errors.log").read_text(encoding="utf-8")
    assert f"--- {ref}" in log and "RuntimeError: a bug deep inside" in log


def test_bad_form_value_is_a_page(client: TestClient) -> None:
    client.post("/schools/1/upload", files={"file": ("demo.zip", demo_zip(), "application/zip")})
    response = client.post("/schools/1/solve", data={"time_limit": "soon"})
    assert response.status_code == 400 and "time_limit" in response.text and "<html" in response.text


def test_issue16_serve_refuses_another_host_without_an_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 16 item 3: any address but this computer's needs an account first (exit 2, saying how to add one)."""
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--host", "0.0.0.0", "--data", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "0.0.0.0" in err and "user add" in err and "Traceback" not in err


def test_crash_between_rename_and_version_row_leaves_no_version(
    planned: tuple[TestClient, int], tmp_path: Path
) -> None:
    """A kill during the commit: the finished job's plan folder was moved but its row was never written."""
    client, v = planned
    finished = client.app.state.store.data / client.app.state.store.version(v).folder
    store = Store(tmp_path / "data")
    store.add_school("x")
    upload = store.add_upload(1, "demo.zip", "u", "u/scenario", [])
    jobs = Jobs(store)
    job_id = store.add_job(1, upload, "jobs/job-1", 10)
    folder = store.data / "jobs" / "job-1"
    shutil.copytree(finished, folder / worker.PLAN)  # what a worker leaves when it is done
    worker.write_json(folder / worker.RESULT, {"status": "done"})

    def killed(*_: object) -> int:
        raise KeyboardInterrupt  # the server dies here, between the rename and the transaction

    store.commit_version = killed  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        jobs.finish(job_id, 0)
    restarted = Store(store.data)
    Jobs(restarted)
    assert restarted.versions(1) == [] and restarted.job(job_id).status == "interrupted"
    assert (finished / "plan.json").is_file()


def _multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----cluster-planner-test"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n'.encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"


def test_kill_9_during_a_solve_loses_nothing_and_shows_interrupted(planned_data: Path) -> None:
    """A real server (``cluster-planner serve``) killed with SIGKILL while its worker solves."""
    data, version_folder = planned_data
    before = sorted(p.name for p in version_folder.parent.iterdir())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve_process(data, port)
    try:
        post(f"{base}/schools/1/solve", {"time_limit": "60"})
        state = {}
        deadline = time.monotonic() + 30
        while not any("目标" in line for line in state.get("lines", [])) and time.monotonic() < deadline:
            state = json.loads(urllib.request.urlopen(f"{base}/jobs/2/progress", timeout=5).read())
            time.sleep(0.2)
        assert state["status"] == "running"
        worker = Store(data).job(2).pid
        server.send_signal(signal.SIGKILL)
        server.wait(10)
    finally:
        if server.poll() is None:
            server.kill()
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(worker), "the worker stops when its server is gone"
    with TestClient(create_app(data)) as client:
        assert client.get("/jobs/2/progress").json()["status"] == "interrupted"
        assert "已中断" in client.get("/schools/1").text
        store: Store = client.app.state.store
        assert [v.number for v in store.versions(1)] == [1]
        assert sorted(p.name for p in version_folder.parent.iterdir()) == before  # no half version
        assert (version_folder / "plan.json").is_file()


@pytest.fixture
def planned_data(tmp_path: Path) -> tuple[Path, Path]:
    """A data folder holding one committed version of demo-small (solved with the in-process app)."""
    data = tmp_path / "data"
    with with_csrf(TestClient(create_app(data))) as client:
        client.post("/schools", data={"name": "x"})
        client.post("/schools/1/upload", files={"file": ("demo.zip", demo_zip(), "application/zip")})
        client.post("/schools/1/solve", data={"time_limit": "10"})
        state = wait_for(lambda: client.get("/jobs/1/progress").json())
        assert state["status"] == "done"
        store: Store = client.app.state.store
        return data, data / store.version(state["version"]).folder
