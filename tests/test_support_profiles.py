"""The profile scorer (eval/support_profiles.py) on one real gold profile: 117 繁昌区 ingested into a scratch home,
the page's support_for for a 繁昌 enterprise planning rooftop photovoltaics, aligned to the blind gold."""
from __future__ import annotations

import json

from eval.support_profiles import GOLD, align, labels_agree, load_gold, run


def test_labels_and_alignment_rules():
    assert labels_agree("三、（二）1.", "附件1 三、 （二）1.") and labels_agree("8．", "8.")
    assert not labels_agree("四、1.", "四、 2.")
    gold = [{"where": "四、2.", "hint": "辖区内企业使用区内绿电的"}, {"where": "四、2.", "hint": "利用自有厂房建设分布式光伏发电"}]
    items = [{"label": "四、 2.", "quote": "对企业利用自有厂房建设分布式光伏发电且自发自用的，给予0.05元/度的补贴"},
             {"label": "四、 2.", "quote": "辖区内企业使用区内绿电的，按照使用量给予0.04元/度的补贴"}]
    assert align(gold, items) == {0: 1, 1: 0}


def test_scorer_on_a_real_gold_profile(tmp_path):
    rows = load_gold(GOLD)
    assert len(rows) == 12 and {r["file"].split("、")[0] for r in rows} >= {"117", "309", "343"}
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(next(r for r in rows if r["id"] == "117-p1"), ensure_ascii=False), encoding="utf-8")
    res = run(one)
    (r,) = res["profiles"]
    # The one applicable item (0.05元/度 for rooftop photovoltaics on the firm's own plant) is found and presented.
    assert (r["applicable"], r["aligned"], r["found"]) == (1, 1, 1)
    # Every gold condition of it is read against the system's conditions (verdict pairs counted).
    assert sum(r["confusion"].values()) == 6 and res["total"]["conditions"]["aligned"] >= 4
    # The seven items that do not apply are all judged.
    assert r["shown_judged"] == r["shown"] and r["shown"] >= 1
