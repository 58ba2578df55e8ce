"""The default answer: grounded, extractive, cited. Structured questions are answered from the catalog
exactly; general ones from the best sentences of the retrieved measures. Every quote is an exact substring
of a stored unit; every figure in an answer comes from a quote."""
from __future__ import annotations

import re
from dataclasses import dataclass

from answer import route as R
from answer.types import Answer, Citation
from knowledge.bureaus import find_clause
from knowledge.catalog import Catalog
from answer.text import (cn_number, overlap, strip_heading, topic_bigrams)
from knowledge.text import split_sentences
from answer.evidence import TopicMatcher
from answer.bureau_answers import BureauHandlers
from answer.structure import StructureHandlers
from answer.targets import TargetHandlers
from answer.consts import *  # noqa: F401,F403
from answer.consts import _ASKS_DOC_NUMBER
from knowledge.model import Document, Measure

@dataclass(frozen=True)
class Hit:
    """A retrieved measure: what the retriever returned, reduced to what answering needs."""
    doc_id: str
    seq: int
    score: float
    sentences: tuple[str, ...] = ()  # best-matching sentences, exact substrings of the unit text
    sentence_vectors: tuple = ()  # encoder similarity of each of `sentences` to the question (None: not scored)




# Routes whose answer-or-refuse decision is the calibrated answerability model (answer.decide).
DECIDED = frozenset({R.TARGET, R.YEAR, R.GENERAL, R.BUREAU})


