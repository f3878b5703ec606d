"""The web app under load (issue 16 item 4): viewers browsing a plan while a solve runs on the same machine.

A real ``cluster-planner serve`` on a free port over a fresh data folder (a temporary one unless
``--data``). The scenario is uploaded as a zip and solved through the app's own routes (version 1;
this first solve, with nobody browsing, is the solve's time alone). Then ``--viewers`` simulated
viewers (threads, one keep-alive connection each) browse version 1's timetables, rosters and
report pages in a loop, each waiting ``--think`` seconds on average between pages:

1. for ``--seconds`` seconds with no solve running;
2. while a second solve of the same scenario runs (started by ``POST /schools/1/solve``, as the
   office starts one), until its version is committed.

A third solve with nobody browsing follows; "alone" is the mean of the first and third (the
machine's other load drifts). The solve's time is the worker's own (``progress.jsonl``: loading,
solving, writing the plan and reports). Prints a table; ``--write bench/RESULTS.md`` records it
between the markers of that file. Targets: page p95 under 300 ms, the solve under load less than
25 % slower than alone.

    .venv/bin/python bench/web_load.py                      # nine-year-3000, 20 viewers, 20 s (about 2 minutes)
    .venv/bin/python bench/web_load.py --viewers 20 --seconds 60 --write bench/RESULTS.md
    .venv/bin/python bench/web_load.py --scenario demo-small --viewers 5 --seconds 5   # a quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
BEGIN, END = "<!-- web-load:begin -->", "<!-- web-load:end -->"
KINDS = ("group", "staff", "room", "class")
FLAT = ("rain", "duties", "pay", "unplaced")
# what a viewer opens, by weight: mostly timetables, now and then the rosters, the summary, a flat table
MIX = (("timetable", 6), ("rosters", 1), ("summary", 1), ("table", 2))
P95_TARGET_MS = 300.0
SLOWDOWN_TARGET = 0.25


# ---- talking to the server ---------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def request(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    body: bytes | None = None,
    kind: str = "",
    extra: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": kind} if kind else {}
    conn.request(method, path, body=body, headers={**headers, **(extra or {})})
    response = conn.getresponse()
    return response.status, dict(response.getheaders()), response.read()


class Client:
    """One keep-alive connection to the server (reconnects once when the server closed it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=120)
        self.cookie = ""  # the session cookie, and its CSRF token for POSTs (as the app's forms send it)
        self.token = ""

    def call(self, method: str, path: str, body: bytes | None = None, kind: str = "") -> tuple[int, dict, bytes]:
        extra = {"Cookie": self.cookie} if self.cookie else {}
        if method == "POST":
            extra["X-CSRF-Token"] = self.token
        try:
            status, headers, content = request(self.conn, method, path, body, kind, extra)
        except (http.client.HTTPException, ConnectionError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
            status, headers, content = request(self.conn, method, path, body, kind, extra)
        cookie = next((v for k, v in headers.items() if k.lower() == "set-cookie"), "")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        found = CSRF_META.search(content.decode("utf-8", "replace")) if content else None
        if found:
            self.token = found.group(1)
        return status, headers, content

    def get(self, path: str) -> bytes:
        status, _, body = self.call("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        return body

    def post_form(self, path: str, fields: dict[str, str]) -> str:
        status, headers, _ = self.call("POST", path, urllib.parse.urlencode(fields).encode(), FORM)
        if status != 303:
            raise RuntimeError(f"POST {path}: {status}")
        return headers.get("location", "")

    def post_file(self, path: str, name: str, content: bytes) -> str:
        boundary = "----web-load-bench"
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n'.encode()
        body = head + content + f"\r\n--{boundary}--\r\n".encode()
        status, headers, _ = self.call("POST", path, body, f"multipart/form-data; boundary={boundary}")
        if status != 303:
            raise RuntimeError(f"POST {path}: {status}")
        return headers.get("location", "")


FORM = "application/x-www-form-urlencoded"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


def start_server(data: Path, port: int, seconds: float = 60.0) -> subprocess.Popen[bytes]:
    """``cluster-planner serve`` in its own process, returned once it answers."""
    command = [sys.executable, "-c", "from cluster_planner.cli import main; main()", "serve"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--data", str(data)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + seconds
    while True:
        try:
            Client(port).get("/")
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)


def scenario_zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.name}")
    return buffer.getvalue()


# ---- solves ----------------------------------------------------------------------------------------
@dataclass
class Solve:
    job: int
    seconds: float  # the worker's own time: loading, solving, writing (progress.jsonl)
    wall: float  # from the POST until the version is committed, as the office waits
    version: int
    cpu: float  # CPU seconds of the worker process (read while it runs: the last quarter second may be missed)


def solve(client: Client, data: Path, time_limit: float) -> Solve:
    """Start a solve of the school's draft through the app and wait for its version."""
    started = time.perf_counter()
    if not client.token:
        client.get("/")  # a session and its CSRF token first
    location = client.post_form("/schools/1/solve", {"time_limit": str(time_limit)})
    job = int(location.rstrip("/").rsplit("/", 1)[1])
    with sqlite3.connect(data / "cluster-planner.sqlite") as db:
        pid = db.execute("SELECT pid FROM jobs WHERE id = ?", (job,)).fetchone()[0]
    cpu = 0.0
    while True:
        cpu = cpu_seconds(pid) or cpu
        state = json.loads(client.get(f"/jobs/{job}/progress"))
        if state["status"] != "running":
            break
        time.sleep(0.25)
    wall = time.perf_counter() - started
    if state["status"] != "done" or not state["version"]:
        raise SystemExit(f"job {job} ended {state['status']}: {state['message']}")
    lines = (data / "jobs" / f"job-{job}" / "progress.jsonl").read_text(encoding="utf-8").splitlines()
    return Solve(job, float(json.loads(lines[-1])["elapsed"]), wall, int(state["version"]), cpu)


# ---- viewers ---------------------------------------------------------------------------------------
@dataclass
class Pages:
    """What a viewer can open in version ``v``: the ids each timetable kind offers."""

    version: int
    ids: dict[str, list[str]]

    def pick(self, rng: random.Random) -> tuple[str, str]:
        what = rng.choices([m for m, _ in MIX], weights=[w for _, w in MIX])[0]
        v = self.version
        if what == "timetable":
            kind = rng.choice(KINDS)
            key = urllib.parse.quote(rng.choice(self.ids[kind]))
            return f"timetable/{kind}", f"/versions/{v}/timetables/{kind}?id={key}"
        if what == "table":
            return "table", f"/versions/{v}/table/{rng.choice(FLAT)}"
        return what, f"/versions/{v}/rosters" if what == "rosters" else f"/versions/{v}"


def pages_of(client: Client, version: int) -> tuple[Pages, dict[str, float]]:
    """The ids of every timetable kind, and each page kind's first (cold) time in seconds."""
    cold: dict[str, float] = {}

    def timed(name: str, path: str) -> bytes:
        started = time.perf_counter()
        body = client.get(path)
        cold.setdefault(name, time.perf_counter() - started)
        return body

    timed("summary", f"/versions/{version}")  # the first page reads the plan and builds its tables
    ids = {}
    for kind in KINDS:
        page = timed(f"timetable/{kind}", f"/versions/{version}/timetables/{kind}").decode()
        ids[kind] = re.findall(r'<option value="([^"]*)"', page)
    timed("rosters", f"/versions/{version}/rosters")
    timed("table", f"/versions/{version}/table/pay")
    return Pages(version, ids), cold


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    times: list[float] = field(default_factory=list)  # seconds per page
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    server_cpu: float = 0.0  # CPU seconds of the server process (not its workers) during the phase
    viewers_cpu: float = 0.0  # CPU seconds of this process (the viewers): on the office's network, other computers'
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.times.append(seconds)
            self.by_kind.setdefault(kind, []).append(seconds)

    def failed(self) -> None:
        with self.lock:
            self.errors += 1


def browse(port: int, pages: Pages, phase: Phase, stop: threading.Event, think: float, seed: int) -> None:
    """One viewer: open a page, read it, think, again, until ``stop``."""
    rng = random.Random(seed)
    client = Client(port)
    while not stop.is_set():
        kind, path = pages.pick(rng)
        started = time.perf_counter()
        try:
            client.get(path)
        except (OSError, RuntimeError, http.client.HTTPException):
            phase.failed()
            continue
        elapsed = time.perf_counter() - started
        if not stop.is_set():
            phase.add(kind, elapsed)
        if think > 0:
            stop.wait(rng.uniform(0.5 * think, 1.5 * think))


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_phase(
    name: str, port: int, pages: Pages, viewers: int, think: float, server_pid: int, until: threading.Event
) -> Phase:
    """``viewers`` threads browsing until ``until`` is set."""
    phase = Phase(name)
    cpu, own = cpu_seconds(server_pid), time.process_time()
    started = time.perf_counter()
    threads = [
        threading.Thread(target=browse, args=(port, pages, phase, until, think, i), daemon=True) for i in range(viewers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    phase.server_cpu = cpu_seconds(server_pid) - cpu
    phase.viewers_cpu = time.process_time() - own
    return phase


# ---- figures -----------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def phase_row(phase: Phase) -> str:
    t = phase.times
    return (
        f"| {phase.name} | {phase.seconds:.0f} | {len(t):,} | {len(t) / max(phase.seconds, 1e-9):.1f} | "
        f"{ms(percentile(t, 50))} | {ms(percentile(t, 95))} | {ms(max(t) if t else float('nan'))} | "
        f"{phase.errors} | {100 * phase.server_cpu / max(phase.seconds, 1e-9):.0f} % |"
        f" {100 * phase.viewers_cpu / max(phase.seconds, 1e-9):.0f} % |"
    )


def kinds_table(phases: list[Phase]) -> list[str]:
    kinds = sorted({k for p in phases for k in p.by_kind})
    head = "| page | " + " | ".join(f"{p.name}: p50 / p95 ms" for p in phases) + " |"
    lines = [head, "|---|" + "--:|" * len(phases)]
    for kind in kinds:
        cells = []
        for p in phases:
            t = p.by_kind.get(kind, [])
            cells.append(f"{ms(percentile(t, 50))} / {ms(percentile(t, 95))} ({len(t):,})" if t else "—")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return lines


def report(args: argparse.Namespace, cold: dict[str, float], phases: list[Phase], alone: list[Solve], loaded: Solve):
    """The tables (markdown) and whether both targets are met."""
    alone_s = statistics.mean(s.seconds for s in alone)
    slowdown = loaded.seconds / alone_s - 1
    p95 = max(percentile(p.times, 95) for p in phases)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    lines = [
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M} at commit {commit.stdout.strip() or '?'} on {os.cpu_count()} cores"
        f" (load average at the end {load[0]:.1f}); `bench/web_load.py --scenario {args.scenario}"
        f" --viewers {args.viewers} --seconds {args.seconds:g} --think {args.think:g}`.",
        "",
        "| phase | s | pages | pages/s | p50 ms | p95 ms | max ms | errors | server CPU | viewers' CPU |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        *(phase_row(p) for p in phases),
        "",
        "| solve of " + args.scenario + " | worker s | worker CPU s | POST → version s |",
        "|---|--:|--:|--:|",
        *(f"| alone (job {s.job}) | {s.seconds:.1f} | {s.cpu:.1f} | {s.wall:.1f} |" for s in alone),
        f"| under load (job {loaded.job}) | {loaded.seconds:.1f} | {loaded.cpu:.1f} | {loaded.wall:.1f} |",
        "",
        f"**Slowdown of the solve under load: {100 * slowdown:+.0f} %** (target < {100 * SLOWDOWN_TARGET:.0f} %);"
        f" **page p95: {ms(p95)} ms** (target < {P95_TARGET_MS:.0f} ms). First (cold) page of the version: "
        + ", ".join(f"{k} {ms(v)} ms" for k, v in cold.items())
        + ".",
        "",
        *kinds_table(phases),
    ]
    met = slowdown < SLOWDOWN_TARGET and p95 * 1000 < P95_TARGET_MS
    return "\n".join(lines), met


def write(path: Path, block: str) -> None:
    """Put ``block`` between the markers of ``path`` (a new section at the end when they are missing)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{BEGIN}\n{block}\n{END}"
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        new = head + block + rest.split(END, 1)[1]
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


# ---- command line ------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="nine-year-3000", help="a bundled scenario (folder under scenarios/)")
    parser.add_argument("--viewers", type=int, default=20, help="simulated viewers browsing at once")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the phase with no solve running")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds a viewer waits between pages (0: none)")
    parser.add_argument("--time-limit", type=float, default=120.0, help="the solve's time limit in seconds")
    parser.add_argument("--data", type=Path, help="the server's data folder (default: a new temporary one)")
    parser.add_argument("--write", type=Path, help="record the tables in this file (e.g. bench/RESULTS.md)")
    args = parser.parse_args(argv)

    folder = ROOT / "scenarios" / args.scenario
    if not folder.is_dir():
        parser.error(f"no scenario folder {folder}")
    temporary = None if args.data else Path(tempfile.mkdtemp(prefix="web-load-"))
    data = args.data or temporary / "data"
    if data.exists():
        parser.error(f"{data} exists; the benchmark needs a fresh data folder")
    port = free_port()
    server = start_server(data, port)
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    try:
        client = Client(port)
        client.get("/")  # a session and its CSRF token, as a browser gets them
        client.post_form("/schools", {"name": args.scenario})
        client.post_file("/schools/1/upload", f"{args.scenario}.zip", scenario_zip(folder))
        say(f"… solving {args.scenario} alone (data: {data})")
        first = solve(client, data, args.time_limit)
        pages, cold = pages_of(client, first.version)

        say(f"… {args.viewers} viewers, no solve, {args.seconds:g} s")
        stop = threading.Event()
        threading.Timer(args.seconds, stop.set).start()
        quiet = run_phase("no solve", port, pages, args.viewers, args.think, server.pid, stop)

        say(f"… {args.viewers} viewers while {args.scenario} solves")
        stop = threading.Event()
        loaded: list[Solve] = []

        def solve_then_stop() -> None:
            try:
                loaded.append(solve(Client(port), data, args.time_limit))
            finally:
                stop.set()

        solver = threading.Thread(target=solve_then_stop)
        solver.start()
        busy = run_phase("solve running", port, pages, args.viewers, args.think, server.pid, stop)
        solver.join()
        if not loaded:
            raise SystemExit("the solve under load did not finish")

        say(f"… solving {args.scenario} alone again")
        last = solve(client, data, args.time_limit)
    finally:
        server.terminate()
        server.wait(30)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)

    text, met = report(args, cold, [quiet, busy], [first, last], loaded[0])
    print(text)
    if args.write:
        write(args.write, text)
        say(f"recorded in {args.write}")
    say("both targets met" if met else "a target is missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
