"""Enterprise applicability, counting and section listing handlers (a mixin of ExtractiveAnswerer)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from answer import route as R
from answer.types import Answer, Citation
from knowledge.text import fold
from answer.text import (cn_number, strip_heading)
from knowledge.model import ENCOURAGEMENT, OBLIGATION, OTHER, RESTRICTION, SUPPORT, TARGET, Document, Measure
from answer.consts import *  # noqa: F401,F403  (the question patterns shared by the handlers)
from answer.consts import _STRUCTURE_WORD


if TYPE_CHECKING:
    from answer.extractive import Hit


class StructureHandlers:
    # -- enterprises -------------------------------------------------------------------------------------
    def _enterprise(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer:
        groups: dict[str, list[tuple[Document, Measure, str]]] = {}
        kinds_order = [(RESTRICTION, "限制与约束"), (OBLIGATION, "必须落实的要求"), (TARGET, "目标"),
                       (SUPPORT, "支持政策"), (ENCOURAGEMENT, "鼓励与引导"), (OTHER, "其他相关内容")]
        words = set(rt.industry_words)
        for key in rt.industries:
            words |= set(R.INDUSTRIES.get(key, ()))
        for doc, m in self.catalog.measures(scope):
            for s in m.sentences:
                if not (set(s.industries) & set(rt.industries)) or not self._mentions(words, s.text):
                    continue
                if len(strip_heading(s.text)) <= len(m.title) + 1:  # the measure's heading
                    continue
                kind = s.kind if s.kind in dict(kinds_order) else OTHER
                groups.setdefault(kind, []).append((doc, m, s.text))
        if not groups:
            return self.refuse(question, f"专门针对{'、'.join(rt.industry_words)}的要求")
        cites: list[Citation] = []
        lines = [f"文件中与{'、'.join(rt.industry_words)}相关的内容如下："]
        for kind, title in kinds_order:
            items = groups.get(kind)
            if not items:
                continue
            lines.append(f"【{title}】")
            multi = len({d.doc_id for kind_items in groups.values() for d, _, _ in kind_items}) > 1
            for doc, m, s in items:
                cites.append(self.cite(doc, m, s, 1.0))
                lines.append(f"- {self.where(doc, m, multi)}：{strip_heading(s)}[{len(cites)}]")
        return Answer(question=question, answer="\n".join(lines), refused=False, citations=cites)

    def _mentions(self, words: set[str], sentence: str) -> bool:
        """An industry word as a word of the sentence, not a chance substring (细化实化工作 is not 化工)."""
        tokens = self.matcher.tokenizer.tokenize(sentence)
        return any(w in tok for tok in tokens for w in words if w in sentence)

    def _has_topic(self, question: str, rt: R.Route) -> bool:
        """Words beyond the question's form and the documents' own names (标志性产业链有几条 has a topic)."""
        names = "".join(d.title for d in self.catalog.documents.values())
        return any(w not in names and not _STRUCTURE_WORD.search(w) for w in self.matcher.content_words(question))

    def _named_section(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer | None:
        """有哪些重点任务: the measures of the section the question names by its title."""
        doc = self._scope_doc(rt, hits, scope)
        q = fold(question)
        section = next((s for s in (doc.sections if doc else []) if len(s.title) >= 2 and fold(s.title) in q), None)
        if section is None:
            return None
        members = [m for m in doc.measures if m.section_no == section.no]
        if not members:
            return None
        cites, items = [], []
        for m in members:
            cites.append(self.cite(doc, m, m.text[: min(len(m.text), 30)], 1.0))
            items.append(f"{self.label(doc, m)}[{len(cites)}]")
        text = (f"《{doc.title}》“{cn_number(section.no)}、{section.title}”包括{cn_number(len(members))}项："
                + "；".join(items) + "。")
        return Answer(question=question, answer=text, refused=False, citations=cites)

    def _count(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer:
        if self._has_topic(question, rt):
            return self._general(question, rt, hits, scope)
        if not scope and not rt.doc_ids and len(self.catalog.documents) > 1:
            parts, cites = [], []
            for doc_id in self.catalog.documents:
                sub = self._count(question, rt, [], [doc_id])
                if sub.refused:
                    continue
                parts.append(sub.answer.replace("[1]", f"[{len(cites) + 1}]"))
                cites.extend(sub.citations)
            return Answer(question=question, answer="未指定文件，各文件的举措数量如下：\n" + "\n".join(parts),
                          refused=not parts, citations=cites)
        doc = self._scope_doc(rt, hits, scope)
        if doc is None or not doc.measures:
            return self.refuse(question, "举措数量")
        last = doc.measures[-1]
        cite = self.cite(doc, last, last.text[: min(len(last.text), 40)], 1.0)
        unit = "条举措" if last.kind == "measure" else "段内容"
        secs = f"分为{cn_number(len(doc.sections))}个部分、" if doc.sections else ""
        text = f"《{doc.title}》{secs}共{cn_number(len(doc.measures))}{unit}，最后一条是{self.label(doc, last)}[1]。"
        return Answer(question=question, answer=text, refused=False, citations=[cite])

    def _sections(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer:
        named = self._named_section(question, rt, hits, scope)
        if named is not None:
            return named
        if self._has_topic(question, rt):
            return self._general(question, rt, hits, scope)
        doc = self._scope_doc(rt, hits, scope)
        if doc is None or not doc.sections:
            return self._general(question, rt, hits, scope)
        cites, names = [], []
        for s in doc.sections:
            first = next((m for m in doc.units() if m.section_no == s.no), None)
            if first is None:
                names.append(s.title)
                continue
            quote = first.text[: min(len(first.text), 30)]
            cites.append(self.cite(doc, first, quote, 1.0))
            names.append(f"{cn_number(s.no)}、{s.title}[{len(cites)}]")
        text = f"《{doc.title}》包括{cn_number(len(doc.sections))}个方面：" + "；".join(names) + "。"
        return Answer(question=question, answer=text, refused=False, citations=cites)
