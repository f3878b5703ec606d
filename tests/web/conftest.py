"""Fixtures of the web tests: an app over a fresh data folder, and one with demo-small planned."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import TIME_LIMIT, demo_zip, sse_events

from cluster_planner.web import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The app over an empty data folder, with one school (id 1)."""
    with TestClient(create_app(tmp_path / "data")) as c:
        c.post("/schools", data={"name": "育才小学"})
        yield c


@dataclass(frozen=True)
class Planning:
    """demo-small planned once: the client, the version's id and the job's progress events as streamed."""

    client: TestClient
    version: int
    events: list[tuple[str, dict]]


@pytest.fixture(scope="session")
def planning(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Planning]:
    """demo-small uploaded as a zip and planned once, its progress read from the event stream to its end."""
    with TestClient(create_app(tmp_path_factory.mktemp("web") / "data")) as c:
        c.post("/schools", data={"name": "育才小学"})
        c.post("/schools/1/upload", files={"file": ("demo-small.zip", demo_zip(), "application/zip")})
        c.post("/schools/1/solve", data={"time_limit": str(TIME_LIMIT)})
        with c.stream("GET", "/jobs/1/events") as stream:
            events = sse_events(stream.iter_lines())
        state = c.get("/jobs/1/progress").json()
        assert state["status"] == "done", state
        yield Planning(c, state["version"], events)


@pytest.fixture(scope="session")
def planned(planning: Planning) -> tuple[TestClient, int]:
    """The client and the version's id of demo-small planned once."""
    return planning.client, planning.version
