"""The independent plan checker (issue #3): a plan folder against its scenario, from the rules alone.

Written from DOMAIN.md and FORMAT.md without the solver's code, and without the scenario's
derived helpers (see :mod:`cluster_planner.check.derive`), so a bug there is caught here.

Checks, by rule id (each a module):

- **F1** ``plan_files``: the five plan CSVs exist with their columns (then nothing else is checked);
  plan.json, if present, is readable. **F2**: cells parse (day, numbers, rank 1–5, grades), key
  cells are not blank, every id names something in the scenario (``references``). **F3**: a
  meeting is listed once, a group has one activity, ``class_ids``/``grades`` cover the students
  placed, a row's day is its slot's day, staff_load lists a person once.
- **S1/C2/S3/S4/S5/S6/A1/L1/S7/P1** ``students``: coverage exactly once with a reason when
  unplaced; only approved students, only at slots applied for; one place at a time, in a group
  meeting then, on the slot's day; eligibility by grade; tutoring per day; choices and ranks and
  activities per student; a granted group attended at every meeting; locks kept or explained;
  class activity first (one class per class group), nobody in another class's class activity.
- **G4/H4/G5/G1/G3** ``groups``: size column and cap; allowed slots; sessions per week and
  ``max_groups`` of chosen activities; at term start ``min_size`` and care-group merging.
- **T2/T3/T4/T5/M3** ``staff``; **T6** ``duties``; **R1/R2** ``rooms``.
"""

from cluster_planner.check.checker import check_plan
from cluster_planner.check.plan_files import PlanFiles, read_plan
from cluster_planner.check.violation import Violation

__all__ = ["PlanFiles", "Violation", "check_plan", "read_plan"]
