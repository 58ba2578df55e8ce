"""Issue 10: a question whose form asks for a place (哪个城市), a length of time (多长时间, 多久) or a sum named after
多少 (多少推广应用补贴) is answered only by quotes that state one; a sentence on the asked topic that states none of it
(要合理设置政策实施过渡期; 选择…的地方开展试点) is a refusal, not an answer. Real PDFs of corpus-dc (dev documents 207,
366 and 525), real ingest, encoder, jieba, store."""
from __future__ import annotations

import pytest

from answer.identifiers import FORMS, identifier_missing, place_stated
from answer.asks import ASKS_DURATION, ASKS_MONEY, ASKS_PLACE
from answer.intents import ASKS_VALIDITY
from answer.text import STATES_SPAN
from knowledge.text import fold
from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


def test_the_cues():
    for q in ("2022年广东低碳日的全省主场活动放在哪个城市举办？", "试点名单有哪些城市？", "哪几个省的自贸试验区要推动…？"):
        assert ASKS_PLACE.search(q), q
    # a level (哪个省级部门) or a market is no place asked
    assert not ASKS_PLACE.search("由哪个省级部门负责？") and not ASKS_PLACE.search("哪个市场主体可以参与？")
    for q in ("政策过渡期具体是多长时间？", "多久更新发布一次？"):
        assert ASKS_DURATION.search(q), q
    # money named up to four characters after 多少; not a span, a count or a share asked before the money noun
    assert ASKS_MONEY.search(fold("国家给多少推广应用补贴？")) and ASKS_MONEY.search(fold("每人能拿到多少安家补贴？"))
    for q in ("收到资助核准文件后，多少天内要去办资金拨付手续？", "享受多少比例的补贴？", "有多少项补贴？"):
        assert not ASKS_MONEY.search(fold(q)), q
    # a 试行期's end is its validity; 试行期间 (while it is tried) asks no end
    assert ASKS_VALIDITY.search("技术指南试行期到什么时候结束？")
    assert not ASKS_VALIDITY.search("试行期间，如果国家又出了新规定，按哪个执行？")
    # a year in Chinese numerals is no span (二〇二二年五月); 试行两年 is
    assert not STATES_SPAN.search("二〇二二年五月") and STATES_SPAN.search("试行两年")


def test_what_states_the_asked_form():
    q = fold("2022年广东低碳日的全省主场活动放在哪个城市举办？")
    # the province the question names is no answer; a city with its division, or bare as the gazetteer knows it, is
    assert not place_stated("2022年广东省节能宣传周和低碳日活动各联合主办单位要组织安排好相关活动。", q)
    assert place_stated("主场活动在深圳市举办。", q)
    assert place_stated("在呼和浩特、鄂尔多斯等城市建成区率先开展生活垃圾强制分类示范试点。", fold("率先在哪些城市建成区开展？"))
    assert identifier_missing(fold("过渡期是多长时间？"), ["要合理设置政策实施过渡期，在2024年底前改造升级。"], FORMS) == "所问的时长"
    for s in ("每年发布一次", "30个工作日内", "1小时通勤圈", "每季度报送"):
        assert identifier_missing(fold("多久更新一次？"), [s], FORMS) is None, s


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "forms", [corpus_dc_file(n) for n in ("207", "366", "525")])


def test_a_topic_sentence_without_the_asked_form_is_a_refusal(svc):
    ans = svc.ask("能效低于基准水平的已建成项目，政策过渡期具体是多长时间？", doc=_doc(svc, "严格能效约束"))
    assert ans.refused and "时长" in ans.answer
    ans = svc.ask("2022年广东低碳日的全省主场活动放在哪个城市举办？", doc=_doc(svc, "节能宣传周和低碳日"))
    assert ans.refused


def test_the_same_document_answers_the_length_it_states(svc):
    ans = svc.ask("重点领域企业和项目能效清单目录多久更新发布一次？", doc=_doc(svc, "严格能效约束"))
    assert not ans.refused and "每年发布一次" in ans.answer


def test_the_length_a_completing_sentence_states_answers(svc):
    # the decided sentence (受理…后，向社会公示) states no length; the sentence answer.parts adds does (公示期不少于7个工作日):
    # the form is read on the completed answer
    ans = svc.ask("降碳产品申报材料受理后要公示多长时间？", doc=_doc(svc, "降碳产品价值实现管理办法"))
    assert not ans.refused and "7个工作日" in ans.answer
