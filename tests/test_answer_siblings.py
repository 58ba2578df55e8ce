"""Issue 10 (answers, second pass): a "how much" question is not answered with the figure of a neighbouring item — a
sentence that gives the asked measure to other subjects (主要污染物 listed without the 二氧化硫 asked) — nor a fund's
whole with what one project is granted. Real PDFs of corpus-dc (dev documents), real ingest, encoder, jieba, store."""
from __future__ import annotations

import pytest

from answer.eligible import another_subject
from answer.evidence import TopicMatcher
from knowledge.text import fold
from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


@pytest.fixture(scope="module")
def matcher():
    return TopicMatcher()


def _another(matcher, question: str, sentence: str, context: str = "") -> str | None:
    q = fold(question)
    return another_subject(q, matcher.content_words(q), fold(sentence), context, matcher)


def test_the_measure_of_listed_siblings_is_another_subjects(matcher):
    # 214 天津市“十四五”节能减排工作实施方案, 二、主要目标: four pollutants listed, 二氧化硫 not among them
    listed = ("到2025年，全市单位地区生产总值能源消耗比2020年下降14.5%，能源消费总量得到合理控制，化学需氧量、氨氮、氮氧化物、"
              "挥发性有机物等主要污染物重点工程减排量分别达到1.6万吨、0.04万吨、2.08万吨、0.99万吨。")
    assert _another(matcher, "天津“十四五”二氧化硫重点工程减排量目标是多少万吨？", listed) == "二氧化硫"
    # a listed one is the sentence's own subject
    assert _another(matcher, "天津“十四五”挥发性有机物重点工程减排量目标是多少万吨？", listed) is None
    # 347 山东省绿色低碳转型2022年行动计划: 公共机构单位建筑面积能耗 is not 单位GDP能耗
    public = "2022年，全省公共机构单位建筑面积能耗、人均综合能耗、人均用水量、单位建筑面积碳排放量同比分别下降1.0%、1.2%、1.2%和1.4%。"
    assert _another(matcher, "山东2022年绿色低碳转型行动计划里，单位GDP能耗要比上年下降多少？", public) == "单位gdp"


def test_a_head_without_another_modifier_or_a_short_modifier_is_no_sibling(matcher):
    # the head stands after a clause break: the question's modifier is context (113: 钢铁行业 …铁钢比)
    assert _another(matcher, "武汉钢铁行业铁钢比到2025年要降到多少？", "不断提高废铁炼钢比例，到2025年，铁钢比下降至0.75以下。") is None
    # a modifier the unit's or the document's title names is the sentence's subject too
    assert _another(matcher, "天津“十四五”二氧化硫重点工程减排量目标是多少万吨？",
                    "主要污染物重点工程减排量分别达到1.6万吨。", "二氧化硫减排") is None
    # two characters are as often general or a short form (502: 中部 of 东、中、西和东北地区): not read as a sibling
    assert _another(matcher, "我们是中部地区的污水处理项目，中央预算内投资最多能补多少比例？",
                    "污水处理、污水资源化利用项目、城镇生活垃圾分类和处理项目，按东、中、西和东北地区分别不超过项目总投资的30%、45%、60%、60%控制。") is None


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    # 214 天津市“十四五”节能减排工作实施方案; 309 深圳市…2023年绿色低碳产业扶持计划申请指南 (per-project sums, no total)
    yield from service_of(tmp_path_factory, "siblings", [corpus_dc_file(n) for n in ("214", "309")])


def test_a_pollutant_the_targets_do_not_list_is_refused(svc):
    doc = _doc(svc, "天津")
    ans = svc.ask("天津“十四五”二氧化硫重点工程减排量目标是多少万吨？", doc=doc)
    assert ans.refused
    assert "1.6万吨" not in ans.answer.split("最接近的内容是")[0]
    ans = svc.ask("天津“十四五”单位地区生产总值能耗要下降多少？", doc=doc)
    assert not ans.refused and "14.5%" in ans.answer


def test_a_funds_total_is_not_answered_with_a_projects_grant(svc):
    doc = _doc(svc, "绿色低碳产业扶持计划")
    ans = svc.ask("2023年深圳绿色低碳产业扶持计划的年度资金总额是多少？", doc=doc)
    assert ans.refused
    # a project's grant is still answered
    ans = svc.ask("我们是一家社会机构，想在深圳办绿色低碳领域的高端论坛，能申请多少资助？", doc=doc)
    assert not ans.refused and "300万元" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)
