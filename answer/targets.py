"""Target, amount, year and date handlers of the extractive answerer (a mixin of ExtractiveAnswerer)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from answer import route as R
from answer.types import Answer, Citation
from knowledge.text import fold
from answer.text import (HAS_AMOUNT, amount_contexts, bigrams, clause_context, clause_with, cn_number,
                         governing_year, overlap, sentence_with_year, strip_heading)
from knowledge.text import split_sentences
from answer.consts import *  # noqa: F401,F403  (the question patterns shared by the handlers)
from answer.consts import _ASKS_AMOUNT, _ASKS_DATE, _FULL_DATE, _HAS_YEAR, _ASKS_WHICH_YEAR, _HAS_TIME, \
    _ASKS_SEVERAL


if TYPE_CHECKING:
    from answer.extractive import Hit


class TargetHandlers:
    # -- targets -----------------------------------------------------------------------------------------
    def _target(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer:
        if scope and len(scope) > 1 and re.search(r"分别|各|和|与|对比|比较", question):
            return self._per_document(question, rt, hits, scope)
        return self._target_one(question, rt, hits, scope)

    def _per_document(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer:
        """A question naming several documents: answer for each, then join the parts."""
        parts, cites, refused = [], [], True
        for doc_id in scope:
            sub = self.decided(self._target_one, question, rt, [h for h in hits if h.doc_id == doc_id], [doc_id])
            offset = len(cites)
            text = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + offset}]", sub.answer)
            cites.extend(sub.citations)
            parts.append(text)
            refused = refused and sub.refused
        ans = Answer(question=question, answer="\n".join(parts), refused=refused, citations=cites)
        ans.per_document = True
        return ans

    def _dates(self, question: str, hits: list[Hit], scope) -> Answer | None:
        """When a document was issued or takes effect: the dated sentences of its preamble and closing text."""
        docs = scope or list(dict.fromkeys(h.doc_id for h in hits))[:1]
        terms = self.terms(question) | bigrams("施行 印发 有效期 发布")
        best = None
        for doc_id in docs:
            doc = self.catalog.documents.get(doc_id)
            for m in doc.units() if doc else []:
                for sent in split_sentences(m.text):
                    sent = sent.strip()
                    if _FULL_DATE.search(sent) or "有效期" in sent:
                        ov = overlap(terms, sent)
                        if best is None or ov > best[0]:
                            best = (ov, doc, m, sent)
        if best is None or best[0] <= 0:
            return None
        _, doc, m, sent = best
        date = _FULL_DATE.search(sent)
        return Answer(question=question, refused=False, exact=True, citations=[self.cite(doc, m, sent, best[0])],
                      answer=f"根据《{doc.title}》{self.label(doc, m)}：{sent}[1]"
                      + (f"（日期：{date.group(0)}）" if date else ""))

    def _target_one(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer:
        """Targets, amounts and years: answer only from a sentence that carries the asked kind of figure
        and covers the question's topic; otherwise say the document does not give it."""
        if rt.kind == R.YEAR and (_ASKS_DATE.search(question) or re.search(r"有效期|到期|失效", question)):
            from answer.dates import meta_dates
            dated = meta_dates(self, question, self._scope_doc(rt, hits, scope))
            if dated is not None:
                return dated
        if rt.kind == R.YEAR and _ASKS_DATE.search(question):
            dated = self._dates(question, hits, scope)
            if dated is not None:
                return dated
        words = self.matcher.content_words(question)
        terms = self.terms(question)
        rank_of = {(h.doc_id, h.seq): i for i, h in enumerate(hits)}
        candidates = []
        question_years = set(re.findall(r"20\d{2}", fold(question)))
        for doc, m, t in self.catalog.targets(scope):
            clause = clause_with(t.text, t.value + t.unit) or t.text
            # Every year the question names (a baseline 比2005年 too) must be in the evidence.
            if any(y not in t.text and y != str(t.year) for y in question_years):
                continue
            # Coverage on the clause that carries the figure (and the one before it), not the whole sentence:
            # 提高装配式建筑比例，绿色建筑面积占比达到80% does not give a share for 装配式建筑.
            context = clause_context(t.text, t.value + t.unit)
            cov, _ = self.matcher.coverage(words, context)
            if self.matcher.mandatory_missing(words, t.text) or self.matcher.domain_missing(words, context):
                cov = 0.0
            rank = rank_of.get((doc.doc_id, m.seq))
            score = cov + 0.5 * overlap(terms, t.indicator + clause) + (0.3 / (1 + rank) if rank is not None else 0.0)
            candidates.append((score, cov, doc, m, t, clause))
        candidates.sort(key=lambda c: -c[0])
        asked_years = set(rt.years)
        # 森林覆盖率和森林蓄积量分别是多少: each figure answers half of the question.
        several = bool(_ASKS_SEVERAL.search(question))
        fitting = [c for c in candidates if c[1] >= (MIN_COVERAGE_EACH if several else MIN_COVERAGE)]
        if fitting:
            best = fitting[0]
            good = [c for c in fitting if (several or c[0] >= best[0] - 0.15) and c[3].seq == best[3].seq
                    and c[2].doc_id == best[2].doc_id]
            if asked_years:
                matching = [c for c in fitting if c[4].year in asked_years]
                if not matching:
                    cite = self.cite(best[2], best[3], best[4].text, best[0])
                    years = "、".join(str(y) for y in sorted(asked_years))
                    return self.refuse(question, f"{years}年的这一目标",
                                       cite, f"到{best[4].year}年，{best[5].rstrip('，。；')}")
                good = [c for c in matching if c[0] >= matching[0][0] - 0.15 and c[3].seq == matching[0][3].seq]
            return self._target_answer(question, good[:3])

        # No quantified target fits: a sentence of a retrieved measure may still carry the figure.
        if rt.kind == R.YEAR:
            need = _HAS_YEAR if _ASKS_WHICH_YEAR.search(question) else _HAS_TIME
        else:
            need = HAS_AMOUNT if _ASKS_AMOUNT.search(question) else None
        best = self._best_sentences(question, hits, limit=3)
        # The sentence that covers the question best, then the better ranked.
        ranked = sorted(best, key=lambda b: (-self.matcher.coverage(words, b[3])[0], -b[0]))
        for score, doc, m, sentence in ranked:
            cov, _ = self.matcher.coverage(words, sentence)
            if cov < MIN_COVERAGE or (need is not None and not need.search(sentence)):
                continue
            before = m.text[: m.text.find(sentence)]
            if any(y not in sentence and y not in before for y in re.findall(r"20\d{2}", fold(question))):
                continue
            if asked_years and governing_year(before, sentence) not in asked_years:
                continue  # the figure is due in another year than the one asked
            if self.matcher.mandatory_missing(words, sentence):
                continue
            if need is HAS_AMOUNT and all(self.matcher.domain_missing(words, ctx)
                                           for ctx in amount_contexts(sentence)):
                continue  # no figure of the sentence is about the asked policy term
            cite = self.cite(doc, m, sentence, score)
            shown = strip_heading(sentence)
            if rt.kind == R.YEAR:  # the clause with the time and the topic reads as the direct answer
                shown = self._time_clause(words, sentence, need) or shown
            return Answer(question=question, refused=False, citations=[cite],
                          answer=f"根据《{doc.title}》{self.label(doc, m)}：{shown}[1]")
        if need is None and not asked_years:
            return self._general(question, rt, hits, scope)
        what = "相关的具体时间安排" if rt.kind == R.YEAR else "相关的具体数值"
        topic = "".join(words[:3])
        if asked_years:
            what = f"{'、'.join(map(str, sorted(asked_years)))}年{topic}的相关目标"
        elif topic:
            what = f"{topic}{what}"
        if best:
            score, doc, m, sentence = best[0]
            return self.refuse(question, what, self.cite(doc, m, sentence, score), strip_heading(sentence))
        return self.refuse(question, what)

    def _time_clause(self, words: list[str], sentence: str, need: re.Pattern) -> str | None:
        clauses = [c.strip("，；。 ") for c in re.split(r"[，；。]", sentence) if c.strip()]
        timed = [c for c in clauses if need.search(c)]
        if not timed:
            return None
        best = max(timed, key=lambda c: self.matcher.coverage(words, c)[0])
        return best + "。" if self.matcher.coverage(words, best)[0] > 0 else None

    def _target_answer(self, question: str, chosen) -> Answer:
        cites: list[Citation] = []
        parts: list[str] = []
        for score, _, doc, m, t, clause in chosen:
            quote = t.text
            if not any(c.quote == quote and c.seq == m.seq for c in cites):
                cites.append(self.cite(doc, m, quote, score))
            n = next(i for i, c in enumerate(cites, 1) if c.quote == quote and c.seq == m.seq)
            clause_txt = clause.rstrip("，。；、")
            year_txt = ""
            if t.year and str(t.year) not in clause_txt:
                year_txt = f"到{t.year}年，"
                if str(t.year) not in quote:
                    # The due year was set in an earlier sentence: cite that sentence too.
                    year_sentence = sentence_with_year(m.text, quote, t.year)
                    if year_sentence and not any(c.quote == year_sentence for c in cites):
                        cites.append(self.cite(doc, m, year_sentence, score))
                    year_txt = f"到{t.year}年[{len(cites)}]，" if year_sentence else ""
            part = f"{year_txt}{clause_txt}[{n}]"
            if part not in parts:
                parts.append(part)
        doc, m = chosen[0][2], chosen[0][3]
        text = f"根据《{doc.title}》{self.label(doc, m)}，" + "；".join(parts) + "。"
        return Answer(question=question, answer=text, refused=False, citations=cites)

    def _target_list(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer:
        topic = [w for w in self.matcher.content_words(question) if w not in ("量化", "指标", "主要")]
        rows = [(d, m, t) for d, m, t in self.catalog.targets(scope) if not rt.years or t.year in rt.years]
        if topic:  # 绿色建筑有哪些目标: the targets on that topic; 充电桩有什么目标: maybe none
            rows = [(d, m, t) for d, m, t in rows if self.matcher.coverage(topic, m.title + t.text)[0] >= MIN_COVERAGE]
            if not rows:
                return self._target(question, rt, hits, scope)
        if not rows:
            what = f"{'、'.join(map(str, rt.years))}年的量化目标" if rt.years else "量化目标"
            return self.refuse(question, what)
        cites: list[Citation] = []
        lines = []
        for d, m, t in rows:
            if not any(c.quote == t.text and c.seq == m.seq and c.doc_id == d.doc_id for c in cites):
                cites.append(self.cite(d, m, t.text, 1.0))
            n = next(i for i, c in enumerate(cites, 1) if c.quote == t.text and c.seq == m.seq and c.doc_id == d.doc_id)
            clause = (clause_with(t.text, t.value + t.unit) or t.text).rstrip("，。；、")
            line = f"- {self.where(d, m, len(scope or self.catalog.documents) > 1)}：" \
                   f"{'' if str(t.year) in clause else f'到{t.year}年，'}{clause}[{n}]"
            if line not in lines:
                lines.append(line)
        head = f"共{cn_number(len(rows))}项量化目标" + (f"（{'、'.join(map(str, rt.years))}年）" if rt.years else "")
        return Answer(question=question, answer=head + "：\n" + "\n".join(lines), refused=False, citations=cites)
