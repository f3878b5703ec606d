"""Where a command may write: the one rule for every ``--out``, and the atomic writes that follow it.

The rule (issue 14; README "Where plans are written"):

- A command writes into a **new** path or an **empty** folder: nothing there is lost.
- An existing **plan folder** (``plan.json`` and ``groups.csv``) may be replaced by a new plan,
  unless another version names it as its parent. The versions looked at are the plan folders
  beside it (the other sub-folders of the same parent folder: where ``resolve --out`` puts
  versions). The replaced folder is moved aside to ``NAME.replaced-YYYYMMDD-HHMMSS``, never deleted.
- A ``solve-district`` output folder (only ``schools/`` and ``district.*``) may be written again;
  each school's plan folder in it follows the plan-folder rule.
- Anything else is a usage error naming the path (exit 2): a folder holding other files, an
  existing file, ``.``/``..`` (the working folder or a folder above it), and a path that is,
  holds or lies inside an input of the command. The input is never written.
- A plan folder's data files never change once written; derived documents (``report.*``) may be
  written again in it by :func:`write_derived`, atomically.

Everything is built under a temporary name beside its target (``.NAME.cp-tmp.HOST.PID.HEX``) and
moved into place in one step; temporary files of a process that no longer runs are removed by the
next write into the same folder. Files and folders get the user's umask (readable by the office's
group), never the private 0700/0600 of ``tempfile``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t

register(
    {
        "out.dot": (
            "不能写入 {path}：它是当前文件夹或其上级文件夹；请给出一个新的文件夹名",
            "cannot write to {path}: it is the working folder or a folder above it; give a new folder name",
        ),
        "out.input": (
            "不能写入 {path}：它与输入 {input} 重叠（相同、包含它或位于其中），输入永不改动；请换一个输出位置",
            "cannot write to {path}: it is, holds or lies inside the input {input}, which is never written; "
            "choose another output",
        ),
        "out.not_empty": (
            "不能写入 {path}：该文件夹已有其他文件（不是方案文件夹），为免覆盖，请给出新的或空的文件夹",
            "cannot write to {path}: the folder holds other files (it is not a plan folder); to lose nothing, "
            "give a new or empty folder",
        ),
        "out.file_exists": (
            "不能写入 {path}：文件已存在，为免覆盖，请给出新的文件名",
            "cannot write to {path}: the file exists; to lose nothing, give a new file name",
        ),
        "out.is_file": (
            "不能写入 {path}：这是一个文件，应为新的或空的文件夹",
            "cannot write to {path}: it is a file; expected a new or empty folder",
        ),
        "out.is_folder": (
            "不能写入 {path}：这是一个文件夹，应为新的文件名",
            "cannot write to {path}: it is a folder; expected a new file name",
        ),
        "out.parent": (
            "不能替换方案 {path}：方案 {child} 以它为上一版本；请给出新的文件夹",
            "cannot replace the plan {path}: the plan {child} names it as its earlier version; give a new folder",
        ),
        "out.data_file": (
            "{path} 是方案的数据文件，写入后不再改动",
            "{path} is a data file of the plan; it never changes once written",
        ),
        "out.replaced": (
            "原有方案已移至 {path}（未删除）",
            "the plan that was there was moved to {path} (not deleted)",
        ),
    }
)

TEMP_TAG = "cp-tmp"
_TEMP = re.compile(rf"^\..+\.{TEMP_TAG}\.(?P<host>[A-Za-z0-9-]+)\.(?P<pid>\d+)\.[0-9a-f]{{8}}(\.[A-Za-z0-9]+)?$")
FOREIGN_TEMP_AGE = 24 * 3600.0
"""Seconds after which a temporary file of another machine (a shared disk) counts as abandoned."""

PLAN_DATA = frozenset(
    {
        "groups.csv",
        "assignments.csv",
        "unplaced.csv",
        "staff_load.csv",
        "duty_roster.csv",
        "moves.csv",
        "plan.json",
        "scenario",
    }
)
"""A plan folder's data: written once with the folder, never again."""
DISTRICT_NAMES = frozenset({"schools", "district.xlsx", "district.html", "district.csv"})
"""What ``solve-district`` writes into its output folder."""


