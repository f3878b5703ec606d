"""Fast counting checks before solving: each finding one sentence with the numbers.

Nothing here solves anything: students, groups, rooms and adults are counted per slot,
grade band, activity, skill and staff kind, and every shortfall a plan cannot escape (or
very likely cannot) becomes a :class:`Finding` warning. ``validate`` shows them;
``solve`` and ``explain`` print them first.
"""

from __future__ import annotations

import math
from collections import defaultdict

from cluster_planner.domain import Activity, ActivityKind, ActivityMode, Scenario, Timeslot
from cluster_planner.findings import Finding, Severity, Term
from cluster_planner.i18n import register
from cluster_planner.solver.prepare import PlanningData, adults_needed, balanced_sizes, prepare
from cluster_planner.solver.staffing import GROUP_LEADERS, available_on_day

from .model import may_lead, patterns_of
from .rules import activity_name, grades_text, kind_word, staff_name

register(
    {
        "precheck.band_short": (
            "{slot} {grades}年级：{students} 名学生需要安排，若都在托管至少要 {groups} 个组、{adults} 名教师；"
            "空闲的合适场地只有 {rooms} 个、合格教师 {free} 名",
            "{slot}, grades {grades}: {students} students need a place; in care that takes at least {groups} "
            "groups and {adults} adults, but only {rooms} suitable room places and {free} qualified adults are free",
        ),
        "precheck.slot_short": (
            "{slot}：共 {students} 名学生需要安排，至少要 {groups} 个组、{adults} 名教师；"
            "空闲室内场地 {rooms} 个、可带组的教职工 {free} 名",
            "{slot}: {students} students in all need at least {groups} groups and {adults} adults; "
            "{rooms} indoor room places and {free} adults who may lead a group are free",
        ),
        "precheck.skill_short": (
            "{slot}：「{activity}」需要 {need} 名具备 {skills} 技能的教师，通过审查且有空的只有 {free} 名",
            "{slot}: {activity} needs {need} adults with skill {skills}; {free} are cleared and free",
        ),
        "precheck.uncleared_holder": (
            "「{activity}」：具备 {skills} 技能的只有 {names}，但未通过背景审查，该活动不会开设",
            "{activity}: only {names} has skill {skills}, and has not passed the background check; it will not open",
        ),
        "precheck.never_opens": (
            "「{activity}」：只有 {demand} 名可参加的学生选报，少于开组最低人数 {min}，不会开设",
            "{activity}: only {demand} eligible students chose it, below its minimum of {min}; it will never open",
        ),
        "precheck.over_capacity": (
            "「{activity}」：{demand} 名学生把它列为第一志愿，最多 {groups} 组 × {cap} 人 = {places} 个名额",
            "{activity}: {demand} students put it first; at most {groups} groups × {cap} = {places} places",
        ),
        "precheck.rain_short": (
            "{slot}：{outdoor} 个室外组各需一间室内雨天场地，另有 {rest} 名学生至少还要 {groups} 个室内组；"
            "空闲室内场地只有 {rooms} 个",
            "{slot}: {outdoor} outdoor groups each need an indoor room for rain and {rest} other students need "
            "at least {groups} indoor groups; {rooms} indoor room places are free",
        ),
        "precheck.duty_short": (
            "{day}{at}：值班岗位（{posts}）需要 {count} 名{kind}，通过审查且有空的只有 {free} 名",
            "{day}{at}: duty posts ({posts}) need {count} {kind}; {free} cleared {kind} are available",
        ),
        "precheck.workload": (
            "每周至少需要 {need} 课时的带组与值班，教职工的课时上限合计最多 {capacity} 课时",
            "the week needs at least {need} periods of groups and duties; the staff's limits allow at most {capacity}",
        ),
    }
)


def _warn(code: str, file: str = "", **params: object) -> Finding:
    return Finding(Severity.WARNING, code, file=file, params=params)


