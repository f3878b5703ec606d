"""An empty scenario workbook: every sheet and header of FORMAT.md, one example row each.

Chinese sheet names, headers and cell words for ``zh``; English for ``en``. Columns with a
fixed vocabulary get an Excel drop-down (data validation). The example rows make a tiny
scenario that loads without errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cluster_planner.domain.entities import (
    ActivityKind,
    ActivityMode,
    ChangeAction,
    Priority,
    SlotKind,
    StaffKind,
    StudentStatus,
)
from cluster_planner.domain.school import Level, Season
from cluster_planner.domain.values import Day
from cluster_planner.io.headers import CHANGE_COLUMNS, FILES, SCHOOL, TABLE_KEYS, sheet_name
from cluster_planner.io.out_path import writing_file
from cluster_planner.io.school_keys import school_keys

LAST_ROW = 2000
"""Drop-downs cover data rows 2…LAST_ROW."""

# Words each language offers in drop-downs; every one is accepted by the models' parsers
# (the English ones are the models' own enum values).
CHOICES: dict[str, dict[str, list[str]]] = {
    "en": {
        "day": [d.value for d in Day],
        "slot_kind": [k.value for k in SlotKind],
        "activity_kind": [k.value for k in ActivityKind],
        "mode": [m.value for m in ActivityMode],
        "status": [st.value for st in StudentStatus],
        "priority": [p.value for p in Priority],
        "staff_kind": [k.value for k in StaffKind],
        "yes_no": ["yes", "no"],
        "action": [a.value for a in ChangeAction],
        "level": [lv.value for lv in Level],
        "season": [se.value for se in Season],
        "language": ["zh", "en"],
    },
    "zh": {
        "day": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
        "slot_kind": ["托管", "社团", "作业辅导", "早间", "午间", "晚自习"],
        "activity_kind": ["托管", "作业辅导", "社团", "阅读", "体育", "艺术", "科技", "劳动"],
        "mode": ["自选", "以班为单位"],
        "status": ["已核准", "待审核", "未通过", "已退出"],
        "priority": ["残疾", "留守", "随迁", "困难", "单亲"],
        "staff_kind": ["教师", "领导", "外聘", "志愿者", "保安"],
        "yes_no": ["是", "否"],
        "action": ["加入", "退出", "变更", "请假", "销假", "关闭", "开放"],
        "level": ["小学", "初中", "九年一贯制"],
        "season": ["夏季", "秋冬"],
        "language": ["zh", "en"],
    },
}

# (file, column) → vocabulary; lists that hold several words per cell allow free entry too.
DROP_DOWNS: dict[tuple[str, str], str] = {
    ("timeslots", "day"): "day",
    ("timeslots", "kind"): "slot_kind",
    ("students", "status"): "status",
    ("students", "priority"): "priority",
    ("students", "fee_exempt"): "yes_no",
    ("students", "days"): "day",
    ("activities", "kind"): "activity_kind",
    ("activities", "mode"): "mode",
    ("activities", "outdoor"): "yes_no",
    ("staff", "kind"): "staff_kind",
    ("staff", "background_check"): "yes_no",
    ("rooms", "outdoor"): "yes_no",
    ("duties", "day"): "day",
    ("duties", "kind"): "staff_kind",
    ("changes", "action"): "action",
    ("changes", "status"): "status",
    ("changes", "fee_exempt"): "yes_no",
}
MULTI_VALUED = frozenset({("students", "priority"), ("students", "days")})
SCHOOL_DROP_DOWNS = {"level": "level", "season": "season", "language": "language"}


def _examples(lang: str) -> dict[str, dict[str, Any]]:
    """One example row per table, in the words of ``lang``, consistent with each other."""
    zh = lang == "zh"
    w = CHOICES[lang]
    room_type = "教室" if zh else "classroom"
    return {
        "timeslots": {
            "slot_id": "Mon-1", "day": w["day"][0], "start": "16:00", "end": "17:00", "summer_start": "16:30",
            "summer_end": "17:30", "kind": w["slot_kind"][0], "periods": 1, "grades": "1-6",
        },
        "classes": {
            "class_id": "C1-1", "grade": "一年级" if zh else 1, "name": "一年级1班" if zh else "Class 1-1",
            "homeroom_teacher": "T001", "room_id": "R101",
        },
        "students": {
            "student_id": "S0001", "name": "张小明" if zh else "Zhang Xiaoming", "gender": "男" if zh else "M",
            "class_id": "C1-1", "status": w["status"][0], "days": " ".join(w["day"][:5]), "services": "",
            "choice1": "A-READ", "teacher_pref": "T001", "priority": w["priority"][1],
            "fee_exempt": w["yes_no"][1], "parent_name": "张大明" if zh else "Zhang Daming",
            "parent_phone": "13800000000",
        },
        "activities": {
            "activity_id": "A-READ", "name": "绘本阅读" if zh else "Picture-book reading",
            "kind": w["activity_kind"][3], "mode": w["mode"][0], "grades": "1-6", "slots": "Mon-1",
            "sessions_per_week": 1, "min_size": 5, "max_size": 40, "max_groups": 1,
            "skill": "阅读" if zh else "reading", "room_type": room_type, "outdoor": w["yes_no"][1], "fee": 0,
        },
        "staff": {
            "staff_id": "T001", "name": "李老师" if zh else "Teacher Li", "kind": w["staff_kind"][0],
            "skills": "语文 阅读" if zh else "chinese reading", "available": "", "max_periods_week": 10,
            "max_periods_day": 2, "background_check": w["yes_no"][0], "rate": "",
        },
        "rooms": {
            "room_id": "R101", "name": "一年级1班教室" if zh else "Room 101", "type": room_type, "capacity": 45,
            "outdoor": w["yes_no"][1], "available": "", "max_groups": 1,
        },
        "duties": {
            "day": w["day"][0], "slot_id": "Mon-1", "post": "门岗" if zh else "gate", "count": 1,
            "kind": w["staff_kind"][0], "periods": 1,
        },
        "locks": {"student_id": "S0001", "activity_id": "A-READ"},
        "changes": {
            "change_id": "CH001", "date": "2026-10-12", "until": "", "action": w["action"][0], "id": "S0002",
            "name": "王小红" if zh else "Wang Xiaohong", "class_id": "C1-1",
        },
    }  # fmt: skip


def _school_examples(lang: str) -> dict[str, Any]:
    return {
        "name": "示例小学" if lang == "zh" else "Example Primary School",
        "level": CHOICES[lang]["level"][0],
        "season": CHOICES[lang]["season"][1],
        "language": lang,
        "money.fee_per_term": 300,
        "money.fee_cap_term": 300,
    }


def _columns(key: str) -> list[str]:
    """The template's columns: every FORMAT.md column (changes: its own, then student columns)."""
    columns = list(FILES[key].columns)
    if key == "changes":
        columns = [*CHANGE_COLUMNS, *(c for c in columns if c not in CHANGE_COLUMNS and c != "student_id")]
    return columns


