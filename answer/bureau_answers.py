"""Responsibility handlers: who is responsible (BureauHandler), what a bureau leads (BureauMeasuresHandler) and who
issued a document (IssuerHandler); the document number is answer.doc_number's."""
from __future__ import annotations

import re

from answer.compose import ComposerHandler
from answer.consts import ISSUER, ORG_ACTS
from answer.asks import STRUCTURE_WORD
from answer.intents import ASKS_SEVERAL_ISSUERS, BUREAU, BUREAU_MEASURES, DUTIES, ISSUER as ISSUER_KIND
from answer.text import overlap, strip_heading
from answer.title_reference import without_quoted_titles
from answer.types import Answer, Citation, Query
from knowledge.actors import LABELLED_FIELD
from answer.signatures import signature, signed_body
from knowledge.bureaus import find_clause
from knowledge.model import Document, Measure
from knowledge.numerals import int_to_cn
from knowledge.text import fold, split_sentences


class BureauHandler(ComposerHandler):
    """The responsibility clause of the top retrieved measure, or the unit a sentence names (市发展改革委要会同…).
    None when the top hit's document has no responsibility clauses at all (what its text says answers)."""
    kind = BUREAU

    def run(self, query: Query) -> Answer | None:
        ctx, question, hits = self.ctx, query.question, query.hits
        closing = self._section_fields(question, hits)
        if closing is not None:
            return closing
        for i, h in enumerate(hits[:3]):
            doc = ctx.catalog.documents.get(h.doc_id)
            m = doc.measure(h.seq) if doc else None
            if m is None or m.kind != "measure":
                continue
            clause = ctx.bureau_clause(m)
            if not clause or not m.bureaus:
                in_text = self._bureau_in_text(question, doc, m, h.score)
                if in_text is not None:
                    return self._best_in_text(question, in_text, hits[i + 1:3])
                if h is hits[0]:
                    if not any(ctx.bureau_clause(mm) for mm in doc.measures):
                        return None  # a document without responsibility clauses
                    cite = ctx.cite(doc, m, m.text[: min(len(m.text), 60)], h.score)
                    return ctx.refuse(question, "该举措的责任部门", cite, f"{ctx.label(doc, m)}未列出责任单位")
                continue
            per_sentence = self._sentence_clause(question, doc, m, h.score)
            if per_sentence is not None:
                return per_sentence
            cite = ctx.cite(doc, m, clause, h.score)
            leads = [b.name for b in m.bureaus if b.lead]
            shared = [b.name for b in m.bureaus if not b.lead]
            if leads and not shared:
                who = f"由{'、'.join(leads)}牵头负责"
            elif leads:
                who = f"由{'、'.join(leads)}牵头，{'、'.join(shared)}参与"
            else:
                who = f"由{'、'.join(shared)}按职责分工负责"
                if query.route.asks_lead:
                    who = "文件未指定牵头部门，" + who
            text = f"《{doc.title}》{ctx.label(doc, m)}{who}[1]。"
            if doc.implementers:
                text += f"此外，文件规定各项举措均需{'、'.join(doc.implementers)}落实。"
            return Answer(question=question, answer=text, refused=False, citations=[cite])
        return ctx.refuse(question, "相关举措的责任部门")

    def _sentence_clause(self, question: str, doc: Document, m: Measure, score: float) -> Answer | None:
        """A unit whose sentences each close with their own responsibility clause (…屋面光伏等可再生能源建筑应用。
        （责任单位：市城建局）…（责任单位：市发改委）): the clause after the passage that fits the question best,
        quoted with that passage. None when the unit has one clause (it speaks for the whole unit)."""
        spans, start = [], 0
        for i, ch in enumerate(m.text):
            if ch not in "）］]】":
                continue
            span = find_clause(m.text[: i + 1])
            if span and span[0] >= start:
                spans.append((start, span[0], span[1]))
                start = span[1]
        if len(spans) < 2:
            return None
        terms = self.ctx.terms(question)
        ov, a, b, end = max(((overlap(terms, m.text[a:b]), a, b, end) for a, b, end in spans),
                            key=lambda t: t[0])
        if ov <= 0:
            return None
        passage = m.text[a:b].strip()
        last = split_sentences(passage)[-1].strip() if passage else ""
        quote = m.text[m.text.find(last, a) if last else b: end].strip()
        cite = self.ctx.cite(doc, m, quote, score)
        return Answer(question=question, refused=False, citations=[cite],
                      answer=f"根据《{doc.title}》{self.ctx.label(doc, m)}：{strip_heading(quote)}[1]")

    def _section_fields(self, question: str, hits) -> Answer | None:
        """A task list that closes each section with its fields (…约谈机制。\n责任处室：自然资源调查监测处\n完成时限：
        2021年12月底前, corpus-dc 231): the fields after the last sentence of a section's last unit speak for every
        unit of the section. The top hit's document's section whose text fits the question best, when the question
        asks for what the field names (哪个处室 for 责任处室); None when its sections do not end so."""
        doc = self.ctx.catalog.documents.get(hits[0].doc_id) if hits else None
        if doc is None:
            return None
        sections: dict[int, list[Measure]] = {}
        for u in doc.units():
            if u.section_no is not None:
                sections.setdefault(u.section_no, []).append(u)
        terms, best = self.ctx.terms(question), None
        for units in sections.values():
            last = units[-1]
            cut = last.text.rfind("。") + 1
            field = LABELLED_FIELD.search(last.text, cut)
            if field is None or field.group("key")[2:] not in question:
                continue
            body = "".join(u.text for u in units[:-1]) + last.text[: field.start()]
            ov = overlap(terms, body)
            if best is None or ov > best[0]:
                best = (ov, units[0], last, last.text[field.start():].strip())
        if best is None or best[0] < 0.2:  # the least overlap _bureau_in_text quotes a sentence at
            return None
        _, first, last, quote = best
        cite = self.ctx.cite(doc, last, quote, 1.0)
        return Answer(question=question, refused=False, citations=[cite],
                      answer=f"根据《{doc.title}》{self.ctx.label(doc, first)}（本部分末列明）：{quote}[1]")

    def _best_in_text(self, question: str, found: tuple[float, Answer], rest) -> Answer:
        """The sentence naming a unit that shares most with the question among the first hit's and the next hits'
        without responsibility clauses (`rest`): the first hit with a named unit is often a general duty
        (…活动牵头部门要切实加强统筹协调) and the next the act asked about (低碳日当天，省生态环境厅将会同…开展…宣传活动:
        b15 366; b14 395, b10 446, dev 139 ask whose sentence is not the first hit's)."""
        best = found
        for h in rest:
            doc = self.ctx.catalog.documents.get(h.doc_id)
            m = doc.measure(h.seq) if doc else None
            if m is None or m.kind != "measure" or (self.ctx.bureau_clause(m) and m.bureaus):
                continue
            other = self._bureau_in_text(question, doc, m, h.score)
            if other is not None and other[0] > best[0]:
                best = other
        return best[1]

    def _bureau_in_text(self, question: str, doc: Document, m: Measure, score: float) -> tuple[float, Answer] | None:
        """Documents without responsibility clauses name the unit in a sentence (市发展改革委要会同…): (the sentence's
        overlap with the question's topic, the answer quoting it)."""
        ctx = self.ctx
        terms = ctx.terms(question)
        best = None
        # actors found at ingest, longest first (a name inside a longer one), then as the measure names them: a set's
        # order changes with the process's string hashing, so 责任部门：气候处、环科院 answered 由环科院负责 in one run
        # and 由气候处负责 in the next (b10-549-09/16 flipped between two runs of one commit)
        names = sorted({b.name for b in m.bureaus}, key=lambda n: (-len(n), m.text.find(n), n))
        for s in split_sentences(m.text):
            named = _line_label(m.text, s) or next((n for n in names if n in s), None)
            org = ORG_ACTS.search(s)
            if named or org:
                ov = overlap(terms, s)
                if best is None or ov > best[0]:
                    best = (ov, s.strip(), named or org.group(1))
        if best is None or best[0] < 0.2:
            return None
        _, sentence, org = best
        cite = ctx.cite(doc, m, sentence, score)
        # weighed against the next hits' by the words of the topic: a title the question quotes names the document
        # (《河北省降碳产品价值实现管理办法（试行）》…由谁负责解释: b7 525), which any of its sentences shares
        ov = overlap(ctx.terms(without_quoted_titles(question)), sentence)
        return ov, Answer(question=question, refused=False, citations=[cite], picked=True,
                          answer=f"根据《{doc.title}》{ctx.label(doc, m)}，由{org}负责：{strip_heading(sentence)}[1]")


