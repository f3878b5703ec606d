"""Room rules: R1 (a room, of an allowed type, indoor unless the activity is outdoor,
available, within capacity and ``max_groups`` at once) and R2 (every group in an outdoor room
has an indoor, available rainy-day room that holds it beside what is already there)."""

from __future__ import annotations

from cluster_planner.check import derive
from cluster_planner.check.plan_files import GroupRow
from cluster_planner.check.view import PlanView
from cluster_planner.check.violation import Violation, listed
from cluster_planner.domain.entities import Room
from cluster_planner.i18n import register

register(
    {
        "check.no_room": (
            "组 {group} 在 {slot} 没有场地；每个组都需要场地",
            "group {group} at {slot} has no room; every group needs one",
        ),
        "check.room_type": (
            "组 {group}（{activity}）在 {slot} 使用 {room}（{type}）；允许的场地类型：{types}",
            "group {group} ({activity}) at {slot} is in {room} of type {type}; allowed types: {types}",
        ),
        "check.outdoor_room": (
            "组 {group}（{activity}）在 {slot} 使用室外场地 {room}，但该活动在室内进行；应使用室内场地",
            "group {group} ({activity}) at {slot} is in outdoor room {room}, but the activity is indoor; it "
            "should use an indoor room",
        ),
        "check.room_unavailable": (
            "场地 {room} 在 {slot} 不可用，却安排了组 {group}；场地只应在可用时段使用",
            "room {room} is not available at {slot} but holds group {group}; a room should be used only when "
            "it is available",
        ),
        "check.room_capacity": (
            "场地 {room} 在 {slot} 容纳 {groups} 共 {size} 名学生；最多容纳 {capacity} 名",
            "room {room} at {slot} holds {groups} with {size} students; it holds at most {capacity}",
        ),
        "check.room_groups": (
            "场地 {room} 在 {slot} 同时容纳 {n} 个组（{groups}）；最多 {limit} 个",
            "room {room} at {slot} holds {n} groups at once ({groups}); at most {limit} allowed",
        ),
        "check.no_rain_room": (
            "室外组 {group} 在 {slot} 没有雨天备用场地；室外组需要一个室内雨天场地",
            "outdoor group {group} at {slot} has no rainy-day room; an outdoor group needs an indoor one",
        ),
        "check.rain_room_outdoor": (
            "组 {group} 在 {slot} 的雨天场地 {room} 在室外；雨天场地应在室内",
            "the rainy-day room {room} of group {group} at {slot} is outdoor; it should be indoor",
        ),
        "check.room_closed": (
            "场地 {room} 在方案生效日关闭，却安排了组 {group}（{slot}）；关闭的场地不应安排组",
            "room {room} is closed on the day the plan holds from, but holds group {group} ({slot}); a closed "
            "room should hold none",
        ),
        "check.rain_room_unavailable": (
            "组 {group} 在 {slot} 的雨天场地 {room} 此时不可用；雨天场地应在该时段可用",
            "the rainy-day room {room} of group {group} at {slot} is not available then; it should be "
            "available at that slot",
        ),
        "check.rain_capacity": (
            "雨天时场地 {room} 在 {slot} 将容纳 {groups} 共 {size} 名学生；最多容纳 {capacity} 名",
            "on a rainy day room {room} at {slot} would hold {groups} with {size} students; it holds at most "
            "{capacity}",
        ),
        "check.rain_groups": (
            "雨天时场地 {room} 在 {slot} 将同时容纳 {n} 个组（{groups}）；最多 {limit} 个",
            "on a rainy day room {room} at {slot} would hold {n} groups at once ({groups}); at most {limit} allowed",
        ),
    }
)


def check_rooms(view: PlanView) -> list[Violation]:
    """All room rules (R1, R2)."""
    return check_room_fit(view) + check_room_load(view)


