"""Enterprise applicability (EnterpriseHandler), counting (CountHandler) and the document's parts
(SectionsHandler, NamedSectionHandler)."""
from __future__ import annotations

import re

from answer.compose import Composer, ComposerHandler
from answer.asks import STRUCTURE_WORD
from answer.intents import COUNT, ENTERPRISE, NAMED_SECTION, SECTIONS
from answer.text import strip_heading
from answer.types import Answer, Citation, Query
from knowledge.extract import INDUSTRIES
from knowledge.model import ENCOURAGEMENT, OBLIGATION, OTHER, RESTRICTION, SUPPORT, TARGET, Document, Measure
from knowledge.numerals import int_to_cn
from knowledge.text import fold


def has_topic(ctx: Composer, question: str) -> bool:
    """Words beyond the question's form and the documents' own names (标志性产业链有几条 has a topic): a question
    about that topic, not about the document's structure."""
    names = "".join(d.title for d in ctx.catalog.documents.values())
    return any(w not in names and not STRUCTURE_WORD.search(w) for w in ctx.matcher.content_words(question))


Grouped = dict[str, list[tuple[Document, Measure, str]]]
# Content words of an enterprise question that ask rather than name a topic (政策, 企业, 公司: the asker's own frame);
# read from the enterprise questions of the own set and blind dev (我们公司…有什么政策支持).
TOPIC_FORM = frozenset({"企业", "公司", "政策", "规定", "相关", "方面", "我们", "行业"})


def most_relevant_documents(groups: Grouped, hits, max_docs: int) -> tuple[Grouped, list[Document]]:
    """At most `max_docs` documents answer in full: a library question names an industry that hundreds of
    sentences in dozens of documents mention (化工 on the 289 documents of corpus-dc: 572 citations), which no
    reader can use. Documents rank by their best retrieval rank for the question (`hits`, best first), then by
    how many of their sentences match; the others are returned to be named after the answer."""
    count: dict[str, int] = {}
    docs: dict[str, Document] = {}
    for items in groups.values():
        for d, _, _ in items:
            count[d.doc_id] = count.get(d.doc_id, 0) + 1
            docs[d.doc_id] = d
    if len(count) <= max_docs:
        return groups, []
    rank: dict[str, int] = {}
    for i, h in enumerate(hits or ()):
        rank.setdefault(h.doc_id, i)
    order = sorted(count, key=lambda k: (rank.get(k, len(rank)), -count[k]))
    shown = set(order[:max_docs])
    kept = {kind: [t for t in items if t[0].doc_id in shown] for kind, items in groups.items()}
    return {k: v for k, v in kept.items() if v}, [docs[k] for k in order[max_docs:]]


# A numbered heading standing as a sentence (37.加大高效节能电机应用力度。, （三）强化资金保障。): a number, then a short
# clause with no comma or semicolon.
NUMBERED_HEADING = re.compile(r"[（(]?[\d一二三四五六七八九十]{1,3}[)）.．、]\s*[^，,；;。]{1,25}。?")


def _is_heading(sentence: str, m: Measure) -> bool:
    """The unit's heading, or a sub-item's numbered heading, as a sentence of its own (6.开展存量电机节能改造。)."""
    return (bool(m.title) and m.title in sentence and len(sentence) - len(m.title) <= 4
            or bool(NUMBERED_HEADING.fullmatch(sentence.strip())))


