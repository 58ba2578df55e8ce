"""Issue 10 (ans37): a question of the nation (我国) naming no place, answered from a province's or a city's document,
quotes the place's figure for the nation's: a refusal. Real PDF of the development corpus (the 连云港 draft every eval
home holds), real ingest, encoder, jieba, store; asked without a document filter."""
from __future__ import annotations

import pytest

from answer.asked_subject import place_for_national
from knowledge.text import fold
from tests.conftest import CORPUS, service_of

LYG = "连云港市加快经济社会发展全面绿色转型政策举措（征求意见稿）"


def test_the_nation_asked_of_a_places_document():
    q = fold("我国交通运输领域到2030年营运交通工具单位换算周转量碳排放强度要比2020年下降多少？")
    assert place_for_national(q, LYG) == "连云港"
    # a national document, or a question naming a place, or one not asking of the nation: nothing to refuse
    assert place_for_national(q, "国家邮政局贯彻落实《中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见》的实施意见") is None
    assert place_for_national(fold("连云港市在我国领先的产业有哪些？"), LYG) is None
    assert place_for_national(fold("交通运输领域到2030年要下降多少？"), LYG) is None


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "national", [CORPUS / f"{LYG}.pdf"])


def test_a_citys_figure_is_no_answer_for_the_nation(svc):
    ans = svc.ask("我国交通运输领域到2030年营运交通工具单位换算周转量碳排放强度要比2020年下降多少？")
    assert ans.refused, ans.answer
    # the same figure asked of the city is answered
    ans = svc.ask("连云港市交通运输领域到2030年营运交通工具单位换算周转量碳排放强度要比2020年下降多少？")
    assert not ans.refused and "9.5%" in ans.answer, ans.answer
