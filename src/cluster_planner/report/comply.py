"""十严禁 (issue 17 item 3): the compliance report of a plan, the ten prohibitions of 000 方案2 as ten rows.

Each row says what was checked and what was found: kept (✔), a warning, a violation naming the
offending rows (group, slot, student or staff ids), or, where the data cannot show the whole of a
prohibition and nothing was found, what the office must confirm by hand. A plan with a violation
makes ``cluster-planner comply`` exit 1.

The checks read the plan's rows against the scenario, with the rule book's functions (who is
cleared, what counts as tutoring, fees and pay of :mod:`cluster_planner.plan.figures`).

>>> report = build_compliance(scenario, plan, "zh")   # doctest: +SKIP
>>> report.frame()                                     # doctest: +SKIP
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd

from cluster_planner.domain import Scenario, StaffKind, StudentStatus
from cluster_planner.domain.entities import ActivityMode, Priority
from cluster_planner.i18n import register, t
from cluster_planner.plan.figures import service_fee, staff_loads
from cluster_planner.plan.model import Plan
from cluster_planner.report.context import ReportData
from cluster_planner.report.documents import render, write_page_and_workbook, write_workbook
from cluster_planner.report.publish_words import long_date, yuan
from cluster_planner.report.words import check_lang
from cluster_planner.rules import (
    check_failed,
    fee_cap_day,
    fee_cap_term,
    fees_above_cap,
    is_cleared,
    is_fee_exempt,
    is_outside,
    is_tutoring,
    never_checked,
    tutoring_per_day,
)
from cluster_planner.vocabulary import (
    COMMERCIAL_WORDS,
    SUBJECT_TEACHING_WORDS,
    commercial_word,
    subject_teaching_word,
)

register(
    {
        # The ten prohibitions, in the words of 000 方案2 (五、(四) 严格规范管理).
        "comply.rule.1": (
            "严禁违背学生、家长意愿组织开展课后服务",
            "No service against the will of students and parents",
        ),
        "comply.rule.2": (
            "严禁把课后服务演变为学科类集体教学、集体补课或奥数等竞赛培训",
            "No turning the service into collective subject teaching, collective remedial lessons or competition "
            "training such as maths olympiad",
        ),
        "comply.rule.3": ("严禁增加学生作业量和加重学生课业负担", "No more homework, no heavier study load"),
        "comply.rule.4": (
            "严禁以课后服务为名违规收费、乱收费",
            "No irregular or arbitrary fees in the name of the service",
        ),
        "comply.rule.5": (
            "严禁以课后服务为名违规乱发津补贴",
            "No irregular allowances or bonuses in the name of the service",
        ),
        "comply.rule.6": (
            "严禁有师德师风问题的教职工参与课后服务",
            "No staff with professional-ethics problems take part",
        ),
        "comply.rule.7": (
            "严禁有不良记录的机构和人员参与课后服务",
            "No organisations or people with a bad record take part",
        ),
        "comply.rule.8": (
            "严禁未按程序审核的机构和个人入校提供课后服务",
            "No organisations or individuals enter the school to serve without the review procedure",
        ),
        "comply.rule.9": ("严禁在课后服务时段“搭车”开展商业活动", "No commercial activity riding on service time"),
        "comply.rule.10": (
            "严禁以开展课后服务为名,将学校资源提供给社会培训机构作为经营场所",
            "No school resources given to training institutions as business premises in the name of the service",
        ),
        # What each row checks.
        "comply.checked.1": (
            "方案中每名学生都已申请并经学校核准，且只安排在其申请的服务日和时段；有优先资格却未获核准的申请",
            "every student in the plan applied and was approved, and is placed only on the days and slots applied "
            "for; priority applicants who were rejected",
        ),
        "comply.checked.2": (
            "活动名称中的学科教学用语（{words}等）；以班为单位的作业辅导",
            "subject-teaching words in activity names ({words} …); tutoring held class by class",
        ),
        "comply.checked.3": (
            "每名学生每天的作业辅导不超过 {limit} 次（S5）",
            "at most {limit} tutoring meeting(s) per student per day (S5)",
        ),
        "comply.checked.4": (
            "服务费不超过核定上限（每学期 {cap_term}，每天 {cap_day}）；免费家庭不收费；家庭经济困难学生减免",
            "fees within the approved caps (per term {cap_term}, per day {cap_day}); nothing charged to exempt "
            "families; families in difficulty exempted",
        ),
        "comply.checked.5": (
            "课时费只发给方案中带组或值班的人员，且不超过按课时和课时费重新计算的金额",
            "pay only to people who lead a group or hold a duty in the plan, and not above periods × their rate",
        ),
        "comply.checked.6": (
            "背景审查标为「否」的教师、校领导不带组、不值班",
            "no teacher or leader marked background_check = no leads a group or holds a duty",
        ),
        "comply.checked.7": (
            "审查未通过（标为「否」）的校外人员、志愿者、保安及机构不参与",
            "no outside person, volunteer, guard or organisation whose check failed (no) takes part",
        ),
        "comply.checked.8": (
            "校外人员、志愿者、保安及承办机构均已审查（背景审查、机构审核为「是」）",
            "every outside person, volunteer, guard and organisation taking part has been reviewed (yes)",
        ),
        "comply.checked.9": (
            "活动名称中的商业用语（{words}等）；由机构承办并收费的活动",
            "commercial words in activity names ({words} …); activities an organisation runs for a fee",
        ),
        "comply.checked.10": (
            "场地表中出借给校外机构的场地（lent_to）",
            "rooms the room list says are lent to an outside body (lent_to)",
        ),
        # What the office confirms by hand where the data cannot show it.
        "comply.manual.3": (
            "请人工确认：一、二年级不布置书面作业，作业辅导不额外布置作业",
            "confirm by hand: no written homework for grades 1–2, and tutoring sets no extra homework",
        ),
        "comply.manual.4": (
            "请人工确认：收费标准已经核定并公示（学校设置中未填写 fee_cap_term）",
            "confirm by hand: the fee is the approved and published one (school settings give no fee_cap_term)",
        ),
        "comply.manual.6": (
            "请人工确认：经人事部门核对，参与服务的教职工均无师德师风问题（有问题者请将背景审查标为「否」）",
            "confirm by hand with the personnel office that no one taking part has a professional-ethics finding "
            "(mark such a person background_check = no)",
        ),
        "comply.manual.9": (
            "请人工确认：服务时段内不推销、不售卖商品或资料、不做广告或招生",
            "confirm by hand: nothing is sold, advertised or enrolled for during service time",
        ),
        "comply.manual.10": (
            "请人工确认：其他学校资源（场地、设备、学生信息）未提供给社会培训机构",
            "confirm by hand: no other school resources (rooms, equipment, student data) go to training institutions",
        ),
        # Status words.
        "comply.status.ok": ("✔ 符合", "✔ kept"),
        "comply.status.manual": ("☐ 需人工确认", "☐ confirm by hand"),
        "comply.status.warning": ("⚠ 提醒", "⚠ warning"),
        "comply.status.violation": ("✘ 违反", "✘ violation"),
        "comply.none_found": ("未发现问题", "nothing found"),
        # Findings.
        "comply.found.not_approved": (
            "未经核准（或不在学生表中）的学生被安排：{ids}",
            "students placed who are not approved (or not on the student list): {ids}",
        ),
        "comply.found.not_applied": (
            "学生被安排在未申请的时段：{ids}",
            "students placed in slots they did not apply for: {ids}",
        ),
        "comply.found.rejected_priority": (
            "优先群体学生的申请未获核准（严禁拒绝有需求的学生）：{ids}",
            "priority applicants were rejected (nobody who needs the service may be refused): {ids}",
        ),
        "comply.found.subject_planned": (
            "活动「{name}」名称含「{word}」，像学科教学或补课，方案中开设了：{ids}",
            "activity '{name}' contains '{word}' (subject teaching or remedial lessons) and meets in the plan: {ids}",
        ),
        "comply.found.subject_menu": (
            "菜单中活动「{name}」名称含「{word}」，像学科教学（方案中未开设）：{ids}",
            "menu item '{name}' contains '{word}' (subject teaching; not in the plan): {ids}",
        ),
        "comply.found.class_tutoring": (
            "以班为单位的作业辅导「{name}」有集体教学风险，请确认只辅导作业、不讲新课：{ids}",
            "tutoring '{name}' held class by class risks collective teaching; make sure it only helps with "
            "homework: {ids}",
        ),
        "comply.found.tutoring_per_day": (
            "学生一天的作业辅导超过 {limit} 次：{ids}",
            "students with more than {limit} tutoring meeting(s) a day: {ids}",
        ),
        "comply.found.fee_term": (
            "每学期服务费 {fee} 超过核定上限 {cap}",
            "the service fee per term {fee} is above the approved cap {cap}",
        ),
        "comply.found.fee_day": (
            "每天服务费 {fee} 超过核定上限 {cap}",
            "the service fee per day {fee} is above the approved cap {cap}",
        ),
        "comply.found.student_fee": (
            "学生本学期费用（服务费加活动费）超过核定上限 {cap}：{ids}",
            "students whose fees for the term (service plus activities) are above the cap {cap}: {ids}",
        ),
        "comply.found.low_income_charged": (
            "家庭经济困难学生被收费，请确认已按规定减免：{ids}",
            "students of families in difficulty are charged; make sure the exemption was considered: {ids}",
        ),
        "comply.found.pay_unknown": (
            "课时费发给了教职工表中没有的人：{ids}",
            "pay to people not on the staff list: {ids}",
        ),
        "comply.found.pay_not_working": (
            "课时费发给了方案中不带组、不值班的人：{ids}",
            "pay to people who neither lead a group nor hold a duty in the plan: {ids}",
        ),
        "comply.found.pay_above": (
            "课时费高于按课时和课时费计算的金额：{ids}",
            "pay above periods × rate: {ids}",
        ),
        "comply.found.staff_failed": (
            "背景审查为「否」的教职工带组或值班：{ids}",
            "staff marked background_check = no lead a group or hold a duty: {ids}",
        ),
        "comply.found.outside_failed": (
            "审查未通过的校外人员带组或值班：{ids}",
            "outside people whose check failed lead a group or hold a duty: {ids}",
        ),
        "comply.found.org_failed": (
            "审核未通过的机构「{org}」承办的活动在方案中开设：{ids}",
            "activities of '{org}', whose review failed, meet in the plan: {ids}",
        ),
        "comply.found.outside_unchecked": (
            "未经背景审查的校外人员带组或值班：{ids}",
            "outside people without a background check lead a group or hold a duty: {ids}",
        ),
        "comply.found.org_unchecked": (
            "未经审核的机构「{org}」承办的活动在方案中开设：{ids}",
            "activities of '{org}', never reviewed, meet in the plan: {ids}",
        ),
        "comply.found.commercial_planned": (
            "活动「{name}」名称含「{word}」，像商业活动，方案中开设了：{ids}",
            "activity '{name}' contains '{word}' (commercial) and meets in the plan: {ids}",
        ),
        "comply.found.commercial_menu": (
            "菜单中活动「{name}」名称含「{word}」，像商业活动（方案中未开设）：{ids}",
            "menu item '{name}' contains '{word}' (commercial; not in the plan): {ids}",
        ),
        "comply.found.org_fee": (
            "机构「{org}」承办的活动「{name}」收费 {fee}，请确认是经核准的代收费而非商业收费：{ids}",
            "'{name}', run by '{org}', charges {fee}; make sure it is an approved charge, not a sale: {ids}",
        ),
        "comply.found.room_lent": (
            "场地「{name}」出借给「{to}」；方案中在此的组：{ids}",
            "room '{name}' is lent to '{to}'; groups of the plan there: {ids}",
        ),
        "comply.no_groups": ("（无）", "(none)"),
        "comply.more": ("等 {n} 项", "and {n} more"),
        # Page and sheet.
        "comply.title": ("{school}课后服务“十严禁”自查报告", "{school}: the ten prohibitions, self-check"),
        "comply.title_plain": (
            "课后服务“十严禁”自查报告",
            "The ten prohibitions of the after-school service: self-check",
        ),
        "comply.sheet": ("十严禁", "Ten prohibitions"),
        "comply.intro": (
            "依据《中小学生课后服务“十严禁”》，逐条对照本学期方案（第 {version} 版，{term}）自查如下。"
            "「需人工确认」的条目，数据无法完全反映，须由学校核实后签字。",
            "Each of the ten prohibitions checked against this term's plan (version {version}, {term}). Rows marked "
            "'confirm by hand' are beyond what the data shows: the school confirms them and signs.",
        ),
        "comply.verdict.violation": (
            "结论：发现 {n} 条违反，须整改后重新自查。",
            "Verdict: {n} prohibition(s) violated; correct the plan and check again.",
        ),
        "comply.verdict.warning": (
            "结论：未发现违反；{n} 条提醒请核实。",
            "Verdict: no violation; {n} warning(s) to look into.",
        ),
        "comply.verdict.ok": ("结论：未发现违反。", "Verdict: no violation found."),
        "comply.verdict.manual": (
            "结论：未发现违反；第 {rows} 条需人工确认。",
            "Verdict: no violation found; rows {rows} to confirm by hand.",
        ),
        "comply.col.number": ("序号", "No."),
        "comply.col.rule": ("严禁事项", "Prohibition"),
        "comply.col.checked": ("检查内容", "What was checked"),
        "comply.col.status": ("结果", "Result"),
        "comply.col.found": ("发现", "Found"),
        "comply.col.ids": ("涉及编号", "Ids"),
        "comply.sign": (
            "自查人：＿＿＿＿＿＿　　负责人：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿",
            "Checked by: __________   Head: __________   Date: __________",
        ),
    }
)

MAX_IDS = 12
"""Ids a finding names in words, then "and n more" (the ids column holds them all)."""


class Status(StrEnum):
    """What a row found, from best to worst."""

    OK = "ok"
    MANUAL = "manual"
    WARNING = "warning"
    VIOLATION = "violation"


_RANK = {Status.OK: 0, Status.MANUAL: 1, Status.WARNING: 2, Status.VIOLATION: 3}


@dataclass(frozen=True)
class Found:
    """One finding of a row: a warning or a violation, its words' key and parameters, and the offending ids."""

    status: Status
    key: str
    ids: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict)

    def words(self, lang: str) -> str:
        return t(self.key, lang, ids=_ids_text(self.ids, lang), **self.params)