class EnterpriseHandler(ComposerHandler):
    """Every sentence that names the asker's industry, grouped by kind (restrictions, obligations, targets,
    support …), each cited."""
    kind = ENTERPRISE
    KINDS = ((RESTRICTION, "限制与约束"), (OBLIGATION, "必须落实的要求"), (TARGET, "目标"), (SUPPORT, "支持政策"),
             (ENCOURAGEMENT, "鼓励与引导"), (OTHER, "其他相关内容"))
    MAX_DOCS = 5  # documents answered in full when many match (a library question); the rest are named
    FOCUS_WORDS = 2  # topic words a sentence needs to be put first (EnterpriseHandler._focused)
    MAX_FOCUS = 3  # sentences put first at most
    NAMED_OTHERS = 10

    def run(self, query: Query) -> Answer:
        ctx, question, rt = self.ctx, query.question, query.route
        groups: dict[str, list[tuple[Document, Measure, str]]] = {}
        kinds = dict(self.KINDS)
        words = set(rt.industry_words)
        for key in rt.industries:
            words |= set(INDUSTRIES.get(key, ()))
        asked = frozenset(rt.industries)  # once, not per sentence: a library question reads every sentence
        for doc, m in ctx.catalog.measures(query.scope):
            for s in m.sentences:
                if asked.isdisjoint(s.industries) or not self._mentions(words, s.text):
                    continue
                if len(strip_heading(s.text)) <= len(m.title) + 1:  # the measure's heading
                    continue
                kind = s.kind if s.kind in kinds else OTHER
                groups.setdefault(kind, []).append((doc, m, s.text))
        if not groups:
            return ctx.refuse(question, f"专门针对{'、'.join(rt.industry_words)}的要求")
        groups, others = most_relevant_documents(groups, query.hits, self.MAX_DOCS)
        cites: list[Citation] = []
        lines = [f"文件中与{'、'.join(rt.industry_words)}相关的内容如下："]
        topic = self._topic(question, words)
        focus = self._focused(topic, groups)
        if focus:  # what the question asks of its industry (存量电机的节能改造), first and whole
            lines.append(f"【与{'、'.join(w for w in topic if any(w in s for _, _, s in focus))}直接相关】")
            multi = len({d.doc_id for d, _, _ in focus}) > 1
            for doc, m, s in focus:
                cites.append(ctx.cite(doc, m, s, 1.0))
                lines.append(f"- {ctx.where(doc, m, multi)}：{strip_heading(s)}[{len(cites)}]")
            shown = {s for _, _, s in focus}
            groups = {k: [t for t in v if t[2] not in shown] for k, v in groups.items()}
            groups = {k: v for k, v in groups.items() if v}
        for kind, title in self.KINDS:
            items = groups.get(kind)
            if not items:
                continue
            lines.append(f"【{title}】")
            multi = len({d.doc_id for kind_items in groups.values() for d, _, _ in kind_items}) > 1
            for doc, m, s in items:
                cites.append(ctx.cite(doc, m, s, 1.0))
                lines.append(f"- {ctx.where(doc, m, multi)}：{strip_heading(s)}[{len(cites)}]")
        if others:
            named = "、".join(f"《{d.title}》" for d in others[:self.NAMED_OTHERS])
            more = "等" if len(others) > self.NAMED_OTHERS else ""
            lines.append(f"另有{len(others)}份文件也有相关内容：{named}{more}。指定文件可查看其全部内容。")
        return Answer(question=question, answer="\n".join(lines), refused=False, citations=cites)

    def _topic(self, question: str, words: set[str]) -> list[str]:
        """What the question asks beyond the asker's industry and its form (存量 电机 节能 改造 of 我们是一家钢铁企业，
        厂里存量电机的节能改造有什么要求): its content words that are not an industry word."""
        return [w for w in self.ctx.matcher.content_words(question)
                if not any(w in i for i in words) and w not in TOPIC_FORM]

    def _focused(self, topic: list[str], groups: Grouped) -> list[tuple[Document, Measure, str]]:
        """The sentences that state what the question asks of its industry, in the units that name the industry:
        an industry sentence of a unit often names only the industry (鼓励钢铁、有色…开展节能诊断), its neighbours
        what is asked (…淘汰落后低效电机), and a long listing hides the one asked about among tens. A sentence
        counts when it has FOCUS_WORDS of the question's topic words or more (one is too often a word of the
        question's frame: 支持, 项目, 要求); at most MAX_FOCUS, those with most topic words first."""
        if len(topic) < self.FOCUS_WORDS:
            return []
        units: dict[tuple[str, int], tuple[Document, Measure]] = {}
        for items in groups.values():
            for d, m, _ in items:
                units.setdefault((d.doc_id, m.seq), (d, m))
        found = []
        for order, (d, m) in enumerate(units.values()):
            for i, s in enumerate(m.sentences):
                if len(strip_heading(s.text)) <= len(m.title) + 1 or _is_heading(s.text, m):
                    continue
                n = sum(w in s.text for w in topic)
                if n >= self.FOCUS_WORDS:
                    found.append((-n, order, i, d, m, s.text))
        found.sort(key=lambda t: t[:3])
        best = sorted(found[:self.MAX_FOCUS], key=lambda t: t[1:3])
        return [(d, m, s) for *_, d, m, s in best]

    def _mentions(self, words: set[str], sentence: str) -> bool:
        """An industry word as a word of the sentence, not a chance substring (细化实化工作 is not 化工)."""
        present = [w for w in words if w in sentence]  # no word, no tokens to cut and test
        if not present:
            return False
        return any(w in tok for tok in self.ctx.matcher.tokenizer.tokenize(sentence) for w in present)


