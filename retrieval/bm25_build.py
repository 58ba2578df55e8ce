"""The BM25 matrix of the lexical index, built with numpy from token ids kept between rebuilds.

Every commit of an ingest rebuilds the matrix over the whole library (retrieval/lexical.py): bm25s's own `index`
maps every token of every unit to an id and scores each unit in a Python loop, about a second at 42,000 units
(242 corpus-dc documents), 6.8 s of the ingest process's CPU over the 10 commits of that ingest. Here each unit's
tokens are mapped to ids once (`TermIds`), and the counts, document frequencies and scores are computed on whole
arrays. The result is bm25s's own object, scored with bm25s's formulas in the same floating-point operations
(Lucene idf, Robertson/Lucene term frequency), so every column holds the same units with the same float32 scores
(tests/test_bm25_build.py compares them); only the numbering of the vocabulary differs, which bm25s takes from a
set's iteration order anyway.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np


class TermIds:
    """Token → id, for every token seen (ids only grow), and each unit's tokens as an id array, kept for the units
    of the latest rebuild (a unit re-cut into new tokens, or replaced under its id, is mapped again)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self.tokens: list[str] = []  # id → token
        self._units: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}

    def arrays(self, unit_ids: Sequence[str], tokens: Sequence[tuple[str, ...]]) -> list[np.ndarray]:
        ids, names, cache, kept, out = self._ids, self.tokens, self._units, {}, []
        for uid, toks in zip(unit_ids, tokens):
            hit = cache.get(uid)
            if hit is None or hit[0] is not toks:
                row = []
                for t in toks:
                    i = ids.get(t)
                    if i is None:
                        i = ids[t] = len(names)
                        names.append(t)
                    row.append(i)
                hit = (toks, np.array(row, dtype=np.int32))
            kept[uid] = hit
            out.append(hit[1])
        self._units = kept
        return out


def build(rows: list[np.ndarray], names: list[str], k1: float, b: float):
    """A bm25s.BM25 (method "lucene", float32 scores, int32 rows) over units whose tokens are the id arrays `rows`
    (ids into `names`); None when no unit holds a token (bm25s cannot index that corpus)."""
    import bm25s

    n = len(rows)
    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=n)
    if not n or not lengths.any():
        return None
    flat = np.concatenate(rows)
    present, term = np.unique(flat, return_inverse=True)  # the vocabulary: ids of tokens that occur
    n_vocab = len(present)
    doc = np.repeat(np.arange(n, dtype=np.int64), lengths)
    # (unit, term) pairs in that order, with the term's frequency in the unit
    pairs, tf = np.unique(doc * n_vocab + term.astype(np.int64), return_counts=True)
    d, t = pairs // n_vocab, pairs % n_vocab
    df = np.bincount(t, minlength=n_vocab)
    # bm25s: idf_array[token] = math.log(1 + (N - df + 0.5) / (df + 0.5)), a Python float stored as float32
    distinct, which = np.unique(df, return_inverse=True)
    idf = np.array([math.log(1 + (n - int(x) + 0.5) / (int(x) + 0.5)) for x in distinct])[which].astype(np.float32)
    # bm25s, per unit: tf / (k1 * ((1 - b) + b * l_d / l_avg) + tf) with l_avg a numpy float64, so in float64;
    # times the float32 idf, then stored as float32
    l_avg = np.array(lengths).mean()
    norm = k1 * ((1 - b) + b * lengths.astype(np.float64) / l_avg)
    tf64 = tf.astype(np.float32).astype(np.float64)
    scores = idf[t] * (tf64 / (norm[d] + tf64))
    order = np.argsort((t << 32) | d)  # column by column, units in order: bm25s's CSC layout
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    bm25 = bm25s.BM25(k1=k1, b=b)
    bm25.scores = {"data": scores[order].astype(np.float32), "indices": d[order].astype(np.int32),
                   "indptr": indptr, "num_docs": n}
    vocab = {names[g]: i for i, g in enumerate(present.tolist())}
    if "" not in vocab:
        vocab[""] = n_vocab
    bm25.vocab_dict = vocab
    bm25.nonoccurrence_array = None
    bm25.unique_token_ids_set = set(vocab.values())
    return bm25
