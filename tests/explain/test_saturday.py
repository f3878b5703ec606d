"""Issue 14 item 3: explain's blame agrees with its own pre-checks (the Saturday-only demo school).

With 29 of demo-small's 32 adults available only on Saturday, the pre-check that no adult may
lead a group on the service days is a proof: it is the explanation (exit 3), and no conflict is
searched. Before, explain blamed "class reading: every class attends" instead.
"""

from __future__ import annotations

import explain_cases as cases
import pytest
from click.testing import CliRunner

from cluster_planner.cli import cli
from cluster_planner.explain import answer as answer_module
from cluster_planner.explain.answer import explain_scenario
from cluster_planner.explain.precheck import certain, precheck
from cluster_planner.io.scenario_writer import write_scenario_folder


@pytest.fixture(scope="module")
def saturday():
    return cases.saturday_only_demo()


def test_precheck_says_no_adult_on_any_service_day(saturday):
    (finding,) = [f for f in precheck(saturday) if f.code == "precheck.no_adults"]
    assert finding.params["when"] == "Mon Tue Wed Thu Fri"
    assert finding.params["students"] == len(saturday.approved_students)
    assert finding in certain(precheck(saturday))


def test_blame_is_the_precheck_without_a_conflict_search(saturday, monkeypatch):
    def no_search(*args, **kwargs):
        raise AssertionError("a counting proof needs no conflict search")

    monkeypatch.setattr(answer_module, "find_conflict", no_search)
    answer = explain_scenario(saturday)
    assert answer.exit_code == 3 and answer.conflict is None
    assert "precheck.no_adults" in {f.code for f in answer.proof}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["no plan can keep every hard rule", "Mon Tue Wed Thu Fri", "no cleared adult who may lead a group"]),
        ("zh", ["任何方案都无法满足全部硬性规则", "Mon Tue Wed Thu Fri", "没有任何通过审查、有空且可带组的教职工"]),
    ],
)
def test_cli_prints_the_precheck_as_the_explanation_exit_3(tmp_path, saturday, lang, words):
    folder = write_scenario_folder(saturday, tmp_path / "saturday")
    result = CliRunner().invoke(cli, ["explain", str(folder), "--lang", lang, "--time-limit", "0"])
    assert result.exit_code == 3, result.output  # even with no time to solve: counting needs none
    answer = result.output[result.output.index(words[0]) :]
    for word in words:
        assert word in answer
    assert "CLASS-READ" not in answer  # the old blame
