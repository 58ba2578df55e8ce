"""When a policy was issued, takes effect and expires. MetaDatesHandler: from the document's front matter
(`meta`: issued, effective, expires, as the parser read them), each fact quoted from the unit that states it.
DatedSentenceHandler: else the dated sentence of its preamble or closing text that fits the question best."""
from __future__ import annotations

import re

from answer.compose import ComposerHandler
from answer.consts import FULL_DATE
from answer.eligible import states_validity
from answer.asks import ASKS_CALENDAR_DAY, ASKS_DAY, ASKS_MONTH_DAY, DATE_FIELDS
from answer.intents import ASKS_VALIDITY, DATED, META_DATES
from answer.text import overlap
from answer.title_reference import without_quoted_titles
from answer.types import Answer, Query
from knowledge.bureaus import body_kinds
from knowledge.text import DOC_SELF, bigrams, fold, split_sentences

# The words that mark the sentence stating each field.
_MARKS = {"issued": ("印发", "发布", "年"), "effective": ("施行", "生效", "实施", "执行"), "expires": ("有效期", "有效", "截止")}


def written_forms(value: str) -> list[str]:
    """`value` (2021年8月27日) as documents write a date: in full, or dotted or dashed with or without leading
    zeros (发布日期：2021.08.27, the field lines of a database print-out: b16's 43)."""
    forms = [fold(value)]
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", fold(value)):
        y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
        forms += [f"{y}{sep}{mo:02d}{sep}{d:02d}" for sep in ".-"] + [f"{y}{sep}{mo}{sep}{d}" for sep in ".-"]
    return [f for f in dict.fromkeys(forms) if f]


def _stating(doc, value: str, marks: tuple[str, ...]):
    """The unit and sentence that state `value` (and one of `marks`), in any of its written forms: an exact
    substring to quote."""
    forms = written_forms(value)
    best = None
    for u in doc.units():
        for s in split_sentences(u.text):
            s = s.strip()
            flat = fold(s)
            if any(re.search(re.escape(f) + r"(?!\d)", flat) for f in forms):
                score = sum(m in s for m in marks) - len(s) / 1000
                if best is None or score > best[0]:
                    best = (score, u, s)
    return (best[1], best[2]) if best else (None, None)


class MetaDatesHandler(ComposerHandler):
    kind = META_DATES

    def run(self, query: Query) -> Answer | None:
        question, doc = query.question, self.ctx.scope_doc(query)
        if doc is None or not doc.meta:
            return None
        # The title's own words name the document, not the asked date (台州市…实施意见的有效期: 实施 is the title's).
        q = fold(question).replace(fold(doc.title), "，")
        # So do the words of a title quoted in 《》 as the asker writes it (《…行动的实施方案》 for the stored
        # …行动实施方案, b10's 475): its 实施 names no effective date either (as DatedSentenceHandler reads 《》).
        asked = [k for k, pat in DATE_FIELDS if pat.search(without_quoted_titles(q))]
        # A field the front matter does not give is not answered by another one (an expiry asked, the
        # effective date known); a calendar day asked is not answered by a duration (有效期5年).
        if not asked or any(not doc.meta.get(k) for k in asked):
            return None
        names = document_names(doc)
        if not about_document(self.ctx.matcher, q, names):
            return None
        if ASKS_DAY.search(q) and any(not re.search(r"20\d{2}\s*年|\d\s*月", doc.meta[k]) for k in asked):
            return None
        # A day asked (哪天) is not answered by a month (a cover's 2022年3月): the answer would pass for the day.
        if ASKS_CALENDAR_DAY.search(q) and any(k != "expires" and "日" not in doc.meta[k] for k in asked):
            return None
        asked = [(k, _MARKS[k]) for k in asked]
        parts, cites = [], []
        for key, marks in asked:
            value = doc.meta[key]
            unit, sentence = _stating(doc, value, marks)
            if unit is None:
                continue
            # A validity is the document's when the sentence stating it names the document (本办法…有效期三年, or
            # its title); 纳入黑名单，有效期为五年 gives another thing's, whatever the front matter took from it.
            if key == "expires" and not (DOC_SELF.search(sentence) or doc.title in sentence):
                return None
            if not any(c.quote == sentence and c.seq == unit.seq for c in cites):
                cites.append(self.ctx.cite(doc, unit, sentence, 1.0))
            n = next(i for i, c in enumerate(cites, 1) if c.quote == sentence and c.seq == unit.seq)
            # The date as the quote writes it, when it writes it otherwise (发布日期：2021.08.27).
            shown = value if fold(value) in fold(sentence) else next(
                (f"{value}（{f}）" for f in written_forms(value)[1:] if f in fold(sentence)), value)
            if key == "issued":
                parts.append(f"印发于{shown}[{n}]")
            elif key == "effective":
                parts.append(f"自{shown}起施行[{n}]")
            else:
                parts.append(f"有效期{value}[{n}]" if not re.search(r"\d{4}年\d", value) else f"有效期至{value}[{n}]")
        if not parts:
            return None
        text = f"《{doc.title}》" + "，".join(parts) + "。"
        return Answer(question=question, answer=text, refused=False, citations=cites, exact=True)


def document_names(doc) -> str:
    """The names a document goes by, joined: its title, the notice's title (关于印发…的通知) and the issuer — what a
    question naming the document repeats (about_document; answer.basis reads a subject against them too)."""
    return " ".join([doc.title, *(doc.meta.get(k) or "" for k in ("notice_title", "issuer"))])


