"""What a document was made on (是依据哪些法规制定的？): the sentence of its preamble or notice that names the
documents it follows (根据《…》, 按照《…》和《…》等要求, 为贯彻落实《…》…制定本计划), quoted as the document writes it."""
from __future__ import annotations

import re

from answer.compose import ComposerHandler
from answer.dates import document_names
from answer.intents import ASKS_BASIS, BASIS
from answer.types import Answer, Query
from knowledge.text import TITLE_KINDS

# A sentence naming what the document follows: a basis verb, then a quoted title within the clause
# (根据生态环境部办公厅《关于…的通知》, 依据《…纲要》《…意见》等文件, 深入实施《工业节能管理办法》).
# A verb followed by a kind of document is part of a title, not the basis (齐齐哈尔市…行动实施方案为…根据《…》, 521;
# 实施意见, 落实方案), so it opens no basis clause.
_STATES_BASIS = re.compile(rf"(?:根据|按照|依据|依照|贯彻落实|贯彻|落实|实施)(?!{TITLE_KINDS})[^。；]{{0,30}}?《")
# The kinds of document a question names its subject by (这份通知, 该方案, 《…》是依据…): answer.basis answers only
# a question whose subject is a document, not an act inside it (监测计划按照什么模板制定).
_DOC_NOUN = re.compile(rf"(?:》|{TITLE_KINDS})[”\"]?(?:是|都是|主要是|所|的)?$")
_DEICTIC = re.compile(r"这份|这个|这项|这一|该|本|此")


# What a text layer runs into the basis sentence from before it: the signature's date and the title of the policy
# that follows the notice (…办公厅2021年10月29日电机能效提升计划（2021-2023年）为贯彻落实…, 397; 2022年3月为进一步…, 171).
_RUN_IN_DATE = re.compile(r"(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}日)?")
# …and the policy's title as its own page writes it, which may differ from the stored title (475 prints
# 广东省发展绿色金融支持碳达峰行动的实施方案 before 为深入贯彻落实…, stored …行动实施方案): a run without punctuation
# from the start ending in a kind of document (and a bracketed period or status), right before the sentence's own
# opening (为, 根据, 按照 …). 本方案为… is the sentence itself.
_RUN_IN_TITLE = re.compile(rf"^[^，,。；;：:、]{{2,60}}?(?<![本该此])(?:{TITLE_KINDS})(?:[（(][^（）()]{{0,20}}[)）])?"
                           r"(?=为|根据|按照|依据|依照|贯彻|落实)")


def _from_own_start(before: str, title: str) -> str:
    """The part of `before` (the sentence up to its basis verb) that belongs to the sentence: after the last date or
    the document's title the text layer ran into it."""
    cut = max([m.end() for m in _RUN_IN_DATE.finditer(before)] + [before.rfind(title) + len(title) if title in before
                                                                     else 0])
    rest = before[cut:]
    title_run = _RUN_IN_TITLE.match(rest)
    return rest[title_run.end():] if title_run else rest


class BasisHandler(ComposerHandler):
    kind = BASIS

    def run(self, query: Query) -> Answer | None:
        m = ASKS_BASIS.search(query.question)
        doc = self.ctx.scope_doc(query)
        if m is None or doc is None:
            return None
        subject = re.split(r"[，,；;。？?]", query.question[: m.start()])[-1].strip()
        if not _DOC_NOUN.search(subject) or not self._names(doc, subject):
            return None
        for u in doc.extra_units:
            if u.kind != "preamble":
                continue
            for line in u.text.split("\n"):
                for sentence in re.findall(r"[^。]+。?", line):
                    found = _STATES_BASIS.search(sentence)
                    if found:
                        quote = _from_own_start(sentence[: found.start()], doc.title) + sentence[found.start():]
                        quote = quote.strip()
                        return Answer(question=query.question, refused=False, exact=True,
                                      citations=[self.ctx.cite(doc, u, quote, 1.0)],
                                      answer=f"根据《{doc.title}》{self.ctx.label(doc, u)}：{quote}[1]")
        return None

    def _names(self, doc, subject: str) -> bool:
        """The subject names this document: its content words (the document nouns and 这份 aside) mostly occur in
        the title, the notice's title or the issuer (北京市这份2022年碳市场企业排放报告通知); a bare 这份通知 does."""
        names = document_names(doc)
        words = [w for w in self.ctx.matcher.content_words(_DEICTIC.sub("，", subject).strip("《》“”\""))
                 if not _DOC_NOUN.fullmatch(w)]
        return sum(self.ctx.matcher.present(w, names) for w in words) * 3 >= len(words) * 2
