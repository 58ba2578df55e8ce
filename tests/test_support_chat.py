"""Support questions in the chat are answered from the stored support items, every figure quoted."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, service_of



@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "sup", [corpus_dc_file(n) for n in ("117", "309")])


def _quoted(ans) -> bool:
    return all(c.quote in c.unit_text for c in ans.citations)


def test_amount_of_a_named_project(svc):
    ans = svc.ask("繁昌区节能降碳若干支持措施里，能源管控中心项目最高补助多少？")
    assert ans.route == "support" and not ans.refused
    assert "20%" in ans.answer and "200万元" in ans.answer and _quoted(ans)


def test_deadline_and_conditions_from_the_notice(svc):
    ans = svc.ask("深圳绿色低碳产业扶持计划申报什么时候截止？")
    assert ans.route == "support" and "2022年7月24日" in ans.answer and _quoted(ans)
    ans = svc.ask("深圳绿色低碳产业扶持计划需要满足什么条件？")
    assert ans.route == "support" and "依法登记注册" in ans.answer and _quoted(ans)


def test_most_one_can_get(svc):
    ans = svc.ask("深圳2023年绿色低碳产业扶持计划最多能拿多少？")
    assert ans.route == "support" and "1000万元" in ans.answer


def test_other_questions_take_the_ordinary_routes(svc):
    assert svc.ask("繁昌区由哪个部门负责节能降碳工作？").route != "support"


def test_items_nearly_as_good_in_one_document_are_listed_together(svc):
    # 117 三、2.: 区内绿电 0.04元/度 and 区外绿电 0.03元/度 are two items of one clause; a question about both gets both.
    ans = svc.ask("繁昌区企业用区内绿电、区外绿电的补贴标准分别是多少？")
    assert ans.route == "support" and "0.04元/度" in ans.answer and "0.03元/度" in ans.answer and _quoted(ans)


def test_window_question_matches_the_window_sentence(svc):
    # The 网上填报 of the question is in the window's sentence (309 网络填报受理时间), not in the item's own.
    ans = svc.ask("深圳绿色低碳产业扶持计划网上填报是哪几天？")
    assert ans.route == "support" and "2022年7月4日" in ans.answer and "2022年7月24日" in ans.answer


@pytest.fixture(scope="module")
def tax(tmp_path_factory):
    # 329 支持绿色发展税费优惠政策指引 (entries 【享受主体】【优惠内容】【享受条件】) and 122 黄埔区 (第二条【适用范围】 conditions).
    yield from service_of(tmp_path_factory, "tax", [corpus_dc_file(n) for n in ("329", "122")])


def _in(s, title_word):
    return next(d.doc_id for d in s.catalog.documents.values() if title_word in d.title)


def test_tax_relief_terms_period_and_claim_conditions(tax):
    doc = _in(tax, "税费")
    # what a relief is worth, with the rest of its 优惠内容 (carrying the credit over)
    ans = tax.ask("买节能节水专用设备，企业所得税能抵免多少？", doc=doc)
    assert ans.route == "support" and "10%" in ans.answer and "5个纳税年度" in ans.answer and _quoted(ans)
    # how long it runs, asked with its figure: both fields answered
    ans = tax.ask("页岩气的资源税减征多少？执行到哪天？", doc=doc)
    assert ans.route == "support" and "30%" in ans.answer and "2023年12月31日" in ans.answer and _quoted(ans)
    # whether a case may claim it: the entry's 享受条件 (the regions it applies in)
    ans = tax.ask("山东的供热企业能享受供热厂房免征房产税吗？", doc=doc)
    assert ans.route == "support" and "山东省" in ans.answer and _quoted(ans)


def test_how_much_a_tax_is_relieved_asked_plainly_answers_each_case(tax):
    # 能减多少 asks a relief's amount (answer.intents.ABOUT_SUPPORT); 329 26. states two cases, tiers of one item, and
    # both are answered (the ordinary route quoted the first case's 减按百分之七十五 only)
    from answer.support import support_intent

    assert support_intent("环境保护税能减多少？") == "amount"
    ans = tax.ask("排放浓度低于标准百分之五十的，环境保护税能减多少？", doc=_in(tax, "税费"))
    assert ans.route == "support" and "减按百分之五十" in ans.answer and "减按百分之七十五" in ans.answer and _quoted(ans)


def test_conditions_an_article_heading_names(tax):
    # 122 第二条【适用范围】…同时符合以下条件的企业或机构： its (一)…(四) are every item's conditions.
    ans = tax.ask("在黄埔区申请绿色工厂补贴，企业要满足哪些条件？", doc=_in(tax, "黄埔"))
    assert ans.route == "support" and "行政处罚" in ans.answer and _quoted(ans)


def test_conditions_asked_keeps_the_lead_with_its_line():
    from answer.support import _conditions_asked

    conds = [f"{i}.条件{i}。" for i in range(1, 8)] + ["8.申请前6个月不得发生下列情形：", "①受到行政处罚。"]
    picked = _conditions_asked(conds, {"行政", "政处", "处罚"})
    assert picked[-2:] == ["8.申请前6个月不得发生下列情形：", "①受到行政处罚。"] and len(picked) <= 7
    assert _conditions_asked(conds[:3], {"处罚"}) == conds[:3]



def test_conditions_of_the_kind_of_project_asked(svc):
    # 309 五、专项申报条件 lists each kind of project's conditions under its own heading: (一)产业链关键环节提升项目 1.–3.,
    # (二)服务体系项目 1.–2.; the question names the first, so the second's are left out.
    ans = svc.ask("申报深圳产业链关键环节提升项目需要满足什么条件？")
    assert ans.route == "support" and _quoted(ans)
    assert "高新技术企业认证" in ans.answer and "2022年5月31日" in ans.answer and "高端展会" not in ans.answer


def test_who_may_apply_to_the_policy_is_its_own_conditions_section(svc):
    # 117 一、支持对象 states who may apply to every measure once; the answer is that section, not one item's clause.
    ans = svc.ask("什么样的企业可以申请繁昌区节能降碳扶持资金？")
    assert ans.route == "support" and _quoted(ans)
    assert "无重大违法违纪记录" in ans.answer and "本行政区域内" in ans.answer


def test_which_questions_ask_the_conditions_as_a_whole():
    from answer.support_conditions import asks_who_may_apply

    assert asks_who_may_apply("申报江苏重大科技成果转化项目的企业需要满足哪些条件？")
    assert asks_who_may_apply("哪些企业可以申请高端展会项目资助？") and asks_who_may_apply("申报主体是谁？")
    # one condition asked: the ordinary support answer finds the sentence that states it
    assert not asks_who_may_apply("产业链关键环节提升项目对项目建设时间有什么要求？")


def test_the_scope_model_keeps_a_named_guides_item_from_another_documents(svc):
    from answer.compose import Composer
    from answer.support import answer_support

    docs = sorted(svc.catalog.documents.values(), key=lambda d: d.title)
    items = [(d, it) for d in docs for it in d.support_items]
    cite = Composer(svc.catalog).cite
    shenzhen, fanchang = _in(svc, "绿色低碳产业扶持计划"), _in(svc, "繁昌")
    # 能源管控中心 is an item of 117 (繁昌), not of the 深圳 guide (309) the question names
    q = "深圳绿色低碳产业扶持计划里，能源管控中心项目最高补助多少？"
    assert {c.doc_id for c in answer_support(q, "amount", items, cite).citations} == {fanchang}  # the whole library
    # the scope model's own decision for the question: 深圳 alone
    assert svc._scope(q, None, svc.catalog) == [shenzhen]


def test_a_floor_asked_is_the_condition_that_sets_it(tax):
    # 329 9.合同能源管理 所得税: its 享受条件 (1) 注册资金不低于100万元 — a threshold the applicant must reach, asked with 至少.
    ans = tax.ask("合同能源管理项目的节能服务公司注册资金至少要多少，才能享受企业所得税优惠？", doc=_in(tax, "税费"))
    assert ans.route == "support" and "注册资金不低于100万元" in ans.answer and _quoted(ans)
    from answer.support import _floor_asked

    assert _floor_asked("最多能拿多少？") == set() and _floor_asked("营业收入最低是多少") == {"营业", "业收", "收入"}


def test_conditions_asked_weigh_the_words_that_tell_them_apart():
    # the item's own words (即征即退) are in most conditions and tell none apart; the case asked (前几个月…处罚) names one
    from answer.support import _conditions_asked
    from answer.support_common import topic

    conds = [f"{i}.申请即征即退的资源综合利用产品第{i}项条件。" for i in range(1, 8)] + [
        "8.申请退税前6个月不得发生下列情形：", "①受到行政处罚。"]
    picked = _conditions_asked(conds, topic("资源综合利用即征即退，申请前几个月受到处罚还能享受吗？", []))
    assert "8.申请退税前6个月不得发生下列情形：" in picked and "①受到行政处罚。" in picked and len(picked) <= 7


def test_a_case_asked_of_a_relief_with_many_conditions_gets_the_one_about_it(tax):
    # 329 资源综合利用 即征即退 has 20 conditions; (7) 前6个月…不得发生 ① …单次10万元以下罚款除外 is the one about a fine
    ans = tax.ask("我们申请资源综合利用增值税即征即退，退税前几个月被罚过款，还能享受吗？", doc=_in(tax, "税费"))
    assert ans.route == "support" and "6个月" in ans.answer and "10万元以下" in ans.answer and _quoted(ans)