class ExtractiveAnswerer(TargetHandlers, BureauHandlers, StructureHandlers):
    def __init__(self, catalog: Catalog, matcher: TopicMatcher | None = None):
        self.catalog = catalog
        self.matcher = matcher or TopicMatcher()

    def terms(self, question: str) -> set[str]:
        """The question's topic bigrams, without the places that name documents (连云港, 梧州 …)."""
        for place in self.catalog.issuer_places():
            question = question.replace(place, "|")
        return topic_bigrams(question)

    # -- citations -------------------------------------------------------------------------------------
    def cite(self, doc: Document, m: Measure, quote: str, score: float) -> Citation:
        if quote not in m.text:
            raise ValueError(f"quote is not in the unit text of {doc.doc_id}:{m.seq}: {quote!r}")
        section = doc.section(m.section_no)
        return Citation(doc_id=doc.doc_id, doc_title=doc.title, section=section.title if section else "",
                        measure_no=m.no, measure_title=m.title, quote=quote, page=m.page, score=score,
                        seq=m.seq, unit_text=m.text, label=m.label)

    @staticmethod
    def label(doc: Document, m: Measure) -> str:
        """The unit as the document numbers it (its label: （五）, 第十九条, 三、（二）2.), with its title; Arabic
        item numbers are spoken as Chinese numerals in prose, so that no item number reads as a figure. A title
        that carries figures (第三十一条本办法…有效期5年, （续2）) is left out: every figure in an answer must
        come from a quote, and a heading is not one."""
        if m.label and m.kind in ("measure", "section_text"):
            spoken = re.sub(r"(\d+)\.", lambda g: f"第{cn_number(int(g.group(1)))}项", m.label)
            spoken = re.sub(r"\d+", lambda g: cn_number(int(g.group(0))), spoken).replace(" ", "")
            if re.search(r"\d", m.title):
                return spoken
            return f"{spoken}“{m.title}”" if re.search(r"项$", spoken) else f"{spoken}{m.title}"
        if m.kind == "measure":
            if re.match(r"\d", m.text):
                return f"第{cn_number(m.no)}项“{m.title}”"  # 1．… items: no bare digit that reads as a figure
            if m.text.startswith("第"):
                return f"第{cn_number(m.no)}条 {m.title}"
            return f"（{cn_number(m.no)}）{m.title}"
        if m.kind == "paragraph":
            return f"第{cn_number(m.no)}段"
        return m.title or "正文"

    @staticmethod
    def bureau_clause(m: Measure) -> str | None:
        span = find_clause(m.text)
        return m.text[span[0]: span[1]] if span else None

    # -- entry -------------------------------------------------------------------------------------------
    def answer(self, question: str, rt: R.Route, hits: list[Hit], scope: list[str] | None) -> Answer:
        if _ASKS_DOC_NUMBER.search(question):
            numbered = self._doc_number(question, rt, hits, scope)
            if numbered is not None:
                numbered.route = "document"
                return numbered
        handler = {
            R.BUREAU_MEASURES: self._bureau_measures,
            R.BUREAU: self._bureau,
            R.ENTERPRISE: self._enterprise,
            R.COUNT: self._count,
            R.SECTIONS: self._sections,
            R.TARGET_LIST: self._target_list,
            R.TARGET: self._target,
            R.YEAR: self._target,
        }.get(rt.kind, self._general)
        ans = self.decided(handler, question, rt, hits, scope)
        ans.route = rt.kind
        return ans

    def decided(self, handler, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer:
        """The handler's answer, then the calibrated answer-or-refuse decision (answer.decide) for fact
        questions. A responsibility clause the handler read from the knowledge store stands as it is."""
        ans = handler(question, rt, hits, scope)
        if rt.kind not in DECIDED or ans.exact or getattr(ans, "per_document", False):
            return ans
        if rt.kind == R.BUREAU and not ans.refused:
            return ans
        from answer.decide import Decider
        return Decider(self).decide(question, hits, scope, ans, rt.years)

    def refuse(self, question: str, what: str, closest: Citation | None = None, closest_text: str = "") -> Answer:
        text = f"文件未提及{what}。"
        cites = []
        if closest is not None:
            text += f"文件中最接近的内容是：{closest_text}[1]"
            cites = [closest]
        return Answer(question=question, answer=text, refused=True, citations=cites)

    # -- general -----------------------------------------------------------------------------------------
    def _best_sentences(self, question: str, hits: list[Hit], limit: int = 2, min_overlap: float = 0.0):
        terms = self.terms(question)
        scored = []
        for rank, h in enumerate(hits[:4]):
            doc = self.catalog.documents.get(h.doc_id)
            m = doc.measure(h.seq) if doc else None
            if m is None:
                continue
            clause = self.bureau_clause(m)
            body = m.text[: m.text.find(clause)] if clause else m.text
            for s in split_sentences(body):
                s = s.strip()
                if len(s) < 6 or len(strip_heading(s)) <= len(m.title) + 1:  # the heading, not content
                    continue
                ov = overlap(terms, s)
                if ov < min_overlap:
                    continue
                bonus = 0.15 if s in h.sentences else 0.0
                scored.append((ov + bonus + h.score * 0.5 - rank * 0.05, doc, m, s))
        scored.sort(key=lambda x: -x[0])
        return scored[:limit]

    def _general(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer:
        best = self._best_sentences(question, hits, limit=3)
        if not best:
            return self.refuse(question, "相关内容")
        # Nothing retrieved speaks of the question's topic: say so rather than answer with a neighbour.
        words = self.matcher.content_words(question)
        covered = [(self.matcher.coverage(words, m.title + s)[0], i) for i, (_, _, m, s) in enumerate(best)]
        top_cov = max(c for c, _ in covered)
        absent = self.matcher.uncovered_topics(words, self.catalog.scope_text(scope))
        if absent:
            _, doc, m, s = best[0]
            return self.refuse(question, f"“{'、'.join(absent)}”", self.cite(doc, m, s, best[0][0]), strip_heading(s))
        if words and top_cov < MIN_GENERAL_COVERAGE:
            _, doc, m, s = best[0]
            missing = [w for w in words if not any(self.matcher.present(w, u.text) for u in
                                                   [mm for _, _, mm, _ in best])]
            topic = "“" + "、".join(missing[:3]) + "”" if missing else "这一问题"
            return self.refuse(question, f"{topic}的相关内容", self.cite(doc, m, s, best[0][0]), strip_heading(s))
        best = best[:2]
        first_score, doc, m, s = best[0]
        cites = [self.cite(doc, m, s, first_score)]
        text = f"根据《{doc.title}》{self.label(doc, m)}：{strip_heading(s)}[1]"
        second_ok = len(best) > 1 and self.matcher.coverage(words, best[1][2].title + best[1][3])[0] >= MIN_COVERAGE
        if second_ok and best[1][0] > 0.6 * first_score and best[1][3] != s:
            _, doc2, m2, s2 = best[1]
            cites.append(self.cite(doc2, m2, s2, best[1][0]))
            same = (doc2.doc_id, m2.seq) == (doc.doc_id, m.seq)
            text += ("此外，" if same else f"另据{self.label(doc2, m2)}，") + f"{strip_heading(s2)}[2]"
        return Answer(question=question, answer=text, refused=False, citations=cites)

    def where(self, doc: Document, m: Measure, multi: bool) -> str:
        """The measure label, with its document when an answer spans several documents."""
        return f"《{doc.title}》{self.label(doc, m)}" if multi else self.label(doc, m)

    # -- structure -----------------------------------------------------------------------------------------
    def _scope_doc(self, rt: R.Route, hits: list[Hit], scope) -> Document | None:
        if scope and len(scope) == 1:
            return self.catalog.documents.get(scope[0])
        if rt.doc_ids:
            return self.catalog.documents.get(rt.doc_ids[0])
        if hits:
            return self.catalog.documents.get(hits[0].doc_id)
        return None






