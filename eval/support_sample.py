"""Support extraction judged on documents nobody tuned for (issue 12; support28): candidate sentences found by a scan
that does not use the extractor, drawn at random, judged by reading, and scored against what the extractor stores.

The pool is the corpus-dc PDFs in no gold list: not a closed document (`eval.held_back`: a test document or one of
the held-back batch's, round 19: b20's 59 73 75), not a test file of a test set, not a file of
`eval/testsets/support_gold.jsonl` (dev or held-out). b19's documents were opened in round 19, so they are in the pool.

A sentence (`knowledge.text.line_sentences`) is a candidate when it holds a word of money support (SUPPORT_RE), a sum
of money or a per-unit price (MONEY_RE), or a window's words (WINDOW_RE with a date, or WINDOW_WORD_RE alone).

    python -m eval.support_sample draw --seed 28 --n 80 [--exclude SAMPLE.jsonl] [--cache DIR]   # JSON lines
    python -m eval.support_sample score docs/support-sample-r19.jsonl [--cache DIR]

`score` re-extracts the sampled documents with the code as it stands and compares each judged row (`verdict`,
`figures`, `kind`) with the item whose quote is the sentence or lies within it: recall over the rows judged items,
precision over the rows an item is extracted from, per sample (the committed judgements stay as read).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DC = ROOT.parent / "shared" / "corpus-dc"
TESTSETS = ROOT / "eval" / "testsets"

# Issue 12's five kinds and the words the brief names for money support (资助/补贴/奖励/贴息/减免/奖补), with tax law's
# 免征/减征 and the common 扶持, 以奖代补, 资金支持, 返还, 优惠, 赠款, 配套资金 — a word list of its own, not the extractor's.
SUPPORT_RE = re.compile(r"资助|补贴|补助|奖励|贴息|减免|奖补|免征|减征|扶持|以奖代补|资金支持|返还|优惠|赠款|配套资金")
MONEY_RE = re.compile(r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*(?:亿元|万元|元)|元\s*/")
WINDOW_RE = re.compile(r"(?:申报|申请|受理|填报|报送|提交|征集)(?:时间|截止|期限|日期)|截止(?:时间|日期|日)|逾期|"
                       r"(?:前|之前)(?:报送|提交|申报|完成申报|上报)")
DATE_RE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月(?:底|末|中旬|上旬|下旬)")
WINDOW_WORD_RE = re.compile(r"申报时间|申请时间|受理时间|截止|逾期|申报期限|申请期限")


def closed_numbers(extra=()) -> set[str]:
    """The corpus-dc numbers no sample reads: eval.held_back's test and held-back documents, and any `extra`."""
    from eval.held_back import HELD_BACK_DOCS, TEST_DOCS

    return set(TEST_DOCS) | set(HELD_BACK_DOCS) | set(extra)


