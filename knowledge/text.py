"""Text primitives, one home for each: width/whitespace folding, character pairs, sentence and clause splitting.

At the bottom of the import graph (the standard library only), so ingest, knowledge, retrieval, answer and eval
all import from here instead of keeping their own copies. Pure functions.

Where two callers need different behaviour, both forms live here and the difference is said once, below.
"""
from __future__ import annotations

import re
import unicodedata

# -- folding ------------------------------------------------------------------------------------------------
_WHITESPACE = re.compile(r"\s+")


def nfkc(text: str | None) -> str:
    """NFKC: full-width digits, letters, ％ and brackets become ASCII; compatibility forms are unified."""
    return unicodedata.normalize("NFKC", text or "")


def fold(text: str | None) -> str:
    """NFKC and no white space: how names, titles, quotes and gold answers are compared (PDF text breaks lines
    and spaces characters at random). Lower case is kept: retrieval.tokenize.normalise lower-cases on top of
    NFKC and keeps the space between two ASCII words, because the tokenizer needs the words apart."""
    return _WHITESPACE.sub("", nfkc(text))


# -- titles ---------------------------------------------------------------------------------------------------
# How a title written twice is recognised (ingest.frontmatter: a notice's 《YY》 and the policy's own heading YY).
# The two copies differ in what a reader does not read as the title's words: white space, quotation marks (“ ” "
# 《 》 « » 〈 〉, mixed in one title: 江苏省“十四五"…规划, corpus-dc 559), brackets and a bracket closing the wrong
# quote (《…规划）, 191), dashes (2021—2025 and 2021-2025, 573) and the particle 的 (…体系的实施方案 against
# …体系实施方案, 107, 219, 359, 475; 关于…的若干措施, 343).
_TITLE_DROP = set(" \t\r\n\u3000“”‘’\"'《》«»〈〉「」『』（）()【】[]的")
_DASHES = set("—–－‐‑―─-")


def title_key(text: str) -> tuple[str, list[int]]:
    """`text` folded for comparing titles (NFKC; the characters above dropped, dashes one "-"), with the offset in
    `text` of each character of the key."""
    key, offsets = [], []
    for i, ch in enumerate(text):
        for c in nfkc(ch):
            if c in _TITLE_DROP:
                continue
            key.append("-" if c in _DASHES else c)
            offsets.append(i)
    return "".join(key), offsets


# -- character pairs ------------------------------------------------------------------------------------------
# Three forms, because what counts as "the same words" differs:
# - `bigrams`: the answerer's overlap of a question with a sentence. Word characters of the folded text, digits,
#   % and . included (2030, 9.5% are topic), pairs taken across removed punctuation.
# - `cjk_pairs`: topic matching of a question against support items (answer.support) and of an enterprise
#   profile against an item (knowledge.eligibility). Chinese characters only: figures are not the topic there.
#   answer.support takes pairs within each run of Chinese text (no pair across a removed word or punctuation);
#   knowledge.eligibility joins the runs first (`across_gaps=True`), as it always has: its relevance scores
#   rank the 企业 page, and changing them is a ranking change to measure, not a refactor.
# - knowledge.diff compares unit texts of two editions on raw characters (whitespace removed) with `pairs`.
# - `word_pairs`: retrieval.scope's title-pair feature (央企 against 中央企业). Pairs within each run of word
#   characters (Chinese, digits, letters: 2035 and PM2 are part of a title), none across punctuation or a space;
#   the text is not folded here (the scope folds question and titles first).
def pairs(s: str) -> set[str]:
    """Adjacent character pairs of `s`."""
    return {s[i: i + 2] for i in range(len(s) - 1)}


_NOT_BIGRAM_CHAR = re.compile(r"[^\w%.]")


def bigram_text(text: str) -> str:
    """The folded text's word characters (digits, % and . kept): the string `bigrams` takes its pairs of, and in
    which answer.text.term_weights looks a pair up (`pair in bigram_text(s)` is `pair in bigrams(s)`)."""
    return _NOT_BIGRAM_CHAR.sub("", fold(text))


