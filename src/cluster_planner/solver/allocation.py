"""Stage A: which activity groups open on which weekly pattern, and who gets which choice.

One CP-SAT model over (student, activity, pattern) options with aggregate room and adult
capacities per slot. Objective terms, in order of weight: priority students given a choice
(S2), students given a choice, rank cost (S6), then fewest groups (economy), and last a
seeded lottery term that breaks ties (S6), never row order.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from ortools.sat.python import cp_model

from cluster_planner import rules
from cluster_planner.solver.greedy import first_come_first_served
from cluster_planner.solver.params import SolveSettings, StageResult, run_stage
from cluster_planner.solver.prepare import ChoiceOption, Pattern, PlanningData

NO_PROBING = 0  # measured: probing was most of stage A's presolve (3,000 students: 58.6 s → 8.6 s without)
TIES_LIMIT = 5.0  # deterministic seconds for the levels after welfare (worst rank, groups, lottery)
# One presolve round instead of CP-SAT's three: measured in CPU seconds on one worker (load-proof),
# stage A's welfare solve to its stop: nine-year-3000 13.5 -> 11.7 (first solution 13.9 -> 8.6),
# primary-1200 12.0 -> 3.9, demo-small 0.5 -> 0.3; the same optima.
PRESOLVE_ITERATIONS = 1
# No SAT inprocessing in stage A: measured in CPU-load-proof deterministic seconds to the welfare
# stop: nine-year-3000 5.4 -> 3.7, generated-3000 3.7 -> 3.0, primary-1200 0.72 -> 0.53, the same optima.
SAT_INPROCESSING = False
RANK_GAP = 0.02  # level (4), rank cost, may stop within this share of itself; levels (2)–(3) never
TIES_MAX_OPTIONS = 5_000  # the ties solve (worst-off rank, groups, lottery) runs on allocations up to this size
LUCK_LEVELS = 10  # the seeded lottery's levels of luck (S6 ties), the last level of the office's order


@dataclass
class Limits:
    """Tightenings learnt from later stages (repair loop)."""

    adults_short: dict[str, int] = field(default_factory=dict)  # slot -> adults to leave free
    rooms_short: dict[str, int] = field(default_factory=dict)  # slot -> rooms to leave free
    max_groups: dict[tuple[str, int], int] = field(default_factory=dict)  # (activity, pattern) -> cap


@dataclass(frozen=True)
class Allocation:
    """Stage A's decision."""

    granted: dict[str, tuple[tuple[str, int, Pattern], ...]]  # student -> (activity, rank, pattern)
    groups_open: dict[tuple[str, int], int]  # (activity, pattern index) -> number of groups
    class_patterns: dict[tuple[str, str], Pattern]  # (activity, class) -> pattern
    results: tuple[StageResult, ...]
    lock_failures: tuple[tuple[str, str], ...]


