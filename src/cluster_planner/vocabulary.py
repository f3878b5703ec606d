"""The school's words for the codes of the data contract: days, kinds, statuses, room types, skills, posts.

Files keep the codes FORMAT.md fixes (``Mon``, ``classroom``, ``leader_on_duty``…); whatever
prints them for a person asks here. A code the catalogue does not know (a school's own skill or
post) is shown as the school wrote it.

>>> word("skill", "football", "zh")
'足球'
>>> words("skill", "chinese math", "zh")
'语文、数学'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from cluster_planner.domain.values import split_list, try_parse_day
from cluster_planner.i18n import CATALOGUE, register, t

register(
    {
        # days (FORMAT.md: Mon…Sun)
        "word.day.Mon": ("周一", "Mon"),
        "word.day.Tue": ("周二", "Tue"),
        "word.day.Wed": ("周三", "Wed"),
        "word.day.Thu": ("周四", "Thu"),
        "word.day.Fri": ("周五", "Fri"),
        "word.day.Sat": ("周六", "Sat"),
        "word.day.Sun": ("周日", "Sun"),
        # activity kinds
        "word.activity_kind.care": ("托管", "care"),
        "word.activity_kind.tutoring": ("作业辅导", "tutoring"),
        "word.activity_kind.club": ("社团", "club"),
        "word.activity_kind.reading": ("阅读", "reading"),
        "word.activity_kind.sport": ("体育", "sport"),
        "word.activity_kind.art": ("艺术", "art"),
        "word.activity_kind.science": ("科技", "science"),
        "word.activity_kind.labour": ("劳动", "labour"),
        # slot kinds
        "word.slot_kind.care": ("托管", "care"),
        "word.slot_kind.club": ("社团", "club"),
        "word.slot_kind.tutoring": ("作业辅导", "tutoring"),
        "word.slot_kind.morning": ("早晨", "morning"),
        "word.slot_kind.noon": ("午间", "noon"),
        "word.slot_kind.evening_study": ("晚自习", "evening study"),
        # staff kinds
        "word.staff_kind.teacher": ("教师", "teacher"),
        "word.staff_kind.leader": ("校领导", "leader"),
        "word.staff_kind.external": ("外聘", "external"),
        "word.staff_kind.volunteer": ("志愿者", "volunteer"),
        "word.staff_kind.security": ("保安", "security"),
        # student statuses
        "word.student_status.approved": ("已核准", "approved"),
        "word.student_status.pending": ("待审核", "pending"),
        "word.student_status.rejected": ("未核准", "rejected"),
        "word.student_status.withdrawn": ("已退出", "withdrawn"),
        # room types (R1) and what schools commonly add
        "word.room_type.classroom": ("教室", "classroom"),
        "word.room_type.music": ("音乐室", "music room"),
        "word.room_type.art": ("美术室", "art room"),
        "word.room_type.computer": ("计算机室", "computer room"),
        "word.room_type.library": ("图书室", "library"),
        "word.room_type.gym": ("体育馆", "gym"),
        "word.room_type.field": ("操场", "field"),
        "word.room_type.lab": ("实验室", "lab"),
        "word.room_type.science": ("科学室", "science room"),
        "word.room_type.dance": ("舞蹈室", "dance studio"),
        "word.room_type.hall": ("礼堂", "hall"),
        "word.room_type.canteen": ("食堂", "canteen"),
        # skills (T3): subjects, then hobbies
        "word.skill.care": ("看护", "care"),
        "word.skill.chinese": ("语文", "Chinese"),
        "word.skill.math": ("数学", "maths"),
        "word.skill.english": ("英语", "English"),
        "word.skill.physics": ("物理", "physics"),
        "word.skill.chemistry": ("化学", "chemistry"),
        "word.skill.biology": ("生物", "biology"),
        "word.skill.history": ("历史", "history"),
        "word.skill.geography": ("地理", "geography"),
        "word.skill.politics": ("道德与法治", "ethics and law"),
        "word.skill.science": ("科学", "science"),
        "word.skill.pe": ("体育", "PE"),
        "word.skill.music": ("音乐", "music"),
        "word.skill.art": ("美术", "art"),
        "word.skill.reading": ("阅读", "reading"),
        "word.skill.calligraphy": ("书法", "calligraphy"),
        "word.skill.football": ("足球", "football"),
        "word.skill.basketball": ("篮球", "basketball"),
        "word.skill.volleyball": ("排球", "volleyball"),
        "word.skill.pingpong": ("乒乓球", "table tennis"),
        "word.skill.badminton": ("羽毛球", "badminton"),
        "word.skill.swimming": ("游泳", "swimming"),
        "word.skill.martial_arts": ("武术", "martial arts"),
        "word.skill.chess": ("象棋", "chess"),
        "word.skill.weiqi": ("围棋", "weiqi"),
        "word.skill.dance": ("舞蹈", "dance"),
        "word.skill.choir": ("合唱", "choir"),
        "word.skill.drawing": ("绘画", "drawing"),
        "word.skill.papercut": ("剪纸", "paper cutting"),
        "word.skill.handcraft": ("手工", "handcraft"),
        "word.skill.computer": ("信息技术", "computing"),
        "word.skill.programming": ("编程", "programming"),
        "word.skill.robotics": ("机器人", "robotics"),
        "word.skill.labour": ("劳动", "labour"),
        "word.skill.drama": ("戏剧", "drama"),
        # duty posts (T6)
        "word.post.leader_on_duty": ("值日领导", "leader on duty"),
        "word.post.gate": ("门岗", "gate"),
        "word.post.stairs": ("楼梯岗", "stairs"),
        "word.post.floor": ("楼层岗", "floor"),
        "word.post.bus": ("校车岗", "bus"),
        "word.post.security": ("安保", "security"),
        "word.post.lunch": ("午餐看护", "lunch"),
        # what the solver ended with (plan.json keeps CP-SAT's names; people read these)
        "word.status.optimal": ("最优", "optimal"),
        "word.status.gap": ("在差距内停止（差距 {gap}）", "stopped at gap ({gap})"),
        "word.status.time_limit": ("因时限停止", "stopped by the clock"),
        "word.status.greedy": ("贪心方案", "greedy fallback"),
        "word.status.feasible": ("可行", "feasible"),
        "word.status.infeasible": ("无解", "infeasible"),
        "word.status.unknown": ("未知（{status}）", "unknown ({status})"),
        "word.list_sep": ("、", ", "),
    }
)


def word(family: str, code: str, lang: str) -> str:
    """A code's words in ``lang``; a code the catalogue does not know, as written."""
    code = str(code)
    if family == "day":
        day = try_parse_day(code)
        code = day.value if day else code
    key = f"word.{family}.{code}"
    if key not in CATALOGUE:
        key = f"word.{family}.{code.lower()}"
    return t(key, lang) if key in CATALOGUE else code


