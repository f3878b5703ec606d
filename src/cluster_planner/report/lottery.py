"""The transparent lottery (issue 17 item 5, S6): the draw order of a school's students, and how any family
recomputes its own number from the published seed and the student id.

A number is :func:`cluster_planner.rules.lottery_number`: the first 8 hex digits of SHA-256 over the UTF-8
text ``"{seed}:{student_id}"``. The order is ascending by number, equal numbers by student id; it is the
order the solver breaks every tie in (``rules.scenario_lottery``).

>>> draw = build_draw(scenario, seed=2026, lang="zh")   # doctest: +SKIP
>>> draw.frame().head()                                 # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cluster_planner import rules
from cluster_planner.domain import Scenario
from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t
from cluster_planner.io.csv_cells import escape
from cluster_planner.io.out_path import writing_file
from cluster_planner.report.words import check_lang

register(
    {
        "lottery.title": ("{school}抽签顺序", "{school}: lottery order"),
        "lottery.title_plain": ("抽签顺序", "Lottery order"),
        "lottery.sheet": ("抽签顺序", "Lottery order"),
        "lottery.col.rank": ("顺序", "Rank"),
        "lottery.col.student_id": ("学号", "Student id"),
        "lottery.col.name": ("姓名", "Name"),
        "lottery.col.class": ("班级", "Class"),
        "lottery.col.number": ("抽签号", "Lottery number"),
        "lottery.fact.seed": ("抽签种子", "Lottery seed"),
        "lottery.fact.students": ("学生人数", "Students"),
        "lottery.summary": (
            "抽签种子 {seed}，共 {n} 名学生；抽签号小者在前",
            "seed {seed}, {n} students; the smallest number comes first",
        ),
        "lottery.rule": (
            "每名学生的抽签号由公开的抽签种子和本人学号算出：把“种子:学号”（如 {text}，不含换行）按 UTF-8 "
            "编码计算 SHA-256，取结果的前 {digits} 位（十六进制）。抽签号从小到大排出抽签顺序（0–9 小于 a–f；"
            "号码相同时按学号）；名额不足而其他条件相同时，顺序靠前的学生优先。抽签号只取决于种子和本人学号，"
            "有学生加入或退出，其他学生的号码都不变。",
            "Each student's lottery number comes from the published seed and the student's own id: the SHA-256 "
            "of the UTF-8 text 'seed:student id' (e.g. {text}, no newline), its first {digits} hex digits. The "
            "order is ascending by number (0–9 before a–f; equal numbers by student id); where places are short "
            "and all else is equal, the student earlier in the order comes first. A number depends only on the "
            "seed and the student's own id: a student joining or leaving changes nobody else's number.",
        ),
        "lottery.section": ("抽签说明", "Lottery"),
        "lottery.how.title": ("家长如何核对自己的抽签号", "How a family checks its own number"),
        "lottery.how.seed": ("本方案的抽签种子：{seed}", "This plan's lottery seed: {seed}"),
        "lottery.how.step1": (
            "在电脑的终端里输入下面一行，把其中的学号换成自己孩子的学号（种子和学号之间是英文冒号）：",
            "Type this line in a computer's terminal, with your child's student id in place of the example's "
            "(a colon between seed and id):",
        ),
        "lottery.how.step2": (
            "屏幕上输出的一串字符，前 {digits} 位就是孩子的抽签号，应与告知书上的抽签号一致。",
            "The first {digits} characters it prints are your child's lottery number, as on the family notice.",
        ),
        "lottery.how.other_tools": (
            "苹果电脑可用 shasum -a 256 代替 sha256sum；任何 SHA-256 计算工具对文字 {text} 都得出同样的结果。",
            "On a Mac use shasum -a 256 instead of sha256sum; any SHA-256 tool gives the same for the text {text}.",
        ),
        "lottery.example.title": ("示例", "Worked example"),
        "lottery.example.student": ("学生", "Student"),
        "lottery.example.text": ("计算的文字", "Text hashed"),
        "lottery.example.digest": ("SHA-256 结果", "SHA-256"),
        "lottery.example.number": ("抽签号（前 {digits} 位）", "Lottery number (first {digits})"),
        "lottery.example.rank": ("抽签顺序", "Place in the order"),
        "lottery.example.rank_value": ("第 {rank} 位（共 {n} 名）", "{rank} of {n}"),
        "lottery.bad_suffix": (
            "不能写入 {path}：抽签顺序只能写成 .csv 或 .xlsx 文件",
            "cannot write {path}: the lottery order is written as a .csv or .xlsx file",
        ),
    }
)

COLUMNS = ("rank", "student_id", "name", "class", "number")
SUFFIXES = (".csv", ".xlsx")
EXAMPLE_ID = "S0001"
"""The student id of the example where a school has no student."""


@dataclass(frozen=True)
class DrawRow:
    """One student's place in the draw."""

    rank: int
    student_id: str
    name: str
    class_name: str
    number: str


