"""Issue 17 item 5 (S6), the transparent lottery: ``cluster-planner lottery`` prints and writes the whole order,
each family notice carries its number, and report.html tells a family how to recompute its own.

Every expectation is computed here with hashlib from the seed and the student id, never with the product's code.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import cluster_planner as cp
from cluster_planner.cli import main
from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan
from cluster_planner.report import write_reports
from cluster_planner.report.notices import build_notices, notices_html

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-small"
SEED = 2026
LATIN = re.compile(r"[A-Za-z][A-Za-z'’]+")
NAMES = {"SHA", "UTF"}  # SHA-256 and UTF-8: names a Chinese office reads as they are


def number(seed: int, student_id: str) -> str:
    """The published number: the first 8 hex digits of SHA-256 over the UTF-8 text "seed:student id"."""
    return hashlib.sha256(f"{seed}:{student_id}".encode()).hexdigest()[:8]


def order(scenario: Scenario, seed: int) -> list[str]:
    """The approved students, ascending by number (equal numbers by id)."""
    return sorted((s.student_id for s in scenario.approved_students), key=lambda sid: (number(seed, sid), sid))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def _rows(printed: str) -> list[list[str]]:
    """The header and body rows of the printed table, cell by cell."""
    bars = re.compile(r"[│┃]")
    return [[c.strip() for c in bars.split(line)[1:-1]] for line in printed.splitlines() if bars.match(line)]


@pytest.fixture(scope="module")
def demo() -> Scenario:
    return cp.load(DEMO)


@pytest.fixture(scope="module")
def plan(tiny_plan: Plan) -> Plan:
    """The tiny hand-made plan as if solved with seed 2026 (school.toml's seed is 0)."""
    return replace(tiny_plan, meta=replace(tiny_plan.meta, seed=SEED))


def test_issue17_lottery_prints_the_whole_order_in_chinese(demo: Scenario, capsys: pytest.CaptureFixture[str]) -> None:
    """The default seed is school.toml's ``rules.seed`` (as ``solve``); a row: rank, id, name, class, number."""
    seed = demo.school.rules.seed
    code, printed = _run(capsys, "lottery", str(DEMO))
    assert code == 0, printed
    assert "育才小学抽签顺序" in printed and f"抽签种子 {seed}，共 {len(demo.approved_students)} 名学生" in printed
    header, *rows = _rows(printed)
    assert header == ["顺序", "学号", "姓名", "班级", "抽签号"]
    ids = order(demo, seed)
    assert [r[1] for r in rows] == ids
    assert [r[0] for r in rows] == [str(k) for k in range(1, len(ids) + 1)]
    assert [r[4] for r in rows] == [number(seed, sid) for sid in ids]
    by_id = demo.student_by_id
    assert [(r[2], r[3]) for r in rows] == [(by_id[s].name, demo.class_by_id[by_id[s].class_id].name) for s in ids]
    words = printed
    for text in sorted({*ids, *(r[4] for r in rows)}, key=len, reverse=True):
        words = words.replace(text, " ")
    assert set(LATIN.findall(words)) <= NAMES, words


def test_issue17_lottery_in_english_with_a_seed(demo: Scenario, capsys: pytest.CaptureFixture[str]) -> None:
    code, printed = _run(capsys, "lottery", str(DEMO), "--seed", str(SEED), "--lang", "en")
    assert code == 0, printed
    assert "lottery order" in printed and f"seed {SEED}, {len(demo.approved_students)} students" in printed
    assert "the smallest number comes first" in printed and "SHA-256" in printed
    header, *rows = _rows(printed)
    assert header == ["Rank", "Student id", "Name", "Class", "Lottery number"]
    assert [(r[1], r[4]) for r in rows] == [(sid, number(SEED, sid)) for sid in order(demo, SEED)]


def test_issue17_lottery_writes_csv_and_xlsx_and_never_overwrites(
    demo: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = order(demo, SEED)
    out = tmp_path / "抽签.csv"
    code, printed = _run(capsys, "lottery", str(DEMO), "--seed", str(SEED), "--out", str(out))
    assert code == 0 and f"已写入 {out}" in printed
    df = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert list(df.columns) == ["顺序", "学号", "姓名", "班级", "抽签号"]
    assert list(df["学号"]) == ids and list(df["抽签号"]) == [number(SEED, s) for s in ids]
    written = out.read_bytes()
    code, printed = _run(capsys, "lottery", str(DEMO), "--seed", "1", "--out", str(out))
    assert code == 2 and "文件已存在" in printed and out.read_bytes() == written  # never overwritten
    book = tmp_path / "order.xlsx"
    assert _run(capsys, "lottery", str(DEMO), "--seed", str(SEED), "--out", str(book), "--lang", "en")[0] == 0
    cells = [[c.value for c in row] for row in load_workbook(book).active.iter_rows()]
    start = next(k for k, row in enumerate(cells) if row[0] == "Rank")
    assert any(f"Lottery seed: {SEED}" in str(row[0]) for row in cells[:start])
    assert [(row[1], row[4]) for row in cells[start + 1 :]] == [(s, number(SEED, s)) for s in ids]
    code, printed = _run(capsys, "lottery", str(DEMO), "--out", str(tmp_path / "order.txt"))
    assert code == 2 and ".csv" in printed and not (tmp_path / "order.txt").exists()
    assert _run(capsys, "lottery", str(tmp_path / "nowhere"))[0] == 2


def test_issue17_lottery_of_a_plan_uses_the_plans_seed(
    tiny_school: Scenario, plan: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plan folder or a plan gives the seed it was solved with; a scenario gives school.toml's (cp.solve's)."""
    folder = cp.save(plan, tmp_path / "plan", scenario=tiny_school, reports=False)
    expected = [(s, number(SEED, s)) for s in order(tiny_school, SEED)]
    for source in (folder, str(folder), plan.with_scenario(tiny_school)):
        df = cp.lottery(source)
        assert df.attrs["seed"] == SEED and list(zip(df["学号"], df["抽签号"], strict=True)) == expected
    df = cp.lottery(tiny_school, lang="en")
    assert df.attrs["seed"] == tiny_school.school.rules.seed == 0
    assert list(df["Lottery number"]) == [number(0, s) for s in order(tiny_school, 0)]
    assert "S08" not in set(df["Student id"])  # pending: not in the draw
    code, printed = _run(capsys, "lottery", str(folder))
    assert code == 0 and f"抽签种子 {SEED}" in printed


def test_issue17_each_notice_carries_the_published_number(tiny_school: Scenario, plan: Plan) -> None:
    notices = build_notices(tiny_school, plan, "zh")
    assert [n.lottery for n in notices.notices] == [number(SEED, n.student_id) for n in notices.notices]
    page = notices_html(notices)
    for n in notices.notices:
        assert f'<dd class="lottery">{number(SEED, n.student_id)}（抽签种子 {SEED}；' in page
    df = cp.notices(plan.with_scenario(tiny_school), lang="en")
    assert list(df["Lottery number"]) == [number(SEED, s) for s in df["Student id"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_issue17_report_says_how_a_family_recomputes_its_number(
    tiny_school: Scenario, plan: Plan, tmp_path: Path, lang: str
) -> None:
    """report.html (and its public twin) has a lottery section: the plan's seed, the command line, and a worked
    example for one student whose digest, number and place in the order are right."""
    write_reports(tiny_school, plan, tmp_path, lang=lang, public=True)
    ids = order(tiny_school, SEED)
    first = min(ids)
    text = f"{SEED}:{first}"
    digest = hashlib.sha256(text.encode()).hexdigest()
    for name in ("report.html", "report-public.html"):
        page = (tmp_path / name).read_text(encoding="utf-8")
        section = html.unescape(page[page.index('<section id="lottery"') :])
        assert f"printf '%s' '{text}' | sha256sum" in section
        assert f"<td>{text}</td>" in section and f"<td>{digest}</td>" in section
        assert f"<td>{digest[:8]}</td>" in section and digest[:8] == number(SEED, first)
        if lang == "zh":
            assert f"本方案的抽签种子：{SEED}" in section and "家长如何核对自己的抽签号" in section
            assert f"第 {ids.index(first) + 1} 位（共 {len(ids)} 名）" in section
        else:
            assert f"This plan's lottery seed: {SEED}" in section and "Worked example" in section
            assert f"<td>{ids.index(first) + 1} of {len(ids)}</td>" in section
