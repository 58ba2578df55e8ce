"""Whose figure a question asks (issue 10, ans28): the noun phrase an amount question puts before its question word
(省级绿色工厂 of 获评省级绿色工厂能拿多少补贴, 森林覆盖率 of 全省森林覆盖率要达到多少), and whether a quoted figure
is one of it. A quote whose figures all quantify a sibling — the same head with another modifier (国家…绿色工厂 for
省级绿色工厂, 污水处理设施覆盖率 for 森林覆盖率, 风电装机 for 海上风电装机, 健康建筑 for 既有公共建筑节能改造) — is
about the asked topic and rates like an answer (answer.decide reads topic, not whose figure it is: section 6 of
docs/answerability-transfer.md), so answer.asked_form refuses it after the decision. Pure functions over the question,
the quotes and the decision's TopicMatcher (answer.evidence)."""
from __future__ import annotations

import re
import threading

from answer.answerability import ASKED
from answer.evidence import FORM_WORDS
from answer.parts import clauses
from answer.text import HAS_AMOUNT
from retrieval.scope_places import places_in, places_named

# The question words of an amount, where the asked phrase ends (多少补贴: the noun after them is the unit or the form).
_QUESTION_WORD = re.compile(r"多少|几|多大|多高|多长|多重")
# 多大规模的燃煤锅炉: the question word, a few characters (a figure noun, a classifier) and 的 before the sized noun.
_AFTER = re.compile(r"[^的，。？]{0,6}的([\u4e00-\u9fff]{2,})$")
# Nouns that name the figure itself, not what it is a figure of (the 量/数 nouns of Chinese measure phrases: 数量上限
# 是多少, 补贴金额有多少, 面积目标是多少): skipped before the asked phrase, never asked words.
_FIGURE_NOUNS = frozenset("数量 数目 上限 下限 比例 比重 占比 目标 规模 标准 金额 额度 幅度 总量 数额 面积 程度".split())
# jieba's part-of-speech tags of a noun phrase's words (ICTCLAS tag set): nouns (n, nz, ng, nt …, place names ns
# left out: a place is the scope, answer.evidence's place words), verbal and adjectival nouns (vn, an), the
# distinguishing words that make levels and kinds (b: 省级, 公共, 单个) and locatives as modifiers (s: 海上).
_NOUN_TAGS = ("vn", "b", "an", "s")

_POS = None
_POS_LOCK = threading.Lock()


def _pos():
    """jieba's part-of-speech tagger over the shared stock-dictionary tokenizer (retrieval.tokenize.stock_jieba):
    the search index's and the matcher's tokenizers carry user words, the global jieba.dt anything else's.
    Its word tags are the table jieba.posseg's own module tagger (`jieba.posseg.dt`) read at import from the same
    stock dictionary file: POSTokenizer(tokenizer) reads that file again into a second table of the same 349,045
    tags (about 50 MB and a quarter of a second at every start, perf17). No words are added to either dictionary
    (tests/test_asked_subject.py checks the shared table against a fresh read)."""
    global _POS
    with _POS_LOCK:
        if _POS is None:
            import jieba.posseg

            from retrieval.tokenize import stock_jieba
            tagger = object.__new__(jieba.posseg.POSTokenizer)  # its __init__ would read the tag file again
            tagger.tokenizer = stock_jieba()
            tagger.word_tag_tab = jieba.posseg.dt.word_tag_tab
            _POS = tagger
    return _POS


def warmup() -> None:
    """Load the tagger and its model (about half a second and tens of MB at the first amount question otherwise):
    the service calls it before the server listens."""
    list(_pos().cut("省级绿色工厂"))


def _nounish(flag: str) -> bool:
    return (flag.startswith("n") and flag != "ns") or flag in _NOUN_TAGS


