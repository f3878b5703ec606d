"""The school's entities as immutable pydantic models (data contract v1, FORMAT.md).

Each model checks its own fields; references between entities are checked by
:mod:`cluster_planner.domain.validation`. Raw cell text is parsed by the ``Before``
validators, so a loader can pass what it read and get back a finding per bad cell.
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from cluster_planner.domain.values import (
    Day,
    minutes,
    parse_bool,
    parse_date,
    parse_day,
    parse_grade,
    parse_grades,
    parse_time,
    split_list,
    try_parse_day,
)

StudentId = str
ClassId = str
ActivityId = str
StaffId = str
RoomId = str
SlotId = str


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _lower_text(value: Any) -> str:
    return _text(value).lower()


Text = Annotated[str, BeforeValidator(_text)]
Word = Annotated[str, BeforeValidator(_lower_text)]
DayValue = Annotated[Day, BeforeValidator(parse_day)]
Grade = Annotated[int, BeforeValidator(parse_grade)]
GradeSet = Annotated[frozenset[int], BeforeValidator(parse_grades)]
Tokens = Annotated[tuple[str, ...], BeforeValidator(split_list)]
YesNo = Annotated[bool, BeforeValidator(parse_bool)]
Clock = Annotated[time, BeforeValidator(parse_time)]
DateValue = Annotated[date, BeforeValidator(parse_date)]


def _lower_set(value: Any) -> frozenset[str]:
    return frozenset(t.lower() for t in split_list(value))


WordSet = Annotated[frozenset[str], BeforeValidator(_lower_set)]


def _days(value: Any) -> tuple[Day, ...]:
    return tuple(sorted({parse_day(t) for t in split_list(value)}, key=lambda d: d.index))


DayList = Annotated[tuple[Day, ...], BeforeValidator(_days)]


class Frozen(BaseModel):
    """Base of every entity: immutable, unknown keys kept in ``extra``."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    row: int = Field(default=0, description="Row in the source sheet as Excel shows it (0 = not from a file)")
    extra: dict[str, str] = Field(default_factory=dict, description="Unknown columns, kept and ignored")


class SlotKind(StrEnum):
    """Kinds of weekly slot (FORMAT.md timeslots.csv)."""

    CARE = "care"
    CLUB = "club"
    TUTORING = "tutoring"
    MORNING = "morning"
    NOON = "noon"
    EVENING_STUDY = "evening_study"


AFTERNOON_KINDS = frozenset({SlotKind.CARE, SlotKind.CLUB, SlotKind.TUTORING})


class Timeslot(Frozen):
    """One weekly slot, e.g. ``Tue-2``: a day, a clock time per season, a kind and pay credit."""

    slot_id: Text
    day: DayValue
    start: Clock
    end: Clock
    summer_start: Clock | None = None
    summer_end: Clock | None = None
    kind: SlotKind
    periods: float = Field(default=1.0, ge=0)
    grades: GradeSet = frozenset()

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return _KIND_WORDS.get(_lower_text(value), _lower_text(value))

    def serves(self, grade: int) -> bool:
        """True if students of ``grade`` use this slot."""
        return not self.grades or grade in self.grades

    def clock(self, season: str) -> tuple[time, time]:
        """Start and end in the season in force (H3)."""
        if season == "summer" and self.summer_start and self.summer_end:
            return self.summer_start, self.summer_end
        return self.start, self.end

    @property
    def length_minutes(self) -> int:
        """Length in minutes (autumn/winter clocks)."""
        return minutes(self.end) - minutes(self.start)


_KIND_WORDS = {
    "托管": "care",
    "看护": "care",
    "社团": "club",
    "作业辅导": "tutoring",
    "辅导": "tutoring",
    "早间": "morning",
    "早晨": "morning",
    "午间": "noon",
    "中午": "noon",
    "晚自习": "evening_study",
}


class HomeClass(Frozen):
    """A home class (行政班)."""

    class_id: Text
    grade: Grade
    name: Text = ""
    homeroom_teacher: Text | None = None
    room_id: Text | None = None


class StudentStatus(StrEnum):
    APPROVED = "approved"
    PENDING = "pending"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


_STATUS_WORDS = {
    "已核准": "approved",
    "核准": "approved",
    "通过": "approved",
    "批准": "approved",
    "已批准": "approved",
    "已通过": "approved",
    "审核通过": "approved",
    "同意": "approved",
    "录取": "approved",
    "已录取": "approved",
    "待审核": "pending",
    "审核中": "pending",
    "待审": "pending",
    "申请中": "pending",
    "待定": "pending",
    "未通过": "rejected",
    "拒绝": "rejected",
    "不通过": "rejected",
    "未批准": "rejected",
    "驳回": "rejected",
    "退出": "withdrawn",
    "取消": "withdrawn",
    "已取消": "withdrawn",
    "撤回": "withdrawn",
    "已退出": "withdrawn",
}


