"""The default answer: grounded, extractive, cited. One handler per question kind, registered by kind; the
route's chain of handlers comes from the intent table (answer.intents.STEPS), the first handler that answers
wins, and fact questions then go through the calibrated answer-or-refuse decision (answer.decide). Every quote
is an exact substring of a stored unit; every figure in an answer comes from a quote."""
from __future__ import annotations

import re
from dataclasses import replace

from answer import asks as A
from answer import intents as I
from answer.addressee import AddresseeHandler
from answer.asked_form import form_stated
from answer.basis import BasisHandler
from answer.bureau_answers import BureauHandler, BureauMeasuresHandler, IssuerHandler
from answer.doc_number import DocNumberHandler
from answer.compose import Composer, unit_label, with_bridges
from answer.dates import DatedSentenceHandler, MetaDatesHandler
from answer.decide import Decider
from answer.evidence import TopicMatcher
from answer.general import GeneralHandler
from answer.parts import NOT_COMPLETED, complete
from answer.sources import shift_markers
from answer.structure import CountHandler, EnterpriseHandler, NamedSectionHandler, SectionsHandler
from answer.targets import TargetHandler, TargetListHandler, YearHandler
from answer.types import Answer, Handler, Hit, Query, Route
from answer.text import STATES_CLASSES, strip_heading
from knowledge.catalog import Catalog
from knowledge.text import fold

_WITH_COMPOSER = (GeneralHandler, TargetHandler, YearHandler, TargetListHandler, MetaDatesHandler,
                  DatedSentenceHandler, BureauHandler, BureauMeasuresHandler, IssuerHandler, DocNumberHandler,
                  EnterpriseHandler, CountHandler, SectionsHandler, NamedSectionHandler, AddresseeHandler, BasisHandler)


# The front-matter fields a clause of a question asks (answer.intents' cues of the document number, issuer and
# dates): a who-question about issuing (是哪几个部门联合印发的), a date of issue, effect or expiry (是哪天印发的,
# 落款日期是哪天, 有效期到什么时候), a document number (文号是多少).
_WHO_ISSUED = re.compile(rf"{I.WHO_ASKED.pattern}|{I.ASKS_SEVERAL_ISSUERS.pattern}")
# A date asked by its noun (文号和日期是什么, 印发日期是哪天, 什么时间): the noun with a question word after or before it.
_DATE_NOUN_ASKED = re.compile(r"(?:日期|时间)(?:是|为)?(?:什么|哪|多少)|(?:什么|哪个)(?:日期|时间)")
_FRONT_MATTER_ASKED = {
    I.DOC_NUMBER: lambda c: I.ASKS_DOC_NUMBER.search(c),
    I.ISSUER: lambda c: I.ASKS_ISSUER.search(c) and _WHO_ISSUED.search(c),
    I.META_DATES: lambda c: not _WHO_ISSUED.search(c) and not I.ASKS_DOC_NUMBER.search(c) and (
        I.ASKS_VALIDITY.search(c) or (I.ASKS_DATE.search(c) and (A.ASKS_DAY.search(c) or A.ASKS_WHEN.search(c)
                                                                 or _DATE_NOUN_ASKED.search(c)))),
}
# The question words of each field: a clause asking two fields at once (是哪个部门在哪天印发的, 文号和日期是什么) asks
# the other field once the answered field's words are taken out.
_FRONT_MATTER_WORDS = {I.DOC_NUMBER: I.ASKS_DOC_NUMBER, I.ISSUER: _WHO_ISSUED}
_CLAUSES = re.compile(r"[？?，,；;。]")


