"""The support-extraction scorer (eval/support_gold.py): pure matching on hand-made items, and the gold file's
format."""
from __future__ import annotations

from eval.support_gold import GOLD, gold_figures, gold_kind, load_gold, pred_figures, score_document


def _pred(amount=None, rate=None, cap=None, tiers=(), window=None, kind="补贴", quote="q"):
    return {"kind": kind, "quote": quote, "amount": amount and {"text": f"{amount}万元", "wan": amount},
            "rate": rate, "cap": cap and {"text": f"{cap}万元", "wan": cap}, "tiers": list(tiers), "window": window}


def test_figures_match_across_fields_and_tiers():
    g = {"kind": "补贴", "rate": "20%", "cap_wan": 200}
    p = _pred(rate={"text": "20%", "value": 20.0, "unit": "%"}, cap=200)
    assert gold_figures(g) == pred_figures(p) == frozenset({"R:20%", "C:200"})
    g = {"kind": "补贴", "tiers": [{"tier": "甲", "amount_wan": 20}, {"tier": "乙", "amount_wan": 10}]}
    p = _pred(tiers=[{"tier": "甲", "amount": "20万元", "wan": 20.0}, {"tier": "乙", "amount": "10万元", "wan": 10.0}])
    assert gold_figures(g) == pred_figures(p)
    g = {"kind": "补贴", "tiers": [{"tier": "x", "rate": "0.15元/千瓦时"}]}
    assert gold_figures(g) == pred_figures(_pred(tiers=[{"tier": "x", "rate": "0.15元/千瓦时"}]))
    # A share is compared by its value: a gold 1/3 is the extracted 三分之一 (33.33%), 30% the same as 30.0%.
    p = _pred(rate={"text": "三分之一", "value": 33.33, "unit": "%"})
    assert gold_figures({"kind": "补贴", "rate": "1/3"}) == pred_figures(p) == frozenset({"R:33.3%"})
    assert gold_figures({"kind": "补贴", "rate": "30%"}) == pred_figures(_pred(rate={"text": "30.0%", "value": 30.0,
                                                                                      "unit": "%"}))


def test_precision_recall_and_windows():
    gold = [{"kind": "补贴", "amount_wan": 100, "window": {"start": "2022-07-04", "end": "2022-07-24"}},
            {"kind": "奖励", "cap_wan": 50},
            {"kind": "资助", "window": {"start": None, "end": "2022-03-04"}}]
    pred = [_pred(amount=100, window={"start_iso": "2022-07-04", "end_iso": "2022-07-24"}),
            _pred(cap=30, kind="奖励"),
            _pred(kind="资助", window={"start_iso": None, "end_iso": "2022-03-04"}),
            _pred(amount=5)]
    s = score_document(gold, pred)
    assert (s["items"]["tp"], s["items"]["precision"], s["items"]["recall"]) == (2, 0.5, 0.667)
    assert (s["window"]["correct"], s["window"]["pred"], s["window"]["gold"]) == (2, 2, 2)
    assert (s["cap"]["tp"], s["amount"]["tp"], s["amount"]["pred"]) == (0, 1, 2)
    assert s["kind"] == {"correct": 2, "matched": 2}
    assert (gold_kind("奖补"), gold_kind("补助"), gold_kind("奖励")) == ("奖励", "补贴", "奖励")


def test_gold_file_covers_five_support_documents_with_figures():
    docs = load_gold(GOLD)
    assert len(docs) >= 5 and sum(1 for d in docs if any(gold_figures(it) for it in d["items"])) >= 5
    for d in docs:
        assert d["file"].endswith(".pdf") and d["split"] in ("dev", "heldout")
        for it in d["items"]:
            assert gold_kind(it["kind"]) in ("资助", "补贴", "奖励", "贴息", "减免")
            # an item states a figure, a window, or (support named without a sum, dev3 gold) the phrase it is in
            assert gold_figures(it) or it.get("window") or it.get("hint")
    # A document without support (342 入库指南) is in the gold too: whatever is extracted from it is spurious.
    assert any(not d["items"] for d in docs if d["split"] == "dev")
