"""The scenario: everything a school knows before planning, with lookups computed once."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import to_jsonable_python

from cluster_planner.domain.entities import (
    AFTERNOON_KINDS,
    Activity,
    ActivityId,
    ActivityKind,
    ActivityMode,
    Change,
    ClassId,
    DutyPost,
    HomeClass,
    Lock,
    Room,
    RoomId,
    SlotId,
    SlotKind,
    Staff,
    StaffId,
    Student,
    StudentId,
    StudentStatus,
    Timeslot,
    slot_tokens_match,
)
from cluster_planner.domain.school import School
from cluster_planner.domain.values import Day, minutes, try_parse_day

DEFAULT_SERVICES = ("care", "club", "tutoring")
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"activities": ("org", "org_cleared"), "rooms": ("lent_to",)}
"""Columns added after plans were made (issue 17: 十严禁 7-10); left out of the hash while blank."""
OPTIONAL_MONEY: dict[str, Any] = {"fee_cap_day": None, "exempt_low_income": True, "other_costs": {}}
"""``[money]`` settings added after plans were made (issue 17 item 4); left out of the hash at their default."""


def _sorted_sets(value: Any) -> Any:
    """JSON-ready data with every set as a sorted list (set order varies between processes)."""
    if isinstance(value, dict):
        return {k: _sorted_sets(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_sorted_sets(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [_sorted_sets(v) for v in value]
    return to_jsonable_python(value)


class Scenario(BaseModel):
    """All input of one school. Immutable; variants come from ``model_copy(update=...)``.

    Lookups (``students_by_class``, ``service_slots`` …) are computed on first use and cached;
    the solver never preprocesses raw data itself.
    """

    model_config = ConfigDict(frozen=True, ignored_types=(cached_property,))

    school: School = Field(default_factory=School)
    timeslots: tuple[Timeslot, ...] = ()
    classes: tuple[HomeClass, ...] = ()
    students: tuple[Student, ...] = ()
    activities: tuple[Activity, ...] = ()
    staff: tuple[Staff, ...] = ()
    rooms: tuple[Room, ...] = ()
    duties: tuple[DutyPost, ...] = ()
    locks: tuple[Lock, ...] = ()
    changes: tuple[Change, ...] = ()

    # ---- id lookups -------------------------------------------------------------------
    @cached_property
    def slot_by_id(self) -> dict[SlotId, Timeslot]:
        return {s.slot_id: s for s in self.timeslots}

    @cached_property
    def class_by_id(self) -> dict[ClassId, HomeClass]:
        return {c.class_id: c for c in self.classes}

    @cached_property
    def student_by_id(self) -> dict[StudentId, Student]:
        return {s.student_id: s for s in self.students}

    @cached_property
    def activity_by_id(self) -> dict[ActivityId, Activity]:
        return {a.activity_id: a for a in self.activities}

    @cached_property
    def staff_by_id(self) -> dict[StaffId, Staff]:
        return {s.staff_id: s for s in self.staff}

    @cached_property
    def room_by_id(self) -> dict[RoomId, Room]:
        return {r.room_id: r for r in self.rooms}

    # ---- derived sets -----------------------------------------------------------------
    @cached_property
    def sorted_slots(self) -> tuple[Timeslot, ...]:
        """Slots by day, start time, id."""
        return tuple(sorted(self.timeslots, key=lambda s: (s.day.index, minutes(s.start), s.slot_id)))

    @cached_property
    def approved_students(self) -> tuple[Student, ...]:
        """The students the plan must place (status ``approved``), sorted by id."""
        return tuple(
            sorted((s for s in self.students if s.status == StudentStatus.APPROVED), key=lambda s: s.student_id)
        )

    @cached_property
    def students_by_class(self) -> dict[ClassId, tuple[Student, ...]]:
        """Approved students per home class."""
        out: dict[ClassId, list[Student]] = {c.class_id: [] for c in self.classes}
        for s in self.approved_students:
            out.setdefault(s.class_id, []).append(s)
        return {k: tuple(v) for k, v in out.items()}

    def grade_of(self, student: Student) -> int:
        """The grade of a student's home class."""
        return self.class_by_id[student.class_id].grade

    @cached_property
    def service_days(self) -> tuple[Day, ...]:
        """Days that have at least one slot."""
        return tuple(sorted({s.day for s in self.timeslots}, key=lambda d: d.index))

    @cached_property
    def service_slots(self) -> dict[StudentId, tuple[SlotId, ...]]:
        """Each approved student's service slots (FORMAT.md), in slot order.

        Slots named by id in ``services``, plus slots on an applied day whose kind is listed
        and whose ``grades`` include the student's.
        """
        out: dict[StudentId, tuple[SlotId, ...]] = {}
        for student in self.approved_students:
            grade = self.grade_of(student)
            services = student.services or DEFAULT_SERVICES
            kinds = {t.lower() for t in services}
            ids = set(services)
            days = set(student.days) or set(self.service_days)
            chosen = []
            for slot in self.sorted_slots:
                if slot.slot_id in ids or (slot.day in days and slot.kind.value in kinds and slot.serves(grade)):
                    chosen.append(slot.slot_id)
            out[student.student_id] = tuple(chosen)
        return out

    def activity_slots(self, activity: Activity) -> tuple[SlotId, ...]:
        """Slots an activity may meet at, in slot order (H4).

        Slot ids are taken as given; a day means that day's ``club`` slots (or, for a day with
        none, its afternoon slots). Blank: every ``club`` slot; a care activity: every slot.
        """
        slots = self.sorted_slots
        if not activity.slots:
            if activity.kind == ActivityKind.CARE:
                chosen = list(slots)
            else:
                chosen = [s for s in slots if s.kind == SlotKind.CLUB]
        else:
            ids = set(activity.slots)
            days = {d for d in (try_parse_day(t) for t in activity.slots) if d}
            chosen = []
            for day in days:
                on_day = [s for s in slots if s.day == day]
                clubs = [s for s in on_day if s.kind == SlotKind.CLUB]
                if activity.kind == ActivityKind.CARE:
                    chosen.extend(on_day)
                else:
                    chosen.extend(clubs or [s for s in on_day if s.kind in AFTERNOON_KINDS])
            chosen.extend(s for s in slots if s.slot_id in ids)
        grades = activity.grades
        keep = {s.slot_id for s in chosen if not grades or not s.grades or s.grades & grades}
        return tuple(s.slot_id for s in slots if s.slot_id in keep)

    @cached_property
    def care_activity_of_grade(self) -> dict[int, Activity]:
        """The care activity (kind care) whose grades include each grade (first by id)."""
        out: dict[int, Activity] = {}
        for a in sorted(self.activities, key=lambda a: a.activity_id):
            if a.kind == ActivityKind.CARE and a.mode == ActivityMode.CHOICE:
                for g in a.grades or range(1, 10):
                    out.setdefault(g, a)
        return out

    def staff_available(self, staff: Staff, slot: Timeslot) -> bool:
        """True if ``staff`` may work at ``slot`` (T5)."""
        return slot_tokens_match(staff.available, slot)

    def room_available(self, room: Room, slot: Timeslot) -> bool:
        """True if ``room`` may be used at ``slot``."""
        return slot_tokens_match(room.available, slot)

    def is_priority(self, student: Student) -> bool:
        """A priority student (S2): a priority category, or a grade in ``priority_grades``."""
        return student.is_priority or self.grade_of(student) in self.school.rules.priority_grades

    def group_cap_of(self, activity: Activity) -> int:
        """The hard size cap of one group: ``min(max_size, group_cap)``."""
        cap = self.school.rules.group_cap
        return min(activity.max_size, cap) if activity.max_size else cap

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Scenario:
        """A variant; lookups cached on this scenario are dropped so the copy computes its own."""
        copied = super().model_copy(update=update, deep=deep)
        for name, member in vars(type(self)).items():
            if isinstance(member, cached_property):
                copied.__dict__.pop(name, None)
        return copied

    # ---- identity ---------------------------------------------------------------------
    def canonical_json(self) -> str:
        """A canonical JSON text of the whole scenario (sorted keys, no row numbers).

        An optional section added after plans were made (``[notice]``) is left out while it is
        empty, and so is a blank cell of an optional column added later (:data:`OPTIONAL_COLUMNS`), so
        the scenario hash of a school that does not use them stays what it was: plans saved before
        still match their scenario. The ``[money]`` settings added later (:data:`OPTIONAL_MONEY`) are left
        out at their default, and a blank ``fee_exempt`` hashes as ``no``, as it did before blank could mean
        "exempt if low_income"."""
        data = _sorted_sets(self.model_dump(mode="python", exclude={"__all__": {"__all__": {"row"}}}))
        school = data.get("school", {})
        if isinstance(school, dict) and not any((school.get("notice") or {}).values()):
            school.pop("notice", None)
        money = school.get("money") if isinstance(school, dict) else None
        for key, default in OPTIONAL_MONEY.items():
            if isinstance(money, dict) and money.get(key) == default:
                money.pop(key, None)
        for row in data.get("students") or ():
            if isinstance(row, dict) and row.get("fee_exempt") is None:
                row["fee_exempt"] = False  # a blank cell hashes as it did when blank meant no (issue 17 item 4)
        for table, keys in OPTIONAL_COLUMNS.items():
            for row in data.get(table) or ():
                for key in keys:
                    if isinstance(row, dict) and row.get(key) in ("", None):
                        row.pop(key, None)
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def content_hash(self) -> str:
        """SHA-256 of :meth:`canonical_json` (plan.json ``scenario_hash``)."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()
