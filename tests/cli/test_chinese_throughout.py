"""Issue 14 item 8: a Chinese school hears Chinese from every command.

Every command runs (in-process, through ``main``) on a small generated Chinese school whose menu,
duties and rooms make the solver, the checker and the explanation name skills, room types, duty
posts, kinds, days and statuses; what they print (stdout and stderr) must hold no English word.
Ids, file names, paths and numbers aside, and what FORMAT.md fixes in files (never printed here).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import click
import pytest

import cluster_planner as cp
from cluster_planner.cli import cli, main

CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
ALLOWED = {"JSON", "Schema", "CP", "SAT", "Ctrl"}  # Ctrl-C: the key as printed on it
"""Words a Chinese office reads as they are: the schema format's name and the solver's."""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run one command as ``cluster-planner ARGV``: exit code and everything printed."""
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def _append(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    with path.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in header})


def _ids(*folders: Path) -> set[str]:
    """Every id a scenario or plan under ``folders`` names (students, classes, menu, staff, rooms,
    slots, groups, school folders)."""
    out: set[str] = set()
    for folder in folders:
        for path in folder.rglob("*.csv"):
            with path.open(encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    for key, value in row.items():
                        if key and (key.endswith("_id") or key in ("id", "slots", "staff_ids", "class_ids")):
                            out.update((value or "").split())
        out.update(p.name for p in folder.rglob("*") if p.is_dir())
    return {i for i in out if i}


def english_words(text: str, ids: set[str], paths: list[Path]) -> list[str]:
    """Latin words in ``text`` once paths, file names and ids are taken out."""
    for p in sorted({str(p) for p in paths}, key=len, reverse=True):
        text = text.replace(p, " ")
    text = re.sub(r"(?<![\w.])(?:/[\w.\-\u4e00-\u9fff]+)+/?", " ", text)  # any other path
    text = re.sub(r"[\w.-]+\.(csv|xlsx|html|json|toml|log|pdf)\b", " ", text)
    text = re.sub(r"「[^」]*」列|值「[^」]*」", " ", text)  # a finding's column (a FORMAT header) and cell value
    for i in sorted(ids, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(i)}(?![\w-])", " ", text)
    return [w for w in WORD.findall(text) if w not in ALLOWED]


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated Chinese school of 40, plus an activity needing a skill nobody has (swimming), one needing a
    room type the school lacks, and a bus duty for more guards than it employs."""
    folder = tmp_path_factory.mktemp("zh") / "学校"
    assert main_ok(["generate", str(folder), "--students", "40", "--seed", "3"])
    _append(
        folder / "activities.csv",
        [
            {"activity_id": "SWIM", "name": "游泳", "kind": "sport", "grades": "1-6", "skill": "swimming"},
            {"activity_id": "DAN", "name": "舞蹈", "kind": "art", "grades": "1-6", "room_type": "dance"},
        ],
    )
    _append(folder / "duties.csv", [{"day": "Mon", "post": "bus", "count": "5", "kind": "security"}])
    assert cp.load(folder).school.language == "zh"
    return folder


def main_ok(argv: list[str]) -> bool:
    try:
        main(argv)
    except SystemExit as exc:
        return not exc.code
    return True


def test_every_command_speaks_chinese(
    school: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 8: validate, solve, check, report, menu, notices, explain, resolve, diff, history, staff-record, template,
    generate, schema, generate-district and solve-district print no English word for a Chinese school."""
    monkeypatch.setenv("COLUMNS", "250")  # tables wide enough that ids are not cut
    capsys.readouterr()
    p1, p2 = tmp_path / "方案1", tmp_path / "方案2"
    student = cp.load(school).approved_students[0]
    leaver = cp.load(school).approved_students[1].student_id
    changes = tmp_path / "changes.csv"
    changes.write_text(
        "change_id,date,until,action,id,name,class_id\n"
        f"J1,2026-10-12,,join,N1,新同学,{student.class_id}\n"
        f"X1,2026-10-12,,exit,{leaver},,\n",
        encoding="utf-8",
    )
    commands = [
        ("validate", str(school)),
        ("solve", str(school), "--out", str(p1), "--time-limit", "5"),
        ("check", str(school), str(p1)),
        ("report", str(p1)),
        ("menu", str(school), "--out", str(tmp_path / "菜单")),
        ("notices", str(p1), "--out", str(tmp_path / "告知书")),
        ("explain", str(school), "--time-limit", "5"),
        ("explain", str(p1), "--student", student.student_id),
        ("resolve", str(p1), "--changes", str(changes), "--out", str(p2), "--time-limit", "5"),
        ("resolve", str(p2), "--changes", str(changes), "--out", str(tmp_path / "never")),  # nothing new
        ("diff", str(p1), str(p2)),
        ("notices", str(p2), "--out", str(tmp_path / "变更告知书")),
        ("history", str(p2)),
        ("staff-record", str(p2), "--out", str(tmp_path / "服务记录")),
        ("template", str(tmp_path / "模板.xlsx")),
        ("generate", str(tmp_path / "另一所"), "--students", "20"),
        ("schema", str(tmp_path / "models")),
        ("generate-district", str(tmp_path / "区"), "--schools", "1", "--min-students", "20", "--max-students", "30"),
        (
            "solve-district",
            str(tmp_path / "区"),
            "--out",
            str(tmp_path / "区方案"),
            "--time-limit",
            "5",
            "--workers",
            "1",
            "--no-school-reports",
        ),
        ("money", str(p1), "--out", str(tmp_path / "收支公示")),  # issue 17 item 4
    ]
    printed = {}
    for argv in commands:
        code, text = _run(capsys, *argv)
        assert code in (0, 1, 2, 3), (argv, code, text)  # the bus duty is short: check 1, explain 3
        assert CJK.search(text), (argv, text)
        printed[argv] = text
    assert "没有新的变动" in printed[commands[9]]  # resolve's error, in Chinese
    ids = _ids(school, p1, p2, tmp_path / "区", tmp_path / "区方案") | {"N1"}
    for argv, text in printed.items():
        found = english_words(text, ids, [tmp_path, school, school.parent])
        assert not found, (argv[0], sorted(set(found)), text)


def test_help_of_every_command_is_bilingual(capsys: pytest.CaptureFixture[str]) -> None:
    """Item 8: ``--help`` of every command says what it and each option do in Chinese (beside the
    English), and click's own words are Chinese."""
    assert set(cli.commands) >= {"validate", "solve", "check", "report", "explain", "resolve", "diff", "history"}
    for name, command in [("", cli), *cli.commands.items()]:
        assert CJK.search(command.help or ""), name
        for param in command.params:
            if isinstance(param, click.Option):
                assert CJK.search(param.help or ""), (name, param.name)
        code, text = _run(capsys, *([name] if name else []), "--help")
        assert code == 0 and "用法" in text and "选项" in text, text
        assert "Usage" not in text and "Show this message" not in text and "Options" not in text, text


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["validate", "{zh}"], "内部错误"),  # the school's language: zh
        (["validate", "{en}"], "internal error"),  # an English school
        (["validate", "{zh}", "--lang", "en"], "internal error"),  # --lang wins
        (["validate", "{none}"], "内部错误"),  # no school named: Chinese
    ],
)
def test_internal_error_follows_the_school_language(
    school: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    said: str,
) -> None:
    """Item 8: "internal error" in --lang, else the language of the school named, else Chinese."""
    from scenario_files import write_folder

    import cluster_planner.cli.validate as validate

    def broken(path: Path) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(validate, "read_scenario", broken)
    paths = {"zh": str(school), "en": str(write_folder(tmp_path / "en")), "none": str(tmp_path / "nothing")}
    code, text = _run(capsys, *(a.format(**paths) for a in argv))
    assert code == 70 and said in text, text
