"""Every evaluation metric on hand-made cases."""
import pytest

from eval.figures import extract_numbers, number_in_text, unsupported_numbers
from eval.metrics import (
    ItemScore,
    TestItem,
    aggregate,
    citation_validity,
    contains_all,
    false_refusal_rate,
    gate,
    hit_at_k,
    missing_terms,
    normalize,
    percentile,
    quote_valid,
    recall_at_k,
    reciprocal_rank,
    refusal_accuracy,
    score_item,
)


def test_normalize_nfkc_and_whitespace():
    assert normalize("２０３０ 年\n达到　１０％") == "2030年达到10%"
    assert normalize("") == ""


def test_contains_all_with_alternatives_and_normalisation():
    answer = "到2030年，可再生能源装机达到1000 万千瓦，共二十二项举措。"
    assert contains_all(answer, ["1000万千瓦", "22|二十二"])
    assert contains_all(answer, [])
    assert not contains_all(answer, ["1000万千瓦", "市发改委"])
    assert missing_terms(answer, ["市发改委", "２０３０年", "x|y", ""]) == ["市发改委", "x|y"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("到2030年，可再生能源装机达到1000万千瓦以上。", ["2030年", "1000万千瓦"]),
        ("单位GDP能耗下降9.5％，非化石能源比重25%左右", ["9.5%", "25%"]),
        ("到2025年底培育绿色人才2万人", ["2025年", "2万人"]),
        ("建成100 万平方米近零能耗建筑", ["100万平方米"]),
        ("年发电30亿千瓦时，电价0.5元/千瓦时", ["30亿千瓦时", "0.5元/千瓦时"]),
        ("新增1,000个充电桩", ["1000个"]),
        ("2021—2025年", ["2021", "2025年"]),
        # citation markers, list numbering, item numbers and ordinals are not figures
        ("装机达到1000万千瓦[1]，见【2】和［3］。", ["1000万千瓦"]),
        ("1. 市发改委牵头\n2、市工信局\n 3) 市财政局", []),
        ("（1）推进光伏；(2)推进风电；第5条举措", []),
        ("见（七）②：减按15%的税率征收", ["15%"]),
        ("统一规划，一体化推进，二十二项", []),
    ],
)
def test_extract_numbers(text, expected):
    assert extract_numbers(text) == expected


def test_number_in_text_respects_figure_boundaries():
    assert number_in_text("2030年", "到2030 年，")
    assert number_in_text("1000万千瓦", "1,000万千瓦以上")
    assert not number_in_text("10%", "提高到110%")
    assert not number_in_text("9", "下降9.5%")
    assert not number_in_text("5", "15个")
    assert number_in_text("5", "5G基站")


def test_unsupported_numbers():
    quotes = ["到2030年，全市可再生能源装机达到1000万千瓦。"]
    assert unsupported_numbers("到2030年装机达到1000万千瓦[1]。", quotes) == []
    assert unsupported_numbers("到2035年装机达到1000万千瓦，2035年再议", quotes) == ["2035年"]
    assert unsupported_numbers("没有数字", []) == []


def test_retrieval_metrics():
    ranked = [7, None, 5, 3]
    assert hit_at_k(ranked, {5}, 1) is False
    assert hit_at_k(ranked, {5}, 3) is True
    assert hit_at_k(ranked, {9}, 3) is False
    assert recall_at_k(ranked, {5, 3}, 3) == 0.5
    assert recall_at_k(ranked, {5, 3}, 4) == 1.0
    assert reciprocal_rank(ranked, {5}) == pytest.approx(1 / 3)
    assert reciprocal_rank(ranked, {9}) == 0.0
    assert hit_at_k([], {1}, 3) is False


def test_item_without_gold_is_not_scored_for_retrieval():
    assert hit_at_k([1, 2], [], 3) is None
    assert recall_at_k([1, 2], [], 3) is None
    assert reciprocal_rank([1, 2], []) is None


def test_citation_validity():
    text = "（五）推进可再生能源。到2030年，装机达到1000万千瓦。"
    assert quote_valid("到2030年，装机达到1000万千瓦。", text)
    assert not quote_valid("到2030年装机达到1000万千瓦", text)  # exact substring, not normalised
    assert not quote_valid("", text)
    assert not quote_valid("推进", None)  # unit unknown
    assert citation_validity([("推进", text), ("不存在", text), ("推进", None), ("可再生", text)]) == 0.5
    assert citation_validity([]) is None


def test_refusal_metrics():
    answerable = [True, True, False, False, False]
    refused = [False, True, True, True, False]
    assert refusal_accuracy(answerable, refused) == pytest.approx(2 / 3)
    assert false_refusal_rate(answerable, refused) == 0.5
    assert refusal_accuracy([True], [False]) is None
    assert false_refusal_rate([False], [True]) is None


def test_percentile():
    assert percentile([], 50) is None
    assert percentile([5.0], 95) == 5.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(range(1, 101), 95) == pytest.approx(95.05)
    assert percentile([3, 1, 2], 0) == 1 and percentile([3, 1, 2], 100) == 3


