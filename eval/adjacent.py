"""Wrong answers that one sentence beside a quote would make right (docs/answerability-transfer.md §14).

    python -m eval.adjacent --testset SET.jsonl --results RESULTS.jsonl --home HOME [--show]

For each answered dev item of an `eval run` (its per-item JSONL) and each citation, the sentences just before and
just after the quoted ones in the cited unit (knowledge.text.split_sentences on the unit the home's SQLite store
holds); a wrong answer is *fixable* when the answer with one of them added states every `must_contain` item
(eval.metrics.contains_all, the eval's test of a right answer). The summary counts, for each surface rule of when
the neighbour belongs (a continuation opening, a list item continued, a quote that opens with a figure, a short
neighbour), how many answers it would change and what they become: fixed, right already (longer, still right),
wrong still, or an unanswerable item answered (a refusal check is never changed by adding a sentence). The
decision-probability rules of §14 need the candidates' probabilities and are measured with a hook on
answer.decide.Decider.complement, as described there.
"""
from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from pathlib import Path

from eval.metrics import missing_terms
from knowledge.text import LIST_ITEM, split_sentences

# Openings that continue the sentence before (the brief's 其中/同时/并 and their kind), measured as one rule.
CONTINUES = re.compile(r"^(其中|同时|并|此外|另外|但|且|以及|原则上)")
RULES = {
    "continuation opening": lambda n: n["side"] == "next" and bool(CONTINUES.match(n["sentence"])),
    "list item continued": lambda n: bool(LIST_ITEM.match(n["sentence"].split("\n")[-1])
                                          and LIST_ITEM.match(n["quoted"])),
    "quote opens with a figure": lambda n: n["side"] == "prev" and bool(re.match(r"[\d（(]", n["quoted"])),
    "short neighbour (<= 20 characters)": lambda n: len(n["sentence"]) <= 20,
}


def adjacent(unit_text: str, quote: str) -> list[dict]:
    """The sentences of `unit_text` just before the first and just after the last sentence `quote` covers (or that
    covers it): [{side: prev|next, sentence, quoted}], none when the quote is no sentence of the unit."""
    sentences = [s.strip() for s in split_sentences(unit_text)]
    at = [i for i, s in enumerate(sentences) if s and (s in quote or quote in s)]
    if not at:
        return []
    out = []
    for side, j, k in (("prev", min(at) - 1, min(at)), ("next", max(at) + 1, max(at))):
        if 0 <= j < len(sentences) and sentences[j]:
            out.append({"side": side, "sentence": sentences[j], "quoted": sentences[k]})
    return out


def fixing(answer: str, must_contain: list[str], unit_text: str, quote: str) -> list[dict]:
    """The adjacent sentences of `quote` that, added to `answer`, make it state every must_contain item."""
    if not missing_terms(answer, must_contain):
        return []
    return [n for n in adjacent(unit_text, quote) if not missing_terms(answer + n["sentence"], must_contain)]


def records(testset: Path, results: Path, home: Path) -> list[dict]:
    """One record per answered dev item: right or not, and every adjacent sentence of its quotes (not yet in the
    answer), each marked whether it alone makes the answer right."""
    items = {d["id"]: d for d in map(json.loads, testset.open(encoding="utf-8")) if d.get("split", "dev") == "dev"}
    db = sqlite3.connect(f"file:{home / 'knowledge.sqlite3'}?mode=ro", uri=True)
    out = []
    for r in map(json.loads, results.open(encoding="utf-8")):
        item = items.get(r["id"])
        if item is None or r["refused"]:
            continue
        must = item["must_contain"] if item["answerable"] else []
        right = item["answerable"] and not missing_terms(r["answer"], must)
        nbs = []
        for c in r["citations"]:
            row = db.execute("SELECT text FROM units WHERE doc_id=? AND seq=?", (c["doc_id"], c["seq"])).fetchone()
            for n in adjacent(row[0], c["quote"]) if row else []:
                if n["sentence"] in r["answer"]:
                    continue
                n["fixes"] = (item["answerable"] and not right
                              and not missing_terms(r["answer"] + n["sentence"], must))
                nbs.append(n)
        out.append({"id": r["id"], "answerable": item["answerable"], "right": right, "adjacent": nbs})
    return out


def rule_effect(recs: list[dict], rule) -> dict:
    """What adding every adjacent sentence `rule` accepts does to the answers: changed, fixed, right already,
    still wrong, unanswerable."""
    out = {"changed": 0, "fixed": 0, "right": 0, "wrong": 0, "unanswerable": 0}
    for r in recs:
        hit = [n for n in r["adjacent"] if rule(n)]
        if not hit:
            continue
        out["changed"] += 1
        key = ("right" if r["right"] else "unanswerable" if not r["answerable"]
               else "fixed" if any(n["fixes"] for n in hit) else "wrong")
        out[key] += 1
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--testset", type=Path, required=True)
    ap.add_argument("--results", type=Path, required=True)
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--show", action="store_true", help="print each fixable item with its two sentences")
    args = ap.parse_args(argv)
    recs = records(args.testset, args.results, args.home)
    fixable = [r for r in recs if any(n["fixes"] for n in r["adjacent"])]
    print(f"{len(recs)} answered, {sum(r['answerable'] and not r['right'] for r in recs)} wrong, "
          f"{len(fixable)} made right by one adjacent sentence")
    for r in fixable if args.show else []:
        for n in r["adjacent"]:
            if n["fixes"]:
                print(f"  {r['id']} {n['side']}\n    quoted   {n['quoted'][:120]}\n    adjacent {n['sentence'][:120]}")
    for name, rule in RULES.items():
        print(f"  {name}: {rule_effect(recs, rule)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
