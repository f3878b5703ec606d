"""What a group and a meeting can hold (G4, T4, R1, R2)."""

from __future__ import annotations

import math

from cluster_planner.domain.entities import Activity, Room
from cluster_planner.domain.scenario import Scenario


def group_cap(scenario: Scenario, activity: Activity) -> int:
    """G4 (hard): no group of the activity is larger than ``min(max_size, group_cap)``."""
    cap = scenario.school.rules.group_cap
    return min(activity.max_size, cap) if activity.max_size else cap


def adults_needed(size: int, ratio: int) -> int:
    """T4: one adult per ``ratio`` students, at least one."""
    return max(1, math.ceil(size / ratio))


def balanced_sizes(total: int, parts: int) -> list[int]:
    """Sizes of ``parts`` groups holding ``total`` students, differing by at most one."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def class_parts(scenario: Scenario, activity: Activity, members: int) -> list[int]:
    """G4: a home class taking a class activity, split into balanced parts no larger than the cap."""
    cap = group_cap(scenario, activity)
    return balanced_sizes(members, max(1, math.ceil(members / cap)))


def room_fits(room: Room, activity: Activity, size: int) -> bool:
    """R1: of one of the activity's types, outdoor exactly when the activity is, big enough."""
    if activity.room_type and room.type not in activity.room_type:
        return False
    return room.outdoor == activity.outdoor and room.capacity >= size


def rain_room_fits(room: Room, size: int) -> bool:
    """R2: an indoor room big enough for an outdoor group on a rainy day (any type)."""
    return not room.outdoor and room.capacity >= size


def room_holds(room: Room, sizes: list[int]) -> bool:
    """R1: groups sharing a room at once: at most ``max_groups`` of them, sharing its capacity."""
    if len(sizes) > room.max_groups:
        return False
    return sum(sizes) <= room.capacity if room.max_groups > 1 else all(s <= room.capacity for s in sizes)


def meeting_capacity(scenario: Scenario, activity: Activity, adults: int, rooms: tuple[Room, ...] = ()) -> int:
    """G4 ∧ T4 ∧ R1: students one meeting can hold with ``adults`` adults in ``rooms`` (room and rain room)."""
    cap = min(group_cap(scenario, activity), scenario.school.rules.ratio * adults)
    for room in rooms:
        cap = min(cap, room.capacity)
    return max(0, cap)