def words(family: str, codes: str | Iterable[str], lang: str) -> str:
    """A list cell or several codes in words, joined the school's way (``语文、数学``)."""
    items = split_list(codes) if isinstance(codes, str) else tuple(str(c) for c in codes)
    return t("word.list_sep", lang).join(word(family, c, lang) for c in items)


def breakdown(family: str, counts: Mapping[str, int], lang: str) -> str:
    """``托管 2、社团 2（4）``: counts by code, in words, and their total."""
    parts = t("word.list_sep", lang).join(f"{word(family, code, lang)} {n}" for code, n in sorted(counts.items()))
    total = sum(counts.values())
    if not parts:
        return "0"
    return f"{parts}（{total}）" if lang == "zh" else f"{parts} ({total})"


#: Message parameters that hold codes, by name, and the families their codes come from (first match wins).
PARAM_FAMILIES: dict[str, tuple[str, ...]] = {
    "skill": ("skill",),
    "skills": ("skill",),
    "type": ("room_type",),
    "types": ("room_type",),
    "room_type": ("room_type",),
    "post": ("post",),
    "posts": ("post",),
    "kind": ("staff_kind", "activity_kind", "slot_kind"),
    "wanted": ("staff_kind",),
    "status": ("student_status",),
    "day": ("day",),
    "days": ("day",),
    "slot_day": ("day",),
}


def _coded(families: tuple[str, ...], text: str, lang: str) -> str:
    items = split_list(text)
    out = []
    for item in items:
        said = next((w for f in families if (w := word(f, item, lang)) != item), item)
        out.append(said)
    return t("word.list_sep", lang).join(out) if len(out) > 1 else (out[0] if out else text)