def _cell(value: Any) -> Any:
    """Numbers stay numbers; defaults such as frozenset() or None become blank cells."""
    if value is None or (isinstance(value, (set, frozenset, tuple, dict)) and not value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def _drop_down(sheet: Worksheet, words: list[str], cells: str, strict: bool = True) -> None:
    rule = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
    rule.showErrorMessage = strict
    rule.add(cells)
    sheet.add_data_validation(rule)


def _style_header(sheet: Worksheet, width: int) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    sheet.freeze_panes = "A2"


def _school_sheet(book: Workbook, lang: str) -> None:
    sheet = book.create_sheet(sheet_name(SCHOOL.key, lang))
    sheet.append([SCHOOL.header("key", lang), SCHOOL.header("value", lang)])
    examples = _school_examples(lang)
    for number, (key, default) in enumerate(school_keys(), start=2):
        sheet.append([key, _cell(examples.get(key, default))])
        if key in SCHOOL_DROP_DOWNS:
            _drop_down(sheet, CHOICES[lang][SCHOOL_DROP_DOWNS[key]], f"B{number}")
    _style_header(sheet, 2)
    sheet.column_dimensions["A"].width = 30


def build_template(lang: str = "zh") -> Workbook:
    """The template workbook in ``lang`` (``zh`` or ``en``)."""
    book = Workbook()
    book.remove(book.active)
    _school_sheet(book, lang)
    examples = _examples(lang)
    for key in TABLE_KEYS:
        spec = FILES[key]
        sheet = book.create_sheet(sheet_name(key, lang))
        columns = _columns(key)
        sheet.append([spec.header(c, lang) for c in columns])
        sheet.append([_cell(examples[key].get(c)) for c in columns])
        for index, column in enumerate(columns, start=1):
            vocabulary = DROP_DOWNS.get((key, column))
            if vocabulary:
                letter = get_column_letter(index)
                strict = (key, column) not in MULTI_VALUED
                _drop_down(sheet, CHOICES[lang][vocabulary], f"{letter}2:{letter}{LAST_ROW}", strict)
        _style_header(sheet, len(columns))
    return book


def write_template(path: str | Path, lang: str = "zh") -> Path:
    """Write the template atomically to a new file (never over an existing one: see ``io.out_path``)."""
    target = Path(path)
    with writing_file(target, lang=lang) as temp:
        build_template(lang).save(temp)
    return target
