"""A tiny valid scenario as text tables, and writers for a folder (CSV + TOML) or a workbook.

Tests change a cell or a file of :func:`tiny_tables` and write it with :func:`write_folder`
or :func:`write_workbook`; the loader must then see exactly the problem they made.
"""

from __future__ import annotations

import copy
import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl

if TYPE_CHECKING:
    from cluster_planner.domain import Scenario

SCHOOL_TOML = """\
name = "Tiny School"
level = "primary"
language = "en"
term_start = 2026-09-07
term_end = 2026-12-25

[rules]
group_cap = 45
merge_threshold = 40

[money]
fee_per_term = 300
fee_cap_term = 300

[pay]
teacher = 40
"""

Table = list[dict[str, str]]


def tiny_tables() -> dict[str, Table]:
    """Two classes (grades 1 and 3), three students, care + football + art, two days of slots."""
    return copy.deepcopy(_TINY)


_TINY: dict[str, Table] = {
    "timeslots": [
        {"slot_id": "Mon-1", "day": "Mon", "start": "16:00", "end": "17:00", "kind": "care", "periods": "1"},
        {"slot_id": "Mon-2", "day": "Mon", "start": "17:00", "end": "18:00", "kind": "club", "periods": "1"},
        {"slot_id": "Tue-1", "day": "Tue", "start": "16:00", "end": "17:00", "kind": "care", "periods": "1"},
        {"slot_id": "Tue-2", "day": "Tue", "start": "17:00", "end": "18:00", "kind": "club", "periods": "1"},
    ],
    "classes": [
        {"class_id": "C1", "grade": "1", "name": "Class 1-1", "homeroom_teacher": "T1", "room_id": "R1"},
        {"class_id": "C3", "grade": "3", "name": "Class 3-1", "homeroom_teacher": "T2", "room_id": "R2"},
    ],
    "students": [
        {"student_id": "S1", "name": "An", "class_id": "C1", "status": "approved", "choice1": "", "choice2": ""},
        {"student_id": "S2", "name": "Bo", "class_id": "C3", "status": "approved", "choice1": "FOOT", "choice2": "ART"},
        {"student_id": "S3", "name": "Cai", "class_id": "C3", "status": "pending", "choice1": "ART", "choice2": ""},
    ],
    "activities": [
        {"activity_id": "CARE", "name": "Homework care", "kind": "care", "grades": "1-6", "slots": "", "skill": "",
         "room_type": "classroom", "outdoor": "no", "max_size": "", "fee": ""},
        {"activity_id": "FOOT", "name": "Football", "kind": "sport", "grades": "3-6", "slots": "Mon-2",
         "skill": "football", "room_type": "field", "outdoor": "yes", "max_size": "30", "fee": "100"},
        {"activity_id": "ART", "name": "Painting", "kind": "art", "grades": "3-6", "slots": "Tue",
         "skill": "art", "room_type": "classroom", "outdoor": "no", "max_size": "", "fee": ""},
    ],
    "staff": [
        {"staff_id": "T1", "name": "Teacher One", "kind": "teacher", "skills": "chinese care", "background_check": ""},
        {"staff_id": "T2", "name": "Teacher Two", "kind": "teacher", "skills": "math football", "background_check": ""},
        {"staff_id": "V1", "name": "Volunteer", "kind": "volunteer", "skills": "art", "background_check": "yes"},
        {"staff_id": "G1", "name": "Guard", "kind": "security", "skills": "", "background_check": "yes"},
    ],
    "rooms": [
        {"room_id": "R1", "name": "Room 1", "type": "classroom", "capacity": "45", "outdoor": "no", "available": ""},
        {"room_id": "R2", "name": "Room 2", "type": "classroom", "capacity": "45", "outdoor": "no", "available": ""},
        {"room_id": "F1", "name": "Field", "type": "field", "capacity": "100", "outdoor": "yes", "available": ""},
    ],
    "duties": [
        {"day": "Mon", "slot_id": "", "post": "gate", "count": "1", "kind": "security", "periods": "0"},
    ],
    "locks": [
        {"student_id": "S2", "activity_id": "FOOT"},
    ],
    "changes": [
        {"change_id": "CH1", "date": "2026-10-12", "until": "", "action": "join", "id": "S4", "class_id": "C1"},
        {"change_id": "CH2", "date": "2026-10-19", "until": "", "action": "exit", "id": "S3", "class_id": ""},
    ],
}  # fmt: skip


