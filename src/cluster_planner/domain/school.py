"""``school.toml``: the school, its rules, money, pay and suggestion costs (FORMAT.md)."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from cluster_planner.domain.entities import Clock, DateValue, GradeSet, YesNo
from cluster_planner.domain.values import parse_date, split_list

TERM_WEEKS = 16


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")


class Rules(_Section):
    """``[rules]``: the numbers behind G1–G4, T4, S5, H1–H2, S2 and S6."""

    merge_threshold: int = Field(default=40, ge=1, description="G1: a class with this many forms its own group")
    group_cap: int = Field(default=45, ge=1, description="G4: no group is larger (hard)")
    group_target: int = Field(default=40, ge=1, description="G4: preferred group size (soft)")
    max_grade_span: int = Field(default=1, ge=0, description="G3: how far apart merged grades may be")
    ratio: int = Field(default=50, ge=1, description="T4: students per adult")
    activities_per_student: int = Field(default=1, ge=0, description="chosen activities a student may get a week")
    max_tutoring_per_day: int = Field(default=1, ge=0, description="S5: tutoring meetings per student per day")
    latest_end_primary: Clock = Field(default="18:00", validate_default=True)
    latest_end_junior: Clock = Field(default="18:30", validate_default=True)
    evening_latest_end: Clock = Field(default="20:30", validate_default=True)
    evening_max_hours: float = Field(default=2.0, gt=0)
    earliest_end: Clock | None = None
    min_daily_hours: float | None = Field(default=None, ge=0)
    max_daily_hours: float | None = Field(default=None, ge=0)
    priority_grades: GradeSet = frozenset()
    seed: int = 0


class Money(_Section):
    """``[money]``: fees, caps, exemption and subsidy (M1–M2), and other costs of the term (收支公示)."""

    fee_per_term: float | None = Field(default=None, ge=0)
    fee_per_day: float | None = Field(default=None, ge=0)
    fee_cap_term: float | None = Field(default=None, ge=0)
    fee_cap_day: float | None = Field(default=None, ge=0, description="M1: the approved cap per service day")
    subsidy_per_student_year: float | None = Field(default=None, ge=0)
    exempt_low_income: YesNo = Field(
        default=True, description="M1: a low_income student pays nothing unless their fee_exempt says no"
    )
    other_costs: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict, description="costs of the term besides pay, by name (yuan), for the 收支公示"
    )


class Pay(_Section):
    """``[pay]``: yuan per period by staff kind (M3); a staff row's ``rate`` overrides."""

    teacher: float = Field(default=40.0, ge=0)
    leader: float = Field(default=40.0, ge=0)
    external: float = Field(default=60.0, ge=0)
    volunteer: float = Field(default=0.0, ge=0)
    security: float = Field(default=30.0, ge=0)
    afternoon_period_cap: float | None = Field(default=None, ge=0)


class Suggest(_Section):
    """``[suggest]``: costs used by ``explain --suggest``."""

    extra_room: float = Field(default=500.0, ge=0)
    raise_cap: float = Field(default=300.0, ge=0)
    extra_group: float = Field(default=800.0, ge=0)


NOTICE_TEXT_MAX = 200
"""The longest ``[notice]`` text: one line or two on a family's printed page."""


def _notice_text(value: Any) -> Any:
    """A ``[notice]`` text: a number (a phone written without quotes) becomes its text; blank is none."""
    if isinstance(value, bool):
        return value  # rejected below: a yes/no is no place or phone
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


NoticeText = Annotated[
    Annotated[str, StringConstraints(max_length=NOTICE_TEXT_MAX)] | None, BeforeValidator(_notice_text)
]


class Notice(_Section):
    """``[notice]`` (optional): what family notices say besides the plan; a notice leaves out what is not given."""

    contact: NoticeText = Field(default=None, description="the office's name and phone")
    pickup_place: NoticeText = Field(default=None, description="where families collect their children")
    pickup_note: NoticeText = Field(default=None, description="a line about pick-up (times, gate, ID card)")


class Level(StrEnum):
    PRIMARY = "primary"
    JUNIOR = "junior"
    NINE_YEAR = "nine_year"


class Season(StrEnum):
    SUMMER = "summer"
    AUTUMN_WINTER = "autumn_winter"


def _dates(value: Any) -> tuple[date, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(parse_date(v) for v in value)
    return tuple(parse_date(v) for v in split_list(value))


def _default_term_start() -> date:
    """The first Monday on or after 1 September of the current year."""
    first = date(date.today().year, 9, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


class School(BaseModel):
    """The school and its settings, as ``school.toml`` gives them."""

    model_config = ConfigDict(frozen=True, extra="allow")

    name: str = ""
    level: Level = Level.PRIMARY
    season: Season = Season.AUTUMN_WINTER
    season_switch: DateValue | None = None
    language: str = "zh"
    term_start: DateValue | None = None
    term_end: DateValue | None = None
    holidays: Annotated[tuple[date, ...], BeforeValidator(_dates)] = ()
    rules: Rules = Field(default_factory=Rules)
    money: Money = Field(default_factory=Money)
    pay: Pay = Field(default_factory=Pay)
    suggest: Suggest = Field(default_factory=Suggest)
    notice: Notice = Field(default_factory=Notice)

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        return {"小学": "primary", "初中": "junior", "九年一贯制": "nine_year"}.get(str(value).strip(), value)

    @field_validator("season", mode="before")
    @classmethod
    def _season(cls, value: Any) -> Any:
        return {"夏季": "summer", "夏秋": "summer", "秋冬": "autumn_winter", "冬季": "autumn_winter"}.get(
            str(value).strip(), value
        )

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: Any) -> Any:
        word = str(value).strip().lower()
        if word in ("zh", "中文", "cn", "zh-cn"):
            return "zh"
        if word in ("en", "english", "英文"):
            return "en"
        raise ValueError("zh or en")

    @model_validator(mode="after")
    def _term(self) -> School:
        start = self.term_start or (
            self.term_end - timedelta(weeks=TERM_WEEKS) + timedelta(days=1) if self.term_end else _default_term_start()
        )
        end = self.term_end or start + timedelta(weeks=TERM_WEEKS) - timedelta(days=1)
        if end < start:
            raise ValueError("term_end must not be before term_start")
        object.__setattr__(self, "term_start", start)
        object.__setattr__(self, "term_end", end)
        return self

    def season_on(self, day: date) -> str:
        """The season whose clock times are in force on ``day`` (H3)."""
        if self.season_switch and day >= self.season_switch:
            return Season.AUTUMN_WINTER.value if self.season == Season.SUMMER else Season.SUMMER.value
        return self.season.value

    def service_dates(self) -> list[date]:
        """Every date of the term that is not a holiday (weekdays are filtered by slots)."""
        holidays = set(self.holidays)
        assert self.term_start and self.term_end
        span = (self.term_end - self.term_start).days + 1
        return [d for d in (self.term_start + timedelta(days=i) for i in range(span)) if d not in holidays]
