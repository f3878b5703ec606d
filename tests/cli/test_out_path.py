"""Issue 14 item 1 and 11: ``--out`` never destroys; temporary leftovers go; files get the user's umask.

Every writing command goes through :mod:`cluster_planner.io.out_path`. Each case runs the real
command line (``cluster_planner.cli.main``) and checks the exit code, the message naming the path,
and that what was there is still there, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from scenario_files import write_folder

from cluster_planner.cli import main
from cluster_planner.io.out_path import TEMP_TAG, _host


def run(*args: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit code and everything printed, of one command run in-process."""
    with pytest.raises(SystemExit) as info:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    return int(info.value.code or 0), captured.out + captured.err


def tree(path: Path) -> dict[str, str]:
    """Every file under ``path`` and a hash of its bytes (the whole state a command must not touch)."""
    if path.is_file():
        return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()}
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The tiny scenario and its plan folder, solved once by the command line (no reports)."""
    root = tmp_path_factory.mktemp("out_rule")
    scenario = write_folder(root / "tiny")
    plan = root / "plan"
    with pytest.raises(SystemExit) as info:
        main(["solve", str(scenario), "--out", str(plan), "--no-report", "--quiet", "--lang", "en"])
    assert info.value.code in (0, None)
    return scenario, plan


@pytest.fixture
def work(solved: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh working folder (the current directory) holding ``tiny/`` and the plan ``v1/``."""
    shutil.copytree(solved[0], tmp_path / "tiny")
    shutil.copytree(solved[1], tmp_path / "v1")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def solve(out: str | Path, capsys: pytest.CaptureFixture[str], scenario: str | Path = "tiny") -> tuple[int, str]:
    return run("solve", scenario, "--out", out, "--no-report", "--quiet", "--lang", "en", capsys=capsys)


