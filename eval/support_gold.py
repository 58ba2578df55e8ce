"""Scoring support-item extraction against a gold file (`eval/testsets/support_gold.jsonl`, one document a line:
{"id", "file", "split", optional "corpus" (a folder of ../shared/, default corpus-dc), "items": [{"where", "kind", "amount_wan", "rate", "cap_wan", "tiers": [{"tier", "amount_wan" |
"rate" | "cap_wan"}], "window": {"start", "end"} | null, "hint"}]}).

The gold lists every item that states a figure (an amount, a rate, a cap or tiers), and, for a call for projects
that states none, the call itself with its window; the gold written in the third round (277, 314, 342, 351, 303)
also lists support named without a sum or window (314: 给予费率优惠), and a document with no support at all has
no items. Figure-less items without windows match one to one within their document, whatever their sentence. An extracted item matches a gold item when their figures are
the same set (amounts and caps in 万元, rates as `20%`, `0.05元/度`, `1:1`; tier figures included), and, for
items without figures, when their windows are the same. Items are matched one to one within a document.

`python -m eval.support_gold [--gold FILE] [--split dev] [--show]` extracts from the PDFs (read in place from
../shared/corpus-dc/, next to the repository) and prints the figures.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "testsets" / "support_gold.jsonl"
SHARED = ROOT.parent / "shared"
CORPUS_DC = SHARED / "corpus-dc"


def _num(x) -> str:
    return f"{float(x):g}"


def _rate(text: str | None, value=None, unit: str | None = None) -> str | None:
    """Canonical rate: 20%, 900元/吨标准煤, 1:1 (from a gold string, or an extracted value and unit)."""
    if unit is not None:
        if unit == "比例":
            return text.replace("：", ":").replace("∶", ":").replace(" ", "")
        if unit == "%" and value is not None:
            return _percent(value)
        return f"{_num(value)}{unit}" if value is not None else (text or "").replace(" ", "")
    return _gold_rate(text)


def _percent(value: float) -> str:
    """A share by its value to one decimal: 1/3, 三分之一, 33.3% and 33.33% are the same share."""
    return f"{round(float(value), 1):g}%"


def _gold_rate(text: str | None) -> str | None:
    """A gold rate as written, a share (20%, 1/3) by its value."""
    from knowledge.numerals import cn_to_number

    if not text:
        return text
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[%％]\s*", text)
    if m:
        return _percent(float(m.group(1)))
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if m:
        return _percent(int(m.group(1)) / int(m.group(2)) * 100)
    m = re.fullmatch(r"\s*([二三四五六七八九十])分之([一二三四五六七八九])\s*", text)
    if m:
        return _percent(cn_to_number(m.group(2)) / cn_to_number(m.group(1)) * 100)
    return text


def gold_kind(kind: str) -> str:
    """A gold item's kind as one of issue #12's five: a gold writer may name it as the document does (奖补 → 奖励),
    read through the same word list the extractor uses."""
    from knowledge.support_clauses import kind_word

    return kind_word(kind) or kind


def gold_figures(g: dict) -> frozenset:
    f = set()
    if g.get("amount_wan") is not None:
        f.add(f"A:{_num(g['amount_wan'])}")
    if g.get("rate"):
        f.add(f"R:{_gold_rate(g['rate'])}")
    if g.get("cap_wan") is not None:
        f.add(f"C:{_num(g['cap_wan'])}")
    for t in g.get("tiers") or []:
        f |= gold_figures({k: v for k, v in t.items() if k != "tiers"})
    return frozenset(f)


def pred_figures(p: dict) -> frozenset:
    """Figures of an extracted item (`SupportItem.to_json()` or the CLI's JSON)."""
    f = set()
    if p.get("amount") and p["amount"].get("wan") is not None:
        f.add(f"A:{_num(p['amount']['wan'])}")
    if p.get("rate"):
        r = _rate(p["rate"]["text"], p["rate"].get("value"), p["rate"].get("unit"))
        if r:
            f.add(f"R:{r}")
    if p.get("cap") and p["cap"].get("wan") is not None:
        f.add(f"C:{_num(p['cap']['wan'])}")
    for t in p.get("tiers") or []:
        if t.get("amount") is not None and t.get("wan") is not None:
            f.add(f"A:{_num(t['wan'])}")
        if t.get("cap") is not None and t.get("wan") is not None:
            f.add(f"C:{_num(t['wan'])}")
        if t.get("rate"):
            f.add(f"R:{_canonical_rate_text(t['rate'])}")
    return frozenset(f)


def _canonical_rate_text(text: str) -> str:
    from knowledge.support_fields import rates_in

    rs = rates_in(f"按{text}的标准补贴") or rates_in(f"按费用的{text}")
    return _rate(rs[0].text, rs[0].value, rs[0].unit) if rs else text


def _window(w: dict | None) -> tuple | None:
    if not w:
        return None
    start, end = w.get("start_iso", w.get("start")), w.get("end_iso", w.get("end"))
    return (start, end) if (start or end) else None


def _gold_window(w: dict | None) -> tuple | None:
    return (w.get("start"), w.get("end")) if w else None


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index): same figures; figure-less items by their window."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(gold):
        gf = gold_figures(g)
        for pi, p in enumerate(pred):
            if pi in used or pred_figures(p) != gf:
                continue
            if not gf and _window(p.get("window")) != _gold_window(g.get("window")):
                continue
            used.add(pi)
            pairs.append((gi, pi))
            break
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "pred": n_pred, "gold": n_gold}