def about_document(matcher, q: str, names: str) -> bool:
    """The clauses asking a date name the document, not another thing: 黑名单有效期多久 asks how long a
    blacklisting lasts, 地质灾害防治方案计划什么时候发布 when another plan comes out — not the measures' own
    validity or issue. In each clause that asks a front-matter date, at least half of the content words other
    than the date words and the names of bodies (交通运输部等三部门的…) occur in `names` (the title, the notice's
    title, the issuer: 市工业和信息化局关于发布…的通知)."""
    for clause in re.split(r"[？?；;。!！]", q):
        if not any(p.search(clause) for _, p in DATE_FIELDS):
            continue
        # The date words go out before tokenizing, as answer.evidence cuts the words asking a date: glued to the
        # title after them, jieba reads 印发电机能效提升计划 as 印|发电机 (b9's 397), a topic no name has.
        for _, p in DATE_FIELDS:
            clause = p.sub("，", clause)
        words = [w for w in matcher.content_words(clause)
                 if not any(p.search(w) for _, p in DATE_FIELDS) and not _BODY.search(w) and not _WHEN_NOUN.match(w)]
        if words and sum(matcher.present(w, names) for w in words) < len(words) / 2:
            return False
    return True


# The nouns a date is asked by (印发日期是哪天, 落款时间): they name the asked slot, as the date words do, not a thing
# the date would be another's.
_WHEN_NOUN = re.compile(r"(?:日期|时间|日子)$")

# A body's name ends in its kind (国家发展改革委, 省生态环境厅, 市工业和信息化局, 交通运输部: knowledge.bureaus.BODY_KINDS),
# a ministry's 部 and a 政府 too (交通运输部等三部门, 市人民政府关于…的通知 name the issuer in a date question).
_BODY = re.compile(body_kinds("部", "政府") + "$")


class DatedSentenceHandler(ComposerHandler):
    kind = DATED

    def run(self, query: Query) -> Answer | None:
        """The sentence with a full date (or 有效期) that shares most with the question, in the scope's documents
        or the top hit's."""
        ctx, question = self.ctx, query.question
        docs = query.scope or list(dict.fromkeys(h.doc_id for h in query.hits))[:1]
        # A title quoted in 《》 names the document, not what is dated (as in answer.decide's view of the question);
        # nor does the title in a sentence (附件：…管理办法.doc 浙江省林业局2022年6月28日) say what it dates.
        terms = ctx.terms(without_quoted_titles(question)) | bigrams("施行 印发 有效期 发布")
        best = None
        for doc_id in docs:
            doc = ctx.catalog.documents.get(doc_id)
            for m in doc.units() if doc else []:
                for sent in split_sentences(m.text):
                    sent = sent.strip()
                    # A calendar day asked (几月几号): a 有效期 without a date does not give one.
                    # A validity asked may be stated as a span from the document's onset with no date (本办法自印发之日起
                    # 实施，暂定三年: answer.eligible.states_validity), when the sentence names the document (DOC_SELF).
                    validity = ASKS_VALIDITY.search(question) and not ASKS_MONTH_DAY.search(question)
                    if not (FULL_DATE.search(sent) or ("有效期" in sent and not ASKS_MONTH_DAY.search(question))
                            or (validity and DOC_SELF.search(sent) and states_validity(sent))):
                        continue
                    # An expiry asked: only a sentence that states one (有效期, 失效, 废止 …), not the start date.
                    if ASKS_VALIDITY.search(question) and not states_validity(sent):
                        continue
                    ov = overlap(terms, sent.replace(doc.title, "，"))
                    if best is None or ov > best[0]:
                        best = (ov, doc, m, sent)
        if best is None or best[0] <= 0:
            return None
        _, doc, m, sent = best
        date = FULL_DATE.search(sent)
        # The document's own date of issue (the sentence stating its front matter's date: the line over its signature)
        # answers no question about another document's issue or effect (陕西省…实施细则什么时候正式施行, asked of a work
        # plan that only means to draft the 细则: b17's 313), as MetaDatesHandler reads such questions.
        names = document_names(doc)
        if (date and any(doc.meta.get(k) and date.group(0) == fold(doc.meta[k]) for k in ("issued", "effective"))
                and not about_document(ctx.matcher, fold(question).replace(fold(doc.title), "，"), names)):
            return None
        if (ASKS_VALIDITY.search(question) and not date and DOC_SELF.search(sent) and states_validity(sent)
                and about_document(ctx.matcher, fold(question).replace(fold(doc.title), "，"), doc.title)):
            # the document's own validity, stated in its closing formula (本办法自印发之日起实施，暂定三年): read from
            # the document as the front matter's is (MetaDatesHandler), so it stands as exact
            return Answer(question=question, refused=False, citations=[ctx.cite(doc, m, sent, 1.0)], exact=True,
                          answer=f"根据《{doc.title}》{ctx.label(doc, m)}：{sent}[1]")
        return Answer(question=question, refused=False, citations=[ctx.cite(doc, m, sent, best[0])],
                      answer=f"根据《{doc.title}》{ctx.label(doc, m)}：{sent}[1]"
                      + (f"（日期：{date.group(0)}）" if date else ""))