class ExtractiveAnswerer:
    label = staticmethod(unit_label)

    def __init__(self, catalog: Catalog, matcher: TopicMatcher | None = None):
        self.ctx = Composer(catalog, matcher)
        self.catalog, self.matcher, self.cite = self.ctx.catalog, self.ctx.matcher, self.ctx.cite
        handlers: list[Handler] = [h(self.ctx) for h in _WITH_COMPOSER]
        self.handlers: dict[str, Handler] = {h.kind: h for h in handlers}
        steps = [s for chain in (I.FIRST, *I.STEPS.values()) for s in chain]
        missing = {s.handler for s in steps} - set(self.handlers)
        if missing:
            raise ValueError(f"the intent table names handlers nobody registered: {sorted(missing)}")
        if any(chain[-1].when is not None for chain in I.STEPS.values()):
            raise ValueError("every chain of the intent table must end in a step that is always taken")

    def answer(self, question: str, rt: Route, hits: list[Hit], scope: list[str] | None) -> Answer:
        query = Query(question, rt, tuple(hits), None if scope is None else tuple(scope))
        first = self._first(query, I.FIRST)
        if first is not None:
            first = self._front_matter_joined(query, first, I.DOC_NUMBER)
            first.route = I.DOCUMENT
            return first
        ans, by = self._first_by(query, I.STEPS.get(rt.kind, I.STEPS[I.GENERAL]))
        if ans is not None:
            ans = self._front_matter_joined(query, ans, by)
        ans = self._decided(query, ans, by)
        ans.route = rt.kind
        if scope is None:
            ans = self._in_named_place(ans)
        if not (ans.refused or rt.kind in NOT_COMPLETED):
            ans = self.completed(ans, question, query.scope, rt.years, query.hits)
        return with_bridges(form_stated(self.ctx, question, ans))

    def completed(self, ans: Answer, question: str, scope, years=(), hits=()) -> Answer:
        """`ans` with the sentences of its cited units that state what its quotes leave out (answer.parts). Also
        for an answer read from the stored support items (service: 最多补贴多少？申请有什么时间要求？), whose quotes
        are the item's fields and may leave a clause of the question open."""
        words = Decider(self.ctx).view(question, scope, years, hits).words
        return complete(ans, list(words), self.catalog, self.matcher, self.cite)

    def _front_matter_joined(self, query: Query, ans: Answer, by: str | None) -> Answer:
        """A question asking several fields of the front matter at once (是哪几个部门联合印发的？文号是多少？,
        是哪个部门印发的？落款日期是哪天？, 是哪天印发的，文号是多少？): each field has its own handler, and the
        first that answers states one field. Each other clause asking a field (_FRONT_MATTER_ASKED) is answered by
        its handler on that clause alone, and an exact answer is joined, its citations renumbered after `ans`'s."""
        if by not in _FRONT_MATTER_ASKED or ans.refused or not ans.exact:
            return ans
        clauses = [c for c in _CLAUSES.split(query.question) if c.strip()]
        text, cites = ans.answer, list(ans.citations)
        own = _FRONT_MATTER_WORDS.get(by)
        alone = [own.sub("", c) for c in clauses if own is not None and own.search(c)]
        for kind, asked in _FRONT_MATTER_ASKED.items():
            clause = next((c for c in [*clauses, *alone] if asked(c)), None) if kind != by else None
            if clause is None:
                continue
            sub = self.handlers[kind].run(replace(query, question=clause))
            if sub is None or sub.refused or not sub.exact or not sub.citations:
                continue
            base = len(cites)
            text += shift_markers(sub.answer, base)
            cites += sub.citations
        return replace(ans, answer=text, citations=cites)

    def _in_named_place(self, ans: Answer) -> Answer:
        """Over the whole library, a question that names the place of some of its documents (天津到2030年…) is
        about that place: an answer citing only documents of other places (连云港's 2030 figure) answers another
        question, and is a refusal that names what the closest document says. Places are the issuers' places
        of the library (Catalog.issuer_places: 天津 from 天津市…); a document is of a place when its title names it."""
        if ans.refused or not ans.citations:
            return ans
        asked = fold(ans.question)
        named = [p for p in self.catalog.issuer_places() if p in asked]
        if not named or any(p in fold(c.doc_title) for c in ans.citations for p in named):
            return ans
        closest = ans.citations[0]
        refused = self.ctx.refuse(ans.question, f"{'、'.join(sorted(named))}的相关内容", closest,
                                  strip_heading(closest.quote))
        return replace(refused, route=ans.route)

    def _first(self, query: Query, steps) -> Answer | None:
        """The answer of the first handler whose cue holds and that answers."""
        return self._first_by(query, steps)[0]

    def _first_by(self, query: Query, steps) -> tuple[Answer | None, str | None]:
        """(the answer of the first handler whose cue holds and that answers, that handler's kind)."""
        for step in steps:
            if step.when is not None and not step.when(query.question, query.scope):
                continue
            ans = self.handlers[step.handler].run(query)
            if ans is not None:
                return ans, step.handler
        return None, None

    def _decided(self, query: Query, ans: Answer | None, by: str | None = None) -> Answer:
        """The calibrated answer-or-refuse decision for fact questions. A structured answer read from the
        knowledge store (exact) and a responsibility clause stand as they are;
        the general handler's best sentence, when a bureau question falls through to it, is decided like any."""
        if ans is None:
            raise RuntimeError(f"no handler answered route {query.route.kind!r}")
        kind = query.route.kind
        if kind not in I.DECIDED or ans.exact:
            return ans
        # A responsibility clause stands; a sentence naming a body, picked by its overlap with the question among the
        # first three hits, is decided like the general handler's: it quoted a body's general duty for the act asked
        # (由哪个机构复审, 需要先和谁商定, 办公室主任是谁, 责任主体是谁) on four documents of b14, b15 and b17
        # (docs/wrong-answers-r18.md).
        if kind == I.BUREAU and not ans.refused and by != I.GENERAL and not ans.picked:
            return ans
        decided = Decider(self.ctx).decide(query.question, query.hits, query.scope, ans, query.route.years)
        # A classification asked (分哪几类) and quoted by the handler (…分为A和B两大类): the decision may refuse it, but
        # not swap it for a sentence that states no classes — the model reads no kind of fact in such a question.
        if (not decided.refused and I.ASKS_CLASSES.search(query.question) and not ans.refused and ans.citations
                and STATES_CLASSES.search(ans.citations[0].quote)
                and not any(STATES_CLASSES.search(c.quote) for c in decided.citations)):
            return ans
        return decided


__all__ = ["ExtractiveAnswerer", "Hit"]