class Target(StrEnum):
    """What a command writes at its output path."""

    PLAN = "plan"  # a plan folder (solve, resolve, a school of solve-district)
    FOLDER = "folder"  # a new folder of another kind (generate, generate-district)
    FILE = "file"  # one new file (template, generate OUT.xlsx)
    DISTRICT = "district"  # the output folder of solve-district (written school by school)


class _Decision(StrEnum):
    NEW = "new"
    EMPTY = "empty"
    REPLACE = "replace"  # an existing plan folder, moved aside
    REUSE = "reuse"  # a solve-district output folder, written into


def _say(key: str, lang: str | None, **params: Any) -> str:
    if lang in ("zh", "en"):
        return t(key, lang, **params)
    return t(key, "zh", **params) + " / " + t(key, "en", **params)


def _overlaps(a: Path, b: Path) -> bool:
    return a == b or a in b.parents or b in a.parents


def _is_dot(path: Path) -> bool:
    if path.name in ("", ".", ".."):
        return True
    try:
        here = Path.cwd().resolve()
    except OSError:  # the working folder was removed
        return False
    return path.resolve() in (here, *here.parents)


def is_plan_folder(path: Path) -> bool:
    """A folder holding ``plan.json`` and ``groups.csv``."""
    return (path / "plan.json").is_file() and (path / "groups.csv").is_file()


def _child_naming(target: Path) -> Path | None:
    """A plan folder beside ``target`` whose plan.json names ``target`` as its parent version."""
    from cluster_planner.midterm.history import parent_in

    me = target.resolve()
    for sibling in sorted(target.parent.iterdir()):
        if sibling.name == target.name or not sibling.is_dir() or not (sibling / "plan.json").is_file():
            continue
        try:
            extra = json.loads((sibling / "plan.json").read_text("utf-8")).get("extra") or {}
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(extra, dict) and parent_in(sibling, extra) == me:
            return sibling
    return None


def _is_temp(name: str) -> bool:
    return _TEMP.match(name) is not None


def _decide(path: Path, kind: Target, inputs: Iterable[str | Path], lang: str | None) -> _Decision:
    """Apply the rule to ``path``; raise :class:`UsageError` naming it when writing there would lose something."""
    if _is_dot(path):
        raise UsageError(_say("out.dot", lang, path=path))
    for source in inputs:
        if _overlaps(path.resolve(), Path(source).resolve()):
            raise UsageError(_say("out.input", lang, path=path, input=source))
    if not path.exists() and not path.is_symlink():
        return _Decision.NEW
    if kind == Target.FILE:
        raise UsageError(_say("out.is_folder" if path.is_dir() else "out.file_exists", lang, path=path))
    if not path.is_dir():
        raise UsageError(_say("out.is_file", lang, path=path))
    names = {p.name for p in path.iterdir() if not _is_temp(p.name)}
    if not names:
        return _Decision.EMPTY
    if kind == Target.PLAN and is_plan_folder(path):
        child = _child_naming(path)
        if child is not None:
            raise UsageError(_say("out.parent", lang, path=path, child=child))
        return _Decision.REPLACE
    if kind == Target.DISTRICT and names <= DISTRICT_NAMES:
        return _Decision.REUSE
    raise UsageError(_say("out.not_empty", lang, path=path))


def check_out(path: str | Path, kind: Target, inputs: Iterable[str | Path] = (), lang: str | None = None) -> Path:
    """Raise :class:`UsageError` (exit 2) unless the rule lets a command write ``kind`` at ``path``.

    Commands call it before any long work, so a refusal comes at once; the writers below apply
    it again when they move the result into place.
    """
    _decide(Path(path), kind, inputs, lang)
    return Path(path)


