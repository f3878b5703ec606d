"""Turn pydantic validation errors into findings that say what was expected, in zh or en."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from cluster_planner.domain.entities import Priority
from cluster_planner.findings import Finding, Severity
from cluster_planner.i18n import CATALOGUE, register

register(
    {
        "finding.bad_value": ("无法识别", "cannot be read"),
        "finding.missing_value": ("必填项为空", "is required but blank"),
        "expect.required": ("填写一个值（必填列）", "a value (this column is required)"),
        "expect.int": ("整数", "a whole number"),
        "expect.number": ("数字", "a number"),
        "expect.text": ("文字", "text"),
        "expect.text_max": ("不超过 {max} 个字的文字", "text of at most {max} characters"),
        "expect.ge": ("不小于 {ge} 的数", "a number of at least {ge}"),
        "expect.gt": ("大于 {gt} 的数", "a number above {gt}"),
        "expect.le": ("不大于 {le} 的数", "a number of at most {le}"),
        "expect.lt": ("小于 {lt} 的数", "a number below {lt}"),
        "expect.enum": ("以下之一：{options}", "one of {options}"),
        "expect.section": ("一组设置（如 [rules]）", "a section of settings (such as [rules])"),
        "expect.weekday": ("星期：Mon…Sun 或 周一…周日", "a weekday: Mon…Sun or 周一…周日"),
        "expect.grade": ("年级 1–9（或 一年级…九年级、初一…初三）", "a grade 1–9 (or 一年级…九年级, 初一…初三)"),
        "expect.grade_range": ("年级范围，如 3-6", "a grade range low-high such as 3-6"),
        "expect.yes_no": ("是/否（yes/no、true/false、1/0）", "yes or no (是/否, true/false, 1/0)"),
        "expect.clock": ("时刻 HH:MM，如 16:30", "a clock time HH:MM such as 16:30"),
        "expect.date": ("日期 YYYY-MM-DD，如 2026-09-01", "a date YYYY-MM-DD such as 2026-09-01"),
        "expect.real_date": ("真实存在的日期 YYYY-MM-DD", "a real calendar date YYYY-MM-DD"),
        "expect.language": ("zh 或 en", "zh or en"),
        "expect.term": ("学期结束日期不早于开始日期", "term_end must not be before term_start"),
    }
)

_BY_ENGLISH = {entry["en"]: key for key, entry in CATALOGUE.items() if key.startswith("expect.")}
_NOT_VALID_ENUM = re.compile(r"is not a valid (\w+)$")
_ENUMS = {"Priority": Priority}

_SIMPLE: dict[str, str] = {
    "missing": "expect.required",
    "int_parsing": "expect.int",
    "int_from_float": "expect.int",
    "int_type": "expect.int",
    "float_parsing": "expect.number",
    "float_type": "expect.number",
    "finite_number": "expect.number",
    "string_type": "expect.text",
    "model_type": "expect.section",
    "dict_type": "expect.section",
    "model_attributes_type": "expect.section",
}
_BOUNDS = {"greater_than_equal": "ge", "greater_than": "gt", "less_than_equal": "le", "less_than": "lt"}


def expected_of(error: ErrorDetails) -> tuple[str, dict[str, Any]]:
    """A catalogue key (or plain text) saying what a cell should hold, and its parameters."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _SIMPLE:
        return _SIMPLE[kind], {}
    if kind in _BOUNDS:
        bound = _BOUNDS[kind]
        return f"expect.{bound}", {bound: ctx.get(bound)}
    if kind == "string_too_long":
        return "expect.text_max", {"max": ctx.get("max_length")}
    if kind == "enum":
        return "expect.enum", {"options": ctx.get("expected", "")}
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", error["msg"]))
        if m := _NOT_VALID_ENUM.search(text):
            enum = _ENUMS.get(m.group(1))
            options = ", ".join(e.value for e in enum) if enum else ""
            return "expect.enum", {"options": options}
        return _BY_ENGLISH.get(text, text), {}
    return error["msg"], {}


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        return ""
    return "" if value is None else str(value)


def findings_of(
    exc: ValidationError,
    file: str,
    row: int | None,
    column_of: Callable[[tuple[str | int, ...]], str],
    row_of: Callable[[tuple[str | int, ...]], int | None] | None = None,
) -> list[Finding]:
    """One error finding per pydantic error; ``column_of`` names the column as the user wrote it."""
    findings = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        expected, params = expected_of(error)
        code = "finding.missing_value" if error["type"] == "missing" else "finding.bad_value"
        value = "" if error["type"] == "missing" else _cell(error.get("input"))
        findings.append(
            Finding(
                Severity.ERROR,
                code,
                file=file,
                row=row_of(loc) if row_of else row,
                column=column_of(loc),
                value=value,
                expected=expected,
                params=params,
            )
        )
    return findings