def coded_params(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Message parameters with their codes in words: a parameter named as in :data:`PARAM_FAMILIES`
    (``skills``, ``type``, ``post``, ``kind``, ``status``, ``day``…) holds codes of that family, shown
    in ``lang``; a code the catalogue does not know stays as written."""
    out = dict(params)
    for name, families in PARAM_FAMILIES.items():
        value = out.get(name)
        if isinstance(value, str) and value:
            out[name] = _coded(families, value, lang)
    duty = out.get("duty")
    if isinstance(duty, str) and "@" in duty:  # a duty post's key, post@day[@slot]
        post, day, *slot = duty.split("@")
        out["duty"] = " ".join([word("day", day, lang), word("post", post, lang), *slot])
    return out


STATUS_CODES = ("optimal", "gap", "time_limit", "greedy", "feasible", "infeasible")


def status_code(status: str, gap: float | None, reproducible: bool, stages: Iterable[Mapping[str, Any]] = ()) -> str:
    """What the plan's solve ended with, as one of :data:`STATUS_CODES` (``unknown`` otherwise).

    ``status`` is plan.json's (CP-SAT's name); a stage that fell back on its greedy plan makes the
    plan ``greedy``; a wall-clock stop (not reproducible) ``time_limit``; an optimum proved within
    the relative gap ``gap``.
    """
    name = str(status).upper()
    if name == "INFEASIBLE":
        return "infeasible"
    if name == "GREEDY" or any(str(s.get("status", "")).upper() == "GREEDY" for s in stages):
        return "greedy"
    if name not in ("OPTIMAL", "FEASIBLE"):
        return "unknown"
    if not reproducible:
        return "time_limit"
    if name == "OPTIMAL":
        return "gap" if gap else "optimal"
    return "feasible"


def status_words(
    status: str, gap: float | None, reproducible: bool, lang: str, stages: Iterable[Mapping[str, Any]] = ()
) -> str:
    """最优 / 在差距内停止（差距 0.12%）/ 因时限停止 / 贪心方案 / 可行 / 无解."""
    code = status_code(status, gap, reproducible, stages)
    return t(f"word.status.{code}", lang, gap=f"{gap or 0:.2%}", status=status)


def plan_status_words(meta: Any, lang: str) -> str:
    """:func:`status_words` of a plan's ``PlanMeta``."""
    stages = meta.extra.get("stages", ()) if isinstance(meta.extra, dict) else ()
    return status_words(meta.status, meta.gap, meta.reproducible, lang, stages)


#: Words in a menu item's name that suggest subject teaching disguised as an activity (C1; 十严禁 2: 严禁把课后
#: 服务演变为学科类集体教学、集体补课或奥数等竞赛培训; 不得上新课、补课和考试训练). Matched on the name as written,
#: Latin words case-blind and whole (``exam`` is not found in ``example``).
SUBJECT_TEACHING_WORDS: tuple[str, ...] = (
    "奥数",
    "奥赛",
    "补课",
    "补习",
    "新课",
    "预习",
    "培优",
    "提高班",
    "尖子班",
    "拔高",
    "刷题",
    "考试",
    "学业测试",
    "测验",
    "竞赛",
    "集体授课",
    "小升初",
    "olympiad",
    "cram",
    "remedial",
    "exam",
    "quiz",
    "new lesson",
    "test prep",
)


#: Words in a menu item's name that suggest commercial activity riding on service time (十严禁 9: 严禁在课后服务
#: 时段“搭车”开展商业活动): selling, advertising, enrolling for paid courses.
COMMERCIAL_WORDS: tuple[str, ...] = (
    "推销",
    "销售",
    "售卖",
    "促销",
    "代购",
    "团购",
    "广告",
    "招生",
    "体验课",
    "试听课",
    "sale",
    "selling",
    "advert",
    "promotion",
    "trial lesson",
    "enrolment",
)


def subject_teaching_word(name: str) -> str | None:
    """The first word of :data:`SUBJECT_TEACHING_WORDS` in an activity's ``name`` (None: none is)."""
    return _first_word(name, SUBJECT_TEACHING_WORDS)


def commercial_word(name: str) -> str | None:
    """The first word of :data:`COMMERCIAL_WORDS` in an activity's ``name`` (None: none is)."""
    return _first_word(name, COMMERCIAL_WORDS)


def _first_word(name: str, words: tuple[str, ...]) -> str | None:
    text = name.casefold()
    for w in words:
        if w.isascii():
            if re.search(rf"\b{re.escape(w)}(s|es|isements?)?\b", text):
                return w
        elif w in text:
            return w
    return None
