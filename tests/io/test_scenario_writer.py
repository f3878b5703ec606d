"""Writing scenarios: cell spelling, school.toml, atomic folders and workbooks, round trips."""

from __future__ import annotations

import tomllib
import zipfile
from datetime import date, time
from pathlib import Path

import openpyxl
import pytest

from cluster_planner.domain import Change, Day, Lock, Priority, Scenario, School
from cluster_planner.errors import UsageError
from cluster_planner.generate import generate_school
from cluster_planner.io import scenario_writer
from cluster_planner.io.loader import load_scenario
from cluster_planner.io.scenario_writer import (
    cell_text,
    school_items,
    school_toml,
    write_scenario_folder,
    write_scenario_xlsx,
)

FORMULA_NAMES = ("=1+1", "+8613800000000", "-SUM(A1)", "@HYPERLINK(x)")


@pytest.fixture(scope="module")
def small_school() -> Scenario:
    """A 90-applicant nine-year school with evening study: every kind of slot and staff."""
    return generate_school(90, "1-9", seed=5, evening_study=True)


@pytest.fixture(scope="module")
def every_feature(small_school: Scenario) -> Scenario:
    """The small school plus what the generator never writes: formula-like names, quotes and
    commas in cells, extra columns, locks, mid-term changes and a fractional pay rate."""
    students = list(small_school.students)
    for i, name in enumerate(FORMULA_NAMES):
        students[i] = students[i].model_copy(update={"name": name})
    students[4] = students[4].model_copy(update={"name": 'Li "Xiao", Ming', "extra": {"备注": "needs lift"}})
    staff = list(small_school.staff)
    staff[0] = staff[0].model_copy(update={"rate": 42.5})
    first = small_school.approved_students[0]
    return small_school.model_copy(
        update={
            "students": tuple(students),
            "staff": tuple(staff),
            "locks": (Lock(student_id=first.student_id, activity_id="DRAW"),),
            "changes": (
                Change(
                    change_id="C1",
                    date=date(2026, 10, 12),
                    action="join",
                    id="S99901",
                    student={"name": "新同学", "class_id": first.class_id, "days": "Mon Wed", "choice1": "DRAW"},
                ),
                Change(date=date(2026, 11, 2), until=date(2026, 11, 6), action="staff_leave", id="T001"),
            ),
        }
    )


# ---- cells --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, text",
    [
        (None, ""),  # blank optional cell
        (True, "yes"),  # yes/no words
        (False, "no"),
        (Day.TUE, "Tue"),  # enums by value
        (time(16, 5), "16:05"),  # HH:MM
        (date(2026, 9, 7), "2026-09-07"),  # ISO date
        (1.0, "1"),  # whole floats without ".0"
        (42.5, "42.5"),
        (frozenset({3, 4, 5, 6}), "3-6"),  # a run of grades
        (frozenset({1, 3}), "1 3"),  # grades with a gap
        (frozenset({"math", "care"}), "care math"),  # sets sorted
        ((Day.MON, Day.WED), "Mon Wed"),  # lists joined by spaces
        (frozenset({Priority.MIGRANT}), "migrant"),
        (frozenset(), ""),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_school_toml_parses_back_to_the_same_school(small_school: Scenario) -> None:
    school = small_school.school.model_copy(update={"name": 'A "quoted" \\ name'})
    data = tomllib.loads(school_toml(school))
    assert School.model_validate(data) == school
    assert data["rules"]["group_cap"] == 45 and data["holidays"][0] == date(2026, 10, 1)


def test_school_items_use_dotted_keys(small_school: Scenario) -> None:
    items = dict(school_items(small_school.school))
    assert items["rules.group_cap"] == 45
    assert items["pay.external"] == 80
    assert "season_switch" in items and "money.fee_per_day" not in items  # unset values are left out


# ---- folders ------------------------------------------------------------------------------
def test_folder_has_english_headers_and_a_bom(small_school: Scenario, tmp_path: Path) -> None:
    out = write_scenario_folder(small_school, tmp_path / "s")
    names = sorted(p.name for p in out.iterdir())
    tables = ("timeslots", "classes", "students", "activities", "staff", "rooms", "duties")
    assert names == sorted(["school.toml", *(f"{t}.csv" for t in tables)])  # no locks or changes: none given
    raw = (out / "students.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfstudent_id,name,gender,class_id,status,days,services,choice1")
    assert (out / "classes.csv").read_text(encoding="utf-8-sig").splitlines()[0].endswith(",room_id,size")


def test_issue14_an_existing_scenario_folder_is_never_replaced(small_school: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "s"
    out.mkdir()
    (out / "school.toml").write_text("old", encoding="utf-8")
    (out / "locks.csv").write_text("old", encoding="utf-8")
    with pytest.raises(UsageError, match="s"):
        write_scenario_folder(small_school, out)
    assert (out / "school.toml").read_text(encoding="utf-8") == "old"
    assert (out / "locks.csv").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]  # no temporary folders left


def test_an_empty_folder_is_filled(small_school: Scenario, tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    write_scenario_folder(small_school, tmp_path / "s")
    assert (tmp_path / "s" / "school.toml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]


def test_a_folder_that_is_not_a_scenario_is_never_replaced(small_school: Scenario, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(UsageError):
        write_scenario_folder(small_school, tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_a_failed_write_leaves_nothing(small_school: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = write_scenario_folder(small_school, tmp_path / "s")
    before = (out / "students.csv").read_bytes()

    def broken(path: Path, header: list[str], rows: list[list[object]]) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(scenario_writer, "_write_csv", broken)
    with pytest.raises(OSError):
        write_scenario_folder(small_school.model_copy(update={"locks": ()}), tmp_path / "s2")
    assert (out / "students.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]


# ---- workbooks ----------------------------------------------------------------------------
def test_workbook_sheets_and_formula_like_names_stay_text(every_feature: Scenario, tmp_path: Path) -> None:
    out = write_scenario_xlsx(every_feature, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "school",
        "timeslots",
        "classes",
        "students",
        "activities",
        "staff",
        "rooms",
        "duties",
        "locks",
        "changes",
    ]
    names = {row[1].value: row[1].data_type for row in wb["students"].iter_rows(min_row=2)}
    for name in FORMULA_NAMES:
        assert names[name] == "s"
    with zipfile.ZipFile(out) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any("<f>" in z.read(n).decode("utf-8") for n in sheets)  # no formula anywhere
    school = {k.value: v.value for k, v in wb["school"].iter_rows(min_row=2)}
    assert school["rules.group_cap"] == 45 and school["holidays"].startswith("2026-10-01 ")


def test_issue14_an_existing_workbook_is_never_replaced(small_school: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(UsageError, match=r"s\.xlsx"):
        write_scenario_xlsx(small_school, out)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.xlsx"]


def test_a_folder_is_not_replaced_by_a_workbook(small_school: Scenario, tmp_path: Path) -> None:
    (tmp_path / "s.xlsx").mkdir()
    with pytest.raises(UsageError):
        write_scenario_xlsx(small_school, tmp_path / "s.xlsx")


# ---- round trips through the loader -------------------------------------------------------
@pytest.mark.parametrize("scenario_name", ["small_school", "every_feature"])
@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_round_trip(scenario_name: str, suffix: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    scenario: Scenario = request.getfixturevalue(scenario_name)
    writer = write_scenario_xlsx if suffix else write_scenario_folder
    loaded = load_scenario(writer(scenario, tmp_path / f"s{suffix}"))
    assert loaded.canonical_json() == scenario.canonical_json()  # all but row numbers
