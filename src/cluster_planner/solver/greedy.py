"""Stage A's fallback: a first-come-first-served allocation under the rules stage A models.

Students are served one at a time (priority students first, S2; then the seeded lottery
order, S6: no row-order advantage; locked students before all), each given their best-ranked choice that still fits:
group caps and ``max_groups``, S3 (no overlap), S5 (tutoring per day), and the per-slot
room, adult and qualified-adult capacities, care groups included. Groups left below
``min_size`` are cancelled and the pass repeated without them. It costs well under a second
on 3,000 students, so :func:`cluster_planner.solver.allocation.allocate` uses it when CP-SAT
finds no allocation in the time given — a plan with fewer granted choices rather than none.
The benchmark also uses it as the first-come-first-served peer (``bench/baselines.py``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from cluster_planner import rules
from cluster_planner.solver.prepare import ChoiceOption, Pattern, PlanningData


def options_by_student(data: PlanningData) -> dict[str, list[ChoiceOption]]:
    """Each student's choice options (activity × weekly pattern), best rank first."""
    out: dict[str, list[ChoiceOption]] = defaultdict(list)
    for o in data.choice_options:
        out[o.student_id].append(o)
    return dict(out)


@dataclass
class _SlotUse:
    """What one slot holds in stage A's aggregate terms."""

    groups: int = 0
    adults: int = 0


@dataclass
class _State:
    """A greedy allocation in progress: open groups, members, care left behind."""

    size: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    groups: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    groups_of: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    care_need: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    taken: dict[str, list[ChoiceOption]] = field(default_factory=lambda: defaultdict(list))


@dataclass(frozen=True)
class GreedyResult:
    """A first-come-first-served allocation, in the solver's stage-A terms."""

    granted: dict[str, tuple[ChoiceOption, ...]]
    groups_open: dict[tuple[str, int], int]
    class_patterns: dict[tuple[str, str], Pattern]
    cancelled: tuple[tuple[str, int], ...]  # (activity, pattern) closed for want of min_size
    passes: int


