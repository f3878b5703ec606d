"""School settings as dotted keys (``rules.group_cap``), the form a workbook's ``school`` sheet uses."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from cluster_planner.domain.school import School
from cluster_planner.domain.values import is_blank
from cluster_planner.findings import Finding, Severity
from cluster_planner.i18n import register
from cluster_planner.io.table import RawSchool

register(
    {
        "finding.duplicate_key": ("设置项重复（第{first}行已有）", "setting given twice (already on row {first})"),
        "finding.key_conflict": (
            "设置项与「{other}」冲突：一个是分组，另一个是值",
            "setting clashes with '{other}': one is a section, the other a value",
        ),
        "expect.key_once": ("每项设置只写一次", "each setting once"),
        "expect.key_shape": (
            "「{other}」要么是一组设置，要么是一个值，不能两者都是",
            "'{other}' either as a section or as a value, not both",
        ),
    }
)


def nest_school_rows(display: str, pairs: list[tuple[int, str, str]]) -> tuple[RawSchool, list[Finding]]:
    """Nested settings from (row, dotted key, value) rows; blank values are left out (defaults)."""
    data: dict[str, Any] = {}
    rows: dict[str, int] = {}
    problems: list[Finding] = []
    for number, key, value in pairs:
        if key in rows:
            problems.append(
                Finding(
                    Severity.ERROR,
                    "finding.duplicate_key",
                    display,
                    number,
                    key,
                    value,
                    expected="expect.key_once",
                    params={"first": rows[key]},
                )
            )
            continue
        rows[key] = number
        if is_blank(value):
            continue
        *sections, leaf = [part.strip() for part in key.split(".")]
        node = data
        clash = None
        for depth, part in enumerate(sections):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                clash = ".".join(sections[: depth + 1])
                break
            node = child
        if clash is None and isinstance(node.get(leaf), dict):
            clash = key
        if clash is not None:
            problems.append(
                Finding(
                    Severity.ERROR,
                    "finding.key_conflict",
                    display,
                    number,
                    key,
                    value,
                    expected="expect.key_shape",
                    params={"other": clash},
                )
            )
            continue
        node[leaf] = value
    return RawSchool(display=display, data=data, rows=rows), problems


def school_keys() -> list[tuple[str, Any]]:
    """Every documented setting as (dotted key, default or None), in ``School`` field order."""
    keys: list[tuple[str, Any]] = []
    for name, info in School.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            for sub, sub_info in annotation.model_fields.items():
                default = None if sub_info.is_required() else sub_info.get_default(call_default_factory=True)
                keys.append((f"{name}.{sub}", default))
        else:
            keys.append((name, None if info.is_required() else info.get_default()))
    return keys
