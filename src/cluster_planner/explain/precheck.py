"""Fast counting checks before solving: each finding one sentence with the numbers.

Nothing here solves anything: students, groups, rooms and adults are counted per slot,
grade band, activity, skill and staff kind, and every shortfall a plan cannot escape (or
very likely cannot) becomes a :class:`Finding` warning. ``validate`` shows them;
``solve`` and ``explain`` print them first. The few that are proofs (:data:`CERTAIN`) are
``explain``'s answer on their own. What the rules are is asked of :mod:`cluster_planner.rules`.
"""

from __future__ import annotations

import math
from collections import defaultdict

from cluster_planner.domain import Activity, ActivityKind, ActivityMode, Scenario, Timeslot
from cluster_planner.findings import Finding, Severity, Term
from cluster_planner.i18n import register
from cluster_planner.rules import (
    GROUP_LEADING_KINDS,
    adults_needed,
    available_at,
    balanced_sizes,
    class_parts,
    day_limit,
    group_cap,
    is_cleared,
    may_hold_duty,
    may_lead,
    qualified_for,
    ratio,
    week_limit,
    weekly_patterns,
)

from .instances import activity_name, grades_text, kind_word, staff_name
from .pools import classes_taking

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
        "precheck.no_adults": (
            "{when}：{students} 名学生需要安排，但没有任何通过审查、有空且可带组的教职工",
            "{when}: {students} students need a place, but no cleared adult who may lead a group is available then",
        ),
        "precheck.workload": (
            "每周至少需要 {need} 课时的带组与值班，教职工的课时上限合计最多 {capacity} 课时",
            "the week needs at least {need} periods of groups and duties; the staff's limits allow at most {capacity}",
        ),
    }
)


register(
    {  # what each pre-check expected instead (the findings table's "expected" column)
        "expect.precheck.rooms_and_adults": (
            "至少 {groups} 个合适的空闲场地和 {adults} 名有空的合格教师",
            "at least {groups} suitable free rooms and {adults} free qualified adults",
        ),
        "expect.precheck.skill": (
            "{need} 名通过审查、有空且具备所需技能的教师",
            "{need} cleared, free adults with a needed skill",
        ),
        "expect.precheck.cleared_holder": (
            "一名通过背景审查、具备 {skills} 技能的教职工",
            "a cleared staff member with skill {skills}",
        ),
        "expect.precheck.min_demand": (
            "至少 {min} 名可参加的学生选报，或更低的最少人数（min_size）",
            "at least {min} eligible students choosing it, or a lower min_size",
        ),
        "expect.precheck.places": (
            "第一志愿不超过 {places} 人，或更多组（max_groups）、更大的组",
            "at most {places} first choices, or more groups (max_groups) or larger ones",
        ),
        "expect.precheck.rain_rooms": (
            "更多空闲的室内场地：{outdoor} 个雨天备用，另加 {groups} 个室内组",
            "more free indoor rooms: {outdoor} for rain, plus {groups} for indoor groups",
        ),
        "expect.precheck.duty": ("{count} 名通过审查且有空的{kind}", "{count} cleared {kind} available"),
        "expect.precheck.leader": (
            "至少一名通过审查、有空且可带组的教职工",
            "a cleared adult who may lead a group, available then",
        ),
        "expect.precheck.workload": (
            "教职工课时上限合计至少 {need} 课时",
            "staff limits adding up to at least {need} periods",
        ),
    }
)

EXPECTED = {
    "precheck.band_short": "expect.precheck.rooms_and_adults",
    "precheck.slot_short": "expect.precheck.rooms_and_adults",
    "precheck.skill_short": "expect.precheck.skill",
    "precheck.uncleared_holder": "expect.precheck.cleared_holder",
    "precheck.never_opens": "expect.precheck.min_demand",
    "precheck.over_capacity": "expect.precheck.places",
    "precheck.rain_short": "expect.precheck.rain_rooms",
    "precheck.duty_short": "expect.precheck.duty",
    "precheck.no_adults": "expect.precheck.leader",
    "precheck.workload": "expect.precheck.workload",
}
"""What each pre-check expected, by its code."""


