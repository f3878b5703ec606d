"""Read the files of a plan folder as text tables and plan.json (rule F1), whatever is in them.

Tolerant where an office's tools differ: UTF-8 with or without BOM, UTF-16 with a BOM, GB18030
as a fallback; header case and surrounding spaces ignored; blank rows skipped. Strict where a
guess would mislead: an unclosed quote, a NUL byte, a folder where a file should be, a file with
no header, a table separated by semicolons or tabs, plan.json that is not a JSON object or whose
``version``, ``parent_version`` or ``valid_from`` cannot be read — each is one finding naming the
file (and line, column or key) and what was expected. Nothing here raises on file contents.
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date
from pathlib import Path
from typing import Any

from cluster_planner.check.violation import Violation
from cluster_planner.i18n import register
from cluster_planner.io.csv_cells import unescape  # the format's escaping of cells, not a rule

register(
    {
        "check.file_missing": (
            "缺少方案文件 {file}；每个方案文件夹都必须有此文件",
            "plan file {file} is missing; every plan folder must have it",
        ),
        "check.file_is_folder": (
            "方案中的 {file} 是文件夹；应为文件",
            "{file} in the plan folder is a folder; expected a file",
        ),
        "check.file_unopenable": (
            "方案文件 {file} 无法打开（权限？）；应为可读的文件",
            "plan file {file} cannot be opened (permissions?); expected a readable file",
        ),
        "check.file_undecodable": (
            "方案文件 {file} 不是文本；应以 UTF-8、UTF-16 或 GB18030 保存",
            "plan file {file} is not text; expected it saved as UTF-8, UTF-16 or GB18030",
        ),
        "check.file_not_csv": (
            "方案文件 {file} 第{row}行无法按 CSV 读取（引号未闭合、含 NUL 字符或单元格超过 131,072 个字符）；"
            "应为逗号分隔的表格",
            "plan file {file} cannot be read as CSV at line {row} (an unclosed quote, a NUL byte or a cell over "
            "131,072 characters); expected comma-separated rows",
        ),
        "check.file_empty": (
            "方案文件 {file} 是空的；应有一行表头（FORMAT.md 所列各列）",
            "plan file {file} is empty; expected a header row with the columns of FORMAT.md",
        ),
        "check.file_separator": (
            "方案文件 {file} 用「{separator}」分隔；应用逗号分隔",
            "plan file {file} is separated by '{separator}'; expected commas",
        ),
        "check.column_missing": (
            "{file} 缺少「{column}」列；方案的 {file} 必须有此列",
            "{file} lacks column '{column}'; a plan's {file} must have it",
        ),
        "check.json_invalid": (
            "{file} 第{row}行第{column}列不是有效的 JSON；应为一个 JSON 对象",
            "{file} is not valid JSON at line {row}, column {column}; expected a JSON object",
        ),
        "check.json_nested": (
            "{file} 嵌套过深，无法读取；应为一个 JSON 对象",
            "{file} is nested too deeply to read; expected a JSON object",
        ),
        "check.json_not_object": (
            "{file} 不是 JSON 对象；应为一个 JSON 对象（键见 FORMAT.md）",
            "{file} is not a JSON object; expected a JSON object with the keys of FORMAT.md",
        ),
        "check.meta_number": (
            "{file} 的「{key}」为「{value}」；应为 0 或正整数",
            "{file} key '{key}' is '{value}'; expected a whole number, 0 or more",
        ),
        "check.meta_date": (
            "{file} 的「{key}」为「{value}」；应为日期，如 2026-10-12",
            "{file} key '{key}' is '{value}'; expected a date such as 2026-10-12",
        ),
        "check.snapshot_unreadable": (
            "方案快照 {file} 无法按 CSV 读取；应为 changes.csv 格式（据此判断中途加入的学生）",
            "the plan's snapshot {file} cannot be read as CSV; expected a changes.csv (it tells who joined)",
        ),
        "check.snapshot_column": (
            "方案快照 {file} 缺少「{column}」列；changes.csv 必须有 action 和 id 列（据此判断中途加入的学生）",
            "the plan's snapshot {file} lacks column '{column}'; a changes.csv must have action and id (they "
            "tell who joined)",
        ),
    }
)

#: F1 codes after which nothing else is checked: the folder cannot be read as a plan (exit 2).
STOPPING = frozenset(
    {
        "file_missing", "file_is_folder", "file_unopenable", "file_undecodable", "file_not_csv", "file_empty",
        "file_separator", "column_missing", "json_invalid", "json_nested", "json_not_object", "meta_number",
        "meta_date",
    }
)  # fmt: skip

PLAN_JSON = "plan.json"
SNAPSHOT_CHANGES = "scenario/changes.csv"

#: changes.csv headers (English or the Chinese alias of FORMAT.md) and the words of a ``join``.
_CHANGE_ACTION = ("action", "变动", "变动类型")
_CHANGE_ID = ("id", "编号")
_JOIN_WORDS = ("join", "加入", "参加")

Table = list[tuple[int, dict[str, str]]]
"""(line number, row keyed by lower-case stripped header, cells stripped); blank rows skipped."""


def _problem(code: str, file: str, **params: Any) -> Violation:
    return Violation("F1", code, (file,), {"file": file, **params})


def _decode(data: bytes) -> str | None:
    """The text of a file: UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030; None if none fits."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_text(path: Path, name: str) -> str | Violation:
    if path.is_dir():
        return _problem("file_is_folder", name)
    try:
        data = path.read_bytes()
    except OSError:
        return _problem("file_unopenable", name)
    text = _decode(data)
    return _problem("file_undecodable", name) if text is None else text


