"""Support questions that name a kind of project by the heading its sums sit under, ask a share, ask one attribute
of the applicant, or ask whether the asker may still apply — on real PDFs of ../shared/corpus-dc."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    # 181 江苏碳达峰碳中和科技创新专项 (附件 一、…五、 kinds of project, each with （二）申报要求 and its ceilings);
    # 122 黄埔区促进绿色低碳发展办法 (第二条【适用范围】 conditions every item shares).
    yield from service_of(tmp_path_factory, "supf", [corpus_dc_file(n) for n in ("181", "122")])


def _in(s, title_word):
    return next(d.doc_id for d in s.catalog.documents.values() if title_word in d.title)


def _quoted(ans) -> bool:
    return all(c.quote in c.unit_text for c in ans.citations)


def test_kind_of_project_named_by_the_heading_its_ceiling_sits_under(svc):
    # 附件 三、农业农村领域重大关键技术攻关项目 / （二）申报要求: 项目省拨经费不超过500万元 — the kind of project is only in the
    # headings of the unit, and 省拨经费 is support as the extraction reads it (no 补贴/资助 in the question).
    doc = _in(svc, "碳达峰碳中和科技创新")
    ans = svc.ask("农业农村领域重大关键技术攻关这类项目，省拨经费最高给多少？", doc=doc)
    assert ans.route == "support" and "500万元" in ans.answer and _quoted(ans)
    assert "3000万元" not in ans.answer  # 附件五's ceiling is another kind of project's
    ans = svc.ask("前沿基础项目每个项目最多资助多少钱？", doc=doc)
    assert ans.route == "support" and "300万元" in ans.answer and "1000万元" not in ans.answer


def test_a_share_asked_is_not_answered_by_a_sum(svc):
    # 企业牵头申报的项目省拨经费不超过项目总预算的50% is no item with a rate; the 500万元 ceiling does not answer a share.
    ans = svc.ask("企业牵头的农业农村领域攻关项目，省拨经费能占总预算的多少？", doc=_in(svc, "碳达峰碳中和科技创新"))
    assert ans.route != "support" and "500万元" not in ans.answer


def test_one_attribute_asked_that_no_listed_condition_names(svc):
    from answer.support import _names_asked

    # 附件六 新型研发机构 须在2016年8月16日之后在我省注册 is not among the item conditions listed: the ordinary routes answer
    ans = svc.ask("重大创新载体建设项目里，对新型研发机构的注册时间有什么要求？", doc=_in(svc, "碳达峰碳中和科技创新"))
    assert ans.route != "support"
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
