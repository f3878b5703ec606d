"""Solve jobs: each runs in its own process writing into its job folder; the server commits it.

:class:`Jobs` starts a worker (``cluster_planner.web.worker``), watches it, and when it has
written ``result.json`` moves its plan folder to ``plans/`` (one rename) and numbers the version
in one SQLite transaction. A kill -9 at any moment leaves either no version or a whole one; at
start, jobs a previous server left running are marked interrupted. One job per school at a time.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from cluster_planner.web import worker
from cluster_planner.web.store import CANCELLED, DONE, FAILED, INTERRUPTED, RUNNING, Row, Store

LOG = "log.txt"
MAX_LOG = 200_000  # characters of a job's log kept in the store


class AlreadyRunning(Exception):
    """The school has a solve running already."""

    def __init__(self, job_id: int) -> None:
        super().__init__(job_id)
        self.job_id = job_id


class Stale(Exception):
    """A preview that cannot be committed: ``reason`` is ``committed``, ``not_ready`` or ``outdated``;
    a what-if that cannot be promoted: ``promoted``, ``not_ready``, ``resolved`` (the term has begun) or ``outdated``.
    """

    def __init__(self, reason: str, version_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.version_id = version_id


class Jobs:
    """The running workers of this server and what to do when each one ends."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.data = store.data
        self.procs: dict[int, subprocess.Popen[bytes]] = {}
        self.cancelling: set[int] = set()
        self.lock = threading.RLock()
        self.recover()

    # ---- start, cancel -------------------------------------------------------------------------
    def start(self, school_id: int, upload: Row, time_limit: float, lang: str, seed: int | None = None) -> int:
        """Start a solve of ``upload``'s scenario; raises :class:`AlreadyRunning`."""
        spec = {"scenario": str(self.data / upload.scenario), "time_limit": time_limit, "lang": lang, "seed": seed}
        return self.launch(school_id, upload.id, time_limit, spec)

    def start_resolve(self, preview: Row, plan: str, time_limit: float, lang: str) -> int:
        """Start the re-solve of a mid-term preview: ``plan`` (relative to the data folder) with the preview's
        changes, into the job folder; it ends as a preview, never as a version. Raises :class:`AlreadyRunning`."""
        spec = {
            "kind": worker.RESOLVE,
            "plan": str(self.data / plan),
            "changes": preview.changes,
            "on": preview.effective,
            "time_limit": time_limit,
            "lang": lang,
        }
        job_id = self.launch(preview.school_id, 0, time_limit, spec)
        job = self.store.job(job_id)
        self.store.set_preview_job(preview.id, job_id, job.folder if job else "")
        return job_id

    def start_whatif(self, whatif: Row, plan: str, time_limit: float, lang: str) -> int:
        """Start the solve of a what-if: the scenario of ``plan`` (relative to the data folder) with the
        what-if's edits, into the job folder; it ends as a comparison, a version only when promoted.
        Raises :class:`AlreadyRunning`."""
        spec = {
            "kind": worker.WHATIF,
            "plan": str(self.data / plan),
            "edits": json.loads(whatif.edits),
            "time_limit": time_limit,
            "lang": lang,
        }
        with self.lock:  # the job is the what-if's before the watcher can see it end
            job_id = self.launch(whatif.school_id, 0, time_limit, spec)
            self.store.set_whatif_job(whatif.id, job_id)
        return job_id

    def launch(self, school_id: int, upload_id: int, time_limit: float, spec: dict[str, Any]) -> int:
        """A job row, its folder with ``job.json``, and its worker process (one running job per school)."""
        with self.lock:
            self.refresh()
            running = self.store.running_jobs(school_id)
            if running:
                raise AlreadyRunning(running[0].id)
            jobs = self.data / "jobs"
            jobs.mkdir(exist_ok=True)
            job_id = self.store.add_job(school_id, upload_id, "", time_limit)
            folder = jobs / f"job-{job_id}"
            folder.mkdir()
            with self.store.connect() as db:
                db.execute("UPDATE jobs SET folder = ? WHERE id = ?", (self.relative(folder), job_id))
            worker.write_json(folder / worker.JOB, spec)
            with (folder / LOG).open("ab") as log:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "cluster_planner.web.worker", str(folder)],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,  # a Ctrl-C of the server is the server's; it ends the worker itself
                )
            self.procs[job_id] = proc
            self.store.set_pid(job_id, proc.pid)
            return job_id

    def cancel(self, job_id: int) -> bool:
        """Stop a running job (the worker process ends; nothing of it becomes a version)."""
        with self.lock:
            proc = self.procs.get(job_id)
            if proc is None or proc.poll() is not None:
                self.refresh()
                return False
            self.cancelling.add(job_id)
            _stop(proc)
            self.refresh()
            return True

    def stop_all(self) -> None:
        """The server stops: its running jobs end as interrupted."""
        with self.lock:
            for job_id, proc in list(self.procs.items()):
                _stop(proc)
                self.store.end_job(job_id, INTERRUPTED, log=self.log_text(job_id))
            self.procs.clear()

    # ---- watching --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Finish every job whose worker has exited: commit its plan, or record why not."""
        with self.lock:
            for job_id, proc in list(self.procs.items()):
                if proc.poll() is None:
                    continue
                del self.procs[job_id]
                self.finish(job_id, proc.returncode)

    def finish(self, job_id: int, code: int) -> None:
        job = self.store.job(job_id)
        if job is None or job.status != RUNNING:
            return
        folder = self.data / job.folder
        log = self.log_text(job_id)
        if job_id in self.cancelling:
            self.cancelling.discard(job_id)
            self.store.end_job(job_id, CANCELLED, log=log)
            return
        result = _read_json(folder / worker.RESULT)
        if result.get("status") != "done" or not (folder / worker.PLAN / "plan.json").is_file():
            message = str(result.get("message") or f"exit {code}")
            self.store.end_job(job_id, FAILED, message=message, log=log)
            return
        if self.store.preview_of_job(job_id) is not None:  # a preview waits in its job folder for the user
            self.store.end_job(job_id, DONE, log=log)
            return
        if self.store.whatif_of_job(job_id) is not None:  # so does a what-if (promoted only when asked)
            self.store.end_job(job_id, DONE, log=log)
            return
        self.commit(job, folder / worker.PLAN, log)

    def commit(
        self,
        job: Row,
        plan: Path,
        log: str,
        preview_id: int | None = None,
        promoted: tuple[int, str, str] | None = None,
    ) -> int:
        """The plan folder moves into ``plans/`` in one rename; the version is numbered in one transaction.

        A commit a crash cut short after the rename finds the plan already in ``plans/`` and numbers it.
        """
        plans = self.data / "plans"
        plans.mkdir(exist_ok=True)
        target = plans / f"school-{job.school_id}-job-{job.id}"
        if not target.exists():
            os.replace(plan, target)  # same file system: atomic; a crash here leaves no version row
        return self.store.commit_version(job.id, job.school_id, self.relative(target), log, preview_id, promoted)

    def commit_preview(self, preview: Row) -> int:
        """Make a finished preview the school's next version (the same path as a term-start job's plan).

        Raises :class:`Stale` when the preview is not (or no longer) committable: its job has not ended
        well, it was committed already, or a newer version than the one it changes exists.
        """
        with self.lock:
            self.refresh()
            preview = self.store.preview(preview.id) or preview
            job = self.store.job(preview.job_id) if preview.job_id else None
            latest = self.store.latest_version(preview.school_id)
            if preview.committed_version:
                raise Stale("committed", preview.committed_version)
            if job is None or job.status != DONE:
                raise Stale("not_ready")
            if latest is None or latest.id != preview.version_id:
                raise Stale("outdated", latest.id if latest else None)
            return self.commit(job, self.data / job.folder / worker.PLAN, job.log or "", preview.id)

    def refusal(self, whatif: Row) -> Stale | None:
        """Why ``whatif`` cannot be promoted now (None: it can): ``promoted`` when it was already; only before the
        term has begun: ``resolved`` when a re-solved (mid-term) version exists; ``outdated`` when a newer version
        than the one it was copied from exists; ``not_ready`` when its solve has not ended well."""
        job = self.store.job(whatif.job_id) if whatif.job_id else None
        latest = self.store.latest_version(whatif.school_id)
        if whatif.promoted_version:
            return Stale("promoted", whatif.promoted_version)
        if self.store.resolved_versions(whatif.school_id):
            return Stale("resolved")
        if latest is None or latest.id != whatif.version_id:
            return Stale("outdated", latest.id if latest else None)
        if job is None or job.status != DONE:
            return Stale("not_ready")
        return None

    def promote_whatif(self, whatif: Row, author: str, client: str) -> int:
        """Make a finished what-if the school's next version (the same path as a term-start job's plan), recorded
        as promoted by ``author`` from ``client``, when; raises :class:`Stale` (see :meth:`refusal`)."""
        with self.lock:
            self.refresh()
            whatif = self.store.whatif(whatif.id) or whatif
            refused = self.refusal(whatif)
            if refused is not None:
                raise refused
            job = self.store.job(whatif.job_id)
            promoted = (whatif.id, author, client)
            return self.commit(job, self.data / job.folder / worker.PLAN, job.log or "", promoted=promoted)

    def recover(self) -> None:
        """At start: a job still marked running belongs to a server that is gone: it was interrupted."""
        for job in self.store.running_jobs():
            if job.pid:
                _stop_pid(job.pid, job.folder)
            self.store.end_job(job.id, INTERRUPTED, log=self.log_text(job.id))

    # ---- reading --------------------------------------------------------------------------------
    def progress(self, job_id: int) -> list[dict[str, Any]]:
        job = self.store.job(job_id)
        if job is None or not job.folder:
            return []
        path = self.data / job.folder / worker.PROGRESS
        if not path.is_file():
            return []
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:  # a line being written
                continue
        return rows

    def log_text(self, job_id: int) -> str:
        job = self.store.job(job_id)
        if job is None or not job.folder:
            return ""
        path = self.data / job.folder / LOG
        return path.read_text(encoding="utf-8", errors="replace")[-MAX_LOG:] if path.is_file() else ""

    def relative(self, path: Path) -> str:
        return str(path.relative_to(self.data))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End a worker and wait for it (CP-SAT stops with its process)."""
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _stop_pid(pid: int, folder: str) -> None:
    """End a worker left by a previous server, only when that process is still our worker of ``folder``."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return
    if "cluster_planner.web.worker" in cmdline and folder in cmdline:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
