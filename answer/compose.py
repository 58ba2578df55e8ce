"""What every handler composes answers with: checked citations, the unit's spoken label, refusals, the
question's topic bigrams and the best sentences of the retrieved units. One instance per catalog snapshot,
shared by the handlers of an ExtractiveAnswerer and by the answerability decision."""
from __future__ import annotations

import re
from dataclasses import replace

from answer.answerability import carries
from answer.evidence import TopicMatcher
from answer.text import bridged, sentence_keys, strip_heading, term_weights, topic_bigrams, weighted_overlap
from answer.types import Answer, Citation, Hit, Query
from knowledge.bureaus import find_clause
from knowledge.catalog import Catalog
from knowledge.model import Document, Measure
from knowledge.numerals import int_to_cn
from knowledge.text import split_sentences


# How a refusal names an asked kind of fact the closest passage does not state (the kinds of
# answer.answerability.ASKED, the decision's own).
KIND_NAMES = {"amount": "具体数值", "date": "具体时间", "org": "负责单位", "condition": "具体条件", "penalty": "处理方式"}
MAX_NAMED = 4  # asked words a refusal names, in the question's order


def _listed(words) -> str:
    """“A、B、C” (at most MAX_NAMED, then 等), or "" for none."""
    words = list(words)
    if not words:
        return ""
    return "“" + "、".join(words[:MAX_NAMED]) + "”" + ("等" if len(words) > MAX_NAMED else "")


def unit_label(doc: Document, m: Measure) -> str:
    """The unit as the document numbers it (its label: （五）, 第十九条, 三、（二）2.), with its title; Arabic
    item numbers are spoken as Chinese numerals in prose, so that no item number reads as a figure. A title
    that carries figures (第三十一条本办法…有效期5年, （续2）) is left out: every figure in an answer must
    come from a quote, and a heading is not one."""
    if m.label and m.kind in ("measure", "section_text"):
        spoken = re.sub(r"(\d+)\.", lambda g: f"第{int_to_cn(int(g.group(1)))}项", m.label)
        spoken = re.sub(r"\d+", lambda g: int_to_cn(int(g.group(0))), spoken).replace(" ", "")
        if re.search(r"\d", m.title) or m.title == m.label:  # a title that only repeats the label (结尾)
            return spoken
        return f"{spoken}“{m.title}”" if re.search(r"项$", spoken) else f"{spoken}{m.title}"
    if m.kind == "measure":
        if re.match(r"\d", m.text):
            return f"第{int_to_cn(m.no)}项“{m.title}”"  # 1．… items: no bare digit that reads as a figure
        if m.text.startswith("第"):
            return f"第{int_to_cn(m.no)}条 {m.title}"
        return f"（{int_to_cn(m.no)}）{m.title}"
    if m.kind == "paragraph":
        return f"第{int_to_cn(m.no)}段"
    return m.title or "正文"


def bureau_clause(m: Measure) -> str | None:
    """The unit's responsibility clause (（市发展改革委牵头…）), or None."""
    span = find_clause(m.text)
    return m.text[span[0]: span[1]] if span else None


_MARK_ONLY = re.compile(r"[第（(]?[一二三四五六七八九十百零〇\d]*[章节条）)、.．]?")


def without_heading_line(sentence: str, m: Measure) -> str:
    """A sentence that begins with the unit's own heading line (七、扎实推进矿山地质环境治理恢复工作\n完成生产矿山…):
    the heading is the unit's name, not its content, so the quote starts after it."""
    head, sep, rest = sentence.partition("\n")
    mark = head.replace(m.title, "", 1).strip() if m.title else head
    if sep and rest.strip() and m.title and m.title in head and _MARK_ONLY.fullmatch(mark):
        return rest.strip()
    return sentence