def _warn(code: str, file: str = "", **params: object) -> Finding:
    return Finding(Severity.WARNING, code, file=file, expected=EXPECTED[code], params=params)


class _Counts:
    """Counts shared by the checks."""

    def __init__(self, scenario: Scenario) -> None:
        self.sc = scenario
        self.slots = scenario.sorted_slots
        self.at: dict[str, list[str]] = defaultdict(list)  # slot -> students
        for sid, slots in scenario.service_slots.items():
            for slot_id in slots:
                self.at[slot_id].append(sid)
        self.grade = {s.student_id: scenario.grade_of(s) for s in scenario.approved_students}

    def indoor_places(self, slot: Timeslot, types: frozenset[str] = frozenset()) -> int:
        return sum(
            r.max_groups
            for r in self.sc.rooms
            if not r.outdoor and self.sc.room_available(r, slot) and (not types or r.type in types)
        )

    def qualified_free(self, activity: Activity, slot: Timeslot) -> int:
        return sum(1 for p in self.sc.staff if may_lead(p, activity, slot))

    def duty_at(self, slot_id: str) -> int:
        return sum(d.count for d in self.sc.duties if d.slot_id == slot_id)

    def leaders_free(self, slot: Timeslot) -> int:
        return sum(
            1 for p in self.sc.staff if is_cleared(p) and p.kind in GROUP_LEADING_KINDS and available_at(p, slot)
        )

    def any_leader(self, slot: Timeslot) -> bool:
        """Some adult may lead a group of some activity at the slot (T2, T3, T5)."""
        return any(may_lead(p, a, slot) for p in self.sc.staff for a in self.sc.activities)

    def demand(self, activity: Activity, first_only: bool) -> int:
        """Eligible students choosing it (first choice only, or any rank) who can meet on one pattern."""
        pats = weekly_patterns(self.sc, activity)
        count = 0
        for s in self.sc.approved_students:
            ranks = [r for r, aid in s.choices if aid == activity.activity_id]
            if not ranks or (first_only and ranks[0] != 1):
                continue
            mine = set(self.sc.service_slots[s.student_id])
            if activity.eligible(self.grade[s.student_id]) and any(set(p) <= mine for p in pats):
                count += 1
        return count

    def wanted(self, activity: Activity) -> tuple[int, int, int]:
        """Groups, students and adults an activity brings to each of its meetings if its demand is met."""
        cap = group_cap(self.sc, activity)
        per = ratio(self.sc)
        if activity.mode == ActivityMode.CLASS:
            groups = students = adults = 0
            for c in classes_taking(self.sc, activity):
                members = len(self.sc.students_by_class[c.class_id])
                parts = class_parts(self.sc, activity, members)
                groups += len(parts)
                students += members
                adults += sum(adults_needed(n, per) for n in parts)
            return groups, students, adults
        demand = self.demand(activity, first_only=True)
        if demand < max(1, activity.min_size):
            return 0, 0, 0
        groups = min(activity.max_groups, math.ceil(demand / cap))
        students = min(demand, groups * cap)
        return groups, students, sum(adults_needed(n, per) for n in balanced_sizes(students, groups))

    def fixed_slots(self, activity: Activity) -> list[str]:
        """Slots every pattern of the activity meets at (its groups surely meet there)."""
        pats = weekly_patterns(self.sc, activity)
        if not pats:
            return []
        common = set(pats[0]).intersection(*map(set, pats[1:]))
        return [s.slot_id for s in self.slots if s.slot_id in common]


def _menu_activities(scenario: Scenario) -> list[Activity]:
    return [
        a
        for a in sorted(scenario.activities, key=lambda a: a.activity_id)
        if not (a.kind == ActivityKind.CARE and a.mode == ActivityMode.CHOICE)
    ]


