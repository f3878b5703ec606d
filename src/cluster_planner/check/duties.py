"""T6 duty roster: every duties.csv post has exactly ``count`` holders of its staff kind,
and every duty_roster.csv row holds a post of duties.csv. (Clearance and availability of
holders are T2/T5 in :mod:`cluster_planner.check.staff`.)"""

from __future__ import annotations

from collections import defaultdict

from cluster_planner.check.view import PlanView
from cluster_planner.check.violation import Violation
from cluster_planner.i18n import register

register(
    {
        "check.duty_count": (
            "值班岗位 {duty} 有 {n} 人；需要 {count} 人",
            "duty {duty} has {n} holder(s); {count} needed",
        ),
        "check.duty_kind": (
            "{staff}（{kind}）担任值班岗位 {duty}，该岗位需要 {wanted}",
            "{staff} ({kind}) holds duty {duty}, which needs a {wanted}",
        ),
        "check.unknown_duty": (
            "duty_roster.csv 第{row}行：duties.csv 中没有值班岗位 {duty}；应为 duties.csv 中的岗位（星期、时段、岗位）",
            "duty_roster.csv row {row}: duties.csv has no duty post {duty}; expected a post of duties.csv "
            "(day, slot_id, post)",
        ),
    }
)


def check_duties(view: PlanView) -> list[Violation]:
    """T6: each post held by exactly ``count`` people of its kind; every roster row holds a real post."""
    out: list[Violation] = []
    holders: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in view.plan.duty_roster:
        duty = f"{row.post}@{row.day}" + (f"@{row.slot_id}" if row.slot_id else "")
        post = view.duty_post(row)
        if post is None:
            params = {"file": "duty_roster.csv", "row": row.row, "duty": duty}
            out.append(Violation("T6", "unknown_duty", (duty,), params))
            continue
        holders[(post.day.value, post.slot_id or "", post.post.strip().lower())].add(row.staff_id)
        staff = view.scenario.staff_by_id.get(row.staff_id)
        if staff is not None and staff.kind != post.kind:
            params = {"staff": row.staff_id, "kind": staff.kind.value, "duty": duty, "wanted": post.kind.value}
            out.append(Violation("T6", "duty_kind", (row.staff_id, duty), params))
    for key, post in view.duty_posts.items():
        n = len(holders.get(key, ()))
        if n != post.count:
            params = {"duty": post.duty_id, "n": n, "count": post.count}
            out.append(Violation("T6", "duty_count", (post.duty_id,), params))
    return out
