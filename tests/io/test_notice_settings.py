"""Issue 17 item 2: the optional ``[notice]`` settings of school.toml (contact, pick-up place and note).

Old files without the section stay valid; a bad value is an error naming school.toml, the row and
the key, like every other setting; the plan's scenario snapshot keeps the section.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario_files import SCHOOL_TOML, write_folder, write_workbook

from cluster_planner.domain.school import NOTICE_TEXT_MAX
from cluster_planner.io import read_scenario
from cluster_planner.io.scenario_writer import school_toml

NOTICE = '\n[notice]\ncontact = "教务处 王老师 0355-1234567"\npickup_place = "东门"\n'
ROW = SCHOOL_TOML.count("\n") + 3  # the first key under [notice], after a blank line and the header


def _errors(folder: Path) -> list[tuple[str, int | None, str, str]]:
    return [(f.file, f.row, f.column, f.expected) for f in read_scenario(folder).findings if f.is_error]


def test_a_school_without_notice_settings_stays_valid(tmp_path: Path) -> None:
    result = read_scenario(write_folder(tmp_path / "x"))
    assert not result.errors
    notice = result.scenario.school.notice
    assert (notice.contact, notice.pickup_place, notice.pickup_note) == (None, None, None)


def test_notice_settings_are_read_from_toml_and_workbook(tmp_path: Path) -> None:
    for source in (
        write_folder(tmp_path / "x", school=SCHOOL_TOML + NOTICE),
        write_workbook(tmp_path / "x.xlsx", school=SCHOOL_TOML + NOTICE),
    ):
        result = read_scenario(source)
        assert not result.errors, result.errors
        notice = result.scenario.school.notice
        assert (notice.contact, notice.pickup_place, notice.pickup_note) == ("教务处 王老师 0355-1234567", "东门", None)


def test_a_phone_written_as_a_number_is_read_as_text(tmp_path: Path) -> None:
    result = read_scenario(write_folder(tmp_path / "x", school=SCHOOL_TOML + "\n[notice]\ncontact = 12345678\n"))
    assert not result.errors
    assert result.scenario.school.notice.contact == "12345678"


@pytest.mark.parametrize(
    ("toml", "column", "row", "expected"),
    [
        ('\n[notice]\ncontact = ["a", "b"]\n', "notice.contact", ROW, "expect.text"),  # a list is no phone
        ("\n[notice]\npickup_place = true\n", "notice.pickup_place", ROW, "expect.text"),  # a yes/no is no place
        (f'\n[notice]\npickup_note = "{"长" * (NOTICE_TEXT_MAX + 1)}"\n', "notice.pickup_note", ROW, "expect.text_max"),
    ],
)
def test_issue17_a_bad_notice_setting_names_its_row_and_key(
    tmp_path: Path, toml: str, column: str, row: int, expected: str
) -> None:
    errors = _errors(write_folder(tmp_path / "x", school=SCHOOL_TOML + toml))
    assert errors == [("school.toml", row, column, expected)]


def test_notice_given_as_a_value_instead_of_a_section_is_an_error(tmp_path: Path) -> None:
    errors = _errors(write_folder(tmp_path / "x", school='notice = "东门"\n' + SCHOOL_TOML))
    assert errors == [("school.toml", 1, "notice", "expect.section")]


def test_the_snapshot_keeps_the_notice_settings(tmp_path: Path) -> None:
    school = read_scenario(write_folder(tmp_path / "x", school=SCHOOL_TOML + NOTICE)).scenario.school
    again = read_scenario(write_folder(tmp_path / "y", school=school_toml(school))).scenario.school
    assert again.notice == school.notice
    assert "[notice]" in school_toml(school)
