"""eval.adjacent on a real unit: the wrong answer §14 lists for b17 205-08 (a penalty asked; the answer quotes 限制用能,
the sentence before it in the unit states 淘汰) is made right by that sentence and by no other."""
from tests.conftest import corpus_dc_file, parsed_document

from eval.adjacent import RULES, adjacent, fixing, rule_effect


def _unit_with(doc, phrase):
    return next(m for m in doc.units() if phrase in m.text)


def test_the_sentence_before_the_quote_completes_the_answer_on_a_real_unit():
    doc = parsed_document(corpus_dc_file("205"))
    m = _unit_with(doc, "限制用能")
    quote = next(s for s in m.text.split("。") if "限制用能" in s) + "。"
    quote = quote.strip()
    sides = {n["side"]: n["sentence"] for n in adjacent(m.text, quote)}
    assert "淘汰" in sides["prev"] and "限制用能" not in sides["prev"]
    answer = f"根据《{doc.title}》：{quote}[1]"
    found = fixing(answer, ["淘汰", "限制用能"], m.text, quote)
    assert [n["side"] for n in found] == ["prev"]
    # an answer already right is never "fixed"; a quote that is no sentence of the unit has no neighbours
    assert fixing(answer, ["限制用能"], m.text, quote) == []
    assert adjacent(m.text, "这句话不在文件中。") == []


def test_rule_effect_counts_what_each_answer_becomes():
    recs = [{"right": True, "answerable": True, "adjacent": [{"side": "next", "sentence": "其中，甲。", "quoted": "乙。",
                                                            "fixes": False}]},
            {"right": False, "answerable": True, "adjacent": [{"side": "next", "sentence": "同时，丙。", "quoted": "丁。",
                                                             "fixes": True}]},
            {"right": False, "answerable": False, "adjacent": [{"side": "prev", "sentence": "戊。", "quoted": "己。",
                                                              "fixes": False}]}]
    assert rule_effect(recs, RULES["continuation opening"]) == {"changed": 2, "fixed": 1, "right": 1, "wrong": 0,
                                                               "unanswerable": 0}
