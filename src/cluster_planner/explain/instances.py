"""Rule instances an explanation may name: a catalogue code, its parameters, its words.

Each :class:`Rule` is one hard rule applied to one entity ("room R01 holds one group at a
time", "E01 has not passed the background check"). The feasibility model gives each one
an assumption literal; a conflict is a set of rules, printed in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from cluster_planner.domain import Activity, Room, Scenario, Staff
from cluster_planner.i18n import register, t
from cluster_planner.rules import sentence
from cluster_planner.vocabulary import coded_params

register(
    {
        "explain.rule.placed": (
            "{slot}：{grades}年级需要安排的 {count} 名学生每人都有去处（S1）",
            "{slot}: each of the {count} students of grades {grades} who need a place there gets one (S1)",
        ),
        "explain.rule.priority": (
            "{slot}：{grades}年级的 {count} 名优先学生每人都有去处（S2）",
            "{slot}: each of the {count} priority students of grades {grades} gets a place (S2)",
        ),
        "explain.rule.care_cap": (
            "托管「{activity}」每组最多 {cap} 人（G4）",
            "a care group of {activity} holds at most {cap} students (G4)",
        ),
        "explain.rule.group_cap": (
            "「{activity}」每组最多 {cap} 人（G4）",
            "a group of {activity} holds at most {cap} students (G4)",
        ),
        "explain.rule.min_size": (
            "「{activity}」至少 {min} 人才开组（G5）",
            "{activity} opens a group only with at least {min} students (G5)",
        ),
        "explain.rule.max_groups": (
            "「{activity}」最多开 {n} 个组（G5）",
            "{activity} runs at most {n} group(s) (G5)",
        ),
        "explain.rule.class_activity": (
            "「{activity}」以班为单位：{n} 个班级都要参加",
            "{activity} is a class activity: all {n} eligible classes attend",
        ),
        "explain.rule.id": ("（{rule}）", " ({rule})"),
        "explain.rule.cleared": (
            "{staff}（{kind}，可带 {activities}）未通过背景审查，不得带组或值班（T2）",
            "{staff} ({kind}, qualified for {activities}) has not passed the background check: no group, no duty (T2)",
        ),
        "explain.rule.week_limit": (
            "{staff} 每周最多 {n} 课时（T5）",
            "{staff} works at most {n} periods a week (T5)",
        ),
        "explain.rule.day_limit": (
            "{staff} 每天最多 {n} 课时（T5）",
            "{staff} works at most {n} periods a day (T5)",
        ),
        "explain.rule.week_limit_pool": (
            "{staff} 每人每周最多 {n} 课时（T5）",
            "{staff} each work at most {n} periods a week (T5)",
        ),
        "explain.rule.day_limit_pool": (
            "{staff} 每人每天最多 {n} 课时（T5）",
            "{staff} each work at most {n} periods a day (T5)",
        ),
        "explain.rule.room_pool": (
            "场地 {room}（{type}）每间同时最多容纳 {groups} 个组、{seats} 人（R1）",
            "rooms {room} ({type}) each hold at most {groups} group(s) and {seats} students at once (R1)",
        ),
        "explain.rule.room": (
            "场地 {room}（{type}）同时最多容纳 {groups} 个组、{seats} 人（R1）",
            "room {room} ({type}) holds at most {groups} group(s) and {seats} students at once (R1)",
        ),
        "explain.rule.rain": (
            "{slot}：每个室外组都要预留一间室内雨天场地（R2）",
            "{slot}: every outdoor group keeps an indoor room for rain (R2)",
        ),
        "explain.rule.duty": (
            "值班岗位 {post}（{day}{at}）需要 {count} 名{kind}（T6）",
            "duty post {post} ({day}{at}) needs {count} {kind} (T6)",
        ),
        "explain.rule.lock": (
            "已承诺 {n} 名学生参加「{activity}」（锁定：{students}）",
            "{n} student(s) are promised {activity} (locks: {students})",
        ),
        "explain.rule.qualified": (
            "「{activity}」须由具备 {skills} 技能的教师带组，通过审查的有 {n} 人（T3）",
            "{activity} needs an adult with skill {skills}; {n} cleared adult(s) have it (T3)",
        ),
        "explain.kind.teacher": ("教师", "teacher"),
        "explain.kind.leader": ("校领导", "leader"),
        "explain.kind.external": ("外聘人员", "external"),
        "explain.kind.volunteer": ("志愿者", "volunteer"),
        "explain.kind.security": ("保安", "security"),
        "explain.none": ("无", "none"),
    }
)


class Family(IntEnum):
    """Rule families in the order a deletion filter tries to drop them (first = least telling).

    Each is one rule of DOMAIN.md (:data:`RULE_IDS`) applied to one entity; the model's
    ``_add_<rule>`` method of that rule gives its instances their literals.
    """

    PLACED = 0
    CARE_CAP = 1
    GROUP_CAP = 2
    RATIO = 3
    ROOM = 4
    WEEK_LIMIT = 5
    DAY_LIMIT = 6
    MIN_SIZE = 7
    MAX_GROUPS = 8
    RAIN = 9
    CLASS_ACTIVITY = 10
    DUTY = 11
    LOCK = 12
    PRIORITY = 13
    QUALIFIED = 14
    CLEARED = 15


CODES = {
    Family.PLACED: "explain.rule.placed",
    Family.PRIORITY: "explain.rule.priority",
    Family.CARE_CAP: "explain.rule.care_cap",
    Family.GROUP_CAP: "explain.rule.group_cap",
    Family.MIN_SIZE: "explain.rule.min_size",
    Family.MAX_GROUPS: "explain.rule.max_groups",
    Family.CLASS_ACTIVITY: "explain.rule.class_activity",
    Family.RATIO: "rule.T4",  # the rule book's own sentence
    Family.CLEARED: "explain.rule.cleared",
    Family.WEEK_LIMIT: "explain.rule.week_limit",
    Family.DAY_LIMIT: "explain.rule.day_limit",
    Family.ROOM: "explain.rule.room",
    Family.RAIN: "explain.rule.rain",
    Family.DUTY: "explain.rule.duty",
    Family.LOCK: "explain.rule.lock",
    Family.QUALIFIED: "explain.rule.qualified",
}


#: The DOMAIN.md rule of each family ("": the office's own promises, class activities and locks).
RULE_IDS = {
    Family.PLACED: "S1",
    Family.PRIORITY: "S2",
    Family.CARE_CAP: "G4",
    Family.GROUP_CAP: "G4",
    Family.MIN_SIZE: "G5",
    Family.MAX_GROUPS: "G5",
    Family.CLASS_ACTIVITY: "",
    Family.RATIO: "T4",
    Family.CLEARED: "T2",
    Family.WEEK_LIMIT: "T5",
    Family.DAY_LIMIT: "T5",
    Family.ROOM: "R1",
    Family.RAIN: "R2",
    Family.DUTY: "T6",
    Family.LOCK: "",
    Family.QUALIFIED: "T3",
}


@dataclass(frozen=True)
class Rule:
    """One rule instance: its family, the entity it binds (``subject``) and its words' parameters."""

    family: Family
    subject: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def code(self) -> str:
        """The catalogue key; a rule over a pool of alike rooms or adults has its own wording."""
        return CODES[self.family] + ("_pool" if dict(self.params).get("pool") else "")

    @property
    def rule_id(self) -> str:
        """The DOMAIN.md rule this instance applies ("" for the office's promises)."""
        return RULE_IDS[self.family]

    def render(self, lang: str = "en") -> str:
        """The rule as one sentence; parameters that are catalogue keys are translated."""
        params = {k: t(v, lang) if isinstance(v, str) and v.startswith("explain.") else v for k, v in self.params}
        params = coded_params(params, lang)
        if self.code.startswith("rule."):  # the rule book's sentence, with the rule's id
            return sentence(self.rule_id, lang, **params) + t("explain.rule.id", lang, rule=self.rule_id)
        return t(self.code, lang, **params)


