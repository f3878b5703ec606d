"""Fuzz the plan checker (issue 14 item 2): mutated plan folders, checked in process.

Real plan folders (demo-small solved; a small generated school solved; demo-small with a
joiner read as a re-solved plan) are broken the ways an office breaks them in Excel: rows and
cells dropped, duplicated and swapped; unknown ids and ids of the wrong kind; text in numeric
columns and blanks in key columns; columns dropped, renamed, repeated; files missing, empty,
binary, re-encoded or a folder; plan.json garbage; the snapshot's changes.csv garbage or naming a
joiner. Each case runs :func:`cluster_planner.check.check_plan` in process and audits the answer:

- **crash**: ``check_plan`` raised, or a message could not be rendered in zh or en;
- **no place**: a message names neither its file (with the row or column when the finding has
  one) nor one of the ids involved;
- **no expectation**: a message does not say what was expected (it holds none of the words
  that say so: ``expected``, ``should``, ``must``, ``at most``, ``at least``, ``need``,
  ``allowed``, ``wanted``, ``only``; in Chinese 应, 必须, 最多, 至少, 需要, 允许, 只);
- **bad exit**: :func:`cluster_planner.check.exit_code` is not 2 when the folder cannot be read
  as a plan (F1), not 1 for any other finding, not 0 for none.

    .venv/bin/python bench/fuzz_check.py --cases 10000 --seed 0

The same mutations and audit run a few hundred cases in ``tests/check/test_check_fuzz.py``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cluster_planner.check import Violation, check_plan, exit_code
from cluster_planner.check.checker import UNREADABLE
from cluster_planner.domain import Change, Scenario
from cluster_planner.domain.entities import ActivityKind, Priority
from cluster_planner.vocabulary import coded_params

PLAN_CSVS = ("groups.csv", "assignments.csv", "unplaced.csv", "staff_load.csv", "duty_roster.csv")
PLAN_JSON = "plan.json"
SNAPSHOT_CHANGES = "scenario/changes.csv"
EXPECT_EN = ("expected", "should", "must", "at most", "at least", "need", "allowed", "wanted", "only")
EXPECT_ZH = ("应", "必须", "最多", "至少", "需要", "允许", "只")

Files = dict[str, bytes | None]
"""A plan folder in memory: relative path → bytes; ``None`` marks a folder where a file should be."""


@dataclass(frozen=True, repr=False)
class Base:
    """A real plan folder to mutate, with the scenario it is checked against."""

    name: str
    scenario: Scenario
    files: Files
    ids: dict[str, tuple[str, ...]]
    """Real ids by kind (students, groups, staff, rooms, slots, activities, classes, days)."""

    def __repr__(self) -> str:
        return f"Base({self.name!r})"


@dataclass
class Audit:
    """What one case (or many) gave."""

    cases: int = 0
    crashes: int = 0
    messages: int = 0
    no_place: int = 0
    no_expectation: int = 0
    bad_exit: int = 0
    with_findings: int = 0
    exits: Counter[int] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def add(self, other: Audit) -> None:
        for name in ("cases", "crashes", "messages", "no_place", "no_expectation", "bad_exit", "with_findings"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.exits.update(other.exits)
        self.examples.extend(other.examples[: max(0, 20 - len(self.examples))])

    @property
    def failures(self) -> int:
        return self.crashes + self.no_place + self.no_expectation + self.bad_exit


# ---- bases ------------------------------------------------------------------------------------
def base_from_folder(name: str, scenario: Scenario, folder: Path) -> Base:
    """A base from a plan folder on disk (its five CSVs and plan.json)."""
    files: Files = {n: (folder / n).read_bytes() for n in (*PLAN_CSVS, PLAN_JSON) if (folder / n).is_file()}
    ids = {
        "student": tuple(s.student_id for s in scenario.students),
        "staff": tuple(s.staff_id for s in scenario.staff),
        "room": tuple(r.room_id for r in scenario.rooms),
        "slot": tuple(s.slot_id for s in scenario.timeslots),
        "activity": tuple(a.activity_id for a in scenario.activities),
        "class": tuple(c.class_id for c in scenario.classes),
        "day": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "周一", "星期二"),
    }
    groups = _column(files.get("groups.csv"), "group_id")
    return Base(name, scenario, files, {**ids, "group": tuple(dict.fromkeys(groups))})


def with_joiner(base: Base, name: str) -> Base:
    """The base read as a re-solved plan (version 2) whose scenario records one student as a joiner."""
    student = _column(base.files.get("assignments.csv"), "student_id")[0]
    joined = Change(date=base.scenario.school.term_start, action="join", id=student)
    scenario = base.scenario.model_copy(update={"changes": (*base.scenario.changes, joined)})
    meta = {"version": 2, "parent_version": 1, "valid_from": base.scenario.school.term_start.isoformat()}
    return Base(name, scenario, {**base.files, PLAN_JSON: json.dumps(meta).encode()}, base.ids)


def hostile(base: Base, name: str) -> Base:
    """The same plan against a scenario it breaks almost everywhere, so that every rule speaks at once.

    Every adult is available on Saturday only, has no skill and half of them are not cleared; every
    room holds one student; caps, ratio, grade span, tutoring and activities per student are at their
    tightest; every other student has priority and the first one joined mid-term. Rule messages of
    every family then meet in one case (T3 and T5 on one meeting, S2 beside S7 …).
    """
    sc = base.scenario
    rules = sc.school.rules.model_copy(
        update={
            "group_cap": 1, "ratio": 1, "max_grade_span": 0, "merge_threshold": 1, "activities_per_student": 0,
            "max_tutoring_per_day": 0,
        }
    )  # fmt: skip
    tight = {"available": ("Sat",), "skills": frozenset({"none"}), "max_periods_day": 0.0, "max_periods_week": 0.0}
    staff = tuple(s.model_copy(update={**tight, "background_check": i % 2 == 0}) for i, s in enumerate(sc.staff))
    rooms = tuple(r.model_copy(update={"capacity": 1, "max_groups": 1, "available": ("Sun",)}) for r in sc.rooms)
    students = tuple(
        s.model_copy(update={"priority": frozenset({Priority.LEFT_BEHIND}) if i % 2 else frozenset()})
        for i, s in enumerate(sc.students)
    )
    activities = tuple(
        a.model_copy(
            update={"kind": ActivityKind.TUTORING if i % 3 == 0 else a.kind, "min_size": 99, "sessions_per_week": 9}
        )
        for i, a in enumerate(sc.activities)
    )
    joined = Change(date=sc.school.term_start, action="join", id=sc.students[0].student_id)
    scenario = sc.model_copy(
        update={
            "school": sc.school.model_copy(update={"rules": rules}),
            "staff": staff,
            "rooms": rooms,
            "students": students,
            "activities": activities,
            "changes": (*sc.changes, joined),
        }
    )
    return Base(name, scenario, base.files, base.ids)


def solved_bases(out: Path) -> list[Base]:
    """demo-small and a small generated school, each solved once and written to ``out``."""
    from cluster_planner.generate import generate_school
    from cluster_planner.io.loader import load_scenario
    from cluster_planner.plan.io import save_plan
    from cluster_planner.solver import SolveSettings, solve_scenario

    settings = SolveSettings(time_limit=60.0, deterministic_limit=10.0, workers=1, seed=0)
    demo = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "demo-small")
    bases = []
    for name, scenario in (("demo-small", demo), ("generated-60", generate_school(60, "1-6", seed=3))):
        folder = save_plan(solve_scenario(scenario, settings).plan, out / name)
        bases.append(base_from_folder(name, scenario, folder))
    bases.append(with_joiner(bases[0], "demo-small-resolved"))
    bases.append(hostile(bases[1], "generated-60-hostile"))
    return bases


# ---- CSV text helpers -------------------------------------------------------------------------
def _rows(data: bytes | None) -> list[list[str]]:
    if not data:
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error:
        return []


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _column(data: bytes | None, name: str) -> list[str]:
    rows = _rows(data)
    if not rows or name not in rows[0]:
        return []
    i = rows[0].index(name)
    return [r[i] for r in rows[1:] if i < len(r) and r[i]]


# ---- mutations --------------------------------------------------------------------------------
Mutation = Callable[[random.Random, Files, Base], Files]


def _csv_file(rng: random.Random, files: Files) -> str:
    names = [n for n in (*PLAN_CSVS, SNAPSHOT_CHANGES) if _rows(files.get(n))]
    return rng.choice(names) if names else rng.choice(PLAN_CSVS)


def _table_edit(edit: Callable[[random.Random, list[list[str]], Base], None]) -> Mutation:
    """A mutation that edits the rows of one readable CSV (header first)."""

    def run(rng: random.Random, files: Files, base: Base) -> Files:
        name = _csv_file(rng, files)
        rows = _rows(files.get(name))
        if not rows:
            return files
        edit(rng, rows, base)
        return {**files, name: _csv(rows)}

    run.__name__ = edit.__name__
    return run


def _data_row(rng: random.Random, rows: list[list[str]]) -> int | None:
    return rng.randrange(1, len(rows)) if len(rows) > 1 else None


def drop_row(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    if (i := _data_row(rng, rows)) is not None:
        del rows[i]


def duplicate_row(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    if (i := _data_row(rng, rows)) is not None:
        rows.insert(rng.randrange(1, len(rows) + 1), list(rows[i]))


def swap_rows(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    if len(rows) > 2:
        i, j = rng.sample(range(1, len(rows)), 2)
        rows[i], rows[j] = rows[j], rows[i]


def swap_cells_in_row(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    if (i := _data_row(rng, rows)) is not None and len(rows[i]) > 1:
        a, b = rng.sample(range(len(rows[i])), 2)
        rows[i][a], rows[i][b] = rows[i][b], rows[i][a]


def swap_cells_between_rows(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    if len(rows) > 2:
        i, j = rng.sample(range(1, len(rows)), 2)
        c = rng.randrange(max(1, min(len(rows[i]), len(rows[j]))))
        if c < len(rows[i]) and c < len(rows[j]):
            rows[i][c], rows[j][c] = rows[j][c], rows[i][c]


WEIRD = (
    "", " ", "abc", "-3", "2.5", "0", "1e309", "-1e309", "nan", "inf", "99999999999999999999", "1_000", "３",
    "周八", "Funday", "=1+1", "'=HYPERLINK(\"x\")", '"', "a,b", "C1；C2、C3", "{x}", "{}", "%s", "None", "[]",
    "\t", "一年级", "初三", "10-1", "1-99", "0-3", "Mon-1 Mon-1", "x" * 5000, "\u200b", "😀", "NULL",
)  # fmt: skip


def weird_cell(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    """Text in numeric columns, blanks in key columns, formulas, braces, long and odd unicode."""
    if (i := _data_row(rng, rows)) is not None and rows[i]:
        rows[i][rng.randrange(len(rows[i]))] = rng.choice(WEIRD)


def unknown_id(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    if (i := _data_row(rng, rows)) is not None and rows[i]:
        rows[i][rng.randrange(len(rows[i]))] = rng.choice(("ZZ-9", "S99999", "T-404", "R000", "Mon-9", "CARE-X"))


def wrong_kind_id(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    """A real id of another kind (a staff id where a student goes, a room where a slot goes …)."""
    if (i := _data_row(rng, rows)) is not None and rows[i]:
        kind = rng.choice(sorted(k for k, v in base.ids.items() if v))
        rows[i][rng.randrange(len(rows[i]))] = rng.choice(base.ids[kind])


def blank_row_cells(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    if (i := _data_row(rng, rows)) is not None:
        rows[i] = ["" for _ in rows[i]]


def short_row(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    if (i := _data_row(rng, rows)) is not None:
        rows[i] = rows[i][: rng.randrange(len(rows[i]) + 1)]


def long_row(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    if (i := _data_row(rng, rows)) is not None:
        rows[i] = rows[i] + ["extra"] * rng.randint(1, 3)


def drop_column(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    if rows[0]:
        c = rng.randrange(len(rows[0]))
        for r in rows:
            if c < len(r):
                del r[c]


def rename_column(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    if rows[0]:
        c = rng.randrange(len(rows[0]))
        rows[0][c] = rng.choice((rows[0][c].upper(), f" {rows[0][c]} ", rows[0][c] + "_x", "列", ""))


def repeat_column(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    if rows[0]:
        c = rng.randrange(len(rows[0]))
        for r in rows:
            r.append(r[c] if c < len(r) else "")


def shuffle_columns(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    order = list(range(len(rows[0])))
    rng.shuffle(order)
    rows[:] = [[r[c] if c < len(r) else "" for c in order] for r in rows]


def header_only(rng: random.Random, rows: list[list[str]], base: Base) -> None:
    del rows[1:]


def _whole_file(make: Callable[[random.Random, bytes | None], bytes | None]) -> Mutation:
    """A mutation that replaces one plan file's bytes (None: a folder in its place)."""

    def run(rng: random.Random, files: Files, base: Base) -> Files:
        name = rng.choice((*PLAN_CSVS, PLAN_JSON, SNAPSHOT_CHANGES))
        return {**files, name: make(rng, files.get(name))}

    run.__name__ = make.__name__
    return run


