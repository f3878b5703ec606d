"""The web app's state: one SQLite file under ``--data`` for schools, uploads, solve jobs and plan versions.

Plan folders (FORMAT.md) stay the contract; a version row points to one and is written in the
same transaction that numbers it, so a version exists whole or not at all. Paths are kept
relative to the data folder.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS schools (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL, draft_id INTEGER
);
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL, created TEXT NOT NULL, filename TEXT NOT NULL,
    folder TEXT, scenario TEXT, ok INTEGER NOT NULL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL,
    findings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL, upload_id INTEGER NOT NULL, created TEXT NOT NULL,
    status TEXT NOT NULL, folder TEXT NOT NULL, pid INTEGER, time_limit REAL NOT NULL, message TEXT,
    finished TEXT, log TEXT
);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL, number INTEGER NOT NULL, job_id INTEGER NOT NULL UNIQUE,
    folder TEXT NOT NULL, created TEXT NOT NULL, UNIQUE (school_id, number)
);
CREATE TABLE IF NOT EXISTS previews (
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL, version_id INTEGER NOT NULL, job_id INTEGER UNIQUE,
    created TEXT NOT NULL, author TEXT NOT NULL, client TEXT NOT NULL, source TEXT NOT NULL, folder TEXT NOT NULL,
    effective TEXT NOT NULL, changes TEXT NOT NULL, findings TEXT NOT NULL, committed_version INTEGER
);
CREATE TABLE IF NOT EXISTS whatifs (
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL, version_id INTEGER NOT NULL, job_id INTEGER UNIQUE,
    created TEXT NOT NULL, author TEXT NOT NULL, client TEXT NOT NULL, edits TEXT NOT NULL, findings TEXT NOT NULL,
    promoted_version INTEGER, promoted TEXT, promoted_by TEXT, promoted_client TEXT
);
"""
# previews: mid-term changes as entered (who, from where, when; the rows as changes.csv text) and the re-solve
# job that previews them; ``committed_version`` is set in the transaction that numbers the version.
# A preview's job has upload_id 0 (its input is the base version's plan folder and the changes).
# whatifs: a version copied with edited rules (``edits``: JSON, see web.whatif_edits), who asked for it, and
# the solve job; promoted (before any re-solve) to ``promoted_version`` by whom and when, in the numbering
# transaction. A what-if's job has upload_id 0 too.

RUNNING, DONE, FAILED, CANCELLED, INTERRUPTED = "running", "done", "failed", "cancelled", "interrupted"


def now() -> str:
    return datetime.now().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Row:
    """One row of a table as attributes (``row.name``)."""

    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


