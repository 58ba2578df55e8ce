"""Issue 10 (ans37): a span asked in one unit (几天, 几个工作日, 几个月, 几年) is answered only by a quote stating a
span in that unit — days counted in 天, 日 or 工作日 alike; a span in months states another act's time, not the asked
days. Real PDF of corpus-dc (dev document 295), real ingest, encoder, jieba, store."""
from __future__ import annotations

import pytest

from answer.identifiers import FORMS, identifier_missing, span_in_unit_stated
from knowledge.text import fold
from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


def test_the_unit_of_the_question_word():
    days = fold("评价报告要在活动结束后几天内提交？")
    assert not span_in_unit_stated("原则上不晚于大型活动结束后3个月内", days)
    assert span_in_unit_stated("自收到材料之日起15个工作日内完成审核", days)
    assert span_in_unit_stated("应于变更后十日内报告", days)
    months = fold("公示期是几个月？")
    assert span_in_unit_stated("公示期为3个月", months) and not span_in_unit_stated("公示期为30天", months)
    years = fold("有效期多少年？")
    assert span_in_unit_stated("有效期5年", years)
    assert not span_in_unit_stated("2025年前完成", years)  # a year of the calendar is no span
    # no span asked: nothing to state
    assert span_in_unit_stated("", fold("由哪个部门负责？"))
    assert identifier_missing(days, ["结束后3个月内"], FORMS) == "所问单位的时长"
    assert identifier_missing(days, ["结束后30日内"], FORMS) is None


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "span_unit", [corpus_dc_file("295")])


def test_a_span_in_another_unit_is_a_refusal(svc):
    doc = _doc(svc, "大型活动和公务会议碳中和")
    ans = svc.ask("委托第三方机构做碳中和评价，评价报告要在活动结束后几天内提交？", doc=doc)
    assert ans.refused, ans.answer
    # the span the document states, asked in its own unit, is answered
    ans = svc.ask("大型活动碳中和的完成时间原则上不晚于活动结束后几个月？", doc=doc)
    assert not ans.refused and "3个月" in ans.answer, ans.answer
