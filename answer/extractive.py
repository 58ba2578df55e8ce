"""The default answer: grounded, extractive, cited. Structured questions are answered from the catalog
exactly; general ones from the best sentences of the retrieved measures. Every quote is an exact substring
of a stored unit; every figure in an answer comes from a quote."""
from __future__ import annotations

import re
from dataclasses import dataclass

from answer import route as R
from answer.types import Answer, Citation
from knowledge.bureaus import find_clause
from knowledge.catalog import Catalog, fold
from answer.text import (HAS_AMOUNT, amount_contexts, bigrams, clause_context, clause_with, cn_number,
                         governing_year, overlap, sentence_with_year, strip_heading, topic_bigrams)
from knowledge.extract import QUANTITY, split_sentences
from answer.evidence import TopicMatcher
from knowledge.model import ENCOURAGEMENT, OBLIGATION, OTHER, RESTRICTION, SUPPORT, TARGET, Document, Measure

@dataclass(frozen=True)
class Hit:
    """A retrieved measure: what the retriever returned, reduced to what answering needs."""
    doc_id: str
    seq: int
    score: float
    sentences: tuple[str, ...] = ()  # best-matching sentences, exact substrings of the unit text
    sentence_vectors: tuple = ()  # encoder similarity of each of `sentences` to the question (None: not scored)


_ASKS_AMOUNT = re.compile(r"多少|几个|几项|几座|几成|百分之|比例|占比|比重|规模|数量|面积|容量|多大|多高|多少钱|金额")
_ASKS_DATE = re.compile(r"哪天|哪一天|几月|印发|施行|生效|发布|有效期|起止")
_FULL_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_STRUCTURE_WORD = re.compile(r"举措|措施|意见|条|方面|部分|具体|内容|文件|政策|章节|任务")
_ASKS_DOC_NUMBER = re.compile(r"文号|发文字号|文件编号|字号")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
_ASKS_ISSUER = re.compile(r"印发|发布|出台|发文|制定")
_ISSUER = re.compile(r"^(.{2,30}?)(?:关于印发|印发|关于)")
_HAS_YEAR = re.compile(r"20\d{2}年(?!\d{1,2}月)")  # a due year, not the date of a notice
_HAS_NUMBER = QUANTITY  # a number with a unit (7、8号机组 is not an amount)
_ASKS_WHICH_YEAR = re.compile(r"哪一年|哪年|几年|年份")
# A time: a year, a month and day (3月9日, 每年11月15日前).
_HAS_TIME = re.compile(r"20\d{2}年|\d{1,2}月\d{1,2}日|每年\d{1,2}月")
_ORG_ACTS = re.compile(
    r"((?:国家|省|自治区|市|区|县)?[\u4e00-\u9fff]{1,14}?(?:委员会|发展改革委|委|局|厅|部|办公室|管委会|人民政府|政府|"
    r"领导小组|工作专班|专班|指挥部|相关部门|有关部门|各部门))(?:及其办公室)?(?:要|牵头|会同|负责|组织|统筹|发挥|抓好)")
# Below this share of the question's content words, a sentence does not answer the question.
MIN_COVERAGE = 0.6
MIN_COVERAGE_EACH = 0.5  # for one of several figures asked together (A和B分别是多少)
_ASKS_SEVERAL = re.compile(r"分别|各是|各为|各自|各多少")
# A general question whose best sentences share less than this with it is not covered by the documents.
MIN_GENERAL_COVERAGE = 0.3


# Routes whose answer-or-refuse decision is the calibrated answerability model (answer.decide).
DECIDED = frozenset({R.TARGET, R.YEAR, R.GENERAL, R.BUREAU})


