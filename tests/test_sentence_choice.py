"""Which sentences an answer quotes (issue 10: wrong answers on unseen documents): the question's bigrams weighted by
how few of the document's sentences carry them, so the notice's opening, which repeats the title a question names the
document by, no longer outranks the clause that states the asked fact; and two quoted sentences of one unit bring the
sentences between them along. Real PDFs of ../shared/corpus-dc (dev documents 159 and 162), parsed by the real loader."""
from __future__ import annotations

import pytest

from answer.compose import Composer, document_sentences, with_bridges
from answer.text import BRIDGE_MAX, bridged, overlap, sentence_keys, term_weights, weighted_overlap
from answer.types import Answer, Hit
from knowledge.catalog import Catalog
from knowledge.text import split_sentences
from tests.conftest import corpus_dc_file, parsed_document


@pytest.fixture(scope="module")
def grassland():
    return parsed_document(corpus_dc_file("159"))  # 国务院办公厅关于加强草原保护修复的若干意见


@pytest.fixture(scope="module")
def bijie():
    return parsed_document(corpus_dc_file("162"))  # 毕节市林业碳票管理办法（试行）


def _sentence(doc, needle):
    for m in doc.units():
        for s in split_sentences(m.text):
            if needle in s:
                return m, s.strip()
    raise AssertionError(f"no sentence with {needle} in {doc.title}")


def test_a_bigram_every_sentence_shares_weighs_less_than_a_rare_one(grassland):
    sentences = sentence_keys(m.text for m in grassland.units())
    weights = term_weights({"草原", "保险"}, sentences)
    assert sum("草原" in s for s in sentences) > 5 * sum("保险" in s for s in sentences) > 0
    assert 0 < weights["草原"] < weights["保险"] / 2
    # a sentence carrying only the document's own word covers the question less than one carrying the rare word
    assert weighted_overlap(weights, "草原保护修复") < weighted_overlap(weights, "开展政策性保险试点")
    assert weighted_overlap({}, "草原") == 0.0


def test_the_article_that_states_the_date_outranks_the_opening_that_repeats_the_title(bijie):
    question = "毕节林业碳票管理办法什么时候开始施行，有效期多长？"
    opening = bijie.units()[0]
    article, sentence = _sentence(bijie, "有效期")
    heading = next(s.strip() for s in split_sentences(opening.text) if len(s.strip()) >= 6)
    assert opening.seq != article.seq and "林业碳票管理办法" in heading
    composer = Composer(Catalog([bijie]))
    terms = composer.terms(question)
    # the article retrieved first, a little above the opening (as the retriever ranks them)
    hits = (Hit(bijie.doc_id, article.seq, 0.6), Hit(bijie.doc_id, opening.seq, 0.5))
    # counted unweighted, the title's bigrams made the opening the better sentence: 0.47 + 0.25 - 0.05 against 0.2 + 0.3
    assert overlap(terms, heading) + 0.5 * 0.5 - 0.05 > overlap(terms, sentence) + 0.5 * 0.6
    best = composer.best_sentences(question, hits, limit=2)
    assert [b[3] for b in best] == [sentence, heading]
    weights = term_weights(terms, document_sentences(bijie))
    assert weights["施行"] > 10 * weights["林业"]  # 林业 is in most of its sentences, 施行 in one


def test_two_quotes_of_one_unit_bring_the_sentences_between_along(grassland):
    m, last = _sentence(grassland, "鼓励社会资本设立草原保护基金")
    _, first = _sentence(grassland, "鼓励金融机构创设适合草原特点的金融产品")
    composer = Composer(Catalog([grassland]))
    cites = [composer.cite(grassland, m, last, 0.6), composer.cite(grassland, m, first, 0.4)]
    ans = Answer(question="金融、保险和社会资本方面有哪些支持？", refused=False, citations=cites,
                 answer=f"根据《{grassland.title}》（十八）：{last}[1]此外，{first}[2]")
    out = with_bridges(ans)
    second = out.citations[1].quote
    assert second.startswith(first) and "草原政策性保险试点" in second and second in m.text
    assert last not in second  # the first quote is not quoted again
    assert f"{second}[2]" in out.answer and out.citations[0] == cites[0]
    # a refusal, a single quote, or quotes of different units stay as they are
    assert with_bridges(Answer(question="q", answer="a", refused=True, citations=cites)).citations == cites
    assert with_bridges(Answer(question="q", answer=f"{last}[1]", refused=False, citations=cites[:1])).answer == f"{last}[1]"


def test_a_bridge_is_short_and_exact(grassland):
    m, last = _sentence(grassland, "鼓励社会资本设立草原保护基金")
    _, first = _sentence(grassland, "鼓励金融机构创设适合草原特点的金融产品")
    after = bridged(m.text, first, last)  # the later sentence after the earlier quote: the gap and the sentence
    assert after.endswith(last) and "草原政策性保险试点" in after and first not in after and after in m.text
    assert bridged(m.text, first, last, limit=len(last) + 5) == last  # too long a gap: the sentence alone
    assert bridged(m.text, first, first) == first  # overlapping: nothing to bridge
    assert bridged(m.text, "not in the text", last) == last
    assert BRIDGE_MAX >= 200