# A body standing as the label of its line in a division of labour (具体业务分工如下：\n建筑标准和科技科：督促指导…;
# 市市政工程设计研究院、市建筑设计研究院:承担…专家库的组建: b15's 261): every sentence of the line is its duty. The
# labelled fields of a responsibility clause (责任处室：…, knowledge.actors.LABELLED_FIELD) name the field, not a body;
# their names are the unit's bureaus, read at ingest, which this handler quotes anyway. Its kinds are a bureau's own
# offices (科, 处, 室, 站, 所, 小组) beside some of knowledge.bureaus.BODY_KINDS; not 委员会, which would newly read
# a line opening X委员会： as a body's.
# One document's form, measured (hyg28): of the 213 corpus-dc files outside the never-open list that pypdf read, only
# 261 labels lines with the body whose duty they state (26 lines); 14 use labelled fields (57 70 73 113 122 134 231 293
# 319 343 347 419 451 549), already served through the bureaus; the other body-shaped labels are a notice's addressee
# (各市生态环境局：, 134 135 338 390 550), a contact (583's 省科学技术院：0871-…) or a sector (486's 数据中心：,
# 通信基站：). Across dev no-b7, b7-b16 in both modes and the own set it changes the sentence chosen only for four b15
# questions on 261; without it b15-261-09, -13 and -14 lose the body asked for (b15 answers 0.852 → 0.830 in both
# modes), so it stays until a second document writes its division of labour so.
_LINE_LABEL = re.compile(r"\s*([\u4e00-\u9fff、]{2,40}?(?:科|处|室|局|委|厅|中心|站|院|所|部|办|小组))\s*[:：]")