def check_room_fit(view: PlanView) -> list[Violation]:
    """R1 a room, of an allowed type, indoor unless outdoor activity, available; R2 a fitting rainy-day room."""
    out: list[Violation] = []
    rooms = view.scenario.room_by_id
    for (gid, slot_id), meeting in view.meetings.items():
        activity, slot = view.activity(meeting), view.slot(slot_id)
        base = {"group": gid, "slot": slot_id}
        if not meeting.room_id:
            out.append(Violation("R1", "no_room", (gid, slot_id), base))
            continue
        room = rooms.get(meeting.room_id)
        if room is None:
            continue  # F2
        at = {**base, "room": room.room_id}
        if activity is not None:
            if activity.room_type and room.type not in activity.room_type:
                params = {
                    **at,
                    "activity": activity.activity_id,
                    "type": room.type,
                    "types": listed(sorted(activity.room_type)),
                }
                out.append(Violation("R1", "room_type", (gid, slot_id, room.room_id), params))
            if room.outdoor and not activity.outdoor:
                params = {**at, "activity": activity.activity_id}
                out.append(Violation("R1", "outdoor_room", (gid, slot_id, room.room_id), params))
        if slot is not None and not derive.tokens_admit(room.available, slot):
            out.append(Violation("R1", "room_unavailable", (gid, slot_id, room.room_id), at))
        for room_id in (meeting.room_id, meeting.rain_room_id):
            if room_id in view.away[1]:
                out.append(Violation("R1", "room_closed", (gid, slot_id, room_id), {**base, "room": room_id}))
        if room.outdoor:
            out += _rain_room_fit(view, meeting, base)
    return out


def _rain_room_fit(view: PlanView, meeting: GroupRow, base: dict[str, str]) -> list[Violation]:
    """R2: a group in an outdoor room has an indoor rainy-day room available at its slot."""
    ids = (meeting.group_id, meeting.slot_id)
    if not meeting.rain_room_id:
        return [Violation("R2", "no_rain_room", ids, base)]
    rain = view.scenario.room_by_id.get(meeting.rain_room_id)
    if rain is None:
        return []  # F2
    out = []
    params = {**base, "room": rain.room_id}
    if rain.outdoor:
        out.append(Violation("R2", "rain_room_outdoor", (*ids, rain.room_id), params))
    slot = view.slot(meeting.slot_id)
    if slot is not None and not derive.tokens_admit(rain.available, slot):
        out.append(Violation("R2", "rain_room_unavailable", (*ids, rain.room_id), params))
    return out


def check_room_load(view: PlanView) -> list[Violation]:
    """R1: for each group in a room, the groups in that room at its slot or a slot overlapping it
    number at most the room's ``max_groups`` and hold at most its capacity. R2: the same with the
    outdoor groups that move into it on a rainy day (reported only when the dry day is fine).

    Only a slot where the room holds a group is read: two groups at 15:50–16:35 and 16:45–17:30
    never meet at once, even when another room holds a junior group at 16:20–17:05."""
    out: list[Violation] = []
    seen: set[tuple[str, str, frozenset[tuple[str, str]]]] = set()
    for slot_id in sorted(view.meetings_at):
        concurrent = view.concurrent(slot_id)
        for room in sorted(view.scenario.rooms, key=lambda r: r.room_id):
            dry = [m for m in concurrent if m.room_id == room.room_id]
            rain = dry + [m for m in concurrent if m.rain_room_id == room.room_id and _in_outdoor_room(view, m)]
            if not any(m.slot_id == slot_id for m in rain):
                continue  # the room holds no group at this slot
            problems = _over(view, "R1", "room", room, slot_id, dry)
            if not problems and len(rain) > len(dry):
                problems = _over(view, "R2", "rain", room, slot_id, rain)
            for v in problems:
                key = (
                    v.code,
                    room.room_id,
                    frozenset((m.group_id, m.slot_id) for m in (rain if v.rule == "R2" else dry)),
                )
                if key not in seen:
                    seen.add(key)
                    out.append(v)
    return out


def _in_outdoor_room(view: PlanView, meeting: GroupRow) -> bool:
    room = view.scenario.room_by_id.get(meeting.room_id)
    return room is not None and room.outdoor


def _over(
    view: PlanView, rule: str, prefix: str, room: Room, slot_id: str, meetings: list[GroupRow]
) -> list[Violation]:
    """Violations of a room's ``max_groups`` and capacity by ``meetings`` held in it at once."""
    if not meetings:
        return []
    groups = listed(f"{m.group_id}@{m.slot_id}" if m.slot_id != slot_id else m.group_id for m in meetings)
    size = sum(view.size(m) for m in meetings)
    params = {"room": room.room_id, "slot": slot_id, "groups": groups}
    ids = (room.room_id, slot_id)
    out = []
    if len(meetings) > room.max_groups:
        out.append(Violation(rule, f"{prefix}_groups", ids, {**params, "n": len(meetings), "limit": room.max_groups}))
    if size > room.capacity:
        out.append(Violation(rule, f"{prefix}_capacity", ids, {**params, "size": size, "capacity": room.capacity}))
    return out