class _Greedy:
    """First come, first served under stage A's rules (see module docstring)."""

    def __init__(self, data: PlanningData, banned: set[tuple[str, int]]) -> None:
        self.data = data
        self.banned = banned
        sc = data.scenario
        self.activity = {a.activity_id: a for a in sc.activities}
        self.slot = sc.slot_by_id
        self.class_of = data.class_of
        self.state = _State()
        # Class activities: every class on the activity's first pattern (exactly one each).
        self.class_patterns: dict[tuple[str, str], Pattern] = {}
        self.class_busy: dict[str, set[str]] = defaultdict(set)  # class -> slots its class activities meet
        self.class_use: dict[str, _SlotUse] = defaultdict(_SlotUse)
        self.class_tutoring: dict[str, list[str]] = defaultdict(list)  # class -> days of its class tutoring (S5)
        ratio = rules.ratio(sc)
        for a in data.class_activities:
            pattern = data.patterns[a.activity_id][0]
            for cid in data.classes_of(a):
                self.class_patterns[(a.activity_id, cid)] = pattern
                parts = rules.class_parts(sc, a, len(data.class_members.get(cid, ())))
                adults = sum(rules.adults_needed(size, ratio) for size in parts)
                for slot_id in pattern.slot_ids:
                    self.class_busy[cid].add(slot_id)
                    self.class_use[slot_id].groups += len(parts)
                    self.class_use[slot_id].adults += adults
                    if rules.is_tutoring(a):
                        self.class_tutoring[cid].append(self.slot[slot_id].day.value)
        # Care: every student at every service slot not taken by a class activity.
        for s in data.students:
            care = data.care_activity(s.student_id)
            if care is None:
                continue
            for slot_id in data.service_slots[s.student_id]:
                if slot_id not in self.class_busy[s.class_id]:
                    self.state.care_need[(slot_id, care.activity_id)] += 1
        # Capacities per slot (stage A's aggregate form of R1, T3, T4, T5, T6).
        duty_at: dict[str, int] = defaultdict(int)
        for d in sc.duties:
            if d.slot_id:
                duty_at[d.slot_id] += d.count
        self.rooms_at = {t.slot_id: sum(r.max_groups for r in sc.rooms if sc.room_available(r, t)) for t in data.slots}
        self.staff_at = {t.slot_id: len(data.staff_free_at(t.slot_id)) - duty_at[t.slot_id] for t in data.slots}
        self.qualified_at: dict[tuple[str, str], int] = {}
        for a in sc.activities:
            for t in data.slots:
                self.qualified_at[(a.activity_id, t.slot_id)] = len(data.qualified_at(a, t.slot_id))
        self.activities_at: dict[str, set[tuple[str, int]]] = defaultdict(set)
        self.care_at: dict[str, set[str]] = defaultdict(set)
        for slot_id, care_id in self.state.care_need:
            self.care_at[slot_id].add(care_id)

    # ---- aggregate usage -----------------------------------------------------------------
    def _adults(self, key: tuple[str, int]) -> int:
        n = self.state.groups[key]
        return max(n, math.ceil(self.state.size[key] / rules.ratio(self.data.scenario))) if n else 0

    def _care(self, slot_id: str, care_id: str) -> tuple[int, int]:
        need = self.state.care_need[(slot_id, care_id)]
        groups = math.ceil(need / rules.group_cap(self.data.scenario, self.activity[care_id]))
        return groups, max(groups, math.ceil(need / rules.ratio(self.data.scenario)))

    def _violations(self, slot_id: str) -> dict[str, int]:
        """Excess over each capacity at a slot, by capacity (0 where it fits)."""
        use = _SlotUse(self.class_use[slot_id].groups, self.class_use[slot_id].adults)
        excess: dict[str, int] = {}
        for key in self.activities_at[slot_id]:
            use.groups += self.state.groups[key]
            adults = self._adults(key)
            use.adults += adults
            excess[f"qualified {key[0]}"] = excess.get(f"qualified {key[0]}", 0) + adults
        for care_id in self.care_at[slot_id]:
            groups, adults = self._care(slot_id, care_id)
            use.groups += groups
            use.adults += adults
            excess[f"qualified {care_id}"] = excess.get(f"qualified {care_id}", 0) + adults
        for name in list(excess):
            excess[name] = max(0, excess[name] - self.qualified_at[(name.split(" ", 1)[1], slot_id)])
        excess["rooms"] = max(0, use.groups - self.rooms_at[slot_id])
        excess["adults"] = max(0, use.adults - self.staff_at[slot_id])
        return excess

    # ---- moves -----------------------------------------------------------------------------
    def _apply(self, option: ChoiceOption, new_group: bool, sign: int) -> None:
        key = (option.activity_id, option.pattern.index)
        care = self.data.care_activity(option.student_id)
        self.state.size[key] += sign
        if new_group:
            self.state.groups[key] += sign
            self.state.groups_of[option.activity_id] += sign
        for slot_id in option.pattern.slot_ids:
            self.activities_at[slot_id].add(key)
            if care is not None:
                self.state.care_need[(slot_id, care.activity_id)] -= sign

    def _try(self, option: ChoiceOption, new_group: bool) -> bool:
        """Apply a move if no slot it touches gets worse than it was."""
        before = {t: self._violations(t) for t in option.pattern.slot_ids}
        self._apply(option, new_group, +1)
        for t in option.pattern.slot_ids:
            after = self._violations(t)
            if any(x > before[t].get(name, 0) for name, x in after.items()):
                self._apply(option, new_group, -1)
                return False
        self.state.taken[option.student_id].append(option)
        return True

    def _fits_student(self, option: ChoiceOption) -> bool:
        """S3 (no overlap with granted or class activities) and S5 (tutoring per day)."""
        overlap = self.data.overlapping
        busy = set(self.class_busy[self.class_of[option.student_id]])
        for o in self.state.taken[option.student_id]:
            if o.activity_id == option.activity_id:
                return False
            busy.update(o.pattern.slot_ids)
        if any(b in overlap[s] for s in option.pattern.slot_ids for b in busy):
            return False
        if not rules.is_tutoring(self.activity[option.activity_id]):
            return True
        per_day: dict[str, int] = defaultdict(int)
        for day in self.class_tutoring[self.class_of[option.student_id]]:
            per_day[day] += 1
        for o in [*self.state.taken[option.student_id], option]:
            if rules.is_tutoring(self.activity[o.activity_id]):
                for s in o.pattern.slot_ids:
                    per_day[self.slot[s].day.value] += 1
        return all(c <= rules.tutoring_per_day(self.data.scenario) for c in per_day.values())

    def grant(self, options: list[ChoiceOption]) -> bool:
        """Grant one activity to one student: join an open group, else open one on the first pattern."""
        options = [o for o in options if (o.activity_id, o.pattern.index) not in self.banned and self._fits_student(o)]
        if not options:
            return False
        activity = self.activity[options[0].activity_id]
        cap = rules.group_cap(self.data.scenario, activity)
        for o in options:  # join: room left in the groups already open on this pattern
            key = (o.activity_id, o.pattern.index)
            if self.state.groups[key] and self.state.size[key] < cap * self.state.groups[key] and self._try(o, False):
                return True
        if self.state.groups_of[activity.activity_id] >= activity.max_groups:
            return False
        return any(self._try(o, True) for o in options)  # open: the first pattern that fits


