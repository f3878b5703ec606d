"""``cp.compare`` (issue #7): its figures are the figures of each plan's report, edited scenarios solved and checked."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import openpyxl
import pandas as pd
import pytest
from api_solve import solve_checked

import cluster_planner as cp
from cluster_planner.domain import Scenario
from cluster_planner.errors import UsageError
from cluster_planner.i18n import t
from cluster_planner.plan import Plan

matplotlib.use("Agg")

# compare row → the report summary sheet's label (a count) or, for shares, the label of its "count (share)" cell
SAME_AS_SHEET = {
    "approved": "approved",
    "planned": "planned",
    "unplaced": "unplaced",
    "groups": "groups",
    "meetings": "meetings",
    "adults": "adults",
    "periods_week": "periods_week",
    "periods_term": "periods_term",
    "cost": "cost",
    "fee_income": "fee_income",
    "subsidy": "subsidy",
    "balance": "balance",
}
SHARE_OF = {"choice_1_share": "choice_n:1", "choice_2_share": "choice_n:2", "choice_3_share": "choice_n:3"}


def sheet_figures(folder: Path, lang: str) -> dict[str, object]:
    """Label → value of the first sheet (the summary) of ``report.xlsx``, as written to disk."""
    book = openpyxl.load_workbook(folder / "report.xlsx", read_only=True)
    sheet = book[book.sheetnames[0]]
    assert sheet.title == t("report.sheet.summary", lang)
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0] and row[1] is not None}


def sum_label(key: str, lang: str) -> str:
    name, _, n = key.partition(":")
    return t(f"report.sum.{name}", lang, n=n)


@pytest.fixture(scope="module")
def alternatives(demo: Scenario, demo_plan: Plan, demo_folder: Path, tmp_path_factory) -> dict[str, tuple[Plan, Path]]:
    """Now, the group cap at 50, and grade 1's applications doubled: each solved, checked, saved with reports."""
    out = {"now": (demo_plan, demo_folder)}
    edits = {
        "cap 50": cp.with_rules(demo, group_cap=50),
        "grade 1 x2": cp.scale_demand(demo, grade=1, factor=2.0, seed=7),
    }
    for name, scenario in edits.items():
        folder = tmp_path_factory.mktemp("alt") / "plan"
        out[name] = (solve_checked(scenario, folder, reports=True), folder)
    return out


def test_compare_figures_are_the_figures_of_each_plans_report(alternatives: dict[str, tuple[Plan, Path]]) -> None:
    lang = "zh"  # demo-small's reports are in Chinese
    table = cp.compare({name: plan for name, (plan, _) in alternatives.items()})
    keys = table.attrs["keys"]
    assert list(table.columns) == list(alternatives)
    assert table.attrs["lang"] == lang
    for name, (_, folder) in alternatives.items():
        sheet = sheet_figures(folder, lang)
        column = dict(zip(keys, table[name], strict=True))
        for key, item in SAME_AS_SHEET.items():
            assert column[key] == pytest.approx(sheet[sum_label(item, lang)]), (name, key)
        for key, item in SHARE_OF.items():
            count = round(column[key] * column_count(sheet, lang))
            assert sheet[sum_label(item, lang)] == f"{count}（{column[key]:.0%}）", (name, key)
        served = f"{column['priority_served']} / {column['priority']}"
        assert sheet[sum_label("priority", lang)] == served
        assert column["income"] == pytest.approx(column["fee_income"] + column["subsidy"])
    # the what-ifs really differ: doubling grade 1 adds its applicants, a larger cap needs no more groups
    now, doubled, capped = (dict(zip(keys, table[c], strict=True)) for c in ("now", "grade 1 x2", "cap 50"))
    assert doubled["approved"] > now["approved"]
    assert capped["groups"] <= now["groups"]


def column_count(sheet: dict[str, object], lang: str) -> int:
    value = sheet[sum_label("with_choices", lang)]
    assert isinstance(value, int)
    return value


def test_compare_labels_follow_the_language(alternatives: dict[str, tuple[Plan, Path]]) -> None:
    plans = {name: plan for name, (plan, _) in alternatives.items()}
    en, zh = cp.compare(plans, lang="en"), cp.compare(plans, lang="zh")
    assert t("report.sum.planned", "en") in en.index and t("report.sum.planned", "zh") in zh.index
    assert en.to_numpy().tolist() == zh.to_numpy().tolist()


def test_plot_compare_draws_one_panel_per_figure_with_the_compared_values(
    alternatives: dict[str, tuple[Plan, Path]],
) -> None:
    plans = {name: plan for name, (plan, _) in alternatives.items()}
    table = cp.compare(plans, lang="en")
    figures = ("planned", "groups", "cost", "choice_1_share", "balance")
    fig = cp.plot.compare(table, figures=figures)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == len(figures)
    keys = table.attrs["keys"]
    for ax, key in zip(panels, figures, strict=True):
        heights = [bar.get_height() for bar in ax.patches]
        assert heights == pytest.approx([float(v) for v in table.iloc[keys.index(key)]])
        assert [tick.get_text() for tick in ax.get_xticklabels()] == list(plans)
    matplotlib.pyplot.close(fig)


def test_compare_needs_plans_with_their_scenario(demo_plan: Plan) -> None:
    with pytest.raises(UsageError, match="no scenario attached"):
        cp.compare({"bare": demo_plan.with_scenario(None)})  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        cp.compare({})


def test_compare_table_is_numbers(alternatives: dict[str, tuple[Plan, Path]]) -> None:
    table = cp.compare({name: plan for name, (plan, _) in alternatives.items()})
    numbers = table.apply(pd.to_numeric)
    assert not numbers.isna().any().any()  # demo-small has fees and a subsidy: every figure is a number
    shares = [table.attrs["keys"].index(k) for k in table.attrs["shares"]]
    assert ((numbers.iloc[shares] >= 0) & (numbers.iloc[shares] <= 1)).all().all()