@dataclass(frozen=True)
class Draw:
    """The whole draw of one school for one seed, in one language: the luckiest first."""

    lang: str
    seed: int
    school: str
    rows: tuple[DrawRow, ...]

    @property
    def title(self) -> str:
        return t("lottery.title", self.lang, school=self.school) if self.school else t("lottery.title_plain", self.lang)

    @property
    def summary(self) -> str:
        return t("lottery.summary", self.lang, seed=self.seed, n=len(self.rows))

    @property
    def rule(self) -> str:
        """How a number is made and what the order means, in plain words."""
        return rule_words(self.seed, min((r.student_id for r in self.rows), default=EXAMPLE_ID), self.lang)

    def headers(self) -> list[str]:
        return [t(f"lottery.col.{c}", self.lang) for c in COLUMNS]

    def frame(self) -> pd.DataFrame:
        """One row per student in draw order: rank, student id, name, class, number (``attrs``: seed)."""
        values = [(r.rank, r.student_id, r.name, r.class_name, r.number) for r in self.rows]
        df = pd.DataFrame(values, columns=self.headers())
        df.attrs.update(title=self.title, seed=self.seed)
        return df


def build_draw(scenario: Scenario, seed: int | None = None, lang: str | None = None) -> Draw:
    """The draw of ``scenario``'s approved students (the students a plan places) for ``seed`` (default:
    school.toml's ``rules.seed``, the seed ``solve`` uses), in ``lang`` (default: the school's)."""
    lang = check_lang(lang or scenario.school.language)
    seed = scenario.school.rules.seed if seed is None else seed
    students = scenario.student_by_id
    rows = []
    for sid, rank in sorted(rules.scenario_lottery(scenario, seed).items(), key=lambda kv: kv[1]):
        student = students[sid]
        home = scenario.class_by_id.get(student.class_id)
        rows.append(
            DrawRow(
                rank=rank,
                student_id=sid,
                name=student.name,
                class_name=(home.name if home else "") or student.class_id,
                number=rules.lottery_number(seed, sid),
            )
        )
    return Draw(lang, seed, scenario.school.name, tuple(rows))


def rule_words(seed: int, student_id: str, lang: str) -> str:
    """How a lottery number is made (the text hashed for ``seed`` and ``student_id`` as the example) and what
    the order decides."""
    return t("lottery.rule", lang, text=rules.lottery_text(seed, student_id), digits=rules.LOTTERY_DIGITS)


def shell_quoted(text: str) -> str:
    """``text`` in single quotes for a POSIX shell (a quote inside written as ``'\\''``)."""
    return "'" + text.replace("'", "'\\''") + "'"


def command_line(seed: int, student_id: str) -> str:
    """The line a family types: ``printf '%s' '2026:S0001' | sha256sum``."""
    return f"printf '%s' {shell_quoted(rules.lottery_text(seed, student_id))} | sha256sum"


@dataclass(frozen=True)
class LotteryNote:
    """The report's lottery section: the seed, the rule, the command a family types, and a worked example
    for one student of the plan (label, value pairs; none when nobody is planned)."""

    lang: str
    seed: int
    rule: str
    steps: tuple[str, ...]
    command: str
    after: tuple[str, ...]
    example: tuple[tuple[str, str], ...]


def lottery_note(scenario: Scenario, seed: int, lang: str) -> LotteryNote:
    """How any family recomputes its number, worked for the first student by id of ``scenario``."""
    lang = check_lang(lang)
    order = rules.scenario_lottery(scenario, seed)
    sid = min(order, default=EXAMPLE_ID)
    text = rules.lottery_text(seed, sid)
    digits = rules.LOTTERY_DIGITS
    example: tuple[tuple[str, str], ...] = ()
    if order:
        student = scenario.student_by_id[sid]
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        example = (
            (t("lottery.example.student", lang), f"{sid} {student.name}".strip()),
            (t("lottery.example.text", lang), text),
            (t("lottery.example.digest", lang), digest),
            (t("lottery.example.number", lang, digits=digits), rules.lottery_number(seed, sid)),
            (t("lottery.example.rank", lang), t("lottery.example.rank_value", lang, rank=order[sid], n=len(order))),
        )
    return LotteryNote(
        lang=lang,
        seed=seed,
        rule=rule_words(seed, sid, lang),
        steps=(t("lottery.how.seed", lang, seed=seed), t("lottery.how.step1", lang)),
        command=command_line(seed, sid),
        after=(t("lottery.how.step2", lang, digits=digits), t("lottery.how.other_tools", lang, text=text)),
        example=example,
    )


def _write_csv(draw: Draw, path: Path) -> None:
    df = draw.frame()
    df.map(lambda v: escape(v) if isinstance(v, str) else v).to_csv(path, index=False, encoding="utf-8-sig")


def _write_xlsx(draw: Draw, path: Path) -> None:
    from cluster_planner.report.documents import write_workbook  # documents -> xlsx -> bundle imports this module

    def fill(w: Any) -> None:
        sheet = w.sheet(t("lottery.sheet", draw.lang))
        sheet.title(draw.title)
        sheet.facts([(t("lottery.fact.seed", draw.lang), str(draw.seed))])
        sheet.lines([p for p in re.split(r"(?<=。)|(?<=\.)\s+(?=[A-Z])", draw.rule) if p])  # a sentence a line
        sheet.gap()
        sheet.table(draw.frame())
        sheet.finish(landscape=False, repeat_header=True)

    write_workbook(path, draw.lang, fill)


def write_draw(draw: Draw, out: str | Path, inputs: tuple[str | Path, ...] = ()) -> Path:
    """Write the draw order to the new file ``out`` (``.csv`` or ``.xlsx``), atomically, never over a file."""
    target = Path(out)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError.said("lottery.bad_suffix", path=target)
    with writing_file(target, inputs, draw.lang) as tmp:
        (_write_csv if suffix == ".csv" else _write_xlsx)(draw, tmp)
    return target
