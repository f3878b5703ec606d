"""Column headers and sheet names of the scenario files, English and Chinese (FORMAT.md).

Each scenario file has a :class:`FileSpec`: its canonical CSV name, the sheet names a
workbook may use, and per column the English name (the model's field) followed by its
Chinese aliases. Headers and sheet names match after stripping, case-folding, dropping
spaces/underscores/hyphens and any trailing note in brackets (``开始（HH:MM）``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STUDENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "student_id": ("学号", "学生编号", "学籍号"),
    "name": ("姓名", "学生姓名"),
    "gender": ("性别",),
    "class_id": ("班级编号", "班级", "班号"),
    "status": ("状态", "审核状态"),
    "days": ("服务日", "服务日期", "服务星期"),
    "services": ("服务项目", "服务"),
    **{
        f"choice{n}": (f"志愿{n}", f"志愿{zh}", f"第{zh}志愿", f"选择{n}")
        for n, zh in zip(range(1, 6), "一二三四五", strict=True)
    },
    "teacher_pref": ("意向教师", "意向老师"),
    "priority": ("优先类别", "优先"),
    "fee_exempt": ("减免", "费用减免", "是否减免"),
    "parent_name": ("家长姓名", "家长"),
    "parent_phone": ("联系电话", "家长电话", "电话", "手机"),
}


@dataclass(frozen=True)
class FileSpec:
    """One scenario file: where it is found and what its columns are called."""

    key: str
    csv_name: str
    sheet_zh: str
    required: bool
    columns: dict[str, tuple[str, ...]]
    sheet_variants: tuple[str, ...] = ()
    required_columns: tuple[str, ...] = ()
    """Columns the file must have (docs/format.md "required"): those without a default whose value
    decides the plan. A missing one is an error; any other missing column takes its default."""

    @property
    def sheet_names(self) -> tuple[str, ...]:
        """Every sheet (or file stem) name that means this file."""
        return (self.key, self.sheet_zh, *self.sheet_variants)

    def header(self, column: str, lang: str) -> str:
        """The header the template writes for ``column`` in ``lang``."""
        aliases = self.columns[column]
        return aliases[0] if lang == "zh" and aliases else column


SCHOOL = FileSpec(
    key="school",
    csv_name="school.toml",
    sheet_zh="学校",
    required=True,
    columns={"key": ("键", "项目", "设置"), "value": ("值", "取值", "数值")},
    sheet_variants=("学校设置", "设置", "settings"),
)

FILES: dict[str, FileSpec] = {
    spec.key: spec
    for spec in (
        SCHOOL,
        FileSpec(
            key="timeslots",
            csv_name="timeslots.csv",
            sheet_zh="时段",
            required=True,
            columns={
                "slot_id": ("时段编号", "时段", "编号"),
                "day": ("星期", "周几"),
                "start": ("开始", "开始时间", "起始时间"),
                "end": ("结束", "结束时间"),
                "summer_start": ("夏季开始", "夏季开始时间"),
                "summer_end": ("夏季结束", "夏季结束时间"),
                "kind": ("类型", "时段类型"),
                "periods": ("课时", "课时数"),
                "grades": ("适用年级", "年级"),
            },
            sheet_variants=("timeslot", "slots", "时段表"),
            required_columns=("slot_id", "day", "start", "end", "kind"),
        ),
        FileSpec(
            key="classes",
            csv_name="classes.csv",
            sheet_zh="班级",
            required=True,
            columns={
                "class_id": ("班级编号", "班级", "班号"),
                "grade": ("年级",),
                "name": ("班级名称", "班名", "名称"),
                "homeroom_teacher": ("班主任", "班主任工号"),
                "room_id": ("教室", "教室编号", "场地编号"),
            },
            sheet_variants=("class", "班级表"),
            required_columns=("class_id", "grade"),
        ),
        FileSpec(
            key="students",
            csv_name="students.csv",
            sheet_zh="学生",
            required=True,
            columns=_STUDENT_COLUMNS,
            sheet_variants=("student", "学生名单", "学生表"),
            required_columns=("student_id", "class_id", "status"),
        ),
        FileSpec(
            key="activities",
            csv_name="activities.csv",
            sheet_zh="活动",
            required=True,
            columns={
                "activity_id": ("活动编号", "编号"),
                "name": ("活动名称", "名称"),
                "kind": ("类型", "活动类型"),
                "mode": ("方式", "形式"),
                "grades": ("适用年级", "年级"),
                "slots": ("时段", "上课时段"),
                "sessions_per_week": ("每周次数", "周次数"),
                "min_size": ("最少人数", "最小人数"),
                "max_size": ("最多人数", "最大人数"),
                "max_groups": ("最多组数", "最大组数"),
                "skill": ("所需技能", "技能"),
                "room_type": ("场地类型",),
                "outdoor": ("室外",),
                "fee": ("费用", "收费"),
                "org": ("机构", "承办机构"),
                "org_cleared": ("机构审核", "机构审查"),
            },
            sheet_variants=("activity", "menu", "服务菜单", "活动表"),
            required_columns=("activity_id", "kind", "grades", "skill", "room_type"),
        ),
        FileSpec(
            key="staff",
            csv_name="staff.csv",
            sheet_zh="教职工",
            required=True,
            columns={
                "staff_id": ("工号", "教职工编号", "编号"),
                "name": ("姓名",),
                "kind": ("类别", "类型"),
                "skills": ("技能", "特长"),
                "available": ("可用时段",),
                "max_periods_week": ("周课时上限",),
                "max_periods_day": ("日课时上限",),
                "background_check": ("背景审查",),
                "rate": ("课时费",),
            },
            sheet_variants=("teachers", "教师", "师资"),
            required_columns=("staff_id", "kind", "skills"),
        ),
        FileSpec(
            key="rooms",
            csv_name="rooms.csv",
            sheet_zh="场地",
            required=True,
            columns={
                "room_id": ("场地编号", "编号", "教室编号"),
                "name": ("名称", "场地名称"),
                "type": ("类型", "场地类型"),
                "capacity": ("容量", "容纳人数"),
                "outdoor": ("室外",),
                "available": ("可用时段",),
                "max_groups": ("同时组数",),
                "lent_to": ("出借给", "外借"),
            },
            sheet_variants=("room", "场地表"),
            required_columns=("room_id", "type", "capacity", "outdoor"),
        ),
        FileSpec(
            key="duties",
            csv_name="duties.csv",
            sheet_zh="值班",
            required=False,
            columns={
                "day": ("星期", "周几"),
                "slot_id": ("时段编号", "时段"),
                "post": ("岗位",),
                "count": ("人数",),
                "kind": ("类别", "类型"),
                "periods": ("课时", "课时数"),
            },
            sheet_variants=("duty", "值班表", "值日"),
            required_columns=("day", "post", "kind"),
        ),
        FileSpec(
            key="locks",
            csv_name="locks.csv",
            sheet_zh="锁定",
            required=False,
            columns={"student_id": ("学号",), "activity_id": ("活动编号",)},
            sheet_variants=("lock",),
            required_columns=("student_id", "activity_id"),
        ),
        FileSpec(
            key="changes",
            csv_name="changes.csv",
            sheet_zh="变动",
            required=False,
            columns={
                "change_id": ("变动编号",),
                "date": ("日期", "生效日期"),
                "until": ("截止", "截止日期"),
                "action": ("变动", "变动类型"),
                "id": ("编号",),
                **{k: v for k, v in _STUDENT_COLUMNS.items() if k != "student_id"},
                "student_id": ("学号",),
            },
            sheet_variants=("change", "变动表"),
            required_columns=("date", "action", "id"),
        ),
    )
}

TABLE_KEYS: tuple[str, ...] = tuple(k for k in FILES if k != "school")
"""The tabular files, in the order a scenario lists them."""

CHANGE_COLUMNS = ("change_id", "date", "until", "action", "id")
"""Columns of changes.csv that belong to the change itself; the rest are student columns."""

_NOTE = re.compile(r"\s*[(（\[【].*?[)）\]】]\s*$")
_NOISE = re.compile(r"[\s_\-‐–—·.]+")


def normalise(text: str) -> str:
    """The matching form of a header or sheet name: case-folded, no spaces or separators."""
    return _NOISE.sub("", str(text).strip().casefold())


def _match_forms(text: str) -> tuple[str, ...]:
    """The header as written, then without a trailing bracketed note."""
    stripped = _NOTE.sub("", str(text).strip())
    forms = [normalise(text)]
    if stripped and normalise(stripped) not in forms:
        forms.append(normalise(stripped))
    return tuple(forms)


def canonical_column(spec: FileSpec, header: str) -> str | None:
    """The English column ``header`` means in ``spec``'s file, or None for an unknown column."""
    lookup = _column_lookup(spec.key)
    for form in _match_forms(header):
        if form in lookup:
            return lookup[form]
    return None


def _column_lookup(key: str) -> dict[str, str]:
    if key not in _LOOKUPS:
        spec = FILES[key]
        table: dict[str, str] = {}
        # English names first so that an alias never shadows a real column name.
        for column in spec.columns:
            table.setdefault(normalise(column), column)
        for column, aliases in spec.columns.items():
            for alias in aliases:
                table.setdefault(normalise(alias), column)
        _LOOKUPS[key] = table
    return _LOOKUPS[key]


_LOOKUPS: dict[str, dict[str, str]] = {}


def file_key_of(name: str) -> str | None:
    """The scenario file a sheet name or file stem means (``学生`` → ``students``), or None."""
    forms = _match_forms(re.sub(r"\.(csv|toml)$", "", str(name).strip(), flags=re.IGNORECASE))
    for spec in FILES.values():
        names = {normalise(n) for n in spec.sheet_names}
        if any(form in names for form in forms):
            return spec.key
    return None


def sheet_name(key: str, lang: str) -> str:
    """The sheet name the template gives file ``key`` in ``lang``."""
    spec = FILES[key]
    return spec.sheet_zh if lang == "zh" else spec.key
