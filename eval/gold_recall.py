"""Is the gold passage among what the answer-or-refuse decision weighs? Per answerable dev item and mode.

    python -m eval.gold_recall --testset SET.jsonl --home HOME --files-from ../shared/corpus-dc --out OUT.jsonl
        [--depth 30] [--results MAIN.jsonl --results-ns MAIN_NS.jsonl]

For each answerable item, asked within its document (scoped) and with no document filter, through the real
service: the decision's candidate sentences (answer.decide.COLLECTOR) and whether one states the gold passage
(answer.answerability.gold_match), at which place by the decision's probability; the retrieved units
(`service.retrieve`, `--depth` of them) and the rank of the first that holds the gold passage; and when neither
holds it, why (`cause`):

- `candidate`: a candidate states it (rank = its place among the candidates by probability);
- `spread`: one of the decision's units (answer.decide.MAX_UNITS) holds it, but no one sentence of it states it
  all (an answer of two sentences, a table row whose figures the text layer puts apart from its name);
- `ranked_out`: a retrieved unit below the decision's MAX_UNITS holds it (rank = the unit's place);
- `deep`: a unit of the document holds it but is not among the first `--depth` retrieved;
- `other_document` (no scope): the item's document is not among the retrieved units at all;
- `not_in_text`: no unit of the document states it (a table row the text layer flattens, front matter);
- `undecided`: a structured route answered without the decision (listing, counting, enterprise).

Dev items only (the item's `split`); each record also carries the `_strict` variants, which count the gold passage
stated only where every `must_contain` item is (eval.metrics' test of a right answer). `--summary` prints the
per-mode figures of an --out file. The records feed docs/answerability-transfer.md §13.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _states(text: str, gold: str, must: list[str]) -> bool:
    """The eval's test of a right answer (eval.metrics.contains_all: every must_contain item) on one text; the gold
    passage's bigrams when the item has none."""
    from eval.metrics import contains_all

    return contains_all(text, must) if must else _holds(text, gold, must)


def _holds(text: str, gold: str, must: list[str]) -> bool:
    from answer.answerability import gold_match
    from knowledge.text import split_sentences

    if gold_match(text, gold, must):
        return True
    return any(gold_match(s, gold, must) for s in split_sentences(text) if len(s.strip()) >= 6)


def _unit_kind(service, doc_id: str, seq: int) -> str:
    """What a unit is, for the cause classes: the document's first unit (the notice's opening or preamble), an
    attachment's first unit, or a body unit."""
    doc = service.document(doc_id)
    if doc is None:
        return "?"
    units = doc.units()
    m = doc.measure(seq)
    if m is None:
        return "?"
    attached = any("附件" in x for x in [m.label, *m.path])
    first_of_part = units and (units[0].seq == seq or (attached and not any(
        "附件" in x for u in units if u.seq == seq - 1 for x in [u.label, *u.path])))
    return ("attachment_" if attached else "") + ("opening" if first_of_part else m.kind)


def _text(service, doc_id: str, seq: int) -> str:
    doc = service.document(doc_id)
    m = doc.measure(seq) if doc else None
    return m.text if m is not None else ""


def _shown(c) -> dict:
    return {"doc_id": c.doc_id, "seq": c.seq, "sentence": c.sentence[:120], "prob": round(float(c.prob), 3),
            "eligible": bool(c.eligible), "structured": bool(c.structured)}


def cause(decided: bool, cand_rank: int | None, unit_rank: int | None, in_text: bool, scoped: bool,
          retrieved: bool, units: int) -> str:
    """The class of the module docstring, from where the gold passage was found: among the candidates at
    `cand_rank`, in the retrieved unit at `unit_rank`, anywhere in the document's text (`in_text`); `retrieved`:
    any unit of the item's document among the retrieved; `units`: the decision's number of units."""
    if not decided:
        return "undecided"
    if cand_rank is not None:
        return "candidate"
    if unit_rank is not None:
        return "spread" if unit_rank < units else "ranked_out"
    if not in_text:
        return "not_in_text"
    return "deep" if scoped or retrieved else "other_document"


