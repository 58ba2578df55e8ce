"""Conditions the planned project decides (knowledge/project_fit.py): sizes, dates and the project restating the
condition, on the conditions as the real 117 and 309 PDFs state them (read from ../shared/corpus-dc), and the cases
where the project must tell nothing."""
from __future__ import annotations

import pytest

from eval.support_gold import CORPUS_DC, extract_file
from knowledge.eligibility import MET, NOT_MET, UNKNOWN, Profile, assess_parts
from knowledge.project_fit import project_verdict

PV = "对企业利用自有厂房建设分布式光伏发电（500千瓦或8000平米以上）且自发自用的"
BUILT = "3.项目应为2020年1月1日后开始建设，并于2022年5月31日前建设完成。"


def _status(condition: str, project: str) -> str:
    v = project_verdict(condition, project)
    return v[0] if v else UNKNOWN


def test_a_size_the_condition_sets_against_the_projects_size():
    assert _status(PV, "利用自有厂房屋顶建设1.2兆瓦分布式光伏，自发自用") == MET  # 1.2兆瓦 ≥ 500千瓦
    # Both alternatives stated too small: not met; one of two unknown (the area): nothing said.
    assert _status(PV, "利用自有厂房屋顶建设300千瓦分布式光伏，占地5000平方米，自发自用") == NOT_MET
    assert _status(PV, "利用自有厂房屋顶建设300千瓦分布式光伏，自发自用") == UNKNOWN
    # A size met says nothing of the rest of a condition the project does not restate.
    assert _status(PV, "屋顶光伏500千瓦，2023年建成") == UNKNOWN


def test_a_sum_is_compared_only_for_the_same_thing():
    assert _status("（1）具有独立法人资格，注册资金不低于100万元", "电机能效改造，总投资800万元") == UNKNOWN
    assert _status("项目总投资不低于500万元", "节能改造项目，总投资800万元") == MET
    assert _status("项目总投资不低于500万元", "节能改造项目，总投资300万元") == NOT_MET


def test_dates_that_bound_the_project_against_its_own_dates_in_order():
    assert _status(BUILT, "先进储能电池产线技术提升，已产业化，2021年开工、2022年4月建成") == MET
    assert _status(BUILT, "储能电池产线，2019年开工、2022年4月建成") == NOT_MET
    assert _status(BUILT, "储能电池产线，2021年开工、2022年建成") == UNKNOWN  # 2022 may be after 5月31日
    assert _status(BUILT, "储能电池产线，2021年开工") == UNKNOWN  # two bounds, one date: no pairing
    # Another thing's date (a first revenue, an edition of a catalogue) or another project's bound is no bound.
    assert _status("若2020年12月31日前已取得第一笔生产经营收入，可在剩余期限享受政策优惠", "2021年建成光伏项目") == UNKNOWN
    assert _status("1.公共服务项目应为2020年1月1日后开始建设", "储能电池产线，2021年开工") == UNKNOWN


def test_words_alone_mark_met_never_not_met():
    assert _status("分布式光伏发电自发自用电量", "利用自有厂房屋顶建设1.2兆瓦分布式光伏，自发自用") == MET
    assert _status("具有健全的财务管理机构和财务管理制度", "利用自有厂房屋顶建设1.2兆瓦分布式光伏，自发自用") == UNKNOWN
    assert project_verdict(PV, "") is None


@pytest.fixture(scope="module")
def items_117_309():
    out = {}
    for name in ("117、繁昌区节能降碳若干支持措施.pdf", "309、深圳市关于发布2023年绿色低碳产业扶持计划申请指南的通知.pdf"):
        out[name[:3]] = extract_file(CORPUS_DC / name)
    return out


def test_the_real_documents_conditions_marked_from_the_profiles_project(items_117_309):
    """117-p1 and 309-p1 of the blind profile gold (eval/testsets/support_profiles.jsonl) mark these met."""
    pv = next(it for it in items_117_309["117"] if (it.get("rate") or {}).get("text", "").startswith("0.05"))
    texts = [c["text"] for c in pv["conditions"] + pv["applicants"]]
    roof = Profile(place="繁昌区", project="利用自有厂房屋顶建设1.2兆瓦分布式光伏，自发自用")
    marked = {t: a.status for c in texts for t, a in assess_parts(c, roof, "芜湖市繁昌区")}
    assert any("500千瓦" in t and s == MET for t, s in marked.items()), marked
    conds = {c["text"] for it in items_117_309["309"] for c in it["conditions"]}
    built = next(c for c in conds if "2020年1月1日后开始建设" in c and not c.lstrip("0123456789.").startswith("公共"))
    line = Profile(place="深圳市宝安区", project="先进储能电池产线技术提升，已产业化，2021年开工、2022年4月建成")
    assert [a.status for _, a in assess_parts(built, line, "深圳市")] == [MET]


def test_separate_bounds_all_hold_alternatives_either():
    cond = "装机容量500千瓦以上，项目总投资不低于1000万元"
    assert _status(cond, "光伏项目装机容量800千瓦，项目总投资1200万元") == MET
    assert _status(cond, "光伏项目装机容量800千瓦，项目总投资600万元") == NOT_MET
    assert _status(cond, "光伏项目装机容量800千瓦") == UNKNOWN  # the investment not stated
