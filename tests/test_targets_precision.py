"""Figures that are not targets, found in a hand-judged sample of extracted targets (docs/targets-precision-sample.jsonl),
and the sample's scorer; extraction scored against the dev targets gold (eval/testsets/targets_gold.jsonl) and that
scorer's reading of units. Sentences are quoted from corpus-dc documents in no gold list (the number says which)."""
from __future__ import annotations

import json

import pytest

from knowledge.targets import targets_in
from tests.conftest import CORPUS_DC, ROOT, corpus_dc_file, parsed_document


def _found(sentence, year=None, base_year=2021, default=2025):
    return [(t.year, t.value, t.unit) for t in targets_in(sentence, year, base_year, default)]


@pytest.mark.parametrize("sentence,base_year,default", [
    # 191: the rating class of compressors (…级), each rating of the list with its figure
    ("实现45兆帕／1000公斤、90兆帕／500公斤级压缩机应用。", 2021, 2025),
    # 218, 407: an allocation scheme sets and divides a trading quota; 配额履约缺口上限 is a compliance rule
    ("确定我市2021年度碳排放配额总量为0.75亿吨，其中政府预留配额比例为6%。", 2021, 2021),
    ("政府预留指标数量为履约年度用能权指标总量的10%。", 2020, 2020),
    ("在配额清缴工作中设定配额履约缺口上限，其值为纳入企业2021年度履约排放量的20%。", 2021, 2021),
    # 425: the members a trading pilot already has
    ("加强碳排放权交易政策解读和宣贯，指导纳入碳排放权交易试点的2家火电厂从管理、调度、技术等方面协同发力。", 2021, 2025),
])
def test_figures_that_are_not_targets(sentence, base_year, default):
    assert _found(sentence, base_year=base_year, default=default) == []


@pytest.mark.parametrize("sentence,expected", [
    # 151: an administrative level after a list's separator is no rating class
    ("“十四五”期间，全省新建国家森林城市3个、省级森林城市13个。", [(2025, "3", "个"), (2025, "13", "个")]),
    # 417: 一级/二级 name classes of the facilities counted, the counts stay goals
    ("新建县级生活垃圾分拣中心9座，一级环卫综合体11处、二级环卫综合体4处。", [(2025, "9", "座"), (2025, "11", "处"), (2025, "4", "处")]),
    # a rate of a trading scheme is a goal it can set
    ("到2025年，重点排放单位配额清缴完成率达到100%。", [(2025, "100", "%")]),
    # a clause that adds members to a scheme states a goal
    ("力争新增纳入国家试点的企业5家。", [(2025, "5", "家")]),
])
def test_counts_near_those_words_stay_targets(sentence, expected):
    assert _found(sentence) == expected


def test_a_bracketed_task_deadline_dates_its_sentence():
    # 73 (a scheme for 2021-2023): the task is due at its own deadline, not at the scheme's end
    s = "哈尔滨、绥化等重点城市完成削减替代燃煤140万吨（责任部门：大气环境处，完成期限：2021年四季度）。"
    assert _found(s, base_year=2020, default=2023) == [(2021, "140", "万吨")]
    # a year the sentence names itself stays its due year
    s = "为2021年全省新增非化石能源装机300万千瓦做好环评审批保障服务（责任处室：环评处，完成期限：2022年四季度）。"
    assert _found(s, base_year=2020, default=2023) == [(2021, "300", "万千瓦")]


def test_an_allocation_scheme_has_no_targets():
    """The whole of a real allocation notice (corpus-dc 218, 天津市2021年度碳排放配额安排): its quota, reserve and
    compliance cap are rules of the scheme."""

    doc = parsed_document(corpus_dc_file("218"))
    assert any("配额总量为0.75亿吨" in u.text for u in doc.units())
    assert [t for u in doc.units() for t in u.targets] == []