def bigrams(text: str) -> set[str]:
    """Character pairs of the folded text's word characters (`bigram_text`)."""
    return pairs(bigram_text(text))


_WORD_RUN = re.compile(r"\w+")


def word_pairs(text: str) -> set[str]:
    """Character pairs within each run of word characters (no pair across punctuation or white space)."""
    return {p for run in _WORD_RUN.findall(text) for p in pairs(run)}


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]")


def cjk_pairs(text: str, across_gaps: bool = False) -> set[str]:
    """Character pairs of the Chinese text: within each run (default), or of the runs joined."""
    if across_gaps:
        return pairs(_NOT_CJK.sub("", text))
    return {p for run in _CJK_RUN.findall(text) for p in pairs(run)}


# -- sentences ------------------------------------------------------------------------------------------------
# Four splitters, because each reader needs a different cut:
# - `split_sentences` (knowledge.extract, answer/): pieces ending in 。；！？, returned raw (white space kept), so that
#   every piece is an exact substring and the pieces concatenate back to the text; targets and quotes are cut
#   from them. It has never cut at half-width ;!?: doing so would change the targets stored at ingest, a change
#   to measure on the target gold set, not a refactor.
# - `sentence_spans` (retrieval.units): the same cut plus half-width ;!?, stripped, with offsets: the sentences
#   retrieval scores, each mapped back to its position in the unit.
# - `line_sentences` (knowledge.support_clauses, knowledge.support_materials): also cut at line breaks, because
#   support notices list conditions one per line without punctuation.
# - answer.guard splits generated answers (its own `claims`) at 。！？；!?; and line breaks: LLM output, not
#   documents.
_SENTENCE_END = re.compile(r"(?<=[。；！？])")
# The kinds of document (办法, 意见, 规划 …): the words a document calls itself by and a question names one by (这部规定,
# 规划提到, 按…意见); retrieval.scope_library reads each document's kind from its title with them.
DOC_KINDS = "办法|规定|细则|意见|方案|政策|措施|通知|指南|条例|计划|决定|规划|制度|规则|文件|清单|要点|指引|公告"
# The kinds a title may end with: DOC_KINDS and the three more title-only kinds of corpus-dc's titles
# (企业环境信息依法披露格式准则, 崇明世界级生态岛发展规划纲要, 国家适应气候变化战略2035); retrieval.scope_library reads a
# document's kind with them, answer.basis whether a question's subject is a document.
TITLE_KINDS = f"{DOC_KINDS}|准则|纲要|战略"
# A document speaking of itself: 本 with a kind of document (本办法, 本细则, 本实施意见, 本若干措施 …), for the front
# matter's expiry (ingest.frontmatter) and the answer that states it (answer.dates).
DOC_SELF = re.compile(rf"本(?:[\u4e00-\u9fff]{{0,4}})(?:{DOC_KINDS})")
# The brackets a document number's year is written in (津住建科〔2020〕46号): 〔〕 (GB/T 9704-2012 党政机关公文格式) and the
# ［］, [], 【】, （） or () text layers and web texts print instead (鲁发改能源[2021]1097号, 深市监【2022】37号); one home for
# the front matter's reading of the own number (ingest.frontmatter) and the answer's finding it and cited ones in the
# text (answer.doc_number), so a number the front matter reads is one the answer can quote.
DOC_YEAR_OPEN, DOC_YEAR_CLOSE = "[〔［\\[【（(]", "[〕］\\]】）)]"
# A line opening a list item (（一）, (1), 1., 1、, ①), for knowledge.support_materials' list of papers after its lead.
# 一、 is left out: it opens the document's next section, which ends the list. The other list-marker readers differ
# on purpose and stay with their callers: ingest.clean.HEADING_START (also 一、, 第N条, 专栏, 附件: where a paragraph
# begins), knowledge.diff_align._MARK and knowledge.actors._MARK (also 一、 and 第N条: a unit's label), answer.text._ITEM
# (also 一、: an item inside an answer's quote).
LIST_ITEM = re.compile(r"\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}\s*[.．、](?!\d)|[①-⑳])")
_SENTENCE_SPAN = re.compile(r"[^。；;！？!?]*[。；;！？!?]+|[^。；;！？!?]+$")
_LINE_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。；！？ (the last one may lack it); exact substrings of `text`, white space kept."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def sentence_spans(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs, half-width ;!? ending a sentence too; each sentence is an exact substring of
    `text`, stripped of white space."""
    out = []
    for m in _SENTENCE_SPAN.finditer(text):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        out.append((m.start() + raw.index(stripped), stripped))
    return out


def line_sentences(text: str) -> list[str]:
    """Sentences ending in 。；！？ or at a line break; pieces of only spaces, 。 and ； are dropped."""
    return [m.group(0) for m in _LINE_SENTENCE.finditer(text) if m.group(0).strip(" 。；")]


# -- clauses -------------------------------------------------------------------------------------------------
# One cut, `cut_outside_brackets`, for three readers that cut a sentence at marks outside brackets; they differ
# in what they pass and do with the result, each difference kept as it was, because changing one changes what
# ingest stores or what an answer says (a change to measure, not a refactor):
# - answer.text.split_clauses (clauses around a figure in an answer): brackets and quotation marks （(【[“‘《,
#   marks kept with their clause; a sentence whose brackets do not close (a quote cut mid-bracket) is cut at
#   every mark instead.
# - knowledge.targets (a target's clause, at ingest): round brackets only （(, at ，,：: ; an unclosed bracket
#   keeps the rest of the sentence whole; pieces of only white space are dropped.
# - knowledge.bureaus (units in a responsibility parenthesis, at ingest): round, square and lenticular
#   brackets; the separator is dropped and the units stripped; the depth is not held at zero by a stray
#   closing bracket (`clamp=False`), so after one (PDF text) nothing is cut until an opening bracket returns
#   it to zero, as it always has been read.
def cut_outside_brackets(text: str, marks: str, opening: str, closing: str, *, keep_mark: bool = True,
                         clamp: bool = True) -> tuple[list[str], int]:
    """`text` cut after each of `marks` at bracket depth 0 (brackets: the characters of `opening`/`closing`),
    each piece keeping its mark unless `keep_mark` is False (the piece may then be empty); with the depth at
    the end (not 0: a bracket left open). With `clamp`, a closing bracket at depth 0 is ignored; without it the
    depth goes below 0. The pieces (with their marks) concatenate back to `text`."""
    out, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch in opening:
            depth += 1
        elif ch in closing:
            if depth or not clamp:
                depth -= 1
        elif ch in marks and depth == 0:
            out.append(text[start: i + 1 if keep_mark else i])
            start = i + 1
    if start < len(text):
        out.append(text[start:])
    return out, depth


# The clause around a position, as two readers cut it (each names its own marks, the reason there):
# - knowledge.support_clauses._clause_at (a rate's or sum's clause): opened after ，,；, closed at ，,；。 (a
#   sentence is passed, so no 。 before the position);
# - knowledge.project_fit (whether a date bounds a step of the project): ，；。,; on both sides (a whole condition).
def clause_at(text: str, at: int, opening: str, closing: str) -> str:
    """The run of `text` around position `at`: from after the last character of `opening` before `at` to the first
    character of `closing` at or after it (the ends of `text` where there is none)."""
    start = max(text.rfind(c, 0, at) for c in opening) + 1
    ends = [i for i in (text.find(c, at) for c in closing) if i >= 0]
    return text[start:min(ends) if ends else len(text)]


__all__ = ["nfkc", "fold", "title_key", "pairs", "bigram_text", "bigrams", "cjk_pairs", "split_sentences",
           "sentence_spans", "line_sentences", "cut_outside_brackets", "clause_at"]
