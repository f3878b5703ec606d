"""Everything the solver stages need, derived once from a validated scenario.

No CP-SAT here: sets, candidate lists and weekly patterns, computed in id order so that
every later stage is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from cluster_planner import rules
from cluster_planner.domain import Activity, ActivityKind, ActivityMode, Scenario, Staff, Student, Timeslot
from cluster_planner.i18n import register
from cluster_planner.rules import adults_needed, balanced_sizes

__all__ = ["ChoiceOption", "Pattern", "PlanningData", "adults_needed", "balanced_sizes", "prepare"]

register(
    {
        "warning.no_cleared_skill": (
            "活动「{activity}」：没有通过背景审查且具备{skills}技能的教职工，不会开设",
            "activity {activity}: no cleared adult has skill {skills}; it will not open",
        ),
        "warning.too_few_slots": (
            "活动「{activity}」：每周 {n} 次，但只有 {slots} 个可用时段，不会开设",
            "activity {activity}: {n} meetings a week but only {slots} slots; it will not open",
        ),
    }
)

NO_CHOICE_COST = 12
PRIORITY_NO_CHOICE_COST = 52


@dataclass(frozen=True)
class Pattern:
    """A weekly meeting pattern of an activity: the slots one of its groups meets at."""

    activity_id: str
    index: int
    slot_ids: tuple[str, ...]


@dataclass(frozen=True)
class ChoiceOption:
    """Student ``student_id`` may be granted ``activity_id`` (rank ``rank``) on ``pattern``."""

    student_id: str
    activity_id: str
    rank: int
    pattern: Pattern


@dataclass
class PlanningData:
    """Derived inputs shared by the stages (built by :func:`prepare`)."""

    scenario: Scenario
    seed: int
    warnings: list[tuple[str, tuple[tuple[str, object], ...]]] = field(default_factory=list)
    """Catalogue key and parameters of each warning (said where the plan is written)."""

    # ---- slots ------------------------------------------------------------------------
    @cached_property
    def slots(self) -> tuple[Timeslot, ...]:
        return self.scenario.sorted_slots

    @cached_property
    def overlapping(self) -> dict[str, frozenset[str]]:
        """For each slot, the slots (itself included) at once with it, in either season (S3, T5, R1)."""
        return rules.overlapping(self.slots)

    @cached_property
    def simultaneous(self) -> tuple[frozenset[str], ...]:
        """Maximal sets of slots in progress at one instant (T5: one place at a time)."""
        return rules.simultaneous_sets(self.slots)

    @cached_property
    def room_sets(self) -> tuple[frozenset[str], ...]:
        """R1: for each slot, it and every slot at once with it; a room's groups over each set ≤ its max."""
        return rules.room_sharing_sets(self.slots)

    # ---- students ---------------------------------------------------------------------
    @cached_property
    def students(self) -> tuple[Student, ...]:
        return self.scenario.approved_students

    @cached_property
    def grade(self) -> dict[str, int]:
        return {s.student_id: self.scenario.grade_of(s) for s in self.students}

    @cached_property
    def class_of(self) -> dict[str, str]:
        """Each approved student's home class."""
        return {s.student_id: s.class_id for s in self.students}

    @cached_property
    def service_slots(self) -> dict[str, frozenset[str]]:
        return {k: frozenset(v) for k, v in self.scenario.service_slots.items()}

    @cached_property
    def lottery(self) -> dict[str, int]:
        """Each student's place in the seeded draw (``rules.scenario_lottery``): 1 is the luckiest (S6 ties)."""
        return rules.scenario_lottery(self.scenario, self.seed)

    def is_priority(self, student: Student) -> bool:
        return rules.is_priority(self.scenario, student)

    @cached_property
    def priority_ids(self) -> frozenset[str]:
        """Approved students of a priority group (S2), computed once for every stage."""
        return frozenset(s.student_id for s in self.students if self.is_priority(s))

    # ---- activities -------------------------------------------------------------------
    @cached_property
    def choice_activities(self) -> tuple[Activity, ...]:
        """Activities allocated by ranked choice (not care, not class mode) that can open."""
        return tuple(
            a
            for a in sorted(self.scenario.activities, key=lambda a: a.activity_id)
            if a.mode == ActivityMode.CHOICE and a.kind != ActivityKind.CARE and self.patterns.get(a.activity_id)
        )

    @cached_property
    def class_activities(self) -> tuple[Activity, ...]:
        """Activities a home class takes as a whole (以班为单位) that can open."""
        return tuple(
            a
            for a in sorted(self.scenario.activities, key=lambda a: a.activity_id)
            if a.mode == ActivityMode.CLASS and self.patterns.get(a.activity_id)
        )

    @cached_property
    def _qualified(self) -> dict[tuple[str, str | None], tuple[Staff, ...]]:
        """Memo of :meth:`qualified_staff` / :meth:`qualified_at` (every stage asks them again)."""
        return {}

    def qualified_staff(self, activity: Activity) -> tuple[Staff, ...]:
        """Staff who may lead the activity (one of this scenario's) at some time (T2, T3, T5 hours), by id."""
        key = (activity.activity_id, None)
        if key not in self._qualified:
            staff = sorted(self.scenario.staff, key=lambda p: p.staff_id)
            self._qualified[key] = tuple(p for p in staff if rules.may_lead(p, activity))
        return self._qualified[key]

    def qualified_at(self, activity: Activity, slot_id: str) -> tuple[Staff, ...]:
        """Staff who may lead the activity at this slot (T2, T3, T5), by id."""
        key = (activity.activity_id, slot_id)
        if key not in self._qualified:
            slot = self.scenario.slot_by_id[slot_id]
            self._qualified[key] = tuple(p for p in self.qualified_staff(activity) if rules.may_lead(p, activity, slot))
        return self._qualified[key]

    @cached_property
    def patterns(self) -> dict[str, tuple[Pattern, ...]]:
        """Weekly patterns of every activity that has qualified staff (H4)."""
        out: dict[str, tuple[Pattern, ...]] = {}
        for a in sorted(self.scenario.activities, key=lambda a: a.activity_id):
            if a.kind == ActivityKind.CARE and a.mode == ActivityMode.CHOICE:
                continue
            if not self.qualified_staff(a):
                params = (("activity", a.name or a.activity_id), ("skills", " ".join(sorted(a.skill))))
                self.warnings.append(("warning.no_cleared_skill", params))
                continue
            combos = rules.weekly_patterns(self.scenario, a)
            if not combos:
                allowed = self.scenario.activity_slots(a)
                params = (("activity", a.name or a.activity_id), ("n", a.sessions_per_week), ("slots", len(allowed)))
                self.warnings.append(("warning.too_few_slots", params))
                continue
            out[a.activity_id] = tuple(Pattern(a.activity_id, i, combo) for i, combo in enumerate(combos))
        return out

    @cached_property
    def choice_options(self) -> tuple[ChoiceOption, ...]:
        """Every (student, chosen activity, pattern) the allocation may grant (S4, S6)."""
        by_id = {a.activity_id: a for a in self.choice_activities}
        options: list[ChoiceOption] = []
        for s in self.students:
            seen: set[str] = set()
            for rank, aid in s.choices:
                a = by_id.get(aid)
                if a is None or aid in seen or not a.eligible(self.grade[s.student_id]):
                    continue
                seen.add(aid)
                for p in self.patterns[aid]:
                    if set(p.slot_ids) <= self.service_slots[s.student_id]:
                        options.append(ChoiceOption(s.student_id, aid, rank, p))
        return tuple(options)

    def no_choice_cost(self, student: Student) -> int:
        """Cost of granting none of a student's choices (S2 priority weighs more)."""
        return PRIORITY_NO_CHOICE_COST if self.is_priority(student) else NO_CHOICE_COST

    @cached_property
    def class_members(self) -> dict[str, tuple[Student, ...]]:
        """Approved students per home class, by id."""
        return dict(self.scenario.students_by_class)

    def classes_of(self, activity: Activity) -> tuple[str, ...]:
        """Home classes that take a class activity (eligible grade, with approved students)."""
        return tuple(
            c.class_id
            for c in sorted(self.scenario.classes, key=lambda c: c.class_id)
            if activity.eligible(c.grade) and self.class_members.get(c.class_id)
        )

    def care_activity(self, student_id: str) -> Activity | None:
        return self.scenario.care_activity_of_grade.get(self.grade[student_id])

    def staff_free_at(self, slot_id: str) -> tuple[Staff, ...]:
        """Cleared staff available at a slot with the hours for it (T2, T5), by id."""
        slot = self.scenario.slot_by_id[slot_id]
        return tuple(
            p
            for p in sorted(self.scenario.staff, key=lambda p: p.staff_id)
            if rules.is_cleared(p) and rules.available_at(p, slot) and rules.has_hours(p, slot.periods)
        )


def prepare(scenario: Scenario, seed: int | None = None) -> PlanningData:
    """Derive the planning data of a scenario; ``seed`` overrides school.toml's."""
    return PlanningData(scenario=scenario, seed=scenario.school.rules.seed if seed is None else seed)
