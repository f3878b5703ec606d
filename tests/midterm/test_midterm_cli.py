"""``resolve``, ``diff`` and ``history`` on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from midterm_school import checked, fingerprint

import cluster_planner as cp
from cluster_planner.cli import cli, main


def _changes(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "changes.csv"
    path.write_text("change_id,date,until,action,id,class_id,choice1\n" + body, encoding="utf-8")
    return path


def test_resolve_diff_history(v1: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    before = fingerprint(v1)
    changes = _changes(tmp_path, "C1,2026-10-12,,join,N1,301,DRAW\nC2,2026-10-12,,exit,103-001,,\n")
    v2 = tmp_path / "v2"
    result = runner.invoke(
        cli, ["resolve", str(v1), "--changes", str(changes), "--out", str(v2), "--no-report", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "students joined" in result.output and "N1" in result.output
    assert fingerprint(v1) == before
    checked(cp.load(v2 / "scenario"), v2)

    diff = runner.invoke(cli, ["diff", str(v1), str(v2), "--lang", "en"])
    assert diff.exit_code == 0, diff.output
    assert "N1" in diff.output and "103-001" in diff.output and "joined" in diff.output
    same = runner.invoke(cli, ["diff", str(v1), str(v1), "--lang", "en"])
    assert "do not differ" in same.output

    with changes.open("a", encoding="utf-8") as fh:
        fh.write("C3,2026-10-19,,exit,103-002,,\n")
    v3 = tmp_path / "v3"
    again = runner.invoke(cli, ["resolve", str(v2), "--changes", str(changes), "--out", str(v3), "--no-report"])
    assert again.exit_code == 0, again.output
    assert "C1" in again.output and "C2" in again.output  # reported as skipped

    history = runner.invoke(cli, ["history", str(v3), "--lang", "en"])
    assert history.exit_code == 0, history.output
    lines = [line for line in history.output.splitlines() if "│" in line]
    assert [line.split("│")[1].strip() for line in lines] == ["3", "2", "1"]
    assert "2026-10-19" in history.output and "term start" in history.output


def test_resolve_unknown_student_exits_2_naming_the_row(v1: Path, tmp_path: Path, capsys) -> None:
    changes = _changes(tmp_path, "C1,2026-10-12,,exit,NOBODY,,\n")
    with pytest.raises(SystemExit) as info:
        main(["resolve", str(v1), "--changes", str(changes), "--out", str(tmp_path / "x")])
    assert info.value.code == 2
    assert "changes.csv 第2行 「id」列" in capsys.readouterr().err  # the school's language (issue 14 item 8)
    assert not (tmp_path / "x").exists()
