"""Stage B: turn the allocation into groups and their meetings.

- Activity groups: the students of an (activity, pattern) split into balanced groups,
  classmates kept together (S7), each between ``min_size`` and the cap (G4/G5).
- Class activities: each eligible home class as a whole, split only above the cap.
- Care groups (编班, G1–G4), per slot and care activity, following 002 方案5 literally:
  a class with ``merge_threshold`` or more is its own group (split only above the cap);
  smaller classes merge with the smallest classes of the same grade; a grade left below
  the threshold merges with the nearest grade, never further than ``max_grade_span``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from cluster_planner import rules
from cluster_planner.domain import Student
from cluster_planner.plan.meeting import Meeting
from cluster_planner.solver.allocation import Allocation
from cluster_planner.solver.prepare import PlanningData, balanced_sizes


@dataclass(frozen=True)
class Grouping:
    """All meetings, and each student's granted activities."""

    meetings: tuple[Meeting, ...]
    no_care: tuple[tuple[str, str], ...]  # (student, slot) with no care activity for the grade


def split_balanced(items: list[str], parts: int) -> list[list[str]]:
    """Contiguous chunks whose sizes differ by at most one (keeps neighbours together)."""
    out, start = [], 0
    for size in balanced_sizes(len(items), parts):
        out.append(items[start : start + size])
        start += size
    return out


def build_groups(data: PlanningData, allocation: Allocation) -> Grouping:
    """Form every group meeting of the week from stage A's decision."""
    meetings: list[Meeting] = []
    busy: dict[tuple[str, str], str] = {}  # (student, slot) -> group id
    student_by_id = {s.student_id: s for s in data.students}

    # Class activities first: they take precedence at their meetings (FORMAT.md).
    for (aid, cid), pattern in sorted(allocation.class_patterns.items()):
        activity = data.scenario.activity_by_id[aid]
        members = sorted(s.student_id for s in data.class_members.get(cid, ()))
        parts = len(rules.class_parts(data.scenario, activity, len(members)))
        for k, chunk in enumerate(split_balanced(members, parts), start=1):
            gid = f"{aid}-{cid}" + (f"-{k}" if parts > 1 else "")
            for slot_id in pattern.slot_ids:
                present = tuple(s for s in chunk if slot_id in data.service_slots[s])
                if present:
                    meetings.append(Meeting(gid, aid, slot_id, present, "class"))
                    for s in present:
                        busy[(s, slot_id)] = gid

    # Chosen activities: balanced groups per pattern, classmates together.
    members_of: dict[tuple[str, int], list[Student]] = defaultdict(list)
    for sid, grants in sorted(allocation.granted.items()):
        for aid, _rank, pattern in grants:
            members_of[(aid, pattern.index)].append(student_by_id[sid])
    counter: dict[str, int] = defaultdict(int)
    for (aid, pidx), n in sorted(allocation.groups_open.items()):
        pattern = data.patterns[aid][pidx]
        students = sorted(members_of.get((aid, pidx), []), key=lambda s: (s.class_id, s.student_id))
        if not students:
            continue
        for chunk in split_balanced([s.student_id for s in students], n):
            if not chunk:
                continue
            counter[aid] += 1
            gid = f"{aid}-{counter[aid]}"
            for slot_id in pattern.slot_ids:
                meetings.append(Meeting(gid, aid, slot_id, tuple(sorted(chunk)), "choice"))
                for s in chunk:
                    busy[(s, slot_id)] = gid

    # Care: everyone else at each service slot.
    no_care: list[tuple[str, str]] = []
    need: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for s in data.students:
        care = data.care_activity(s.student_id)
        for slot_id in sorted(data.service_slots[s.student_id]):
            if (s.student_id, slot_id) in busy:
                continue
            if care is None:
                no_care.append((s.student_id, slot_id))
                continue
            need[(slot_id, care.activity_id)][s.class_id].append(s.student_id)
    for (slot_id, care_id), by_class in sorted(need.items()):
        meetings.extend(_care_meetings(data, slot_id, care_id, by_class))
    return Grouping(tuple(meetings), tuple(no_care))


