"""Issue 10: a web address asked is answered only by a quote that states one (a URL, a host, a site named in
quotation marks); a passage saying a system or a site is used, without its address, is a refusal. Real PDFs of
corpus-dc (dev documents 350 and 339), real ingest, encoder, jieba, store."""
from __future__ import annotations

import pytest

from answer.identifiers import WEB, identifier_missing
from answer.asks import ASKS_WEB
from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


def test_the_cue_and_the_address():
    for q in ("企业环境信息强制性披露系统的网址是什么？", "排放报告要在哪个网站上公开？", "申报网站是哪个？"):
        assert ASKS_WEB.search(q), q
    # a website named as a topic asks for no address
    assert not ASKS_WEB.search("在政务微信微博和网站开设专栏，由哪些部门负责？")
    # as dev notices print them (551: the platform's URL; 375: a site named in quotation marks)
    for s in ("通过“工业节能与绿色发展管理平台”（https://green.miit.gov.cn）报送", "登录www.mee.gov.cn查询",
              "统一在“广东政务服务网”申请办理", "sthjt.hubei.gov.cn"):
        assert WEB.search(s), s
    assert not WEB.search("应当通过各地生态环境部门指定的环境信息强制性披露系统，自行向社会披露环境信息。")
    assert identifier_missing("披露系统的网址是什么？", ["通过指定的披露系统披露"]) == "所问的网址"
    assert identifier_missing("披露系统的网址是什么？", ["网址：https://example.gov.cn"]) is None
    assert identifier_missing("披露的内容有哪些？", ["通过指定的披露系统披露"]) is None


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "web", [corpus_dc_file(n) for n in ("350", "339")])


def test_a_system_named_without_its_address_is_a_refusal(svc):
    ans = svc.ask("企业环境信息强制性披露系统的网址是什么？", doc=_doc(svc, "湖北省环境信息依法披露"))
    assert ans.refused and "网址" in ans.answer
    ans = svc.ask("排放报告的信息公开要在哪个网站或平台上公开？", doc=_doc(svc, "北京市生态环境局关于做好2022年"))
    assert ans.refused


def test_the_same_documents_answer_what_they_state(svc):
    # the decision still answers what the passage does state: the date the disclosure is due
    ans = svc.ask("在湖北，企业的年度环境信息要在每年几月几日前披露？", doc=_doc(svc, "湖北省环境信息依法披露"))
    assert not ans.refused and "3月15日前" in ans.answer