# ---- refusals: exit 2, the path named, nothing touched ------------------------------------------
@pytest.mark.parametrize(
    "out",
    [
        ".",  # the working folder
        "..",  # a folder above it
        "tiny",  # the scenario folder itself
        "tiny/plan",  # a folder inside the input
    ],
)
def test_issue14_solve_refuses_dot_and_the_input(work: Path, out: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(work)
    code, text = solve(out, capsys)
    assert code == 2, text
    assert f"cannot write to {out}" in text
    assert tree(work) == before


def test_issue14_solve_refuses_a_folder_that_holds_the_input(work: Path, capsys) -> None:
    (work / "school").mkdir()
    shutil.move(work / "tiny", work / "school" / "tiny")
    before = tree(work)
    code, text = solve("school", capsys, scenario="school/tiny")
    assert code == 2 and "cannot write to school" in text and "input" in text
    assert tree(work) == before


def test_issue14_solve_refuses_a_folder_of_other_documents(work: Path, capsys) -> None:
    docs = work / "office"
    docs.mkdir()
    (docs / "budget.xlsx").write_bytes(b"the office's own file")
    (docs / "notes.txt").write_text("keep me", encoding="utf-8")
    before = tree(docs)
    code, text = solve(docs, capsys)
    assert code == 2 and f"cannot write to {docs}" in text and "holds other files" in text
    assert tree(docs) == before and sorted(p.name for p in work.iterdir()) == ["office", "tiny", "v1"]


def test_issue14_solve_refuses_an_existing_file(work: Path, capsys) -> None:
    (work / "plan.txt").write_text("a file", encoding="utf-8")
    code, text = solve("plan.txt", capsys)
    assert code == 2 and "cannot write to plan.txt: it is a file" in text
    assert (work / "plan.txt").read_text(encoding="utf-8") == "a file"


def test_issue14_a_plan_another_version_names_as_parent_is_not_replaced(work: Path, capsys) -> None:
    shutil.copytree(work / "v1", work / "v2")
    meta = json.loads((work / "v2" / "plan.json").read_text("utf-8"))
    meta.update(version=2, parent_version=1, extra={**meta.get("extra", {}), "parent_relpath": "../v1"})
    (work / "v2" / "plan.json").write_text(json.dumps(meta), "utf-8")
    before = tree(work / "v1")
    code, text = solve("v1", capsys)
    assert code == 2, text
    assert "cannot replace the plan v1" in text and "v2" in text
    assert tree(work / "v1") == before
    assert not [p for p in work.iterdir() if ".replaced-" in p.name]


# ---- what may be written -------------------------------------------------------------------------
def test_issue14_an_earlier_plan_is_moved_aside_to_a_dated_sibling(work: Path, capsys) -> None:
    before = tree(work / "v1")
    code, text = solve("v1", capsys)
    assert code == 0, text
    aside = [p for p in work.iterdir() if p.name.startswith("v1.replaced-")]
    assert len(aside) == 1 and len(aside[0].name) == len("v1.replaced-YYYYMMDD-HHMMSS")
    assert tree(aside[0]) == before  # kept whole, never deleted
    assert str(aside[0].name) in text  # and the user is told where
    assert (work / "v1" / "plan.json").is_file()
    assert not [p for p in work.iterdir() if TEMP_TAG in p.name]


def test_issue14_an_empty_folder_is_written(work: Path, capsys) -> None:
    (work / "empty").mkdir()
    code, text = solve("empty", capsys)
    assert code == 0, text
    assert (work / "empty" / "groups.csv").is_file()
    assert sorted(p.name for p in work.iterdir()) == ["empty", "tiny", "v1"]


def test_issue14_resolve_never_writes_its_input(work: Path, capsys) -> None:
    changes = work / "changes.csv"
    changes.write_text("change_id,date,action,id,class_id\nX1,2026-10-12,join,S9,C1\n", encoding="utf-8")
    before = tree(work)
    for out in ("v1", "v1/v2", "."):
        code, text = run("resolve", "v1", "--changes", changes, "--out", out, "--lang", "en", capsys=capsys)
        assert code == 2 and f"cannot write to {out}" in text, text
    assert tree(work) == before


def test_issue14_report_regenerates_documents_and_never_touches_plan_data(work: Path, capsys) -> None:
    data = tree(work / "v1")
    code, text = run("report", "v1", "--lang", "en", capsys=capsys)
    assert code == 0, text
    again = tree(work / "v1")
    assert {k: v for k, v in again.items() if not k.startswith("report.")} == data
    assert "report.xlsx" in again and "report.html" in again
    assert not [p for p in (work / "v1").iterdir() if TEMP_TAG in p.name]


@pytest.mark.parametrize(
    "command",
    [
        ["template", "{file}"],  # an existing file
        ["template", "{folder}"],  # a folder where a new file should be
        ["generate", "{folder}", "--students", "20"],  # a folder of other documents
        ["generate", "{file}", "--students", "20"],  # an existing workbook
        ["generate-district", "{folder}", "--schools", "1", "--max-students", "200"],
        ["solve-district", "{district}", "--out", "{folder}"],  # a folder of other documents
        ["solve-district", "{district}", "--out", "{district}/out"],  # inside the input
    ],
)
def test_issue14_every_writing_command_refuses(work: Path, command: list[str], capsys) -> None:
    (work / "folder").mkdir()
    (work / "folder" / "notes.txt").write_text("keep me", encoding="utf-8")
    (work / "file.xlsx").write_bytes(b"the office's workbook")
    (work / "district").mkdir()
    shutil.copytree(work / "tiny", work / "district" / "s1")
    before = tree(work)
    names = {"file": "file.xlsx", "folder": "folder", "district": "district"}
    args = [a.format(**names) for a in command]
    code, text = run(*args, "--lang", "en", capsys=capsys)
    assert code == 2, text
    target = args[-1] if command[0] == "solve-district" else args[1]
    assert f"cannot write to {target}" in text
    assert tree(work) == before


# ---- item 11: leftovers of an interrupted write, and permissions ----------------------------------
def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def test_issue14_temporary_leftovers_of_a_killed_write_are_removed_on_the_next_run(work: Path, capsys) -> None:
    dead = work / f".v9.{TEMP_TAG}.{_host()}.{_dead_pid()}.0badf00d"
    shutil.copytree(work / "v1", dead)  # what a kill -9 during the final steps leaves
    (work / f".report.xlsx.{TEMP_TAG}.{_host()}.{_dead_pid()}.0badf00d.xlsx").write_bytes(b"half")
    live = work / f".v8.{TEMP_TAG}.{_host()}.{os.getpid()}.0123abcd"  # another write still running
    live.mkdir()
    mine = work / ".office-notes"  # a hidden folder of the user's: not ours
    mine.mkdir()
    code, text = solve("v2", capsys)
    assert code == 0, text
    names = sorted(p.name for p in work.iterdir())
    assert dead.name not in names and not any(n.startswith(".report.xlsx") for n in names)
    assert live.name in names and mine.name in names


@pytest.fixture
def umask_027() -> Iterator[None]:
    """The office's umask: group may read, others nothing."""
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_issue14_plan_folders_and_templates_get_the_users_umask(work: Path, umask_027: None, capsys) -> None:
    code, text = run("solve", "tiny", "--out", "v2", "--quiet", "--lang", "en", capsys=capsys)
    assert code == 0, text
    code, text = run("template", "t.xlsx", capsys=capsys)
    assert code == 0, text
    modes = {p: p.stat().st_mode & 0o777 for p in [work / "v2", *(work / "v2").rglob("*"), work / "t.xlsx"]}
    assert modes[work / "v2"] == 0o750 and modes[work / "v2" / "scenario"] == 0o750
    assert modes[work / "t.xlsx"] == 0o640 and modes[work / "v2" / "report.xlsx"] == 0o640
    assert {m for p, m in modes.items() if p.is_file()} == {0o640}
    assert {m for p, m in modes.items() if p.is_dir()} == {0o750}