def _item(id, type="target", gold=(5,), must=(), answerable=True):
    return TestItem(id=id, question="q", type=type, gold_measures=tuple(gold), must_contain=tuple(must),
                    answerable=answerable, doc=None)


UNIT = "到2030年，全市可再生能源装机达到1000万千瓦。"


def test_score_item_answerable():
    s = score_item(_item("a", must=("1000万千瓦",)), answer="到2030年装机达到1000万千瓦。", refused=False,
                   ranked=[2, 5], cited=[5], quotes=[(UNIT[:9], UNIT)], latency_ms=12.0)
    assert s.correct and s.missing == []
    assert (s.hit_at_1, s.hit_at_3, s.rr, s.cited_gold) == (False, True, 0.5, True)
    assert (s.citations, s.valid_citations) == (1, 1)
    assert s.numbers == ["2030年", "1000万千瓦"] and s.unsupported == ["1000万千瓦"]  # quote stops at 2030年
    assert s.failed and "unsupported figures: 1000万千瓦" in s.reasons()


def test_score_item_refusals():
    unanswerable = _item("u", type="unanswerable", gold=(), answerable=False)
    s = score_item(unanswerable, answer="文件未提及2035年的目标。", refused=True, ranked=[1], cited=[],
                   quotes=[], latency_ms=1.0, question="2035年充电桩目标是多少？")
    assert s.correct and s.hit_at_3 is None and s.unsupported == []  # the year repeats the question
    assert not s.failed
    s = score_item(unanswerable, answer="目标是500个。", refused=False, ranked=[], cited=[], quotes=[],
                   latency_ms=1.0)
    assert not s.correct and s.reasons()[0] == "not refused"
    s = score_item(_item("f", must=("x",)), answer="文件未提及。", refused=True, ranked=[5], cited=[],
                   quotes=[], latency_ms=1.0)
    assert not s.correct and s.reasons() == ["falsely refused"]


def _score(id, type, *, answerable=True, refused=False, correct=True, hit=True, cites=(1, 1),
           numbers=(), unsupported=(), latency=10.0):
    return ItemScore(id=id, type=type, answerable=answerable, refused=refused, correct=correct, missing=[],
                     hit_at_1=hit, hit_at_3=hit, hit_at_5=hit, recall_at_3=None if hit is None else float(hit),
                     rr=None if hit is None else float(hit), cited_gold=hit, citations=cites[0],
                     valid_citations=cites[1], numbers=list(numbers), unsupported=list(unsupported),
                     latency_ms=latency)


def test_aggregate_overall_and_per_type():
    scores = [
        _score("1", "target", numbers=["2030年"], latency=10),
        _score("2", "target", correct=False, hit=False, cites=(2, 1), numbers=["5%"], unsupported=["5%"],
               latency=20),
        _score("3", "unanswerable", answerable=False, refused=True, hit=None, cites=(0, 0), latency=30),
        _score("4", "unanswerable", answerable=False, refused=False, correct=False, hit=None, cites=(0, 0),
               latency=40),
    ]
    m = aggregate(scores)
    assert (m.n, m.n_answerable, m.n_unanswerable, m.n_retrieval) == (4, 2, 2, 2)
    assert m.accuracy == 0.5 and m.answer_accuracy == 0.5
    assert m.refusal_accuracy == 0.5 and m.false_refusal_rate == 0.0
    assert m.hit_at_3 == 0.5  # the two unanswerable items are outside the denominator
    assert m.citation_validity == pytest.approx(2 / 3)
    assert m.numeric_faithfulness == 0.5
    assert m.latency_p50_ms == 25.0
    assert list(m.per_type) == ["target", "unanswerable"]
    t, u = m.per_type["target"], m.per_type["unanswerable"]
    assert t.hit_at_3 == 0.5 and t.refusal_accuracy is None
    assert u.hit_at_3 is None and u.answer_accuracy is None and u.refusal_accuracy == 0.5
    assert u.citation_validity is None and u.per_type == {}
    assert m.as_dict()["per_type"]["target"]["n"] == 2


def test_gate_names_each_metric_below_threshold():
    m = aggregate([_score("1", "t"), _score("2", "t", hit=False, correct=False)])
    assert gate(m, {"hit_at_3": 0.5, "answer_accuracy": 0.5}) == []
    failures = gate(m, {"hit_at_3": 0.95, "answer_accuracy": 0.9, "refusal_accuracy": 0.9},
                    {"latency_p95_ms": 5})
    assert [f.split(":")[0] for f in failures] == ["hit_at_3", "answer_accuracy", "refusal_accuracy",
                                                   "latency_p95_ms"]
    assert "not measured" in failures[2]


def test_numbers_of_table_cells_stay_apart_and_title_years_are_cited():
    from eval.metrics import TestItem, score_item

    quote = "全社会用电量（亿千瓦时）874.6 1100 4.7%预期性"
    item = TestItem(id="t", question="q", type="target", gold_measures=(), must_contain=(), answerable=True)
    s = score_item(item, answer=f"根据《天津市2022年电力规划》：{quote}[1]", refused=False, ranked=[], cited=[],
                   quotes=[(quote, quote)], latency_ms=1.0, titles=["天津市2022年电力规划"])
    assert s.unsupported == []
