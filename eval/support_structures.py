"""How often each document structure that carries support occurs on the open corpus-dc documents, and on how many
of them the extractor reads an item from it (issue 12; the leave-one-document-out losses of `eval.support_lodo` are
structures, not wordings: support25/26).

A structure is read with the extractor's own patterns, so "occurs" means "a reader of that kind would see it":

- `labelled entries`: a unit whose fields are introduced by labels, one naming what is granted and one who may claim
  it (329's 【优惠内容】 and 【享受主体】; 315's `经费额度：` and `申报主体要求：` opening a line or sentence);
- `funding table`: a table the text layer flattens, a header with 序号 and a money column, or a column per tier
  (`knowledge.support_tables.table_rows` / `tier_rows` find rows);
- `call deadline`: a dated sentence cued as a call's window (a window cue, the applicant applying, the application
  papers: `WINDOW_CUE_RE`, `APPLICANT_ACTS_RE`, `CALL_PAPERS_RE`) with a readable date;
- `grant without sum`: a clause granting a kind of support (`GRANT_CLAUSE_RE`) in a sentence with no sum or share;
- `figured grant` (for scale): a sentence naming a kind of support and a sum or a share.

`read` counts the documents where an extracted item's quote, window sentence, applicants or conditions overlap an
occurrence. `python -m eval.support_structures [--cache DIR] [--show CLASS]`; documents closed to tuning
(`eval.held_back.closed_number`, the test sets' test files) are never loaded.
"""
from __future__ import annotations

import argparse
import pickle
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DC = ROOT.parent / "shared" / "corpus-dc"

# The labels of support fields: 329's (knowledge.support_entries.MARK_RE) and those a call's direction or a guide
# writes before a colon (315 经费额度 / 申报主体要求 / 执行期限), each family the extractor already reads under headings
# (COND_SECTION_RE, STANDARD_HEADING_RE, WINDOW_CUE_RE, OFFICE_LABEL_RE; support_clauses.py).
FIELD_LABEL_RE = re.compile(
    r"【(?P<mark>[\u4e00-\u9fff]{2,8})】|(?:^|\n|[。；])\s*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）．.、]\s*)?"
    r"(?P<label>[\u4e00-\u9fff]{2,8})[：:]")
# An entry names what is granted and who may claim it: 329 【优惠内容】 + 【享受主体】, 315 经费额度： + 申报主体要求：.
WHAT_LABEL_RE = re.compile(r"优惠内容|(?:额度|标准|金额)$")
WHO_LABEL_RE = re.compile(r"享受主体|(?:主体|对象)(?:要求)?$")
STRUCTURES = ("labelled entries", "funding table", "call deadline", "grant without sum", "figured grant")


def open_files(corpus: Path = CORPUS_DC, testsets: Path = ROOT / "eval" / "testsets") -> list[Path]:
    """The corpus-dc PDFs open to tuning: no test file of a test set, no test or held-back document."""
    from eval.held_back import closed_number
    from eval.targets import test_files

    closed = test_files(testsets)
    return sorted(p for p in corpus.glob("*.pdf") if p.name not in closed and not closed_number(p.name))


def labelled(text: str) -> list[str]:
    """The labels of what is granted and who claims it that a unit's text writes (【享受主体】, 经费额度：), in order."""
    out = []
    for m in FIELD_LABEL_RE.finditer(text):
        label = m.group("mark") or m.group("label")
        if WHAT_LABEL_RE.search(label) or WHO_LABEL_RE.search(label):
            out.append(label)
    return out


def entry_labels(text: str) -> bool:
    """Whether a unit writes an entry's labels: what is granted and who may claim it."""
    found = labelled(text)
    return any(WHAT_LABEL_RE.search(x) for x in found) and any(WHO_LABEL_RE.search(x) for x in found)