def _care_meetings(data: PlanningData, slot_id: str, care_id: str, by_class: dict[str, list[str]]) -> list[Meeting]:
    """G1–G4 for one care activity at one slot."""
    cap = rules.group_cap(data.scenario, data.scenario.activity_by_id[care_id])  # G4: min(max_size, group_cap)
    threshold = rules.merge_threshold(data.scenario)
    grade_of = {cid: data.scenario.class_by_id[cid].grade for cid in by_class}
    bins: list[list[str]] = []  # each bin: class ids (a split class appears as "cid#k")
    pieces: dict[str, list[str]] = {}

    # G1: a class at or above the threshold is its own group (split only above the cap). A class
    # above the cap but below the threshold (a school whose cap is under its threshold) cannot
    # merge with anyone: it is split like a large class (G4, the cap is hard).
    small_by_grade: dict[int, list[str]] = defaultdict(list)
    for cid in sorted(by_class):
        members = sorted(by_class[cid])
        if len(members) >= threshold or len(members) > cap:
            parts = max(1, math.ceil(len(members) / cap))
            for k, chunk in enumerate(split_balanced(members, parts), start=1):
                key = f"{cid}#{k}"
                pieces[key] = chunk
                bins.append([key])
        else:
            pieces[cid] = members
            small_by_grade[grade_of[cid]].append(cid)

    # G2: smaller classes merge with the smallest classes of the same grade.
    open_bins: list[list[str]] = []
    for grade in sorted(small_by_grade):
        current: list[str] = []
        total = 0
        for cid in sorted(small_by_grade[grade], key=lambda c: (len(pieces[c]), c)):
            n = len(pieces[cid])
            if current and (total >= threshold or total + n > cap):
                open_bins.append(current)
                current, total = [], 0
            current.append(cid)
            total += n
        if current:
            open_bins.append(current)

    # G3: a bin still below the threshold merges with the nearest grade within the span.
    def size(b: list[str]) -> int:
        return sum(len(pieces[k]) for k in b)

    def grades(b: list[str]) -> set[int]:
        return {grade_of[k.split("#")[0]] for k in b}

    grade_total: dict[int, int] = defaultdict(int)
    for cid, members in by_class.items():
        grade_total[grade_of[cid]] += len(members)
    merged = True
    while merged:
        merged = False
        best: tuple[tuple[int, int, str], int, int] | None = None
        for i, a in enumerate(open_bins):
            # G3 merges a *grade* under the threshold, never a remainder of a larger grade.
            if size(a) >= threshold or all(grade_total[g] >= threshold for g in grades(a)):
                continue
            for j, b in enumerate(open_bins):
                if i == j or grades(a) == grades(b):
                    continue
                if not rules.grade_span_ok(data.scenario, grades(a) | grades(b)) or size(a) + size(b) > cap:
                    continue
                distance = min(abs(x - y) for x in grades(a) for y in grades(b))
                key = (distance, size(a) + size(b), ",".join(sorted(a + b)))
                if best is None or key < best[0]:
                    best = (key, i, j)
        if best is not None:
            _, i, j = best
            open_bins[i] = sorted(open_bins[i] + open_bins[j])
            del open_bins[j]
            merged = True
    bins.extend(open_bins)

    meetings: list[Meeting] = []
    labels: dict[str, int] = defaultdict(int)
    named: list[tuple[str, list[str]]] = []
    for b in sorted(bins, key=lambda b: (sorted(grades(b)), sorted(b))):
        label = "".join(str(g) for g in sorted(grades(b)))
        labels[label] += 1
        named.append((label, b))
    seen: dict[str, int] = defaultdict(int)
    for label, b in named:
        seen[label] += 1
        suffix = f"-{chr(ord('A') + seen[label] - 1)}" if labels[label] > 1 else ""
        gid = f"{care_id}-G{label}-{slot_id}{suffix}"
        members = tuple(sorted(s for k in b for s in pieces[k]))
        meetings.append(Meeting(gid, care_id, slot_id, members, "care"))
    return meetings
