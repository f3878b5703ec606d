"""Scenario files of the wrong shape (issue 14 item 5): every file broken every way; crashes and vague errors.

Not a test: a census. Each file of the tiny test school (as a CSV folder, and as a workbook) is
in turn header-only, semicolon-separated, cut by an unclosed quote, empty, a BOM alone, binary,
a folder in a file's place, or missing one of its columns. The loader must answer each with
findings, never an exception; every error must name its file and a row, a column or what was
expected; a broken required file or a missing required column must be an error (not accepted
silently). Prints one line per problem and a summary; exits 1 on any.

    .venv/bin/python bench/scenario_shapes.py
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from scenario_files import csv_text, tiny_tables, write_folder, write_workbook

from cluster_planner.io import read_scenario
from cluster_planner.io.headers import FILES, TABLE_KEYS

FILE_LEVEL = {"finding.cannot_decode", "finding.unreadable_file", "finding.missing_file"}
"""Errors about a whole file, whose message says what was expected."""

Make = Callable[[Path], object]


def _columns(key: str) -> list[str]:
    return list(dict.fromkeys(c for row in tiny_tables()[key] for c in row))


def _without(key: str, column: str) -> str:
    rows = [{c: v for c, v in row.items() if c != column} for row in tiny_tables()[key]]
    return csv_text(rows)


def csv_shapes(key: str) -> Iterator[tuple[str, Make]]:
    """(label, how to break ``key``'s file in a scenario folder)."""
    name, rows = FILES[key].csv_name, tiny_tables()[key]
    yield "header only", lambda f: (f / name).write_text(",".join(_columns(key)) + "\n", encoding="utf-8")
    yield "semicolons", lambda f: (f / name).write_text(csv_text(rows).replace(",", ";"), encoding="utf-8")
    yield "unclosed quote", lambda f: (f / name).write_text(csv_text(rows).replace("\n", '\n"', 1), encoding="utf-8")
    yield "a folder", lambda f: ((f / name).unlink(), (f / name).mkdir())
    yield "empty", lambda f: (f / name).write_bytes(b"")
    yield "BOM only", lambda f: (f / name).write_bytes(b"\xef\xbb\xbf")
    yield "binary", lambda f: (f / name).write_bytes(bytes(range(256)))
    for column in _columns(key):
        yield f"no {column}", lambda f, c=column: (f / name).write_text(_without(key, c), encoding="utf-8")


def _sheet(book: Path, key: str, rows: list[list[str]] | None) -> None:
    wb = openpyxl.load_workbook(book)
    sheet = wb[key]
    kept = [[c.value for c in r] for r in sheet.iter_rows()]
    sheet.delete_rows(1, sheet.max_row)
    for row in rows if rows is not None else kept[:1]:
        sheet.append(row)
    wb.save(book)


def xlsx_shapes(key: str) -> Iterator[tuple[str, Make]]:
    """(label, how to break ``key``'s sheet in a workbook)."""
    yield "sheet header only", lambda b: _sheet(b, key, None)
    yield "sheet semicolons", lambda b: _sheet(b, key, [[";".join(_columns(key))]])
    yield "sheet empty", lambda b: _sheet(b, key, [])
    for column in _columns(key):
        rows = [[c for c in _columns(key) if c != column]]
        rows += [[r.get(c, "") for c in rows[0]] for r in tiny_tables()[key]]
        yield f"sheet no {column}", lambda b, r=rows: _sheet(b, key, r)


def expects_error(key: str, label: str) -> bool:
    """A broken required file, or any file missing a required column, must be an error."""
    if label.startswith(("no ", "sheet no ")):
        return label.split("no ", 1)[1] in FILES[key].required_columns
    return FILES[key].required or "header only" not in label


def census() -> tuple[int, list[str]]:
    cases, problems = 0, []
    for key in TABLE_KEYS:
        for form, shapes in (("folder", csv_shapes(key)), ("xlsx", xlsx_shapes(key))):
            for label, make in shapes:
                cases += 1
                with tempfile.TemporaryDirectory() as tmp:
                    path = write_folder(Path(tmp) / "s") if form == "folder" else write_workbook(Path(tmp) / "s.xlsx")
                    make(path)
                    try:
                        errors = read_scenario(path).errors
                    except Exception:
                        problems.append(f"CRASH {key} {label}: {traceback.format_exc(limit=1)}")
                        continue
                for f in errors:
                    if not f.file or not (f.row or f.column or f.expected or f.code in FILE_LEVEL):
                        problems.append(f"VAGUE {key} {label}: {f.render('en')}")
                if expects_error(key, label) and not errors:
                    problems.append(f"SILENT {key} {label}")
    return cases, problems


def main() -> int:
    cases, problems = census()
    for line in problems:
        print(line)
    print(f"{cases} broken files, {len(problems)} problems (crashes, vague errors, accepted silently)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
