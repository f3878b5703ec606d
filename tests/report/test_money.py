"""Issue 17 item 4, money that checks itself: the 收支公示 (``cluster-planner money``, ``cp.money``), the fee cap per
day at validate and in the compliance report, and the checker recomputing a product-written plan's pay.

The school is the report tests' tiny school with money made to matter: S01 is ``low_income`` with a blank
``fee_exempt`` (exempt, M1), S02 is ``low_income`` marked ``no`` (pays), S04 is marked ``yes`` (exempt); 围棋 (GO)
charges 100 a term; ``other_costs`` holds materials.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from paper_print import A4_PORTRAIT, print_pdf, read_pdf

import cluster_planner as cp
from cluster_planner.check import check_plan
from cluster_planner.cli import main
from cluster_planner.domain import Priority, Scenario
from cluster_planner.plan import Plan
from cluster_planner.plan.figures import headline, staff_loads
from cluster_planner.report.comply import Status, build_compliance
from cluster_planner.report.money import build_money

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-small"
PUBLISHED = date(2027, 1, 15)


def with_money(scenario: Scenario, **money: object) -> Scenario:
    school = scenario.school
    return scenario.model_copy(
        update={
            "school": school.model_copy(update={"money": school.money.model_validate({**dict(school.money), **money})})
        }
    )


@pytest.fixture(scope="module")
def money_school() -> Scenario:
    """The tiny school: fee 300 a term, GO 100 a term, subsidy 250 a year, materials 500; S01 low_income (blank:
    exempt), S02 low_income marked no (pays), S04 marked yes (exempt); paid afternoon periods capped at 1."""
    import report_tiny

    sc = report_tiny.tiny_school()
    students = []
    for s in sc.students:
        if s.student_id == "S01":
            s = s.model_copy(update={"priority": frozenset({Priority.LOW_INCOME})})
        elif s.student_id == "S02":
            poor = frozenset({Priority.LOW_INCOME, Priority.LEFT_BEHIND})
            s = s.model_copy(update={"priority": poor, "fee_exempt": False})
        students.append(s)
    acts = tuple(a.model_copy(update={"fee": 100.0}) if a.activity_id == "GO" else a for a in sc.activities)
    sc = sc.model_copy(update={"students": tuple(students), "activities": acts})
    sc = with_money(sc, other_costs={"材料费": 500})
    pay = sc.school.pay.model_copy(update={"afternoon_period_cap": 1.0})
    return Scenario.model_validate(sc.model_copy(update={"school": sc.school.model_copy(update={"pay": pay})}))


@pytest.fixture(scope="module")
def money_plan(money_school: Scenario) -> Plan:
    """The report tests' hand-made plan, its staff loads as the product writes them for this school."""
    import report_tiny

    plan = report_tiny.tiny_plan(money_school)
    meta = replace(plan.meta, scenario_hash=money_school.content_hash())
    loads = staff_loads(money_school, plan.groups, plan.duty_roster)
    return replace(plan, staff_load=loads, meta=meta).with_scenario(money_school)


