"""Read a scenario folder: CSV files (UTF-8, UTF-8 with BOM or GB18030) and ``school.toml``."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from pathlib import Path

from cluster_planner.errors import UsageError
from cluster_planner.findings import Finding, Severity
from cluster_planner.i18n import register
from cluster_planner.io.headers import SCHOOL, file_key_of
from cluster_planner.io.table import RawScenario, RawSchool, RawTable

register(
    {
        "finding.cannot_decode": (
            "无法识别文件编码（应为 UTF-8 或 GB18030）",
            "cannot read the file's encoding (expected UTF-8 or GB18030)",
        ),
        "finding.unreadable_file": ("无法读取文件：{reason}", "cannot read the file: {reason}"),
        "finding.duplicate_file": (
            "与 {other} 是同一份数据，只能保留一个",
            "holds the same data as {other}; keep only one of them",
        ),
        "finding.bad_toml": ("不是有效的 TOML：{reason}", "is not valid TOML: {reason}"),
        "finding.unclosed_quote": (
            '此行的引号（"）没有闭合，其后的内容都被当作同一格',
            'a quote (") opened on this row is never closed, so everything after it reads as one cell',
        ),
        "expect.closed_quote": (
            '每个以引号开始的单元格以引号结束（单元格内的引号写作两个引号 ""）',
            'every cell that starts with a quote ends with one (a quote inside a cell is written twice: "")',
        ),
        "finding.folder_not_file": ("这是一个文件夹", "this is a folder"),
        "expect.file": ("一个文件（{kind}）", "a file ({kind})"),
        "expect.encoding": ("UTF-8 或 GB18030 编码的文本", "text in UTF-8 or GB18030"),
        "expect.readable_file": ("一个可以读取的文件", "a file that can be read"),
        "expect.file_once": ("每份数据一个文件", "one file for each table"),
        "expect.toml": (
            '有效的 TOML：每行一项 key = value，文字加引号，如 name = "育才小学"（见 docs/format.md）',
            'valid TOML: one key = value a line, text in quotes, such as name = "Yucai" (see docs/format.md)',
        ),
    }
)


class UnclosedQuote(csv.Error):
    """A CSV whose last quoted cell never ends; ``row`` is the row where it opened (1 = header)."""

    def __init__(self, row: int) -> None:
        super().__init__(f"unclosed quote on row {row}")
        self.row = row


ENCODINGS = ("utf-8-sig", "gb18030")
"""Tried in order; ``utf-8-sig`` reads UTF-8 with and without a BOM."""


def decode(data: bytes) -> str:
    """The text of a file saved as UTF-8 (with or without BOM) or GB18030."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("gb18030", data, 0, len(data), "neither UTF-8 nor GB18030")


def parse_csv(text: str) -> list[list[str]]:
    """Rows of cells; comma-separated, or tab-separated when the header has tabs and no commas.

    Raises :class:`UnclosedQuote` when a quoted cell runs to the end of the file (the rest of the
    file would silently become one cell). Other quoting slips are read leniently, as Excel does.
    """
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    strict = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    done = 0
    try:
        for _ in strict:
            done += 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise UnclosedQuote(done + 1) from exc
    return rows


def read_csv(path: Path, key: str) -> RawTable:
    """One CSV file as a :class:`RawTable` (raises ``UnicodeDecodeError``, ``OSError`` or ``csv.Error``)."""
    return RawTable.from_rows(key, path.name, parse_csv(decode(path.read_bytes())))


_SECTION = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-.])+)\s*=""")  # bare or quoted: "材料费" = 1200


def toml_key_lines(text: str) -> dict[str, int]:
    """The line of each dotted key (``rules.group_cap``) in a TOML text, for findings."""
    lines: dict[str, int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _SECTION.match(line):
            section = m.group(1).strip("\"' ")
            lines.setdefault(section, number)
        elif m := _KEY.match(line):
            key = m.group(1).replace('"', "").replace("'", "")
            lines.setdefault(f"{section}.{key}" if section else key, number)
    return lines


def read_school_toml(path: Path) -> RawSchool:
    """``school.toml`` as nested data (raises ``tomllib.TOMLDecodeError`` and decoding errors)."""
    text = decode(path.read_bytes())
    return RawSchool(display=path.name, data=tomllib.loads(text), rows=toml_key_lines(text))


def _problem(display: str, code: str, expected: str, **params: str) -> Finding:
    return Finding(Severity.ERROR, code, file=display, expected=expected, params=params)


def unclosed_quote(display: str, exc: UnclosedQuote) -> Finding:
    """The finding for a quote that is never closed, on the row where it opened."""
    return Finding(Severity.ERROR, "finding.unclosed_quote", file=display, row=exc.row, expected="expect.closed_quote")


def _folder_not_file(path: Path) -> Finding:
    kind = "TOML" if path.suffix.lower() == ".toml" else "CSV"
    return Finding(
        Severity.ERROR, "finding.folder_not_file", file=path.name, expected="expect.file", params={"kind": kind}
    )


def read_folder(folder: Path) -> RawScenario:
    """Every scenario file in ``folder`` (English or Chinese file names); problems as findings."""
    raw = RawScenario()
    seen: dict[str, Path] = {}
    try:
        paths = sorted(folder.iterdir())
    except OSError as exc:
        raise UsageError(str(exc)) from exc
    for path in paths:
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".toml"):
            continue
        key = file_key_of(path.stem)
        if key is None or (suffix == ".toml") != (key == SCHOOL.key):
            continue
        if path.is_dir():
            raw.findings.append(_folder_not_file(path))
            raw.failed.add(key)
            continue
        if not path.is_file():
            continue
        if key in seen:
            raw.findings.append(_problem(path.name, "finding.duplicate_file", "expect.file_once", other=seen[key].name))
            continue
        seen[key] = path
        raw.failed.add(key)
        try:
            if key == SCHOOL.key:
                raw.school = read_school_toml(path)
            else:
                raw.tables[key] = read_csv(path, key)
            raw.failed.discard(key)
        except UnicodeDecodeError:
            raw.findings.append(_problem(path.name, "finding.cannot_decode", "expect.encoding"))
        except tomllib.TOMLDecodeError as exc:
            raw.findings.append(_problem(path.name, "finding.bad_toml", "expect.toml", reason=str(exc)))
        except UnclosedQuote as exc:
            raw.findings.append(unclosed_quote(path.name, exc))
        except (OSError, csv.Error) as exc:
            raw.findings.append(_problem(path.name, "finding.unreadable_file", "expect.readable_file", reason=str(exc)))
    return raw
