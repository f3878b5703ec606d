"""The school's words for codes (issue 14 item 8): solver statuses, skills, posts, message parameters."""

from __future__ import annotations

import pytest

from cluster_planner.vocabulary import coded_params, status_code, status_words, word, words

GREEDY_STAGE = [{"name": "A greedy", "status": "GREEDY"}]


@pytest.mark.parametrize(
    ("status", "gap", "reproducible", "stages", "code", "zh"),
    [
        ("OPTIMAL", 0.0, True, [], "optimal", "最优"),
        ("OPTIMAL", 0.001, True, [], "gap", "在差距内停止（差距 0.10%）"),  # proved within the relative gap
        ("FEASIBLE", 0.02, False, [], "time_limit", "因时限停止"),  # the wall clock cut a stage
        ("FEASIBLE", None, True, GREEDY_STAGE, "greedy", "贪心方案"),  # a stage fell back on its greedy plan
        ("FEASIBLE", 0.02, True, [], "feasible", "可行"),  # the deterministic limit
        ("INFEASIBLE", None, True, [], "infeasible", "无解"),
    ],
)
def test_every_status_a_plan_can_have_has_words(status, gap, reproducible, stages, code, zh) -> None:
    assert status_code(status, gap, reproducible, stages) == code
    assert status_words(status, gap, reproducible, "zh", stages) == zh
    assert status_words(status, gap, reproducible, "en", stages).isascii()


def test_codes_in_words_and_unknown_codes_as_written() -> None:
    assert words("skill", "chinese math football care", "zh") == "语文、数学、足球、看护"
    assert word("skill", "embroidery", "zh") == "embroidery"  # a school's own skill: as written
    assert word("post", "leader_on_duty", "zh") == "值日领导" and word("room_type", "field", "zh") == "操场"
    assert word("day", "星期三", "en") == "Wed" and word("day", "Wed", "zh") == "周三"


def test_message_parameters_named_for_codes_are_said_in_words() -> None:
    said = coded_params({"skills": "art music", "kind": "security", "duty": "gate@Tue@Tue-2", "n": 3}, "zh")
    assert said == {"skills": "美术、音乐", "kind": "保安", "duty": "周二 门岗 Tue-2", "n": 3}