# ---- temporary names and their cleaning ----------------------------------------------------
def _host() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def temp_path(target: Path) -> Path:
    """A fresh temporary name beside ``target`` (same folder, so the final move is one rename)."""
    suffix = target.suffix if re.fullmatch(r"\.[A-Za-z0-9]+", target.suffix) else ""
    return target.with_name(f".{target.name}.{TEMP_TAG}.{_host()}.{os.getpid()}.{uuid.uuid4().hex[:8]}{suffix}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but belongs to someone else
        return True
    return True


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove the temporary files and folders an interrupted write left in ``folder``; returns them.

    Only names this module makes are touched: those of a process of this machine that no longer
    runs, and those of another machine older than a day.
    """
    removed: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    host = _host()
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m is None:
            continue
        if m.group("host") == host:
            stale = not _alive(int(m.group("pid")))
        else:
            try:
                stale = time.time() - entry.lstat().st_mtime > FOREIGN_TEMP_AGE
            except OSError:
                continue
        if not stale:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


# ---- writers -------------------------------------------------------------------------------
_REPLACED: dict[Path, Path] = {}


def replaced_aside(path: str | Path) -> Path | None:
    """Where this process moved the plan that was at ``path`` (None if nothing was there)."""
    return _REPLACED.get(Path(path).resolve())


def replaced_message(path: str | Path, lang: str | None) -> str | None:
    """ "The plan that was there was moved to …", or None."""
    aside = replaced_aside(path)
    return _say("out.replaced", lang, path=aside) if aside else None


def _aside_name(target: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.name}.replaced-{stamp}")
    n = 2
    while aside.exists():
        aside = target.with_name(f"{target.name}.replaced-{stamp}-{n}")
        n += 1
    return aside


@contextmanager
def writing_folder(
    path: str | Path, kind: Target = Target.PLAN, inputs: Iterable[str | Path] = (), lang: str | None = None
) -> Iterator[Path]:
    """Yield a fresh temporary folder; on success it becomes ``path`` in one move (see the module rule).

    On any error or interruption the temporary folder is removed and ``path`` is as it was.
    """
    target = Path(path)
    inputs = tuple(inputs)
    _decide(target, kind, inputs, lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target.parent)
    tmp = temp_path(target)
    tmp.mkdir()  # the umask applies (tempfile.mkdtemp would make it 0700)
    try:
        yield tmp
        decision = _decide(target, kind, inputs, lang)
        if decision == _Decision.REPLACE:
            aside = _aside_name(target)
            os.rename(target, aside)
            try:
                os.rename(tmp, target)
            except BaseException:
                os.rename(aside, target)
                raise
            _REPLACED[target.resolve()] = aside
        else:  # new, or an empty folder (rename replaces an empty folder in one step)
            os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def writing_file(path: str | Path, inputs: Iterable[str | Path] = (), lang: str | None = None) -> Iterator[Path]:
    """Yield a temporary file name beside ``path``; on success it becomes ``path``, which must be new."""
    target = Path(path)
    inputs = tuple(inputs)
    _decide(target, Target.FILE, inputs, lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target.parent)
    tmp = temp_path(target)
    try:
        yield tmp
        _decide(target, Target.FILE, inputs, lang)
        try:
            os.link(tmp, target)  # never replaces a file that appeared meanwhile
        except FileExistsError:
            raise UsageError(_say("out.file_exists", lang, path=target)) from None
        except OSError:  # a file system without hard links
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_derived(folder: str | Path, name: str, write: Callable[[Path], object]) -> Path:
    """Write the derived document ``folder/name`` (a report) atomically: ``write(tmp)``, then one move.

    A plan's data files (:data:`PLAN_DATA`) are refused: they never change once written.
    """
    folder = Path(folder)
    if name in PLAN_DATA:
        raise UsageError(_say("out.data_file", None, path=folder / name))
    remove_stale_temps(folder)
    target = folder / name
    tmp = temp_path(target)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
