"""Documents the office publishes (issue 17): pages rendered from Jinja2 templates that print on A4,
and an xlsx beside them, written together into one new output folder.

The templates are in ``report/templates/``; every value is escaped (autoescape). The workbook is
written by the report's own :class:`~cluster_planner.report.xlsx.WorkbookWriter` (inert text,
A4 page set-up). :func:`write_documents` builds everything in a temporary folder and moves it into
place in one step, under the one rule of :mod:`cluster_planner.io.out_path`: a new or empty
folder, never one holding the user's files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import xlsxwriter
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from cluster_planner.i18n import t
from cluster_planner.io.out_path import Target, writing_folder
from cluster_planner.report.xlsx import WORKBOOK_OPTIONS, WorkbookWriter


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("cluster_planner.report", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = cell_text
    env.filters["days_lines"] = days_lines
    return env


def cell_text(value: Any) -> str:
    """A table cell as text: whole numbers without ``.0``, blanks empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def days_lines(text: str) -> str:
    """Change words (:mod:`cluster_planner.plan.notice_words`) with each day on its own line."""
    return "\n".join(part.strip() for part in re.split(r"[；;]\s*", str(text)) if part.strip())


def render(template: str, lang: str, **context: Any) -> str:
    """The page ``template`` rendered with ``context``; ``t`` and ``lang`` are always there."""

    def words(key: str, /, **params: Any) -> str:
        return t(key, lang, **params)

    html_lang = "zh-CN" if lang == "zh" else "en"
    return _environment().get_template(template).render(t=words, lang=lang, html_lang=html_lang, **context)


def write_workbook(path: Path, lang: str, fill: Callable[[WorkbookWriter], None]) -> Path:
    """An xlsx at ``path`` whose sheets ``fill`` adds with the report's workbook writer."""
    with xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS) as wb:
        fill(WorkbookWriter(wb, lang))
    return path


def write_documents(
    out: str | Path,
    files: dict[str, Callable[[Path], object]],
    inputs: Iterable[str | Path] = (),
    lang: str | None = None,
) -> list[Path]:
    """Write each ``name: writer(path)`` of ``files`` into the new folder ``out``, atomically.

    ``out`` must be new or empty and must not overlap an input; otherwise a ``UsageError`` names it
    (exit 2) and nothing is written. Returns the paths of the files, as they are once in place.
    """
    target = Path(out)
    with writing_folder(target, Target.FOLDER, inputs, lang) as tmp:
        for name, writer in files.items():
            writer(tmp / name)
    return [target / name for name in files]


def write_page_and_workbook(
    out: str | Path,
    name: str,
    page: str,
    workbook: Callable[[Path], object],
    inputs: Iterable[str | Path] = (),
    lang: str | None = None,
) -> list[Path]:
    """Write ``{name}.html`` (``page``, prints on A4) and ``{name}.xlsx`` (``workbook(path)``) into
    the new folder ``out`` atomically (:func:`write_documents`: never over the user's files)."""
    files = {f"{name}.html": lambda p: p.write_text(page, encoding="utf-8"), f"{name}.xlsx": workbook}
    return write_documents(out, files, inputs, lang)


def default_out(source: str | Path, command: str) -> Path:
    """``scenarios/demo-small`` → ``scenarios/demo-small-menu``: beside the input, named after it and the command."""
    source = Path(source)
    if source.name in ("", ".", ".."):
        source = source.resolve()
    name = source.stem if source.is_file() else source.name
    return source.parent / f"{name}-{command}"
