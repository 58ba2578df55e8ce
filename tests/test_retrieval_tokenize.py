"""Tokenizer: jieba with a user dictionary, stop words, number tokens; deterministic."""
from __future__ import annotations

import jieba

from retrieval.tokenize import ChineseTokenizer, normalise
from retrieval.vocabulary import QueryExpander, curated_terms, dictionary_words
from tests.test_retrieval_support import primary_doc


def test_user_dictionary_keeps_bureau_and_policy_terms_whole():
    tok = ChineseTokenizer(search_mode=False)
    before = tok.tokenize("市发改委牵头建设近零碳码头")
    assert "市发改委" not in before and "近零碳码头" not in before
    assert tok.add_words(["市发改委", "近零碳码头"]) == 2
    after = tok.tokenize("市发改委牵头建设近零碳码头")
    assert after == ["市发改委", "牵头", "建设", "近零碳码头"]
    # search mode keeps the whole word and adds its dictionary sub-words for recall
    search = ChineseTokenizer()
    search.add_words(["市发改委", "近零碳码头"])
    toks = search.tokenize("市发改委牵头建设近零碳码头")
    assert "市发改委" in toks and "近零碳码头" in toks and "发改委" in toks and "码头" in toks


def test_own_jieba_instance_leaves_the_global_one_alone():
    tok = ChineseTokenizer()
    tok.add_words(["近零碳码头"])
    assert "近零碳码头" not in jieba.lcut("建设近零碳码头", HMM=False)


def test_numbers_years_and_pdf_spaces():
    tok = ChineseTokenizer()
    toks = tok.tokenize("到 2030 年，装机超 1000万千瓦，占比 25%左右，建成 1个")
    assert "2030" in toks and "1000" in toks and "1000万千瓦" in toks and "1个" in toks and "25%" in toks
    assert normalise("工业 PON 和 ５Ｇ专网，hello world") == "工业pon和5g专网,hello world"


def test_stop_words_and_punctuation_are_dropped():
    tok = ChineseTokenizer()
    toks = tok.tokenize("请问，哪些部门负责的是什么？")
    assert toks == ["部门", "负责"]


def test_deterministic_whatever_the_order_words_arrive_in():
    words = ["市发改委", "近零碳码头", "碳普惠", "市机关事务管理局", "零碳货运枢纽"]
    text = primary_doc().measures[7].text + primary_doc().measures[13].text
    a, b = ChineseTokenizer(), ChineseTokenizer()
    a.add_words(words)
    for w in reversed(words):
        b.add_words([w])
    assert a.fingerprint() == b.fingerprint()
    assert a.tokenize(text) == b.tokenize(text)


def test_dictionary_words_from_the_knowledge_base():
    words = dictionary_words(primary_doc())
    assert {"市发改委", "发改委", "市发展和改革委员会", "市交通局", "市交通运输局", "交通运输局"} <= words
    assert "绿电进园区" in words and "无废城市" in words  # quoted programme names
    assert {"近零碳码头", "碳普惠"} <= curated_terms()


def test_query_expansion_maps_colloquial_to_official_terms():
    ex = QueryExpander()
    # colloquial words map to the official terms (公家单位 is no longer a dictionary word of its own, so the order
    # of the expansions is not asserted)
    terms = ex.terms("公家单位买车要买多少电车？")
    assert {"新能源汽车", "公共机构"} <= set(terms[:3])
    assert ex.expand("营运交通工具单位换算周转量碳排放强度") == "营运交通工具单位换算周转量碳排放强度"


def test_block_cache_gives_the_same_tokens_as_cutting_whole_texts_as_words_arrive():
    """The block cache (each re_han block cut once, dropped when a new word occurs in it) must not change a single
    token: the primary document's units and sentences, cut while its dictionary words arrive in three steps,
    equal an uncached tokenizer's cut with the same words; the cache hits (the sentences repeat the measures)."""
    from retrieval.tokenize import BLOCK_CACHE
    from retrieval.units import units_for

    doc = primary_doc()
    texts = [u.text for u in units_for(doc)]
    words = sorted(dictionary_words(doc) | curated_terms())
    cached, plain = ChineseTokenizer(pin_total=True, block_cache=BLOCK_CACHE), ChineseTokenizer(pin_total=True)
    for step in (words[0::3], words[1::3], words[2::3]):
        assert cached.add_words(step) == plain.add_words(step)
        assert [cached.tokenize(t) for t in texts] == [plain.tokenize(t) for t in texts]
    assert cached.fingerprint() == plain.fingerprint()
    assert 0 < len(cached._blocks) < sum(len(t) for t in texts)
    # a new word drops exactly the blocks it occurs in: they are cut again with it
    text = "推进绿电岸港联建，完善岸电设施"
    assert "绿电岸港" not in cached.tokenize(text) and {"推进绿电岸港联建", "完善岸电设施"} <= set(cached._blocks)
    cached.add_words(["绿电岸港"])
    assert "推进绿电岸港联建" not in cached._blocks and "完善岸电设施" in cached._blocks
    assert "绿电岸港" in cached.tokenize(text)


def test_block_cache_of_an_unpinned_tokenizer_starts_again_when_words_change_the_total():
    cached, plain = ChineseTokenizer(search_mode=False, block_cache=100), ChineseTokenizer(search_mode=False)
    text = "市发改委牵头建设近零碳码头，市交通局配合"
    assert cached.tokenize(text) == plain.tokenize(text)
    cached.add_words(["近零碳码头", "市发改委"])
    plain.add_words(["近零碳码头", "市发改委"])
    assert not cached._blocks  # jieba's total moved: any block may cut differently
    assert cached.tokenize(text) == plain.tokenize(text)


def test_a_full_block_cache_starts_again_instead_of_growing():
    tok = ChineseTokenizer(pin_total=True, block_cache=3)
    for t in ("甲乙丙", "碳达峰", "碳中和", "新能源", "储能"):
        tok.tokenize(t)
    assert 0 < len(tok._blocks) <= 3
