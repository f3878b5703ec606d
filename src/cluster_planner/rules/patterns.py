"""H4: the weekly patterns an activity may meet on."""

from __future__ import annotations

import itertools

from cluster_planner.domain.entities import Activity
from cluster_planner.domain.scenario import Scenario
from cluster_planner.rules.time import at_once

MAX_PATTERNS = 60


def weekly_patterns(scenario: Scenario, activity: Activity) -> tuple[tuple[str, ...], ...]:
    """H4: ``sessions_per_week`` allowed slots never at once (either season), on distinct days first.

    The order is the planner's and the explanation model's alike (at most ``MAX_PATTERNS``):
    patterns on distinct days, then the rest, each in slot order.
    """
    allowed = scenario.activity_slots(activity)
    slot = scenario.slot_by_id
    combos: list[tuple[bool, tuple[str, ...]]] = []
    for combo in itertools.combinations(allowed, activity.sessions_per_week):
        if any(at_once(slot[x], slot[y]) for x, y in itertools.combinations(combo, 2)):
            continue
        days = {slot[x].day for x in combo}
        combos.append((len(days) < len(combo), combo))
    combos.sort(key=lambda c: c[0])
    return tuple(combo for _, combo in combos[:MAX_PATTERNS])
