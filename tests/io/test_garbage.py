"""Property: random garbage in random cells gives a Scenario or a ScenarioError, never anything else."""

from __future__ import annotations

import tempfile
from datetime import datetime, time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from scenario_files import SCHOOL_TOML, tiny_tables, write_folder, write_workbook

from cluster_planner.domain.scenario import Scenario
from cluster_planner.errors import ScenarioError
from cluster_planner.io import load_scenario

TABLES = tiny_tables()
CELLS = [(key, index, column) for key, rows in TABLES.items() for index, row in enumerate(rows) for column in row]
SCHOOL_LINES = [i for i, line in enumerate(SCHOOL_TOML.splitlines()) if "=" in line]

# Garbage an office might type, plus values that are valid somewhere else (ids, days, times).
PLAUSIBLE = ["", " ", "0", "-1", "1e9", "nan", "inf", "Mon", "周日", "Mon-1", "Sat", "1-9", "9-1", "3-", "一年级",
             "初三", "yes", "否", "00:00", "23:59", "18:01", "24:00", "2026-02-30", "C1", "S1", "FOOT", "CARE", "T2",
             "R1", "F1", "care", "club", "evening_study", "join", "exit", "、", ";；", "a,b", "=1+1"]  # fmt: skip
text_garbage = st.one_of(
    st.text(max_size=12),
    st.sampled_from(PLAUSIBLE),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
cell_garbage = st.one_of(
    text_garbage.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),  # Excel cannot hold control characters
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2100, 1, 1)),
    st.times().map(lambda t: time(t.hour, t.minute)),
)


def _load(path: Path) -> None:
    try:
        assert isinstance(load_scenario(path), Scenario)
    except ScenarioError as exc:
        assert exc.findings and any(f.is_error for f in exc.findings)
        for finding in exc.findings:
            assert finding.render("zh") and finding.render("en")
            assert finding.expected_text("zh") and finding.expected_text("en")  # issue 15: what was expected


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(st.tuples(st.sampled_from(CELLS), text_garbage), min_size=1, max_size=5),
    school_edit=st.none() | st.tuples(st.sampled_from(SCHOOL_LINES), text_garbage),
)
def test_garbage_in_csv_cells(edits: list[tuple[tuple[str, int, str], str]], school_edit: tuple | None) -> None:
    tables = tiny_tables()
    for (key, index, column), value in edits:
        tables[key][index][column] = value
    school = SCHOOL_TOML.splitlines()
    if school_edit is not None:
        line, value = school_edit
        school[line] = school[line].split("=")[0] + "= " + value
    with tempfile.TemporaryDirectory() as tmp:
        _load(write_folder(Path(tmp) / "s", tables, school="\n".join(school) + "\n"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(CELLS), cell_garbage), min_size=1, max_size=5))
def test_garbage_in_xlsx_cells(edits: list[tuple[tuple[str, int, str], object]]) -> None:
    """Excel cells may hold numbers, dates, times and booleans as well as text."""
    import openpyxl

    with tempfile.TemporaryDirectory() as tmp:
        book_path = write_workbook(Path(tmp) / "s.xlsx")
        book = openpyxl.load_workbook(book_path)
        for (key, index, column), value in edits:
            sheet = book[key]
            header = [c.value for c in sheet[1]]
            sheet.cell(row=index + 2, column=header.index(column) + 1, value=value)
        book.save(book_path)
        _load(book_path)
