"""Target extraction against a gold list: `python -m eval.targets --gold eval/testsets/targets_gold.jsonl
--files-from ../shared/corpus-dc [--split dev|test] [--docs 27,425]`.

A gold target is (file, year, value, unit); an extracted target matches it when year, the number and the unit
agree (the indicator's wording is not scored: the quote shows it). Gold rows that repeat one target (its goals
section, its table and a box each state it) count once; so do extracted ones."""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path


def _num(value: str) -> str:
    m = re.search(r"\d+(?:\.\d+)?", str(value))
    return str(float(m.group(0))) if m else str(value)


def key(year, value, unit) -> tuple:
    """(year, number, unit); a unit's two spellings are one unit: ％ and %, 标煤 and 标准煤 (吨标煤 is the standard short
    form of 吨标准煤: a plan's table writes 万吨标煤 for the figure its text gives in 万吨标准煤)."""
    return (int(year) if year else None, _num(value), str(unit or "").replace("％", "%").replace("标煤", "标准煤").strip())


def score(gold: dict[str, set], found: dict[str, set]) -> dict:
    tp = sum(len(gold[f] & found.get(f, set())) for f in gold)
    n_gold = sum(len(v) for v in gold.values())
    n_found = sum(len(found.get(f, set())) for f in gold)
    per = {f: {"gold": len(gold[f]), "found": len(found.get(f, set())), "matched": len(gold[f] & found.get(f, set()))}
           for f in gold}
    return {"precision": tp / n_found if n_found else None, "recall": tp / n_gold if n_gold else None,
            "gold": n_gold, "found": n_found, "matched": tp, "documents": per}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.targets")
    p.add_argument("--gold", type=Path, required=True)
    p.add_argument("--files-from", type=Path, required=True)
    p.add_argument("--split", choices=("dev", "test"))
    p.add_argument("--show", action="store_true", help="print unmatched gold and extracted targets")
    p.add_argument("--docs", help="comma-separated running numbers of the files to score (417,562): a subset of "
                                  "the split, e.g. the documents whose gold arrived last")
    args = p.parse_args(argv)
    from ingest.loaders import FileLoader
    from service import document_from

    gold: dict[str, set] = defaultdict(set)
    for line in args.gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            o = json.loads(line)
            number = o["file"].split("、", 1)[0]
            if (not args.split or o.get("split") == args.split) and (not args.docs or number in args.docs.split(",")):
                gold[o["file"]].add(key(o["year"], o["value"], o["unit"]))
    loader = FileLoader(max_file_mb=50, timeout_s=120, workers=1)
    found: dict[str, set] = {}
    for file in gold:
        doc = document_from(loader.load(args.files_from / file))
        found[file] = {key(t.year, t.value, t.unit) for u in doc.units() for t in u.targets}
        if args.show:
            print(f"== {file}\n  missed: {sorted(gold[file] - found[file], key=str)}\n"
                  f"  extra:  {sorted(found[file] - gold[file], key=str)}")
    print(json.dumps(score(gold, found), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