class _Counts:
    """Counts shared by the checks."""

    def __init__(self, scenario: Scenario) -> None:
        self.sc = scenario
        self.data: PlanningData = prepare(scenario)
        self.at: dict[str, list[str]] = defaultdict(list)  # slot -> students
        for sid, slots in self.data.service_slots.items():
            for slot_id in slots:
                self.at[slot_id].append(sid)

    def indoor_places(self, slot: Timeslot, types: frozenset[str] = frozenset()) -> int:
        return sum(
            r.max_groups
            for r in self.sc.rooms
            if not r.outdoor and self.sc.room_available(r, slot) and (not types or r.type in types)
        )

    def qualified_free(self, activity: Activity, slot: Timeslot) -> int:
        return sum(
            1
            for p in self.sc.staff
            if p.cleared and may_lead(p.skills, p.kind, activity) and self.sc.staff_available(p, slot)
        )

    def duty_at(self, slot_id: str) -> int:
        return sum(d.count for d in self.sc.duties if d.slot_id == slot_id)

    def leaders_free(self, slot: Timeslot) -> int:
        return sum(
            1 for p in self.sc.staff if p.cleared and p.kind in GROUP_LEADERS and self.sc.staff_available(p, slot)
        )

    def demand(self, activity: Activity, first_only: bool) -> int:
        """Eligible students choosing it (first choice only, or any rank) who can meet on one pattern."""
        pats = patterns_of(self.data, activity)
        count = 0
        for s in self.data.students:
            ranks = [r for r, aid in s.choices if aid == activity.activity_id]
            if not ranks or (first_only and ranks[0] != 1):
                continue
            if activity.eligible(self.data.grade[s.student_id]) and any(
                set(p) <= self.data.service_slots[s.student_id] for p in pats
            ):
                count += 1
        return count

    def wanted(self, activity: Activity) -> tuple[int, int, int]:
        """Groups, students and adults an activity brings to each of its meetings if its demand is met."""
        cap = self.sc.group_cap_of(activity)
        ratio = self.sc.school.rules.ratio
        if activity.mode == ActivityMode.CLASS:
            groups = students = adults = 0
            for cid in self.data.classes_of(activity):
                members = len(self.data.class_members[cid])
                parts = max(1, math.ceil(members / cap))
                groups += parts
                students += members
                adults += sum(adults_needed(n, ratio) for n in balanced_sizes(members, parts))
            return groups, students, adults
        demand = self.demand(activity, first_only=True)
        if demand < max(1, activity.min_size):
            return 0, 0, 0
        groups = min(activity.max_groups, math.ceil(demand / cap))
        students = min(demand, groups * cap)
        return groups, students, sum(adults_needed(n, ratio) for n in balanced_sizes(students, groups))

    def fixed_slots(self, activity: Activity) -> list[str]:
        """Slots every pattern of the activity meets at (its groups surely meet there)."""
        pats = patterns_of(self.data, activity)
        if not pats:
            return []
        common = set(pats[0]).intersection(*map(set, pats[1:]))
        return [s.slot_id for s in self.data.slots if s.slot_id in common]


def _menu_activities(scenario: Scenario) -> list[Activity]:
    return [
        a
        for a in sorted(scenario.activities, key=lambda a: a.activity_id)
        if not (a.kind == ActivityKind.CARE and a.mode == ActivityMode.CHOICE)
    ]


def _care_checks(c: _Counts) -> list[Finding]:
    """Per slot and grade band, then per slot in all: groups and adults needed vs rooms and adults free."""
    out: list[Finding] = []
    rules = c.sc.school.rules
    for slot in c.data.slots:
        students = c.at.get(slot.slot_id, [])
        if not students:
            continue
        bands: dict[str, list[str]] = defaultdict(list)
        for sid in students:
            care = c.data.care_activity(sid)
            if care is not None:
                bands[care.activity_id].append(sid)
        for aid, members in sorted(bands.items()):
            care = c.sc.activity_by_id[aid]
            groups = math.ceil(len(members) / rules.group_cap)
            adults = max(groups, math.ceil(len(members) / rules.ratio))
            rooms = c.indoor_places(slot, care.room_type)
            free = c.qualified_free(care, slot)
            if groups > rooms or adults > free:
                grades = grades_text({c.data.grade[s] for s in members})
                out.append(
                    _warn(
                        "precheck.band_short",
                        slot=slot.slot_id,
                        grades=grades,
                        students=len(members),
                        groups=groups,
                        adults=adults,
                        rooms=rooms,
                        free=free,
                    )
                )
        groups = math.ceil(len(students) / rules.group_cap)
        adults = max(groups, math.ceil(len(students) / rules.ratio))
        rooms = c.indoor_places(slot)
        free = c.leaders_free(slot) - c.duty_at(slot.slot_id)
        if groups > rooms or adults > free:
            out.append(
                _warn(
                    "precheck.slot_short",
                    slot=slot.slot_id,
                    students=len(students),
                    groups=groups,
                    adults=adults,
                    rooms=rooms,
                    free=max(0, free),
                )
            )
    return out


def _activity_checks(c: _Counts) -> list[Finding]:
    """Per activity: cleared staff with its skill, adults at its slots, demand vs minimum and places."""
    out: list[Finding] = []
    for a in _menu_activities(c.sc):
        skills = " ".join(sorted(a.skill))
        if a.skill and not any(p.cleared and a.skill & p.skills for p in c.sc.staff):
            holders = [staff_name(p) for p in sorted(c.sc.staff, key=lambda p: p.staff_id) if a.skill & p.skills]
            if holders:  # with no holder at all, validation already warns
                out.append(
                    _warn(
                        "precheck.uncleared_holder",
                        "activities.csv",
                        activity=activity_name(a),
                        skills=skills,
                        names=", ".join(holders),
                    )
                )
            continue
        if a.mode == ActivityMode.CHOICE:
            demand = c.demand(a, first_only=False)
            if 0 < demand < a.min_size:
                out.append(
                    _warn(
                        "precheck.never_opens",
                        "activities.csv",
                        activity=activity_name(a),
                        demand=demand,
                        min=a.min_size,
                    )
                )
                continue
            first = c.demand(a, first_only=True)
            cap = c.sc.group_cap_of(a)
            if first > a.max_groups * cap:
                out.append(
                    _warn(
                        "precheck.over_capacity",
                        "activities.csv",
                        activity=activity_name(a),
                        demand=first,
                        groups=a.max_groups,
                        cap=cap,
                        places=a.max_groups * cap,
                    )
                )
        _groups, _students, adults = c.wanted(a)
        for slot_id in c.fixed_slots(a):
            free = c.qualified_free(a, c.sc.slot_by_id[slot_id])
            if adults > free:
                out.append(
                    _warn(
                        "precheck.skill_short",
                        slot=slot_id,
                        activity=activity_name(a),
                        need=adults,
                        skills=skills or "-",
                        free=free,
                    )
                )
    return out


