"""Choose the hybrid retriever's fusion (retrieval/hybrid.py: FUSED_K, FUSED_WEIGHTS, FUSED_COVERAGE) by grouped CV.

    POLICYQA_HOME=DIR python -m eval.fit_fusion --testset SET.jsonl [--testset SET2.jsonl --home DIR2 ...]
        [--out rankings.jsonl]

Each --testset is read against the knowledge base of the --home given at the same position (default: POLICYQA_HOME),
as built by `eval run` for that set. Only `split == "dev"` answerable items with a gold unit are read, not those of
the batches held back as a transfer check (eval.held_back; `--hold-back`). For every
item, asked within its document, the two channel rankings (vector, BM25 after dropping title words) are recorded
with each unit's measure, BM25 query coverage (LexicalSnapshot.coverage) and structure boost; the fused measure
ranking is then recomputed offline for a grid of (k, vector weight, coverage exponent), and the grid point with
the best MRR@5 on 4 of 5 folds (grouped by document) is scored on the fifth. Prints held-out hit@1 / MRR@5 of the
current setting and of the fold picks, and the best settings on all the data per test set.

Retrieval is only half of it: rerun `eval run` on every set with a candidate before adopting it (the answer-or-
refuse model reads rank and relative score).
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from pathlib import Path

from eval import held_back

GRID = list(itertools.product((5, 10, 20, 30, 60), (0.1, 0.2, 0.3, 0.5, 0.7, 1.0), (0.0, 0.5, 1.0, 2.0)))


def collect(service, items, group: str) -> list[dict]:
    from eval.runner import _Units, quote_units, resolve_docs
    from retrieval.fusion import boost
    from retrieval.hits import Filters
    from retrieval.hybrid import LexicalIndex

    docs = list(service.documents())
    doc_map, units = resolve_docs(docs, items), _Units(service, docs)
    r = service.index.retriever()
    cat = r._catalog()
    snap = cat.snap
    out = []
    for it in items:
        ids = doc_map.get(it.doc, ())
        if not ids or not it.answerable:
            continue
        doc = units._document(ids[0])
        if it.gold_measures:
            gold = {u.seq for u in doc.units() if u.no in set(it.gold_measures)}
        else:
            gold = quote_units(units, ids, it.gold_quote) if it.gold_quote else set()
        if not gold:
            continue
        f = Filters.of(doc_id=ids[0])
        expanded = r.expander.expand(it.question) if r.expander else it.question
        mask, _ = r._mask(f, cat)
        tokens = r._without_title_words(r.lexical.tokenizer.tokenize(expanded), f, cat)
        lex_top = LexicalIndex.top(snap.scores(tokens), r.candidates, mask)
        vec = r._masked_vector_hits(r.embeddings.encode_query(expanded), mask, snap,
                                    min(r.candidates, int(mask.sum())))
        facets = cat.matcher.match(it.question)
        info: dict[str, dict] = {}

        def note(i: int) -> str:
            u = snap.units[i]
            if u.unit_id not in info:
                info[u.unit_id] = {"m": u.seq, "b": boost(u, facets, k=0), "cov": 0.0}
            return u.unit_id

        lex = [note(i) for i, _ in lex_top]
        for uid, c in zip(lex, snap.coverage(tokens, [i for i, _ in lex_top])):
            info[uid]["cov"] = float(c)
        vr = [note(snap.position(uid)) for uid, _ in vec]
        out.append({"id": it.id, "group": group, "doc": it.doc, "gold": sorted(gold), "lex": lex, "vec": vr,
                    "units": info})
    return out


def ranking(x: dict, k: float, wv: float, alpha: float) -> list[int]:
    """Measures best first, as HybridRetriever.run_measures ranks them: the same fusion
    (retrieval.fusion.reciprocal_rank_fusion over the vector then the BM25 ranking, coverage ** alpha scaling the
    BM25 terms), plus each unit's structure boost, a measure scoring its best unit."""
    from retrieval.fusion import reciprocal_rank_fusion

    scale = {uid: x["units"][uid]["cov"] ** alpha for uid in x["lex"]} if alpha else None
    fused = reciprocal_rank_fusion([x["vec"], x["lex"]], k=k, weights=(wv, 1.0), scales=[None, scale])
    best: dict[int, float] = {}
    for uid, s in fused:
        u = x["units"][uid]
        s += u["b"] / (k + 1)
        if s > best.get(u["m"], float("-inf")):
            best[u["m"]] = s
    return sorted(best, key=lambda m: (-best[m], m))


def metrics(xs: list[dict], p: tuple) -> tuple[float, float]:
    if not xs:
        return 0.0, 0.0
    h1 = rr = 0.0
    for x in xs:
        top, gold = ranking(x, *p)[:5], set(x["gold"])
        h1 += bool(top) and top[0] in gold
        rr += next((1 / (i + 1) for i, m in enumerate(top) if m in gold), 0.0)
    return h1 / len(xs), rr / len(xs)


def cross_validate(data: list[dict], current: tuple, folds: int = 5, seed: int = 0) -> dict:
    docs = sorted({(x["group"], x["doc"]) for x in data})
    random.Random(seed).shuffle(docs)
    fold = {d: i % folds for i, d in enumerate(docs)}
    picks, fit, cur = [], [], []
    for f in range(folds):
        train = [x for x in data if fold[(x["group"], x["doc"])] != f]
        test = [x for x in data if fold[(x["group"], x["doc"])] == f]
        p = max(GRID, key=lambda q: metrics(train, q)[1])
        picks.append(p)
        fit.append(metrics(test, p))
        cur.append(metrics(test, current))
    mean = lambda v: tuple(sum(a[i] for a in v) / len(v) for i in range(2))  # noqa: E731
    return {"picks": picks, "held_out": mean(fit), "current": mean(cur)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--testset", action="append", required=True, type=Path)
    ap.add_argument("--home", action="append", default=[], type=Path, help="knowledge base per --testset")
    ap.add_argument("--out", type=Path, help="write the collected rankings here (JSONL)")
    held_back.add_argument(ap)
    args = ap.parse_args(argv)
    import os

    from eval.runner import load_testset
    from retrieval.hybrid import FUSED_COVERAGE, FUSED_K, FUSED_WEIGHTS
    from service import PolicyService
    from settings import Settings

    data: list[dict] = []
    for n, path in enumerate(args.testset):
        if n < len(args.home):
            os.environ["POLICYQA_HOME"] = str(args.home[n])
        items, left = held_back.tuning_items(load_testset(path), args.hold_back)
        print(f"{path.name}: {left} dev questions of the held-back batches left out", file=sys.stderr)
        data += collect(PolicyService(Settings()), items, path.stem)
    if args.out:
        args.out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in data), encoding="utf-8")
    current = (FUSED_K, FUSED_WEIGHTS[0] / FUSED_WEIGHTS[1], FUSED_COVERAGE)
    cv = cross_validate(data, current)
    print(f"{len(data)} questions; fold picks (k, vector weight, coverage exponent): {cv['picks']}")
    print("held-out hit@1 / MRR@5: current %.3f / %.3f, fitted %.3f / %.3f" % (*cv["current"], *cv["held_out"]))
    groups = sorted({x["group"] for x in data})
    for p in sorted(GRID, key=lambda q: -metrics(data, q)[1])[:5] + [current]:
        per = " ".join("%s %.3f/%.3f" % (g, *metrics([x for x in data if x["group"] == g], p)) for g in groups)
        print(p, "all %.3f/%.3f" % metrics(data, p), per)
    return 0


if __name__ == "__main__":
    sys.exit(main())
