"""Which language the command line speaks, and click's own words in it.

``--lang`` when given; else the school's language (school.toml ``language``) of the first scenario
or plan folder, or workbook, among the command's arguments; else Chinese. Click's words (usage,
options, defaults, its error messages) follow the same choice.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

LANGS = ("zh", "en")

_argv: tuple[str, ...] | None = None


def _normal(value: Any) -> str | None:
    text = str(value or "").strip().lower()
    if text.startswith(("zh", "中", "cn")):
        return "zh"
    if text.startswith(("en", "英")):
        return "en"
    return None


def _toml_language(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            return _normal(tomllib.load(fh).get("language"))
    except (OSError, ValueError):
        return None


def _workbook_language(path: Path) -> str | None:
    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            for name in ("school", "学校"):
                if name in wb.sheetnames:
                    for row in wb[name].iter_rows(values_only=True):
                        if row and str(row[0] or "").strip() in ("language", "语言") and len(row) > 1:
                            return _normal(row[1])
        finally:
            wb.close()
    except Exception:  # any unreadable workbook: no language from it
        return None
    return None


def school_language(path: str | Path) -> str | None:
    """The language of the school a scenario folder, plan folder or workbook belongs to (None: unknown)."""
    path = Path(path)
    if path.is_dir():
        for toml in (path / "school.toml", path / "scenario" / "school.toml"):
            if toml.is_file():
                return _toml_language(toml)
        return None
    if path.suffix.lower() == ".xlsx" and path.is_file():
        return _workbook_language(path)
    if path.name == "school.toml" and path.is_file():
        return _toml_language(path)
    return None


def argv_lang(argv: Sequence[str]) -> str:
    """``--lang X`` / ``--lang=X``; else the school's language of the first path argument that names
    one; else ``zh``."""
    args = list(argv)
    for k, arg in enumerate(args):
        if arg == "--lang" and k + 1 < len(args) and args[k + 1] in LANGS:
            return args[k + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGS:
            return arg.split("=", 1)[1]
    for arg in args[1:]:
        if arg.startswith("-"):
            continue
        found = school_language(arg)
        if found:
            return found
    return "zh"


def set_argv(argv: Sequence[str] | None) -> None:
    """The arguments the language is read from (``main`` calls it; default ``sys.argv``)."""
    global _argv
    _argv = tuple(argv) if argv is not None else None
    current.cache_clear()


@cache
def current() -> str:
    """The command line's language (read once from the arguments)."""
    return argv_lang(_argv if _argv is not None else sys.argv[1:])


# ---- click's words ------------------------------------------------------------------------------
CLICK_WORDS: dict[str, str] = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such option: {name}": "没有选项：{name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Aborted!": "已中止！",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数（{number_type}）。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合格式 {formats}。",
    "Error: The two entered values do not match.": "错误：两次输入的不一致。",
    "Repeat for confirmation": "再输入一次确认",
}


def _gettext(message: str) -> str:
    return CLICK_WORDS.get(message, message) if current() == "zh" else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install_click_words() -> None:
    """Make click speak the command line's language (its modules look their words up at run time)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types
    import click.utils

    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
        click.utils,
    ):
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
