"""收支公示 (issue 17 item 4): the term's income and spending as a school posts them (000 方案2: 每学期末学校要
主动向家长公示课后服务费的收支情况).

Income: the service fee of every approved student who is not exempt (M1, the rule book's
:func:`~cluster_planner.rules.is_fee_exempt`), the fee of each activity with one from the students placed in
it who pay, and the subsidy for the term (M2). Spending: the pay of the plan's staff_load.csv by kind of
adult (M3: the figures the checker recomputes) and the school's ``[money] other_costs``. Then the balance,
the period, the date and the office. The figures are those of the report's summary
(:mod:`cluster_planner.plan.figures`), so the two never disagree.

>>> statement = build_money(scenario, plan, "zh")   # doctest: +SKIP
>>> statement.frame()                               # doctest: +SKIP
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from cluster_planner import rules
from cluster_planner.domain import Scenario, StaffKind
from cluster_planner.i18n import register, t
from cluster_planner.plan.figures import activity_fees, fee_income, term_subsidy, weeks_by_day
from cluster_planner.plan.model import Plan
from cluster_planner.report.context import ReportData
from cluster_planner.report.documents import render, write_page_and_workbook, write_workbook
from cluster_planner.report.publish_words import long_date, yuan
from cluster_planner.report.words import check_lang
from cluster_planner.vocabulary import word

register(
    {
        "money.title": ("{school}课后服务经费收支情况公示", "{school}: after-school service income and spending"),
        "money.title_plain": ("课后服务经费收支情况公示", "After-school service: income and spending"),
        "money.sheet": ("收支公示", "Income and spending"),
        "money.intro": (
            "根据课后服务收费管理有关规定，现将本学期（{term}）课后服务经费收支情况公示如下，接受家长和社会监督。",
            "As the rules on service fees require, the school publishes the income and spending of the after-school "
            "service for this term ({term}), for families and the public to see.",
        ),
        "money.fact.period": ("服务期间", "Period"),
        "money.fact.period_value": ("{term}，共 {dates} 个服务日", "{term}, {dates} service days"),
        "money.fact.students": ("服务学生", "Students served"),
        "money.fact.students_value": ("{approved} 名（其中减免 {exempt} 名）", "{approved} ({exempt} exempt)"),
        "money.fact.fee": ("收费标准", "Fee"),
        "money.fact.fee_term": ("每生每学期 {amount}", "{amount} per student and term"),
        "money.fact.fee_day": ("每生每服务日 {amount}", "{amount} per student and service day"),
        "money.fact.fee_none": ("不收取课后服务费", "no service fee"),
        "money.fact.cap": ("（核定上限 {caps}）", " (approved cap {caps})"),
        "money.fact.cap_term": ("每学期 {amount}", "{amount} a term"),
        "money.fact.cap_day": ("每天 {amount}", "{amount} a day"),
        "money.fact.exempt": ("减免", "Exemption"),
        "money.fact.exempt_low_income": (
            "家庭经济困难学生及经学校核准的学生免收费用",
            "families in difficulty and students the school approves pay nothing",
        ),
        "money.fact.exempt_listed": ("经学校核准的学生免收费用", "students the school approves pay nothing"),
        "money.fact.pay": ("课时费标准", "Pay"),
        "money.fact.pay_value": ("每课时{rates}", "per period: {rates}"),
        "money.fact.pay_rate": ("{kind} {amount}", "{kind} {amount}"),
        "money.fact.pay_own": ("（个人另有约定的按约定）", " (or the rate agreed with the person)"),
        "money.fact.pay_cap": (
            "；放学后至 18:00 每人每天至多计 {cap} 课时",
            "; at most {cap} periods paid per adult a day from the end of classes to 18:00",
        ),
        "money.fact.plan": ("依据方案", "Plan"),
        "money.fact.plan_value": ("第 {version} 版", "version {version}"),
        "money.income": ("一、收入", "1. Income"),
        "money.spending": ("二、支出", "2. Spending"),
        "money.balance_title": ("三、结余", "3. Balance"),
        "money.col.kind": ("类别", "Part"),
        "money.col.item": ("项目", "Item"),
        "money.col.basis": ("计算依据", "Basis"),
        "money.col.amount": ("金额（元）", "Amount (yuan)"),
        "money.kind.income": ("收入", "Income"),
        "money.kind.spending": ("支出", "Spending"),
        "money.kind.balance": ("结余", "Balance"),
        "money.item.service_fee": ("课后服务费", "Service fees"),
        "money.basis.fee_term": (
            "{payers} 名学生 × {fee}/学期（减免 {exempt} 名）",
            "{payers} students × {fee} a term ({exempt} exempt)",
        ),
        "money.basis.fee_day": (
            "{payers} 名学生按申请的服务日 × {fee}/天，共 {days} 人·天（减免 {exempt} 名）",
            "{payers} students × {fee} a day on the days they applied for, {days} student-days ({exempt} exempt)",
        ),
        "money.item.activity_fee": ("{activity}活动费", "{activity} fee"),
        "money.basis.activity_fee": (
            "{payers} 名学生 × {fee}/学期（减免 {exempt} 名）",
            "{payers} students × {fee} a term ({exempt} exempt)",
        ),
        "money.item.subsidy": ("财政补助", "Public subsidy"),
        "money.basis.subsidy": (
            "{approved} 名学生 × {amount}/年，按一学期计半年",
            "{approved} students × {amount} a year, half a year for the term",
        ),
        "money.item.pay.teacher": ("本校教师课时费", "Teachers' pay"),
        "money.item.pay.leader": ("学校领导课时费", "School leaders' pay"),
        "money.item.pay.external": ("外聘人员劳务费", "Outside specialists' pay"),
        "money.item.pay.volunteer": ("志愿者补贴", "Volunteers' allowance"),
        "money.item.pay.security": ("安保人员值班费", "Security staff pay"),
        "money.item.pay.other": ("其他人员课时费", "Pay of others"),
        "money.basis.pay": ("{people} 人，本学期共 {periods} 课时", "{people} people, {periods} periods in the term"),
        "money.basis.other_cost": ("学校填报", "as the school reports it"),
        "money.total.income": ("收入合计", "Total income"),
        "money.total.spending": ("支出合计", "Total spending"),
        "money.total.balance": ("本学期结余", "Balance of the term"),
        "money.balance": (
            "收入 {income} − 支出 {spending} = 结余 {balance}",
            "income {income} − spending {spending} = balance {balance}",
        ),
        "money.deficit": (
            "收入 {income} − 支出 {spending} = 超支 {deficit}",
            "income {income} − spending {spending}: spending exceeds income by {deficit}",
        ),
        "money.none": ("（无）", "(none)"),
        "money.note": (
            "课后服务经费专款专用。如有疑问，请在公示期内向学校反映。",
            "Service money is spent on the service only. Questions are welcome while this notice is posted.",
        ),
        "money.contact": ("联系电话：{contact}", "Contact: {contact}"),
        "money.office": ("{school}教务处", "Academic office, {school}"),
        "money.office_plain": ("教务处", "Academic office"),
        "money.date": ("公示日期：{date}", "Published: {date}"),
    }
)

KINDS = (StaffKind.TEACHER, StaffKind.LEADER, StaffKind.EXTERNAL, StaffKind.VOLUNTEER, StaffKind.SECURITY)
"""Spending rows of pay, in this order; a person not on the staff list is "other"."""


@dataclass(frozen=True)
class MoneyLine:
    """One row of income or spending: the item, how it was reckoned, the amount (yuan)."""

    item: str
    basis: str
    amount: float


@dataclass(frozen=True)
class MoneyStatement:
    """The 收支公示 of one plan in one language."""

    lang: str
    school: str
    facts: tuple[tuple[str, str], ...]
    intro: str
    income: tuple[MoneyLine, ...]
    spending: tuple[MoneyLine, ...]
    published: date
    contact: str | None

    @property
    def title(self) -> str:
        return t("money.title", self.lang, school=self.school) if self.school else t("money.title_plain", self.lang)

    @property
    def income_total(self) -> float:
        return round(sum(x.amount for x in self.income), 2)

    @property
    def spending_total(self) -> float:
        return round(sum(x.amount for x in self.spending), 2)

    @property
    def balance(self) -> float:
        """Income less spending (negative: spent more than came in)."""
        return round(self.income_total - self.spending_total, 2)

    @property
    def balance_words(self) -> str:
        lang, income, spending = self.lang, yuan(self.income_total, self.lang), yuan(self.spending_total, self.lang)
        if self.balance < 0:
            return t("money.deficit", lang, income=income, spending=spending, deficit=yuan(-self.balance, lang))
        return t("money.balance", lang, income=income, spending=spending, balance=yuan(self.balance, lang))

    @property
    def office(self) -> str:
        return t("money.office", self.lang, school=self.school) if self.school else t("money.office_plain", self.lang)

    @property
    def date_words(self) -> str:
        return t("money.date", self.lang, date=long_date(self.published, self.lang))

    @property
    def closing(self) -> tuple[str, ...]:
        """The note, and the contact where ``[notice] contact`` gives one."""
        lines = [t("money.note", self.lang)]
        if self.contact:
            lines.append(t("money.contact", self.lang, contact=self.contact))
        return tuple(lines)

    def frame(self) -> pd.DataFrame:
        """Income rows, their total, spending rows, their total and the balance (``cp.money``). ``df.attrs`` holds
        ``income``, ``spending`` and ``balance`` as numbers."""
        lang = self.lang
        part = {k: t(f"money.kind.{k}", lang) for k in ("income", "spending", "balance")}
        rows: list[list[Any]] = [[part["income"], x.item, x.basis, x.amount] for x in self.income]
        rows.append([part["income"], t("money.total.income", lang), "", self.income_total])
        rows += [[part["spending"], x.item, x.basis, x.amount] for x in self.spending]
        rows.append([part["spending"], t("money.total.spending", lang), "", self.spending_total])
        rows.append([part["balance"], t("money.total.balance", lang), self.balance_words, self.balance])
        cols = [t(f"money.col.{c}", lang) for c in ("kind", "item", "basis", "amount")]
        df = pd.DataFrame(rows, columns=cols)
        df.attrs.update(income=self.income_total, spending=self.spending_total, balance=self.balance)
        return df


def _number(value: float) -> str:
    """A count of periods or days: whole numbers without ``.0``."""
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def _caps(scenario: Scenario, lang: str) -> str:
    caps = []
    if (cap := rules.fee_cap_term(scenario)) is not None:
        caps.append(t("money.fact.cap_term", lang, amount=yuan(cap, lang)))
    if (cap := rules.fee_cap_day(scenario)) is not None:
        caps.append(t("money.fact.cap_day", lang, amount=yuan(cap, lang)))
    sep = "，" if lang == "zh" else ", "
    return t("money.fact.cap", lang, caps=sep.join(caps)) if caps else ""


def _facts(scenario: Scenario, plan: Plan, lang: str, term: str) -> tuple[tuple[str, str], ...]:
    money = scenario.school.money
    if money.fee_per_term is not None:
        fee = t("money.fact.fee_term", lang, amount=yuan(money.fee_per_term, lang))
    elif money.fee_per_day is not None:
        fee = t("money.fact.fee_day", lang, amount=yuan(money.fee_per_day, lang))
    else:
        fee = t("money.fact.fee_none", lang)
    exempt = "money.fact.exempt_low_income" if rules.exempt_low_income(scenario) else "money.fact.exempt_listed"
    approved = scenario.approved_students
    n_exempt = sum(1 for s in approved if rules.is_fee_exempt(scenario, s))
    dates = sum(weeks_by_day(scenario).values())
    return (
        (t("money.fact.period", lang), t("money.fact.period_value", lang, term=term, dates=dates)),
        (t("money.fact.plan", lang), t("money.fact.plan_value", lang, version=plan.meta.version)),
        (t("money.fact.students", lang), t("money.fact.students_value", lang, approved=len(approved), exempt=n_exempt)),
        (t("money.fact.fee", lang), fee + _caps(scenario, lang)),
        (t("money.fact.exempt", lang), t(exempt, lang)),
        (t("money.fact.pay", lang), _pay_fact(scenario, plan, lang)),
    )


def _pay_fact(scenario: Scenario, plan: Plan, lang: str) -> str:
    """The rate per period of each kind of adult who works in the plan (M3), a person's own rate noted, and the
    afternoon cap of 003."""
    working = {p for g in plan.groups for p in g.staff_ids} | {d.staff_id for d in plan.duty_roster}
    people = [scenario.staff_by_id[p] for p in working if p in scenario.staff_by_id]
    pay = scenario.school.pay
    rates = [
        t("money.fact.pay_rate", lang, kind=word("staff_kind", k.value, lang), amount=yuan(getattr(pay, k.value), lang))
        for k in KINDS
        if any(p.kind == k for p in people)
    ]
    text = t("money.fact.pay_value", lang, rates=("、" if lang == "zh" else ", ").join(rates))
    if any(p.rate is not None for p in people):
        text += t("money.fact.pay_own", lang)
    cap = rules.afternoon_period_cap(scenario)
    return text + (t("money.fact.pay_cap", lang, cap=_number(cap)) if cap is not None else "")


def _income(scenario: Scenario, plan: Plan, lang: str) -> list[MoneyLine]:
    money = scenario.school.money
    out = []
    income, exempt = fee_income(scenario)
    if income is not None:
        payers = len(scenario.approved_students) - exempt
        if money.fee_per_term is not None:
            basis = t("money.basis.fee_term", lang, payers=payers, fee=yuan(money.fee_per_term, lang), exempt=exempt)
        else:
            assert money.fee_per_day is not None
            days = _number(round(income / money.fee_per_day, 2)) if money.fee_per_day else "0"
            fee = yuan(money.fee_per_day, lang)
            basis = t("money.basis.fee_day", lang, payers=payers, fee=fee, days=days, exempt=exempt)
        out.append(MoneyLine(t("money.item.service_fee", lang), basis, income))
    data = ReportData(scenario, plan, lang)
    for a in activity_fees(scenario, plan):
        item = t("money.item.activity_fee", lang, activity=data.activity_name(a.activity_id))
        basis = t("money.basis.activity_fee", lang, payers=a.payers, fee=yuan(a.fee, lang), exempt=a.exempt)
        out.append(MoneyLine(item, basis, a.amount))
    subsidy = term_subsidy(scenario)
    if subsidy is not None:
        per_year = money.subsidy_per_student_year or 0.0
        approved = len(scenario.approved_students)
        basis = t("money.basis.subsidy", lang, approved=approved, amount=yuan(per_year, lang))
        out.append(MoneyLine(t("money.item.subsidy", lang), basis, subsidy))
    return out


def _spending(scenario: Scenario, plan: Plan, lang: str) -> list[MoneyLine]:
    """Pay by kind of adult from the plan's staff loads (the report's, M3), then ``[money] other_costs``."""
    loads = ReportData(scenario, plan, lang).loads
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for load in loads:
        person = scenario.staff_by_id.get(load.staff_id)
        kind = StaffKind(person.kind).value if person is not None else "other"
        by_kind[kind].append((load.periods_term, load.pay_term))
    out = []
    for kind in [k.value for k in KINDS] + ["other"]:
        if kind not in by_kind:
            continue
        rows = by_kind[kind]
        periods = _number(round(sum(p for p, _ in rows), 2))
        basis = t("money.basis.pay", lang, people=len(rows), periods=periods)
        out.append(MoneyLine(t(f"money.item.pay.{kind}", lang), basis, round(sum(p for _, p in rows), 2)))
    for name, amount in scenario.school.money.other_costs.items():
        out.append(MoneyLine(name, t("money.basis.other_cost", lang), round(amount, 2)))
    return out


def build_money(
    scenario: Scenario, plan: Plan, lang: str | None = None, published: date | None = None
) -> MoneyStatement:
    """The 收支公示 of ``plan`` in ``lang`` (default: the school's), dated ``published`` (default: today)."""
    lang = check_lang(lang or scenario.school.language)
    school = scenario.school
    assert school.term_start and school.term_end
    term = t("publish.term", lang, start=long_date(school.term_start, lang), end=long_date(school.term_end, lang))
    return MoneyStatement(
        lang=lang,
        school=school.name,
        facts=_facts(scenario, plan, lang, term),
        intro=t("money.intro", lang, term=term),
        income=tuple(_income(scenario, plan, lang)),
        spending=tuple(_spending(scenario, plan, lang)),
        published=published or date.today(),
        contact=school.notice.contact,
    )


# ---- writing ----------------------------------------------------------------------------------
def amount_text(value: float) -> str:
    """``12,345.00``: yuan to the fen, as a posted statement shows them."""
    return f"{value:,.2f}"


def money_html(statement: MoneyStatement) -> str:
    """money.html: the statement on one A4 page (portrait)."""
    return render("money.html", statement.lang, m=statement, amount=amount_text)


def write_money_xlsx(statement: MoneyStatement, path: Path) -> Path:
    """money.xlsx: one sheet, the facts, the rows with their totals and the balance, the office and date."""

    def fill(w: Any) -> None:
        sheet = w.sheet(t("money.sheet", statement.lang))
        sheet.title(statement.title)
        sheet.lines([statement.intro])
        sheet.facts(list(statement.facts))
        sheet.gap()
        sheet.table(statement.frame())
        sheet.gap()
        sheet.lines([*statement.closing, statement.office, statement.date_words])
        sheet.finish(landscape=False, repeat_header=True)

    return write_workbook(path, statement.lang, fill)


def write_money(statement: MoneyStatement, out: str | Path, inputs: tuple[str | Path, ...] = ()) -> list[Path]:
    """Write money.html and money.xlsx into the new folder ``out`` atomically (never over the user's files)."""
    page = money_html(statement)
    return write_page_and_workbook(out, "money", page, lambda p: write_money_xlsx(statement, p), inputs, statement.lang)
