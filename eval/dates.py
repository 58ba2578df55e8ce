"""Front-matter dates against a hand-judged sample: `python -m eval.dates [--sample docs/dates-sample.jsonl]
[--files-from ../shared/corpus-dc] [--show]`; `--counts` instead counts, over the PDFs of --files-from, the
documents whose front matter gives each field (counts only: no value or text is printed); it leaves out the
documents no helper opens (eval.held_back.closed_number: the test documents and the held-back batch's) unless
`--closed` is given — the lead's option, since counting parses them. Each row names a corpus-dc file and the
dates a reader finds in its PDF (issued, effective, expires; null when the document states none); the parser's
`meta` is scored against them per field: precision (extracted values that are right) and recall (stated values
extracted). Values compare after
white space is removed: 2022年3月 for a cover dated by month, 印发之日 for an effect from the day of issue, 五年 as
written. docs/dates-extraction.md tells how the sample was judged."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

FIELDS = ("issued", "effective", "expires")


def _norm(v) -> str:
    return re.sub(r"\s+", "", str(v or ""))


def score(rows: list[dict], metas: dict[str, dict]) -> dict:
    """{field: {tp, extracted, stated, precision, recall}} over the rows whose file has a meta."""
    out = {}
    for f in FIELDS:
        tp = ext = stated = 0
        for r in rows:
            meta = metas.get(r["file"])
            if meta is None:
                continue
            got, want = _norm(meta.get(f)), _norm(r.get(f))
            ext += bool(got)
            stated += bool(want)
            tp += bool(got) and got == want
        out[f] = {"tp": tp, "extracted": ext, "stated": stated,
                  "precision": round(tp / ext, 3) if ext else None, "recall": round(tp / stated, 3) if stated else None}
    return out


def parse_meta(path: Path) -> dict:
    from ingest.loaders import load_file
    from ingest.structure import parse

    lf = load_file(path, max_file_mb=50, timeout_s=300)
    return parse(lf.pages, lf.title_hint).meta


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.dates")
    p.add_argument("--sample", default="docs/dates-sample.jsonl")
    p.add_argument("--files-from", default="../shared/corpus-dc")
    p.add_argument("--show", action="store_true", help="print each disagreement")
    p.add_argument("--counts", action="store_true", help="count the fields found over the files of --files-from")
    p.add_argument("--closed", action="store_true",
                   help="with --counts, count the closed documents too (test and held-back: the lead's option)")
    a = p.parse_args(argv)
    if a.counts:
        from eval.held_back import closed_number

        counts = dict.fromkeys(("files", *FIELDS), 0)
        for path in sorted(Path(a.files_from).glob("*.pdf")):
            if closed_number(path.name) and not a.closed:
                continue
            meta = parse_meta(path)
            counts["files"] += 1
            for f in FIELDS:
                counts[f] += bool(meta.get(f))
        json.dump(counts, sys.stdout)
        print()
        return 0
    rows = [json.loads(line) for line in Path(a.sample).read_text(encoding="utf-8").splitlines() if line.strip()]
    metas = {r["file"]: parse_meta(Path(a.files_from) / r["file"]) for r in rows}
    if a.show:
        for r in rows:
            for f in FIELDS:
                got, want = _norm(metas[r["file"]].get(f)), _norm(r.get(f))
                if got != want:
                    print(f"{r['file'][:40]}\t{f}\tgot {got or '-'}\twant {want or '-'}")
    json.dump(score(rows, metas), sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
