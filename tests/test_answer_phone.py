"""Issue 10: a telephone number asked is answered only by a quote that states one; a passage saying whom to call
(各单位可来电咨询) without the number is a refusal. Real PDFs of corpus-dc (dev documents 369 and 203), real ingest,
encoder, jieba, store."""
from __future__ import annotations

import pytest

from answer.identifiers import PHONE as _PHONE
from answer.asks import ASKS_PHONE
from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


def test_the_cue_and_the_number():
    for q in ("咨询电话是多少？", "企业咨询绿色工厂申报打哪个电话？", "联系人和电话是什么？", "有问题可以打哪个咨询电话？"):
        assert ASKS_PHONE.search(q), q
    assert not ASKS_PHONE.search("可以通过电话咨询吗？")
    for s in ("联系电话：028-80589075", "电话：23117411。", "0755-88102475", "手机13912345678"):
        assert _PHONE.search(s), s
    assert not _PHONE.search("于2022年3月31日前报送") and not _PHONE.search("配额2000万吨")
    # service numbers and public hotlines as dev documents print them (399, 446, 473); a bare 12xxx is a quantity
    for s in ("电话：4009911188转0上海环境能源交易所", "400-991-1188", "12369环保投诉热线和莆田生态环境门户网站",
              "热线“12369”和“宁德生态环境”微信平台"):
        assert _PHONE.search(s), s
    assert not _PHONE.search("新增造林12369亩") and not _PHONE.search("年产能4000万吨")


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "phone", [corpus_dc_file(n) for n in ("369", "203")])


def test_a_passage_without_the_number_is_a_refusal(svc):
    ans = svc.ask("市生态环境局碳排放工作技术团队的咨询电话是多少？", doc=_doc(svc, "天津市2021年度碳排放"))
    assert ans.refused and "电话号码" in ans.answer


def test_a_stated_number_is_answered(svc):
    ans = svc.ask("上海低碳示范创建工作的联系人和联系电话是什么？", doc=_doc(svc, "低碳示范创建"))
    assert not ans.refused and "23117411" in ans.answer and "马艳" in ans.answer
