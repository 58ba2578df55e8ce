"""General questions: the best sentences of the retrieved units, quoted; a refusal when nothing retrieved speaks
of the question's topic. The last handler of every chain that can fall through: it always answers."""
from __future__ import annotations

from answer.answerability import asked_kinds
from answer.compose import ComposerHandler
from answer.consts import MIN_COVERAGE, MIN_GENERAL_COVERAGE
from answer.intents import ASKS_CLASSES, GENERAL
from answer.text import STATES_CLASSES, strip_heading, whole_provision, with_enumeration
from answer.types import Answer, Query
from knowledge.text import fold


CLASS_REACH = 30  # sentences of the retrieved units, best first, where one stating a classification is looked for


class GeneralHandler(ComposerHandler):
    kind = GENERAL

    def run(self, query: Query) -> Answer:
        ctx, question = self.ctx, query.question
        best = ctx.best_sentences(question, query.hits, limit=3)
        if ASKS_CLASSES.search(question):
            # a classification asked: the best sentence that states one comes first (answer.text.STATES_CLASSES)
            classes = [b for b in ctx.best_sentences(question, query.hits, limit=CLASS_REACH) if STATES_CLASSES.search(b[3])]
            if classes:
                best = [classes[0], *[b for b in best if b[3] != classes[0][3]]][:3]
        if not best:
            return ctx.refuse(question, "相关内容")
        # Nothing retrieved speaks of the question's topic: say so rather than answer with a neighbour.
        words = ctx.matcher.content_words(question)
        covered = [(ctx.matcher.coverage(words, m.title + s)[0], i) for i, (_, _, m, s) in enumerate(best)]
        top_cov = max(c for c, _ in covered)
        absent = ctx.matcher.uncovered_topics(words, ctx.catalog.scope_text(query.scope))
        if absent:
            _, doc, m, s = best[0]
            return ctx.refuse(question, f"“{'、'.join(absent)}”", ctx.cite(doc, m, s, best[0][0]), strip_heading(s))
        if words and top_cov < MIN_GENERAL_COVERAGE:
            _, doc, m, s = best[0]  # named by what the quoted sentence lacks (Composer.refuse_closest)
            return ctx.refuse_closest(question, words, asked_kinds(fold(question)), ctx.cite(doc, m, s, best[0][0]),
                                      strip_heading(s), m.title)
        best = best[:2]
        first_score, doc, m, s = best[0]
        # a sentence that introduces a list answers with its items; a provision cut at ； with the rest of it
        s = with_enumeration(m.text, whole_provision(m.text, s))
        cites = [ctx.cite(doc, m, s, first_score)]
        text = f"根据《{doc.title}》{ctx.label(doc, m)}：{strip_heading(s)}[1]"
        second_ok = len(best) > 1 and ctx.matcher.coverage(words, best[1][2].title + best[1][3])[0] >= MIN_COVERAGE
        if second_ok and best[1][0] > 0.6 * first_score and best[1][3] not in s:
            _, doc2, m2, s2 = best[1]
            whole = with_enumeration(m2.text, whole_provision(m2.text, s2))  # quoted as fully as the first
            s2 = s2 if s in whole else whole  # not the first quote again
            cites.append(ctx.cite(doc2, m2, s2, best[1][0]))
            same = (doc2.doc_id, m2.seq) == (doc.doc_id, m.seq)
            # Another document's unit is named by its title too (as answer.decide's second sentence names it).
            where = ("" if doc2.doc_id == doc.doc_id else f"《{doc2.title}》") + ctx.label(doc2, m2)
            text += ("此外，" if same else f"另据{where}，") + f"{strip_heading(s2)}[2]"
        return Answer(question=question, answer=text, refused=False, citations=cites)
