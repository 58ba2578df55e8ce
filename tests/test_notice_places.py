"""The notice wrapper of real corpus-dc notices whose policy title is written differently from the notice's (B5 of
issue 9), and the places of 自治区 bodies and of a document issued by two places (B14), and the actors of articles
that open with a body without a level (H3). Real PDFs of the dev split, parsed and enriched as ingest does."""
from __future__ import annotations

import pytest

from ingest.frontmatter import policy_title, wrapper_end
from tests.conftest import corpus_dc_file, parsed_document


@pytest.fixture(scope="module")
def parsed():
    cache: dict = {}

    def get(number: str):
        if number not in cache:
            cache[number] = parsed_document(corpus_dc_file(number))
        return cache[number]
    return get


@pytest.mark.parametrize("number,opening", [
    ("107", "关于加快建立健全绿色低碳循环发展经济体系的实施方案为认真贯彻"),  # the policy's title has 的, the notice's not
    ("343", "关于推动工业节能降碳和资源综合利用的若干措施为深入贯彻"),  # 关于…的若干措施 against 推动…若干措施
    ("559", "江苏省“十四五\"土壤、地下水和农村生态环境保护规划土壤、地下水"),  # “ ” against “ "
    ("319", "为认真落实中共中央办公厅、国务院办公厅"),  # the title is not written again: the policy starts after the date
])
def test_the_wrapper_ends_where_the_policy_starts(parsed, number, opening):
    doc = parsed(number)
    notice = [u for u in doc.units() if u.label.startswith("印发通知")]
    policy = [u for u in doc.units() if not u.label.startswith("印发通知")]
    assert notice and "印发" in notice[0].text and opening not in notice[-1].text
    assert policy[0].text.startswith(opening)
    assert not any("印发给你们" in u.text or "印发你们" in u.text for u in policy)


def test_a_title_closed_by_a_bracket_and_a_notice_of_several_documents():
    assert policy_title("关于印发《山东省能源科技创新“十四五”规划）的通知") == "山东省能源科技创新“十四五”规划"
    several = "关于发布《碳排放权登记管理规则（试行）》《碳排放权交易管理规则（试行）》和《碳排放权结算管理规则（试行）》的公告"
    assert policy_title(several) == several  # the notice carries three documents: its title is the document's


def test_an_attachment_file_name_is_not_the_policy_heading():
    text = ("各市：\n现将《某省试点管理办法》印发给你们，请遵照执行。\n附件：某省试点管理办法.doc\n某省林业局2022年6月28日\n"
            "附件\n某省试点管理办法\n第一章总则\n")
    end = wrapper_end(text, "某省试点管理办法")
    assert "某省林业局2022年6月28日" in text[:end] and text[end:].startswith("某省试点管理办法\n第一章")


def test_autonomous_region_bodies_and_a_document_of_two_places(parsed):
    bodies = {b.canonical for u in parsed("85").units() for b in u.bureaus}  # 自治区人民政府关于… (宁夏)
    assert "宁夏回族自治区发展改革委" in bodies and not any(b.startswith("自治区") for b in bodies)
    bodies = {b.canonical for u in parsed("57").units() for b in u.bureaus}  # issued by 重庆市 and 四川省 together
    assert {"重庆市生态环境局", "四川省生态环境厅"} <= bodies
    assert not any(b.startswith(("市", "省")) for b in bodies)


def test_articles_name_a_ministry_or_a_body_without_a_level_as_their_actor(parsed):
    articles = {u.label: {b.canonical for b in u.bureaus} for u in parsed("373").units()}  # 交通运输部会同公安部…
    assert "交通运输部" in articles["第五条"] and "交通运输部" in articles["第二十一条"]
    articles = {u.label: {b.canonical for b in u.bureaus} for u in parsed("303").units()}
    assert articles["第九条"] == {"基金管理中心"}  # 基金管理中心履行下列职责
    assert "基金" not in articles["第二十六条"]  # 基金及其管理中心: the fund is no body


def test_a_statute_level_written_once_is_every_listed_body_s():
    from knowledge.actors import sentence_actors

    bodies = [b.canonical for b in sentence_actors("第三条县级以上人民政府发展改革、生态环境等部门应当加强协调。")]
    assert bodies == ["县级以上人民政府发展改革部门", "县级以上人民政府生态环境部门"]  # not 县生态环境部门
