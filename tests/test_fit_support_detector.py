"""The fitted support-item detector's measurement (eval/fit_support_detector.py, docs/support.md "A fitted detector"):
its candidates on a real dev support document cover what the rule extractor makes items of, and its features read
what the field parsers read."""
from __future__ import annotations

from tests.conftest import corpus_dc_file, parsed_document

from eval.fit_support_detector import candidates, parser_features, rule_features, scores, sentence_candidates


def _doc117():
    return parsed_document(corpus_dc_file("117"))  # 117 繁昌区节能降碳若干支持措施, a dev row of the support gold


def test_figured_candidates_cover_the_rule_items():
    doc = _doc117()
    rows = candidates(doc.units())
    quotes = {r["s"].strip() for r in rows}
    items = [it for it in doc.support_items if it.amount or it.rate or it.cap or it.tiers]
    assert items
    # every figured item the rules make from a sentence is a candidate of the detector (the gate is what differs)
    assert all(it.quote.strip() in quotes for it in items)
    # every candidate states a figure the field parsers read: a plain sum, a ceiling or a rate
    assert all(any(parser_features(r)[:3]) for r in rows)
    per_kwh = next(r for r in rows if "0.05元/度" in r["s"])
    assert per_kwh["rates"] >= 1 and rule_features(per_kwh)[1] == 1.0  # 补贴, the second of the five kinds


def test_every_sentence_candidates_include_the_figureless():
    doc = _doc117()
    wide = sentence_candidates(doc.units())
    assert len(wide) > len(candidates(doc.units()))
    assert any(r["plain"] + r["caps"] + r["rates"] == 0 for r in wide)
    assert all(len(rule_features(r)) == 13 for r in wide)  # nine of the figured reading, four of the sentence's


def test_scores_count_out_of_document_decisions():
    rows = [{"y": 1}, {"y": 1}, {"y": 0}, {"y": 0}]
    s = scores(rows, [0.9, 0.4, 0.6, 0.1])
    assert (s["tp"], s["fp"], s["pos"]) == (1, 1, 2)
    assert s["recall"] == 0.5 and s["precision"] == 0.5
    assert 0 < s["brier"] < 1
