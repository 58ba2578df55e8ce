"""What changed between two generations of the BM25 index on disk, so another process can follow a write without
reading the whole index again (issue 11: a CLI ingest, or the UI's ingest child, saves one generation per batch,
and the serving process reloaded every unit and its tokens each time: seconds per batch on a library).

`save` writes `delta-NNNNNN.jsonl` beside generation NNNNNN when it knows the state of the generation before it
(`Disk`, the units and tokens as they are on disk at that generation): a header line (the base generation and its
fingerprint, which runs of the base's positions are kept, in order, and which of those kept units were cut into
new tokens) and one line per appended unit with its tokens. `LexicalIndex.load(previous=...)` replays the chain of
deltas from the generation it holds to the current one and takes the BM25 matrix from the generation's folder (a
cheap read of numpy arrays); anything missing, out of chain or failing a check loads the generation in full.
Every rebuild keeps the surviving units in order and appends the new ones (`LexicalIndex.add/remove/add_words`),
which is the one shape a delta describes; any other order gives no delta.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from retrieval.units import Unit

log = logging.getLogger(__name__)

DELTA_FORMAT = 1
KEEP = 16  # deltas kept behind the newest (a library ingest saves one per batch): a reader further behind loads in full
MAX_CHAIN = KEEP
MAX_SHARE = 0.5  # a delta adding more than this share of the units is not written: a full load is as quick


@dataclass(frozen=True)
class Disk:
    """The units and tokens of one generation as they are on disk (what a delta's base must be)."""
    directory: str
    generation: int
    fingerprint: str
    units: tuple[Unit, ...]
    tokens: tuple[tuple[str, ...], ...]


def delta_path(directory: Path, generation: int) -> Path:
    return Path(directory) / f"delta-{generation:06d}.jsonl"


def ids_digest(units: Sequence[Unit]) -> str:
    """A short digest of the unit ids in order: a replayed delta must give exactly the saved list."""
    h = hashlib.blake2b(digest_size=12)
    for u in units:
        h.update(u.unit_id.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def diff(base: Disk, units: Sequence[Unit], tokens: Sequence[tuple[str, ...]]) -> dict | None:
    """`units`/`tokens` as kept runs of the base's positions, re-cut tokens and appended units; None when they are
    not in that shape (or the delta would be most of the index)."""
    runs: list[list[int]] = []
    kept = 0
    i, n = 0, len(base.units)
    for u in units:  # kept units are the base's own objects, in the base's order (identity: no hashing)
        while i < n and base.units[i] is not u:
            i += 1
        if i == n:
            break
        if runs and runs[-1][1] == i:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
        i, kept = i + 1, kept + 1
    added = len(units) - kept
    if added > MAX_SHARE * max(len(units), 1) and len(units) > 16:
        return None
    recut = []
    j = 0
    for a, b in runs:
        for k in range(a, b):
            if tokens[j] is not base.tokens[k] and tuple(tokens[j]) != base.tokens[k]:
                recut.append([j, list(tokens[j])])
            j += 1
    return {"runs": runs, "recut": recut, "added": list(range(kept, len(units)))}


def write(directory: Path, generation: int, base: Disk, fingerprint: str, units: Sequence[Unit],
          tokens: Sequence[tuple[str, ...]]) -> bool:
    """Write the delta from `base` to `generation` (before CURRENT names it); False when there is none to write."""
    d = diff(base, units, tokens)
    path = delta_path(directory, generation)
    if d is None:
        path.unlink(missing_ok=True)
        return False
    header = {"format": DELTA_FORMAT, "generation": generation, "base": base.generation,
              "base_fingerprint": base.fingerprint, "base_count": len(base.units), "fingerprint": fingerprint,
              "count": len(units), "ids": ids_digest(units), "runs": d["runs"], "recut": d["recut"]}
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        for j in d["added"]:
            f.write(json.dumps({"unit": units[j].to_json(), "tokens": list(tokens[j])}, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return True


def prune(directory: Path, newest: int) -> None:
    for p in Path(directory).glob("delta-*.jsonl"):
        try:
            n = int(p.stem.rsplit("-", 1)[1])
        except (IndexError, ValueError):
            continue
        if n <= newest - KEEP:
            p.unlink(missing_ok=True)


def _read(path: Path) -> tuple[dict, list[str]] | None:
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    if not lines:
        return None
    try:
        header = json.loads(lines[0])
    except ValueError:
        log.warning("%s: unreadable delta header; loading the BM25 index in full", path)
        return None
    if not isinstance(header, dict) or header.get("format") != DELTA_FORMAT:
        got = header.get("format") if isinstance(header, dict) else type(header).__name__
        log.warning("%s: delta header is not a format-%d object (%r); loading the BM25 index in full",
                    path, DELTA_FORMAT, got)
        return None
    return header, lines[1:]


def replay(directory: Path, generation: int, base: Disk | None
           ) -> tuple[tuple[Unit, ...], tuple[tuple[str, ...], ...], str] | None:
    """The units, tokens and fingerprint of `generation`, from `base` and the deltas between them; None when the
    chain is broken (a delta missing, pruned, written from another base, failing a check, or with a malformed
    line, which is logged): the caller then loads the generation in full (the store is the truth, and the
    generation's folder holds all of it)."""
    try:
        return _replay(directory, generation, base)
    except (ValueError, KeyError, TypeError, IndexError) as e:  # a torn or damaged line (json, fields, shapes)
        log.warning("%s: a delta up to generation %d is unreadable (%s: %s); loading the BM25 index in full",
                    directory, generation, type(e).__name__, e)
        return None


def _replay(directory: Path, generation: int, base: Disk | None
            ) -> tuple[tuple[Unit, ...], tuple[tuple[str, ...], ...], str] | None:
    if base is None or generation <= base.generation or base.directory != str(Path(directory).resolve()):
        return None
    chain = []
    at = generation
    while at != base.generation:
        if len(chain) >= MAX_CHAIN:
            return None
        read = _read(delta_path(directory, at))
        if read is None or read[0].get("generation") != at:
            return None
        chain.append(read)
        at = read[0].get("base", -1)
        if at < base.generation:
            return None
    units, tokens, fingerprint = base.units, base.tokens, base.fingerprint
    for header, lines in reversed(chain):
        step = _apply(header, lines, units, tokens, fingerprint)
        if step is None:
            return None
        units, tokens, fingerprint = step
    return units, tokens, fingerprint


def _apply(header: dict, lines: list[str], units: tuple, tokens: tuple, fingerprint: str
           ) -> tuple[tuple[Unit, ...], tuple[tuple[str, ...], ...], str] | None:
    """One delta applied to the generation before it; None when it was written from another base or fails its
    checks. Raises on a malformed line (`replay` logs it and answers None)."""
    if header["base_fingerprint"] != fingerprint or header["base_count"] != len(units):
        return None
    new_units: list[Unit] = []
    new_tokens: list[tuple[str, ...]] = []
    for a, b in header["runs"]:
        if not 0 <= a < b <= len(units):
            return None
        new_units.extend(units[a:b])
        new_tokens.extend(tokens[a:b])
    for j, toks in header["recut"]:
        new_tokens[j] = tuple(toks)
    for line in lines:
        rec = json.loads(line)
        new_units.append(Unit.from_json(rec["unit"]))
        new_tokens.append(tuple(rec["tokens"]))
    if len(new_units) != header["count"] or ids_digest(new_units) != header["ids"]:
        return None
    return tuple(new_units), tuple(new_tokens), header["fingerprint"]