def closed_files() -> set[str]:
    """Files no sample may read: the test sets' test files and every support gold file (dev ones are tuned on)."""
    from eval.targets import test_files

    gold = {json.loads(x)["file"] for x in (TESTSETS / "support_gold.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()}
    return test_files(TESTSETS) | gold


def pool_files(extra=(), corpus: Path = CORPUS_DC) -> list[Path]:
    numbers, files = closed_numbers(extra), closed_files()
    return sorted(p for p in corpus.glob("*.pdf") if p.name.split("、")[0] not in numbers and p.name not in files)


def candidates(unit_text: str) -> list[tuple[str, str]]:
    """(sentence, cue) for each candidate sentence of a unit; cue names what it holds: support, money, window."""
    from knowledge.text import line_sentences

    out = []
    for s in line_sentences(unit_text):
        s = s.strip()
        if len(s) < 6:
            continue
        cues = [name for name, hit in (("support", SUPPORT_RE.search(s)), ("money", MONEY_RE.search(s)),
                                       ("window", (WINDOW_RE.search(s) and DATE_RE.search(s)) or WINDOW_WORD_RE.search(s)))
                if hit]
        if cues:
            out.append((s, "+".join(cues)))
    return out


def document(path: Path, cache: Path | None = None):
    """`document_from` of a pool file (eval.support_structures.cached_document), None when refused; a closed
    document raises."""
    from eval.support_structures import cached_document

    if path.name.split("、")[0] in closed_numbers() or path.name in closed_files():
        raise ValueError(f"{path.name}: a closed document")
    return cached_document(path, cache)


def draw(seed: int, n: int, exclude: set[tuple[str, str]] = frozenset(), cache: Path | None = None) -> list[dict]:
    from knowledge.support_labels import unit_label

    pool = []
    for p in pool_files():
        doc = document(p, cache)
        for u in doc.units() if doc is not None else ():
            pool += [{"file": p.name, "label": unit_label(u), "sentence": s, "cue": cue} for s, cue in candidates(u.text)
                     if (p.name, s) not in exclude]
    print(f"{len(pool)} candidates in {len({x['file'] for x in pool})} documents", file=sys.stderr)
    return [{"n": i, **x} for i, x in enumerate(random.Random(seed).sample(pool, n))]


def item_of(sentence: str, items: list[dict]) -> dict | None:
    """The extracted item read from a sentence: its quote is the sentence or lies within it (or holds it)."""
    s = sentence.strip()
    return next((it for it in items if it["quote"].strip() and (it["quote"].strip() in s or s in it["quote"])), None)


def score(rows: list[dict], items_by_file: dict[str, list[dict]]) -> dict[str, dict]:
    """Per sample: judged items, found, found with the judged figures and kind, extracted, extracted and judged items,
    borderline rows and how many of them are extracted."""
    from eval.support_gold import pred_figures

    out: dict[str, dict] = {}
    for r in rows:
        t = out.setdefault(r["sample"], dict.fromkeys(("sentences", "items", "found", "right", "extracted",
                                                        "extracted_items", "borderline", "borderline_extracted"), 0))
        it = item_of(r["sentence"], items_by_file[r["file"]])
        item = r["verdict"] == "item"
        t["sentences"] += 1
        t["items"] += item
        t["found"] += item and it is not None
        t["right"] += item and it is not None and sorted(pred_figures(it)) == sorted(r["figures"]) and \
            it["kind"] == r["kind"]
        t["extracted"] += it is not None
        t["extracted_items"] += it is not None and item
        t["borderline"] += bool(r.get("borderline"))
        t["borderline_extracted"] += bool(r.get("borderline")) and it is not None
    for t in out.values():
        t["recall"] = round(t["found"] / t["items"], 3) if t["items"] else None
        t["precision"] = round(t["extracted_items"] / t["extracted"], 3) if t["extracted"] else None
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.support_sample")
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--seed", type=int, required=True)
    d.add_argument("--n", type=int, default=80)
    d.add_argument("--exclude", help="a sample file whose sentences are left out of the pool (a fresh draw)")
    s = sub.add_parser("score")
    s.add_argument("sample")
    for p in (d, s):
        p.add_argument("--cache", help="a folder keeping each document's loaded pages (pickled) between runs")
    args = ap.parse_args(argv)
    cache = Path(args.cache) if args.cache else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    if args.cmd == "draw":
        exclude = set()
        if args.exclude:
            exclude = {(r["file"], r["sentence"]) for r in map(json.loads, Path(args.exclude).read_text(
                encoding="utf-8").splitlines()) if r}
        for row in draw(args.seed, args.n, exclude, cache):
            print(json.dumps(row, ensure_ascii=False))
        return 0
    rows = [json.loads(x) for x in Path(args.sample).read_text(encoding="utf-8").splitlines() if x.strip()]
    items = {}
    for f in sorted({r["file"] for r in rows}):
        doc = document(CORPUS_DC / f, cache)
        items[f] = [it.to_json() for it in doc.support_items] if doc is not None else []
    for name, t in score(rows, items).items():
        print(f"{name}: {t['sentences']} sentences, items {t['items']} (found {t['found']}, figures and kind right "
              f"{t['right']}; recall {t['recall']}), extracted {t['extracted']} (items {t['extracted_items']}; precision "
              f"{t['precision']}), borderline {t['borderline']} (extracted {t['borderline_extracted']})")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