def read_table(path: Path, name: str) -> tuple[Table, list[str]] | Violation:
    """A CSV file's rows and lower-case header, or the one F1 finding that says why it cannot be read."""
    text = _read_text(path, name)
    if isinstance(text, Violation):
        return text
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
        names = [h.strip().lstrip("\ufeff").strip().lower() for h in header]
        rows: Table = []
        for cells in reader:
            if any(c.strip() for c in cells):
                row = {n: (unescape(cells[i]).strip() if i < len(cells) else "") for i, n in enumerate(names) if n}
                rows.append((reader.line_num, row))
    except csv.Error:
        return _problem("file_not_csv", name, row=reader.line_num + 1)
    if not any(names):
        return _problem("file_empty", name)
    if len(names) == 1:
        separator = next((s for s in (";", "\t", "|", "；") if s in header[0]), None)
        if separator is not None:
            return _problem("file_separator", name, separator="tab" if separator == "\t" else separator)
    return rows, names


Meta = tuple[int | None, int | None, date | None]


def read_meta(path: Path) -> tuple[Meta, Violation | None]:
    """plan.json ``version``, ``parent_version`` and ``valid_from`` (None when the file or a key is absent).

    Only these keys are read: FORMAT.md gives no other that changes which rules bind.
    """
    none: Meta = (None, None, None)
    if not path.exists():
        return none, None
    text = _read_text(path, PLAN_JSON)
    if isinstance(text, Violation):
        return none, text
    try:
        meta = json.loads(text)
    except json.JSONDecodeError as exc:
        return none, _problem("json_invalid", PLAN_JSON, row=exc.lineno, column=exc.colno)
    except (RecursionError, ValueError):
        return none, _problem("json_nested", PLAN_JSON)
    if not isinstance(meta, dict):
        return none, _problem("json_not_object", PLAN_JSON)
    version, problem = _whole(meta, "version")
    parent, problem = (None, problem) if problem else _whole(meta, "parent_version")
    if problem:
        return none, problem
    valid = meta.get("valid_from")
    if valid in (None, ""):
        return (version, parent, None), None
    try:
        if not isinstance(valid, str):
            raise ValueError(valid)
        return (version, parent, date.fromisoformat(valid)), None
    except ValueError:
        return none, _problem("meta_date", PLAN_JSON, key="valid_from", value=_shown(valid))


def _whole(meta: dict[str, Any], key: str) -> tuple[int | None, Violation | None]:
    """A whole number ≥ 0 (an int, an integral float or digits), or None when absent; else a finding."""
    value = meta.get(key)
    if value in (None, ""):
        return None, None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdecimal():
        number = int(value.strip())
    if number is None or number < 0:
        return None, _problem("meta_number", PLAN_JSON, key=key, value=_shown(value))
    return number, None


def _shown(value: Any) -> str:
    """A plan.json value as the office wrote it, cut short."""
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."


def read_joined(path: Path, out: list[Violation]) -> tuple[str, ...]:
    """The ids of the snapshot's ``join`` rows (none when there is no snapshot changes.csv).

    A file that cannot be read, or lacks an action or id column, is reported (F1, not stopping)
    and the check goes on with the joins the scenario itself records.
    """
    if not path.exists():
        return ()
    table = read_table(path, SNAPSHOT_CHANGES)
    if isinstance(table, Violation):
        out.append(_problem("snapshot_unreadable", SNAPSHOT_CHANGES))
        return ()
    rows, header = table
    columns = {}
    for wanted, names in (("action", _CHANGE_ACTION), ("id", _CHANGE_ID)):
        found = next((n for n in names if n in header), None)
        if found is None:
            params = {"file": SNAPSHOT_CHANGES, "column": wanted}
            out.append(Violation("F1", "snapshot_column", (SNAPSHOT_CHANGES, wanted), params))
            return ()
        columns[wanted] = found
    joins = (r[columns["id"]] for _, r in rows if r[columns["action"]].lower() in _JOIN_WORDS)
    return tuple(dict.fromkeys(j for j in joins if j))