class ExtractiveAnswerer:
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
        item numbers are spoken as Chinese numerals in prose, so that no item number reads as a figure."""
        if m.label and m.kind in ("measure", "section_text"):
            spoken = re.sub(r"(\d+)\.", lambda g: f"第{cn_number(int(g.group(1)))}项", m.label)
            spoken = re.sub(r"\d+", lambda g: cn_number(int(g.group(0))), spoken).replace(" ", "")
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

    # -- bureaus -----------------------------------------------------------------------------------------
    def _bureau(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer:
        if _ASKS_ISSUER.search(question):
            issued = self._issuer(question, rt, hits, scope)
            if issued is not None:
                return issued
        for h in hits[:3]:
            doc = self.catalog.documents.get(h.doc_id)
            m = doc.measure(h.seq) if doc else None
            if m is None or m.kind != "measure":
                continue
            clause = self.bureau_clause(m)
            if not clause or not m.bureaus:
                in_text = self._bureau_in_text(question, doc, m, h.score)
                if in_text is not None:
                    return in_text
                if h is hits[0]:
                    if not any(mm.bureaus for mm in doc.measures):
                        # A document without responsibility clauses: what its text says is the answer.
                        return self._general(question, rt, hits, scope)
                    cite = self.cite(doc, m, m.text[: min(len(m.text), 60)], h.score)
                    return self.refuse(question, "该举措的责任部门", cite, f"{self.label(doc, m)}未列出责任单位")
                continue
            cite = self.cite(doc, m, clause, h.score)
            leads = [b.name for b in m.bureaus if b.lead]
            shared = [b.name for b in m.bureaus if not b.lead]
            if leads and not shared:
                who = f"由{'、'.join(leads)}牵头负责"
            elif leads:
                who = f"由{'、'.join(leads)}牵头，{'、'.join(shared)}参与"
            else:
                who = f"由{'、'.join(shared)}按职责分工负责"
                if rt.asks_lead:
                    who = "文件未指定牵头部门，" + who
            text = f"《{doc.title}》{self.label(doc, m)}{who}[1]。"
            if doc.implementers:
                text += f"此外，文件规定各项举措均需{'、'.join(doc.implementers)}落实。"
            return Answer(question=question, answer=text, refused=False, citations=[cite])
        return self.refuse(question, "相关举措的责任部门")

    def _doc_number(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer | None:
        """The document number (津住建科〔2020〕46号), from the kept title block."""
        doc = self._scope_doc(rt, hits, scope)
        for u in (doc.extra_units if doc else []):
            m = _DOC_NUMBER.search(u.text)
            if m and u.kind == "preamble":
                return Answer(question=question, refused=False, exact=True, citations=[self.cite(doc, u, m.group(0), 1.0)],
                              answer=f"《{doc.title}》的文号是{m.group(0)}[1]。")
        return None

    def _issuer(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer | None:
        """Who issued the document: the notice title (市发展改革委关于印发…的通知) or the title line, else the
        organ named over the date of issue; quoted from the front matter."""
        doc = self._scope_doc(rt, hits, scope)
        if doc is None:
            return None
        heading = doc.meta.get("notice_title") or doc.title
        m = _ISSUER.match(heading)
        if m and m.group(1).startswith("关于"):
            m = None
        issuer, quote = (m.group(1), heading) if m else (doc.meta.get("issuer"), doc.meta.get("issuer"))
        head = next((u for u in doc.extra_units if u.kind == "preamble" and quote and quote in u.text), None)
        if not issuer or head is None:
            return None
        return Answer(question=question, refused=False, exact=True, citations=[self.cite(doc, head, quote, 1.0)],
                      answer=f"该文件由{issuer}印发：《{doc.title}》[1]。")

    def _bureau_in_text(self, question: str, doc: Document, m: Measure, score: float) -> Answer | None:
        """Documents without responsibility clauses name the unit in a sentence (市发展改革委要会同…)."""
        terms = self.terms(question)
        best = None
        for s in split_sentences(m.text):
            org = _ORG_ACTS.search(s)
            if org:
                ov = overlap(terms, s)
                if best is None or ov > best[0]:
                    best = (ov, s.strip(), org.group(1))
        if best is None or best[0] < 0.2:
            return None
        _, sentence, org = best
        cite = self.cite(doc, m, sentence, score)
        return Answer(question=question, refused=False, citations=[cite],
                      answer=f"根据《{doc.title}》{self.label(doc, m)}，由{org}负责：{strip_heading(sentence)}[1]")

    def _bureau_measures(self, question: str, rt: R.Route, hits: list[Hit], scope) -> Answer:
        # The first named unit that has responsibilities in scope (城管部门 may fit units of several documents).
        canon, rows = next(((b, rows) for b in rt.bureaus if (rows := self.catalog.responsibilities(b, scope))),
                           (rt.bureaus[0], []))
        named = self.catalog.written_form_in(question, canon) or self.catalog.display_name(canon, scope)
        multi = len({r.doc.doc_id for r in rows}) > 1
        if not rows:
            return self.refuse(question, f"{named}负责的举措")
        leads = [r for r in rows if r.lead]
        shared = [r for r in rows if not r.lead and not r.implementer]
        impl = [r for r in rows if r.implementer]
        cites: list[Citation] = []

        def listing(rs) -> str:
            items = []
            for r in rs:
                clause = self.bureau_clause(r.measure) or r.measure.text[:30]
                cites.append(self.cite(r.doc, r.measure, clause, 1.0))
                items.append(f"{self.where(r.doc, r.measure, multi)}[{len(cites)}]")
            return "、".join(items)

        parts = []
        if leads or shared:
            parts.append(f"{named}共涉及{cn_number(len(leads) + len(shared))}项举措")
        if leads:
            parts.append(f"{named}牵头负责{cn_number(len(leads))}项举措：{listing(leads)}")
        elif rt.asks_lead:
            parts.append(f"文件中{named}没有单独牵头的举措")
        if shared:
            verb = "另参与" if leads else "参与"
            parts.append(f"{verb}{cn_number(len(shared))}项举措（按职责分工负责）：{listing(shared)}")
        if impl and not leads and not shared:
            parts.append(f"文件规定全部举措均需{named}落实，共{cn_number(len(impl))}项：{listing(impl)}")
        text = "；".join(parts) + "。"
        return Answer(question=question, answer=text, refused=False, citations=cites)

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


