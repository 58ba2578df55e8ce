"""Who may take part in a call that grants no money (a pilot, a demonstration): answered from the conditions the
document states, as a notice's 申报条件 are for support items (answer.support_conditions.call_groups)."""
from __future__ import annotations

import pytest

from knowledge.support_items import states_figure
from tests.conftest import corpus_dc_file, doc_titled as _doc_id, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    # 139 四川近零碳排放园区试点 (（二）试点对象), 373 城市绿色货运配送示范工程管理办法 (第六条 …应当同时满足以下条件：),
    # 525 河北降碳产品价值实现管理办法 (第八条 …应当满足以下条件： / （一）申报人为产品业主；): no support item in any.
    yield from service_of(tmp_path_factory, "calls", [corpus_dc_file(n) for n in ("139", "373", "525")])


def _quoted(ans) -> bool:
    return bool(ans.citations) and all(c.quote in c.unit_text for c in ans.citations)


def test_the_documents_state_no_support_item_with_a_figure(svc):
    # 139's call and grant are items without figures (support19): its conditions are still read as a call's
    assert not any(states_figure(it) for d in svc.catalog.documents.values() for it in d.support_items)


def test_conditions_of_a_pilot_from_its_section_on_who_may_take_part(svc):
    ans = svc.ask("申报近零碳排放园区试点的园区需要满足什么条件？", doc=_doc_id(svc, "近零碳排放园区"))
    assert ans.route == "support" and not ans.refused and _quoted(ans)
    assert "近3年内未发生重大环境污染和生态破坏事故" in ans.answer
    # 试点对象 asked without a word of the intent table is a conditions question too
    ans = svc.ask("哪些范围的园区属于近零碳排放园区试点对象？", doc=_doc_id(svc, "近零碳排放园区"))
    assert ans.route == "support" and "国家级新区的产业功能区" in ans.answer and _quoted(ans)


def test_conditions_after_a_lead_to_the_list(svc):
    ans = svc.ask("哪些城市可以申报城市绿色货运配送示范工程？", doc=_doc_id(svc, "货运配送"))
    assert ans.route == "support" and "地级及以上城市" in ans.answer and _quoted(ans)
    assert "物流基础" in ans.answer  # the other conditions of the list, not only the first


def test_a_short_item_of_the_list_is_no_heading(svc):
    # （一）申报人为产品业主； is short and numbered like a heading, but a heading ends in no ；.
    ans = svc.ask("申报降碳产品需要满足哪些条件？", doc=_doc_id(svc, "降碳产品"))
    assert ans.route == "support" and "产品业主" in ans.answer and "方法学" in ans.answer and _quoted(ans)


def test_not_over_the_whole_library_and_not_for_other_questions(svc):
    # the same question with no document named and none chosen by the scope model: not from a call's conditions
    from retrieval.scope import Scope

    from answer.support import answer_support
    docs = list(svc.catalog.documents.values())
    assert answer_support("申报降碳产品需要满足哪些条件？", "conditions", [], None, Scope(None, {}), docs) is None
    # a window asked besides: the call's item (support19: 139's call, dated by its 申请表) answers the deadline; the
    # call path reads conditions only, so the conditions are not joined to it (a known gap)
    ans = svc.ask("申报近零碳排放园区试点的园区需要满足什么条件？什么时候截止？", doc=_doc_id(svc, "近零碳排放园区"))
    assert "2022年5月13日前" in ans.answer and "6月15日" not in ans.answer and _quoted(ans)
