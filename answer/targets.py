"""Figure handlers: a target or amount (TargetHandler), a year or time (YearHandler), every target on a topic
(TargetListHandler). A figure asked of several documents is answered in each (service: answer.several)."""
from __future__ import annotations

import re

from answer.compose import ComposerHandler
from answer.consts import HAS_TIME, HAS_YEAR, MIN_COVERAGE, MIN_COVERAGE_EACH
from answer.asks import ASKS_AMOUNT, ASKS_SEVERAL, ASKS_WHICH_YEAR
from answer.intents import LIST_ALL_TARGETS, TARGET, TARGET_LIST, YEAR
from answer.text import (HAS_AMOUNT, amount_contexts, clause_context, clause_with, governing_year,
                         overlap, sentence_with_year, strip_heading)
from answer.title_reference import without_quoted_titles
from answer.types import Answer, Citation, Query
from knowledge.numerals import int_to_cn
from knowledge.text import fold


class TargetHandler(ComposerHandler):
    """Targets and amounts: answered only from a sentence that carries the asked kind of figure and covers the
    question's topic; otherwise the document does not give it. None when nothing of the kind is asked and no
    target fits (a general question then)."""
    kind = TARGET
    what = "相关的具体数值"
    kind_asked = "amount"  # the kind of fact `need` asks for, as answer.answerability names it

    def need(self, question: str) -> re.Pattern | None:
        """What a sentence must carry to answer: an amount when one is asked."""
        return HAS_AMOUNT if ASKS_AMOUNT.search(question) else None

    def shown(self, words: list[str], sentence: str, need: re.Pattern | None) -> str:
        return strip_heading(sentence)

    def asked_time(self, words: list[str], target_text: str, clause: str) -> str | None:
        """A clause of a target's sentence to show beside the target's own, when the question asks for it."""
        return None

    def run(self, query: Query) -> Answer | None:
        ctx, question, rt, hits = self.ctx, query.question, query.route, query.hits
        # A title quoted in 《》 names the document (as answer.decide reads it): its words are no topic the target
        # must cover, nor its years ones the target must state (b10's 446: 《莆田市“十四五”生态环境保护规划》中森林覆盖率…).
        topic = without_quoted_titles(question)
        words = ctx.matcher.content_words(topic)
        terms = ctx.terms(topic)
        rank_of = {(h.doc_id, h.seq): i for i, h in enumerate(hits)}
        question_years = set(re.findall(r"20\d{2}", fold(topic)))
        # 森林覆盖率和森林蓄积量分别是多少: each figure answers half of the question.
        several = bool(ASKS_SEVERAL.search(question))
        floor = MIN_COVERAGE_EACH if several else MIN_COVERAGE
        # Only targets that cover the question are weighed further: on a whole library the catalogue keeps
        # hundreds, and the checks and the score below are spent on the few that can answer.
        asked_years = set(rt.years)
        # Several due years asked (2025年和2030年…分别是多少): each target answers the part of its own year, and its
        # sentence need not write the other one (b18 237: 到2030年，… opens the sentence before the figures).
        each_year = {str(y) for y in asked_years} if len(asked_years) > 1 else set()
        fitting = []
        for doc, m, t in ctx.catalog.targets(query.scope):
            # Every year the question names (a baseline 比2005年 too) must be in the evidence.
            if any(y not in t.text and y != str(t.year) and not (y in each_year and t.year in asked_years)
                   for y in question_years):
                continue
            # Coverage on the clause that carries the figure (and the one before it), not the whole sentence:
            # 提高装配式建筑比例，绿色建筑面积占比达到80% does not give a share for 装配式建筑.
            context = clause_context(t.text, t.value + t.unit)
            cov, _ = ctx.matcher.coverage(words, context)
            if cov < floor:
                continue
            if ctx.matcher.mandatory_missing(words, t.text) or ctx.matcher.domain_missing(words, context):
                continue
            clause = clause_with(t.text, t.value + t.unit) or t.text
            rank = rank_of.get((doc.doc_id, m.seq))
            score = cov + 0.5 * overlap(terms, t.indicator + clause) + (0.3 / (1 + rank) if rank is not None else 0.0)
            fitting.append((score, cov, doc, m, t, clause))
        fitting = _prose_over_table(fitting)
        fitting.sort(key=lambda c: -c[0])
        if fitting:
            best = fitting[0]
            good = [c for c in fitting if (several or c[0] >= best[0] - 0.15) and c[3].seq == best[3].seq
                    and c[2].doc_id == best[2].doc_id]
            if asked_years:
                matching = [c for c in fitting if c[4].year in asked_years]
                if not matching:
                    cite = ctx.cite(best[2], best[3], best[4].text, best[0])
                    years = "、".join(str(y) for y in sorted(asked_years))
                    return ctx.refuse(question, f"{years}年的这一目标",
                                      cite, f"到{best[4].year}年，{best[5].rstrip('，。；')}")
                same_unit = [c for c in matching if c[3].seq == matching[0][3].seq and c[2].doc_id == matching[0][2].doc_id]
                good = [c for c in same_unit if c[0] >= matching[0][0] - 0.15]
                # 分别 asked: a figure of the unit that states a question word the kept ones do not answers its part
                # however much less of the question its clause repeats (b17 358: 到2025年绿色园区和绿色工厂分别要达到
                # 多少个, the two figures of one sentence); the unit's other figures are not asked. The best figure's
                # own sentence first: 至2025年底，…风电约1000万千瓦，光伏发电约1200万千瓦 before the 新增 sentence's
                # 风电约600万千瓦 (dev 562).
                for c in sorted(same_unit, key=lambda c: (c[4].text != good[0][4].text, -c[0])) if several else ():
                    if c not in good and _adds_word(ctx.matcher, words, "".join(g[5] for g in good), c[5]):
                        good.append(c)
                # Several due years asked (到2025年、2030年分别下降多少): the best target of each asked year in that unit
                # answers its part, however much less of the question its own clause repeats (…下降20%，到2030年下降30%).
                for year in sorted(asked_years) if len(asked_years) > 1 else ():
                    own = next((c for c in matching if c[4].year == year and c[3].seq == matching[0][3].seq
                                and c[2].doc_id == matching[0][2].doc_id), None)
                    if own is not None and own not in good:
                        good.append(own)
            chosen = good[:3]
            if len(asked_years) > 1:  # the parts in the order of their years, as asked
                chosen.sort(key=lambda c: c[4].year)
            return self._target_answer(question, chosen, words)

        # No quantified target fits: a sentence of a retrieved measure may still carry the figure.
        need = self.need(question)
        best = ctx.best_sentences(question, hits, limit=3)
        # The sentence that covers the question best, then the better ranked.
        ranked = sorted(best, key=lambda b: (-ctx.matcher.coverage(words, b[3])[0], -b[0]))
        for score, doc, m, sentence in ranked:
            cov, _ = ctx.matcher.coverage(words, sentence)
            if cov < MIN_COVERAGE or (need is not None and not need.search(sentence)):
                continue
            before = m.text[: m.text.find(sentence)]
            if any(y not in sentence and y not in before for y in re.findall(r"20\d{2}", fold(question))):
                continue
            if asked_years and governing_year(before, sentence) not in asked_years:
                continue  # the figure is due in another year than the one asked
            if ctx.matcher.mandatory_missing(words, sentence):
                continue
            if need is HAS_AMOUNT and all(ctx.matcher.domain_missing(words, c) for c in amount_contexts(sentence)):
                continue  # no figure of the sentence is about the asked policy term
            cite = ctx.cite(doc, m, sentence, score)
            return Answer(question=question, refused=False, citations=[cite],
                          answer=f"根据《{doc.title}》{ctx.label(doc, m)}：{self.shown(words, sentence, need)}[1]")
        if need is None and not asked_years:
            return None
        if best:  # named by what the closest sentence lacks (Composer.refuse_closest)
            score, doc, m, sentence = best[0]
            return ctx.refuse_closest(question, words, (self.kind_asked,) if need is not None else (),
                                      ctx.cite(doc, m, sentence, score), strip_heading(sentence),
                                      doc.title + m.title, sorted(asked_years))
        what = self.what
        topic = "".join(words[:3])
        if asked_years:
            what = f"{'、'.join(map(str, sorted(asked_years)))}年{topic}的相关目标"
        elif topic:
            what = f"{topic}{what}"
        return ctx.refuse(question, what)

    def _target_answer(self, question: str, chosen, words: list[str]) -> Answer:
        ctx = self.ctx
        cites: list[Citation] = []
        parts: list[str] = []
        for score, _, doc, m, t, clause in chosen:
            quote = t.text
            if not any(c.quote == quote and c.seq == m.seq for c in cites):
                cites.append(ctx.cite(doc, m, quote, score))
            n = next(i for i, c in enumerate(cites, 1) if c.quote == quote and c.seq == m.seq)
            clause_txt = clause.rstrip("，。；、")
            year_txt = ""
            if t.year and str(t.year) not in clause_txt:
                # The quote's own words for its due year (2025年底前), else 到2025年.
                year_txt = f"{_year_phrase(quote, t.year) or f'到{t.year}年'}，"
                if str(t.year) not in quote:
                    # The due year was set in an earlier sentence: cite that sentence too.
                    year_sentence = sentence_with_year(m.text, quote, t.year)
                    if year_sentence and not any(c.quote == year_sentence for c in cites):
                        cites.append(ctx.cite(doc, m, year_sentence, score))
                    year_txt = f"到{t.year}年[{len(cites)}]，" if year_sentence else ""
            part = f"{year_txt}{clause_txt}[{n}]"
            also = self.asked_time(words, quote, part)
            if also:
                part += f"；{also}[{n}]"
            if part not in parts and not any(clause_txt in p for p in parts):  # not a clause shown already
                parts.append(part)
        doc, m = chosen[0][2], chosen[0][3]
        text = f"根据《{doc.title}》{ctx.label(doc, m)}，" + "；".join(parts) + "。"
        return Answer(question=question, answer=text, refused=False, citations=cites)


