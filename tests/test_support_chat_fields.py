"""Support questions that name a kind of project by the heading its sums sit under, ask a share, ask one attribute
of the applicant, or ask whether the asker may still apply — on real PDFs of ../shared/corpus-dc."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    # 309 深圳绿色低碳产业扶持计划申请指南 (附件1 三、（二）资助方式: 1.产业链关键环节提升项目 / 2.产业服务体系项目
    # 公共服务:, 高端展会:, each kind of project with its own ceiling; 四、申报条件 with 专项申报条件 per kind);
    # 343 福建工业节能降碳若干措施 (sums per enterprise, no share); 122 黄埔区促进绿色低碳发展办法 (第二条【适用范围】
    # conditions every item shares). All dev documents: no held-out support document is read by a test.
    yield from service_of(tmp_path_factory, "supf", [corpus_dc_file(n) for n in ("309", "343", "122")])


def _in(s, title_word):
    return next(d.doc_id for d in s.catalog.documents.values() if title_word in d.title)


def _quoted(ans) -> bool:
    return all(c.quote in c.unit_text for c in ans.citations)


def test_kind_of_project_named_by_the_heading_its_ceiling_sits_under(svc):
    # 附件1 三、（二）资助方式: 1.产业链关键环节提升项目。/ …单个项目资助金额不超过1000万元; 2.产业服务体系项目。/ 公共服务：…
    # 最高不超过300万元 — the kind of project is the line or label above the sentence, not in the question's sentence.
    doc = _in(svc, "绿色低碳产业扶持计划")
    ans = svc.ask("产业链关键环节提升项目每个项目最多资助多少钱？", doc=doc)
    assert ans.route == "support" and "1000万元" in ans.answer and _quoted(ans)
    assert "300万元" not in ans.answer  # 公共服务's and 高端展会's ceiling is another kind of project's
    ans = svc.ask("公共服务这类项目，资助最高给多少？", doc=doc)
    assert ans.route == "support" and "300万元" in ans.answer and "1000万元" not in ans.answer and _quoted(ans)


def test_a_share_asked_is_not_answered_by_a_sum(svc):
    # 343 五、: 对国家级绿色工厂…最高给予每家企业30万元一次性奖励 is an item with a sum and no rate: it does not answer a
    # share (the same item answers the sum).
    doc = _in(svc, "工业节能降碳")
    ans = svc.ask("获评国家级绿色工厂的企业，奖励能占到投资额的多少比例？", doc=doc)
    assert ans.route != "support"
    ans = svc.ask("国家级绿色工厂能拿多少奖励？", doc=doc)
    assert ans.route == "support" and "30万元" in ans.answer and _quoted(ans)


def test_one_attribute_asked_that_no_listed_condition_names(svc):
    from answer.support import _names_asked

    # 专项申报条件 （二）2.高端展会应为2021年1月1日以后的项目 is not among the item conditions listed (the item's conditions
    # are the 基础申报条件): the ordinary routes answer, and find it.
    ans = svc.ask("高端展会项目对举办时间有什么要求？", doc=_in(svc, "绿色低碳产业扶持计划"))
    assert ans.route != "support" and "2021年1月1日" in ans.answer and _quoted(ans)
    assert _names_asked("企业对办公场所有什么要求？", []) is False
    assert _names_asked("需要满足什么条件？", []) is True  # no attribute named: the conditions as they are


def test_whether_the_asker_may_still_apply_is_answered_by_the_conditions(svc):
    from answer.support_conditions import asks_who_may_apply

    # 122 第二条 (一) 一年内未受生态环境保护行政主管部门行政处罚…
    ans = svc.ask("我们厂三个月前被生态环境部门行政处罚了，还能申请黄埔区绿色低碳发展办法的补贴吗？", doc=_in(svc, "黄埔"))
    assert ans.route == "support" and "一年内" in ans.answer and _quoted(ans)
    assert asks_who_may_apply("我们还能申报吗？") and asks_who_may_apply("这种情况能不能申请这项补助？")
    assert not asks_who_may_apply("能享受免征增值税吗？")  # a relief claimed: answered by the item and what it grants


def test_one_field_asked_of_two_things_answers_each(svc):
    # 122 第六条（三）1.: 交流充电桩 60元/千瓦 in (1), 换电设施 2000元/千瓦 in (2) — two items, one for each thing asked.
    ans = svc.ask("黄埔区建交流充电桩和换电设施，各是按什么标准补贴的？", doc=_in(svc, "黄埔"))
    assert ans.route == "support" and "60元/千瓦" in ans.answer and "2000元/千瓦" in ans.answer and _quoted(ans)
