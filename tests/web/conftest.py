"""Fixtures of the web tests: an app over a fresh data folder, and one with demo-small planned."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import TIME_LIMIT, demo_zip, wait_for

from cluster_planner.web import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The app over an empty data folder, with one school (id 1)."""
    with TestClient(create_app(tmp_path / "data")) as c:
        c.post("/schools", data={"name": "育才小学"})
        yield c


@pytest.fixture(scope="session")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, int]]:
    """demo-small uploaded as a zip and planned once; the client and the version's id."""
    with TestClient(create_app(tmp_path_factory.mktemp("web") / "data")) as c:
        c.post("/schools", data={"name": "育才小学"})
        c.post("/schools/1/upload", files={"file": ("demo-small.zip", demo_zip(), "application/zip")})
        c.post("/schools/1/solve", data={"time_limit": str(TIME_LIMIT)})
        state = wait_for(lambda: c.get("/jobs/1/progress").json())
        assert state["status"] == "done", state
        yield c, state["version"]
