"""Issue 15 item 2 (plan): live progress streamed from the server (Server-Sent Events).

The stream pushes each new state the worker wrote and ends with the final one; it ends at once
when the page goes away, and an open stream never holds up the server's stop (Ctrl-C).
"""

from __future__ import annotations

import http.client
import signal
import time
from pathlib import Path
from urllib.parse import urlsplit

from conftest import Planning
from fastapi.testclient import TestClient
from web_helpers import BIG, demo_zip, free_port, post, serve_process, served

from cluster_planner.web import create_app
from cluster_planner.web.store import Store

FIELDS = {"status", "status_words", "stage", "elapsed", "objective", "bound", "gap", "lines", "version"}


def test_issue15_progress_is_streamed_to_the_end(planning: Planning) -> None:
    events = planning.events
    names = [name for name, _ in events]
    assert names[-1] == "end" and set(names[:-1]) == {"progress"} and len(names) >= 3
    assert all(data.keys() >= FIELDS for _, data in events)
    running = [data for name, data in events if name == "progress"]
    assert all(data["status"] == "running" and data["status_words"] == "进行中" for data in running)
    stages = [data["stage"] for data in running]
    # the solver's stages as they came (a short one may pass between two looks at the job):
    # at least three, each seen in one unbroken run (the order the worker logged them)
    seen = [stage for stage in stages if stage]
    runs = [stage for i, stage in enumerate(seen) if i == 0 or seen[i - 1] != stage]
    assert len(set(seen)) >= 3 and len(runs) == len(set(runs))
    scored = [d for d in running if d["objective"] is not None]
    assert scored and all(d["bound"] is not None and d["gap"] is not None for d in scored)
    assert [d["elapsed"] for d in running] == sorted(d["elapsed"] for d in running)
    last = events[-1][1]
    assert last["status"] == "done" and last["stage"] == "完成" and last["version"] == planning.version
    assert last["status_words"] == "已完成" and last["version_words"] == "查看方案 v1"


def test_issue15_events_of_a_finished_job_end_at_once(planning: Planning) -> None:
    with planning.client.stream("GET", "/jobs/1/events") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        body = response.read().decode()
    assert body.count("event: ") == 1 and "event: end" in body and '"status": "done"' in body


def test_events_of_an_unknown_job_is_404(client: TestClient) -> None:
    assert client.get("/jobs/42/events").status_code == 404


def _open(base: str, path: str) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("content-type").startswith("text/event-stream")
    return connection, response


def _first_progress(response: http.client.HTTPResponse) -> None:
    while response.readline().strip() != b"event: progress":
        pass


def _start_big_solve(base: str) -> None:
    post(base + "/schools", {"name": "x"})
    post(base + "/schools/1/upload", file=("big.zip", demo_zip("big/", BIG)))
    post(base + "/schools/1/solve", {"time_limit": "600"})


def test_issue15_stream_ends_when_the_page_goes_away(tmp_path: Path) -> None:
    app = create_app(tmp_path / "data")
    with served(app) as (server, base):
        _start_big_solve(base)
        connection, response = _open(base, "/jobs/1/events")
        _first_progress(response)
        assert len(server.server_state.tasks) == 1  # the stream's
        connection.close()
        deadline = time.monotonic() + 5
        while server.server_state.tasks and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not server.server_state.tasks, "the stream ended with its page"
        assert app.state.store.job(1).status == "running"


def test_issue15_ctrl_c_stops_the_server_promptly_with_a_stream_open(tmp_path: Path) -> None:
    data, port = tmp_path / "data", free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve_process(data, port)
    try:
        _start_big_solve(base)
        _, response = _open(base, "/jobs/1/events")
        _first_progress(response)
        started = time.monotonic()
        server.send_signal(signal.SIGINT)
        rest = response.read()  # the stream ends whole (a cut one raises IncompleteRead)
        server.wait(10)
        stopped = time.monotonic() - started
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0 and stopped < 5, stopped
    assert b"event: end" not in rest  # the job did not end: the server did
    assert Store(data).job(1).status == "interrupted"
