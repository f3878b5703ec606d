"""Mid-term changes as the web app receives them: rows typed on a form, or an uploaded ``changes.csv``.

Either way they become the text of a changes file (FORMAT.md ``changes.csv``) and the findings of
reading it against the plan it changes, with the library's own checks (``read_changes``, the
dates, rows already applied). Nothing here re-solves: the preview job does (``cp.resolve``).
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cluster_planner.errors import PlannerError, ScenarioError
from cluster_planner.findings import Finding, Severity
from cluster_planner.i18n import register

register(
    {
        "web.changes.expect_csv": (
            "一个 CSV 文件（changes.csv，UTF-8 或 GB18030 编码，列见 docs/format.md）",
            "one CSV file (changes.csv, UTF-8 or GB18030, columns as in docs/format.md)",
        ),
        "web.changes.wrong_kind": ("不是 CSV 文本文件", "not a CSV text file"),
        "web.changes.none": ("没有填写任何变动", "no change was entered"),
        "web.changes.expect_rows": (
            "至少一行：变动类型和编号（学生、教职工或场地）",
            "at least one row: a kind of change and an id (student, staff member or room)",
        ),
        "web.changes.nothing_new": (
            "这些变动都已应用过，没有新的变动",
            "every one of these changes was applied before; nothing new",
        ),
        "web.changes.expect_new": ("至少一条尚未应用的变动", "at least one change not applied yet"),
    }
)

MAX_CHANGES = 2 * 1024 * 1024  # bytes of an uploaded changes.csv
FORM_ROWS = 5  # rows of the entry form
ACTIONS = ("join", "exit", "change", "staff_leave", "staff_return", "room_closed", "room_open")
COLUMNS = ("date", "until", "action", "id", "name", "class_id", "days")
FIELDS = ("action", "id", "name", "class_id", "days", "until")
"""The fields of one form row (``action_0``, ``id_0`` …); the date is the form's, one for every row."""


@dataclass
class Entered:
    """Changes as received: the changes file's text (None when nothing could be read) and the findings."""

    text: str | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.text is not None and not any(f.is_error for f in self.findings)


def _error(code: str, file: str, expected: str, value: str = "", **params: Any) -> Finding:
    return Finding(Severity.ERROR, code, file=file, value=value, expected=expected, params=params)


def from_form(form: dict[str, str], day: str) -> Entered:
    """The form's filled rows (an action and an id) as a changes file dated ``day``."""
    rows = []
    for n in range(FORM_ROWS):
        row = {name: str(form.get(f"{name}_{n}", "")).strip()[:200] for name in FIELDS}
        if row["action"] and row["id"]:
            rows.append({**row, "date": day})
    if not rows:
        return Entered(None, [_error("web.changes.none", "changes.csv", "web.changes.expect_rows")])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return Entered(out.getvalue())


def from_upload(content: bytes, filename: str, size: int) -> Entered:
    """An uploaded changes file: a CSV text file of at most :data:`MAX_CHANGES` bytes."""
    from cluster_planner.io.csv_source import decode

    shown = Path(filename or "").name or "changes.csv"
    if size > MAX_CHANGES:
        mb = f"{MAX_CHANGES / 1024 / 1024:.0f} MB"
        too_big = _error(
            "web.upload.too_big", shown, "web.upload.expect_size", size=f"{size / 1024 / 1024:.1f} MB", limit=mb
        )
        return Entered(None, [too_big])
    if not content:
        return Entered(None, [_error("web.upload.empty", shown, "web.changes.expect_csv")])
    if Path(shown).suffix.lower() != ".csv" or b"\0" in content or content.startswith(b"PK\x03\x04"):
        return Entered(None, [_error("web.changes.wrong_kind", shown, "web.changes.expect_csv")])
    try:
        text = decode(content)
    except UnicodeDecodeError:
        return Entered(None, [_error("finding.cannot_decode", shown, "expect.encoding")])
    return Entered(text)


def check(entered: Entered, plan_folder: str, on: date | None, shown: str = "changes.csv") -> Entered:
    """``entered`` with the findings of reading it against the plan in ``plan_folder`` (as ``cp.resolve`` will)."""
    from dataclasses import replace

    from cluster_planner.midterm.changes import check_dates, read_changes, triage
    from cluster_planner.web.views import plan_of

    if entered.text is None:
        return entered
    plan = plan_of(plan_folder)
    scenario = plan.require_scenario()
    with tempfile.TemporaryDirectory(prefix="changes-") as tmp:
        path = Path(tmp) / "changes.csv"
        path.write_text(entered.text, encoding="utf-8")
        try:
            rows = read_changes(path, scenario)
            sorted_rows = triage(scenario.changes, rows, on)
            check_dates((*sorted_rows.fresh, *sorted_rows.later), scenario.school, _valid_from(plan.meta.valid_from))
        except ScenarioError as exc:
            found = [replace(f, file=shown) if f.file in ("", "changes.csv") else f for f in exc.findings]
            return Entered(entered.text, [*entered.findings, *found])
        except PlannerError as exc:
            return Entered(
                entered.text, [_error("web.upload.unreadable", shown, "web.changes.expect_csv", reason=exc.words("en"))]
            )
    if not sorted_rows.fresh:
        return Entered(entered.text, [_error("web.changes.nothing_new", shown, "web.changes.expect_new")])
    return entered


def _valid_from(text: str | None) -> date | None:
    """plan.json's ``valid_from`` (None: a term-start plan)."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
