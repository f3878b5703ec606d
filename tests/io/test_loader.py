"""Loading scenario folders and workbooks: encodings, aliases, cells, and findings for bad input."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from scenario_files import SCHOOL_TOML, tiny_tables, write_folder, write_workbook

from cluster_planner.domain.entities import StudentStatus
from cluster_planner.errors import ScenarioError, UsageError
from cluster_planner.findings import Finding, Severity
from cluster_planner.io import load_scenario, load_scenario_with_findings, read_scenario
from cluster_planner.io.headers import FILES
from cluster_planner.io.xlsx_source import cell_text


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    """The tiny valid scenario as a folder of UTF-8 CSV files and school.toml."""
    return write_folder(tmp_path / "tiny")


def chinese_headers(key: str) -> list[str]:
    """The first Chinese alias of each column of the tiny table ``key``."""
    spec = FILES[key]
    return [spec.columns[c][0] for c in tiny_tables()[key][0]]


def errors_of(path: Path) -> list[Finding]:
    return [f for f in read_scenario(path).findings if f.is_error]


def test_tiny_folder_loads_clean(tiny_folder: Path) -> None:
    """No error or warning for the valid tiny scenario (only notes of columns left out); every row is there."""
    result = read_scenario(tiny_folder)
    assert result.errors == [] and result.warnings == []
    assert {f.code for f in result.notes} == {"finding.default_columns"}
    scenario = result.scenario
    assert [s.student_id for s in scenario.students] == ["S1", "S2", "S3"]
    assert scenario.students[2].status == StudentStatus.PENDING
    assert scenario.students[0].row == 2
    assert scenario.school.name == "Tiny School"
    assert scenario.changes[0].student == {"class_id": "C1"}


def test_blank_optional_cells_take_defaults(tiny_folder: Path) -> None:
    """A blank fee, max_size or background_check is the model's default."""
    scenario = load_scenario(tiny_folder)
    care = scenario.activity_by_id["CARE"]
    assert care.fee is None and care.max_size is None and care.sessions_per_week == 1
    assert scenario.staff_by_id["T1"].background_check is None


def test_unknown_columns_are_kept_in_extra(tmp_path: Path) -> None:
    tables = tiny_tables()
    for row in tables["students"]:
        row["shoe size"] = "33"
    tables["students"][1]["shoe size"] = ""
    scenario = load_scenario(write_folder(tmp_path / "x", tables))
    assert scenario.students[0].extra == {"shoe size": "33"}
    assert scenario.students[1].extra == {}


def test_optional_files_may_be_absent(tmp_path: Path) -> None:
    tables = {k: v for k, v in tiny_tables().items() if k not in ("duties", "locks", "changes")}
    scenario = load_scenario(write_folder(tmp_path / "x", tables))
    assert scenario.duties == () and scenario.locks == () and scenario.changes == ()


@pytest.mark.parametrize("typed", [False, True])
def test_csv_and_xlsx_give_equal_scenarios(tiny_folder: Path, tmp_path: Path, typed: bool) -> None:
    """A workbook (text cells, or numbers stored as Excel numbers) reads as the CSV folder does."""
    book = write_workbook(tmp_path / "tiny.xlsx", typed=typed)
    assert load_scenario(book) == load_scenario(tiny_folder)


def test_chinese_sheet_names(tiny_folder: Path, tmp_path: Path) -> None:
    names = {"school": "学校", "timeslots": "时段", "classes": "班级", "students": "学生", "activities": "活动"}
    names |= {"staff": "教职工", "rooms": "场地", "duties": "值班", "locks": "锁定", "changes": "变动"}
    book = write_workbook(tmp_path / "zh.xlsx", sheet_names=names)
    assert load_scenario(book) == load_scenario(tiny_folder)


def test_gb18030_csv_with_chinese_headers(tiny_folder: Path, tmp_path: Path) -> None:
    """What Excel in China saves: GB18030 text, Chinese headers, Chinese names in cells."""
    tables = tiny_tables()
    tables["students"][0]["name"] = "张三"
    headers = {key: chinese_headers(key) for key in tables}
    folder = write_folder(tmp_path / "gb", tables, encoding="gb18030", headers=headers)
    scenario = load_scenario(folder)
    assert scenario.students[0].name == "张三"
    english = load_scenario(tiny_folder)
    assert scenario.timeslots == english.timeslots and scenario.activities == english.activities