def _rain_checks(c: _Counts) -> list[Finding]:
    """Per slot: outdoor groups that surely meet need indoor rain rooms beside everyone else's groups."""
    out: list[Finding] = []
    cap = c.sc.school.rules.group_cap
    outdoor: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # slot -> [groups, students]
    for a in _menu_activities(c.sc):
        if not a.outdoor:
            continue
        groups, students, _ = c.wanted(a)
        for slot_id in c.fixed_slots(a):
            outdoor[slot_id][0] += groups
            outdoor[slot_id][1] += students
    for slot in c.data.slots:
        groups, students = outdoor.get(slot.slot_id, (0, 0))
        if not groups:
            continue
        rest = max(0, len(c.at.get(slot.slot_id, [])) - students)
        indoor = math.ceil(rest / cap)
        rooms = c.indoor_places(slot)
        if groups + indoor > rooms:
            out.append(
                _warn("precheck.rain_short", slot=slot.slot_id, outdoor=groups, rest=rest, groups=indoor, rooms=rooms)
            )
    return out


def _duty_checks(c: _Counts) -> list[Finding]:
    """Per day (all-day posts) or slot, and staff kind: holders needed vs cleared staff of that kind free."""
    out: list[Finding] = []
    posts: dict[tuple[int, str, str, str], list] = defaultdict(list)
    for d in c.sc.duties:
        if d.count:
            posts[(d.day.index, d.day.value, d.slot_id or "", d.kind.value)].append(d)
    for (_i, day, slot_id, kind), group in sorted(posts.items()):
        need = sum(d.count for d in group)
        free = sum(1 for p in c.sc.staff if p.kind == kind and p.cleared and available_on_day(c.data, p, group[0]))
        if need > free:
            out.append(
                _warn(
                    "precheck.duty_short",
                    "duties.csv",
                    day=day,
                    at=f" {slot_id}" if slot_id else "",
                    posts=" ".join(sorted({d.post for d in group})),
                    count=need,
                    kind=Term(kind_word(kind)),
                    free=free,
                )
            )
    return out


def _workload_check(c: _Counts) -> list[Finding]:
    """The week's periods needed at least (one adult per group, duties) vs the staff's limits."""
    rules = c.sc.school.rules
    need = 0.0
    for slot in c.data.slots:
        n = len(c.at.get(slot.slot_id, []))
        need += max(math.ceil(n / rules.group_cap), math.ceil(n / rules.ratio)) * slot.periods
    need += sum(d.count * d.periods for d in c.sc.duties)
    capacity = 0.0
    for p in c.sc.staff:
        if not p.cleared:
            continue
        per_day: dict[str, float] = defaultdict(float)
        for slot in c.data.slots:
            if c.sc.staff_available(p, slot):
                per_day[slot.day.value] += slot.periods
        for d in c.sc.duties:
            if d.kind == p.kind and not d.slot_id and available_on_day(c.data, p, d):
                per_day[d.day.value] += d.periods
        days = [min(v, p.max_periods_day) if p.max_periods_day is not None else v for v in per_day.values()]
        week = sum(days)
        capacity += min(week, p.max_periods_week) if p.max_periods_week is not None else week
    if need > capacity + 1e-9:
        return [_warn("precheck.workload", "staff.csv", need=f"{need:g}", capacity=f"{capacity:g}")]
    return []


SUPERSEDES = {"precheck.uncleared_holder": "finding.no_cleared_skill"}  # pre-check -> validation code it replaces


def with_prechecks(findings: list[Finding], checks: list[Finding]) -> list[Finding]:
    """Validation findings then pre-checks, a validation warning dropped where a pre-check says it better.

    "No cleared adult has skill X" (validation) and "only E01 has skill X, not cleared"
    (pre-check) are one fact: the more specific pre-check stays.
    """
    replaced = {(SUPERSEDES[c.code], c.params.get("skills")) for c in checks if c.code in SUPERSEDES}
    kept = [f for f in findings if (f.code, f.params.get("skills")) not in replaced]
    return [*kept, *checks]


def precheck(scenario: Scenario) -> list[Finding]:
    """Every counting check, as warnings (empty when nothing is short)."""
    c = _Counts(scenario)
    return [*_care_checks(c), *_activity_checks(c), *_rain_checks(c), *_duty_checks(c), *_workload_check(c)]
