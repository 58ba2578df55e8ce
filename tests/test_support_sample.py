"""The judged sample of support sentences on documents nobody tuned for (eval.support_sample, docs/support-sample-r19.jsonl):
the scan finds candidates without the extractor, the sample names no closed document, and the extractor's items on a
sampled document agree with the judgements read there (121 杭州, a real PDF of ../shared/corpus-dc)."""
from __future__ import annotations

import json

from eval.support_sample import candidates, closed_files, closed_numbers, item_of, score
from tests.conftest import ROOT

from .test_support import _doc

SAMPLE = ROOT / "docs" / "support-sample-r19.jsonl"


def _rows() -> list[dict]:
    return [json.loads(x) for x in SAMPLE.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_the_scan_finds_support_sums_and_windows_and_leaves_narrative_out():
    text = ("对平台建设期内的设备投入，给予30%的补助，最高不超过500万元。\n到2025年，环保产业产值达到1000亿元。\n"
            "受理时间：即日起至2022年2月28日。\n坚持系统观念，统筹推进各项工作。")
    found = dict(candidates(text))
    assert found == {"对平台建设期内的设备投入，给予30%的补助，最高不超过500万元。": "support+money",
                     "到2025年，环保产业产值达到1000亿元。": "money", "受理时间：即日起至2022年2月28日。": "window"}


def test_the_sample_names_no_closed_document_and_holds_two_draws_of_80():
    rows = _rows()
    assert {r["sample"] for r in rows} == {"r19-a-seed28", "r19-b-seed2028"} and len(rows) == 160
    assert not {r["file"] for r in rows} & closed_files()
    assert not {r["file"].split("、")[0] for r in rows} & closed_numbers()
    # the fresh draw left out every sentence of the first
    first = {(r["file"], r["sentence"]) for r in rows if r["sample"] == "r19-a-seed28"}
    assert not first & {(r["file"], r["sentence"]) for r in rows if r["sample"] == "r19-b-seed2028"}
    assert all(r["verdict"] in ("item", "not item") and (r["verdict"] == "item" or r["cause"]) for r in rows)


def test_121s_judged_grant_is_extracted_with_its_share_and_ceiling():
    rows = [r for r in _rows() if r["file"].startswith("121、")]
    items = [it.to_json() for it in _doc("121").support_items]
    judged = [r for r in rows if r["verdict"] == "item"]
    assert judged, "the sample holds 121's 后补助 line"
    t = score(rows, {rows[0]["file"]: items})
    assert sum(x["right"] for x in t.values()) == len(judged)
    # 121 二、（二）'s threshold for a joint decision (补助资金超过500万元…会商) is a candidate judged no item, and none is read
    threshold = [r for r in rows if "会商" in r["sentence"]]
    assert all(r["verdict"] == "not item" and item_of(r["sentence"], items) is None for r in threshold)