@dataclass(frozen=True)
class ComplianceRow:
    """One prohibition: its words, what was checked, the result, what was found (and the ids)."""

    number: int
    rule: str
    checked: str
    status: Status
    found: tuple[str, ...]
    ids: tuple[str, ...]
    lang: str

    @property
    def status_words(self) -> str:
        return t(f"comply.status.{self.status.value}", self.lang)


@dataclass(frozen=True)
class Compliance:
    """The ten rows of one plan in one language."""

    lang: str
    school: str
    version: int
    term: str
    rows: tuple[ComplianceRow, ...]

    @property
    def violated(self) -> bool:
        """True when any prohibition is violated (``comply`` exits 1)."""
        return any(r.status == Status.VIOLATION for r in self.rows)

    @property
    def title(self) -> str:
        return t("comply.title", self.lang, school=self.school) if self.school else t("comply.title_plain", self.lang)

    @property
    def intro(self) -> str:
        return t("comply.intro", self.lang, version=self.version, term=self.term)

    @property
    def verdict(self) -> str:
        counts = Counter(r.status for r in self.rows)
        if counts[Status.VIOLATION]:
            return t("comply.verdict.violation", self.lang, n=counts[Status.VIOLATION])
        if counts[Status.WARNING]:
            return t("comply.verdict.warning", self.lang, n=counts[Status.WARNING])
        manual = [str(r.number) for r in self.rows if r.status == Status.MANUAL]
        if manual:
            return t("comply.verdict.manual", self.lang, rows=("、" if self.lang == "zh" else ", ").join(manual))
        return t("comply.verdict.ok", self.lang)

    def frame(self) -> pd.DataFrame:
        """One row per prohibition: number, prohibition, what was checked, result, what was found, ids."""
        lang = self.lang
        cols = [t(f"comply.col.{k}", lang) for k in ("number", "rule", "checked", "status", "found", "ids")]
        rows = [[r.number, r.rule, r.checked, r.status_words, "\n".join(r.found), " ".join(r.ids)] for r in self.rows]
        df = pd.DataFrame(rows, columns=cols, dtype=object)
        df.attrs["status"] = [r.status.value for r in self.rows]
        return df