def _line_label(text: str, sentence: str) -> str | None:
    """The body labelling the line `sentence` stands on, or None."""
    at = text.find(sentence.strip())
    if at < 0:
        return None
    start = text.rfind("\n", 0, at) + 1
    if LABELLED_FIELD.match(text, start):
        return None
    m = _LINE_LABEL.match(text, start)
    return m.group(1) if m else None


class IssuerHandler(ComposerHandler):
    """Who issued the document: the notice title (市发展改革委关于印发…的通知) or the title line, else the organ
    named over the date of issue; quoted from the front matter."""
    kind = ISSUER_KIND

    def run(self, query: Query) -> Answer | None:
        doc = self.ctx.scope_doc(query)
        if doc is None:
            return None
        heading = doc.meta.get("notice_title") or doc.title
        m = ISSUER.match(heading)
        if m and m.group(1).startswith("关于"):
            m = None
        issuer, quote = (m.group(1), heading) if m else (doc.meta.get("issuer"), doc.meta.get("issuer"))
        # Issued jointly and named only in part (福建省生态环境厅等八部门), or several bodies asked of a document whose
        # front matter names none (关于联合印发…的通知): the bodies signed over the date of issue answer, each by name.
        # A heading that names them all (三明银保监分局、三明市地方金融监督管理局关于印发…) answers as it always did, and
        # with no issuer a who-question (名录由谁来制定) may ask of another act than the document's issue.
        # A heading that names one of the bodies signed and not the others (245's heading, whose first lines the
        # text layer lost, opens 国家邮政局贯彻落实《…》 under the four signed) is named in part too.
        joint = signature(doc)
        if joint is not None and not (JOINT_ISSUER.search(issuer or "") or _named_in_part(issuer, joint[2])
                                      or not issuer and ASKS_SEVERAL_ISSUERS.search(query.question)):
            joint = None
        if joint is not None:
            unit, run, bodies = joint
            return Answer(question=query.question, refused=False, exact=True,
                          citations=[self.ctx.cite(doc, unit, run, 1.0)],
                          answer=f"《{doc.title}》的印发单位（落款）：{'、'.join(bodies)}[1]。")
        if ASKS_SEVERAL_ISSUERS.search(query.question) and JOINT_ISSUER.search(issuer or ""):
            return None  # several bodies asked, and 科技部等九部门 names one: the bodies signed answer, or a sentence
        if not issuer and ASKS_DOCUMENT_ISSUED.search(query.question) and (signed := signed_body(doc)) is not None:
            unit, body, quote = signed
            return Answer(question=query.question, refused=False, exact=True,
                          citations=[self.ctx.cite(doc, unit, quote, 1.0)],
                          answer=f"《{doc.title}》的印发单位（落款）：{body}[1]。")
        head = next((u for u in doc.extra_units if u.kind == "preamble" and quote and quote in u.text), None)
        if not issuer or head is None:
            return None
        return Answer(question=query.question, refused=False, exact=True,
                      citations=[self.ctx.cite(doc, head, quote, 1.0)], answer=f"该文件由{issuer}印发：《{doc.title}》[1]。")


def _named_in_part(issuer: str | None, bodies: list[str]) -> bool:
    """The heading's issuer is one of the signed bodies, and fewer than they are."""
    return bool(issuer) and issuer in bodies and len(bodies) > 1


# A joint issuer as a notice title abbreviates it (科技部等九部门, 福建省生态环境厅等八部门: X等N部门/单位/部委; 两部门关于…).
# 国家发展改革委等部门 (b16 54) abbreviates it without a count, 工业和信息化部、…、科学技术部等关于… (b18 19) with 等 alone.
JOINT_ISSUER = re.compile(r"等(?:[一二三四五六七八九十两\d]{1,3}个?)?(?:部门|单位|部委|家)|等$|"
                          r"^[一二三四五六七八九十两\d]{1,3}个?(?:部门|单位|部委|家)")
