"""BM25 over units (bm25s), tokenized by jieba; also the catalog of every indexed unit.

bm25s' own tokenizer keeps a whole Chinese clause as one token, so it gets pre-tokenized lists from
`ChineseTokenizer`. Document tokens are cached with the units, so add/remove rebuilds the matrix from
cached tokens (no re-segmentation) — unless the user dictionary changed, which re-tokenizes everything
(segmentation of any text may change with it).

On disk (`save(dir)`): `dir/CURRENT` names a generation folder `gen-NNNNNN/` holding the bm25s index,
`units.jsonl` (unit + tokens) and `meta.json`. CURRENT is replaced atomically after the folder is
complete, so a reader never sees half an index, and its generation number tells other processes that
the index changed. Beside generation N, `delta-NNNNNN.jsonl` says what changed since the generation before it
(`retrieval.lexical_delta`), so another process holding that one follows the write without reading every unit.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

import gc_pause
from retrieval import bm25_build, lexical_delta
from retrieval.tokenize import ChineseTokenizer, normalise
from retrieval.units import Unit

FORMAT_VERSION = 1
CURRENT = "CURRENT"


@dataclass(frozen=True)
class LexicalSnapshot:
    """One consistent state of the index: units, their tokens, positions and the BM25 matrix.

    Every change builds a new snapshot and swaps it in with one assignment, so a search running in
    another thread keeps reading the snapshot it started with (never new units with an old matrix).
    """

    units: tuple[Unit, ...] = ()
    tokens: tuple[tuple[str, ...], ...] = ()
    pos: dict = field(default_factory=dict)  # unit_id → position
    bm25: object = None  # bm25s.BM25, None when empty
    revision: int = 0

    def position(self, unit_id: str) -> int | None:
        return self.pos.get(unit_id)

    def unit(self, unit_id: str) -> Unit | None:
        i = self.pos.get(unit_id)
        return self.units[i] if i is not None else None

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every unit (positions as in `units`); zeros when no query token is indexed."""
        n = len(self.units)
        if self.bm25 is None or not query_tokens:
            return np.zeros(n, dtype=np.float32)
        vocab = self.bm25.vocab_dict
        # A term repeated in the query (or added again by expansion) counts once.
        ids = sorted({vocab[t] for t in query_tokens if t and t in vocab})
        if not ids:
            return np.zeros(n, dtype=np.float32)
        return self.bm25.get_scores_from_ids(ids)

    def coverage(self, query_tokens: Sequence[str], positions: Sequence[int]) -> np.ndarray:
        """For each unit at `positions`, the share of the query's IDF mass its text holds (0..1): the
        query words it contains, each weighed by its IDF (Lucene's, as BM25 scores it), over all indexed
        query words. BM25 ranks a unit matching one common word of five first when no unit matches more;
        the coverage says how much of the question that first unit actually answers."""
        out = np.zeros(len(positions), dtype=np.float32)
        if self.bm25 is None:
            return out
        vocab = self.bm25.vocab_dict
        words = sorted({t for t in query_tokens if t and t in vocab})
        if not words:
            return out
        indptr = self.bm25.scores["indptr"]
        n = len(self.units)
        idf = {}
        for t in words:
            df = int(indptr[vocab[t] + 1] - indptr[vocab[t]])
            idf[t] = float(np.log((n - df + 0.5) / (df + 0.5) + 1.0))
        total = sum(idf.values())
        for j, i in enumerate(positions):
            have = set(self.tokens[i])
            out[j] = sum(w for t, w in idf.items() if t in have) / total
        return out


