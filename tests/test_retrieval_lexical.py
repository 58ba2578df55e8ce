"""BM25 over units: search, add/remove, save/load round trip, dictionary changes."""
from __future__ import annotations

import numpy as np

from retrieval.lexical import LexicalIndex
from retrieval.tokenize import ChineseTokenizer
from retrieval.units import units_for
from tests.test_retrieval_support import national_doc, primary_doc


def _index() -> LexicalIndex:
    idx = LexicalIndex(ChineseTokenizer())
    idx.add(units_for(primary_doc()))
    return idx


def test_search_finds_the_measure_by_its_wording():
    idx = _index()
    hits = idx.search("营运交通工具单位换算周转量碳排放强度", top_k=3)
    assert hits[0][0].measure_no == 8 and hits[0][1] > 0
    assert idx.search("完全无关的词语组合", top_k=3) == []
    assert idx.search("", top_k=3) == []


def test_mask_restricts_and_scores_cover_every_unit():
    idx = _index()
    scores = idx.scores(idx.tokenizer.tokenize("新能源汽车"))
    assert scores.shape == (len(idx),)
    mask = np.array([u.measure_no == 8 for u in idx.units])
    hits = idx.search("新能源汽车", top_k=5, mask=mask)
    assert hits and all(u.measure_no == 8 for u, _ in hits)


def test_coverage_is_the_share_of_query_idf_a_unit_holds():
    """Real units of the primary document: the unit BM25 puts first for a long question holds most of its
    words; a unit matching one of them holds a share below one; a rare word weighs more than a common one."""
    idx = _index()
    snap = idx.snapshot()
    tokens = idx.tokenizer.tokenize("营运交通工具单位换算周转量碳排放强度")
    scores = snap.scores(tokens)
    order = [int(i) for i in np.argsort(-scores) if scores[i] > 0]
    cov = snap.coverage(tokens, order)
    assert cov.shape == (len(order),) and np.all((cov > 0) & (cov <= 1.0))
    assert snap.units[order[0]].measure_no == 8 and cov[0] == max(cov) and cov[0] > 0.8
    assert min(cov) < 0.5
    # one word alone: full coverage where present, none elsewhere
    assert list(snap.coverage(["周转量"], order[:1])) == [1.0]
    absent = next(i for i in range(len(snap.units)) if "周转量" not in snap.tokens[i])
    assert list(snap.coverage(["周转量"], [absent])) == [0.0]
    assert list(snap.coverage(["没有这个词"], order[:1])) == [0.0]


def test_save_load_round_trip(tmp_path):
    idx = _index()
    idx.add_words(["近零碳码头"])
    gen = idx.save(tmp_path / "bm25")
    assert gen == 1 and LexicalIndex.current_generation(tmp_path / "bm25") == 1
    loaded = LexicalIndex.load(tmp_path / "bm25", ChineseTokenizer())
    assert loaded.units == idx.units
    assert "近零碳码头" in loaded.tokenizer.user_words
    for q in ("近零碳码头要建几个", "抽水蓄能电站", "碳普惠"):
        a, b = idx.search(q, top_k=5), loaded.search(q, top_k=5)
        assert [u.unit_id for u, _ in a] == [u.unit_id for u, _ in b]
        assert np.allclose([s for _, s in a], [s for _, s in b])
    # a second save is a new generation; the one before it is kept for readers, older ones go
    idx.save(tmp_path / "bm25")
    idx.save(tmp_path / "bm25")
    assert sorted(p.name for p in (tmp_path / "bm25").glob("gen-*")) == ["gen-000002", "gen-000003"]
    assert LexicalIndex.load(tmp_path / "nothing-here", ChineseTokenizer()).units == ()


def test_add_remove_and_replace():
    idx = _index()
    n = len(idx)
    national = units_for(national_doc())
    idx.add(national)
    assert idx.doc_ids() == {"lyg", "national"} and len(idx) == n + len(national)
    assert idx.search("非化石能源消费比重", top_k=1)[0][0].doc_id == "national"
    assert idx.remove("national") == len(national)
    assert idx.doc_ids() == {"lyg"} and len(idx) == n
    assert idx.remove("national") == 0
    # re-adding a document replaces its units (same ids), and replace_docs drops stale ones
    idx.add(units_for(primary_doc()), replace_docs=["lyg"])
    assert len(idx) == n


