"""The BM25 matrix built with numpy (retrieval/bm25_build.py) is bm25s's own, column by column."""
from __future__ import annotations

import bm25s
import numpy as np

from retrieval import bm25_build
from retrieval.lexical import LexicalIndex
from retrieval.tokenize import ChineseTokenizer
from retrieval.units import units_for
from tests.test_retrieval_support import national_doc, primary_doc


def _columns(bm25) -> dict:
    s = bm25.scores
    out = {}
    for token, i in bm25.vocab_dict.items():
        if i < len(s["indptr"]) - 1:
            a, b = s["indptr"][i], s["indptr"][i + 1]
            out[token] = (s["indices"][a:b].tolist(), s["data"][a:b].tobytes())
        else:
            out[token] = None  # bm25s's empty token, past the last column
    return out


def _units_and_tokens():
    tok = ChineseTokenizer(pin_total=True)
    units = units_for(primary_doc()) + units_for(national_doc())
    return units, [tuple(tok.tokenize(u.text)) for u in units]


def test_same_columns_and_float32_scores_as_bm25s_index():
    units, tokens = _units_and_tokens()
    ref = bm25s.BM25(k1=1.5, b=0.75)
    ref.index([list(t) for t in tokens], show_progress=False)
    ids = bm25_build.TermIds()
    built = bm25_build.build(ids.arrays([u.unit_id for u in units], tokens), ids.tokens, 1.5, 0.75)
    assert built.scores["num_docs"] == ref.scores["num_docs"] == len(units)
    for key in ("data", "indices", "indptr"):
        assert built.scores[key].dtype == ref.scores[key].dtype
    assert _columns(built) == _columns(ref)  # every token: the same units, bitwise the same scores
    # scores of a query agree up to the float32 order of summing its terms (bm25s numbers terms in set order)
    q = ["碳达峰", "2030", "可再生能源", "市发改委"]
    a = ref.get_scores_from_ids(sorted(ref.vocab_dict[t] for t in q if t in ref.vocab_dict))
    b = built.get_scores_from_ids(sorted(built.vocab_dict[t] for t in q if t in built.vocab_dict))
    assert np.allclose(a, b, rtol=1e-6, atol=1e-6) and a.max() > 0


def test_ids_are_kept_per_unit_until_its_tokens_change():
    units, tokens = _units_and_tokens()
    ids = bm25_build.TermIds()
    uids = [u.unit_id for u in units]
    first = ids.arrays(uids, tokens)
    again = ids.arrays(uids, tokens)
    assert all(a is b for a, b in zip(first, again))
    recut = list(tokens)
    recut[0] = tuple(tokens[0]) + ("新词",)
    third = ids.arrays(uids, recut)
    assert third[0] is not first[0] and ids.tokens[third[0][-1]] == "新词"
    assert all(a is b for a, b in zip(first[1:], third[1:]))


def test_lexical_index_searches_as_before_after_adds_and_removes(tmp_path):
    """The index's rebuilds go through the builder: add two documents, remove one, save and load."""
    tok = ChineseTokenizer(pin_total=True)
    idx = LexicalIndex(tok)
    primary, national = units_for(primary_doc()), units_for(national_doc())
    idx.add(primary)
    idx.add(national)
    idx.remove(national[0].doc_id)
    ref = bm25s.BM25(k1=1.5, b=0.75)
    ref.index([list(t) for t in idx.snapshot().tokens], show_progress=False)
    assert _columns(idx.snapshot().bm25) == _columns(ref)
    idx.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path, ChineseTokenizer(pin_total=True))
    hits = [u.unit_id for u, _ in loaded.search("可再生能源装机目标", top_k=5)]
    assert hits == [u.unit_id for u, _ in idx.search("可再生能源装机目标", top_k=5)] and hits