# Documents whose sentences (answer.text.sentence_keys) are kept for weighting a question's bigrams: the whole
# 289-document library is about 2.3 million characters. A Composer is built per question, so the cache is the
# module's, keyed by document id and size (units, characters); emptied whole when full (a dict swap, thread-safe).
SENTENCE_DOCS = 512
_sentences: dict[tuple[str, int, int], tuple[str, ...]] = {}


def document_sentences(doc: Document) -> tuple[str, ...]:
    """The document's sentences as answer.text.term_weights counts in them."""
    global _sentences
    units = doc.units()
    key = (doc.doc_id, len(units), sum(len(m.text) for m in units))
    found = _sentences.get(key)
    if found is None:
        found = sentence_keys(m.text for m in units)
        if len(_sentences) >= SENTENCE_DOCS:
            _sentences = {}
        _sentences[key] = found
    return found


def with_bridges(ans: Answer) -> Answer:
    """An answer quoting two sentences of one unit with sentences between them (鼓励金融机构…。鼓励地方…保险试点。
    鼓励社会资本…基金): the later quote brings the sentences between along (answer.text.bridged: a short passage, no
    other quote inside). Whichever step added the second sentence — the general handler, the decision's second
    sentence, its complement, answer.parts' completion — the fact between them was left out."""
    if ans.refused or len(ans.citations) < 2:
        return ans
    cites, text = list(ans.citations), ans.answer
    for n, c in enumerate(cites):
        own = [e.quote for e in cites[:n] if (e.doc_id, e.seq) == (c.doc_id, c.seq) and e.quote in c.unit_text]
        if not own or c.quote not in c.unit_text:
            continue
        near = min(own, key=lambda q: abs(c.unit_text.find(q) - c.unit_text.find(c.quote)))
        said = bridged(c.unit_text, near, c.quote)
        shown, marker = strip_heading(c.quote), f"[{n + 1}]"
        if said == c.quote or any(e.quote in said for e in cites if e is not c) or text.count(shown + marker) != 1:
            continue
        text = text.replace(shown + marker, strip_heading(said) + marker)
        cites[n] = replace(c, quote=said)
    return replace(ans, answer=text, citations=cites) if text != ans.answer else ans


