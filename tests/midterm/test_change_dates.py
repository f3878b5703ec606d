"""Issue 14 item 7: a change row not yet applied, dated outside the term or before the plan it changes, is an
error naming the row (``resolve`` exits 2 and writes nothing). The tiny school's term: 2026-09-07 … 2026-12-25."""

from __future__ import annotations

from pathlib import Path

import pytest
from midterm_school import fingerprint

from cluster_planner.cli import main

HEADER = "change_id,date,until,action,id,class_id,choice1\n"


def resolve(plan: Path, changes: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(["resolve", str(plan), "--changes", str(changes), "--out", str(out), "--no-report", "--lang", "en"])
    captured = capsys.readouterr()
    return int(info.value.code or 0), captured.out + captured.err


@pytest.mark.parametrize(
    ("bad_row", "words"),
    [
        ("B1,2026-09-01,,exit,103-001,,", "outside the term"),  # a week before the term starts
        ("B1,2027-01-04,,exit,103-001,,", "outside the term"),  # after the term ended
        ("B1,2026-12-26,,staff_leave,T01,,", "outside the term"),  # the day after the last day
    ],
)
def test_issue14_a_change_dated_outside_the_term_is_an_error_naming_the_row(
    v1: Path, tmp_path: Path, bad_row: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = tmp_path / "changes.csv"
    changes.write_text(HEADER + "G1,2026-10-12,,exit,103-002,,\n" + bad_row + "\n", encoding="utf-8")
    before = fingerprint(v1)
    code, text = resolve(v1, changes, tmp_path / "v2", capsys)
    assert code == 2, text
    assert "changes.csv row 3, column 'date'" in text and words in text and "2026-09-07 to 2026-12-25" in text
    assert fingerprint(v1) == before and not (tmp_path / "v2").exists()


def test_issue14_a_change_dated_before_the_plan_it_changes_is_an_error(
    v1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = tmp_path / "changes.csv"
    changes.write_text(HEADER + "C1,2026-10-19,,exit,103-001,,\n", encoding="utf-8")
    assert resolve(v1, changes, tmp_path / "v2", capsys)[0] == 0  # v2 holds from 2026-10-19
    with changes.open("a", encoding="utf-8") as fh:
        fh.write("C2,2026-10-12,,exit,103-002,,\n")  # appended later, dated a week before v2
    code, text = resolve(tmp_path / "v2", changes, tmp_path / "v3", capsys)
    assert code == 2, text
    assert "changes.csv row 3, column 'date'" in text and "2026-10-12" in text
    assert "before the plan it changes" in text and "on or after 2026-10-19" in text
    assert not (tmp_path / "v3").exists()
    # C1, already applied to v2, may keep its date; only rows not yet applied are held to v2's date
    changes.write_text(HEADER + "C1,2026-10-19,,exit,103-001,,\nC3,2026-10-26,,exit,103-003,,\n", encoding="utf-8")
    code, text = resolve(tmp_path / "v2", changes, tmp_path / "v3", capsys)
    assert code == 0, text
