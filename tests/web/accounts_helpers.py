"""Helpers of the account tests: a planned school with two versions and two accounts, logging in, every route."""

from __future__ import annotations

import csv
import re
import sqlite3
import time
from pathlib import Path

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from web_helpers import DEMO, csrf_of

from cluster_planner.cli import main
from cluster_planner.web import create_app

OTHER_HOST = "127.0.0.2"
"""An address that is not this computer's 127.0.0.1 to the app (so it needs a login) yet stays on the loopback."""
OFFICE = ("教务处王老师", "office-pass-1")
VIEWER = ("班主任李老师", "viewer-pass-1")
PARAMS = {"school_id": "1", "version_id": "2", "job_id": "1", "preview_id": "1", "kind": "group", "lang": "en"}
"""A value for each path parameter of the app's routes (version 2 is the mid-term one, with change notices)."""


JOIN_EXIT = {
    "date": "2026-10-12",
    "author": "冒名者",  # the account's name is recorded, not what the form says
    "action_0": "join",
    "id_0": "N1",
    "name_0": "新同学",
    "class_id_0": "101",
    "days_0": "Mon Tue",
    "action_1": "exit",
    "id_1": "S10102",
}
"""Version 2 of the school with accounts: one join and one exit."""


def copy_data(source: Path, target: Path) -> Path:
    """A copy of a data folder: its SQLite store through SQLite's backup (consistent while in use), the rest as is."""
    target.mkdir(parents=True)
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if path.name.startswith("cluster-planner.sqlite") or path.is_dir():
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_bytes(path.read_bytes())
    with (
        sqlite3.connect(source / "cluster-planner.sqlite") as src,
        sqlite3.connect(target / "cluster-planner.sqlite") as dst,
    ):
        src.backup(dst)
    return target


def add_user(data: Path, name: str, role: str, password: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``cluster-planner user add NAME --role ROLE --password-stdin --data DATA``, in process."""
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    try:
        main(["user", "add", name, "--role", role, "--password-stdin", "--data", str(data)])
    except SystemExit as exc:
        assert not exc.code, exc.code


def log_in(client: TestClient, name: str, password: str) -> TestClient:
    """Log ``client`` in through the login form; it then sends its new session's CSRF token with every request."""
    client.headers.pop("X-CSRF-Token", None)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"name": name, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    client.headers["X-CSRF-Token"] = csrf_of(client.get("/").text)
    return client


def client_on(data: Path, host: str = OTHER_HOST) -> TestClient:
    """A client of the app over ``data`` as ``serve --host HOST`` makes it (no lifespan: no job watcher)."""
    return TestClient(create_app(data, host), follow_redirects=False)


def routes(client: TestClient) -> list[APIRoute]:
    return [r for r in client.app.routes if isinstance(r, APIRoute)]


def urls(route: APIRoute) -> list[str]:
    """Addresses of ``route`` with each path parameter filled (every download name; both diff versions)."""
    from cluster_planner.web.app import DOWNLOADS, FLAT

    names = DOWNLOADS if "/download/" in route.path else FLAT
    filled = [route.path]
    for name in re.findall(r"{(\w+)}", route.path):
        values = list(names) if name == "name" else ["S10101"] if name == "student_id" else [PARAMS.get(name, "1")]
        filled = [u.replace("{" + name + "}", v) for u in filled for v in values]
    return [u + ("?old=1&new=2" if u.endswith("/diff") else "") for u in filled]


def wait_done(client: TestClient, job_id: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while client.get(f"/jobs/{job_id}/progress").json()["status"] == "running":
        assert time.monotonic() < deadline, "the job did not end"
        time.sleep(0.3)


def families() -> tuple[set[str], set[str]]:
    """demo-small's parent phones (as written and as digits) and parent names that are nobody else's name."""
    with (DEMO / "students.csv").open(encoding="utf-8-sig") as fh:
        students = list(csv.DictReader(fh))
    with (DEMO / "staff.csv").open(encoding="utf-8-sig") as fh:
        staff = {row["name"] for row in csv.DictReader(fh)}
    phones = {s["parent_phone"] for s in students if s["parent_phone"]}
    phones |= {re.sub(r"\D", "", p) for p in phones}
    names = {s["parent_name"] for s in students if s["parent_name"]} - {s["name"] for s in students} - staff
    return phones, names


def personal_data(text: str, phones: set[str], names: set[str]) -> list[str]:
    """Whole phone numbers and parent names (as a table cell) found in ``text``."""
    return sorted({p for p in phones if p in text} | {n for n in names if f">{n}<" in text})
