"""A list asked is answered by a sentence that names its members (docs/wrong-answers-r19.md): a classification with
its count (487 第六条 试点分为…两大类) over a notice's closing line, a lead whose numbered items follow it (394 替代源包括：
（一）…) over the article's definition. Real PDFs of corpus-dc's dev split (b7, b8), through the real service."""
from __future__ import annotations

import pytest

from answer.enumeration import asks_list, classifies, enumerates
from tests.conftest import corpus_dc_file, doc_titled, service_of


@pytest.mark.parametrize("question, asked", [
    ("浙江的林业固碳增汇试点分成哪几类？", True),
    ("可以用哪些途径形成的减排量来替代？", True),
    ("专项资金分几类项目？", True),
    ("集中污水处理设施的排污口能设几个？", False),  # a count
    ("由哪些部门负责？", False),  # who: the bureau handlers' question
    ("哪些项目要在什么时候前完成？", False),  # when
    ("补贴标准是多少？", False),
])
def test_a_list_is_asked_by_its_question_words(question, asked):
    assert asks_list(question) is asked


def test_what_names_members_and_what_does_not():
    unit = "替代源包括：\n（一）企业关停、转产减少的碳排放量；\n（二）淘汰落后产能、压减过剩产能减少的碳排放量。"
    assert classifies("替代源包括：", unit)  # a lead whose items follow
    assert classifies("试点分为林业增汇试点县和林业碳汇先行基地两大类。", "")
    assert classifies("生态环境标准分为国家生态环境标准和地方生态环境标准。", "")
    assert enumerates("开发碳汇项目、国家核证自愿减排量项目。", "")
    # a notice's closing line names no member; a purpose clause's run of 、 names some, but classifies nothing
    assert not enumerates("附件：浙江省林业固碳增汇试点建设管理办法.doc\n浙江省林业局2022年6月28日", "")
    sentence = "更好地发挥森林、湿地生态系统和林产品固碳增汇作用。"
    assert enumerates(sentence, "") and not classifies(sentence, "")


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "enumeration", [corpus_dc_file(n) for n in ("487", "394")])


@pytest.mark.parametrize("title, question, members", [
    ("林业固碳增汇", "浙江林业固碳增汇试点分为哪几类？", ("林业增汇试点县", "林业碳汇先行基地")),
    ("减量替代", "两高项目新增的碳排放可以用哪些途径减少的排放量替代？",
     ("企业关停、转产减少的碳排放量", "淘汰落后产能、压减过剩产能减少的碳排放量")),
])
def test_a_list_asked_is_answered_by_the_sentence_naming_its_members(svc, title, question, members):
    ans = svc.ask(question, doc=doc_titled(svc, title))
    assert not ans.refused and all(m in ans.answer for m in members), ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)