def record(service, item, doc_ids, scoped: bool, depth: int) -> dict:
    from answer import decide
    from answer.answerability import gold_match

    units = decide.MAX_UNITS
    gold, must = item.gold_quote or "", list(item.must_contain or ())
    ask_doc = doc_ids[0] if (scoped and doc_ids) else None
    decide.COLLECTOR = []
    try:
        ans = service.ask(item.question, doc=ask_doc)
    finally:
        got, decide.COLLECTOR = decide.COLLECTOR, None
    out = {"id": item.id, "doc": item.doc, "scoped": scoped, "refused": bool(ans.refused), "route": ans.route}
    hits = service.retrieve(item.question, top_k=depth, doc=ask_doc)
    unit_rank = None
    for i, h in enumerate(hits):
        text = _text(service, h.doc_id, h.seq)
        if h.doc_id in doc_ids and _holds(text, gold, must):
            unit_rank = i
            break
    out["unit_rank"] = unit_rank
    out["unit_rank_strict"] = next((i for i, h in enumerate(hits) if h.doc_id in doc_ids and _states(
        _text(service, h.doc_id, h.seq), gold, must)), None)
    out["top"] = [[h.doc_id in doc_ids, _unit_kind(service, h.doc_id, h.seq), h.seq] for h in hits[:5]]
    own_units = [m for d in doc_ids if (doc := service.document(d)) for m in doc.units()]
    gold_seq = next((m.seq for m in own_units if _holds(m.text, gold, must)), None)
    out["gold_seq"] = gold_seq
    out["in_text_strict"] = any(_states(m.text, gold, must) for m in own_units)
    cand_rank = None
    if got:
        # every decision of the ask: a question spread over several documents is decided once per document
        cands = sorted((c for g in got for c in g["candidates"]), key=lambda c: -c.prob)
        for i, c in enumerate(cands):
            if gold_match(c.sentence, gold, must):
                cand_rank = i
                out["gold_candidate"] = _shown(c)
                break
        out["n_candidates"] = len(cands)
        out["cand_rank_strict"] = next((i for i, c in enumerate(cands) if _states(c.sentence, gold, must)), None)
        out["best_candidate"] = _shown(cands[0]) if cands else None
    out["cand_rank"] = cand_rank
    retrieved = any(h.doc_id in doc_ids for h in hits)
    out["cause"] = cause(bool(got), cand_rank, unit_rank, gold_seq is not None, scoped, retrieved, units)
    # The same, by the eval's test of a right answer (every must_contain item in one sentence / unit)
    out["cause_strict"] = cause(bool(got), out.get("cand_rank_strict"), out["unit_rank_strict"],
                                out["in_text_strict"], scoped, retrieved, units)
    return out


def summary(records: list[dict], strict: bool = True) -> dict:
    """Per mode (scoped / no scope): the share of the decided asks whose candidates state the gold passage, the share
    of asks whose retrieved units hold it within 1 / 5 / 10 / all places, and the causes of the refused asks."""
    rank = "cand_rank_strict" if strict else "cand_rank"
    unit = "unit_rank_strict" if strict else "unit_rank"
    why = "cause_strict" if strict else "cause"
    out = {}
    for mode, scoped in (("scoped", True), ("no_scope", False)):
        rs = [r for r in records if r["scoped"] == scoped]
        decided = [r for r in rs if r[why] != "undecided"]
        found = lambda k: sum(r[unit] is not None and (k is None or r[unit] < k) for r in rs) / len(rs)  # noqa: E731
        refused: dict[str, int] = {}
        for r in rs:
            if r["refused"]:
                refused[r[why]] = refused.get(r[why], 0) + 1
        out[mode] = {"asks": len(rs),
                     "candidates": sum(r.get(rank) is not None for r in decided) / len(decided) if decided else None,
                     **({f"units@{k or 'all'}": found(k) for k in (1, 5, 10, None)} if rs else {}),
                     "refused": refused}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--testset", type=Path, required=True)
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--files-from", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--depth", type=int, default=30)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--summary", action="store_true", help="print the summary of --out's records and stop")
    args = ap.parse_args(argv)
    if args.summary:
        records = [json.loads(x) for x in args.out.read_text(encoding="utf-8").splitlines() if x.strip()]
        print(json.dumps(summary(records), ensure_ascii=False, indent=1))
        return 0

    import os

    os.environ["POLICYQA_HOME"] = str(args.home)
    from eval.runner import load_testset, resolve_docs
    from service import PolicyService
    from settings import Settings

    items = [it for it in load_testset(args.testset) if it.split == "dev" and it.answerable]
    items = items[: args.limit] if args.limit else items
    service = PolicyService(Settings())
    try:
        service.ensure_default_corpus()
        service.ingest(sorted({args.files_from / it.file for it in items if it.file}))
        doc_map = resolve_docs(list(service.documents()), items)
        with open(args.out, "w", encoding="utf-8") as f:
            for n, it in enumerate(items):
                ids = doc_map.get(it.doc, ()) if it.doc else ()
                for scoped in (True, False):
                    f.write(json.dumps(record(service, it, ids, scoped, args.depth), ensure_ascii=False) + "\n")
                if n % 50 == 0:
                    print(f"{args.testset.name}: {n}/{len(items)}", file=sys.stderr)
    finally:
        service.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