class Composer:
    label = staticmethod(unit_label)
    bureau_clause = staticmethod(bureau_clause)

    def __init__(self, catalog: Catalog, matcher: TopicMatcher | None = None):
        if not isinstance(catalog, Catalog):
            raise TypeError(f"a Catalog is needed, not {type(catalog).__name__}")
        self.catalog = catalog
        self.matcher = matcher or TopicMatcher()

    def terms(self, question: str) -> set[str]:
        """The question's topic bigrams, without the places that name documents (连云港, 梧州 …)."""
        for place in self.catalog.issuer_places():
            question = question.replace(place, "|")
        return topic_bigrams(question)

    def cite(self, doc: Document, m: Measure, quote: str, score: float) -> Citation:
        if quote not in m.text:
            raise ValueError(f"quote is not in the unit text of {doc.doc_id}:{m.seq}: {quote!r}")
        section = doc.section(m.section_no)
        return Citation(doc_id=doc.doc_id, doc_title=doc.title, section=section.title if section else "",
                        measure_no=m.no, measure_title=m.title, quote=quote, page=m.page, score=score,
                        seq=m.seq, unit_text=m.text, label=m.label)

    def refuse(self, question: str, what: str, closest: Citation | None = None, closest_text: str = "") -> Answer:
        text = f"文件未提及{what}。"
        cites = []
        if closest is not None:
            text += f"文件中最接近的内容是：{closest_text}[1]"
            cites = [closest]
        return Answer(question=question, answer=text, refused=True, citations=cites)

    def refuse_closest(self, question: str, words, kinds, closest: Citation, closest_text: str,
                       context: str = "", years=()) -> Answer:
        """A refusal that names what the closest passage does not carry, read with the decision's own tests: the
        asked years and content words it lacks (TopicMatcher.present on the passage with `context`, the document and
        unit titles the decision's coverage reads too) and the asked kinds of fact it states none of
        (answer.answerability.carries). It never says a word is missing that the passage carries: when it carries
        every asked word, the refusal says which asked kind of fact it does not state, and when it carries that as
        well, that the passage could not be confirmed to answer (issue 10: honest refusals)."""
        passage = closest.quote
        # a year of the document's title (《电机能效提升计划（2021-2023年）》 asked by name) is the document's, not missing
        missing = [f"{y}年" for y in years if str(y) not in context + passage]
        missing += [w for w in words if not self.matcher.present(w, context + passage)]
        lacking = [KIND_NAMES[k] for k in kinds if k in KIND_NAMES and not carries(k, passage)]
        # the words the passage itself carries come first: those only in a title (the document asked by name) last
        named = _listed(sorted(words, key=lambda w: not self.matcher.present(w, passage))) or "这一事项"
        if missing:
            head = f"文件未提及{_listed(missing)}"
            head += f"，也未说明所问的{'、'.join(lacking)}。" if lacking else "的相关内容。"
        elif lacking:
            head = f"文件未说明{named}的{'、'.join(lacking)}。"
        else:
            head = f"未能确认文件回答了这一问题：最接近的内容提及{named}，但不足以作答。"
        return Answer(question=question, refused=True, citations=[closest],
                      answer=f"{head}文件中最接近的内容是：{closest_text}[1]")

    def where(self, doc: Document, m: Measure, multi: bool) -> str:
        """The measure label, with its document when an answer spans several documents."""
        return f"《{doc.title}》{self.label(doc, m)}" if multi else self.label(doc, m)

    def scope_doc(self, query: Query) -> Document | None:
        """The one document a question is about: its scope (the filter, or the documents it names), else the
        top hit's."""
        if query.scope and len(query.scope) == 1:
            return self.catalog.documents.get(query.scope[0])
        if query.hits:
            return self.catalog.documents.get(query.hits[0].doc_id)
        return None

    def best_sentences(self, question: str, hits: tuple[Hit, ...], limit: int = 2, min_overlap: float = 0.0):
        """(score, document, unit, sentence) of the retrieved units' sentences that share most with the question,
        the unit headings and responsibility clauses left out."""
        terms = self.terms(question)
        scored, weights = [], {}
        for rank, h in enumerate(hits[:4]):
            doc = self.catalog.documents.get(h.doc_id)
            m = doc.measure(h.seq) if doc else None
            if m is None:
                continue
            if doc.doc_id not in weights:
                weights[doc.doc_id] = term_weights(terms, document_sentences(doc))
            clause = self.bureau_clause(m)
            body = m.text[: m.text.find(clause)] if clause else m.text
            for s in split_sentences(body):
                s = without_heading_line(s.strip(), m)
                if len(s) < 6 or len(strip_heading(s)) <= len(m.title) + 1:  # the heading, not content
                    continue
                # the question's bigrams weighted by how few of the document's sentences carry them: the words of
                # the document's title, which its opening repeats, weigh little (over the dev sets b1-b16, the
                # gold sentence ranked first for 0.76 of items with plain overlap, 0.81 weighted; every batch gained)
                ov = weighted_overlap(weights[doc.doc_id], s)
                if ov < min_overlap:
                    continue
                bonus = 0.15 if s in h.sentences else 0.0
                scored.append((ov + bonus + h.score * 0.5 - rank * 0.05, doc, m, s))
        scored.sort(key=lambda x: -x[0])  # stable: a tie keeps the hits' rank, then the sentences' order in the unit
        return scored[:limit]


class ComposerHandler:
    """Base of the handlers that answer with a Composer (`Handler` protocol in answer/types.py): __init__ checks
    the configuration, run(query) answers."""

    def __init__(self, ctx: Composer):
        if not isinstance(ctx, Composer):
            raise TypeError(f"{type(self).__name__} needs a Composer")
        self.ctx = ctx
