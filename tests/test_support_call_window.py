"""When a call that grants no sum closes (answer.support_calls), asked of a document in scope without support items:
229 河南省能碳管理示范企业 (形成申报汇总表（附件2），于2022年2月16日前报送我厅; beside the monthly report due 每月5日前, which
the ordinary routes answered with). Real PDF in a real home."""
from __future__ import annotations

import pytest

from knowledge.support_items import states_figure
from tests.conftest import corpus_dc_file, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "callwindow", [corpus_dc_file("229")])


def _doc_id(s) -> str:
    return next(iter(s.catalog.documents))


def test_the_calls_deadline_not_the_monthly_report(svc):
    from answer.support_calls import call_windows_of

    (doc,) = svc.catalog.documents.values()
    (item,) = doc.support_items  # the call, dated by its 申报表 handed in (support19), without a figure
    assert item.window["end_iso"] == "2022-02-16" and not states_figure(item)
    (w,) = call_windows_of(doc)
    assert w["end_iso"] == "2022-02-16"
    ans = svc.ask("能碳管理示范企业申报什么时候截止？", doc=_doc_id(svc))
    assert ans.route == "support" and "2022年2月16日前" in ans.answer and "每月5日" not in ans.answer
    assert ans.citations and all(c.quote in c.unit_text for c in ans.citations)


def test_a_topic_the_window_does_not_carry_is_left_to_the_other_routes(svc):
    from answer.support_calls import answer_call_window

    (doc,) = svc.catalog.documents.values()
    # less than MIN_FIT of the question's pairs in the window's sentence, headings and title
    assert answer_call_window("光伏电站补贴申报什么时候截止？", [doc], None) is None
