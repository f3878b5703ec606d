"""Issue 14 item 5: a missing column or a file of the wrong shape is a finding naming the file and what was expected.

A column without a default (docs/format.md "required") that is missing is an error (exit 2); a
missing optional column is said once, as a note, and its default applies.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from scenario_files import csv_text, tiny_tables, write_folder, write_workbook

from cluster_planner.cli import main
from cluster_planner.findings import Severity
from cluster_planner.io import read_scenario
from cluster_planner.io.headers import FILES
from cluster_planner.io.rows import required_columns


def run(*args: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    return int(info.value.code or 0), captured.out + captured.err


def drop_column(key: str, column: str) -> dict[str, list[dict[str, str]]]:
    tables = tiny_tables()
    for row in tables[key]:
        row.pop(column, None)
    return tables


@pytest.mark.parametrize(
    ("key", "column"),
    [
        ("activities", "kind"),  # the issue's case: every activity silently became a club
        ("activities", "grades"),  # every activity silently open to every grade
        ("activities", "skill"),  # anyone silently qualified
        ("students", "status"),  # pending and rejected students silently planned
        ("staff", "kind"),  # external staff silently cleared as teachers
        ("rooms", "outdoor"),  # a field silently indoors
        ("duties", "kind"),  # any teacher on the gate
        ("changes", "action"),  # a change row without what it changes
    ],
)
def test_issue14_a_missing_column_without_default_is_an_error(
    tmp_path: Path, key: str, column: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_folder(tmp_path / "s", drop_column(key, column))
    errors = [f for f in read_scenario(folder).findings if f.is_error]
    assert [(f.file, f.column, f.code) for f in errors] == [(f"{key}.csv", column, "finding.missing_column")]
    code, text = run("solve", folder, "--out", tmp_path / "plan", "--lang", "en", capsys=capsys)
    assert code == 2
    assert f"{key}.csv row 1, column '{column}'" in text and "docs/format.md" in text
    assert not (tmp_path / "plan").exists()


def test_issue14_a_missing_optional_column_is_said_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tables = drop_column("activities", "outdoor")
    folder = write_folder(tmp_path / "s", tables)
    result = read_scenario(folder)
    assert result.ok
    notes = [f for f in result.findings if f.file == "activities.csv"]
    assert len(notes) == 1 and notes[0].severity == Severity.INFO  # one line, not one per row
    assert "outdoor" in notes[0].params["columns"].split(", ")
    assert all(not a.outdoor for a in result.scenario.activities)  # the default applies
    code, text = run("validate", folder, "--lang", "en", capsys=capsys)
    assert code == 0
    assert text.count("activities.csv: columns not given") == 1


def test_required_columns_hold_every_model_field_without_default() -> None:
    """The contract's required columns include whatever the models cannot default."""
    for key, spec in FILES.items():
        if key != "school":
            assert set(required_columns(key)) == set(spec.required_columns), key


def _header_only(folder: Path) -> None:
    (folder / "students.csv").write_text("student_id,name,class_id,status\n", encoding="utf-8")


def _semicolons(folder: Path) -> None:
    text = csv_text(tiny_tables()["students"]).replace(",", ";")
    (folder / "students.csv").write_text(text, encoding="utf-8")


def _unclosed_quote(folder: Path) -> None:
    text = 'student_id,name,class_id,status\nS1,An,C1,approved\nS2,"Bo,C3,approved\nS3,Cai,C3,pending\n'
    (folder / "students.csv").write_text(text, encoding="utf-8")


def _folder(folder: Path) -> None:
    (folder / "students.csv").unlink()
    (folder / "students.csv").mkdir()


def _empty(folder: Path) -> None:
    (folder / "students.csv").write_bytes(b"")


@pytest.mark.parametrize(
    ("make", "code", "row", "words"),
    [
        (_header_only, "finding.no_rows", None, "at least one data row"),  # a header and nothing else
        (_semicolons, "finding.semicolons", 1, "comma-separated CSV"),  # saved with ; as separator
        (_unclosed_quote, "finding.unclosed_quote", 3, "ends with one"),  # "Bo, never closed
        (_folder, "finding.folder_not_file", None, "a file (CSV)"),  # a folder named students.csv
        (_empty, "finding.empty_table", 1, "a header row of column names"),  # zero bytes
    ],
)
def test_issue14_a_file_of_the_wrong_shape_is_one_finding_that_says_so(
    tmp_path: Path,
    make: Callable[[Path], None],
    code: str,
    row: int | None,
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = write_folder(tmp_path / "s")
    make(folder)
    errors = [f for f in read_scenario(folder).findings if f.is_error]
    assert [(f.file, f.row, f.code) for f in errors] == [("students.csv", row, code)]  # no cascade of others
    exit_code, text = run("validate", folder, "--lang", "en", capsys=capsys)
    assert exit_code == 2
    assert "students.csv" in text and words in text


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "finding.no_rows"),  # the header row only
        (["student_id;name;class_id;status"], "finding.semicolons"),  # a CSV line pasted into one cell
        ([], "finding.empty_table"),  # an empty sheet
    ],
)
def test_issue14_a_sheet_of_the_wrong_shape_is_one_finding(tmp_path: Path, header: list[str] | None, code: str) -> None:
    book = write_workbook(tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(book)
    sheet = wb["students"]
    first = [c.value for c in sheet[1]]
    sheet.delete_rows(1, sheet.max_row)
    if header != []:
        sheet.append(header or first)
    wb.save(book)
    errors = [f for f in read_scenario(book).findings if f.is_error]
    assert [(f.file, f.code) for f in errors] == [("students", code)]


def test_issue14_a_folder_given_as_changes_file_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "changes.csv").mkdir()
    v1 = tmp_path / "v1"
    assert run("solve", write_folder(tmp_path / "s"), "--out", v1, "--no-report", "--quiet", capsys=capsys)[0] == 0
    code, text = run("resolve", v1, "--changes", tmp_path / "changes.csv", "--out", tmp_path / "v2", capsys=capsys)
    assert code == 2
    assert "changes.csv is a folder; expected a changes file" in text
    assert not (tmp_path / "v2").exists()
