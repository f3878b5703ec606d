"""Header aliases and sheet names (FORMAT.md: English or the Chinese alias)."""

from __future__ import annotations

import pytest

from cluster_planner.domain.entities import Student
from cluster_planner.io.headers import CHANGE_COLUMNS, FILES, canonical_column, file_key_of, normalise
from cluster_planner.io.rows import MODELS

_BOOKKEEPING = {"row", "extra", "student"}


@pytest.mark.parametrize("key", sorted(MODELS))
def test_every_model_field_has_a_column(key: str) -> None:
    """The header table and the entity models name the same columns (no drift)."""
    fields = set(MODELS[key].model_fields) - _BOOKKEEPING
    if key == "changes":
        fields |= set(Student.model_fields) - _BOOKKEEPING
    assert set(FILES[key].columns) == fields


@pytest.mark.parametrize("key", sorted(FILES))
def test_aliases_are_unambiguous_within_a_file(key: str) -> None:
    """No header form means two columns of one file."""
    spec = FILES[key]
    owners: dict[str, set[str]] = {}
    for column, aliases in spec.columns.items():
        for form in (column, *aliases):
            owners.setdefault(normalise(form), set()).add(column)
    clashes = {form: cols for form, cols in owners.items() if len(cols) > 1}
    assert not clashes
    for column in spec.columns:
        assert canonical_column(spec, column) == column


@pytest.mark.parametrize(
    ("key", "header", "column"),
    [
        ("timeslots", "时段编号", "slot_id"),  # FORMAT.md alias
        ("timeslots", "Slot ID", "slot_id"),  # spaces and capitals
        ("timeslots", "开始（HH:MM）", "start"),  # a note in brackets
        ("timeslots", "夏季结束", "summer_end"),
        ("classes", "年级", "grade"),
        ("classes", "班级编号", "class_id"),
        ("students", "学号", "student_id"),
        ("students", " 志愿1 ", "choice1"),  # padded
        ("students", "第三志愿", "choice3"),  # variant
        ("students", "CHOICE_5", "choice5"),
        ("students", "联系电话", "parent_phone"),
        ("activities", "每周次数", "sessions_per_week"),
        ("staff", "背景审查", "background_check"),
        ("rooms", "同时组数", "max_groups"),
        ("duties", "岗位", "post"),
        ("locks", "活动编号", "activity_id"),
        ("changes", "变动", "action"),
        ("changes", "服务日", "days"),  # a student column on a change row
    ],
)
def test_header_aliases(key: str, header: str, column: str) -> None:
    assert canonical_column(FILES[key], header) == column


def test_unknown_header_is_none() -> None:
    assert canonical_column(FILES["students"], "shoe size") is None


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("学校", "school"),
        ("时段", "timeslots"),
        ("班级", "classes"),
        ("学生", "students"),
        ("活动", "activities"),
        ("教职工", "staff"),
        ("场地", "rooms"),
        ("值班", "duties"),
        ("变动", "changes"),
        ("锁定", "locks"),
        ("Students", "students"),  # capitals
        ("timeslots.csv", "timeslots"),  # a file name
        ("README", None),  # not part of a scenario
    ],
)
def test_sheet_names(name: str, key: str | None) -> None:
    assert file_key_of(name) == key


def test_change_columns_are_columns_of_changes() -> None:
    assert set(CHANGE_COLUMNS) <= set(FILES["changes"].columns)