def empty_file(rng: random.Random, data: bytes | None) -> bytes | None:
    return b""


def folder_instead(rng: random.Random, data: bytes | None) -> bytes | None:
    return None


def random_bytes(rng: random.Random, data: bytes | None) -> bytes | None:
    return bytes(rng.randrange(256) for _ in range(rng.randint(1, 400)))


def gb18030(rng: random.Random, data: bytes | None) -> bytes | None:
    return data.decode("utf-8-sig", "replace").encode("gb18030", "replace") if data else data


def utf16(rng: random.Random, data: bytes | None) -> bytes | None:
    return data.decode("utf-8-sig", "replace").encode("utf-16") if data else data


def nul_byte(rng: random.Random, data: bytes | None) -> bytes | None:
    if not data:
        return b"\x00"
    i = rng.randrange(len(data))
    return data[:i] + b"\x00" + data[i:]


def truncate(rng: random.Random, data: bytes | None) -> bytes | None:
    return data[: rng.randrange(len(data))] if data else data


def open_quote(rng: random.Random, data: bytes | None) -> bytes | None:
    return (data or b"") + b'\n"unclosed,quote\n'


def huge_cell(rng: random.Random, data: bytes | None) -> bytes | None:
    return (data or b"a\n") + b"x" * 200_000 + b"\n"