def activity_name(activity: Activity) -> str:
    """``足球 (FOOT)``, or the id alone when the menu gives no name."""
    return f"{activity.name} ({activity.activity_id})" if activity.name else activity.activity_id


def staff_name(person: Staff) -> str:
    return f"{person.name} ({person.staff_id})" if person.name else person.staff_id


def room_name(room: Room) -> str:
    return f"{room.name} ({room.room_id})" if room.name else room.room_id


def names_text(names: list[str], shown: int = 4) -> str:
    """``A, B, C`` or ``A, B, C, D … (12)`` for a long list."""
    if len(names) <= shown:
        return ", ".join(names)
    return ", ".join(names[:shown]) + f" … ({len(names)})"


def kind_word(kind: str) -> str:
    """The catalogue key of a staff kind (translated when the rule is rendered)."""
    return f"explain.kind.{kind}"


def grades_text(grades: set[int] | frozenset[int]) -> str:
    """``3-4`` for a run of grades, ``1/3`` otherwise."""
    g = sorted(grades)
    if not g:
        return "?"
    if g == list(range(g[0], g[-1] + 1)) and len(g) > 1:
        return f"{g[0]}-{g[-1]}"
    return "/".join(str(x) for x in g)


def scenario_words(scenario: Scenario) -> dict[str, str]:
    """Names of activities, staff and rooms by id, for sentences."""
    out = {a.activity_id: activity_name(a) for a in scenario.activities}
    out.update({p.staff_id: staff_name(p) for p in scenario.staff})
    out.update({r.room_id: room_name(r) for r in scenario.rooms})
    return out