def _field_counts(items: Iterable[frozenset], prefix: str) -> Counter:
    return Counter(x for f in items for x in f if x.startswith(prefix))


def score_document(gold: list[dict], pred: list[dict]) -> dict:
    pairs = match(gold, pred)
    out = {"items": _prf(len(pairs), len(pred), len(gold))}
    gf = [gold_figures(g) for g in gold]
    pf = [pred_figures(p) for p in pred]
    for name, prefix in (("amount", "A:"), ("rate", "R:"), ("cap", "C:")):
        g, p = _field_counts(gf, prefix), _field_counts(pf, prefix)
        out[name] = _prf(sum((g & p).values()), sum(p.values()), sum(g.values()))
    # Windows: gold items with a window whose matched item has the same (start, end) ISO dates.
    with_window = [i for i, g in enumerate(gold) if g.get("window")]
    paired = dict(pairs)
    ok = sum(1 for i in with_window if i in paired and
             _window(pred[paired[i]].get("window")) == _gold_window(gold[i]["window"]))
    with_dates = sum(1 for p in pred if _window(p.get("window")) and any(_window(p.get("window"))))
    out["window"] = {"correct": ok, "gold": len(with_window), "pred": with_dates,
                     **_prf(ok, with_dates, len(with_window))}
    kinds = [(gold_kind(gold[g]["kind"]), pred[p]["kind"]) for g, p in pairs]
    out["kind"] = {"correct": sum(a == b for a, b in kinds), "matched": len(kinds)}
    out["missed"] = [gold[i].get("hint") or gold[i].get("where") for i in range(len(gold)) if i not in paired]
    used = set(paired.values())
    out["spurious"] = [pred[i]["quote"][:60] for i in range(len(pred)) if i not in used]
    return out


def aggregate(per_doc: dict[str, dict]) -> dict:
    total: dict = {}
    for name in ("items", "amount", "rate", "cap"):
        tp = sum(d[name]["tp"] for d in per_doc.values())
        total[name] = _prf(tp, sum(d[name]["pred"] for d in per_doc.values()),
                           sum(d[name]["gold"] for d in per_doc.values()))
    c, n_pred, n_gold = (sum(d["window"][k] for d in per_doc.values()) for k in ("correct", "pred", "gold"))
    total["window"] = {"correct": c, **_prf(c, n_pred, n_gold)}
    c, n = (sum(d["kind"][k] for d in per_doc.values()) for k in ("correct", "matched"))
    total["kind"] = {"accuracy": round(c / n, 3) if n else None, "correct": c, "matched": n}
    return total


def load_gold(path: str | Path = GOLD) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def extract_file(path: Path) -> list[dict]:
    """The document pass on one file, as the store would keep it."""
    from ingest.loaders import FileLoader
    from service import document_from

    doc = document_from(FileLoader(max_file_mb=50, timeout_s=120, workers=1).load(path))
    return [it.to_json() for it in doc.support_items]


def run(gold_path: str | Path = GOLD, split: str | None = None, corpus: Path = CORPUS_DC) -> dict:
    per_doc = {}
    for d in load_gold(gold_path):
        if split and d.get("split") != split:
            continue
        folder = SHARED / d["corpus"] if d.get("corpus") else corpus  # "corpus": a folder of ../shared/ other than corpus-dc
        per_doc[d["id"]] = score_document(d["items"], extract_file(folder / d["file"]))
    return {"documents": per_doc, "total": aggregate(per_doc)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.support_gold")
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--split")
    ap.add_argument("--corpus", default=str(CORPUS_DC))
    ap.add_argument("--show", action="store_true", help="list missed and spurious items per document")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    res = run(args.gold, args.split, Path(args.corpus))
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=2))
        return 0
    for doc_id, d in res["documents"].items():
        i = d["items"]
        print(f"{doc_id:>5}  items P {i['precision']:.2f} R {i['recall']:.2f} ({i['tp']}/{i['pred']} pred, "
              f"{i['gold']} gold)  window {d['window']['correct']}/{d['window']['gold']}")
        if args.show:
            for m in d["missed"]:
                print(f"         missed: {m}")
            for s in d["spurious"]:
                print(f"         spurious: {s}")
    t = res["total"]
    for name in ("items", "amount", "rate", "cap"):
        x = t[name]
        print(f"{name:>7}: P {x['precision']:.3f} R {x['recall']:.3f} F1 {x['f1']:.3f}  "
              f"(tp {x['tp']}, pred {x['pred']}, gold {x['gold']})")
    w = t["window"]
    print(f" window: P {w['precision']:.3f} R {w['recall']:.3f}  (right on matched items {w['correct']}, items with "
          f"dates {w['pred']}, gold {w['gold']})   kind: {t['kind']['correct']}/{t['kind']['matched']}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
