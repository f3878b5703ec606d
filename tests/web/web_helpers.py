"""Helpers of the web tests: the demo school as uploads (good, broken, zipped) and waiting on a job."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scenarios" / "demo-small"
DEMO_XLSX = ROOT / "scenarios" / "demo-small.xlsx"
TIME_LIMIT = 10  # seconds of a web test's solve of demo-small (it needs about 7)
BAD_DAYS = "Mon Funday"
"""The value the broken workbook puts in students row 5, column ``days``."""


def demo_zip(prefix: str = "demo-small/") -> bytes:
    """demo-small's CSV folder zipped (inside a folder, as an office's zip tool makes it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(DEMO.iterdir()):
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