@pytest.fixture(scope="module")
def money_folder(money_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plan saved by the product with its snapshot (no reports)."""
    folder = tmp_path_factory.mktemp("money") / "plan"
    cp.save(money_plan, folder, reports=False)
    return folder


def _run(*argv: str) -> int:
    try:
        main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_issue17_money_fees_exclude_exempt_students_and_pay_is_the_plans(money_plan: Plan) -> None:
    """Income: 300 from each of the 5 approved students who are not exempt (S01 low_income and blank, S04 marked
    yes), GO's 100 from S02 and S05 (S01 exempt), 7 × 250 ÷ 2 subsidy. Spending: the plan's pay by kind and
    the materials. The service fee and subsidy are the report summary's figures."""
    sc = money_plan.require_scenario()
    statement = build_money(sc, money_plan, "zh", PUBLISHED)
    income = {x.item: x.amount for x in statement.income}
    assert income == {"课后服务费": 1500.0, "围棋活动费": 200.0, "财政补助": 875.0}
    assert "5 名学生 × 300 元/学期（减免 2 名）" in statement.income[0].basis
    assert "2 名学生 × 100 元/学期（减免 1 名）" in statement.income[1].basis
    pay = sum(x.pay_term for x in money_plan.staff_load)
    spending = {x.item: x.amount for x in statement.spending}
    assert spending.pop("材料费") == 500.0
    assert sum(spending.values()) == pytest.approx(pay) and set(spending) == {"本校教师课时费", "外聘人员劳务费"}
    assert statement.spending_total == pytest.approx(pay + 500)
    assert statement.balance == pytest.approx(1500 + 200 + 875 - pay - 500)
    h = headline(sc, money_plan, money_plan.staff_load)
    assert (h.fee_income, h.fee_exempt, h.subsidy, h.cost) == (1500.0, 2, 875.0, pytest.approx(pay))
    facts = dict(statement.facts)
    assert (
        facts["服务学生"] == "7 名（其中减免 2 名）" and "放学后至 18:00 每人每天至多计 1 课时" in facts["课时费标准"]
    )


def test_issue17_money_exempt_low_income_no_charges_the_family_in_difficulty(money_plan: Plan) -> None:
    """``[money] exempt_low_income = no``: S01 (low_income, blank) pays the service fee and GO."""
    sc = with_money(money_plan.require_scenario(), exempt_low_income=False)
    income = {x.item: x.amount for x in build_money(sc, money_plan, "zh", PUBLISHED).income}
    assert (income["课后服务费"], income["围棋活动费"]) == (1800.0, 300.0)


def test_issue17_money_api_in_both_languages(money_plan: Plan, tmp_path: Path) -> None:
    """``cp.money``: a row per income and spending line, the totals and the balance; English words in English."""
    df = cp.money(money_plan, lang="en", published=PUBLISHED)
    assert list(df.columns) == ["Part", "Item", "Basis", "Amount (yuan)"]
    assert list(df["Item"]) == [
        "Service fees",
        "围棋 fee",
        "Public subsidy",
        "Total income",
        "Teachers' pay",
        "Outside specialists' pay",
        "材料费",
        "Total spending",
        "Balance of the term",
    ]
    assert df.attrs["income"] == 2575.0 and df.attrs["balance"] == df["Amount (yuan)"].iloc[-1]
    assert "5 students × 300 yuan a term (2 exempt)" in df["Basis"].iloc[0]
    zh = cp.money(money_plan, out=tmp_path / "out", published=PUBLISHED)
    assert zh["金额（元）"].iloc[3] == 2575.0 and "收入" in set(zh["类别"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["money.html", "money.xlsx"]


def test_issue17_money_command_zh_en_and_an_a4_page(money_folder: Path, tmp_path: Path) -> None:
    """``cluster-planner money PLAN``: beside the plan by default (PLAN-money), an existing folder refused (exit 2);
    the page prints on one A4 sheet with a CJK font, title, period, rows, balance, office and date."""
    plan_copy = Path(shutil.copytree(money_folder, tmp_path / "plan"))
    assert _run("money", str(plan_copy), "--date", "2027-01-15") == 0
    out = tmp_path / "plan-money"
    assert sorted(p.name for p in out.iterdir()) == ["money.html", "money.xlsx"]
    html = (out / "money.html").read_text(encoding="utf-8")
    for words in (
        "测试小学课后服务经费收支情况公示",
        "2026年9月7日至2026年10月30日",
        "一、收入",
        "二、支出",
        "2,575.00",
    ):
        assert words in html, words
    assert "测试小学教务处" in html and "公示日期：2027年1月15日" in html
    assert _run("money", str(plan_copy), "--date", "2027-01-15") == 2  # PLAN-money holds the last one: refused
    printed = read_pdf(print_pdf(out / "money.html", tmp_path / "money.pdf"))
    assert printed.pages == 1 and printed.sizes == [A4_PORTRAIT]
    assert printed.cjk_embedded, printed.embedded_fonts
    assert "收支情况公示" in printed.texts[0] and "结余" in printed.texts[0]
    assert _run("money", str(plan_copy), "--out", str(tmp_path / "en"), "--lang", "en") == 0
    english = (tmp_path / "en" / "money.html").read_text(encoding="utf-8")
    assert "income and spending" in english and "Total income" in english and "Academic office" in english
    assert _run("money", str(tmp_path), "--out", str(tmp_path / "none")) == 2  # not a plan folder
    assert not (tmp_path / "none").exists()


def test_issue17_money_xlsx_holds_the_rows_and_totals(money_plan: Plan, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    cp.money(money_plan, out=tmp_path / "out", published=PUBLISHED)
    sheet = load_workbook(tmp_path / "out" / "money.xlsx")["收支公示"]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert rows[0][0] == "测试小学课后服务经费收支情况公示"
    totals = {r[1]: r[3] for r in rows if r[1] in ("收入合计", "支出合计")}
    assert totals["收入合计"] == 2575
    assert any(r[0] == "公示日期：2027年1月15日" for r in rows)


# ---- M1 in validation and the compliance report ----------------------------------------------
def test_issue17_fee_per_day_above_its_cap_is_a_validate_warning_with_row_and_column(tmp_path: Path) -> None:
    """A ``fee_per_day`` above ``fee_cap_day`` (002: 24 yuan a day in summer care): a warning naming school.toml,
    the line and the key; the compliance report of a plan counts it a violation and names the setting."""
    folder = Path(shutil.copytree(DEMO, tmp_path / "school"))
    toml = folder / "school.toml"
    text = toml.read_text(encoding="utf-8").replace("[money]\n", "[money]\nfee_per_day = 30\nfee_cap_day = 24\n")
    toml.write_text(text, encoding="utf-8")
    line = text.splitlines().index("fee_per_day = 30") + 1
    df = cp.validate(folder, lang="en")
    hit = df[df["code"] == "finding.fee_above_cap"]
    assert len(hit) == 1
    row = hit.iloc[0]
    assert (row["severity"], row["file"], int(row["row"]), row["column"]) == (
        "warning",
        "school.toml",
        line,
        "money.fee_per_day",
    )
    assert "above the approved cap 24" in row["message"]
    loaded = cp.load(folder)
    assert loaded.school.money.fee_cap_day == 24.0 and loaded.content_hash() != cp.load(DEMO).content_hash()


def test_issue17_other_costs_are_read_and_a_bad_one_names_its_line(tmp_path: Path) -> None:
    """``[money.other_costs]`` (quoted Chinese names): read as numbers; a cost that is no number is an error naming
    school.toml, its line and the dotted key (exit 2 at validate)."""
    folder = Path(shutil.copytree(DEMO, tmp_path / "school"))
    toml = folder / "school.toml"
    base = toml.read_text(encoding="utf-8")
    toml.write_text(base + '\n[money.other_costs]\n"材料费" = 1200\n', encoding="utf-8")
    assert cp.load(folder).school.money.other_costs == {"材料费": 1200.0}
    text = base + '\n[money.other_costs]\n"材料费" = 1200\n"保险" = "很多"\n'
    toml.write_text(text, encoding="utf-8")
    df = cp.validate(folder, lang="en")
    bad = df[df["severity"] == "error"].iloc[0]
    assert (bad["file"], int(bad["row"]), bad["column"]) == (
        "school.toml",
        len(text.splitlines()),
        "money.other_costs.保险",
    )
    assert _run("validate", str(folder)) == 2


def test_issue17_comply_fee_row_agrees_with_validate(money_plan: Plan) -> None:
    """Row 4 of the compliance report: a violation for the day's fee above its cap, ✔ at the cap; the exempt
    students (S01 by the low_income rule) are not counted as charged, S02 (marked no) is, as a warning."""
    sc = money_plan.require_scenario()
    dear = with_money(sc, fee_per_term=None, fee_per_day=30, fee_cap_day=24)
    row = next(r for r in build_compliance(dear, money_plan, "zh").rows if r.number == 4)
    assert (
        row.status == Status.VIOLATION and "money.fee_per_day" in row.ids and "每天服务费 30 元" in "".join(row.found)
    )
    assert "finding.fee_above_cap" in set(cp.validate(dear)["code"])  # validate reads the same rule
    fair = with_money(sc, fee_per_term=None, fee_per_day=24, fee_cap_day=24)
    row = next(r for r in build_compliance(fair, money_plan, "zh").rows if r.number == 4)
    assert row.status == Status.WARNING and row.ids == ("S02",)  # charged though low_income: marked no
    assert "finding.fee_above_cap" not in set(cp.validate(fair)["code"])


# ---- M3: the checker recomputes a product-written plan's pay ---------------------------------
def test_issue17_checker_passes_the_products_pay_and_fails_an_edited_figure(money_folder: Path, tmp_path: Path) -> None:
    """The pay the product wrote (afternoon cap of 1 applied) passes the checker; the same plan with one adult's
    ``pay_term`` edited in staff_load.csv fails with an M3 violation naming the adult and the figure due."""
    sc = cp.load_plan(money_folder).require_scenario()
    assert [v for v in check_plan(sc, money_folder) if v.rule == "M3"] == []
    edited = Path(shutil.copytree(money_folder, tmp_path / "edited"))
    path = edited / "staff_load.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    k = next(i for i, line in enumerate(lines) if line.startswith("E01,"))
    due = lines[k].split(",")[3]
    lines[k] = ",".join([*lines[k].split(",")[:3], "9999"])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    found = [v for v in check_plan(sc, edited) if v.rule == "M3"]
    assert [(v.code, v.ids) for v in found] == [("pay_mismatch", ("E01",))]
    message = found[0].message("zh")
    assert "E01 <b>陈教练</b>" in message and "9999" in message and f"应为 {float(due):g}" in message
