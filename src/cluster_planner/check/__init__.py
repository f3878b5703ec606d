"""The independent plan checker (issue #3): a plan folder against its scenario, from the rules alone.

Written from DOMAIN.md and FORMAT.md without the solver's code, and without the scenario's
derived helpers (see :mod:`cluster_planner.check.derive`), so a bug there is caught here.

Checks, by rule id (each a module):

- **F1** ``folder``/``plan_files``: the five plan CSVs exist, read as CSV, with their columns, and
  plan.json, if present, is a JSON object whose ``version``, ``parent_version`` and ``valid_from``
  read (else nothing else is checked); the snapshot's ``scenario/changes.csv``, if present, reads.
  **F2**: cells parse (day, numbers, rank 1–5, grades), key cells are not blank, every id names
  something in the scenario (``references``). **F3**: a meeting is listed once, a group has one
  activity, ``class_ids``/``grades`` cover the students placed, a row's day is its slot's day,
  staff_load lists a person once, duty_roster a holder once.
- **S1/C2/S3/S4/S5/S6/A1/L1/S7/P1** ``students``: coverage exactly once with a reason when
  unplaced; only approved students, only at slots applied for; one place at a time, in a group
  meeting then, on the slot's day; eligibility by grade; tutoring per day; choices and ranks and
  activities per student; a granted group attended at every meeting; locks kept or explained;
  class activity first (one class per class group), nobody in another class's class activity.
- **S2** ``priority``: no priority student unplaced while a student without priority holds a place
  they could take (care across grades, a chosen activity they ranked, their class activity).
- **S7** ``joiners``: a student who joined mid-term is in their class's care group when it has room.
- **G4/H4/G5/G1/G3** ``groups``: size column and cap; allowed slots; sessions per week and
  ``max_groups`` of chosen activities; the care groups' grade span (every version); at term start
  ``min_size`` and care-group merging.
- **T2/T3/T4/T5/M3** ``staff``; **T6** ``duties``; **R1/R2** ``rooms``; **M3** ``pay``: each adult's term
  periods and pay recomputed from the plan's groups and duties over the term's service dates.

Exit codes (:func:`exit_code`): 0 the plan keeps every rule; 1 it breaks one (an unreadable cell or
an unknown id, F2/F3, is a broken rule of a plan that could be read); 2 the folder cannot be read as
a plan — a plan file or plan.json missing or unreadable, or a required column missing (F1): bad
input as FORMAT.md's code 2 says, and nothing else is checked. Every message names the file with
its row or column, or the ids involved, and says what was expected.

Readings where FORMAT.md is open (each module's docstrings say more):

- Group size is the number of assignments.csv rows of the meeting; the ``size`` cell is only
  compared with it (G4). A class group's classes are its ``class_ids`` cell, else its students'.
- A ``slots``/``available`` day token admits every slot of that day. "At once" means the same
  slot or slots overlapping in time on one day, in either season (T5, R1).
- An outdoor activity may use an indoor room; a group in an outdoor room needs a rainy-day room
  (R2), whose rainy-day load is its own groups plus the outdoor groups that move in.
- G2 is not checked exactly: grades are mixed in a care group only when one of them has fewer
  than ``merge_threshold`` students in care at that slot (G3). A class split (G1) is flagged only
  when one of its groups could take the rest within the cap, room capacity and adult ratio.
- ``min_size`` (every activity, its group's largest meeting), G1 and G3's threshold part bind only
  when plan.json says version 1 or is absent and names no ``parent_version``; the grade span,
  S2 and S7 bind on every version (FORMAT.md). plan.json is read for ``version``,
  ``parent_version`` and ``valid_from`` only: no other key relaxes a rule. Sessions per week and
  ``max_groups`` apply to chosen activities.
- S2 wins over merging: another class or grade present in a care group only through priority
  students breaks neither G1 nor G3's threshold part (the grade span still holds).
- Joiners are the ``join`` rows of the scenario's changes and of the plan's snapshot
  (``scenario/changes.csv``); a joiner's class group is a care group open to their grade holding
  a classmate at that slot; "room" is below the size cap, adults × ratio and the room's capacity.
- A re-solved plan is read on its plan.json ``valid_from``: an adult on leave then (a
  ``staff_leave`` row of the scenario's changes from ``date`` through ``until``, not ended by a
  later ``staff_return``) breaks T5 at every meeting and duty they hold; a room closed then
  (``room_closed``/``room_open`` likewise) breaks R1 as a room or a rainy-day room.
- A student unplaced at a meeting of their class activity or granted group breaks S7/A1; a lock
  counts as explained by any unplaced.csv row of that student with a reason (L1).
- staff_load.csv ``periods_week`` off by more than 1e-6 is a violation like any other (M3);
  ``periods_term`` and ``pay_term`` off by more than 0.01 too: the periods of each weekday times its
  service dates (``term_start`` … ``term_end``, holidays out), and pay as the rule book defines a day's
  paid periods (the afternoon cap of 003, ``afternoon_period_cap``) times the person's rate
  (:mod:`cluster_planner.rules.money`). A blank cell reads 0.
"""

from cluster_planner.check.checker import check_plan, exit_code
from cluster_planner.check.plan_files import PlanFiles, read_plan
from cluster_planner.check.violation import Violation

__all__ = ["PlanFiles", "Violation", "check_plan", "exit_code", "read_plan"]