class Priority(StrEnum):
    """Priority groups served first when places are short (S2)."""

    DISABLED = "disabled"
    LEFT_BEHIND = "left_behind"
    MIGRANT = "migrant"
    LOW_INCOME = "low_income"
    SINGLE_PARENT = "single_parent"


_PRIORITY_WORDS = {
    "残疾": "disabled",
    "留守": "left_behind",
    "随迁": "migrant",
    "困难": "low_income",
    "单亲": "single_parent",
    "留守儿童": "left_behind",
    "随迁子女": "migrant",
    "残疾儿童": "disabled",
    "家庭困难": "low_income",
    "单亲家庭": "single_parent",
}


def _priorities(value: Any) -> frozenset[Priority]:
    return frozenset(Priority(_PRIORITY_WORDS.get(t, t.lower())) for t in split_list(value))


NUM_CHOICES = 5


class Student(Frozen):
    """An applicant; only ``approved`` students are planned (C2)."""

    student_id: Text
    name: Text = ""
    gender: Text = ""
    class_id: Text
    status: StudentStatus = StudentStatus.APPROVED
    days: DayList = ()
    services: Tokens = ()
    choice1: Text | None = None
    choice2: Text | None = None
    choice3: Text | None = None
    choice4: Text | None = None
    choice5: Text | None = None
    teacher_pref: Text | None = None
    priority: Annotated[frozenset[Priority], BeforeValidator(_priorities)] = frozenset()
    fee_exempt: YesNo | None = Field(
        default=None,
        description="M1: yes exempt, no pays; blank: a low_income student is exempt when [money] exempt_low_income",
    )
    parent_name: Text = ""
    parent_phone: Text = ""

    @field_validator("services", mode="after")
    @classmethod
    def _service_words(cls, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """Slot kinds may be written in Chinese (托管, 晚自习); slot ids pass unchanged."""
        return tuple(_KIND_WORDS.get(t, t) for t in tokens)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return _STATUS_WORDS.get(_text(value), _lower_text(value))

    @property
    def choices(self) -> tuple[tuple[int, ActivityId], ...]:
        """(rank, activity_id) for each filled choice column, best first."""
        cols = (self.choice1, self.choice2, self.choice3, self.choice4, self.choice5)
        return tuple((rank, a) for rank, a in enumerate(cols, start=1) if a)

    @property
    def is_priority(self) -> bool:
        """True for a student of a priority group (S2), grades aside."""
        return bool(self.priority)


class ActivityKind(StrEnum):
    CARE = "care"
    TUTORING = "tutoring"
    CLUB = "club"
    READING = "reading"
    SPORT = "sport"
    ART = "art"
    SCIENCE = "science"
    LABOUR = "labour"


_ACTIVITY_KIND_WORDS = {
    "托管": "care",
    "看护": "care",
    "作业辅导": "tutoring",
    "辅导": "tutoring",
    "社团": "club",
    "阅读": "reading",
    "体育": "sport",
    "艺术": "art",
    "科技": "science",
    "科学": "science",
    "劳动": "labour",
}


class ActivityMode(StrEnum):
    CHOICE = "choice"
    CLASS = "class"


class Activity(Frozen):
    """A menu item (服务菜单). ``slots`` lists slot ids or days it may meet on."""

    activity_id: Text
    name: Text = ""
    kind: ActivityKind = ActivityKind.CLUB
    mode: ActivityMode = ActivityMode.CHOICE
    grades: GradeSet = frozenset()
    slots: Tokens = ()
    sessions_per_week: int = Field(default=1, ge=1, le=14)
    min_size: int = Field(default=1, ge=0)
    max_size: int | None = Field(default=None, ge=1)
    max_groups: int = Field(default=1, ge=1)
    skill: WordSet = frozenset()
    room_type: WordSet = frozenset()
    outdoor: YesNo = False
    fee: float | None = Field(default=None, ge=0)
    org: Text = Field(default="", description="Organisation that runs it, if not the school (十严禁 7-9); optional")
    org_cleared: YesNo | None = Field(
        default=None, description="The organisation passed the school's review (yes/no; blank: not reviewed)"
    )

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        word = _text(value)
        return _ACTIVITY_KIND_WORDS.get(word, _ACTIVITY_KIND_WORDS.get(word.removesuffix("类"), _lower_text(value)))

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, value: Any) -> Any:
        return {
            "选择": "choice",
            "自选": "choice",
            "选课": "choice",
            "走班": "choice",
            "以班为单位": "class",
            "班级": "class",
        }.get(_text(value), _lower_text(value))

    def eligible(self, grade: int) -> bool:
        """True if students of ``grade`` may take it (blank grades = every grade)."""
        return not self.grades or grade in self.grades