def drop_file(rng: random.Random, files: Files, base: Base) -> Files:
    name = rng.choice((*PLAN_CSVS, PLAN_JSON))
    return {k: v for k, v in files.items() if k != name}


JSON_VALUES = (
    "{not json", "[]", '"a string"', "null", "42", "[" * 50_000 + "]" * 50_000, '{"version": "two"}',
    '{"version": 1e400}', '{"version": NaN}', '{"version": -1}', '{"version": [1]}', '{"version": {"a": 1}}',
    '{"version": true}', '{"parent_version": "x"}', '{"parent_version": 1}', '{"parent_version": 1e400}',
    '{"valid_from": "2026-13-45"}', '{"valid_from": 20261012}', '{"valid_from": "tomorrow"}',
    '{"valid_from": ""}', '{"valid_from": "2026-10-12", "version": 2, "parent_version": 1}',
    '{"version": 3, "parent_version": 2, "valid_from": "2099-01-01"}', '{"relaxed": true, "skip_rules": ["S2"]}',
)  # fmt: skip


def plan_json(rng: random.Random, files: Files, base: Base) -> Files:
    return {**files, PLAN_JSON: rng.choice(JSON_VALUES).encode()}


def snapshot_changes(rng: random.Random, files: Files, base: Base) -> Files:
    """The snapshot's changes.csv: a joiner (real or not), Chinese headers, or no usable columns."""
    student = rng.choice(base.ids["student"] or ("S1",))
    day = date(2026, 10, 12).isoformat()
    text = rng.choice(
        (
            f"change_id,date,action,id\nc1,{day},join,{student}\n",
            f"变动编号,日期,变动,编号\nc1,{day},加入,{student}\n",
            f"date,action,id\n{day},join,S99999\n{day},exit,{student}\n",
            "date,what\n2026-10-12,join\n",
            f"date,action,id\n{day},join,\n,,\n",
        )
    )
    return {**files, SNAPSHOT_CHANGES: text.encode()}