def test_utf8_bom(tiny_folder: Path, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "bom", encoding="utf-8-sig")
    assert (folder / "students.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_scenario(folder) == load_scenario(tiny_folder)


def test_chinese_file_names(tiny_folder: Path) -> None:
    """学生.csv is students.csv."""
    (tiny_folder / "students.csv").rename(tiny_folder / "学生.csv")
    assert len(load_scenario(tiny_folder).students) == 3


def test_writer_round_trip(tiny_folder: Path, tmp_path: Path) -> None:
    """What the project writes (folder and workbook) reads back as the same scenario."""
    from cluster_planner.io.scenario_writer import write_scenario_folder, write_scenario_xlsx

    scenario = load_scenario(tiny_folder)
    again = load_scenario(write_scenario_folder(scenario, tmp_path / "copy"))
    assert again.canonical_json() == scenario.canonical_json()
    book = load_scenario(write_scenario_xlsx(scenario, tmp_path / "copy.xlsx"))
    assert book.canonical_json() == scenario.canonical_json()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (40.0, "40"),  # a whole number Excel stored as float
        (1.5, "1.5"),
        (7, "7"),
        (True, "yes"),
        (datetime(2026, 9, 1), "2026-09-01"),  # a date cell
        (datetime(2026, 9, 1, 8, 30), "2026-09-01 08:30"),
        (datetime(1899, 12, 30, 16, 30), "16:30"),  # a time-only cell read as datetime
        (date(2026, 9, 1), "2026-09-01"),
        (time(16, 30), "16:30"),
        (timedelta(hours=17, minutes=5), "17:05"),
        ("周一", "周一"),
    ],
)
def test_excel_cells_become_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_excel_dates_and_times_parse(tmp_path: Path, tiny_folder: Path) -> None:
    """Clock times and dates typed into Excel as real times/dates read as the CSV text does."""
    import openpyxl

    book_path = write_workbook(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(book_path)
    book["timeslots"]["C2"] = time(16, 0)
    book["timeslots"]["D2"] = time(17, 0)
    book["changes"]["B2"] = datetime(2026, 10, 12)
    book.save(book_path)
    assert load_scenario(book_path) == load_scenario(tiny_folder)


# ---- bad input: one finding naming file, row and column --------------------------------------
@pytest.mark.parametrize(
    ("key", "index", "column", "value", "code"),
    [
        ("timeslots", 0, "day", "Mx", "finding.bad_value"),  # not a weekday
        ("timeslots", 1, "start", "25:00", "finding.bad_value"),  # not a clock time
        ("timeslots", 1, "kind", "party", "finding.bad_value"),  # not a slot kind
        ("timeslots", 0, "periods", "-1", "finding.bad_value"),  # negative pay credit
        ("classes", 0, "grade", "10", "finding.bad_value"),  # grade outside 1–9
        ("students", 0, "status", "maybe", "finding.bad_value"),  # unknown status
        ("students", 1, "class_id", "", "finding.missing_value"),  # required cell blank
        ("activities", 1, "max_size", "many", "finding.bad_value"),  # not a number
        ("activities", 2, "outdoor", "perhaps", "finding.bad_value"),  # not yes/no
        ("staff", 2, "background_check", "?", "finding.bad_value"),  # not yes/no
        ("rooms", 0, "capacity", "4.5", "finding.bad_value"),  # not a whole number
        ("duties", 0, "count", "x", "finding.bad_value"),  # not a number
        ("changes", 0, "date", "2026-13-01", "finding.bad_value"),  # no such date
        ("changes", 0, "action", "teleport", "finding.bad_value"),  # unknown action
    ],
)
def test_bad_cell_is_named(tmp_path: Path, key: str, index: int, column: str, value: str, code: str) -> None:
    tables = tiny_tables()
    tables[key][index][column] = value
    errors = errors_of(write_folder(tmp_path / "x", tables))
    assert [(f.file, f.row, f.column, f.code) for f in errors] == [(f"{key}.csv", index + 2, column, code)]
    assert errors[0].value == value.strip()
    if code == "finding.bad_value":
        assert errors[0].expected_text("en")


def test_bad_student_column_on_a_change_row(tmp_path: Path) -> None:
    """A join's student columns are checked as a student row would be."""
    tables = tiny_tables()
    tables["changes"][0]["days"] = "someday"
    tables["changes"][1]["days"] = ""
    errors = errors_of(write_folder(tmp_path / "x", tables))
    assert [(f.file, f.row, f.column) for f in errors] == [("changes.csv", 2, "days")]


def test_findings_use_the_users_names(tmp_path: Path) -> None:
    """A Chinese sheet and header are named as the user wrote them, in Chinese words."""
    tables = tiny_tables()
    tables["students"][0]["days"] = "Mx"
    tables["students"][1]["choice1"] = "NOPE"
    book = write_workbook(tmp_path / "zh.xlsx", tables, sheet_names={"students": "学生"})
    import openpyxl

    wb = openpyxl.load_workbook(book)
    for cell in wb["学生"][1]:
        cell.value = FILES["students"].columns[cell.value][0]
    wb.save(book)
    errors = errors_of(book)
    assert {(f.file, f.row, f.column) for f in errors} == {("学生", 2, "服务日"), ("学生", 3, "志愿1")}
    text = " ".join(f.render("zh") for f in errors)
    assert "学生 第2行 「服务日」列" in text and "Mx" in text


@pytest.mark.parametrize(
    ("key", "column"),
    [
        ("students", "class_id"),  # required column of students
        ("timeslots", "kind"),  # required column of timeslots
        ("rooms", "capacity"),  # capacity has no default
        ("locks", "activity_id"),  # an optional file's required column
    ],
)
def test_missing_required_column(tmp_path: Path, key: str, column: str) -> None:
    tables = tiny_tables()
    for row in tables[key]:
        del row[column]
    errors = errors_of(write_folder(tmp_path / "x", tables))
    assert [(f.file, f.row, f.column, f.code) for f in errors] == [(f"{key}.csv", 1, column, "finding.missing_column")]


def test_duplicate_column(tmp_path: Path) -> None:
    """学号 and student_id in one file mean the same column."""
    folder = write_folder(tmp_path / "x")
    text = (folder / "locks.csv").read_text(encoding="utf-8").splitlines()
    lines = [text[0] + ",学号"] + [line + ",S9" for line in text[1:]]
    (folder / "locks.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = errors_of(folder)
    assert [(f.file, f.row, f.column, f.code) for f in errors] == [("locks.csv", 1, "学号", "finding.duplicate_column")]


@pytest.mark.parametrize("key", ["school", "timeslots", "classes", "students", "activities", "staff", "rooms"])
def test_missing_required_file(tmp_path: Path, key: str) -> None:
    folder = write_folder(tmp_path / "x")
    (folder / FILES[key].csv_name).unlink()
    errors = errors_of(folder)
    assert ("finding.missing_file", FILES[key].csv_name) in {(f.code, f.file) for f in errors}


@pytest.mark.parametrize(
    ("toml", "column", "row"),
    [
        ('[rules]\ngroup_cap = "lots"\n', "rules.group_cap", 2),  # not a number
        ("[rules]\nlatest_end_primary = '18h'\n", "rules.latest_end_primary", 2),  # not HH:MM
        ('language = "fr"\n', "language", 1),  # only zh or en
        ("term_start = 2026-09-07\nterm_end = 2026-01-01\n", "", None),  # end before start
    ],
)
def test_bad_school_setting(tmp_path: Path, toml: str, column: str, row: int | None) -> None:
    errors = errors_of(write_folder(tmp_path / "x", school=toml))
    assert [(f.file, f.row, f.column) for f in errors] == [("school.toml", row, column)]


def test_bad_toml_syntax(tmp_path: Path) -> None:
    errors = errors_of(write_folder(tmp_path / "x", school="[rules\ngroup_cap = 1\n"))
    assert [(f.file, f.code) for f in errors] == [("school.toml", "finding.bad_toml")]


def test_school_sheet_errors_name_the_row(tmp_path: Path) -> None:
    """In a workbook, a bad setting is found on the school sheet's row of that key."""
    book = write_workbook(tmp_path / "x.xlsx", school=SCHOOL_TOML.replace("group_cap = 45", 'group_cap = "x"'))
    errors = errors_of(book)
    assert len(errors) == 1
    assert (errors[0].file, errors[0].column) == ("school", "rules.group_cap")
    assert errors[0].row is not None and errors[0].row > 1


def test_undecodable_csv(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "x")
    (folder / "rooms.csv").write_bytes(b"room_id,capacity\n\xff\xfe\xff,1\n")
    assert [(f.file, f.code) for f in errors_of(folder)] == [("rooms.csv", "finding.cannot_decode")]


def _broken_zip(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
        archive.writestr("xl/workbook.xml", "<<<")


@pytest.mark.parametrize(
    "make",
    [
        lambda path: path.write_bytes(b"this is not a zip file"),  # not a zip at all
        _broken_zip,  # a zip whose XML is broken
        lambda path: path.write_bytes(b""),  # an empty file
    ],
)
def test_corrupt_workbook_is_a_finding(tmp_path: Path, make) -> None:
    book = tmp_path / "broken.xlsx"
    make(book)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(book)
    assert [f.code for f in caught.value.findings] == ["finding.unreadable_workbook"]


def test_unknown_sheet_is_a_warning(tmp_path: Path) -> None:
    import openpyxl

    book = write_workbook(tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("Notes")
    wb.save(book)
    _, findings = load_scenario_with_findings(book)
    warnings = [f for f in findings if f.severity == Severity.WARNING]  # notes of columns left out aside
    assert [(f.code, f.params["sheet"]) for f in warnings] == [("finding.unknown_sheet", "Notes")]


@pytest.mark.parametrize(
    "name",
    [
        "does-not-exist",  # no such path
        "notes.txt",  # neither a folder nor a workbook
    ],
)
def test_bad_path_is_a_usage_error(tmp_path: Path, name: str) -> None:
    if name.endswith(".txt"):
        (tmp_path / name).write_text("hello", encoding="utf-8")
    with pytest.raises(UsageError):
        load_scenario(tmp_path / name)


def test_load_scenario_raises_with_every_error(tmp_path: Path) -> None:
    """All problems across files are collected before raising."""
    tables = tiny_tables()
    tables["rooms"][0]["capacity"] = "x"
    tables["staff"][0]["kind"] = "wizard"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write_folder(tmp_path / "x", tables))
    assert {f.file for f in caught.value.findings} == {"rooms.csv", "staff.csv"}