def test_the_precision_sample_is_judged_and_kept_apart_from_the_gold():
    rows = [json.loads(line) for line in (ROOT / "docs" / "targets-precision-sample.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) == 150 and len({r["file"] for r in rows}) >= 40
    assert {r["verdict"] for r in rows} == {"target", "not a target"}
    assert all(r["cause"] for r in rows if r["verdict"] != "target") and all(r["quote"] for r in rows)
    # documents judged for the sample and later dealt to a blind gold writer (b17, b18, b19) are scored by the gold, and
    # the sample's scorer leaves them out, so the two never score one document twice; the sample shrinks with each
    # batch dealt from its documents (b18 took 13 of them, b19 six, b20 four: 19 of its 52 documents stay scored)
    from eval.targets import gold_files, sample_rows

    gold = gold_files(ROOT / "eval" / "testsets")
    kept, left = sample_rows(rows, ROOT / "eval" / "testsets")
    assert left and {r["file"] for r in left} & gold  # the sample shares documents with the gold ...
    assert not {r["file"] for r in kept} & gold  # ... and the scorer reads none of them
    assert len(kept) + len(left) == len(rows) and len({r["file"] for r in kept}) >= 19


def test_the_sample_scorer_leaves_out_test_documents():
    """A document judged for the sample that later joined the blind test split is not scored: test documents
    are for reporting, and the sample is a tuning aid. (The test names no test document: the split comes from
    the gold files.)"""
    from eval.targets import test_files

    held = test_files(ROOT / "eval" / "testsets")
    sample = {json.loads(line)["file"] for line in (ROOT / "docs" / "targets-precision-sample.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()}
    assert held and sample & held  # the sample holds a document of the test split, which the scorer leaves out
    assert not any(f.startswith(("5、", "242、")) for f in held)


def test_sample_score_counts_what_the_extractor_still_finds():
    from eval.targets import key, sample_score

    rows = [{"file": "a.pdf", "year": 2025, "value": "3", "unit": "个", "verdict": "target"},
            {"file": "a.pdf", "year": 2025, "value": "10", "unit": "%", "verdict": "not a target"},
            {"file": "b.pdf", "year": 2021, "value": "6", "unit": "%", "verdict": "not a target"}]
    found = {"a.pdf": {key(2025, "3.0", "个"), key(2025, "10", "％")}, "b.pdf": set()}
    s = sample_score(rows, found)
    assert (s["judged"], s["judged_right"], s["still_found"], s["still_found_right"]) == (3, 1, 2, 1)
    assert s["precision_now"] == 0.5 and (s["dropped_right"], s["dropped_wrong"]) == (0, 1)


@pytest.mark.slow
def test_target_extraction_on_the_dev_gold():
    """Precision and recall against targets written from the documents alone (eval/testsets/targets_gold.jsonl)."""
    from eval import targets as T

    gold = {}
    for line in (ROOT / "eval" / "testsets" / "targets_gold.jsonl").read_text(encoding="utf-8").splitlines():
        o = json.loads(line)
        if o["split"] == "dev":
            gold.setdefault(o["file"], set()).add(T.key(o["year"], o["value"], o["unit"]))
    found = {}
    for f in gold:
        doc = parsed_document(CORPUS_DC / f)
        found[f] = {T.key(t.year, t.value, t.unit) for u in doc.units() for t in u.targets}
    s = T.score(gold, found)
    # measured 0.968 / 0.984 on the 18 dev documents (0.935 / 0.915 before this round's rules; 0.884 / 0.857 on the
    # first 12 before issue 9's target rules)
    assert s["precision"] >= 0.91 and s["recall"] >= 0.94


def test_scorer_reads_two_spellings_of_a_unit_as_one():
    from eval import targets as T

    assert T.key(2025, "3600", "万吨标煤") == T.key("2025", "3600.0", "万吨标准煤")
    assert T.key(2025, "30", "％") == T.key(2025, "30", "%")
    assert T.key(2025, "30", "万吨") != T.key(2025, "30", "万吨标准煤")
    gold = {"a.pdf": {T.key(2025, "3600", "万吨标准煤"), T.key(2025, "6100", "万千瓦")}}
    found = {"a.pdf": {T.key(2025, "3600", "万吨标煤"), T.key(2025, "3600", "万吨标准煤"), T.key(2025, "6100", "万千瓦")}}
    assert T.score(gold, found)["precision"] == 1.0