def columns_of(rows: Table) -> list[str]:
    """Every column any row names, in first-seen order."""
    return list(dict.fromkeys(c for row in rows for c in row))


def csv_text(rows: Table, header: list[str] | None = None) -> str:
    """A table as CSV text; ``header`` renames the columns (same order as the first row)."""
    columns = columns_of(rows) if rows else list(header or [])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header or columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue()


def write_folder(
    folder: Path,
    tables: dict[str, Table] | None = None,
    school: str = SCHOOL_TOML,
    encoding: str = "utf-8",
    headers: dict[str, list[str]] | None = None,
) -> Path:
    """Write ``school.toml`` and one CSV per table into ``folder``; returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "school.toml").write_text(school, encoding="utf-8")
    for key, rows in (tiny_tables() if tables is None else tables).items():
        text = csv_text(rows, (headers or {}).get(key))
        (folder / f"{key}.csv").write_bytes(text.encode(encoding))
    return folder


def school_pairs(school: str = SCHOOL_TOML) -> list[tuple[str, str]]:
    """The school settings as (dotted key, value text) rows, as a workbook's school sheet has them."""
    import tomllib

    pairs: list[tuple[str, str]] = []

    def walk(data: dict, prefix: str) -> None:
        for key, value in data.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                pairs.append((f"{prefix}{key}", str(value)))

    walk(tomllib.loads(school), "")
    return pairs


def write_workbook(
    path: Path,
    tables: dict[str, Table] | None = None,
    school: str = SCHOOL_TOML,
    sheet_names: dict[str, str] | None = None,
    typed: bool = False,
) -> Path:
    """One sheet per table plus a ``school`` key/value sheet; ``typed`` stores numbers as numbers."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    names = sheet_names or {}
    sheet = book.create_sheet(names.get("school", "school"))
    sheet.append(["key", "value"])
    for key, value in school_pairs(school):
        sheet.append([key, value])
    for key, rows in (tiny_tables() if tables is None else tables).items():
        sheet = book.create_sheet(names.get(key, key))
        columns = columns_of(rows)
        sheet.append(columns)
        for row in rows:
            sheet.append([_typed(row.get(c, "")) if typed else (row.get(c, "") or None) for c in columns])
    book.save(path)
    return path


def _typed(text: str) -> object:
    """A cell as Excel would store it: numbers as floats, blanks as empty."""
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def scenario_from_tables(tables: dict[str, Table] | None = None, school: dict | None = None) -> Scenario:
    """The scenario the text tables describe, built straight from the models (no files).

    ``school`` holds dotted settings (``{"rules.min_daily_hours": "2"}``) laid over SCHOOL_TOML.
    Blank cells are left out, as the loader leaves them out.
    """
    import tomllib

    from cluster_planner.domain import Scenario, School
    from cluster_planner.io.headers import CHANGE_COLUMNS
    from cluster_planner.io.rows import MODELS

    data = tomllib.loads(SCHOOL_TOML)
    for dotted, value in (school or {}).items():
        *sections, leaf = dotted.split(".")
        node = data
        for part in sections:
            node = node.setdefault(part, {})
        node[leaf] = value
    built: dict[str, tuple] = {}
    for key, rows in (tiny_tables() if tables is None else tables).items():
        entities = []
        for number, row in enumerate(rows, start=2):
            cells = {c: v for c, v in row.items() if v.strip()}
            if key == "changes":
                student = {c: cells.pop(c) for c in list(cells) if c not in CHANGE_COLUMNS}
                cells["student"] = student
            entities.append(MODELS[key].model_validate({**cells, "row": number}))
        built[key] = tuple(entities)
    return Scenario(school=School.model_validate(data), **built)