MUTATIONS: dict[str, Mutation] = {
    f.__name__: f
    for f in (
        *(
            _table_edit(e)
            for e in (
                drop_row, duplicate_row, swap_rows, swap_cells_in_row, swap_cells_between_rows, weird_cell,
                unknown_id, wrong_kind_id, blank_row_cells, short_row, long_row, drop_column, rename_column,
                repeat_column, shuffle_columns, header_only,
            )
        ),
        *(
            _whole_file(m)
            for m in (
                empty_file, folder_instead, random_bytes, gb18030, utf16, nul_byte, truncate, open_quote, huge_cell,
            )
        ),
        drop_file, plan_json, snapshot_changes,
    )
}  # fmt: skip
"""Every mutation by name (the hypothesis test draws names, the bench draws at random)."""


def mutate(base: Base, names: list[str], seed: int) -> Files:
    """The base's files after the named mutations, in order, driven by ``seed``."""
    rng = random.Random(seed)
    files = dict(base.files)
    for name in names:
        files = MUTATIONS[name](rng, files, base)
    return files


# ---- running and auditing a case --------------------------------------------------------------
def write_folder(files: Files, folder: Path) -> Path:
    """A fresh plan folder holding ``files`` (``None``: a folder in the file's place)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            path.mkdir()
        else:
            path.write_bytes(data)
    return folder


def names_place(v: Violation, text: str) -> bool:
    """The message names its file (with its row or column when the finding has one) or an id involved."""
    p = v.params
    if "file" in p:
        ok = str(p["file"]) in text
        if "row" in p:
            ok = ok and str(p["row"]) in text
        if "column" in p:
            ok = ok and str(p["column"]) in text
        return ok
    if "rows" in p:
        return str(p["rows"]) in text
    if any(str(i) in text for i in v.ids if str(i)):
        return True
    # an id shown in the school's words (a duty ``post@Day[@slot]`` reads 周二 值日领导)
    lang = "en" if text.isascii() else "zh"
    shown = coded_params({k: val for k, val in p.items() if isinstance(val, str)}, lang)
    return any(str(val) in text for key, val in shown.items() if key in ("post", "day", "duty") and val)


def says_expected(v: Violation, lang: str, text: str) -> bool:
    """The message says what was expected (one of the words that say so)."""
    words = EXPECT_ZH if lang == "zh" else EXPECT_EN
    body = text.lower()
    return any(w in body for w in words)


def run_case(base: Base, files: Files, folder: Path, label: str = "") -> Audit:
    """Check one mutated folder in process and audit what the checker says."""
    audit = Audit(cases=1)
    try:
        found = check_plan(base.scenario, write_folder(files, folder))
        code = exit_code(found)
    except BaseException as exc:  # anything raised is what the fuzz looks for
        if isinstance(exc, KeyboardInterrupt):
            raise
        audit.crashes = 1
        audit.examples.append(f"{label}: crash {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}")
        return audit
    audit.with_findings = int(bool(found))
    audit.exits[code] += 1
    stopped = any(v.rule == "F1" and v.code in UNREADABLE for v in found)
    if code != (2 if stopped else 1 if found else 0):
        audit.bad_exit = 1
        audit.examples.append(f"{label}: exit {code} for {[v.code for v in found][:5]}")
    for v in found:
        audit.messages += 1
        try:
            texts = {lang: v.message(lang) for lang in ("zh", "en")}
        except Exception as exc:
            audit.crashes += 1
            audit.examples.append(f"{label}: message {v.rule}/{v.code} {v.params}: {type(exc).__name__}: {exc}")
            continue
        if any(_placeholder_left(t, v) for t in texts.values()):
            audit.crashes += 1
            audit.examples.append(f"{label}: unfilled placeholder in {texts['en']}")
        if not all(names_place(v, t) for t in texts.values()):
            audit.no_place += 1
            audit.examples.append(f"{label}: no place: {texts['en']} | {texts['zh']}")
        if not all(says_expected(v, lang, t) for lang, t in texts.items()):
            audit.no_expectation += 1
            audit.examples.append(f"{label}: no expectation: {texts['en']} | {texts['zh']}")
    return audit


def _placeholder_left(text: str, v: Violation) -> bool:
    """A ``{name}`` of the catalogue left unfilled (braces inside the cell values themselves are fine)."""
    for value in v.params.values():
        text = text.replace(str(value), "")
    return "{" in text or "}" in text


# ---- the bench --------------------------------------------------------------------------------
def fuzz(bases: list[Base], cases: int, seed: int, work: Path, progress: bool = False) -> dict[str, Audit]:
    """``cases`` random cases spread over the bases (1–3 mutations each); audits by base."""
    rng = random.Random(seed)
    names = sorted(MUTATIONS)
    audits = {b.name: Audit() for b in bases}
    for k in range(cases):
        base = bases[k % len(bases)]
        ops = [rng.choice(names) for _ in range(rng.randint(1, 3))]
        case_seed = rng.randrange(2**32)
        label = f"case {k} {base.name} {ops} seed={case_seed}"
        audits[base.name].add(run_case(base, mutate(base, ops, case_seed), work / "case", label))
        if progress and (k + 1) % 1000 == 0:
            print(f"  {k + 1} cases", file=sys.stderr, flush=True)
    return audits


def table(audits: dict[str, Audit], seconds: float) -> str:
    """The figures as a Markdown table (one row per base and a total)."""
    total = Audit()
    for a in audits.values():
        total.add(a)
    head = (
        "| base | cases | crashes | messages | lacking file/row/column or id | lacking what was expected "
        "| bad exit code | cases with findings | exit 0 / 1 / 2 |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n"
    )
    rows = [
        f"| {name} | {a.cases:,} | {a.crashes} | {a.messages:,} | {a.no_place} | {a.no_expectation} | {a.bad_exit} "
        f"| {a.with_findings:,} | {a.exits[0]:,} / {a.exits[1]:,} / {a.exits[2]:,} |"
        for name, a in (*audits.items(), ("**all**", total))
    ]
    return head + "\n".join(rows) + f"\n\n{total.cases:,} cases in {seconds:.0f} s ({os.cpu_count()} cores)."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fuzz-check-"))
    try:
        bases = solved_bases(work / "bases")
        for b in bases:
            clean = check_plan(b.scenario, write_folder(b.files, work / "clean"))
            print(f"{b.name}: unmutated plan gives {len(clean)} finding(s) {[v.code for v in clean][:5]}")
        start = time.perf_counter()
        audits = fuzz(bases, args.cases, args.seed, work, progress=True)
        print(table(audits, time.perf_counter() - start))
        examples = [e for a in audits.values() for e in a.examples]
        for example in examples[:20]:
            print("-", example)
        return 1 if any(a.failures for a in audits.values()) else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
