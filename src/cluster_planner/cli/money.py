"""``cluster-planner money PLAN [--out DIR] [--date YYYY-MM-DD]``: the term's 收支公示 (income and spending)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from rich.console import Console

from cluster_planner.cli.documents import plan_with_snapshot, say_written
from cluster_planner.i18n import register, t

register(
    {
        "help.money": (
            "把 PLAN 本学期的课后服务经费收支公示（收费、补助与课时费、其他支出、结余）写成 money.html（A4 打印）和 "
            "money.xlsx，写入 --out（默认：PLAN-money）",
            "Write the term's income and spending of PLAN (fees and subsidy against pay and other costs, the "
            "balance) as money.html (A4) and money.xlsx into --out (default: PLAN-money)",
        ),
        "help.money.short": ("写收支公示", "Write the income and spending notice"),
        "help.money.out": ("要写入的新文件夹（默认：PLAN-money）", "New folder (default: PLAN-money)"),
        "help.money.published": (
            "公示日期 YYYY-MM-DD（默认：今天）",
            "Date of publication, YYYY-MM-DD (default: today)",
        ),
        "money.cli.line": ("{label}：{amount}", "{label}: {amount}"),
    }
)


@click.command(name="money")
@click.argument("plan_dir", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None, help="New folder (default: PLAN-money).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (default: the school's).")
@click.option(
    "--date", "published", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Date of publication (default: today)."
)
def command(plan_dir: Path, out: Path | None, lang: str | None, published: datetime | None) -> None:
    """Write the term's income and spending of PLAN (收支公示: fees and subsidy against pay and other costs, the
    balance) as money.html (A4) and money.xlsx into --out (default: PLAN-money)."""
    from cluster_planner.report.documents import default_out
    from cluster_planner.report.money import build_money, write_money
    from cluster_planner.report.publish_words import yuan

    plan = plan_with_snapshot(plan_dir)
    scenario = plan.require_scenario()
    said = lang or scenario.school.language
    statement = build_money(scenario, plan, said, published.date() if published else None)
    written = write_money(statement, out or default_out(plan_dir, "money"), (plan_dir,))
    console = Console()
    for key, amount in (
        ("money.total.income", statement.income_total),
        ("money.total.spending", statement.spending_total),
    ):
        line = t("money.cli.line", said, label=t(key, said), amount=yuan(amount, said))
        console.print(line, markup=False, highlight=False)
    console.print(statement.balance_words, markup=False, highlight=False)
    say_written(console, written, said)
