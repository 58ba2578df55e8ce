"""The document number asked (文号是多少): the front matter's own (津住建科〔2020〕46号), or the number of a document
the text cites when the question asks for that one (DocNumberHandler)."""
from __future__ import annotations

import re

from answer.compose import ComposerHandler
from answer.consts import DOC_NUMBER
from answer.intents import DOC_NUMBER as DOC_NUMBER_KIND
from answer.types import Answer, Query
from knowledge.model import Document, Measure
from knowledge.text import DOC_YEAR_CLOSE, DOC_YEAR_OPEN, bigrams, fold


class DocNumberHandler(ComposerHandler):
    """The document number (津住建科〔2020〕46号), from the kept title block."""
    kind = DOC_NUMBER_KIND

    def run(self, query: Query) -> Answer | None:
        doc = self.ctx.scope_doc(query)
        # The front matter's own number (ingest.frontmatter.doc_number: the one standing on its line, folded to
        # 〔〕), quoted as the text writes it (深市监【2022】37号): the first number of the preamble may be a cited
        # document's (《深圳市机构改革方案》（深发〔2019〕2号）) when the own one is written in other brackets.
        cited = _cited_number(doc, query.question) if doc else None
        if cited is not None:
            unit, quote, title = cited
            return Answer(question=query.question, refused=False, exact=True,
                          citations=[self.ctx.cite(doc, unit, quote, 1.0)],
                          answer=f"《{doc.title}》引用的{title}，文号是{quote[len(title):].strip(' （()')}[1]。")
        own = _own_number(doc.meta.get("doc_number") or "") if doc else None
        for u in (doc.extra_units if doc and own else []):
            m = own.search(u.text)
            if m and u.kind == "preamble":
                return Answer(question=query.question, refused=False, exact=True,
                              citations=[self.ctx.cite(doc, u, m.group(0), 1.0)],
                              answer=f"《{doc.title}》的文号是{m.group(0)}[1]。")
        for u in (doc.extra_units if doc else []):
            m = DOC_NUMBER.search(u.text)
            if m and u.kind == "preamble":
                return Answer(question=query.question, refused=False, exact=True,
                              citations=[self.ctx.cite(doc, u, m.group(0), 1.0)],
                              answer=f"《{doc.title}》的文号是{m.group(0)}[1]。")
        return None


def _own_number(folded: str) -> re.Pattern | None:
    """A pattern for the front matter's number (津住建科〔2020〕46号) in any of the year brackets, spaces allowed."""
    m = re.fullmatch(r"(.+?)〔(\d{4})〕(.+)", folded)
    if not m:
        return None
    sp = r"\s*"
    return re.compile(sp.join(map(re.escape, m.group(1))) + sp + DOC_YEAR_OPEN + sp + m.group(2) + sp + DOC_YEAR_CLOSE
                      + sp + sp.join(map(re.escape, m.group(3))))


# A document the text cites with its number after the title: 《…工作实施方案》（环环评〔2022〕26号，以下简称…）,
# 《关于发布<高耗能行业…实施指南（2022年版）>的通知》（发改产业〔2022〕200号）.
_CITED = re.compile(r"(《[^《》]{4,80}》)\s*[（(]\s*([\u4e00-\u9fff]{1,12}\s*" + DOC_YEAR_OPEN + r"\s*\d{4}\s*"
                    + DOC_YEAR_CLOSE + r"\s*\d+\s*号)")


def _cited_number(doc: Document, question: str) -> tuple[Measure, str, str] | None:
    """(unit, quote, cited title) when the number asked is of a document the text cites rather than its own: dev
    questions ask it of b8's 513 (参照的那份高耗能行业实施指南…文号是什么) and b15's 478 (生态环境部印发的《…实施方案》文号是什么,
    the national plan its notice carries out), both answered with the own number before. A title the question quotes
    (《…》) must be the cited one and not the document's own; an unquoted description must share twice the character
    pairs with the cited title that it shares with the own title (and six at least), so a question naming the
    document itself (…的通知文号是多少) keeps its own number."""
    quoted = {fold(t) for t in re.findall(r"《([^《》]+)》", question)}
    own = [fold(t) for t in (doc.title, doc.meta.get("notice_title") or "") if t]
    if quoted and quoted & set(own):
        return None
    asked = bigrams(question)
    own_common = max((len(asked & bigrams(t)) for t in own), default=0)
    best = None
    for u in doc.units():
        for m in _CITED.finditer(u.text):
            title = fold(m.group(1)[1:-1])
            if quoted:
                ok = title in quoted
                common = len(asked & bigrams(title))
            else:
                common = len(asked & bigrams(title))
                ok = common >= 6 and common >= 2 * own_common
            if ok and (best is None or common > best[0]):
                best = (common, u, m.group(0), m.group(1))
    return None if best is None else best[1:]