def _ids_text(ids: tuple[str, ...], lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    if not ids:
        return t("comply.no_groups", lang)
    text = sep.join(ids[:MAX_IDS])
    if len(ids) > MAX_IDS:
        text += (" " if lang == "en" else "") + t("comply.more", lang, n=len(ids) - MAX_IDS)
    return text


# ---- the checks -------------------------------------------------------------------------------
class _Plan:
    """The lookups of one plan the checks share."""

    def __init__(self, scenario: Scenario, plan: Plan, lang: str) -> None:
        self.scenario = scenario
        self.plan = plan
        self.lang = lang
        self.data = ReportData(scenario, plan, lang)
        self.groups_of: dict[str, list[str]] = defaultdict(list)
        for gid, meetings in self.data.meetings.items():
            self.groups_of[meetings[0].activity_id].append(gid)
        self.work: dict[str, list[str]] = defaultdict(list)
        """Each adult's work: group ids and duty posts (``post@day``), in plan order."""
        for g in plan.groups:
            for pid in g.staff_ids:
                if g.group_id not in self.work[pid]:
                    self.work[pid].append(g.group_id)
        for d in plan.duty_roster:
            self.work[d.staff_id].append(f"{d.post}@{d.day}")

    def working(self, wanted: Callable[[Any], bool]) -> tuple[str, ...]:
        """``staff_id:group`` of every meeting or duty of a person on the staff list whom ``wanted`` picks."""
        out = []
        for pid, items in self.work.items():
            person = self.scenario.staff_by_id.get(pid)
            if person is not None and wanted(person):
                out += [f"{pid}:{item}" for item in items]
        return tuple(out)


def _voluntary(p: _Plan) -> list[Found]:
    """1: nobody planned who did not apply and was not approved; nobody placed outside what they applied for."""
    sc = p.scenario
    approved = {s.student_id for s in sc.approved_students}
    placed = dict.fromkeys(a.student_id for a in p.plan.assignments)
    out = []
    outsiders = tuple(sid for sid in placed if sid not in approved)
    if outsiders:
        out.append(Found(Status.VIOLATION, "comply.found.not_approved", outsiders))
    outside = tuple(
        f"{a.student_id}@{a.slot_id}"
        for a in p.plan.assignments
        if a.student_id in approved and a.slot_id not in sc.service_slots.get(a.student_id, ())
    )
    if outside:
        out.append(Found(Status.VIOLATION, "comply.found.not_applied", outside))
    refused = tuple(s.student_id for s in sc.students if s.status == StudentStatus.REJECTED and s.is_priority)
    if refused:
        out.append(Found(Status.WARNING, "comply.found.rejected_priority", refused))
    return out


def _subject_teaching(p: _Plan) -> list[Found]:
    """2: activity names that look like subject teaching (C1); tutoring held class by class."""
    out = []
    for a in p.scenario.activities:
        word = subject_teaching_word(a.name)
        groups = tuple(p.groups_of.get(a.activity_id, ()))
        if word is not None:
            status, key = (Status.VIOLATION, "subject_planned") if groups else (Status.WARNING, "subject_menu")
            ids = groups or (a.activity_id,)
            out.append(Found(status, f"comply.found.{key}", ids, {"name": a.name, "word": word}))
        elif groups and a.mode == ActivityMode.CLASS and is_tutoring(a):
            out.append(Found(Status.WARNING, "comply.found.class_tutoring", groups, {"name": a.name}))
    return out


def _homework_load(p: _Plan) -> list[Found]:
    """3: tutoring meetings per student per day within ``max_tutoring_per_day`` (S5)."""
    limit = tutoring_per_day(p.scenario)
    count: Counter[tuple[str, str]] = Counter()
    for a in p.plan.assignments:
        activity = p.scenario.activity_by_id.get(p.data.activity_of(a))
        if activity is not None and is_tutoring(activity):
            count[(a.student_id, a.day)] += 1
    over = tuple(f"{sid}@{day}" for (sid, day), n in count.items() if n > limit)
    return [Found(Status.VIOLATION, "comply.found.tutoring_per_day", over, {"limit": limit})] if over else []


def _fees(p: _Plan) -> list[Found]:
    """4: fees within the approved caps (M1, :func:`rules.fees_above_cap`: the same settings validation warns
    of), nothing charged to exempt families (:func:`rules.is_fee_exempt`), families in difficulty."""
    sc, lang = p.scenario, p.lang
    cap_term = fee_cap_term(sc)
    out = []
    for over in fees_above_cap(sc):
        params = {"fee": yuan(over.fee, lang), "cap": yuan(over.cap, lang)}
        key = "comply.found.fee_term" if over.key == "money.fee_per_term" else "comply.found.fee_day"
        out.append(Found(Status.VIOLATION, key, (over.key,), params))
    taken: dict[str, set[str]] = defaultdict(set)
    for a in p.plan.assignments:
        taken[a.student_id].add(p.data.activity_of(a))
    above, charged_poor = [], []
    for s in sc.approved_students:
        if s.student_id not in taken or is_fee_exempt(sc, s):
            continue
        fees = [sc.activity_by_id[aid].fee or 0.0 for aid in taken[s.student_id] if aid in sc.activity_by_id]
        total = (service_fee(sc, s) or 0.0) + sum(fees)
        if cap_term is not None and total > cap_term + 1e-9:
            above.append(s.student_id)
        if total > 0 and Priority.LOW_INCOME in s.priority:
            charged_poor.append(s.student_id)
    if above:
        out.append(Found(Status.VIOLATION, "comply.found.student_fee", tuple(above), {"cap": yuan(cap_term, lang)}))
    if charged_poor:
        out.append(Found(Status.WARNING, "comply.found.low_income_charged", tuple(charged_poor)))
    return out


def _pay(p: _Plan) -> list[Found]:
    """5: pay only to people of the plan, not above periods × rate (M3, recomputed from the plan's rows)."""
    sc = p.scenario
    known = set(sc.staff_by_id)
    groups = [
        replace(g, staff_ids=tuple(x for x in g.staff_ids if x in known))
        for g in p.plan.groups
        if g.slot_id in sc.slot_by_id
    ]
    duties = [d for d in p.plan.duty_roster if d.staff_id in known]
    due = {x.staff_id: x.pay_term for x in staff_loads(sc, groups, duties)}
    unknown, idle, above = [], [], []
    for load in p.plan.staff_load:
        if load.pay_term <= 0:
            continue
        if load.staff_id not in known:
            unknown.append(load.staff_id)
        elif load.staff_id not in p.work:
            idle.append(load.staff_id)
        elif load.pay_term > due.get(load.staff_id, 0.0) + 0.01:
            above.append(load.staff_id)
    out = []
    for key, ids in (("pay_unknown", unknown), ("pay_not_working", idle), ("pay_above", above)):
        if ids:
            out.append(Found(Status.VIOLATION, f"comply.found.{key}", tuple(ids)))
    return out


def _own_staff_cleared(p: _Plan) -> list[Found]:
    """6: no teacher or leader marked not cleared leads a group or holds a duty (T2)."""
    ids = p.working(lambda s: s.kind in (StaffKind.TEACHER, StaffKind.LEADER) and not is_cleared(s))
    return [Found(Status.VIOLATION, "comply.found.staff_failed", ids)] if ids else []


def _org_findings(p: _Plan, wanted: Callable[[bool | None], bool], key: str) -> list[Found]:
    """Organisations whose review ``wanted`` picks, with the groups of their activities in the plan."""
    by_org: dict[str, list[str]] = defaultdict(list)
    for a in p.scenario.activities:
        if a.org and wanted(a.org_cleared):
            by_org[a.org] += p.groups_of.get(a.activity_id, [])
    return [Found(Status.VIOLATION, key, tuple(ids), {"org": org}) for org, ids in by_org.items() if ids]


def _bad_record(p: _Plan) -> list[Found]:
    """7: no outside person or organisation whose check failed takes part (T2)."""
    out = []
    ids = p.working(lambda s: is_outside(s) and check_failed(s))
    if ids:
        out.append(Found(Status.VIOLATION, "comply.found.outside_failed", ids))
    return out + _org_findings(p, lambda cleared: cleared is False, "comply.found.org_failed")


def _unreviewed(p: _Plan) -> list[Found]:
    """8: every outside person and organisation taking part was reviewed (T2)."""
    out = []
    ids = p.working(lambda s: is_outside(s) and never_checked(s))
    if ids:
        out.append(Found(Status.VIOLATION, "comply.found.outside_unchecked", ids))
    return out + _org_findings(p, lambda cleared: cleared is None, "comply.found.org_unchecked")


def _commercial(p: _Plan) -> list[Found]:
    """9: activity names that look commercial; an organisation's activity that charges a fee."""
    out = []
    for a in p.scenario.activities:
        groups = tuple(p.groups_of.get(a.activity_id, ()))
        word = commercial_word(a.name)
        if word is not None:
            status, key = (Status.VIOLATION, "commercial_planned") if groups else (Status.WARNING, "commercial_menu")
            out.append(Found(status, f"comply.found.{key}", groups or (a.activity_id,), {"name": a.name, "word": word}))
        elif groups and a.org and a.fee:
            params = {"org": a.org, "name": a.name, "fee": yuan(a.fee, p.lang)}
            out.append(Found(Status.WARNING, "comply.found.org_fee", groups, params))
    return out


def _rooms_lent(p: _Plan) -> list[Found]:
    """10: no room of the service is lent to an outside body (a training institution) as business premises."""
    out = []
    for room in p.scenario.rooms:
        if room.lent_to:
            groups = dict.fromkeys(g.group_id for g in p.plan.groups if room.room_id in (g.room_id, g.rain_room_id))
            params = {"name": room.name or room.room_id, "to": room.lent_to}
            out.append(Found(Status.VIOLATION, "comply.found.room_lent", (room.room_id, *groups), params))
    return out


@dataclass(frozen=True)
class Prohibition:
    """One of the ten: its number, its check, and whether the office confirms the rest by hand."""

    number: int
    check: Callable[[_Plan], list[Found]]
    manual: Callable[[_Plan], bool] = lambda p: False


def _no_cap(p: _Plan) -> bool:
    money = p.scenario.school.money
    return bool(money.fee_per_term or money.fee_per_day) and fee_cap_term(p.scenario) is None


PROHIBITIONS: tuple[Prohibition, ...] = (
    Prohibition(1, _voluntary),
    Prohibition(2, _subject_teaching),
    Prohibition(3, _homework_load, lambda p: True),
    Prohibition(4, _fees, _no_cap),
    Prohibition(5, _pay),
    Prohibition(6, _own_staff_cleared, lambda p: True),
    Prohibition(7, _bad_record),
    Prohibition(8, _unreviewed),
    Prohibition(9, _commercial, lambda p: True),
    Prohibition(10, _rooms_lent, lambda p: True),
)
"""The ten prohibitions of 000 方案2, in its order."""


def _checked(number: int, p: _Plan) -> str:
    lang, sc = p.lang, p.scenario
    sep = "、" if lang == "zh" else ", "
    if number == 2:
        return t("comply.checked.2", lang, words=sep.join(_examples(SUBJECT_TEACHING_WORDS)))
    if number == 3:
        return t("comply.checked.3", lang, limit=tutoring_per_day(sc))
    if number == 4:
        caps = [fee_cap_term(sc), fee_cap_day(sc)]
        cap_term, cap_day = (yuan(c, lang) if c is not None else "—" for c in caps)
        return t("comply.checked.4", lang, cap_term=cap_term, cap_day=cap_day)
    if number == 9:
        return t("comply.checked.9", lang, words=sep.join(_examples(COMMERCIAL_WORDS)))
    return t(f"comply.checked.{number}", lang)


def _examples(words: tuple[str, ...]) -> list[str]:
    """The first Chinese words of a word list, for the "what was checked" column."""
    return [w for w in words if not w.isascii()][:6]


def _row(pro: Prohibition, p: _Plan) -> ComplianceRow:
    found = pro.check(p)
    status = max((f.status for f in found), key=_RANK.__getitem__, default=Status.OK)
    lines = [f.words(p.lang) for f in found]
    if status == Status.OK and pro.manual(p):
        status = Status.MANUAL
    if pro.manual(p):
        lines.append(t(f"comply.manual.{pro.number}", p.lang))
    if not lines:
        lines = [t("comply.none_found", p.lang)]
    ids = tuple(dict.fromkeys(i for f in found for i in f.ids))
    return ComplianceRow(
        number=pro.number,
        rule=t(f"comply.rule.{pro.number}", p.lang),
        checked=_checked(pro.number, p),
        status=status,
        found=tuple(lines),
        ids=ids,
        lang=p.lang,
    )


def build_compliance(scenario: Scenario, plan: Plan, lang: str | None = None) -> Compliance:
    """The ten rows of ``plan`` against ``scenario``, in ``lang`` (default: the school's language)."""
    lang = check_lang(lang or scenario.school.language)
    p = _Plan(scenario, plan, lang)
    school = scenario.school
    assert school.term_start and school.term_end
    term = t("publish.term", lang, start=long_date(school.term_start, lang), end=long_date(school.term_end, lang))
    return Compliance(
        lang=lang,
        school=school.name,
        version=plan.meta.version,
        term=term,
        rows=tuple(_row(pro, p) for pro in PROHIBITIONS),
    )


# ---- writing ----------------------------------------------------------------------------------
def compliance_html(report: Compliance) -> str:
    """comply.html: the ten rows on A4 (portrait), with the verdict and a line to sign."""
    return render("comply.html", report.lang, c=report)


def fill_sheet(report: Compliance, w: Any) -> None:
    """The report's sheet in a workbook of the report's :class:`~cluster_planner.report.xlsx.WorkbookWriter`."""
    sheet = w.sheet(t("comply.sheet", report.lang))
    sheet.title(report.title)
    sheet.lines([report.intro, report.verdict])
    sheet.table(report.frame())
    sheet.finish(landscape=True, repeat_header=True)


def write_compliance_xlsx(report: Compliance, path: Path) -> Path:
    """comply.xlsx: one sheet, a row per prohibition."""
    return write_workbook(path, report.lang, lambda w: fill_sheet(report, w))


def write_compliance(report: Compliance, out: str | Path, inputs: Iterable[str | Path] = ()) -> list[Path]:
    """Write comply.html and comply.xlsx into the new folder ``out`` atomically (never over the user's files)."""
    page = compliance_html(report)
    return write_page_and_workbook(out, "comply", page, lambda p: write_compliance_xlsx(report, p), inputs, report.lang)
