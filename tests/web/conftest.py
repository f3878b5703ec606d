"""Fixtures of the web tests: an app over a fresh data folder, one with demo-small planned, and Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from accounts_helpers import JOIN_EXIT, OFFICE, VIEWER, add_user, client_on, copy_data, log_in, wait_done
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright
from web_helpers import TIME_LIMIT, demo_zip, sse_events, with_csrf

from cluster_planner.web import create_app
from cluster_planner.web.store import Store

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless chromium through Playwright (never a browser Playwright downloads)."""
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `make test` installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page (its own cookies) in a 1280×900 window that accepts downloads."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The app over an empty data folder, with one school (id 1)."""
    with with_csrf(TestClient(create_app(tmp_path / "data"))) as c:
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
    with with_csrf(TestClient(create_app(tmp_path_factory.mktemp("web") / "data"))) as c:
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


@pytest.fixture(scope="session")
def accounts_school(planned: tuple[TestClient, int], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Issue 16 item 3: a copy of demo-small planned (v1) with an office and a viewer account (accounts_helpers), and
    v2 (a join and an exit) committed by the office account through the login. The data folder."""
    planned_client, _ = planned
    data = copy_data(planned_client.app.state.store.data, tmp_path_factory.mktemp("accounts") / "data")
    with pytest.MonkeyPatch.context() as mp:
        add_user(data, OFFICE[0], "office", OFFICE[1], mp)
        add_user(data, VIEWER[0], "viewer", VIEWER[1], mp)
    with client_on(data) as office:
        log_in(office, *OFFICE)
        preview = office.post("/versions/1/changes", data=JOIN_EXIT).headers["location"]
        preview_id = int(preview.rsplit("/", 1)[1])
        wait_done(office, Store(data).preview(preview_id).job_id)
        committed = office.post(f"/previews/{preview_id}/commit")
        assert committed.headers["location"] == "/versions/2/notices", committed.text
    return data
