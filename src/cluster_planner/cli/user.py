"""``cluster-planner user add|list|remove``: the accounts of the web app (``serve --data DIR``).

Accounts live in ``DIR/cluster-planner.sqlite`` beside the app's plans; a password is asked twice
without being shown (or read from standard input with ``--password-stdin``) and kept only as an
Argon2id hash (:mod:`cluster_planner.web.accounts`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cluster_planner.i18n import register, t

register(
    {
        "help.user": (
            "网页版的账户：添加、列出、删除（在 127.0.0.1 以外的地址提供服务时需要）",
            "Accounts of the web app: add, list, remove (needed to serve on any address but 127.0.0.1)",
        ),
        "help.user.short": ("网页版的账户", "Accounts of the web app"),
        "help.user.add": (
            "添加账户 NAME：office（教务处，可编辑）或 viewer（只读，电话隐去、无家长姓名）",
            "Add the account NAME: office (may edit) or viewer (read only; phones masked, no parent names)",
        ),
        "help.user.list": ("列出账户（名称、角色、添加时间；从不显示密码）", "List the accounts (never a password)"),
        "help.user.remove": (
            "删除账户 NAME；它已登录的会话随即失效",
            "Remove the account NAME; its open sessions end at once",
        ),
        "help.user.role": ("角色：office 或 viewer", "Role: office or viewer"),
        "help.user.data": (
            "网页版的数据文件夹（与 serve --data 相同）",
            "The web app's data folder (as serve --data)",
        ),
        "help.user.password_stdin": (
            "从标准输入读取密码（第一行；用于脚本）",
            "Read the password from standard input (its first line; for scripts)",
        ),
        "help.user.lang": ("显示语言", "Language of the messages"),
        "user.password": ("新账户的密码", "Password of the new account"),
        "user.password_again": ("再输入一次密码", "The password again"),
        "user.added": ("已添加账户「{name}」：{role}（{data}）", "Added the account '{name}': {role} ({data})"),
        "user.removed": ("已删除账户「{name}」（{data}）", "Removed the account '{name}' ({data})"),
        "user.none": (
            "{data} 还没有账户（cluster-planner user add NAME --role office 添加）",
            "{data} has no account yet (add one with cluster-planner user add NAME --role office)",
        ),
        "user.col.name": ("账户", "account"),
        "user.col.role": ("角色", "role"),
        "user.col.created": ("添加时间", "added"),
    }
)

DEFAULT_DATA = "cluster-planner-data"  # as ``serve --data``


def _both(key: str) -> str:
    return f"{t(key, 'zh')} / {t(key, 'en')}"


def _data_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--data",
        "data",
        default=DEFAULT_DATA,
        show_default=True,
        type=click.Path(path_type=Path, file_okay=False),
        help=_both("help.user.data"),
    )(f)


def _lang_option(f):  # type: ignore[no-untyped-def]
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help=_both("help.user.lang"))(f)


def _accounts(data: Path):  # type: ignore[no-untyped-def]
    from cluster_planner.web.accounts import Accounts
    from cluster_planner.web.store import Store

    return Accounts(Store(data.resolve()))


@click.group(name="user")
def command() -> None:
    """Accounts of the web app: add, list, remove (needed to serve on any address but 127.0.0.1)."""


@command.command(name="add", help=_both("help.user.add"))
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["office", "viewer"]), help=_both("help.user.role"))
@click.option("--password-stdin", is_flag=True, help=_both("help.user.password_stdin"))
@_data_option
@_lang_option
def add(name: str, role: str, password_stdin: bool, data: Path, lang: str) -> None:
    from cluster_planner.web.accounts import check_name

    name = check_name(name)  # refused before a password is asked for
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            t("user.password", lang), hide_input=True, confirmation_prompt=t("user.password_again", lang)
        )
    _accounts(data).add(name, role, password)
    click.echo(t("user.added", lang, name=name, role=t(f"accounts.role.{role}", lang), data=data.resolve()))


@command.command(name="list", help=_both("help.user.list"))
@_data_option
@_lang_option
def list_(data: Path, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    users = _accounts(data).all() if data.is_dir() else []
    if not users:
        click.echo(t("user.none", lang, data=data.resolve()))
        return
    table = Table()
    for key in ("name", "role", "created"):
        table.add_column(t(f"user.col.{key}", lang))
    for user in users:
        table.add_row(user.name, t(f"accounts.role.{user.role}", lang), user.created)
    Console(soft_wrap=True).print(table)


@command.command(name="remove", help=_both("help.user.remove"))
@click.argument("name")
@_data_option
@_lang_option
def remove(name: str, data: Path, lang: str) -> None:
    from cluster_planner.errors import UsageError

    if not data.is_dir():
        raise UsageError.said("accounts.unknown", name=name)
    _accounts(data).remove(name)
    click.echo(t("user.removed", lang, name=name, data=data.resolve()))
