"""Units of measure that targets are stated in beyond the amounts of goods and shares: computing power (EFLOPS) and
efficiency (GFLOPS/W), grades of an A-grade scale (4A级), and the bracketed spelling of a goal verb (制（修）订).
Sentences are quoted from the corpus-dc documents the numbers name; 223 is read from its PDF."""
from __future__ import annotations

import pytest

from answer.guard import figures_in
from knowledge.targets import targets_in
from knowledge.units import FIGURE_UNITS, UNITS
from tests.conftest import corpus_dc_file, parsed_document


def _found(sentence, year=None, base_year=2021, default=2025):
    return [(t.year, t.value, t.unit, t.comparator) for t in targets_in(sentence, year, base_year, default)]


def test_computing_power_and_its_efficiency_are_units_of_targets():
    # 223: 算力 in EFLOPS and 算效 per watt, as the national data-centre plan measures them
    s = "到2025年，全省数据中心总算力突破7EFLOPS，单机架算效不低于8GFLOPS/W。"
    assert _found(s) == [(2025, "7", "EFLOPS", "突破"), (2025, "8", "GFLOPS/W", "不低于")]
    assert {"EFLOPS", "PFLOPS", "GFLOPS/W"} <= set(UNITS) and "EFLOPS" in FIGURE_UNITS


@pytest.mark.parametrize("sentence,expected", [
    # 13 and 223: the grade a data centre is to reach is a goal (the PUE beside it is a unitless ratio)
    ("其中，新建大型及超大型数据中心绿色低碳等级达到4A级以上，电能利用效率不高于1.3。",
     [(2025, "4", "A级", "达到…以上"), (2025, "1.3", "", "不高于")]),
    # a grade before a noun names the class of what is counted: the count is the goal, not the grade
    ("到2025年，新建5个4A级旅游景区。", [(2025, "5", "个", "")]),
    # a grade without a comparator before it states no level to reach
    ("支持4A级物流企业开展多式联运。", []),
])
def test_a_grade_is_a_goal_only_as_the_level_to_reach(sentence, expected):
    assert _found(sentence) == expected


def test_the_bracketed_spelling_of_a_goal_verb_states_a_goal_in_a_plan():
    # 157: no year in the sentence; the plan's period dates it only when a goal verb stands before the figure
    s = "制（修）订林草技术标准120项，完善林草标准体系建设。"
    assert _found(s) == [(2025, "120", "项", "")]
    assert _found("林草技术标准120项，完善林草标准体系建设。") == []


def test_the_answer_guard_reads_a_computing_figure_whole():
    assert "7EFLOPS" in figures_in("全省数据中心总算力突破7EFLOPS")


def test_223_states_its_computing_and_grade_goals():
    doc = parsed_document(corpus_dc_file("223"))
    found = {(t.year, t.value, t.unit) for u in doc.units() for t in u.targets}
    assert {(2025, "7", "EFLOPS"), (2025, "8", "GFLOPS/W"), (2025, "4", "A级")} <= found
    assert (2025, "15", "万个") in found  # the goals beside them stay


def test_money_has_one_scale_for_support_amounts_and_project_sizes():
    from knowledge.support_fields import money_in
    from knowledge.units import MONEY_TO_WAN, SCALES, YUAN

    s = "给予最高200万元奖励，另补贴5千元，总额不超过1.5亿元，分别奖励30万、20万、10万元。"
    assert [m.wan for m in money_in(s)] == [200.0, 0.5, 15000.0, 30.0, 20.0, 10.0]
    # the support amounts (in 万元) and the project sizes (in 元) read each unit they share at one ratio
    assert all(SCALES["money"][u] == MONEY_TO_WAN[u] * YUAN["万元"] == YUAN[u] for u in SCALES["money"])