class LexicalIndex:
    def __init__(self, tokenizer: ChineseTokenizer, k1: float = 1.5, b: float = 0.75):
        if not isinstance(tokenizer, ChineseTokenizer):
            raise TypeError(f"LexicalIndex: tokenizer must be a ChineseTokenizer, got {type(tokenizer).__name__}")
        if not k1 > 0:
            raise ValueError(f"LexicalIndex: k1 must be > 0, got {k1}")
        if not 0 <= b <= 1:
            raise ValueError(f"LexicalIndex: b must be in [0, 1], got {b}")
        self.tokenizer = tokenizer
        self.k1, self.b = k1, b
        self._snap = LexicalSnapshot()
        self._fingerprint = tokenizer.fingerprint()
        self._words = tokenizer.user_words  # the user words the snapshot's tokens were cut with
        self.generation = 0  # generation last saved or loaded
        self.stale_on_disk = False  # loaded, then re-tokenized with a larger dictionary: worth saving
        self._disk: lexical_delta.Disk | None = None  # the generation last saved or loaded, as it is on disk
        self._norm: dict[str, tuple[Unit, str]] = {}  # unit_id → (unit, normalised text): see _normalised
        self._term_ids = bm25_build.TermIds()  # each unit's tokens as ids, kept between rebuilds

    # --- catalog ----------------------------------------------------------------------------------
    def snapshot(self) -> LexicalSnapshot:
        return self._snap

    @property
    def revision(self) -> int:
        """Bumped on every rebuild: lets callers cache data derived from the units."""
        return self._snap.revision

    @property
    def units(self) -> tuple[Unit, ...]:
        return self._snap.units

    def __len__(self) -> int:
        return len(self._snap.units)

    def position(self, unit_id: str) -> int | None:
        return self._snap.position(unit_id)

    def unit(self, unit_id: str) -> Unit | None:
        return self._snap.unit(unit_id)

    def doc_ids(self) -> set[str]:
        return {u.doc_id for u in self._snap.units}

    def tokens_of(self, unit_id: str) -> tuple[str, ...]:
        return self._snap.tokens[self._snap.pos[unit_id]]

    # --- changes ----------------------------------------------------------------------------------
    def add(self, units: Sequence[Unit], replace_docs: Iterable[str] = (), tokens: Sequence | None = None) -> None:
        """Add units (replacing any with the same unit_id, and every unit of `replace_docs`); one rebuild.
        `tokens` (per unit; None entries are cut here): the units' tokens under this tokenizer's current
        dictionary, cut elsewhere (SearchIndex has them cut in the embedding workers)."""
        new_ids = {u.unit_id for u in units}
        if len(new_ids) != len(units):
            raise ValueError("LexicalIndex.add: duplicate unit_id in one batch")
        gone = set(replace_docs)
        old_units, old_tokens = self._current_tokens()
        keep = [i for i, u in enumerate(old_units) if u.unit_id not in new_ids and u.doc_id not in gone]
        given = tokens if tokens is not None else [None] * len(units)
        if len(given) != len(units):
            raise ValueError("LexicalIndex.add: tokens and units differ in length")
        new_tokens = [tuple(t) if t is not None else tuple(self.tokenizer.tokenize(u.text))
                      for u, t in zip(units, given)]
        self._rebuild([old_units[i] for i in keep] + list(units), [old_tokens[i] for i in keep] + new_tokens)

    def remove(self, doc_id: str) -> int:
        """Drop every unit of a document; returns how many were removed."""
        snap = self._snap
        keep = [i for i, u in enumerate(snap.units) if u.doc_id != doc_id]
        removed = len(snap.units) - len(keep)
        if removed:
            self._rebuild([snap.units[i] for i in keep], [snap.tokens[i] for i in keep])
        return removed

    def add_words(self, words: Iterable[str]) -> int:
        """Extend the user dictionary; re-tokenizes every unit when a word is new. Returns new words."""
        added = self.tokenizer.add_words(words)
        if added:
            self._rebuild(*self._current_tokens())
        return added

    def _current_tokens(self) -> tuple[list[Unit], list[tuple[str, ...]]]:
        """The units and their tokens under the tokenizer's current dictionary (re-tokenized if it changed)."""
        snap = self._snap
        fp = self.tokenizer.fingerprint()
        if fp == self._fingerprint:
            return list(snap.units), list(snap.tokens)
        words = self.tokenizer.user_words
        if self.tokenizer.same_but_words(self._words, self._fingerprint):
            # Only words were added (every ingest adds the new documents' bureaus and places): re-cut only
            # the units that contain one. Re-tokenizing every unit at every batch made a library ingest
            # quadratic (seconds per batch at a few hundred documents).
            tokens = list(snap.tokens)
            for i in units_containing(self._normalised(snap.units), words - self._words, normalised=True):
                tokens[i] = tuple(self.tokenizer.tokenize(snap.units[i].text))
        else:
            tokens = [tuple(self.tokenizer.tokenize(u.text)) for u in snap.units]
        self._fingerprint, self._words = fp, words
        return list(snap.units), tokens

    def _normalised(self, units: Sequence[Unit]) -> list[str]:
        """Each unit's text as `units_containing` searches it, kept per unit between batches: every batch of an
        ingest looks for its new words in the whole library, and normalising ~47,000 texts again each time cost
        about a second of CPU per batch on corpus-dc. Only the given (current) units are kept."""
        cache, kept = self._norm, {}
        out = []
        for u in units:
            hit = cache.get(u.unit_id)
            if hit is None or hit[0] is not u:  # a unit replaced under the same id is normalised again
                hit = (u, normalise(u.text))
            kept[u.unit_id] = hit
            out.append(hit[1])
        self._norm = kept
        return out

    def _rebuild(self, units: list[Unit], tokens: list[tuple[str, ...]]) -> None:
        import bm25s

        bm25 = None
        if units:
            rows = self._term_ids.arrays([u.unit_id for u in units], tokens)
            bm25 = bm25_build.build(rows, self._term_ids.tokens, self.k1, self.b)
            if bm25 is None:  # not one token in any unit: bm25s's own index, which refuses that, says so
                bm25 = bm25s.BM25(k1=self.k1, b=self.b)
                bm25.index([list(t) for t in tokens], show_progress=False)
        self._snap = LexicalSnapshot(units=tuple(units), tokens=tuple(tokens),
                                     pos={u.unit_id: i for i, u in enumerate(units)}, bm25=bm25,
                                     revision=self._snap.revision + 1)

    # --- search -----------------------------------------------------------------------------------
    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        return self._snap.scores(query_tokens)

    def search(self, query: str | Sequence[str], top_k: int = 10,
               mask: np.ndarray | None = None) -> list[tuple[Unit, float]]:
        """Best units with a positive score, best first; `mask` (bool per position) restricts the search."""
        snap = self._snap
        tokens = self.tokenizer.tokenize(query) if isinstance(query, str) else list(query)
        return [(snap.units[i], s) for i, s in self.top(snap.scores(tokens), top_k, mask)]

    @staticmethod
    def top(scores: np.ndarray, top_k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(top_k, int(np.count_nonzero(scores > 0)))
        if k <= 0:
            return []
        idx = np.argpartition(-scores, k - 1)[:k]
        idx = idx[np.lexsort((idx, -scores[idx]))]  # by score, then position: deterministic
        return [(int(i), float(scores[i])) for i in idx]

    # --- persistence ------------------------------------------------------------------------------
    def save(self, directory: str | Path) -> int:
        """Write a new generation and point CURRENT at it; returns the generation number."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        gen = max(self.current_generation(directory), _max_generation(directory)) + 1
        gen_dir = directory / f"gen-{gen:06d}"
        if gen_dir.exists():
            shutil.rmtree(gen_dir)
        gen_dir.mkdir()
        snap = self._snap
        if snap.bm25 is not None:
            snap.bm25.save(gen_dir, show_progress=False)
        with open(gen_dir / "units.jsonl", "w", encoding="utf-8") as f:
            for u, toks in zip(snap.units, snap.tokens):
                f.write(json.dumps({"unit": u.to_json(), "tokens": list(toks)}, ensure_ascii=False) + "\n")
        meta = {"format": FORMAT_VERSION, "fingerprint": self._fingerprint, "count": len(snap.units),
                "user_words": sorted(self.tokenizer.user_words), "k1": self.k1, "b": self.b}
        (gen_dir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        where = str(directory.resolve())
        # Before CURRENT names the generation, so a reader that sees it finds its delta (none without a base here).
        if not (self._disk is not None and self._disk.directory == where
                and lexical_delta.write(directory, gen, self._disk, self._fingerprint, snap.units, snap.tokens)):
            lexical_delta.delta_path(directory, gen).unlink(missing_ok=True)
        tmp = directory / f"{CURRENT}.tmp"
        tmp.write_text(gen_dir.name, encoding="utf-8")
        os.replace(tmp, directory / CURRENT)
        self.generation = gen
        self.stale_on_disk = False
        self._disk = lexical_delta.Disk(where, gen, self._fingerprint, snap.units, snap.tokens)
        lexical_delta.prune(directory, gen)
        # Keep the previous generation for a reader that is still loading it; drop older ones.
        for old in directory.glob("gen-*"):
            if old.is_dir() and _gen_no(old.name) < gen - 1:
                shutil.rmtree(old, ignore_errors=True)
        return gen

    @classmethod
    def load(cls, directory: str | Path, tokenizer: ChineseTokenizer,
             previous: "LexicalIndex | None" = None) -> "LexicalIndex":
        """Load the CURRENT generation; an absent directory gives an empty index. With `previous` (an index loaded
        or saved earlier from this directory), its units are reused and the deltas since its generation applied
        (the BM25 matrix is read from the generation's folder either way); without a usable delta, a full load."""
        import bm25s

        directory = Path(directory)
        gen = cls.current_generation(directory)
        if gen == 0:
            return cls(tokenizer)
        gen_dir = directory / f"gen-{gen:06d}"
        meta = json.loads((gen_dir / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{gen_dir}: lexical index format {meta.get('format')}, expected {FORMAT_VERSION}: "
                             f"rebuild it with `python app.py reindex`")
        tokenizer.add_words(meta["user_words"])
        index = cls(tokenizer, k1=meta["k1"], b=meta["b"])
        with gc_pause.paused():  # millions of objects
            replayed = lexical_delta.replay(directory, gen, previous._disk) if previous is not None else None
        if replayed is not None and replayed[2] == meta["fingerprint"]:
            units, tokens = list(replayed[0]), list(replayed[1])
        else:
            units, tokens = _read_units(gen_dir / "units.jsonl")
        bm25 = bm25s.BM25.load(gen_dir, show_progress=False) if units else None
        if len(units) != meta["count"] or (bm25 is not None and bm25.scores["num_docs"] != len(units)):
            raise ValueError(f"{gen_dir}: units and BM25 matrix disagree; rebuild with `python app.py reindex`")
        index._snap = LexicalSnapshot(units=tuple(units), tokens=tuple(tokens),
                                      pos={u.unit_id: i for i, u in enumerate(units)}, bm25=bm25, revision=1)
        index.generation = gen
        index._fingerprint = meta["fingerprint"]
        index._words = frozenset(meta["user_words"])
        index._disk = lexical_delta.Disk(str(directory.resolve()), gen, meta["fingerprint"], index._snap.units,
                                         index._snap.tokens)
        # The tokenizer may know more words than the saved index (added by the caller, or a newer
        # terms file): re-tokenize, and tell the caller the saved copy is out of date.
        if tokenizer.fingerprint() != index._fingerprint:
            index._rebuild(*index._current_tokens())
            index.stale_on_disk = True
        return index

    @staticmethod
    def current_generation(directory: str | Path) -> int:
        """The generation CURRENT points at (0 when there is none): cheap, for staleness checks."""
        try:
            return _gen_no((Path(directory) / CURRENT).read_text(encoding="utf-8").strip())
        except FileNotFoundError:
            return 0


def _read_units(path: Path) -> tuple[list[Unit], list[tuple[str, ...]]]:
    units, tokens = [], []
    with open(path, encoding="utf-8") as f, gc_pause.paused():  # millions of objects
        for line in f:
            rec = json.loads(line)
            units.append(Unit.from_json(rec["unit"]))
            tokens.append(tuple(rec["tokens"]))
    return units, tokens


def units_containing(texts: Sequence[str], words: Iterable[str], normalised: bool = False) -> list[int]:
    """Positions of the texts whose normalised form contains one of `words` (already normalised); `normalised`:
    the texts are given in that form already."""
    words = [w for w in words if w]
    if not words or not texts:
        return []
    if not normalised:
        texts = [normalise(t) for t in texts]
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    joined = "\0".join(texts)  # one C-speed search per word over the whole index
    hit: set[int] = set()
    import bisect

    for w in words:
        at = joined.find(w)
        while at >= 0:
            i = bisect.bisect_right(starts, at) - 1
            hit.add(i)
            at = joined.find(w, starts[i] + len(texts[i]) + 1)  # next unit
    return sorted(hit)


def _gen_no(name: str) -> int:
    try:
        return int(name.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return 0


def _max_generation(directory: Path) -> int:
    return max((_gen_no(p.name) for p in directory.glob("gen-*")), default=0)
