"""Money asked per a unit of measure (按每千瓦时补助多少, 每台奖励多少钱) is answered by a rate per that unit, not by a
lump sum. Sentences are the bundled 成都 policy's own (../shared/corpus)."""
from __future__ import annotations

import pytest

from answer.asks import ASKS_PER_UNIT
from answer.text import states_rate_per
from knowledge.text import fold


@pytest.mark.parametrize("question, unit", [
    ("成都对储能设施按每千瓦时补助多少钱？", "千瓦时"),
    ("充电桩每千瓦补贴多少钱？", "千瓦"),
    ("每台设备奖励多少？", "台"),
])
def test_the_unit_a_rate_is_asked_per(question, unit):
    m = ASKS_PER_UNIT.search(question)
    assert m is not None and m.group(1) == unit


def test_a_question_without_per_asks_no_rate():
    assert ASKS_PER_UNIT.search("成都储能项目最多补助多少钱？") is None


@pytest.mark.parametrize("sentence, unit, states", [
    ("对绿电制氢项目市、区（市）县两级联动给予 0.15-0.2 元/千瓦时的电费支持", "千瓦时", True),
    ("对绿电制氢项目给予0.15元/度的电费支持", "千瓦时", True),  # 度 is the kilowatt-hour's common name
    ("按 200 元/千瓦、300 元/千瓦给予建设补贴", "千瓦", True),
    ("对上述重点项目按投入资金或节能效率给予最高2000万元补助。", "千瓦时", False),  # a lump sum
    ("按 200 元/千瓦、300 元/千瓦给予建设补贴", "千瓦时", False),  # per kW is not per kWh
])
def test_a_sentence_states_a_rate_per_the_asked_unit(sentence, unit, states):
    assert states_rate_per(fold(sentence), unit) is states
