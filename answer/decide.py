"""The answer-or-refuse decision for fact questions (targets, years and dates, responsibility, support,
requirements, penalties, general): one calibrated model (`answer.answerability`) scores every candidate
sentence of the retrieved units and the sentence a structured handler quoted; the best one answers when it
reaches the fitted threshold, otherwise the answer is a refusal naming the closest passage. An answer must then
state the time or identifier the question's form asks for (answer.asked_form)."""
from __future__ import annotations

import re
from dataclasses import replace

from answer.answerability import (Candidate, QuestionView, asked_kinds, carries, decision_options, features, model,
                                  refusal_stands, runner_up)
from answer.asked_form import asked_form_stated
from answer.eligible import asked_parts, carries_asked, year_fits
from answer.enumeration import states_members
from answer.parts import slot_kinds
from answer.text import strip_heading as _shown, whole_provision, with_body, with_enumeration
from answer.title_reference import without_quoted_titles, without_title_reference
from answer.several import header
from answer.types import Answer
from knowledge.text import fold, split_sentences

MAX_UNITS = 5  # retrieved units whose sentences are candidates
NEIGHBOURS = 2  # sentences either side of the chosen one where the rest of a two-part answer is looked for
MIN_SENTENCE = 6
# A second sentence is added to an answer when it ranks at least this share of the chosen one (sentence_answer).
SECOND_SHARE = 0.8
# Other documents shown beside the chosen one when a question fits several: a display cap (three documents in all),
# not a fitted value — more is a listing (the targets table, `app.py targets --compare`).
MAX_OTHER_DOCUMENTS = 2

# Set to a list to record (question, candidates, first answer) for fitting (eval.fit_answerability).
COLLECTOR: list | None = None