def _written(t) -> bool:
    """The target's figure is written in its text as value and unit (3.5亿平方米), not read from a table row whose
    unit stands in a header (既有建筑节能改造面积（亿平方米）3.5)."""
    return t.quantity in fold(t.text)


def _prose_over_table(fitting: list) -> list:
    """Of a figure a document gives both in a table row and in a sentence (the plan's 主要指标 table and its 发展目标
    paragraph), the sentence: it states the figure with its unit and reads as an answer, the flattened row does not.
    `fitting`: (score, coverage, document, unit, target, clause) tuples."""
    key = lambda f: (f[2].doc_id, f[4].year, f[4].value, f[4].unit)  # noqa: E731
    in_words = {key(f) for f in fitting if _written(f[4])}
    return [f for f in fitting if _written(f[4]) or key(f) not in in_words]


class YearHandler(TargetHandler):
    """A year or time: the sentence must carry a year (哪一年) or a time, and the clause with the time and the
    topic is shown as the direct answer."""
    kind = YEAR
    what = "相关的具体时间安排"
    kind_asked = "date"

    def need(self, question: str) -> re.Pattern:
        return HAS_YEAR if ASKS_WHICH_YEAR.search(question) else HAS_TIME

    def shown(self, words: list[str], sentence: str, need: re.Pattern | None) -> str:
        return self._time_clause(words, sentence, need) or strip_heading(sentence)

    def asked_time(self, words: list[str], target_text: str, clause: str) -> str | None:
        """A time is asked and the target's sentence dates several things: the clause with the time that covers
        the question better than the target's own clause (…2023年年底前，淘汰国三及以下排放标准柴油货车，2025年年底前，…
        国六排放标准重型货车占比达到30%以上: the figure's clause carries another deadline). A time standing alone as a
        clause is read with the clause after it, the action it dates."""
        clauses = [c.strip("，；。 ") for c in re.split(r"[，；。]", target_text) if c.strip()]
        cover = lambda c: self.ctx.matcher.coverage(words, c)[0]  # noqa: E731
        timed = []
        for i, c in enumerate(clauses):
            if not HAS_TIME.search(c):
                continue
            if cover(c) == 0 and i + 1 < len(clauses) and not HAS_TIME.search(clauses[i + 1]):
                c = f"{c}，{clauses[i + 1]}"
            timed.append(c)
        best = max(timed, key=cover, default=None)
        if best is None or best in clause or cover(best) <= cover(clause):
            return None
        return best

    def _time_clause(self, words: list[str], sentence: str, need: re.Pattern) -> str | None:
        """The timed clause of `sentence` that covers the question best; None when none covers any of it (the
        whole sentence is shown). Only ever more of the sentence than that clause: a second timed clause stating a
        question word the first leaves out (在2030年前实现碳达峰，2060年前实现碳中和 for 哪年前实现碳达峰、哪年前实现
        碳中和: b16 43), and a bare time opening the clause before a shown one, which dates it even when the clause
        names a time of its own (到2025年，基本完成全省2000年底前建成的…改造任务: b17 318)."""
        clauses = [c.strip("，；。 ") for c in re.split(r"[，；。]", sentence) if c.strip()]
        cover = lambda c: self.ctx.matcher.coverage(words, c)[0]  # noqa: E731
        timed = [c for c in clauses if need.search(c)]
        if not timed:
            return None
        best = max(timed, key=cover)
        if cover(best) == 0:
            return None
        shown = [best]
        for c in timed:
            if c not in shown and _adds_word(self.ctx.matcher, words, "".join(shown), c):
                shown.append(c)
        for c in list(shown):
            i = clauses.index(c)
            bare = clauses[i - 1] if i > 0 else ""
            if bare and bare not in shown and len(bare) <= BARE_TIME_LONGEST and need.search(bare) and cover(bare) == 0:
                shown.append(bare)
        return "，".join(sorted(shown, key=clauses.index)) + "。"


