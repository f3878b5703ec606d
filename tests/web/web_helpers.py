"""Helpers of the web tests: the demo school as uploads (good, broken, zipped), waiting on a job, reading its events."""

from __future__ import annotations

import http.cookiejar
import io
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cluster_planner.web.server import Server
from cluster_planner.web.store import Row, Store

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scenarios" / "demo-small"
DEMO_XLSX = ROOT / "scenarios" / "demo-small.xlsx"
BIG = ROOT / "scenarios" / "nine-year-3000"  # a solve that runs long enough to be cancelled
TIME_LIMIT = 10  # seconds of a web test's solve of demo-small (it needs about 7)
BAD_DAYS = "Mon Funday"
"""The value the broken workbook puts in students row 5, column ``days``."""


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')
_BROWSER = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
"""A client with cookies, as a browser (the session cookie carries the CSRF token's session)."""


def csrf_of(page: str) -> str:
    """The CSRF token a page of the app carries (its ``<meta name="csrf-token">``)."""
    found = CSRF_META.search(page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def with_csrf(client: TestClient) -> TestClient:
    """``client`` sending its session's CSRF token with every request, as the app's forms do."""
    client.headers["X-CSRF-Token"] = csrf_of(client.get("/").text)
    return client


def demo_zip(prefix: str = "demo-small/", folder: Path = DEMO) -> bytes:
    """demo-small's CSV folder zipped (inside a folder, as an office's zip tool makes it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, prefix + path.name)
    return buffer.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def broken_workbook(path: Path) -> Path:
    """demo-small.xlsx with an impossible weekday in students row 5 (a row-level error), and a few more mistakes
    an office makes (an unknown class, a negative room capacity, a choice off the menu)."""
    book = openpyxl.load_workbook(DEMO_XLSX)
    for sheet_name, row, column, value in (
        ("students", 5, "days", BAD_DAYS),
        ("students", 9, "class_id", "999"),
        ("students", 12, "choice1", "KARATE"),
        ("rooms", 3, "capacity", -5),
    ):
        sheet = book[sheet_name]
        sheet.cell(row=row, column=[c.value for c in sheet[1]].index(column) + 1, value=value)
    book.save(path)
    return path


def wait_for(get_state, seconds: float = 60.0):
    """Poll ``get_state()`` until its status is no longer running."""
    deadline = time.monotonic() + seconds
    while True:
        state = get_state()
        if state["status"] != "running" or time.monotonic() > deadline:
            return state
        time.sleep(0.3)


def sse_events(lines: Iterable[str]) -> list[tuple[str, dict]]:
    """The (event, data) pairs of a Server-Sent Events stream, read to its end."""
    events: list[tuple[str, dict]] = []
    name, data = "message", ""
    for line in lines:
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data += line[5:].strip()
        elif not line and data:
            events.append((name, json.loads(data)))
            name, data = "message", ""
    return events


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_process(data: Path, port: int, seconds: float = 30.0) -> subprocess.Popen:
    """A real ``cluster-planner serve`` in its own process, returned once it answers."""
    command = [sys.executable, "-c", "from cluster_planner.cli import main; main()", "serve"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--data", str(data)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return server
        except OSError:
            if time.monotonic() >= deadline or server.poll() is not None:
                server.kill()
                raise AssertionError("the server did not start") from None
            time.sleep(0.2)


@contextmanager
def served(app: FastAPI, host: str = "127.0.0.1") -> Iterator[tuple[Server, str]]:
    """``app`` served as ``cluster-planner serve`` serves it, in a thread; the server and its address."""
    server = Server(app, free_port(), host)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield server, f"http://{host}:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(20)


def post(url: str, fields: dict[str, str] | None = None, file: tuple[str, bytes] | None = None) -> str:
    """POST a form (``fields``, or one ``file`` as multipart) with the session's CSRF token, as a browser does,
    and return the page it leads to."""
    parts = urllib.parse.urlsplit(url)
    token = csrf_of(_BROWSER.open(f"{parts.scheme}://{parts.netloc}/", timeout=30).read().decode())
    if file is not None:
        boundary = "----cluster-planner-test"
        name, content = file
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n'.encode()
        body, kind = head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
    else:
        body, kind = urllib.parse.urlencode(fields or {}).encode(), "application/x-www-form-urlencoded"
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": kind, "X-CSRF-Token": token}, method="POST"
    )
    with _BROWSER.open(request, timeout=30) as response:
        return response.read().decode()


def school_with_version(source: Store, version_id: int, data: Path, name: str = "育才小学") -> Store:
    """A data folder whose school 1 has version 1: ``source``'s version copied, numbered as a finished job's is
    (a plan solved once serves several data folders)."""
    store = Store(data)
    school_id = store.add_school(name)
    job_id = store.add_job(school_id, 0, "", TIME_LIMIT)
    folder = f"plans/school-{school_id}-job-{job_id}"
    shutil.copytree(source.data / source.version(version_id).folder, data / folder)
    store.commit_version(job_id, school_id, folder)
    return store


def finished_job(store: Store, school_id: int, plan: Path) -> Row:
    """A job that has ended well with ``plan`` (a plan folder, copied) in its folder, as a worker leaves it."""
    job_id = store.add_job(school_id, 0, "", TIME_LIMIT)
    folder = store.data / "jobs" / f"job-{job_id}"
    shutil.copytree(plan, folder / "plan")
    with store.connect() as db:
        db.execute("UPDATE jobs SET folder = ? WHERE id = ?", (str(folder.relative_to(store.data)), job_id))
    store.end_job(job_id, "done")
    return store.job(job_id)