class Decider:
    def __init__(self, answerer):
        self.a = answerer  # answer.compose.Composer: catalog, matcher, cite, label, terms, refuse
        self._parts: dict[tuple[str, tuple[str, ...]], list[list[str]]] = {}  # _asked_parts, once per question

    def view(self, question: str, scope, rt_years=(), hits=()) -> QuestionView:
        q = question
        for place in self.a.catalog.issuer_places():
            q = q.replace(place, "，")
        # A title quoted in 《》 names the document, not the topic; so does one written out unquoted
        # (按四川可再生能源规划) — the documents in scope, or without a scope those retrieved.
        q = without_quoted_titles(q)
        docs = self.a.catalog.documents
        titles = [docs[d].title for d in dict.fromkeys([*(scope or ()), *(() if scope else (h.doc_id for h in hits))])
                  if d in docs]
        q = without_title_reference(q, titles, self.a.matcher.content_words, self.a.matcher.present)
        words = self.a.matcher.content_words(q)
        scope_text = self.a.catalog.scope_text(scope)
        scope_absent = bool(self.a.matcher.uncovered_topics(words, scope_text))
        unused = [w for w in words if not self.a.matcher.present(w, scope_text)]
        return QuestionView(words=tuple(words), terms=frozenset(self.a.terms(question)),
                            kinds=asked_kinds(fold(question)),
                            years=tuple(dict.fromkeys(re.findall(r"20\d{2}", fold(question)))),
                            scope_absent=scope_absent, due_years=tuple(rt_years), question=fold(question),
                            scope_unused=len(unused) / len(words) if words else 0.0)

    def candidates(self, qv: QuestionView, hits, first: Answer) -> list[Candidate]:
        out: list[Candidate] = []
        seen: set[tuple[str, int, str]] = set()
        top = hits[0].score if hits and hits[0].score else 1.0
        rank_of = {(h.doc_id, h.seq): i for i, h in enumerate(hits)}

        def add(doc, m, s, rank, rel, vector, retrieved, structured):
            key = (doc.doc_id, m.seq, s)
            if key in seen:
                if structured:
                    for c in out:
                        if (c.doc_id, c.seq, c.sentence) == key:
                            c.structured = True
                            c.x = self._x(qv, doc, m, s, rank, rel, vector, retrieved, True)
                return
            seen.add(key)
            out.append(Candidate(doc.doc_id, m.seq, s, self._x(qv, doc, m, s, rank, rel, vector, retrieved,
                                                               structured), structured=structured,
                                 eligible=self._year_fits(qv, doc, m, s) and self._carries_asked(qv, s, m.title + doc.title,
                                                                                                    m.text, doc.title)))

        for rank, h in enumerate(hits[:MAX_UNITS]):
            doc, m = self._unit(h.doc_id, h.seq)
            if m is None:
                continue
            vectors = dict(zip(h.sentences, h.sentence_vectors)) if h.sentence_vectors else {}
            for s in split_sentences(m.text):
                s = s.strip()
                if len(s) < MIN_SENTENCE or s not in m.text:
                    continue
                vec = vectors.get(s)
                add(doc, m, s, rank, h.score / top, vec if vec is not None else None, s in h.sentences, False)
        if not first.refused:
            for c in first.citations[:2]:
                doc, m = self._unit(c.doc_id, c.seq)
                if m is None:
                    continue
                rank = rank_of.get((c.doc_id, c.seq))
                h = hits[rank] if rank is not None else None
                add(doc, m, c.quote, rank, (h.score / top) if h else 0.0, None, False, True)
        return out

    def _carries_asked(self, qv: QuestionView, s: str, context: str = "", unit_text: str = "",
                       doc_title: str = "") -> bool:
        """answer.eligible.carries_asked, with this question's parts read once."""
        return carries_asked(qv, s, self.a.matcher, self._asked_parts(qv), context, unit_text, doc_title)

    def _asked_parts(self, qv: QuestionView) -> list[list[str]]:
        key = (qv.question, qv.words)
        if key not in self._parts:
            self._parts[key] = asked_parts(qv)
        return self._parts[key]

    _year_fits = staticmethod(year_fits)

    def _x(self, qv, doc, m, s, rank, rel, vector, retrieved, structured) -> list[float]:
        pos = m.text.find(s)
        return features(qv, self.a.matcher, sentence=s, unit_title=m.title, doc_title=doc.title,
                        before=m.text[:max(pos, 0)], rank=rank, rel_score=rel, vector=vector,
                        retrieved=retrieved, structured=structured)

    def decide(self, question: str, hits, scope, first: Answer, rt_years=()) -> Answer:
        qv = self.view(question, scope, rt_years, hits)
        ans = self._decide(question, qv, hits, scope, first)
        return asked_form_stated(self.a, question, qv, ans)

    def _decide(self, question: str, qv: QuestionView, hits, scope, first: Answer) -> Answer:
        cands = self.candidates(qv, hits, first)
        mdl = model()
        for c in cands:
            c.prob = mdl.prob(c.x)
        if COLLECTOR is not None:
            COLLECTOR.append({"question": question, "candidates": cands, "first": first})
        opts = decision_options([c.prob for c in cands], [c.eligible for c in cands],
                                [c.structured for c in cands], not first.refused, mdl.ranked)
        # A handler's refusal for a word the scope never uses stands against an option that lacks more than such words
        # (answer.answerability.refusal_stands; eval.fit_answerability leaves the same options out).
        opts = [(i, runner) for i, runner in opts if not refusal_stands(first.refused, cands[i].x)]
        if not opts:
            # No candidate carries the asked fact — the handler's own quote included, when it was one: refuse.
            if first.refused or not any(c.structured for c in cands):
                return first
            return self.refuse(question, qv, max(cands, key=lambda c: c.prob))
        ranked = sorted(cands, key=lambda c: -c.prob)
        # The handler's quote and the best-ranked sentence are both options: the decision takes the one it rates
        # more likely to answer (eval.fit_answerability fits it on the same options and margins).
        scored = [(mdl.answerable(cands[i], runner, first.refused), cands[i]) for i, runner in opts]
        p, chosen = max(scored, key=lambda t: t[0])
        if p >= mdl.threshold:
            chosen = self._states_consequence(qv, chosen, cands, first.refused, mdl)
            chosen = states_members(qv, chosen, cands, self._unit_text,
                                    () if first.refused else tuple(c.quote for c in first.citations))
            others = self._other_documents(chosen, ranked, first.refused, mdl) if not scope else []
            # With other documents answering too, the chosen document's part keeps to that document.
            rest = [c for c in ranked if c is not chosen and (not others or c.doc_id == chosen.doc_id)]
            # The handler's answer stands for the chosen document unless it also quotes the documents answered
            # beside it (general: a second unit of another document): its sentence answer then, of its own document.
            if (chosen.structured and not first.refused and self._handler_stands(first, chosen, cands)
                    and not (others and any(x.doc_id != chosen.doc_id for x in first.citations))):
                ans = self.complement(first, qv, chosen, rest)
            else:
                ans = self.complement(self.sentence_answer(question, qv, chosen, rest, SECOND_SHARE * chosen.prob),
                                      qv, chosen, rest)
            return self.per_document(question, chosen, ans, others) if others else ans
        if first.refused:
            return first
        return self.refuse(question, qv, ranked[0])

    def _unit(self, doc_id: str, seq):
        """(document, unit) of the library, either None when it is not there (a hit, a citation or a candidate)."""
        doc = self.a.catalog.documents.get(doc_id)
        return doc, (doc.measure(seq) if doc else None)

    def _unit_text(self, c: Candidate) -> str:
        m = self._unit(c.doc_id, c.seq)[1]
        return m.text if m else ""

    @staticmethod
    def _handler_stands(first: Answer, chosen: Candidate, cands: list[Candidate]) -> bool:
        """The handler's answer stands when the decision agrees with its quotes: its lead may answer (answer.eligible;
        b13 350: 几月几日前 asked, the lead lists what is disclosed, its second quote has the date) and its second is
        not outranked by a sentence the decision would add instead (dev 373: 评估合格的…保留其称号 quoted, 整改后仍不合格
        的…取消其称号 ranked higher). Otherwise the answer is composed from the decision's choices (`sentence_answer`)."""
        quoted = {(x.doc_id, x.seq, x.sentence): x for x in cands if x.structured}.get
        keys = [(c.doc_id, c.seq, c.quote) for c in first.citations[:2]]
        lead = quoted(keys[0]) if keys else None
        if lead is not None and not lead.eligible:
            return False
        second = quoted(keys[1]) if len(keys) > 1 else None
        if second is None or second is chosen:
            return True
        said = " ".join(c.quote for c in first.citations)
        return not any(c.eligible and not c.structured and c.prob > second.prob and c.prob >= SECOND_SHARE * chosen.prob
                       and c.sentence not in said for c in cands)

    @staticmethod
    def _states_consequence(qv: QuestionView, chosen: Candidate, cands: list[Candidate], first_refused: bool,
                            mdl) -> Candidate:
        """A consequence asked (会有什么后果, 会怎么处理, 由谁处罚: answer.asks.ASKED_FACTS["penalty"]) and a chosen
        sentence that states none (对工作成效突出的企业予以表彰奖励; …应当建立…制度): the best eligible sentence that states
        one (通报批评, 取消…资格, 予以处罚: answer.answerability's penalty pattern) answers instead when the decision
        rates it answerable too — a preference among answers, never a refusal."""
        if "penalty" not in qv.kinds or carries("penalty", chosen.sentence):
            return chosen
        probs = [c.prob for c in cands]
        for i in sorted(range(len(cands)), key=lambda j: -probs[j]):
            c = cands[i]
            if (c.eligible and carries("penalty", c.sentence)
                    and mdl.answerable(c, runner_up(probs, i), first_refused) >= mdl.threshold):
                return c
        return chosen

    @staticmethod
    def _other_documents(chosen: Candidate, ranked: list[Candidate], first_refused: bool, mdl,
                         limit: int = MAX_OTHER_DOCUMENTS) -> list[Candidate]:
        """Over the whole library (no scope), the other documents whose best eligible sentence
        the decision itself rates answerable: `mdl.answerable` reaches the fitted threshold, its margin read against
        the best sentence of any document (the chosen one's included), as for any answer. The question fits several
        documents (两高项目的产能置换: the 中央 意见 and the 央企 意见 both state it), and the answer says so instead
        of silently picking one. No slack of its own: a sentence well below the chosen one has a negative margin,
        and the decision weighs that (b3-1-09: 0.752 beside 0.860 answers; 0.667 beside 0.806 does not)."""
        probs = [c.prob for c in ranked]
        out: list[Candidate] = []
        seen = {chosen.doc_id}
        for i, c in enumerate(ranked):
            if c.doc_id in seen or not c.eligible:
                continue
            seen.add(c.doc_id)  # each document by its best eligible sentence, as a scoped question would read it
            if mdl.answerable(c, runner_up(probs, i), first_refused) >= mdl.threshold:
                out.append(c)
                if len(out) >= limit:
                    break
        return out

    def per_document(self, question: str, chosen: Candidate, first: Answer, others: list[Candidate]) -> Answer:
        """The chosen document's answer (its completing sentences included) and each other document's sentence,
        one line per document, each naming its document by title and citing its own passage."""
        title = self.a.catalog.documents[chosen.doc_id].title
        head = first.answer[2:] if first.answer.startswith("根据《") else first.answer
        if f"《{title}》" not in head:
            head = f"《{title}》：{head}"
        lines = [header(len(others) + 1), f"- {head}"]
        cites = list(first.citations)
        for c in others:
            doc = self.a.catalog.documents[c.doc_id]
            m = doc.measure(c.seq)
            cites.append(self.a.cite(doc, m, c.sentence, c.prob))
            lines.append(f"- 《{doc.title}》{self.a.label(doc, m)}：{_shown(c.sentence)}[{len(cites)}]")
        return Answer(question=question, answer="\n".join(lines), refused=False, citations=cites, route=first.route,
                      note=first.note)

    # -- composing ----------------------------------------------------------------------------------
    def sentence_answer(self, question: str, qv: QuestionView, best: Candidate, rest: list[Candidate],
                        thr: float) -> Answer:
        doc = self.a.catalog.documents[best.doc_id]
        m = doc.measure(best.seq)
        quote = with_enumeration(m.text, whole_provision(m.text, best.sentence))
        cites = [self.a.cite(doc, m, quote, best.prob)]
        text = f"根据《{doc.title}》{self.a.label(doc, m)}：{_shown(quote)}[1]"
        # Responsibility asked, and the sentence names nobody: the unit's responsible units, quoted.
        if "org" in qv.kinds and not carries("org", best.sentence) and m.bureaus:
            names = [b.name for b in m.bureaus if b.name in m.text]
            sent = next((s.strip() for s in split_sentences(m.text) if any(n in s for n in names)), None)
            if sent and sent != best.sentence:
                cites.append(self.a.cite(doc, m, sent, best.prob))
                text += f"责任单位：{'、'.join(dict.fromkeys(names))}[{len(cites)}]。"
        # A second sentence that also answers (A和B分别…, 条件和截止时间): add it.
        second = next((c for c in rest if c.prob >= thr and c.sentence != best.sentence
                       and not (c.sentence in quote or quote in c.sentence)), None)
        if second is not None:
            doc2 = self.a.catalog.documents[second.doc_id]
            m2 = doc2.measure(second.seq)
            # A bare heading (城市自评。) with the sentence it heads, unless the answer already quotes that sentence.
            said = with_body(m2.text, second.sentence)
            if said[len(second.sentence):].strip() in quote:
                said = second.sentence
            cites.append(self.a.cite(doc2, m2, said, second.prob))
            same = (doc2.doc_id, m2.seq) == (doc.doc_id, m.seq)
            where = "" if same else (f"《{doc2.title}》" if doc2.doc_id != doc.doc_id else "") + self.a.label(doc2, m2)
            text += ("此外，" if same else f"另据{where}，") + f"{_shown(said)}[{len(cites)}]"
        return Answer(question=question, answer=text, refused=False, citations=cites)

    def complement(self, ans: Answer, qv: QuestionView, chosen: Candidate, rest: list[Candidate],
                   share: float = 0.5) -> Answer:
        """A question that asks two things (天津电炉钢产能比例和绿色制造示范单位数量…; 新增多少…？处理率目标是多少？)
        and an answer that states one: add the sentence of the same document that states what the answer does not
        cover — it fills every slot the question asks with a question word (answer.parts.slot_kinds: 多少, 何时, 哪个部门;
        not the topic words that also cue answer.answerability's kinds, as 认定, 报送, 编制 cue "org"), and ranks at
        least `share` as high as the chosen one unless it states all that is missing."""
        missing = [w for w in qv.words if not self.a.matcher.present(w, ans.answer)]
        if not missing or len(qv.words) < 2:
            return ans
        quotes = [c.quote for c in ans.citations]
        slots = self._slots_of(qv.question, missing)
        # The answer shows one clause of a quoted sentence whose other clauses state the rest (到2025年，全域电炉钢
        # 产能比例达到25%左右，…，绿色制造示范单位达到300家以上): show those clauses too, under the same citation —
        # each time the clause that states most of what is still missing, while one states any of it.
        clauses = [(n, c.strip().rstrip("，；。")) for n, q in enumerate(quotes, 1) for c in re.split(r"(?<=[，；。])", q)]
        clauses = [(n, c) for n, c in clauses if len(c) >= MIN_SENTENCE and c not in ans.answer
                   and all(carries(k, c) for k in slots)]
        added = ""
        while clauses and missing:
            gain = [sum(self.a.matcher.present(w, c) for w in missing) for _, c in clauses]
            i = max(range(len(clauses)), key=lambda j: gain[j])
            if gain[i] == 0:
                break
            n, clause = clauses.pop(i)
            added += ("；" if added else "此外，") + f"{_shown(clause)}[{n}]"
            missing = [w for w in missing if not self.a.matcher.present(w, clause)]
        if added:
            return replace(ans, answer=ans.answer + added)
        near = self._neighbour(qv, chosen, missing, quotes, slots)
        if near is not None:
            doc, m, sentence = near
            cites = [*ans.citations, self.a.cite(doc, m, sentence, chosen.prob)]
            return replace(ans, answer=ans.answer + f"此外，{_shown(sentence)}[{len(cites)}]", citations=cites)
        for c in rest:
            # A sentence that states every word the answer lacks is the rest of the answer however it ranks (德州:
            # 试点建设5个加氢站 answered, 充电桩保有量达到4000个以上 ranked below half of it); one that states some of them
            # must rank at least `share` as high.
            if c.prob < share * chosen.prob and not all(self.a.matcher.present(w, c.sentence) for w in missing):
                continue
            if (c.doc_id != chosen.doc_id or not c.eligible or any(c.sentence in q or q in c.sentence for q in quotes)
                    or not all(carries(k, c.sentence) for k in slots)
                    or not any(self.a.matcher.present(w, c.sentence) for w in missing)):
                continue
            doc = self.a.catalog.documents[c.doc_id]
            m = doc.measure(c.seq)
            cites = [*ans.citations, self.a.cite(doc, m, c.sentence, c.prob)]
            same = any(x.seq == m.seq for x in ans.citations)
            text = ans.answer + ("此外，" if same else f"另据{self.a.label(doc, m)}，") + f"{_shown(c.sentence)}[{len(cites)}]"
            return Answer(question=ans.question, answer=text, refused=False, citations=cites, route=ans.route,
                          note=ans.note)
        return ans

    def _slots_of(self, question: str, missing: list[str]) -> list[str]:
        """The slots (answer.parts.slot_kinds) asked by the questions of `question` (…什么时候开始施行？有效期多长？) that
        hold a word the answer lacks: the sentence added for them fills those, not the slots the answer filled."""
        parts = [p for p in re.split(r"[？?；;]", question) if p.strip()]
        topic = [w for w in missing if not slot_kinds(w)]  # a question word (多长, 多少) is no part's topic
        held = [p for p in parts if any(self.a.matcher.present(w, p) for w in topic)]
        return slot_kinds("，".join(held) if len(parts) > 1 and held else question)

    def _neighbour(self, qv: QuestionView, chosen: Candidate, missing: list[str], quotes: list[str], slots: list[str],
                   reach: int = NEIGHBOURS):
        """The other half of a two-part question is stated beside the first (可以自接到通知之日起七个工作日内…申请复核；
        省生态环境厅应当自接到复核申请之日起十个工作日内…; 2030年前…基本形成。2060年前…成熟健全): of the sentences
        within `reach` of the chosen one in its unit, the one that states most of the words the answer lacks — it
        carries the asked kind of fact and fits the asked year. (document, unit, sentence) or None."""
        doc = self.a.catalog.documents.get(chosen.doc_id)
        m = doc.measure(chosen.seq) if doc else None
        if m is None:
            return None
        sentences = [x.strip() for x in split_sentences(m.text)]
        at = next((i for i, x in enumerate(sentences) if chosen.sentence in x or x in chosen.sentence), None)
        if at is None:
            return None
        best, gain = None, 0
        for i in range(max(0, at - reach), min(len(sentences), at + reach + 1)):
            x = sentences[i]
            if (i == at or len(x) < MIN_SENTENCE or x not in m.text or any(x in q or q in x for q in quotes)
                    or not all(carries(k, x) for k in slots) or not self._year_fits(qv, doc, m, x)):
                continue
            g = sum(self.a.matcher.present(w, x) for w in missing)
            if g > gain:
                best, gain = x, g
        return (doc, m, best) if best else None

    def refuse(self, question: str, qv: QuestionView, closest: Candidate) -> Answer:
        doc = self.a.catalog.documents[closest.doc_id]
        m = doc.measure(closest.seq)
        return self.a.refuse_closest(question, qv.words, qv.kinds, self.a.cite(doc, m, closest.sentence, closest.prob),
                                     _shown(closest.sentence), doc.title + m.title, qv.years)