class StaffKind(StrEnum):
    TEACHER = "teacher"
    LEADER = "leader"
    EXTERNAL = "external"
    VOLUNTEER = "volunteer"
    SECURITY = "security"


_STAFF_KIND_WORDS = {
    "教师": "teacher",
    "老师": "teacher",
    "领导": "leader",
    "校领导": "leader",
    "外聘": "external",
    "校外": "external",
    "志愿者": "volunteer",
    "保安": "security",
    "安保": "security",
    "行政": "leader",
    "外聘教师": "external",
    "校外教师": "external",
}


def _staff_kind(value: Any) -> Any:
    return _STAFF_KIND_WORDS.get(_text(value), _lower_text(value))


class Staff(Frozen):
    """A person who may lead groups or hold duty posts (T1–T6)."""

    staff_id: Text
    name: Text = ""
    kind: Annotated[StaffKind, BeforeValidator(_staff_kind)] = StaffKind.TEACHER
    skills: WordSet = frozenset()
    available: Tokens = ()
    max_periods_week: float | None = Field(default=None, ge=0)
    max_periods_day: float | None = Field(default=None, ge=0)
    background_check: YesNo | None = None
    rate: float | None = Field(default=None, ge=0)

    @property
    def cleared(self) -> bool:
        """Passed the background check (T2); the rule is the rule book's (:func:`rules.is_cleared`)."""
        from cluster_planner.rules.staff import is_cleared

        return is_cleared(self)


class Room(Frozen):
    """A room or field (R1). ``max_groups`` groups may share it, and its capacity, at once."""

    room_id: Text
    name: Text = ""
    type: Word = "classroom"
    capacity: int = Field(ge=0)
    outdoor: YesNo = False
    available: Tokens = ()
    max_groups: int = Field(default=1, ge=1)
    lent_to: Text = Field(default="", description="Who the room is lent to outside the service (十严禁 10); optional")


class DutyPost(Frozen):
    """A duty post (T6): ``count`` people of ``kind`` on ``day``, at ``slot_id`` or all day."""

    day: DayValue
    slot_id: Text | None = None
    post: Text
    count: int = Field(default=1, ge=0)
    kind: Annotated[StaffKind, BeforeValidator(_staff_kind)] = StaffKind.TEACHER
    periods: float = Field(default=0.0, ge=0)

    @property
    def duty_id(self) -> str:
        """A readable id: ``gate@Mon@Mon-1`` (or ``gate@Mon`` for an all-day post)."""
        return f"{self.post}@{self.day.value}" + (f"@{self.slot_id}" if self.slot_id else "")


class Lock(Frozen):
    """The office has promised ``student_id`` the activity ``activity_id``."""

    student_id: Text
    activity_id: Text


class ChangeAction(StrEnum):
    JOIN = "join"
    EXIT = "exit"
    CHANGE = "change"
    STAFF_LEAVE = "staff_leave"
    STAFF_RETURN = "staff_return"
    ROOM_CLOSED = "room_closed"
    ROOM_OPEN = "room_open"


_ACTION_WORDS = {
    "加入": "join",
    "参加": "join",
    "退出": "exit",
    "变更": "change",
    "请假": "staff_leave",
    "销假": "staff_return",
    "关闭": "room_closed",
    "开放": "room_open",
}


class Change(Frozen):
    """A mid-term change (changes.csv). Student columns carry the new data of a join/change."""

    change_id: Text | None = None
    date: DateValue
    until: DateValue | None = None
    action: ChangeAction
    id: Text
    student: dict[str, Any] = Field(default_factory=dict, description="students.csv columns given on this row")

    @field_validator("action", mode="before")
    @classmethod
    def _action(cls, value: Any) -> Any:
        return _ACTION_WORDS.get(_text(value), _lower_text(value))


def slot_tokens_match(tokens: tuple[str, ...], slot: Timeslot) -> bool:
    """True if a list of slot ids or days (``available``, ``slots``) includes ``slot``; blank = all."""
    if not tokens:
        return True
    return any(token == slot.slot_id or try_parse_day(token) == slot.day for token in tokens)