# The issue of the document itself asked (是哪个部门、哪天印发的, 由哪个单位发文): 发布, 出台 and 制定 also name the acts a
# document regulates (名单由哪些部门发布, 名录由谁来制定), whose doer is not the one who signed the document.
ASKS_DOCUMENT_ISSUED = re.compile(r"印发|发文|下发")

class BureauMeasuresHandler(ComposerHandler):
    """Every measure a named bureau leads, shares or implements, each cited."""
    kind = BUREAU_MEASURES

    def run(self, query: Query) -> Answer | None:
        ctx, question, rt, scope = self.ctx, query.question, query.route, query.scope
        # The first named unit that has responsibilities in scope (城管部门 may fit units of several documents).
        canon, rows = next(((b, rows) for b in rt.bureaus if (rows := ctx.catalog.responsibilities(b, scope))),
                           (rt.bureaus[0], []))
        named = ctx.catalog.written_form_in(question, canon) or ctx.catalog.display_name(canon, scope)
        multi = len({r.doc.doc_id for r in rows}) > 1
        if not rows:
            # No measure in scope names the body as responsible. Asked what the body is responsible for (市教育局
            # 负责哪些工作), that empty listing is the answer, read from the store: it stands. Otherwise the question
            # asks something else about the body (要向市生态环境局交哪些材料, 市生态环境局现场检查查哪些内容) — the
            # general handler and the decision answer.
            if DUTIES.search(question):
                refusal = ctx.refuse(question, f"{named}负责的举措")
                refusal.exact = True
                return refusal
            return None
        if self._asks_one_fact(question, rt.bureaus, scope):
            return None
        leads = [r for r in rows if r.lead]
        shared = [r for r in rows if not r.lead and not r.implementer]
        impl = [r for r in rows if r.implementer]
        cites: list[Citation] = []

        def listing(rs) -> str:
            items = []
            for r in rs:
                clause = ctx.bureau_clause(r.measure) or r.measure.text[:30]
                cites.append(ctx.cite(r.doc, r.measure, clause, 1.0))
                items.append(f"{ctx.where(r.doc, r.measure, multi)}[{len(cites)}]")
            return "、".join(items)

        parts = []
        if leads or shared:
            parts.append(f"{named}共涉及{int_to_cn(len(leads) + len(shared))}项举措")
        if leads:
            parts.append(f"{named}牵头负责{int_to_cn(len(leads))}项举措：{listing(leads)}")
        elif rt.asks_lead:
            parts.append(f"文件中{named}没有单独牵头的举措")
        if shared:
            verb = "另参与" if leads else "参与"
            parts.append(f"{verb}{int_to_cn(len(shared))}项举措（按职责分工负责）：{listing(shared)}")
        if impl and not leads and not shared:
            parts.append(f"文件规定全部举措均需{named}落实，共{int_to_cn(len(impl))}项：{listing(impl)}")
        text = "；".join(parts) + "。"
        return Answer(question=question, answer=text, refused=False, citations=cites, exact=True)

    def _asks_one_fact(self, question: str, bureaus, scope) -> bool:
        """A topic asked of the body beyond its measures (省林业局…提供哪些技术方面的支持, 教育部门要组织大中小学开展哪些征集
        活动, 市生态环境局对低碳示范创建工作会做哪些跟踪, 国资委推进央企碳达峰重点抓哪些行业: b7 487, b15 366, b8 203,
        dev 11 were answered with the body's listing): two content words or more besides the body's name, the words
        of the documents' titles and places, and the words of duties and measures (参与, 负责, 举措, 条) — a fact one
        of its measures states, which the general handler and the decision answer. 市发改委牵头负责哪些举措,
        市科技局参与了哪些 and 连云港的城管部门在哪几条举措里有分工 (the own set) keep the listing."""
        ctx = self.ctx
        q = fold(question)
        for b in bureaus:
            for form in filter(None, (ctx.catalog.written_form_in(q, b), b)):
                q = q.replace(form, "|")
        for place in ctx.catalog.issuer_places():
            q = q.replace(place, "|")
        names = "".join(d.title for d in ctx.catalog.documents.values())
        topic = [w for w in ctx.matcher.content_words(q)
                 if w not in names and not STRUCTURE_WORD.search(w) and not _DUTY_WORD.search(w)
                 and not re.fullmatch(r"[\d一二三四五六七八九十]+条?", w)]
        return len(topic) >= 2


# Words of a question about a body's share of the measures (牵头, 负责, 参与, 承担, 负有责任, 分工: the own set's
# bureau questions), not a topic.
_DUTY_WORD = re.compile(r"牵头|负责|参与|承担|责任|分工|涉及|职责|一共|总共")