class Store:
    """Small, explicit queries; a connection per call (the server has few users and short requests)."""

    def __init__(self, data: Path) -> None:
        self.data = data
        data.mkdir(parents=True, exist_ok=True)
        self.path = data / "cluster-planner.sqlite"
        self.lock = threading.Lock()  # numbering a version or starting a job: one writer at a time
        with self.connect() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        try:
            yield db
        finally:
            db.close()

    def _one(self, sql: str, *args: Any) -> Row | None:
        with self.connect() as db:
            found = db.execute(sql, args).fetchone()
        return Row(dict(found)) if found else None

    def _all(self, sql: str, *args: Any) -> list[Row]:
        with self.connect() as db:
            return [Row(dict(r)) for r in db.execute(sql, args).fetchall()]

    def _insert(self, sql: str, *args: Any) -> int:
        with self.connect() as db:
            return int(db.execute(sql, args).lastrowid or 0)

    # ---- schools and uploads ---------------------------------------------------------------
    def add_school(self, name: str) -> int:
        return self._insert("INSERT INTO schools (name, created) VALUES (?, ?)", name, now())

    def school(self, school_id: int) -> Row | None:
        return self._one("SELECT * FROM schools WHERE id = ?", school_id)

    def schools(self) -> list[Row]:
        return self._all("SELECT * FROM schools ORDER BY id")

    def add_upload(
        self, school_id: int, filename: str, folder: str | None, scenario: str | None, findings: list
    ) -> int:
        """Record an upload and make it the school's draft (a new upload replaces the draft)."""
        errors = sum(1 for f in findings if f["severity"] == "error")
        warnings = sum(1 for f in findings if f["severity"] == "warning")
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            upload_id = db.execute(
                "INSERT INTO uploads (school_id, created, filename, folder, scenario, ok, errors, warnings, findings)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    school_id,
                    now(),
                    filename,
                    folder,
                    scenario,
                    int(errors == 0 and scenario is not None),
                    errors,
                    warnings,
                    json.dumps(findings, ensure_ascii=False),
                ),
            ).lastrowid
            db.execute("UPDATE schools SET draft_id = ? WHERE id = ?", (upload_id, school_id))
            db.execute("COMMIT")
        return int(upload_id or 0)

    def upload(self, upload_id: int) -> Row | None:
        return self._one("SELECT * FROM uploads WHERE id = ?", upload_id)

    # ---- jobs ---------------------------------------------------------------------------------
    def add_job(self, school_id: int, upload_id: int, folder: str, time_limit: float) -> int:
        return self._insert(
            "INSERT INTO jobs (school_id, upload_id, created, status, folder, time_limit) VALUES (?, ?, ?, ?, ?, ?)",
            school_id,
            upload_id,
            now(),
            RUNNING,
            folder,
            time_limit,
        )

    def set_pid(self, job_id: int, pid: int) -> None:
        with self.connect() as db:
            db.execute("UPDATE jobs SET pid = ? WHERE id = ?", (pid, job_id))

    def job(self, job_id: int) -> Row | None:
        return self._one("SELECT * FROM jobs WHERE id = ?", job_id)

    def jobs(self, school_id: int) -> list[Row]:
        return self._all("SELECT * FROM jobs WHERE school_id = ? ORDER BY id DESC", school_id)

    def running_jobs(self, school_id: int | None = None) -> list[Row]:
        if school_id is None:
            return self._all("SELECT * FROM jobs WHERE status = ?", RUNNING)
        return self._all("SELECT * FROM jobs WHERE status = ? AND school_id = ?", RUNNING, school_id)

    def end_job(self, job_id: int, status: str, message: str = "", log: str = "") -> None:
        """A running job ends (a job that has ended never changes again)."""
        with self.connect() as db:
            db.execute(
                "UPDATE jobs SET status = ?, message = ?, finished = ?, log = ? WHERE id = ? AND status = ?",
                (status, message, now(), log, job_id, RUNNING),
            )

    # ---- versions -----------------------------------------------------------------------------
    def commit_version(
        self,
        job_id: int,
        school_id: int,
        folder: str,
        log: str = "",
        preview_id: int | None = None,
        promoted: tuple[int, str, str] | None = None,
    ) -> int:
        """Number the version and end its job in one transaction: the version exists whole or not at all.

        With ``preview_id`` (a mid-term preview being committed) the preview is marked committed in
        the same transaction; its job had ended already and keeps its finishing time. With ``promoted``
        (what-if id, by whom, from which address) the what-if is marked promoted in it, with the time.
        """
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            number = db.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE school_id = ?", (school_id,)
            ).fetchone()[0]
            version_id = db.execute(
                "INSERT INTO versions (school_id, number, job_id, folder, created) VALUES (?, ?, ?, ?, ?)",
                (school_id, number, job_id, folder, now()),
            ).lastrowid
            db.execute(
                "UPDATE jobs SET status = ?, finished = COALESCE(finished, ?), log = ? WHERE id = ?",
                (DONE, now(), log, job_id),
            )
            if preview_id is not None:
                db.execute("UPDATE previews SET committed_version = ? WHERE id = ?", (version_id, preview_id))
            if promoted is not None:
                whatif_id, author, client = promoted
                db.execute(
                    "UPDATE whatifs SET promoted_version = ?, promoted = ?, promoted_by = ?, promoted_client = ?"
                    " WHERE id = ?",
                    (version_id, now(), author, client, whatif_id),
                )
            db.execute("COMMIT")
        return int(version_id or 0)

    def version(self, version_id: int) -> Row | None:
        return self._one("SELECT * FROM versions WHERE id = ?", version_id)

    def version_of_job(self, job_id: int) -> Row | None:
        return self._one("SELECT * FROM versions WHERE job_id = ?", job_id)

    def versions(self, school_id: int) -> list[Row]:
        return self._all("SELECT * FROM versions WHERE school_id = ? ORDER BY number DESC", school_id)

    def latest_version(self, school_id: int) -> Row | None:
        return self._one("SELECT * FROM versions WHERE school_id = ? ORDER BY number DESC LIMIT 1", school_id)

    # ---- mid-term previews ------------------------------------------------------------------------
    def add_preview(
        self,
        version: Row,
        author: str,
        client: str,
        source: str,
        effective: str,
        changes: str,
        findings: list,
    ) -> int:
        """Record changes as entered (who, from which address, when) against ``version``; no job yet."""
        return self._insert(
            "INSERT INTO previews (school_id, version_id, created, author, client, source, folder, effective, changes,"
            " findings) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?)",
            version.school_id,
            version.id,
            now(),
            author,
            client,
            source,
            effective,
            changes,
            json.dumps(findings, ensure_ascii=False),
        )

    def set_preview_job(self, preview_id: int, job_id: int, folder: str) -> None:
        with self.connect() as db:
            db.execute("UPDATE previews SET job_id = ?, folder = ? WHERE id = ?", (job_id, folder, preview_id))

    def preview(self, preview_id: int) -> Row | None:
        return self._one("SELECT * FROM previews WHERE id = ?", preview_id)

    def preview_of_job(self, job_id: int) -> Row | None:
        return self._one("SELECT * FROM previews WHERE job_id = ?", job_id)

    def previews(self, school_id: int) -> list[Row]:
        return self._all("SELECT * FROM previews WHERE school_id = ? ORDER BY id DESC", school_id)

    def resolved_versions(self, school_id: int) -> list[Row]:
        """The school's versions committed from a mid-term re-solve (the term has begun once there is one)."""
        return self._all(
            "SELECT v.* FROM versions v JOIN previews p ON p.committed_version = v.id WHERE v.school_id = ?"
            " ORDER BY v.number",
            school_id,
        )

    # ---- what-ifs ---------------------------------------------------------------------------------
    def add_whatif(self, version: Row, author: str, client: str, edits: str, findings: list) -> int:
        """Record a what-if as asked for (who, from which address, when) on ``version``; no job yet."""
        return self._insert(
            "INSERT INTO whatifs (school_id, version_id, created, author, client, edits, findings)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            version.school_id,
            version.id,
            now(),
            author,
            client,
            edits,
            json.dumps(findings, ensure_ascii=False),
        )

    def set_whatif_job(self, whatif_id: int, job_id: int) -> None:
        with self.connect() as db:
            db.execute("UPDATE whatifs SET job_id = ? WHERE id = ?", (job_id, whatif_id))

    def whatif(self, whatif_id: int) -> Row | None:
        return self._one("SELECT * FROM whatifs WHERE id = ?", whatif_id)

    def whatif_of_job(self, job_id: int) -> Row | None:
        return self._one("SELECT * FROM whatifs WHERE job_id = ?", job_id)

    def whatifs(self, school_id: int) -> list[Row]:
        return self._all("SELECT * FROM whatifs WHERE school_id = ? ORDER BY id DESC", school_id)
