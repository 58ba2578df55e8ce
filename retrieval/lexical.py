"""BM25 over units (bm25s), tokenized by jieba; also the catalog of every indexed unit.

bm25s' own tokenizer keeps a whole Chinese clause as one token, so it gets pre-tokenized lists from
`ChineseTokenizer`. Document tokens are cached with the units, so add/remove rebuilds the matrix from
cached tokens (no re-segmentation) — unless the user dictionary changed, which re-tokenizes everything
(segmentation of any text may change with it).

On disk (`save(dir)`): `dir/CURRENT` names a generation folder `gen-NNNNNN/` holding the bm25s index,
`units.jsonl` (unit + tokens) and `meta.json`. CURRENT is replaced atomically after the folder is
complete, so a reader never sees half an index, and its generation number tells other processes that
the index changed.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from retrieval.tokenize import ChineseTokenizer
from retrieval.units import Unit

FORMAT_VERSION = 1
CURRENT = "CURRENT"


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
        self._units: list[Unit] = []
        self._tokens: list[list[str]] = []
        self._pos: dict[str, int] = {}
        self._bm25 = None
        self._fingerprint = tokenizer.fingerprint()
        self.generation = 0  # generation last saved or loaded
        self.revision = 0  # bumped on every in-memory rebuild: lets callers cache derived data

    # --- catalog ----------------------------------------------------------------------------------
    @property
    def units(self) -> list[Unit]:
        return self._units

    def __len__(self) -> int:
        return len(self._units)

    def position(self, unit_id: str) -> int | None:
        return self._pos.get(unit_id)

    def unit(self, unit_id: str) -> Unit | None:
        i = self._pos.get(unit_id)
        return self._units[i] if i is not None else None

    def doc_ids(self) -> set[str]:
        return {u.doc_id for u in self._units}

    def tokens_of(self, unit_id: str) -> list[str]:
        return self._tokens[self._pos[unit_id]]

    # --- changes ----------------------------------------------------------------------------------
    def add(self, units: Sequence[Unit], replace_docs: Iterable[str] = ()) -> None:
        """Add units (replacing any with the same unit_id, and every unit of `replace_docs`); one rebuild."""
        new_ids = {u.unit_id for u in units}
        if len(new_ids) != len(units):
            raise ValueError("LexicalIndex.add: duplicate unit_id in one batch")
        gone = set(replace_docs)
        self._sync_tokenizer(rebuild=False)
        keep = [i for i, u in enumerate(self._units) if u.unit_id not in new_ids and u.doc_id not in gone]
        self._units = [self._units[i] for i in keep] + list(units)
        self._tokens = [self._tokens[i] for i in keep] + [self.tokenizer.tokenize(u.text) for u in units]
        self._rebuild()

    def remove(self, doc_id: str) -> int:
        """Drop every unit of a document; returns how many were removed."""
        keep = [i for i, u in enumerate(self._units) if u.doc_id != doc_id]
        removed = len(self._units) - len(keep)
        if removed:
            self._units = [self._units[i] for i in keep]
            self._tokens = [self._tokens[i] for i in keep]
            self._rebuild()
        return removed

    def add_words(self, words: Iterable[str]) -> int:
        """Extend the user dictionary; re-tokenizes every unit when a word is new. Returns new words."""
        added = self.tokenizer.add_words(words)
        if added:
            self._sync_tokenizer()
        return added

    def _sync_tokenizer(self, rebuild: bool = True) -> None:
        fp = self.tokenizer.fingerprint()
        if fp != self._fingerprint:
            self._tokens = [self.tokenizer.tokenize(u.text) for u in self._units]
            self._fingerprint = fp
            if rebuild:
                self._rebuild()

    def _rebuild(self) -> None:
        import bm25s

        self._pos = {u.unit_id: i for i, u in enumerate(self._units)}
        self.revision += 1
        if not self._units:
            self._bm25 = None
            return
        bm25 = bm25s.BM25(k1=self.k1, b=self.b)
        bm25.index(self._tokens, show_progress=False)
        self._bm25 = bm25

    # --- search -----------------------------------------------------------------------------------
    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every unit (positions as in `units`); zeros when no query token is indexed."""
        n = len(self._units)
        if self._bm25 is None or not query_tokens:
            return np.zeros(n, dtype=np.float32)
        vocab = self._bm25.vocab_dict
        # A term repeated in the query (or added again by expansion) counts once.
        ids = sorted({vocab[t] for t in query_tokens if t and t in vocab})
        if not ids:
            return np.zeros(n, dtype=np.float32)
        return self._bm25.get_scores_from_ids(ids)

    def search(self, query: str | Sequence[str], top_k: int = 10,
               mask: np.ndarray | None = None) -> list[tuple[Unit, float]]:
        """Best units with a positive score, best first; `mask` (bool per position) restricts the search."""
        tokens = self.tokenizer.tokenize(query) if isinstance(query, str) else list(query)
        return [(self._units[i], s) for i, s in self.top(self.scores(tokens), top_k, mask)]

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
        if self._bm25 is not None:
            self._bm25.save(gen_dir, show_progress=False)
        with open(gen_dir / "units.jsonl", "w", encoding="utf-8") as f:
            for u, toks in zip(self._units, self._tokens):
                f.write(json.dumps({"unit": u.to_json(), "tokens": toks}, ensure_ascii=False) + "\n")
        meta = {"format": FORMAT_VERSION, "fingerprint": self._fingerprint, "count": len(self._units),
                "user_words": sorted(self.tokenizer.user_words), "k1": self.k1, "b": self.b}
        (gen_dir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        tmp = directory / f"{CURRENT}.tmp"
        tmp.write_text(gen_dir.name, encoding="utf-8")
        os.replace(tmp, directory / CURRENT)
        self.generation = gen
        # Keep the previous generation for a reader that is still loading it; drop older ones.
        for old in directory.glob("gen-*"):
            if old.is_dir() and _gen_no(old.name) < gen - 1:
                shutil.rmtree(old, ignore_errors=True)
        return gen

    @classmethod
    def load(cls, directory: str | Path, tokenizer: ChineseTokenizer) -> "LexicalIndex":
        """Load the CURRENT generation; an absent directory gives an empty index."""
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
        with open(gen_dir / "units.jsonl", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                index._units.append(Unit.from_json(rec["unit"]))
                index._tokens.append(rec["tokens"])
        index._pos = {u.unit_id: i for i, u in enumerate(index._units)}
        index.revision += 1
        index.generation = gen
        index._fingerprint = meta["fingerprint"]
        if index._units:
            index._bm25 = bm25s.BM25.load(gen_dir, show_progress=False)
        if len(index._units) != meta["count"] or (
                index._bm25 is not None and index._bm25.scores["num_docs"] != len(index._units)):
            raise ValueError(f"{gen_dir}: units and BM25 matrix disagree; rebuild with `python app.py reindex`")
        # The tokenizer may know more words than the saved index (added by the caller): re-tokenize.
        index._sync_tokenizer()
        return index

    @staticmethod
    def current_generation(directory: str | Path) -> int:
        """The generation CURRENT points at (0 when there is none): cheap, for staleness checks."""
        try:
            return _gen_no((Path(directory) / CURRENT).read_text(encoding="utf-8").strip())
        except FileNotFoundError:
            return 0


def _gen_no(name: str) -> int:
    try:
        return int(name.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return 0


def _max_generation(directory: Path) -> int:
    return max((_gen_no(p.name) for p in directory.glob("gen-*")), default=0)