def first_come_first_served(data: PlanningData, order: str = "id", max_passes: int = 20) -> GreedyResult:
    """Greedy allocation in student-id order (``order="lottery"``: priority students first (S2),
    each group in the seeded lottery order (S6) — the solver's fallback serves the office's order).

    Locked students get their locked activity first. Groups left below ``min_size`` are
    cancelled and the pass is repeated without that (activity, pattern), as a school would
    re-place those students.
    """
    options = options_by_student(data)
    k = rules.activities_per_student(data.scenario)
    students = list(data.students)
    if order == "lottery":
        priority = data.priority_ids
        students.sort(key=lambda s: (s.student_id not in priority, data.lottery[s.student_id]))
    locks = sorted(data.scenario.locks, key=lambda x: (x.student_id, x.activity_id))
    banned: set[tuple[str, int]] = set()
    passes = 0
    while True:
        passes += 1
        greedy = _Greedy(data, banned)
        for lock in locks:
            opts = [o for o in options.get(lock.student_id, []) if o.activity_id == lock.activity_id]
            if opts:
                greedy.grant(opts)
        for s in students:
            by_activity: dict[str, list[ChoiceOption]] = defaultdict(list)
            for o in options.get(s.student_id, []):
                by_activity[o.activity_id].append(o)
            for aid in sorted(by_activity, key=lambda a: by_activity[a][0].rank):
                if len(greedy.state.taken[s.student_id]) >= k:
                    break
                greedy.grant(by_activity[aid])
        state = greedy.state
        short = {
            key
            for key, n in state.groups.items()
            if n and state.size[key] < max(1, greedy.activity[key[0]].min_size) * n
        }
        if not short or passes >= max_passes:
            banned |= short
            break
        banned |= short
    granted = {
        sid: tuple(o for o in taken if (o.activity_id, o.pattern.index) not in short)
        for sid, taken in state.taken.items()
    }
    return GreedyResult(
        granted={sid: opts for sid, opts in sorted(granted.items()) if opts},
        groups_open={key: n for key, n in sorted(state.groups.items()) if n and key not in short},
        class_patterns=greedy.class_patterns,
        cancelled=tuple(sorted(banned)),
        passes=passes,
    )