def asked_phrase(question: str) -> list[str]:
    """The words of the noun phrase each amount-asking piece of `question` (folded) puts before its question word:
    back from the question word past verbs, modals, 的 and the figure's own nouns to the first run of nouns, taken
    whole. Titles (《…》), quotation marks and brackets are read out first. A verbal noun with nouns after it is the
    verb of the phrase and its object what follows (建设 of 企业建设能源管控中心项目), not a modifier of its head."""
    asks = ASKED["amount"][0]
    out: list[str] = []
    for clause in clauses(question):
        for piece in (p for p in re.split(r"[，,；;、]", clause) if p):
            piece = re.sub(r"《[^》]*》|[“”\"]|（[^）]*）|\([^)]*\)", "", piece)
            m = _QUESTION_WORD.search(piece)
            if not m or not asks.search(piece):
                continue
            # 多大规模的燃煤锅炉, 多少个…的企业: a noun phrase after the question word and 的 is what the figure sizes;
            # the phrase before is the setting (县城建成区还能新建…) — read only the one after, from the 的 on.
            after = _AFTER.match(piece, m.end())
            end = m.start()
            if after:
                piece = after.group(1)
                end = len(piece)
            toks = [(w.word, w.flag) for w in _pos().cut(piece[:end])]
            i = len(toks) - 1
            while i >= 0 and (not _nounish(toks[i][1]) or toks[i][0] in _FIGURE_NOUNS):
                i -= 1
            run = []
            while i >= 0 and _nounish(toks[i][1]):
                run.insert(0, toks[i])
                i -= 1
            verbs = [j for j, (_, flag) in enumerate(run[:-1]) if flag == "vn"]
            if verbs:
                run = run[verbs[-1] + 1:]
            out += [w for w, _ in run if len(w) >= 2 and w not in _FIGURE_NOUNS and w not in out]
    return out


# A figure's unit names what it quantifies: tons of standard coal (吨标准煤, 吨标煤) measure energy consumption (综合能耗,
# GB/T 2589 综合能耗计算通则), so 3550万吨标煤增量 is a figure of 能耗 whether or not the sentence writes the word.
_QUANTITY_OF_UNIT = {"能耗": ("标准煤", "标煤")}


def _stated(matcher, word: str, quote: str) -> bool:
    return matcher.present(word, quote) or any(u in quote for u in _QUANTITY_OF_UNIT.get(word, ()))


def sibling_figure(matcher, question: str, quotes: list[str], title: str = "") -> list[str] | None:
    """The asked phrase's words (省级, 绿色, 工厂) when every quoted sentence stating a figure misses one of them and
    one of those sentences has the phrase's head word (its last): a sibling of the asked thing, the same head with
    another modifier. None otherwise — no amount asked, a phrase of one word (its head alone: a paraphrase is as
    likely as a sibling), or no figure sentence with the head.
    `question` folded; `title`: the document's title (its words name the scope, not the asked thing)."""
    content = matcher.content_words(question)
    words = [w for w in asked_phrase(question)
             if w not in FORM_WORDS and w not in matcher.place_words
             and any(w in c or c in w for c in content) and not (title and matcher.present(w, title))]
    if len(words) < 2:
        return None
    figured = [q for q in quotes if HAS_AMOUNT.search(q)]
    if not figured:
        return None
    missing = [[w for w in words if not _stated(matcher, w, q)] for q in figured]
    if not all(missing):
        return None
    head = words[-1]
    if not any(_stated(matcher, head, q) for q in figured):
        return None
    return words


# 我国 (our country) names the national level as the asker's own country: every dev question writing it is asked of a
# national document (15 of 15 in b1-b17, docs/scope.md's last section). A question writing it and naming no place,
# answered from a document of a province or a city (its title names the place: the bundled 连云港 draft in every eval
# home, b16 245-16 with no scope), quotes the place's figure for the nation's.
_NATIONAL = re.compile(r"我国")


def place_for_national(question: str, title: str) -> str | None:
    """The place the answering document's `title` names when the folded `question` asks of the national level (我国)
    and names no place itself; None otherwise."""
    if not _NATIONAL.search(question):
        return None
    if places_named(question):
        return None
    places = places_in(title)
    return places[0] if places else None