class AllocationModel:
    """The stage-A CP-SAT model: variables, constraints (one method per rule), objective."""

    def __init__(
        self, data: PlanningData, limits: Limits, honour_locks: bool = True, care_may_fall_short: bool = False
    ) -> None:
        self.data = data
        self.honour_locks = honour_locks
        self.care_may_fall_short = care_may_fall_short
        self.care_short: list[cp_model.IntVar] = []  # S1: care places that cannot be had (rooms or adults short)
        self.limits = limits
        self.model = cp_model.CpModel()
        self.x: dict[ChoiceOption, cp_model.IntVar] = {}
        self.n: dict[tuple[str, int], cp_model.IntVar] = {}
        self.size: dict[tuple[str, int], cp_model.LinearExpr] = {}
        self.z: dict[tuple[str, str, int], cp_model.IntVar] = {}  # (activity, class, pattern)
        self.lock_failures: list[tuple[str, str]] = []
        self._add_variables()
        self.add_constraints()

    def add_constraints(self) -> None:
        """One method per rule (stage A's aggregate reading of them)."""
        self._add_one_place_at_a_time()
        self._add_activities_per_student()
        self._add_tutoring_per_day()
        self._add_group_sizes()
        self._add_locks()
        self._add_slot_capacity()

    # ---- variables --------------------------------------------------------------------
    def _add_variables(self) -> None:
        m = self.model
        lottery = self.data.lottery  # variables in lottery order: CP-SAT's own tie-breaking follows the seed (S6)
        for o in sorted(self.data.choice_options, key=lambda o: (lottery[o.student_id], o.rank, o.pattern.index)):
            self.x[o] = m.new_bool_var(f"x|{o.student_id}|{o.activity_id}|{o.pattern.index}")
        by_ap: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        for o, var in self.x.items():
            by_ap[(o.activity_id, o.pattern.index)].append(var)
        for a in self.data.choice_activities:
            for p in self.data.patterns[a.activity_id]:
                key = (a.activity_id, p.index)
                if key not in by_ap:
                    continue
                cap = min(a.max_groups, self.limits.max_groups.get(key, a.max_groups))
                self.n[key] = m.new_int_var(0, cap, f"n|{a.activity_id}|{p.index}")
                self.size[key] = sum(by_ap[key])
        for a in self.data.class_activities:
            for cid in self.data.classes_of(a):
                pats = self.data.patterns[a.activity_id]
                lits = [m.new_bool_var(f"z|{a.activity_id}|{cid}|{p.index}") for p in pats]
                for p, lit in zip(pats, lits, strict=True):
                    self.z[(a.activity_id, cid, p.index)] = lit
                m.add_exactly_one(lits)

    @cached_property
    def _class_patterns(self) -> dict[str, list[tuple[cp_model.IntVar, tuple[str, ...]]]]:
        """Per class: each class-activity pattern literal and the slots it meets."""
        out: dict[str, list[tuple[cp_model.IntVar, tuple[str, ...]]]] = defaultdict(list)
        for (aid, cid, pidx), lit in self.z.items():
            out[cid].append((lit, self.data.patterns[aid][pidx].slot_ids))
        return out

    def class_busy(self, class_id: str, slot_id: str) -> list[cp_model.IntVar]:
        """Literals meaning "this class has a class activity meeting overlapping ``slot_id``"."""
        overlap = self.data.overlapping[slot_id]
        return [lit for lit, slots in self._class_patterns.get(class_id, ()) if any(s in overlap for s in slots)]

    # ---- constraints ------------------------------------------------------------------
    def _options_by_student(self) -> dict[str, list[ChoiceOption]]:
        out: dict[str, list[ChoiceOption]] = defaultdict(list)
        for o in self.x:
            out[o.student_id].append(o)
        return out

    def _add_one_place_at_a_time(self) -> None:
        """S3: granted activities never overlap each other or the student's class activities."""
        classes = {s.student_id: s.class_id for s in self.data.students}
        for sid, options in self._options_by_student().items():
            by_activity: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for o in options:
                by_activity[o.activity_id].append(self.x[o])
            for lits in by_activity.values():
                if len(lits) > 1:
                    self.model.add_at_most_one(lits)
            for slot_id in sorted(self.data.service_slots[sid]):
                overlap = self.data.overlapping[slot_id]
                lits = [self.x[o] for o in options if any(s in overlap for s in o.pattern.slot_ids)]
                busy = self.class_busy(classes[sid], slot_id) if slot_id in self.data.service_slots[sid] else []
                if len(lits) + (1 if busy else 0) > 1:
                    if busy:
                        for b in busy:
                            self.model.add_at_most_one([*lits, b])
                    else:
                        self.model.add_at_most_one(lits)

    def _add_activities_per_student(self) -> None:
        """S6: at most ``activities_per_student`` chosen activities a week (class activities aside)."""
        k = rules.activities_per_student(self.data.scenario)
        for options in self._options_by_student().values():
            activities = {o.activity_id for o in options}
            if len(activities) > k:
                self.model.add(sum(self.x[o] for o in options) <= k)

    def _add_tutoring_per_day(self) -> None:
        """S5: meetings of tutoring-kind activities per student per day, chosen and class-mode alike."""
        limit = rules.tutoring_per_day(self.data.scenario)
        activity = self.data.scenario.activity_by_id
        slot_day = {s.slot_id: s.day for s in self.data.slots}

        def per_day(slot_ids: tuple[str, ...]) -> dict[str, int]:
            counts: dict[str, int] = defaultdict(int)
            for s in slot_ids:
                counts[slot_day[s]] += 1
            return counts

        class_terms: dict[str, dict[str, list[tuple[int, cp_model.IntVar]]]] = defaultdict(lambda: defaultdict(list))
        for (aid, cid, pidx), lit in self.z.items():
            if rules.is_tutoring(activity[aid]):
                for day, c in per_day(self.data.patterns[aid][pidx].slot_ids).items():
                    class_terms[cid][day].append((c, lit))
        options = self._options_by_student()
        for s in self.data.students:
            terms: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
            for day, lits in class_terms.get(s.class_id, {}).items():
                terms[day].extend(lits)
            for o in options.get(s.student_id, []):
                if rules.is_tutoring(activity[o.activity_id]):
                    for day, c in per_day(o.pattern.slot_ids).items():
                        terms[day].append((c, self.x[o]))
            for day_terms in terms.values():
                if sum(c for c, _ in day_terms) > limit:
                    self.model.add(sum(c * v for c, v in day_terms) <= limit)

    def _add_group_sizes(self) -> None:
        """G4/G5: each open group holds between ``min_size`` and ``min(max_size, group_cap)``."""
        activity = {a.activity_id: a for a in self.data.choice_activities}
        for o, v in self.x.items():  # x ≤ n: the strong (facility-location) link, tightens the LP
            self.model.add(v <= self.n[(o.activity_id, o.pattern.index)])
        for key, n in self.n.items():
            a = activity[key[0]]
            cap = rules.group_cap(self.data.scenario, a)
            self.model.add(self.size[key] <= cap * n)
            self.model.add(self.size[key] >= max(1, a.min_size) * n)
        for a in self.data.choice_activities:
            ns = [n for (aid, _), n in self.n.items() if aid == a.activity_id]
            if ns:
                self.model.add(sum(ns) <= a.max_groups)

    def _add_locks(self) -> None:
        """L1: the office's promise of an activity (a lock) is kept when any pattern allows it."""
        for lock in sorted(self.data.scenario.locks, key=lambda k: (k.student_id, k.activity_id)):
            lits = [
                v for o, v in self.x.items() if o.student_id == lock.student_id and o.activity_id == lock.activity_id
            ]
            if lits and self.honour_locks:
                self.model.add(sum(lits) == 1)
            else:
                self.lock_failures.append((lock.student_id, lock.activity_id))

    def _care_counts(self) -> dict[tuple[str, str], tuple[int, list[cp_model.IntVar]]]:
        """(slot, care activity) -> (students needing a place there, literals taking them out of care)."""
        classes = {s.student_id: s.class_id for s in self.data.students}
        by_student = self._options_by_student()
        out: dict[tuple[str, str], tuple[int, list[cp_model.IntVar]]] = {}
        for s in self.data.students:
            care = self.data.care_activity(s.student_id)
            if care is None:
                continue
            for slot_id in self.data.service_slots[s.student_id]:
                key = (slot_id, care.activity_id)
                count, lits = out.get(key, (0, []))
                away = [self.x[o] for o in by_student.get(s.student_id, []) if slot_id in o.pattern.slot_ids]
                away += [lit for lit, slots in self._class_patterns.get(classes[s.student_id], ()) if slot_id in slots]
                lits.extend(away)
                out[key] = (count + 1, lits)
        return out

    def _add_slot_capacity(self) -> None:
        """R1/T4/T5 in aggregate: groups meeting at a slot fit the rooms and adults free there."""
        m = self.model
        data = self.data
        ratio = rules.ratio(data.scenario)
        groups_at: dict[str, list[cp_model.LinearExprT]] = defaultdict(list)
        outdoor_at: dict[str, list[cp_model.LinearExprT]] = defaultdict(list)
        adults_at: dict[str, list[cp_model.LinearExprT]] = defaultdict(list)
        activity = {a.activity_id: a for a in data.scenario.activities}
        by_activity_slot: dict[tuple[str, str], list[cp_model.LinearExprT]] = defaultdict(list)
        qualified_need: dict[tuple[str, str], list[cp_model.LinearExprT]] = defaultdict(list)
        for (aid, pidx), n in self.n.items():
            a = activity[aid]
            adults = m.new_int_var(
                0, a.max_groups * rules.adults_needed(rules.group_cap(data.scenario, a), ratio), f"ad|{aid}|{pidx}"
            )
            m.add(adults >= n)
            m.add(ratio * adults >= self.size[(aid, pidx)])
            for slot_id in data.patterns[aid][pidx].slot_ids:
                groups_at[slot_id].append(n)
                adults_at[slot_id].append(adults)
                by_activity_slot[(aid, slot_id)].append(n)
                if a.outdoor:
                    outdoor_at[slot_id].append(n)
                qualified_need[(aid, slot_id)].append(adults)
        for (aid, cid, pidx), lit in self.z.items():
            parts = rules.class_parts(data.scenario, activity[aid], len(data.class_members.get(cid, ())))
            n_groups = len(parts)
            adults = sum(rules.adults_needed(size, ratio) for size in parts)
            for slot_id in data.patterns[aid][pidx].slot_ids:
                groups_at[slot_id].append(n_groups * lit)
                adults_at[slot_id].append(adults * lit)
                by_activity_slot[(aid, slot_id)].append(n_groups * lit)
                qualified_need[(aid, slot_id)].append(adults * lit)
                if activity[aid].outdoor:
                    outdoor_at[slot_id].append(n_groups * lit)
        for (slot_id, care_id), (count, lits) in sorted(self._care_counts().items()):
            care = activity[care_id]
            need = count - sum(lits) if lits else count
            if self.care_may_fall_short:
                short = m.new_int_var(0, count, f"careShort|{slot_id}|{care_id}")
                self.care_short.append(short)
                need = need - short
            g = m.new_int_var(0, count, f"careG|{slot_id}|{care_id}")
            m.add(rules.group_cap(data.scenario, care) * g >= need)
            adults = m.new_int_var(0, count, f"careA|{slot_id}|{care_id}")
            m.add(adults >= g)
            m.add(ratio * adults >= need)
            groups_at[slot_id].append(g)
            adults_at[slot_id].append(adults)
            qualified_need[(care_id, slot_id)].append(adults)
        self._add_qualified_caps(qualified_need)
        self._add_weekly_hours(qualified_need)
        duty_at: dict[str, int] = defaultdict(int)
        for d in data.scenario.duties:
            if d.slot_id:
                duty_at[d.slot_id] += d.count
        for (aid, sid), ns in sorted(by_activity_slot.items()):
            a, slot = activity[aid], data.scenario.slot_by_id[sid]
            fitting = sum(
                r.max_groups
                for r in data.scenario.rooms
                if data.scenario.room_available(r, slot)
                and r.outdoor == a.outdoor
                and (not a.room_type or r.type in a.room_type)
            )
            m.add(sum(ns) <= fitting)  # R1: an activity's groups at a slot fit the rooms of its type
        for slot_set in data.room_sets:
            # R1 across bells: a room holds its groups over a slot and every slot at once with it.
            slots = [data.scenario.slot_by_id[x] for x in sorted(slot_set)]
            free = [r for r in data.scenario.rooms if any(data.scenario.room_available(r, t) for t in slots)]
            indoor = sum(r.max_groups for r in free if not r.outdoor)
            outdoor = sum(r.max_groups for r in free if r.outdoor)
            outdoor_groups = [v for t in slots for v in outdoor_at[t.slot_id]]
            all_groups = [v for t in slots for v in groups_at[t.slot_id]]
            rooms_short = max((self.limits.rooms_short.get(t.slot_id, 0) for t in slots), default=0)
            if outdoor_groups:
                m.add(sum(outdoor_groups) <= outdoor)
            if all_groups:
                # R2: indoor rooms hold the indoor groups and, on a rainy day, the outdoor ones too.
                m.add(sum(all_groups) <= max(0, indoor - rooms_short))
        for slot_set in data.simultaneous:
            # T5 across bells: an adult is in one place at each instant (either season).
            slots = [data.scenario.slot_by_id[x] for x in sorted(slot_set)]
            people = {p.staff_id for t in slots for p in data.staff_free_at(t.slot_id)}
            staff = len(people) - sum(duty_at[t.slot_id] for t in slots)
            all_adults = [v for t in slots for v in adults_at[t.slot_id]]
            adults_short = max((self.limits.adults_short.get(t.slot_id, 0) for t in slots), default=0)
            if all_adults:
                m.add(sum(all_adults) <= max(0, staff - adults_short))

    def _add_qualified_caps(self, need: dict[tuple[str, str], list[cp_model.LinearExprT]]) -> None:
        """T2/T3 in aggregate (Hall's condition on the activities that share adults), per slot.

        For each activity a at a slot: the adults needed by every activity whose qualified, free
        adults are all also a's (a's own groups included: every pattern, every class of a class
        activity, care) never outnumber a's qualified adults free there. Regression (session 2):
        counting each activity alone let care take the teachers a class activity needed.
        """
        sc = self.data.scenario
        activity = {a.activity_id: a for a in sc.activities}
        by_slot: dict[str, dict[str, list[cp_model.LinearExprT]]] = defaultdict(dict)
        for (aid, slot_id), needs in need.items():
            by_slot[slot_id][aid] = needs
        for slot_id in sorted(by_slot):
            qualified = {
                aid: frozenset(p.staff_id for p in self.data.qualified_at(activity[aid], slot_id))
                for aid in by_slot[slot_id]
            }
            for aid in sorted(by_slot[slot_id]):
                within = [b for b in sorted(by_slot[slot_id]) if qualified[b] <= qualified[aid]]
                self.model.add(sum(sum(by_slot[slot_id][b]) for b in within) <= len(qualified[aid]))

    def _add_weekly_hours(self, need: dict[tuple[str, str], list[cp_model.LinearExprT]]) -> None:
        """T5 in aggregate: adults' weekly and daily period limits (Hall's condition, as per slot).

        For each activity a: the adult-periods a week (and on each day) needed by every activity
        whose qualified adults are all also a's never exceed what a's qualified adults may work
        (their ``max_periods_week`` / ``max_periods_day``; without a limit, every slot they are
        free). A teacher with no periods leads nothing; a supervisor of three projects with
        capacity two leads two of them.
        """
        sc = self.data.scenario
        scale = 100
        activity = sc.activity_by_id
        slot = sc.slot_by_id
        load: dict[tuple[str, str], list[cp_model.LinearExprT]] = defaultdict(list)  # (activity, day) -> periods
        for (aid, slot_id), needs in need.items():
            periods = round(slot[slot_id].periods * scale)
            if periods:
                load[(aid, slot[slot_id].day.value)].extend(periods * v for v in needs)
        if not load:
            return
        aids = sorted({aid for aid, _ in load})
        qualified = {aid: tuple(self.data.qualified_staff(activity[aid])) for aid in aids}
        ids = {aid: frozenset(p.staff_id for p in people) for aid, people in qualified.items()}
        days = sorted({day for _, day in load})

        def can_work(people: tuple, day: str | None) -> int:
            total = 0
            for p in people:
                free = [t for t in self.data.slots if (day is None or t.day.value == day) and rules.available_at(p, t)]
                most = sum(t.periods for t in free)
                limit = rules.week_limit(p) if day is None else rules.day_limit(p)
                if day is not None and rules.week_limit(p) is not None:
                    most = min(most, rules.week_limit(p))
                total += round((most if limit is None else min(limit, most)) * scale)
            return total

        for aid in aids:
            within = [b for b in aids if ids[b] <= ids[aid]]
            week = [v for b in within for day in days for v in load.get((b, day), [])]
            if week:
                self.model.add(sum(week) <= can_work(qualified[aid], None))
            for day in days:
                on_day = [v for b in within for v in load.get((b, day), [])]
                if on_day:
                    self.model.add(sum(on_day) <= can_work(qualified[aid], day))

    # ---- objective --------------------------------------------------------------------
    @property
    def settles_ties(self) -> bool:
        """Whether the levels after welfare get their own solve (see ``TIES_MAX_OPTIONS``)."""
        return len(self.x) <= TIES_MAX_OPTIONS

    def objective_terms(self, with_ties: bool = True) -> dict[str, cp_model.LinearExprT]:
        """The office's order (S6, DOMAIN.md), one term per level, by name and in that order:
        priority students without a choice (S2), students without a choice, rank cost, the
        worst-off student's rank, groups (economy), and the seeded lottery (S6 ties).
        ``with_ties=False`` leaves the worst rank and the lottery out (0, and no worst-rank
        constraints): on allocations too large for the ties solve they only cost time."""
        by_student = self._options_by_student()
        k = max(1, rules.activities_per_student(self.data.scenario))
        missing_priority: list[cp_model.LinearExprT] = []
        missing: list[cp_model.LinearExprT] = []
        ranks: list[cp_model.LinearExprT] = []
        for s in self.data.students:
            options = by_student.get(s.student_id, [])
            if not options:
                continue
            wanted = min(k, len({o.activity_id for o in options}))
            short = wanted - sum(self.x[o] for o in options)
            missing.append(short)
            if self.data.is_priority(s):
                missing_priority.append(short)
            ranks.append(sum(o.rank * self.x[o] for o in options))
        return {
            "priority_without_choice": sum(missing_priority),
            "without_choice": sum(missing),
            "rank_cost": sum(ranks),
            "worst_rank": self.worst_rank_term() if with_ties else 0,
            "groups": sum(self.n.values()),
            "lottery": self.lottery_term() if with_ties else 0,
        }

    def worst_rank_term(self) -> cp_model.IntVar:
        """The worst-off student's rank: at least the rank of every granted option."""
        worst = self.model.new_int_var(0, 6, "worst_rank")
        by_student = self._options_by_student()
        for s in self.data.students:
            for o in by_student.get(s.student_id, []):
                self.model.add(worst >= o.rank).only_enforce_if(self.x[o])
        return worst

    def welfare_bounds(self) -> tuple[int, int]:
        """Largest possible (students without a choice, rank cost): the weights that keep levels apart."""
        by_student = self._options_by_student()
        k = max(1, rules.activities_per_student(self.data.scenario))
        wanted = sum(min(k, len({o.activity_id for o in opts})) for opts in by_student.values())
        return wanted, 5 * wanted

    def welfare_objective(self, terms: dict[str, cp_model.LinearExprT]) -> cp_model.LinearExprT:
        """Levels (2)–(4) of the office's order as one objective whose weights cannot trade a level
        for a later one: one student more without a choice outweighs every rank step there is."""
        most_missing, most_rank = self.welfare_bounds()
        rank_weight = self.most_groups() + 1  # then groups (economy), below one rank step
        missing_weight = rank_weight * (most_rank + 1)
        priority_weight = missing_weight * (most_missing + 1)
        return (
            priority_weight * terms["priority_without_choice"]
            + missing_weight * terms["without_choice"]
            + rank_weight * terms["rank_cost"]
            + terms["groups"]
        )

    def most_groups(self) -> int:
        """Groups that may open at most (economy's largest value)."""
        return sum(a.max_groups for a in self.data.choice_activities)

    def allowance(
        self, terms: dict[str, cp_model.LinearExprT]
    ) -> Callable[[Callable[[cp_model.LinearExprT], float]], float]:
        """The welfare solve may stop when objective − bound ≤ this (given the solution's values).

        With W₃ above any rank cost, a gap no larger than the solution's rank cost R proves levels
        (2)–(3) optimal (bound ≥ objective − R is their part of the objective); the rank cost itself
        (level 4) may stop within ``RANK_GAP`` of itself on large allocations (measured: 2 % lets
        nine-year-3000 stop at its first solution, 25 rank units from the bound, instead of 16 s
        later); allocations up to ``TIES_MAX_OPTIONS`` options are solved exactly."""

        rank_weight = self.most_groups() + 1
        share = RANK_GAP if len(self.x) > TIES_MAX_OPTIONS else 0.0  # small allocations: every level exact

        def allowed(value: Callable[[cp_model.LinearExprT], float]) -> float:
            rank = value(terms["rank_cost"])
            return float(rank_weight * min(rank, math.floor(share * rank)))

        return allowed

    def tie_objective(self, terms: dict[str, cp_model.LinearExprT]) -> cp_model.LinearExprT:
        """Levels after welfare: the worst-off rank, then groups, then the lottery (weights kept apart)."""
        lottery_most = LUCK_LEVELS * 6 * max(1, len(self.data.students))
        group_weight = lottery_most + 1
        groups_most = sum(a.max_groups for a in self.data.choice_activities) + 1
        worst_weight = group_weight * groups_most
        return worst_weight * terms["worst_rank"] + group_weight * terms["groups"] + terms["lottery"]

    def lottery_term(self) -> cp_model.LinearExprT:
        """S6 ties: a luckier student (seeded lottery) weighs more when left without a good choice."""
        n = max(1, len(self.data.students))
        luck = {sid: LUCK_LEVELS - 1 - (LUCK_LEVELS * (pos - 1)) // n for sid, pos in self.data.lottery.items()}
        terms = []
        for sid, options in self._options_by_student().items():
            if luck[sid]:
                terms.append(luck[sid] * (6 - sum((6 - o.rank + 1) * self.x[o] for o in options)))
        return sum(terms)

    def objective(self) -> cp_model.LinearExprT:
        """The welfare levels of the office's order as one objective (see :meth:`welfare_objective`)."""
        return self.welfare_objective(self.objective_terms())


def _solve_welfare(
    am: AllocationModel, settings: SolveSettings, wall_left: float
) -> tuple[dict[str, cp_model.LinearExprT], cp_model.CpSolver, StageResult]:
    """The welfare levels of one allocation model, stopped once they are proved (see ``allowance``)."""
    terms = am.objective_terms(with_ties=am.settles_ties)
    am.model.minimize(am.welfare_objective(terms))
    solver, result = run_stage(
        "A allocation",
        am.model,
        settings,
        wall_left,
        relative_gap=0.0,
        probing=NO_PROBING,
        presolve_iterations=PRESOLVE_ITERATIONS,
        sat_inprocessing=SAT_INPROCESSING,
        allowance=am.allowance(terms),
    )
    return terms, solver, result


def allocate(data: PlanningData, settings: SolveSettings, limits: Limits, wall_left: float) -> Allocation:
    """Solve stage A in the office's order: welfare levels exactly, then the worst-off rank,
    economy and the lottery among allocations of that welfare (two solves, the second hinted)."""
    every_lock = [(k.student_id, k.activity_id) for k in data.scenario.locks]
    am = AllocationModel(data, limits)
    terms, solver, first = _solve_welfare(am, settings, wall_left)
    results = [first]
    if first.status == "INFEASIBLE" and data.scenario.locks:
        # The locks cannot all be kept together: plan without them and say so.
        am = AllocationModel(data, limits, honour_locks=False)
        am.lock_failures = list(every_lock)
        terms, solver, first = _solve_welfare(am, settings, wall_left)
        results.append(first)
    if first.status == "INFEASIBLE":
        # Care cannot hold everyone (rooms or adults short): S1 first — the fewest care places
        # lost — then welfare among allocations that lose no more (two levels, not one weight).
        am = AllocationModel(data, limits, honour_locks=not am.lock_failures, care_may_fall_short=True)
        am.lock_failures = [] if am.honour_locks else list(every_lock)
        am.model.minimize(sum(am.care_short))
        solver, cover = run_stage(
            "A cover",
            am.model,
            settings,
            wall_left,
            probing=NO_PROBING,
            presolve_iterations=PRESOLVE_ITERATIONS,
            sat_inprocessing=SAT_INPROCESSING,
        )
        results.append(cover)
        if cover.objective is not None:
            am.model.add(sum(am.care_short) <= round(cover.objective))
            terms, solver, first = _solve_welfare(am, settings, wall_left)
            results.append(first)
    if first.objective is None:
        return greedy_allocation(data, limits, tuple(results), tuple(am.lock_failures))
    if am.settles_ties:  # larger: ties follow the lottery order of the variables
        solver = _settle_ties(am, terms, solver, settings, wall_left, results)
    granted: dict[str, list[tuple[str, int, Pattern]]] = defaultdict(list)
    for o, v in sorted(am.x.items(), key=lambda kv: (kv[0].student_id, kv[0].rank)):
        if solver.value(v):
            granted[o.student_id].append((o.activity_id, o.rank, o.pattern))
    class_patterns = {
        (aid, cid): data.patterns[aid][pidx] for (aid, cid, pidx), v in sorted(am.z.items()) if solver.value(v)
    }
    return Allocation(
        granted={k: tuple(v) for k, v in granted.items()},
        groups_open={k: solver.value(v) for k, v in sorted(am.n.items()) if solver.value(v)},
        class_patterns=class_patterns,
        results=tuple(results),
        lock_failures=tuple(am.lock_failures),
    )


def _settle_ties(
    am: AllocationModel,
    terms: dict[str, cp_model.LinearExprT],
    solver: cp_model.CpSolver,
    settings: SolveSettings,
    wall_left: float,
    results: list[StageResult],
) -> cp_model.CpSolver:
    """Keep the welfare found (levels 2–4 fixed at their values), then minimise the worst-off rank,
    groups and the lottery from the welfare plan as a hint; the welfare plan stands if nothing comes."""
    model = am.model
    values = [solver.value(model.get_int_var_from_proto_index(i)) for i in range(len(model.proto.variables))]
    for name in ("priority_without_choice", "without_choice", "rank_cost"):
        model.add(terms[name] <= round(solver.value(terms[name])))  # = at the optimum; <= presolves better
    model.clear_hints()  # the welfare plan, complete: CP-SAT starts from a feasible solution
    for i, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(i), value)
    model.minimize(am.tie_objective(terms))
    second, ties = run_stage(
        "A ties",
        model,
        settings,
        settings.left(wall_left),
        deterministic_limit=min(settings.deterministic_limit, TIES_LIMIT),
        relative_gap=settings.relative_gap,
        probing=NO_PROBING,
        presolve_iterations=PRESOLVE_ITERATIONS,
    )
    results.append(ties)
    return second if ties.objective is not None else solver


def greedy_allocation(
    data: PlanningData, limits: Limits, results: tuple[StageResult, ...], lock_failures: tuple[tuple[str, str], ...]
) -> Allocation:
    """Stage A's fallback when CP-SAT found no allocation in time: first come, first served in
    the seeded lottery order (S6), under the same aggregate rules; a plan with fewer granted
    choices rather than none."""
    started = time.monotonic()
    greedy = first_come_first_served(data, order="lottery")
    closed = {key for key, cap in limits.max_groups.items() if cap <= 0}
    granted = {
        sid: tuple((o.activity_id, o.rank, o.pattern) for o in opts if (o.activity_id, o.pattern.index) not in closed)
        for sid, opts in greedy.granted.items()
    }
    fallback = StageResult("A greedy", "GREEDY", None, None, time.monotonic() - started, False)
    return Allocation(
        granted={sid: grants for sid, grants in granted.items() if grants},
        groups_open={key: n for key, n in greedy.groups_open.items() if key not in closed},
        class_patterns=dict(greedy.class_patterns),
        results=(*results, fallback),
        lock_failures=lock_failures,
    )
