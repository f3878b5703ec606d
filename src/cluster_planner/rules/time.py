"""When two slots are "at once" (S3, T5, R1): same day and overlapping clocks in either season (H3)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cluster_planner.domain.entities import Timeslot
from cluster_planner.domain.values import minutes


def clocks(slot: Timeslot) -> tuple[tuple[int, int], ...]:
    """The slot's (start, end) in minutes in each season: autumn/winter, then summer if given (H3)."""
    autumn = (minutes(slot.start), minutes(slot.end))
    if slot.summer_start and slot.summer_end:
        return autumn, (minutes(slot.summer_start), minutes(slot.summer_end))
    return (autumn,)


def _season(slot: Timeslot, season: int) -> tuple[int, int]:
    both = clocks(slot)
    return both[min(season, len(both) - 1)]


def at_once(a: Timeslot, b: Timeslot) -> bool:
    """True if ``a`` and ``b`` are the same slot or overlap in time on one day, in either season."""
    if a.slot_id == b.slot_id:
        return True
    if a.day != b.day:
        return False
    for season in (0, 1):
        (a0, a1), (b0, b1) = _season(a, season), _season(b, season)
        if a0 < b1 and b0 < a1:
            return True
    return False


def overlapping(slots: Sequence[Timeslot]) -> dict[str, frozenset[str]]:
    """For each slot, the slots (itself included) that are at once with it."""
    return {a.slot_id: frozenset(b.slot_id for b in slots if at_once(a, b)) for a in slots}


def simultaneous_sets(slots: Iterable[Timeslot]) -> tuple[frozenset[str], ...]:
    """Every maximal set of slots in progress at one instant of one season, on one day.

    A room holding at most k groups at once, or a person in one place at a time, is the
    constraint "Σ over each set ≤ k": any two slots at once share one of these sets, and a
    set never holds two slots that are not at once. Singletons are included, so every slot
    lies in some set.
    """
    slots = tuple(slots)
    found: set[frozenset[str]] = set()
    for season in (0, 1):
        for s in slots:
            start = _season(s, season)[0]
            now = frozenset(
                o.slot_id for o in slots if o.day == s.day and _season(o, season)[0] <= start < _season(o, season)[1]
            )
            found.add(now)
    maximal = [x for x in found if not any(x < y for y in found)]
    return tuple(sorted(maximal, key=lambda x: sorted(x)))


def room_sharing_sets(slots: Iterable[Timeslot]) -> tuple[frozenset[str], ...]:
    """R1, read strictly: for each slot, it and every slot at once with it (either season).

    A room holds at most ``max_groups`` groups over each set: at a slot, no more groups may use a
    room across the slots overlapping it than the room holds, even when two of those slots do
    not overlap each other (a 16:20–17:05 junior slot beside 15:50–16:35 and 16:45–17:30).
    """
    slots = tuple(slots)
    sets = {frozenset(b.slot_id for b in slots if at_once(a, b)) for a in slots}
    return tuple(sorted(sets, key=lambda x: sorted(x)))
