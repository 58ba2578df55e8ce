"""A unit whose sentences each close with their own responsibility clause (武汉 plan: …。（责任单位：市城建局）):
a who-is-responsible question is answered with the clause after the passage it asks about, not the unit's last."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "bsc", [corpus_dc_file("113")])


def test_the_clause_after_the_asked_passage(svc):
    ans = svc.ask("武汉推广屋面光伏、空气源热泵等可再生能源建筑应用归哪个部门负责？")
    assert not ans.refused and "市城建局" in ans.answer
    quote = ans.citations[0].quote
    assert quote in ans.citations[0].unit_text and quote.endswith("（责任单位：市城建局）")


def test_a_figure_and_its_clause_in_one_quote(svc):
    ans = svc.ask("武汉到2025年非化石能源占比目标是多少，谁负责？")
    assert not ans.refused and "20%" in ans.answer and "市发改委" in ans.answer