def occurrences(unit_text: str) -> dict[str, list[str]]:
    """Each structure's occurrences in one unit's text: the text a reader of it would read (the unit, a row, a
    sentence)."""
    from knowledge.support_clauses import (APPLICANT_ACTS_RE, CALL_PAPERS_RE, GRANT_CLAUSE_RE, KIND_RE,
                                           WINDOW_CUE_RE)
    from knowledge.support_fields import money_in, rates_in
    from knowledge.support_tables import table_rows, tier_rows
    from knowledge.support_windows import windows_in
    from knowledge.text import line_sentences

    out: dict[str, list[str]] = defaultdict(list)
    if entry_labels(unit_text):
        out["labelled entries"].append(unit_text)
    out["funding table"] += [r.text for r in table_rows(unit_text) + tier_rows(unit_text)]
    for s in line_sentences(unit_text):
        figured = bool(money_in(s) or rates_in(s))
        if (WINDOW_CUE_RE.search(s) or APPLICANT_ACTS_RE.search(s) or CALL_PAPERS_RE.search(s)) and windows_in(s):
            out["call deadline"].append(s)
        if GRANT_CLAUSE_RE.search(s) and not figured:
            out["grant without sum"].append(s)
        if figured and KIND_RE.search(s):
            out["figured grant"].append(s)
    return out


def _item_texts(item: dict) -> list[str]:
    texts = [item.get("quote") or ""]
    if item.get("window"):
        texts.append(item["window"].get("sentence") or "")
    texts += [f["sentence"] for key in ("applicants", "conditions") for f in item.get(key) or []]
    return [t.strip() for t in texts if t and t.strip()]


def read_from(occurrence: str, items: list[dict]) -> bool:
    """Whether an extracted item was read from (or takes a field from) an occurrence."""
    occurrence = occurrence.strip()
    return any(t in occurrence or occurrence in t for it in items for t in _item_texts(it))


def document_counts(doc) -> dict[str, tuple[int, int]]:
    """Per structure, (occurrences, occurrences an item was read from) in one document (`document_from`'s)."""
    items = [it.to_json() for it in doc.support_items]
    seen: dict[str, list[int]] = {s: [0, 0] for s in STRUCTURES}
    for u in doc.units():
        for structure, found in occurrences(u.text).items():
            seen[structure][0] += len(found)
            seen[structure][1] += sum(1 for o in found if read_from(o, items))
    return {s: (a, b) for s, (a, b) in seen.items()}


def cached_document(path: Path, cache: Path | None = None):
    """`document_from` of a corpus file, its loaded pages pickled in `cache` between runs (one loader for the support
    tools: eval.support_sample reads it too); None when the loader refuses the file (garbled, encrypted, a time-out),
    said on stderr and not cached, so a refusal of a busy machine's clock is tried again next run."""
    from ingest.loaders import FileLoader
    from ingest.pipeline import document_from

    f = cache / f"{path.name.split('、')[0]}.pkl" if cache else None
    if f is not None and f.exists():
        return document_from(pickle.loads(f.read_bytes()))
    try:
        loaded = FileLoader(max_file_mb=50, timeout_s=300, workers=1).load(path)
    except Exception as e:  # a refused file has no structures or sentences
        print(f"  {path.name[:30]}: {type(e).__name__}: {e}", file=sys.stderr)
        return None
    if f is not None:
        f.write_bytes(pickle.dumps(loaded))
    return document_from(loaded)


def survey(files: list[Path], cache: Path | None = None) -> dict[str, dict[str, tuple[int, int]]]:
    """{document number: {structure: (occurrences, read)}} over `files`."""
    out = {}
    for p in files:
        doc = cached_document(p, cache)
        if doc is not None:
            out[p.name.split("、")[0]] = document_counts(doc)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.support_structures")
    ap.add_argument("--cache", help="a folder keeping each document's loaded pages (pickled) between runs")
    ap.add_argument("--show", choices=STRUCTURES, help="list the documents of one structure with their counts")
    args = ap.parse_args(argv)
    cache = Path(args.cache) if args.cache else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    files = open_files()
    r = survey(files, cache)
    print(f"{len(r)} open corpus-dc documents read ({len(files)} files)")
    print("structure\tdocuments\toccurrences\tdocuments read\toccurrences read")
    for s in STRUCTURES:
        docs = [d for d, c in r.items() if c[s][0]]
        read = [d for d, c in r.items() if c[s][1]]
        print(f"{s}\t{len(docs)}\t{sum(c[s][0] for c in r.values())}\t{len(read)}\t{sum(c[s][1] for c in r.values())}")
    if args.show:
        for d, c in sorted(r.items(), key=lambda x: -x[1][args.show][0]):
            if c[args.show][0]:
                print(f"{d}\t{c[args.show][0]}\t{c[args.show][1]}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
