"""One meeting of one group at one slot: who is there, where, and which adults lead it.

The one meeting type of the planner: the solver's stages form meetings (members and kind
first, room and adults later), the mid-term repair changes them, and
:func:`cluster_planner.plan.assemble.assemble` turns them into plan rows. Variants come from
:func:`dataclasses.replace`, never mutation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cluster_planner.domain.entities import Activity, ActivityKind, ActivityMode

MeetingKind = Literal["choice", "class", "care"]
MeetingKey = tuple[str, str]  # (group_id, slot_id)


@dataclass(frozen=True)
class Meeting:
    """One meeting of one group at one slot, with the students present, its room(s) and adults."""

    group_id: str
    activity_id: str
    slot_id: str
    members: tuple[str, ...]
    kind: str  # MeetingKind: "choice" | "class" | "care"
    room_id: str = ""
    rain_room_id: str = ""
    staff_ids: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def key(self) -> MeetingKey:
        return (self.group_id, self.slot_id)


def kind_of(activity: Activity) -> MeetingKind:
    """``class`` (a home class as a whole), ``care`` or ``choice``: how a student stands at a meeting."""
    if activity.mode == ActivityMode.CLASS:
        return "class"
    if activity.kind == ActivityKind.CARE:
        return "care"
    return "choice"
