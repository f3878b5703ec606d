"""Issue 16 item 3: ``cluster-planner user add|list|remove``, the web app's accounts.

The password is asked twice without being shown (or read from standard input); it is stored as an Argon2id
hash only, never in clear; names and roles are checked; nothing is replaced (an existing name is refused).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cluster_planner.cli import cli, main
from cluster_planner.web.accounts import Accounts
from cluster_planner.web.store import Store

PASSWORD = "correct-horse-battery"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _run(capsys: pytest.CaptureFixture[str], argv: list[str], stdin: str = "") -> tuple[int, str]:
    """``cluster-planner ARGV`` in process with ``stdin``: exit code and everything printed."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", io.StringIO(stdin))
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_issue16_user_add_stores_a_hash_never_the_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    code, said = _run(
        capsys, ["user", "add", "王老师", "--role", "office", "--password-stdin", "--data", str(data)], PASSWORD
    )
    assert code == 0 and "已添加账户「王老师」" in said and PASSWORD not in said
    for path in data.rglob("*"):  # the store, its write-ahead log, the session key: no password in any of them
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    with Store(data).connect() as db:
        stored = db.execute("SELECT password_hash FROM users WHERE name = '王老师'").fetchone()[0]
    assert stored.startswith("$argon2id$")
    accounts = Accounts(Store(data))
    assert accounts.check("王老师", PASSWORD).role == "office"
    assert accounts.check("王老师", PASSWORD + "x") is None and accounts.check("李老师", PASSWORD) is None


def test_issue16_user_add_asks_the_password_twice_hidden(tmp_path: Path) -> None:
    data = tmp_path / "data"
    argv = ["user", "add", "李老师", "--role", "viewer", "--data", str(data)]
    result = CliRunner().invoke(cli, argv, input=f"{PASSWORD}\nsomething-else\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "再输入一次密码" in result.output and "两次输入的不一致" in result.output  # asked again after a mismatch
    assert PASSWORD not in result.output  # never echoed
    assert Accounts(Store(data)).check("李老师", PASSWORD).role == "viewer"


def test_issue16_user_list_and_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    assert _run(capsys, ["user", "list", "--data", data])[1].startswith(f"{Path(data).resolve()} 还没有账户")
    for name, role in (("王老师", "office"), ("李老师", "viewer")):
        assert _run(capsys, ["user", "add", name, "--role", role, "--password-stdin", "--data", data], PASSWORD)[0] == 0
    code, listed = _run(capsys, ["user", "list", "--data", data])
    assert code == 0 and "王老师" in listed and "教务处（可编辑）" in listed and "查看（只读" in listed
    assert "argon2" not in listed
    code, said = _run(capsys, ["user", "remove", "李老师", "--data", data])
    assert code == 0 and "已删除账户「李老师」" in said
    assert [u.name for u in Accounts(Store(Path(data))).all()] == ["王老师"]


@pytest.mark.parametrize(
    ("argv", "stdin", "said"),
    [
        (["add", "王老师", "--role", "office", "--password-stdin"], PASSWORD, "已存在"),  # nothing is replaced
        (["add", "张 老师", "--role", "office", "--password-stdin"], PASSWORD, "不含空格"),  # a space in the name
        (["add", "张老师", "--role", "office", "--password-stdin"], "short", "至少 8 个字符"),  # a short password
        (["add", "张老师", "--role", "admin", "--password-stdin"], PASSWORD, "admin"),  # no such role
        (["remove", "无此人"], "", "没有名为「无此人」的账户"),  # removing an unknown account
    ],
)
def test_issue16_user_bad_input_is_exit_2_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], stdin: str, said: str
) -> None:
    data = str(tmp_path / "data")
    assert (
        _run(capsys, ["user", "add", "王老师", "--role", "office", "--password-stdin", "--data", data], PASSWORD)[0]
        == 0
    )
    with Store(Path(data)).connect() as db:
        before = db.execute("SELECT * FROM users").fetchall()
    code, text = _run(capsys, ["user", *argv, "--data", data], stdin)
    assert code == 2 and said in text and "Traceback" not in text, text
    with Store(Path(data)).connect() as db:
        assert db.execute("SELECT * FROM users").fetchall() == before


def test_issue16_user_help_is_bilingual(capsys: pytest.CaptureFixture[str]) -> None:
    group = cli.commands["user"]
    assert isinstance(group, click.Group)
    for name, command in group.commands.items():
        assert CJK.search(command.help or ""), name
        for param in command.params:
            if isinstance(param, click.Option):
                assert CJK.search(param.help or ""), (name, param.name)
        code, text = _run(capsys, ["user", name, "--help"])
        assert code == 0 and "用法" in text and "Usage" not in text, text
