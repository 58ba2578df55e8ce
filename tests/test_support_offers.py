"""What support a document that states no support item offers (answer.support_offers): 139 四川近零碳排放园区试点
(对通过验收的评为四川省近零碳排放园区，同时给予一定形式的奖励; 支持符合条件的项目申报预算内基本建设资金), 11 中央企业碳达峰碳中和
指导意见 (对工作成效突出的企业予以表彰奖励). Real PDFs in a real home."""
from __future__ import annotations

import pytest

from knowledge.support_items import states_figure
from tests.conftest import corpus_dc_file, doc_titled as _doc_id, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "offers", [corpus_dc_file(n) for n in ("139", "11")])


def _quoted(ans) -> bool:
    return bool(ans.citations) and all(c.quote in c.unit_text for c in ans.citations)


def test_offers_asked_and_read(svc):
    from answer.support import support_intent
    from answer.support_offers import OFFER_RE

    assert support_intent("验收通过有什么好处？") == "offers"
    assert support_intent("对工作做得好的央企有什么激励？") == "offers"
    # a sum or a window asked stays with the items
    assert support_intent("验收通过能拿多少奖励？") == "amount"
    assert OFFER_RE.search("对工作成效突出的企业予以表彰奖励。")
    assert not OFFER_RE.search("推动绿色金融、气候投融资和转型金融发展。")


def test_what_a_pilot_gets_once_accepted(svc):
    # no item states a sum (139 has its call and its grant as figure-less items since support19)
    assert not any(states_figure(it) for d in svc.catalog.documents.values() for it in d.support_items)
    ans = svc.ask("近零碳园区试点建成后验收通过有什么好处？", doc=_doc_id(svc, "近零碳排放园区"))
    assert ans.route == "support" and "一定形式的奖励" in ans.answer and _quoted(ans)
    ans = svc.ask("四川对近零碳排放园区建设有哪些资金支持渠道？", doc=_doc_id(svc, "近零碳排放园区"))
    assert ans.route == "support" and "预算内基本建设资金" in ans.answer and _quoted(ans)


def test_what_central_enterprises_get(svc):
    ans = svc.ask("对碳达峰碳中和工作做得好的央企有什么激励？", doc=_doc_id(svc, "中央企业"))
    assert ans.route == "support" and "表彰奖励" in ans.answer and _quoted(ans)


def test_not_over_the_whole_library_nor_off_topic(svc):
    from retrieval.scope import Scope

    from answer.support import answer_support
    docs = list(svc.catalog.documents.values())
    assert answer_support("验收通过有什么好处？", "offers", [], None, Scope(None, {}), docs) is None
    # a topic no granting sentence carries (less than MIN_FIT of its pairs): the ordinary routes
    ans = svc.ask("园区企业购买新能源汽车和自建充电桩有什么好处？", doc=_doc_id(svc, "近零碳排放园区"))
    assert ans.route != "support"
