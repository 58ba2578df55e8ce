"""Does every piece of a document's text reach a unit? A check of the outline parser over real files.

`lost_text(pages, doc)`: runs of the cleaned document text (the text units are cut from, `structure.clean_body`)
that are in no unit's text — so they can never be retrieved, quoted or cited — each with its cause:
  title     a heading's title line with no text of its own, shown as an entry of its units' heading path (the
            section titles `二、加快推动绿色低碳发展`): readable with every unit under it, not lost — unless the
            entry reads as a sentence (see `odd_headings`)
  heading   any other run starting at a heading: text of a heading (a list's lead-in sentence
            `（7）…不得发生下列情形：`) that no unit holds
  preamble  text before the first heading
  tail      text after the last unit
  between   text between two units
`odd_headings(doc)`: heading-path entries that are sentences, not titles (ending in ：/。/；, or longer than a
title runs with a comma in them).

`python -m ingest.coverage PATH... [--show N]` parses folders (index nothing) and counts both by cause.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.clean import drop_toc
from ingest.outline import find_outline
from knowledge.model import Document

MIN_RUN = 2  # non-space characters: a lone stray mark is not lost text
TITLE_MAX = 40  # characters of mark + title beyond which a path entry reads as a sentence, not a title


@dataclass(frozen=True)
class Lost:
    start: int
    text: str
    cause: str


def covered_mask(text: str, doc: Document) -> list[bool]:
    """Characters of `text` that some unit's text holds (each line of a unit found in order, else anywhere)."""
    mask = [False] * len(text)
    cursor = 0
    for u in doc.units():
        for line in u.text.split("\n"):
            line = line.strip()
            if not line:
                continue
            at = text.find(line, cursor)
            if at < 0:
                at = text.find(line)
            if at < 0:
                continue
            for i in range(at, at + len(line)):
                mask[i] = True
            cursor = at + len(line)
    return mask


def _bare(entry: str) -> str:
    """A heading as written or as a path entry, compared without spaces and a closing 。 (附件： as 附件)."""
    entry = re.sub(r"\s", "", entry).rstrip("。")
    return re.sub(r"^(附件\d*)[:：]$", r"\1", entry)


def lost_text(pages: list[str], doc: Document) -> list[Lost]:
    from ingest.structure import clean_body

    text = clean_body(drop_toc(pages))[3].text
    mask = covered_mask(text, doc)
    heads, _ = find_outline(text)
    head_starts = {h.start for h in heads}
    in_paths = {_bare(e) for u in doc.units() for e in u.path if not _sentence(e)}
    first_covered = next((i for i, c in enumerate(mask) if c), len(text))
    last_covered = max((i for i, c in enumerate(mask) if c), default=-1)
    out, i = [], 0
    while i < len(text):
        if mask[i] or text[i].isspace():
            i += 1
            continue
        j = i
        while j < len(text) and not mask[j]:
            j += 1
        run = text[i:j].strip()
        if len(re.sub(r"\s", "", run)) >= MIN_RUN:
            lines = [_bare(ln) for ln in run.split("\n") if ln.strip()]
            titled = _bare(run) in in_paths or all(ln in in_paths for ln in lines)
            cause = ("title" if i in head_starts and titled
                     else "heading" if i in head_starts else "preamble" if i < first_covered
                     else "tail" if i > last_covered else "between")
            out.append(Lost(i, run, cause))
        i = j
    return out


def _sentence(entry: str) -> bool:
    """Ends as a sentence, or runs longer than a title with a comma in it (a long annex name is a title)."""
    return entry.endswith(("：", ":", "。", "；")) or (len(entry) > TITLE_MAX and bool(re.search(r"[，,。；]", entry)))


def odd_headings(doc: Document) -> list[str]:
    """Heading-path entries (mark + title) that read as sentences (`_sentence`)."""
    seen: dict[str, None] = {}
    for u in doc.units():
        for entry in u.path:
            if _sentence(entry):
                seen.setdefault(entry)
    return list(seen)


def main(argv: list[str] | None = None) -> None:
    import argparse
    from pathlib import Path

    from errors import RejectedFile
    from ingest.loaders import FileLoader
    from ingest.structure import parse

    ap = argparse.ArgumentParser(prog="python -m ingest.coverage")
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--exclude", help="file of file names to skip, one a line")
    ap.add_argument("--show", type=int, default=3, help="examples printed per document")
    a = ap.parse_args(argv)
    skip = set(Path(a.exclude).read_text(encoding="utf-8").split("\n")) if a.exclude else set()
    files = sorted(p for x in a.paths for p in (Path(x).glob("*.pdf") if Path(x).is_dir() else [Path(x)])
                   if p.name not in skip)
    causes, docs_with, chars, odd = Counter(), Counter(), Counter(), 0
    for item in FileLoader(max_file_mb=50, timeout_s=120, workers=2).load_many(files):
        if isinstance(item, RejectedFile):
            continue
        doc = parse(item.pages, item.title_hint, source=item.source)
        lost, bad = lost_text(item.pages, doc), odd_headings(doc)
        for c in {x.cause for x in lost}:
            docs_with[c] += 1
        for x in lost:
            causes[x.cause] += 1
            chars[x.cause] += len(x.text)
        odd += len(bad)
        if lost or bad:
            print(f"== {item.source}: {len(lost)} lost runs, {len(bad)} sentence headings")
            for x in lost[: a.show]:
                print(f"   [{x.cause}] {x.text[:80]!r}")
            for b in bad[: a.show]:
                print(f"   [path] {b[:80]!r}")
    print(f"\n{len(files)} files")
    for c in ("title", "heading", "preamble", "between", "tail"):
        print(f"{c:9} runs {causes[c]:5}  chars {chars[c]:6}  documents {docs_with[c]}")
    print(f"sentence headings in paths: {odd}")


if __name__ == "__main__":
    main()