class CountHandler(ComposerHandler):
    """How many measures a document has (each document's count when none is named). None when the question
    has a topic (标志性产业链有几条: a general question)."""
    kind = COUNT

    def run(self, query: Query) -> Answer | None:
        ctx, question = self.ctx, query.question
        if has_topic(ctx, question):
            return None
        if not query.scope and len(ctx.catalog.documents) > 1:
            parts, cites = [], []
            for doc_id in ctx.catalog.documents:
                sub = self._count(question, ctx.catalog.documents.get(doc_id))
                if sub.refused:
                    continue
                parts.append(sub.answer.replace("[1]", f"[{len(cites) + 1}]"))
                cites.extend(sub.citations)
            return Answer(question=question, answer="未指定文件，各文件的举措数量如下：\n" + "\n".join(parts),
                          refused=not parts, citations=cites, exact=True)
        return self._count(question, ctx.scope_doc(query))

    def _count(self, question: str, doc: Document | None) -> Answer:
        ctx = self.ctx
        if doc is None or not doc.measures:
            return ctx.refuse(question, "举措数量")
        last = doc.measures[-1]
        cite = ctx.cite(doc, last, last.text[: min(len(last.text), 40)], 1.0)
        unit = "条举措" if last.kind == "measure" else "段内容"
        secs = f"分为{int_to_cn(len(doc.sections))}个部分、" if doc.sections else ""
        text = f"《{doc.title}》{secs}共{int_to_cn(len(doc.measures))}{unit}，最后一条是{ctx.label(doc, last)}[1]。"
        return Answer(question=question, answer=text, refused=False, citations=[cite], exact=True)


class NamedSectionHandler(ComposerHandler):
    """有哪些重点任务: the measures of the section the question names by its title; None when it names none."""
    kind = NAMED_SECTION

    def run(self, query: Query) -> Answer | None:
        ctx = self.ctx
        doc = ctx.scope_doc(query)
        q = fold(query.question)
        section = next((s for s in (doc.sections if doc else []) if len(s.title) >= 2 and fold(s.title) in q), None)
        if section is None:
            return None
        members = [m for m in doc.measures if m.section_no == section.no]
        if not members:
            return None
        cites, items = [], []
        for m in members:
            cites.append(ctx.cite(doc, m, m.text[: min(len(m.text), 30)], 1.0))
            items.append(f"{ctx.label(doc, m)}[{len(cites)}]")
        text = (f"《{doc.title}》“{int_to_cn(section.no)}、{section.title}”包括{int_to_cn(len(members))}项："
                + "；".join(items) + "。")
        return Answer(question=query.question, answer=text, refused=False, citations=cites, exact=True)


class SectionsHandler(ComposerHandler):
    """The document's parts, each cited by its first unit. None when the question has a topic or the document
    has no parts (a general question then)."""
    kind = SECTIONS

    def run(self, query: Query) -> Answer | None:
        ctx = self.ctx
        if has_topic(ctx, query.question):
            return None
        doc = ctx.scope_doc(query)
        if doc is None or not doc.sections:
            return None
        cites, names = [], []
        for s in doc.sections:
            first = next((m for m in doc.units() if m.section_no == s.no), None)
            if first is None:
                names.append(s.title)
                continue
            quote = first.text[: min(len(first.text), 30)]
            cites.append(ctx.cite(doc, first, quote, 1.0))
            names.append(f"{int_to_cn(s.no)}、{s.title}[{len(cites)}]")
        text = f"《{doc.title}》包括{int_to_cn(len(doc.sections))}个方面：" + "；".join(names) + "。"
        return Answer(question=query.question, answer=text, refused=False, citations=cites, exact=True)
