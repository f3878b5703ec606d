"""The rule book: each rule of DOMAIN.md stated once, named by its id, with the sentence the
office reads.

Every planning model (stages A–C, the greedy first plan, the mid-term repair, the
explanation model) asks these functions; none restates a rule. The plan checker
(:mod:`cluster_planner.check`) is the one deliberate second reading, written from DOMAIN.md
and FORMAT.md alone, and a test runs both over generated schools.

Only this package and the checker read the fields rules are made of (background check,
skills, workload limits, summer clocks, grade span, ratio); a test over the source tree
says so.
"""

from cluster_planner.rules.book import RULES, Rule, rule, sentence
from cluster_planner.rules.capacity import (
    adults_needed,
    balanced_sizes,
    class_parts,
    group_cap,
    meeting_capacity,
    rain_room_fits,
    room_fits,
    room_holds,
)
from cluster_planner.rules.merging import keeps_to_itself, merge_threshold, merging_faults
from cluster_planner.rules.money import (
    FeeAboveCap,
    afternoon_period_cap,
    exempt_low_income,
    fee_cap_day,
    fee_cap_term,
    fees_above_cap,
    in_afternoon,
    is_fee_exempt,
    paid_periods,
    pay_rate,
)
from cluster_planner.rules.patterns import MAX_PATTERNS, weekly_patterns
from cluster_planner.rules.staff import (
    GROUP_LEADING_KINDS,
    OUTSIDE_KINDS,
    available_at,
    available_on_day,
    check_failed,
    day_limit,
    has_hours,
    is_cleared,
    is_outside,
    may_hold_duty,
    may_lead,
    never_checked,
    qualified_for,
    week_limit,
)
from cluster_planner.rules.students import (
    LOTTERY_DIGITS,
    activities_per_student,
    grade_span_ok,
    is_priority,
    is_tutoring,
    lost_students_weight,
    lottery,
    lottery_number,
    lottery_order,
    lottery_text,
    max_grade_span,
    ratio,
    scenario_lottery,
    tutoring_per_day,
)
from cluster_planner.rules.time import at_once, clocks, overlapping, room_sharing_sets, simultaneous_sets

__all__ = [
    "GROUP_LEADING_KINDS",
    "LOTTERY_DIGITS",
    "MAX_PATTERNS",
    "OUTSIDE_KINDS",
    "RULES",
    "FeeAboveCap",
    "Rule",
    "activities_per_student",
    "adults_needed",
    "afternoon_period_cap",
    "at_once",
    "available_at",
    "available_on_day",
    "balanced_sizes",
    "check_failed",
    "class_parts",
    "clocks",
    "day_limit",
    "exempt_low_income",
    "fee_cap_day",
    "fee_cap_term",
    "fees_above_cap",
    "grade_span_ok",
    "group_cap",
    "has_hours",
    "in_afternoon",
    "is_cleared",
    "is_fee_exempt",
    "is_outside",
    "is_priority",
    "is_tutoring",
    "keeps_to_itself",
    "lost_students_weight",
    "lottery",
    "lottery_number",
    "lottery_order",
    "lottery_text",
    "max_grade_span",
    "may_hold_duty",
    "may_lead",
    "meeting_capacity",
    "merge_threshold",
    "merging_faults",
    "never_checked",
    "overlapping",
    "paid_periods",
    "pay_rate",
    "qualified_for",
    "rain_room_fits",
    "ratio",
    "room_fits",
    "room_holds",
    "room_sharing_sets",
    "rule",
    "scenario_lottery",
    "sentence",
    "simultaneous_sets",
    "tutoring_per_day",
    "week_limit",
    "weekly_patterns",
]
