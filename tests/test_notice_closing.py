"""ingest.closing: a short notice's closing block (request, contacts, 特此通知, attachment list, issuer and date) is a
unit of its own (结尾), not the tail of the last numbered item; a unit of one sentence is its own retrieved sentence —
on real open corpus-dc notices, with a real ingest (store, jieba, encoder, Chroma)."""
from __future__ import annotations

import pytest

from ingest.structure import parse
from tests.conftest import corpus_dc_file, loaded_file, service_of


def _doc(number: str):
    loaded = loaded_file(corpus_dc_file(number))
    return parse(list(loaded.pages), loaded.title_hint)


def _by_label(doc, label: str):
    return [u for u in doc.units() if u.label == label]


def test_contacts_and_attachment_list_leave_the_last_item():
    doc = _doc("203")  # 上海市关于开展低碳示范创建工作的通知: 四、…确保创建质量。 then 联系人、附件 list, issuer and date
    last = next(u for u in doc.units() if u.label == "四、")
    assert last.text.endswith("确保创建质量。")
    closing, = _by_label(doc, "结尾")
    assert closing.text.startswith("联系人：马艳") and closing.text.endswith("上海市生态环境局2022年1月27日")
    assert closing.seq == last.seq + 1  # in document order, before the attachments
    assert [u.label for u in doc.units() if u.seq > closing.seq] == ["附件1", "附件2"]
    assert len({u.seq for u in doc.units()}) == len(doc.units())


def test_the_request_to_hand_in_goes_with_its_contact_line():
    doc = _doc("274")  # 徐州: 6.重大创新载体建设… then 请各相关学院于…送至…, 联系人：…；联系电话：…
    item = next(u for u in doc.units() if u.label.endswith("6."))
    assert "请各相关学院" not in item.text and "联系电话" not in item.text
    closing, = _by_label(doc, "结尾")
    assert closing.text.startswith("请各相关学院于2021年12月28日前") and "83656193" in closing.text


def test_the_closing_before_the_attachments_is_cut_too():
    doc = _doc("209")  # 安徽: 二、3. then 请符合条件…报送…, 联系人, date — then 附件2, 附件3
    closing, = _by_label(doc, "结尾")
    assert closing.text.startswith("请符合条件、有意向申报的单位") and "0551" in closing.text
    assert doc.measure(closing.seq - 1).text.startswith("3.技术推广价值高")
    assert doc.measure(closing.seq + 1).label.startswith("附件")


def test_an_item_that_introduces_its_contacts_keeps_them():
    doc = _doc("551")  # 绿色制造名单推荐: （六）申报工作联系方式： 联系人及电话：…
    item = next(u for u in doc.units() if "申报工作联系方式" in u.text)
    assert "阳紫微" in item.text
    assert not [u for u in _by_label(doc, "结尾") if "阳紫微" in u.text]


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "notice209", [corpus_dc_file("209"), corpus_dc_file("147")])


def test_a_one_sentence_unit_is_its_own_retrieved_sentence(svc):
    """209's 一、征集范围 is one sentence under its heading, so it has no sentence units; the retriever gives the
    measure itself as its sentence, and the answer quotes it instead of the preamble's (b14-209-03)."""
    doc_id = next(d.doc_id for d in svc.documents() if "先进适用技术" in d.title)
    found = svc.index.retriever().run_measures("安徽这次征集碳减排技术，涵盖哪些领域？", top_k=5, doc_id=doc_id)
    top = found[0]
    assert top.unit.text.startswith("一、征集范围")
    assert [s.unit.text for s in top.sentences] == [top.unit.text]
    # measures of several sentences keep only their sentence units as evidence
    assert all(s.unit.is_sentence for h in found[1:] if h.unit.kind == "preamble" for s in h.sentences)
    ans = svc.ask("安徽这次征集碳减排技术，涵盖哪些领域？", doc=doc_id)
    assert not ans.refused and "节能环保" in ans.answer and "清洁生产" in ans.answer


def test_a_table_run_together_is_no_sentence(svc):
    """147's 附件 is its task table read as one run of cells (雄安新区3.0 1.5 1.5 1.5…), ending without a sentence
    mark: it is no retrieved sentence, so no answer quotes the whole table as one (b16-147-01)."""
    doc_id = next(d.doc_id for d in svc.documents() if "营造林" in d.title)
    found = svc.index.retriever().run_measures("雄安新区2022年分到的营造林任务是多少万亩？", top_k=5, doc_id=doc_id)
    table = next(h for h in found if h.unit.text.startswith("附件") and "雄安新区" in h.unit.text)
    assert not table.sentences
