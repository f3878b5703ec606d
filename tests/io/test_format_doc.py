"""Issue 14 item 10: docs/format.md lists every file, column, Chinese header, value and default the product reads.

The tables of docs/format.md are parsed and compared with what the loader accepts (io/headers.py,
the school settings, the value words of the models); its examples are loaded as one school.
"""

from __future__ import annotations

import re
from dataclasses import fields
from enum import StrEnum
from pathlib import Path

import pytest

from cluster_planner.domain import entities, values
from cluster_planner.domain.school import Level, Season
from cluster_planner.io import read_scenario
from cluster_planner.io.headers import CHANGE_COLUMNS, FILES, SCHOOL, TABLE_KEYS, file_key_of
from cluster_planner.io.school_keys import school_keys
from cluster_planner.plan.io import PLAN_FILES
from cluster_planner.plan.model import Move, PlanMeta

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "format.md").read_text(encoding="utf-8")


def sections() -> dict[str, str]:
    """Text under each ``## `name` …`` heading, by name (``students.csv``, ``school.toml``)."""
    out: dict[str, str] = {}
    for part in re.split(r"^## ", DOC, flags=re.MULTILINE)[1:]:
        m = re.match(r"`([^`]+)`", part)
        if m:
            out[m.group(1)] = part
    return out


def table_rows(text: str) -> list[list[str]]:
    """The cells of each body row of the markdown tables in ``text``."""
    rows = []
    for line in text.splitlines():
        if line.startswith("| `"):
            rows.append([c.strip() for c in line.strip().strip("|").split(" | ")])
    return rows


def column_table(key: str) -> dict[str, tuple[tuple[str, ...], bool]]:
    """column → (Chinese headers, required) as the document's table for file ``key`` says."""
    text = sections()[FILES[key].csv_name]
    return {
        row[0].strip("`"): (tuple(a for a in row[1].split(", ") if a and a != "—"), row[2] == "yes")
        for row in table_rows(text)
    }


@pytest.mark.parametrize("key", TABLE_KEYS)
def test_issue14_every_column_the_loader_reads_is_documented(key: str) -> None:
    spec = FILES[key]
    documented = column_table(key)
    columns = spec.columns
    if key == "changes":  # its own columns, then every students.csv column under the same headers
        own = {c: a for c, a in columns.items() if c in (*CHANGE_COLUMNS, "student_id")}
        student = {c: a for c, a in columns.items() if c not in own}
        assert student == {c: a for c, a in FILES["students"].columns.items() if c != "student_id"}
        assert "any other column of `students.csv`" in sections()[spec.csv_name]
        columns = own
    assert {c: a for c, (a, _) in documented.items()} == dict(columns)
    assert {c for c, (_, req) in documented.items() if req} == set(spec.required_columns)


@pytest.mark.parametrize("key", list(FILES))
def test_issue14_every_file_and_sheet_name_is_documented(key: str) -> None:
    text = sections()[FILES[key].csv_name]
    line = next(line for line in text.splitlines() if line.startswith("Sheet names:"))
    names = [n.strip() for n in re.split(r"[,.]\s*", line.removeprefix("Sheet names:").split(". ")[0]) if n.strip()]
    assert set(names) == set(FILES[key].sheet_names)
    assert all(file_key_of(n) == key for n in names)


def test_issue14_every_school_setting_is_documented() -> None:
    text = sections()["school.toml"]
    documented = {row[0].strip("`") for row in table_rows(text)}
    assert documented == {key for key, _ in school_keys()}
    for column, aliases in SCHOOL.columns.items():
        assert f"`{column}` ({', '.join(aliases)})" in text


VALUE_WORDS = {
    "slot kind": entities._KIND_WORDS,
    "student status": entities._STATUS_WORDS,
    "priority": entities._PRIORITY_WORDS,
    "activity kind": entities._ACTIVITY_KIND_WORDS,
    "staff kind": entities._STAFF_KIND_WORDS,
    "change action": entities._ACTION_WORDS,
}
ENUMS: list[type[StrEnum]] = [
    entities.SlotKind,
    entities.StudentStatus,
    entities.Priority,
    entities.ActivityKind,
    entities.ActivityMode,
    entities.StaffKind,
    entities.ChangeAction,
    Level,
    Season,
]


# Words the validators of ``mode`` (Activity), ``level`` and ``season`` (School) accept besides the values.
OTHER_WORDS = [
    "选择",
    "自选",
    "选课",
    "走班",
    "以班为单位",
    "班级",
    "小学",
    "初中",
    "九年一贯制",
    "夏季",
    "夏秋",
    "秋冬",
    "冬季",
]


def test_issue14_every_value_and_its_chinese_words_are_documented() -> None:
    words = [f"`{m.value}`" for enum in ENUMS for m in enum]
    words += [w for mapping in VALUE_WORDS.values() for w in mapping]
    words += [f"`{w}`" for w in (*values._YES, *values._NO)]
    words += OTHER_WORDS
    assert [w for w in words if w not in DOC] == []


def test_issue14_every_plan_file_column_is_documented() -> None:
    rows = {row[0].strip("`").split("`")[0]: row[2] for row in table_rows(DOC)}
    columns = {name: [f.name for f in fields(row)] for name, row in PLAN_FILES.items()}
    columns["moves.csv"] = ["class" if f.name == "class_id" else f.name for f in fields(Move)]
    columns["plan.json"] = [f.name for f in fields(PlanMeta)]
    for name, expected in columns.items():
        cell = rows[name].split(" (")[0] if name == "plan.json" else rows[name]
        assert re.findall(r"`([a-z_]+)`", cell) == expected, name


def test_issue14_the_examples_make_a_school_that_loads(tmp_path: Path) -> None:
    folder = tmp_path / "example"
    folder.mkdir()
    for name, text in sections().items():
        m = re.search(r"```(?:csv|toml)\n(.*?)```", text, flags=re.DOTALL)
        if m and name.endswith((".csv", ".toml")):
            (folder / name).write_text(m.group(1), encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir()) == sorted(spec.csv_name for spec in FILES.values())
    result = read_scenario(folder)
    assert result.errors == [], [f.render("en") for f in result.errors]
    scenario = result.scenario
    assert all(getattr(scenario, key) for key in TABLE_KEYS), "every example has rows"


def test_issue14_readme_points_to_docs_format_not_to_a_file_users_lack() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/format.md" in readme and "FORMAT.md" not in readme