class TargetListHandler(ComposerHandler):
    """Every quantified target (of the asked years; on the question's topic when it names one). None when the
    question names a topic no target covers (a single figure may still answer it)."""
    kind = TARGET_LIST

    def run(self, query: Query) -> Answer | None:
        ctx, question, rt, scope = self.ctx, query.question, query.route, query.scope
        topic = [w for w in ctx.matcher.content_words(question) if w not in LIST_ALL_TARGETS]
        rows = [(d, m, t) for d, m, t in ctx.catalog.targets(scope) if not rt.years or t.year in rt.years]
        if topic:  # 绿色建筑有哪些目标: the targets on that topic; 充电桩有什么目标: maybe none
            rows = [(d, m, t) for d, m, t in rows if ctx.matcher.coverage(topic, m.title + t.text)[0] >= MIN_COVERAGE]
            if not rows:
                return None
        if not rows:
            what = f"{'、'.join(map(str, rt.years))}年的量化目标" if rt.years else "量化目标"
            return ctx.refuse(question, what)
        cites: list[Citation] = []
        lines = []
        for d, m, t in rows:
            if not any(c.quote == t.text and c.seq == m.seq and c.doc_id == d.doc_id for c in cites):
                cites.append(ctx.cite(d, m, t.text, 1.0))
            n = next(i for i, c in enumerate(cites, 1) if c.quote == t.text and c.seq == m.seq and c.doc_id == d.doc_id)
            clause = (clause_with(t.text, t.value + t.unit) or t.text).rstrip("，。；、")
            line = f"- {ctx.where(d, m, len(scope or ctx.catalog.documents) > 1)}：" \
                   f"{'' if str(t.year) in clause else f'到{t.year}年，'}{clause}[{n}]"
            if line not in lines:
                lines.append(line)
        head = f"共{int_to_cn(len(rows))}项量化目标" + (f"（{'、'.join(map(str, rt.years))}年）" if rt.years else "")
        return Answer(question=question, answer=head + "：\n" + "\n".join(lines), refused=False, citations=cites)


def _adds_word(matcher, words: list[str], shown: str, clause: str) -> bool:
    """`clause` states a question word that `shown` does not."""
    return any(matcher.present(w, clause) and not matcher.present(w, shown) for w in words)


# The longest clause read as a bare time that says nothing else (到2025年, 力争到2025年, 2025年底前): the due year
# phrase a target answer repeats (_year_phrase) and the time opening the clause it dates (YearHandler._time_clause).
BARE_TIME_LONGEST = 12


def _year_phrase(sentence: str, year: int, longest: int = BARE_TIME_LONGEST) -> str | None:
    """The clause of `sentence` that states its due year when it says nothing else (到2025年, 2025年底前,
    力争到2025年, “十四五”末): the answer repeats the document's words rather than paraphrasing them."""
    for clause in re.split(r"[，,；;：:。]", sentence):
        clause = clause.strip()
        if str(year) in clause and len(clause) <= longest and not re.search(r"\d", clause.replace(str(year), "")):
            return clause
    return None
