"""Rule ids and the sentence the office reads for each (DOMAIN.md S1…C3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cluster_planner.i18n import register, t


@dataclass(frozen=True)
class Rule:
    """A rule of DOMAIN.md: its id and the catalogue key of its sentence."""

    rule_id: str

    @property
    def key(self) -> str:
        return f"rule.{self.rule_id}"

    def sentence(self, lang: str = "zh", **params: Any) -> str:
        return t(self.key, lang, **params)


_SENTENCES: dict[str, tuple[str, str]] = {
    "S1": ("每名已核准学生在其申请的每个服务时段都有去处，或写明原因", "every approved student has a place at each service slot, or the reason is given"),  # noqa: E501
    "S2": ("名额不足时优先保障优先类别学生（残疾、留守、随迁、困难、单亲及学校指定的低年级）", "priority students are served first when places are short"),  # noqa: E501
    "S3": ("学生同一时间只在一处", "a student is in one place at a time"),
    "S4": ("学生只参加对其年级开放的活动", "a student takes only activities open to their grade"),
    "S5": ("作业辅导每人每天至多 {limit} 节", "at most {limit} tutoring meeting(s) per student per day"),
    "S6": ("志愿按顺序满足；同等情况由抽签决定", "ranked choices count; ties go by the seeded lottery"),
    "S7": ("同班同学尽量在同一组", "classmates stay together where the rules allow"),
    "G3": ("混合编班的年级相差不超过 {span}", "grades merged in one care group lie at most {span} apart"),
    "G4": ("每组不超过 {cap} 人", "at most {cap} students in a group"),
    "G5": ("每组每周按规定次数活动，否则整组不开", "a group meets all its weekly meetings or not at all"),
    "T1": ("优先安排本校教师；校外人员仅在无本校教师可用时带组", "own teachers first; outside people only where no own teacher is free"),  # noqa: E501
    "T2": ("未通过背景审查者不带组、不值班", "nobody without a cleared background check leads a group or holds a duty"),
    "T3": ("带组教师须具备活动所需技能", "the adult leading a group has one of the activity's skills"),
    "T4": ("每 {ratio} 名学生至少配备 1 名教师", "one adult per {ratio} students"),
    "T5": ("教职工按可用时段工作，同一时间只在一处，且不超过每日、每周课时上限", "staff work when available, in one place at a time, within daily and weekly limits"),  # noqa: E501
    "T6": ("每个值班岗位按人数安排", "every duty post is filled"),
    "H4": ("活动在规定的星期和时段进行", "an activity meets on its allowed days and slots"),
    "R1": ("场地类型合适、容量足够，同一时间的组数不超过其上限", "a room of a listed type, big enough, holding at most its number of groups at once"),  # noqa: E501
    "R2": ("每个室外组都有室内雨天场地", "every outdoor group has an indoor rainy-day room"),
    "M1": ("收费不超过核定标准；家庭经济困难学生减免", "fees within the approved caps; families in difficulty exempt"),
    "M3": ("课时费按课时乘课时费计算，放学后至 18:00 每人每天计酬课时不超过上限", "pay is periods × rate, afternoon periods paid up to the daily cap"),  # noqa: E501
}  # fmt: skip

register({f"rule.{rid}": words for rid, words in _SENTENCES.items()})

RULES: dict[str, Rule] = {rid: Rule(rid) for rid in _SENTENCES}


def rule(rule_id: str) -> Rule:
    """The rule with this id (KeyError for an id DOMAIN.md does not give)."""
    return RULES[rule_id]


def sentence(rule_id: str, lang: str = "zh", **params: Any) -> str:
    """The office's sentence for a rule."""
    return RULES[rule_id].sentence(lang, **params)
