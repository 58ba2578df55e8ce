"""Small libraries dealt at random from a blind set's documents, for the check of issue 10: "ten documents nobody has
seen, ingested together and asked without a document filter".

The batch runs ask each batch's questions in a library of that batch's documents, which were chosen together (one
writer, one theme). A library dealt at random from several batches mixes documents of other shapes, places and
years, as an unseen library does. `deal` shuffles the documents of the chosen batches (sorted by file name first, so
a seed names the same libraries on every machine) and cuts them into libraries of `size`; a remainder smaller than
`size` is left out. Each library is written as a test set of its documents' items; ask it with

    POLICYQA_HOME=$(mktemp -d) python -m eval run --testset DIR/L0.jsonl --files-from ../shared/corpus-dc \\
        --split dev --no-scope --no-baseline --out L0.jsonl --report L0.md

(a fresh home per library: the library is its documents and the bundled default corpus) and the same without
`--no-scope` for the scoped answers in the same library. `pooled` reads the runs back: per library and pooled
over the items (docs/scope.md, ans34).

    python -m eval.libraries deal --batches b12 b13 b14 b15 b16 b17 --size 9 --seed 3410 --out DIR
    python -m eval.libraries pool DIR/L0.jsonl:L0_ns.jsonl DIR/L1.jsonl:L1_ns.jsonl ...
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Sequence

from .held_back import batch_of

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "eval" / "testsets" / "blind.jsonl"


def read_items(path: Path, split: str, batches: Sequence[str]) -> list[dict]:
    """The items of `split` whose batch (id prefix) is one of `batches`, as the JSON objects of the file."""
    wanted = set(batches)
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            if obj.get("split") == split and batch_of(obj["id"]) in wanted:
                out.append(obj)
    return out


def number(file: str) -> str:
    """A corpus-dc file's number, the prefix before 、 (`198、关于推进…意见.pdf` → `198`)."""
    return file.split("、", 1)[0]


def deal(items: Sequence[dict], size: int, seed: int, skip: Sequence[str] = ()) -> list[list[dict]]:
    """The items cut into libraries of `size` documents (by their `file`), documents dealt in a seeded order;
    `skip`: numbers of documents (`number`) to leave out (a round's unopened ones)."""
    if size < 1:
        raise ValueError("a library holds at least one document")
    files = sorted({it["file"] for it in items if number(it["file"]) not in set(skip)})
    random.Random(seed).shuffle(files)
    libraries = [set(files[k:k + size]) for k in range(0, len(files) - size + 1, size)]
    return [[it for it in items if it["file"] in lib] for lib in libraries]


def figures(items: Sequence[dict], results: dict[str, dict]) -> tuple[float, float, float, int, int]:
    """Answer accuracy, refusal accuracy and false-refusal rate of `results` (id → ask --json) over `items`,
    as eval.metrics counts them, and the numbers of answerable and unanswerable items."""
    from .metrics import missing_terms

    ans = [it for it in items if it["answerable"]]
    una = [it for it in items if not it["answerable"]]
    right = sum(not results[it["id"]]["refused"] and not missing_terms(results[it["id"]]["answer"],
                                                                        it.get("must_contain", [])) for it in ans)
    refused = sum(results[it["id"]]["refused"] for it in una)
    false_ref = sum(results[it["id"]]["refused"] for it in ans)
    return (right / max(1, len(ans)), refused / max(1, len(una)), false_ref / max(1, len(ans)), len(ans), len(una))


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def pooled(pairs: Sequence[tuple[Path, Path]]) -> list[str]:
    """One line per (test set, results) pair and the pooled line over all their items."""
    lines, every, results = [], [], {}
    for testset, run in pairs:
        items = _jsonl(testset)
        res = {r["id"]: r for r in _jsonl(run)}
        missing = [it["id"] for it in items if it["id"] not in res]
        if missing:
            raise ValueError(f"{run}: no result for {len(missing)} items of {testset} (first {missing[0]})")
        a, r, f, na, nu = figures(items, res)
        lines.append(f"{testset.stem}: {a:.3f} / {r:.3f} / {f:.3f}  ({na} answerable, {nu} unanswerable)")
        every += items
        results.update(res)
    a, r, f, na, nu = figures(every, results)
    lines.append(f"pooled: {a:.3f} / {r:.3f} / {f:.3f}  ({na} answerable, {nu} unanswerable)")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.libraries", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("deal", help="write one test set per dealt library")
    d.add_argument("--testset", type=Path, default=BLIND)
    d.add_argument("--split", choices=("dev", "test"), default="dev")
    d.add_argument("--batches", nargs="+", required=True, help="batches (item id prefixes) whose documents to deal")
    d.add_argument("--size", type=int, default=9)
    d.add_argument("--seed", type=int, required=True)
    d.add_argument("--skip", nargs="*", default=[], metavar="N", help="numbers of documents to leave out")
    d.add_argument("--first", type=int, default=0, help="number of the first library's file (L<first>.jsonl)")
    d.add_argument("--out", type=Path, required=True)
    q = sub.add_parser("pool", help="per-library and pooled figures of eval runs")
    q.add_argument("pairs", nargs="+", help="TESTSET:RESULTS (the library's test set and its `eval run --out`)")
    args = p.parse_args(argv)
    if args.command == "pool":
        for line in pooled([tuple(Path(x) for x in pair.split(":", 1)) for pair in args.pairs]):
            print(line)
        return 0
    items = read_items(args.testset, args.split, args.batches)
    if not items:
        print(f"error: no {args.split} items of {' '.join(args.batches)} in {args.testset}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for k, lib in enumerate(deal(items, args.size, args.seed, args.skip), start=args.first):
        path = args.out / f"L{k}.jsonl"
        path.write_text("".join(json.dumps(it, ensure_ascii=False) + "\n" for it in lib), encoding="utf-8")
        docs = sorted({number(it["file"]) for it in lib}, key=lambda s: (len(s), s))
        print(f"{path}: {len(lib)} items, documents {' '.join(docs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
