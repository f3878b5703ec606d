"""Issue 15 item 3: every finding about the input says what was expected (the findings table's "expected" column).

Each bad input below is one the bad-file tests make (tests/io, tests/domain); every finding it gives
has an "expected" text in Chinese and in English. An unknown id names the ids that were expected.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from scenario_files import SCHOOL_TOML, csv_text, tiny_tables, write_folder, write_workbook

from cluster_planner.cli import main
from cluster_planner.io import read_scenario
from cluster_planner.io.headers import FILES


def _folder(tmp: Path, tables: dict | None = None, school: str = SCHOOL_TOML) -> Path:
    return write_folder(tmp / "s", tables, school=school)


def _edited(*edits: tuple[str, int, str, str]) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        tables = tiny_tables()
        for key, index, column, value in edits:
            tables[key][index][column] = value
        return _folder(tmp, tables)

    return make


def _no_kind(tmp: Path) -> Path:
    tables = tiny_tables()
    for row in tables["activities"]:
        row.pop("kind")
    return _folder(tmp, tables)


def _twice(tmp: Path) -> Path:
    folder = _folder(tmp)
    text = (folder / "locks.csv").read_text(encoding="utf-8").splitlines()
    (folder / "locks.csv").write_text("\n".join([text[0] + ",学号"] + [t + ",S9" for t in text[1:]]) + "\n")
    return folder


def _write(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        folder = _folder(tmp)
        (folder / name).write_bytes(content)
        return folder

    return make


def _without(name: str) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        folder = _folder(tmp)
        (folder / name).unlink()
        return folder

    return make


def _book(change: Callable[[openpyxl.Workbook], None]) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = write_workbook(tmp / "s.xlsx")
        book = openpyxl.load_workbook(path)
        change(book)
        book.save(path)
        return path

    return make


def _second_students_sheet(book: openpyxl.Workbook) -> None:
    book.copy_worksheet(book["students"]).title = FILES["students"].sheet_zh


STUDENTS = csv_text(tiny_tables()["students"]).encode()
CASES = {
    "finding.unknown_class": _edited(("students", 0, "class_id", "C9")),
    "finding.unknown_activity": _edited(("students", 1, "choice2", "CHESS")),
    "finding.unknown_staff": _edited(("students", 1, "teacher_pref", "T9")),
    "finding.unknown_room": _edited(("classes", 0, "room_id", "R9")),
    "finding.unknown_student": _edited(("locks", 0, "student_id", "S9")),
    "finding.unknown_slot": _edited(("duties", 0, "slot_id", "Mon-9")),
    "finding.unknown_slot_or_day": _edited(("activities", 1, "slots", "Mon-9")),
    "finding.unknown_service": _edited(("students", 0, "services", "party")),
    "finding.duplicate_id": _edited(("students", 1, "student_id", "S1")),
    "finding.duty_slot_other_day": _edited(("duties", 0, "slot_id", "Tue-1")),
    "finding.slot_overlap": _edited(("timeslots", 1, "start", "16:30")),
    "finding.slot_ends_before_start": _edited(("timeslots", 0, "end", "15:00")),
    "finding.slot_after_latest_end": _edited(("timeslots", 3, "end", "18:10")),
    "finding.min_above_max": _edited(("activities", 1, "min_size", "40")),
    "finding.until_before_date": _edited(("changes", 0, "until", "2026-10-01")),
    "finding.join_without_class": _edited(("changes", 0, "class_id", "")),
    "finding.subject_teaching": _edited(("activities", 2, "name", "奥数")),
    "finding.summer_half": _edited(("timeslots", 1, "summer_start", "16:00")),
    "finding.bad_value": _edited(("rooms", 0, "capacity", "lots")),
    "finding.missing_column": _no_kind,
    "finding.duplicate_column": _twice,
    "finding.missing_file": _without("rooms.csv"),
    "finding.duplicate_file": _write(f"{FILES['students'].sheet_zh}.csv", STUDENTS),
    "finding.cannot_decode": _write("rooms.csv", b"room_id,capacity\n\xff\xfe\xff,1\n"),
    "finding.bad_toml": _write("school.toml", b"[rules\ngroup_cap = 1\n"),
    "finding.semicolons": _write("students.csv", STUDENTS.replace(b",", b";")),
    "finding.empty_table": _write("students.csv", b""),
    "finding.unknown_sheet": _book(lambda book: book.create_sheet("Notes")),
    "finding.duplicate_sheet": _book(_second_students_sheet),
    "finding.duplicate_key": _book(lambda book: book["school"].append(["rules.group_cap", "40"])),
    "finding.key_conflict": _book(lambda book: book["school"].append(["rules", "40"])),
    "finding.unreadable_workbook": lambda tmp: _write_bytes(tmp / "s.xlsx", b"not a workbook"),
}


def _write_bytes(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("code", list(CASES))
def test_issue15_every_finding_says_what_was_expected(tmp_path: Path, code: str) -> None:
    findings = read_scenario(CASES[code](tmp_path)).findings
    assert code in {f.code for f in findings}
    for finding in findings:
        zh, en = finding.expected_text("zh"), finding.expected_text("en")
        assert zh and en and "{" not in zh + en, finding
        assert finding.render("zh").count("应为：") == 1 and finding.render("en").count("expected ") >= 1


def test_issue15_an_unknown_id_names_the_ids_expected(tmp_path: Path) -> None:
    tables = tiny_tables()
    extra = [{**tables["activities"][1], "activity_id": f"X{i:02}"} for i in range(1, 11)]
    tables["activities"] += extra
    tables["students"][1]["choice2"] = "CHESS"
    tables["students"][0]["class_id"] = "C9"
    findings = read_scenario(_folder(tmp_path, tables)).findings
    klass = next(f for f in findings if f.code == "finding.unknown_class")
    assert klass.expected_text("zh") == "classes.csv 中的班级编号之一：C1, C3"
    assert klass.expected_text("en") == "one of the class ids in classes.csv: C1, C3"
    activity = next(f for f in findings if f.code == "finding.unknown_activity")
    first = ", ".join(a["activity_id"] for a in tables["activities"][:10])  # 13 activities: the first 10, then …
    assert activity.expected_text("en") == f"one of the activity ids in activities.csv: {first}, …"
    assert activity.expected_text("zh") == f"activities.csv 中的活动编号之一：{first}, …"


def test_issue15_a_workbook_names_its_own_sheet(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["students"][0]["class_id"] = "C9"
    book = write_workbook(tmp_path / "s.xlsx", tables, sheet_names={"classes": "班级"})
    finding = next(f for f in read_scenario(book).findings if f.code == "finding.unknown_class")
    assert finding.expected_text("zh") == "班级 中的班级编号之一：C1, C3"


def test_issue15_validate_shows_what_was_expected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _edited(("students", 0, "class_id", "C9"), ("students", 1, "choice2", "CHESS"))(tmp_path)
    for lang, words in (
        (
            "zh",
            ["应为：classes.csv 中的班级编号之一：C1, C3", "应为：activities.csv 中的活动编号之一：CARE, FOOT, ART"],
        ),
        ("en", ["expected one of the class ids in classes.csv: C1, C3", "expected one of the activity ids in"]),
    ):
        with pytest.raises(SystemExit) as exit_:
            main(["validate", str(folder), "--lang", lang])
        text = capsys.readouterr()
        assert exit_.value.code == 2
        assert all(w in text.out + text.err for w in words), text