def test_new_dictionary_word_retokenizes_indexed_units():
    idx = _index()
    unit = next(u for u in idx.units if u.measure_no == 8 and not u.is_sentence)
    assert "零碳货运枢纽" not in idx.tokens_of(unit.unit_id)
    assert idx.add_words(["零碳货运枢纽"]) == 1
    assert "零碳货运枢纽" in idx.tokens_of(unit.unit_id)
    assert idx.search("零碳货运枢纽", top_k=1)[0][0].measure_no == 8
    assert idx.add_words(["零碳货运枢纽"]) == 0


def test_a_larger_dictionary_at_load_retokenizes_and_marks_the_copy_stale(tmp_path):
    idx = _index()
    idx.save(tmp_path / "bm25")
    tok = ChineseTokenizer()
    tok.add_words(["零碳货运枢纽"])
    loaded = LexicalIndex.load(tmp_path / "bm25", tok)
    assert loaded.stale_on_disk
    assert "零碳货运枢纽" in loaded.tokens_of(next(u.unit_id for u in loaded.units if "零碳货运枢纽" in u.text))
    loaded.save(tmp_path / "bm25")
    assert not loaded.stale_on_disk
    assert not LexicalIndex.load(tmp_path / "bm25", ChineseTokenizer()).stale_on_disk


def test_adding_words_re_tokenizes_only_the_units_that_contain_them():
    """Incremental (the search index's pinned tokenizer): the same tokens as indexing everything at once with
    every word, and units without a new word are not cut again."""
    from retrieval.lexical import LexicalIndex
    from retrieval.tokenize import ChineseTokenizer
    from retrieval.units import Unit

    def unit(i, text):
        return Unit(unit_id=f"d{i}:1", doc_id=f"d{i}", doc_title="t", seq=1, measure_no=1, section_no=None,
                    section_title="", measure_title="", kind="measure", text=text, embed_text=text, page=1)

    texts = ["加快人行通道建设，推进近零碳码头改造。", "市发改委牵头推进屋顶光伏。", "推进绿色建筑和装配式建筑。"]
    tok = ChineseTokenizer(pin_total=True)
    lex = LexicalIndex(tok)
    lex.add([unit(0, texts[0])])
    cut = []
    real = tok.tokenize
    tok.tokenize = lambda text: (cut.append(text), real(text))[1]
    tok.add_words(["近零碳码头", "加快人行通道"])
    lex.add([unit(1, texts[1]), unit(2, texts[2])])
    assert cut.count(texts[0]) == 1  # re-cut once: it contains the new words
    tok.add_words(["装配式建筑"])
    lex.add_words([])
    lex.add([])
    assert cut.count(texts[1]) == 1  # never re-cut: no new word in it
    fresh_tok = ChineseTokenizer(pin_total=True)
    fresh_tok.add_words(tok.user_words)
    fresh = LexicalIndex(fresh_tok)
    fresh.add([unit(i, t) for i, t in enumerate(texts)])
    assert [lex.tokens_of(f"d{i}:1") for i in range(3)] == [fresh.tokens_of(f"d{i}:1") for i in range(3)]
    assert "近零碳码头" in lex.tokens_of("d0:1") and "装配式建筑" in lex.tokens_of("d2:1")


def test_a_unit_replaced_under_its_id_is_searched_for_new_words_in_its_new_text():
    """The normalised texts that new words are looked up in are kept between batches (LexicalIndex._normalised);
    a unit replaced under the same id (a changed file) must be looked up in its new text, not the old one."""
    from retrieval.units import Unit

    def unit(text):
        return Unit(unit_id="d0:1", doc_id="d0", doc_title="t", seq=1, measure_no=1, section_no=None,
                    section_title="", measure_title="", kind="measure", text=text, embed_text=text, page=1)

    tok = ChineseTokenizer(pin_total=True)
    lex = LexicalIndex(tok)
    lex.add([unit("市发改委牵头推进屋顶光伏。")])
    tok.add_words(["屋顶光伏"])
    lex.add([])  # re-cuts with the new word; the cache now holds the first text
    assert "屋顶光伏" in lex.tokens_of("d0:1")
    lex.add([unit("推进近零碳码头改造，全ＡＢＣ覆盖。")], replace_docs=["d0"])
    tok.add_words(["近零碳码头", "abc覆盖"])  # normalised words (NFKC, lower case), as the index adds them
    lex.add([])
    fresh_tok = ChineseTokenizer(pin_total=True)
    fresh_tok.add_words(tok.user_words)
    assert lex.tokens_of("d0:1") == tuple(fresh_tok.tokenize("推进近零碳码头改造，全ＡＢＣ覆盖。"))
    assert "近零碳码头" in lex.tokens_of("d0:1")