def _care_checks(c: _Counts) -> list[Finding]:
    """Per slot and grade band, then per slot in all: groups and adults needed vs rooms and adults free."""
    out: list[Finding] = []
    cap, per = c.sc.school.rules.group_cap, ratio(c.sc)  # the largest cap any group may have
    for slot in c.slots:
        students = c.at.get(slot.slot_id, [])
        if not students:
            continue
        bands: dict[str, list[str]] = defaultdict(list)
        for sid in students:
            care = c.sc.care_activity_of_grade.get(c.grade[sid])
            if care is not None:
                bands[care.activity_id].append(sid)
        for aid, members in sorted(bands.items()):
            care = c.sc.activity_by_id[aid]
            groups = math.ceil(len(members) / group_cap(c.sc, care))
            adults = max(groups, math.ceil(len(members) / per))
            rooms = c.indoor_places(slot, care.room_type)
            free = c.qualified_free(care, slot)
            if groups > rooms or adults > free:
                grades = grades_text({c.grade[s] for s in members})
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
        groups = math.ceil(len(students) / cap)
        adults = max(groups, math.ceil(len(students) / per))
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
        if a.skill and not any(is_cleared(p) and qualified_for(p, a) for p in c.sc.staff):
            holders = [staff_name(p) for p in sorted(c.sc.staff, key=lambda p: p.staff_id) if qualified_for(p, a)]
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
    for slot in c.slots:
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
        free = sum(1 for p in c.sc.staff if may_hold_duty(p, group[0], c.slots))
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
    cap, per = c.sc.school.rules.group_cap, ratio(c.sc)
    need = 0.0
    for slot in c.slots:
        n = len(c.at.get(slot.slot_id, []))
        need += max(math.ceil(n / cap), math.ceil(n / per)) * slot.periods
    need += sum(d.count * d.periods for d in c.sc.duties)
    capacity = 0.0
    for p in c.sc.staff:
        if not is_cleared(p):
            continue
        per_day: dict[str, float] = defaultdict(float)
        for slot in c.slots:
            if available_at(p, slot):
                per_day[slot.day.value] += slot.periods
        for d in c.sc.duties:
            if not d.slot_id and may_hold_duty(p, d, c.slots):
                per_day[d.day.value] += d.periods
        day, week = day_limit(p), week_limit(p)
        days = [min(v, day) if day is not None else v for v in per_day.values()]
        capacity += min(sum(days), week) if week is not None else sum(days)
    if need > capacity + 1e-9:
        return [_warn("precheck.workload", "staff.csv", need=f"{need:g}", capacity=f"{capacity:g}")]
    return []


def _no_adult_checks(c: _Counts) -> list[Finding]:
    """Slots where students need a place and no adult may lead any group: a whole day, or the slots."""
    empty = [s for s in c.slots if c.at.get(s.slot_id) and not c.any_leader(s)]
    if not empty:
        return []
    when: list[str] = []
    for day in dict.fromkeys(s.day for s in empty):
        needed = [s for s in c.slots if s.day == day and c.at.get(s.slot_id)]
        here = [s for s in empty if s.day == day]
        when += [day.value] if len(here) == len(needed) else [s.slot_id for s in here]
    students = len({sid for s in empty for sid in c.at[s.slot_id]})
    return [_warn("precheck.no_adults", "staff.csv", when=" ".join(when), students=students)]


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
    return [
        *_no_adult_checks(c),
        *_care_checks(c),
        *_activity_checks(c),
        *_rain_checks(c),
        *_duty_checks(c),
        *_workload_check(c),
    ]


#: Pre-checks that are proofs, not estimates: every plan keeping the hard rules would meet
#: these counts (each group has an adult, every student needing a place is in a group, every
#: post is held, nobody works past their limits). When one fires it *is* the explanation.
CERTAIN = frozenset({"precheck.no_adults", "precheck.workload"})


def certain(checks: list[Finding]) -> list[Finding]:
    """The pre-check findings that prove no plan can keep every hard rule."""
    return [f for f in checks if f.code in CERTAIN]
