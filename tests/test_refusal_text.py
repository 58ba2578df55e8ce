"""Refusal texts name what the closest passage lacks (issue 10: honest refusals), read with the matcher and the
asked-kind tests the decision uses — never a word the quoted passage carries. Real document, catalogue, jieba
tokenizer and vocabulary; the Lianyungang draft."""
from __future__ import annotations

import re

import pytest

from answer.compose import Composer
from answer.evidence import TopicMatcher
from knowledge.catalog import Catalog
from knowledge.text import split_sentences
from service import PolicyService
from settings import Settings
from tests.conftest import PRIMARY_TXT, parsed_document


@pytest.fixture(scope="module")
def doc():
    return parsed_document(PRIMARY_TXT)


@pytest.fixture(scope="module")
def composer(doc):
    return Composer(Catalog([doc]))


def _supply(doc):
    """The unit （五）加快绿色低碳能源供给 and its sentence with the 2030 installed-capacity figure."""
    m = next(u for u in doc.measures if u.label == "（五）")
    s = next(x.strip() for x in split_sentences(m.text) if "1000万千瓦" in x)
    return m, s


def test_words_the_passage_lacks_are_named_and_only_those(doc, composer):
    m, s = _supply(doc)
    ans = composer.refuse_closest("海上风电的加氢站有多少？", ["可再生能源", "加氢站"], ("amount",),
                                  composer.cite(doc, m, s, 0.5), s, doc.title + m.title)
    assert ans.refused and ans.citations[0].quote == s
    head = ans.answer.split("文件中最接近的内容是")[0]
    assert head == "文件未提及“加氢站”的相关内容。"  # 可再生能源 is in the passage: not named as missing


def test_a_passage_with_every_word_but_not_the_asked_kind_says_which_kind(doc, composer):
    m, s = _supply(doc)
    ans = composer.refuse_closest("可再生能源装机不达标会怎么处罚？", ["可再生能源", "装机"], ("penalty",),
                                  composer.cite(doc, m, s, 0.5), s, doc.title + m.title)
    assert ans.refused and "未提及" not in ans.answer
    assert ans.answer.startswith("文件未说明“可再生能源、装机”的处理方式。文件中最接近的内容是：")


def test_a_passage_with_every_word_and_the_asked_kind_is_not_called_absent(doc, composer):
    m, s = _supply(doc)
    ans = composer.refuse_closest("可再生能源装机是多少？", ["可再生能源", "装机"], ("amount",),
                                  composer.cite(doc, m, s, 0.5), s, doc.title + m.title, years=["2030"])
    assert ans.refused and "未提及" not in ans.answer and "未说明" not in ans.answer
    assert ans.answer.startswith("未能确认文件回答了这一问题")


def test_an_asked_year_the_passage_lacks_is_named(doc, composer):
    m, s = _supply(doc)
    ans = composer.refuse_closest("2035年可再生能源装机是多少？", ["可再生能源", "装机"], ("amount",),
                                  composer.cite(doc, m, s, 0.5), s, doc.title + m.title, years=["2035"])
    assert ans.answer.startswith("文件未提及“2035年”的相关内容。")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    svc = PolicyService(Settings(home=tmp_path_factory.mktemp("refusal-home")))
    svc.ensure_default_corpus()
    yield svc
    svc.close()


def test_served_refusals_never_name_a_word_their_quote_carries(service):
    """End to end (retrieval, handlers, the decision): every word a refusal names as absent (文件未提及“…”) is
    absent from the passage it quotes, its unit title and its document title."""
    matcher = TopicMatcher()
    named_any = 0
    for q in ("连云港计划建设多少座加氢站？", "到2035年可再生能源装机目标是多少？", "田湾核电站7、8号机组的装机容量各是多少？",
              "海上光伏项目什么时候建成？", "绿色建筑的补贴标准是多少？", "新能源汽车充电桩的电价是多少？"):
        ans = service.ask(q)
        if not ans.refused or not ans.citations or not ans.answer.startswith("文件未提及“"):
            continue
        c = ans.citations[0]
        head = ans.answer.split("文件中最接近的内容是")[0]
        named = re.findall(r"“([^”]+)”", head)[0].split("、")
        named_any += 1
        for w in named:
            w = w.rstrip("等")
            assert not (re.fullmatch(r"20\d{2}年", w) and w[:4] in c.quote), (q, w)
            assert re.fullmatch(r"20\d{2}年", w) or not matcher.present(w, c.doc_title + c.measure_title + c.quote), (q, w)
    assert named_any >= 2
