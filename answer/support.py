"""Support questions in the chat — "最多能拿多少", "申报什么时候截止", "需要满足什么条件" — answered from the support
items the knowledge store holds (knowledge/support.py), the same fields as `python app.py support` and the 企业 page.

Taken when the question is about support (补贴, 奖励, 资助, 扶持, 申报 …) and asks an amount, a window or the
conditions, and an item of the documents in scope fits the question's topic; otherwise the ordinary routes
answer. Every sentence of the answer is quoted from the unit that states it (a notice's 申报时间 may be written in
another unit than the amount), so every figure is in a citation.
"""
from __future__ import annotations

import re

from answer.asks import ASKS_SHARE
from answer.intents import ABOUT_SUPPORT, ASKS_MAY_CLAIM, MATERIALS_ASKED, OFFERS_ASKED, PAPERS_ASKED, TIME_ASKED
from answer.support_calls import answer_call_window
from answer.support_common import INTENTS, MIN_FIT, NEAR, asked_topic, pairs as _pairs, spoken, topic as _topic, unit_with as _unit_with
from answer.support_conditions import answer_call_conditions, answer_conditions, asks_who_may_apply
from answer.support_fields import FIELDS, amount_sentences, conditions_asked as _conditions_asked
from answer.support_materials import answer_materials
from answer.support_offers import answer_offers
from answer.types import Answer, Citation
from knowledge.support_clauses import KIND_RE
from knowledge.support_items import states_figure

# Weight of the item's own sentence in its score. Chosen on the blind dev split's support questions (support_amount,
# enterprise, support_condition, support_window; the held-out support-gold documents left out): see docs/support.md.
OWN_WEIGHT = 0.5


def support_intent(question: str) -> str | None:
    """The field a support question asks. A question is about support when it has a support cue of the intent
    table, or names support as the extraction reads it in documents (knowledge.support_clauses.KIND_WORDS: 省拨经费,
    支持强度, 经费额度 of science-fund guides), or asks who may apply (answer.support_conditions.ASKS_WHO_MAY_APPLY:
    哪些城市可以申报, 试点对象 — of a call that grants no money too), or asks where or by when an application's
    papers are handed in (answer.intents.PAPERS_ASKED), or which papers (answer.intents.MATERIALS_ASKED: 备案要准备
    哪些材料 — of a registration rule too)."""
    if not (ABOUT_SUPPORT.search(question or "") or KIND_RE.search(question or "") or asks_who_may_apply(question)
            or OFFERS_ASKED.search(question or "")):
        # an application's papers handed in (材料最晚什么时候交, 申请表交给谁) ask where, by when or which papers, nothing
        # else: their 要求 (要求电子版材料通过什么平台报送) is no condition of the applicant
        if not PAPERS_ASKED.search(question or "") and not MATERIALS_ASKED.search(question or ""):
            return None
        return next((name for name, pattern in INTENTS if pattern.search(question)
                     and name in ("office", "window", "materials")), None)
    if TIME_ASKED.search(question):
        return "window"
    # who may apply asked without a word of the table (哪些范围的园区属于试点对象): the conditions; what support there
    # is (有什么好处, 哪些支持): the offers of a document without items (answer.support_offers)
    return next((name for name, pattern in INTENTS if pattern.search(question)),
                "conditions" if asks_who_may_apply(question) else "offers" if OFFERS_ASKED.search(question) else None)


def _context(item, unit) -> set[str]:
    """The pairs of an item's own context: its sentence, its unit's start and the headings it sits under (附件 /
    三、农业农村领域重大关键技术攻关项目 / （二）申报要求: the kind of project its sums are for); the sentence alone
    without a unit."""
    if unit is None:
        return _pairs(item.quote)
    return _pairs(item.quote) | _pairs(unit.text[:400]) | _pairs(" ".join(getattr(unit, "path", None) or ()))


def _fit(topic: set[str], item, unit=None, title: str = "", intent: str = "") -> float:
    """Share of the topic's pairs found in the item's context (_context), the document's title and the sentences of
    the field asked (a window question names the 网上填报 of the window's sentence)."""
    if not topic:
        return 0.0
    return len(topic & (_context(item, unit) | _pairs(title) |
                        _pairs(" ".join(_field_sentences(item, intent))))) / len(topic)


def _field_sentences(item, intent: str) -> list[str]:
    return FIELDS[intent].sentences(item) if intent in FIELDS else []


# A share asked: the intent table's cue (比例, 占比, 几成) or 占…的多少 (Chinese grammar: 占总预算的多少 asks a part of a whole).
SHARE_ASKED = re.compile(rf"{ASKS_SHARE.pattern}|占[^，,。？?]{{1,12}}?的?多少")


# The whole of a fund or a budget asked (Chinese grammar: 资金总额, 总盘子, 总规模, 资金总量): what each project or
# applicant is granted does not answer it; only a sentence that states a whole (总额, 合计, 共安排, 累计) does.
TOTAL_ASKED = re.compile(r"总额|总盘子|总规模|总金额|资金总量|合计|总计|共计")
TOTAL_STATED = re.compile(rf"{TOTAL_ASKED.pattern}|总量|共安排|累计")


def _carries(item, intent: str, share: bool = False) -> bool:
    """The item states the field asked; a share asked (占总预算的多少) needs a rate or a tier's rate, not a sum."""
    if intent == "amount" and share:
        return bool(item.rate or any(t.get("rate") for t in item.tiers))
    return FIELDS[intent].carries(item)


def answer_support(question: str, intent: str, items: list, cite, scope=None, docs=()) -> Answer | None:
    """`items`: (document, SupportItem) of the documents in scope, in the order `support` lists them; `scope`: the
    question's retrieval.scope.Scope; `cite(doc, unit, quote, score)` makes a checked Citation; `docs`: the
    documents in scope.

    The scope is one document or none: a question the scope model spreads over several is asked of each
    (service._per_document, answer.several); over the whole library (no scope) the items answer together. Who may
    take part, asked of a document in scope that states no support item (a pilot, a demonstration, a 征集), is
    answered from the conditions it states all the same; only when the scope names documents (never over the whole
    library)."""
    if intent == "offers":  # what support a document without items offers; only of the documents in scope
        if scope is None or not scope.ids:
            return None
        return answer_offers(question, _bare_in_scope(docs, scope), cite)
    if intent == "materials":  # which papers to hand in: every document in scope states them once, items or none
        if scope is None or not scope.ids:
            return None
        return answer_materials(question, _in_scope(docs, scope), cite)
    ans = _answer(question, intent, items, cite)
    if ans is None and intent == "conditions" and scope is not None and scope.ids:
        ans = answer_call_conditions(question, _bare_in_scope(docs, scope), cite)
    if ans is None and intent == "window" and scope is not None and scope.ids:
        # when a call that grants no sum closes (229 能碳管理示范企业: 于2022年2月16日前报送), of the documents in scope
        ans = answer_call_window(question, _bare_in_scope(docs, scope), cite)
    return ans


def _in_scope(docs, scope) -> list:
    """The documents in scope, most probable first."""
    inside = [d for d in docs if d.doc_id in scope.ids]
    order = scope.ranked([d.doc_id for d in inside])
    return sorted(inside, key=lambda d: order.index(d.doc_id))


def _bare_in_scope(docs, scope) -> list:
    """The documents in scope that state no support item with a figure (none, or only a call and grants without a
    sum: 139, 229), most probable first."""
    return [d for d in _in_scope(docs, scope) if not any(states_figure(it) for it in d.support_items)]


def _answer(question: str, intent: str, items: list, cite) -> Answer | None:
    if not items:
        return None
    if intent == "conditions":  # who may apply, the conditions as a whole: grouped where the documents state them
        grouped = answer_conditions(question, items, cite)
        if grouped is not None:
            return grouped
    # the words that ask where the papers go (报送到省工信厅哪个处室) or when say what is asked, not what about
    topic = asked_topic(question, intent)
    scored = []
    for doc, item in items:
        unit = _unit_with(doc, item.quote, item.seq)
        if unit is not None:
            # The document's title is the context of each of its items: a question naming the policy fits them.
            scored.append((_fit(topic, item, unit, doc.title, intent), item, doc, unit))
    if not scored:
        return None
    # The item's own sentence counts besides its context: in a unit of many items, the one that names the case
    # asked (绿色工厂 …100万元) comes before its neighbours that share the unit's heading.
    own = {id(it): _fit(topic, it) for _, it, _, _ in scored}
    rank = {id(it): score + OWN_WEIGHT * own[id(it)] for score, it, _, _ in scored}
    scored.sort(key=lambda x: (-rank[id(x[1])], -own[id(x[1])]))
    best, top_doc = max(x[0] for x in scored), scored[0][2]
    # No item carries a pair of the question beyond the policy's title (in its sentence, unit start or headings):
    # only the policy is named. (Was a hand margin, best - by_title < 0.15: the same answers on blind dev.)
    beyond = topic - _pairs(top_doc.title)
    if best >= MIN_FIT and not any(beyond & _context(x[1], x[3]) for x in scored):
        # Only the policy is named, nothing narrower: within it, the item that carries the asked field (the
        # largest sum for 最多能拿多少).
        scored = [x for x in scored if x[2].doc_id == top_doc.doc_id]
        topic = set()
    one_doc = len({d.doc_id for _, _, d, _ in scored}) == 1
    share = intent == "amount" and bool(SHARE_ASKED.search(question))
    if share and not any(_carries(x[1], intent, share) for x in scored):
        return None  # a share is asked and no item states one: the ordinary routes read the sentences
    if intent == "amount" and not share and TOTAL_ASKED.search(question) and not any(
            TOTAL_STATED.search(" ".join(amount_sentences(x[1]))) for x in scored):
        return None  # the whole of a fund is asked and every item grants a part of it (单个项目…不超过500万元)
    per_part = _best_per_part(question, scored, intent, share) if topic else []
    if per_part:  # 直流充电桩和换电站分别按什么标准补贴: the best item of each part
        chosen = per_part
    elif len(topic) < 2 and one_doc:
        # The question names the policy and what it asks, nothing narrower: the item that carries the asked field
        # (the largest sum for 最多能拿多少).
        carries = [x for x in scored if _carries(x[1], intent, share)]
        if intent == "amount":
            carries.sort(key=lambda x: -max([f["wan"] or 0 for f in (x[1].cap, x[1].amount) if f] + [0]))
        chosen = carries[:1]
    elif best < MIN_FIT:
        return None  # no item is about what is asked
    else:
        # The best item, and those of its document nearly as good (分别能拿多少: 区内绿电 and 区外绿电).
        top = rank[id(scored[0][1])]
        chosen = [x for x in scored if rank[id(x[1])] >= top - NEAR - 1e-9 and x[2].doc_id == top_doc.doc_id and
                  _carries(x[1], intent, share)][:3] or \
            ([] if share or intent == "amount" and scored[0][1].shape == "call" else scored[:1])  # a call states no sum
    cites: list[Citation] = []
    lines: list[str] = []

    def add(doc, sentence: str, score: float) -> int | None:
        unit = _unit_with(doc, sentence)
        if unit is None:
            return None
        for i, c in enumerate(cites, 1):
            if c.quote == sentence and c.doc_id == doc.doc_id:
                return i
        cites.append(cite(doc, unit, sentence, score))
        return len(cites)

    asked = _topic(question, [])
    # A question that asks a second field besides (最多补贴多少？申请有什么要求？) is answered on both, the asked first.
    # Whether a case may claim a relief is answered by what the relief is as well as by its conditions (免征…，不包括…).
    also = [name for name, pattern in INTENTS + (("amount", ASKS_MAY_CLAIM),)
            if name != intent and pattern.search(TIME_ASKED.sub("", question))]
    if intent == "conditions" and not _names_asked(question, chosen):
        return None  # one condition asked (对注册时间有什么要求) that none of the items' conditions names
    floor = _floor_asked(question) if intent == "amount" else set()
    for score, it, doc, unit in chosen:
        where = f"《{doc.title}》{spoken(doc, unit)}"  # item numbers as Chinese numerals: no digit reads as a figure
        fields = [intent] + also
        if floor and _condition_names(it, floor):
            fields = ["conditions"] + fields  # 注册资金最低要多少: the condition that sets it, then what the item grants
        for field in dict.fromkeys(fields):
            line = FIELDS[field].line(it, where, floor or asked if field == "conditions" else asked,
                                      lambda s: add(doc, s, score))
            if line and line not in lines:  # two items of one clause may share their conditions
                lines.append(line)
    if not lines:
        return None
    return Answer(question=question, answer="\n".join(lines), refused=False, citations=cites, route="support")


# One attribute asked of the applicant (Chinese grammar: 对X有什么要求 / 对X有哪些规定): X is what the conditions must name.
ASKED_ATTRIBUTE = re.compile(r"对([^，,。？?]{2,16}?)(?:有|提出了?)?(?:什么|哪些|何种)(?:具体)?(?:要求|规定|限制|条件)")


# A question asking the same field of coordinated things (Chinese grammar: A和B分别…, A、B各是…): the parts before the
# cue, split at the coordinators.
COORDINATED_ASK = re.compile(r"分别|各自|各是|各为|各有|各能|各可|各要")
COORDINATOR = re.compile(r"以及|和|与|及|、")


def _best_per_part(question: str, scored: list, intent: str, share: bool) -> list:
    """For a question that asks one field of two or more things (建直流充电桩和换电站，…分别按什么标准补贴), the item
    that fits each thing best, when each fits (MIN_FIT of its own pairs) and the items are distinct and of one
    document; else [] and the items are chosen for the question as a whole."""
    m = COORDINATED_ASK.search(question)
    parts = [p for p in (_topic(x, []) for x in COORDINATOR.split(question[:m.start()])) if p] if m else []
    if len(parts) < 2:
        return []
    out: list = []
    for part in parts:
        fits = [(_fit(part, it, unit, doc.title, intent), x)
                for x in scored for _, it, doc, unit in [x] if _carries(it, intent, share)]
        fits = [(f + OWN_WEIGHT * _fit(part, x[1]), f, x) for f, x in fits]
        if not fits:
            return []
        _, fit, best = max(fits, key=lambda t: t[0])
        if fit < MIN_FIT:
            return []
        if best not in out:
            out.append(best)
    return out if len(out) >= 2 and len({x[2].doc_id for x in out}) == 1 else []


# A floor asked of something (Chinese grammar: X最低/最少/至少要多少): a threshold the applicant must reach, as
# conditions set them (不低于, 不少于, 以上); the sums an item grants are asked with 最高/最多. X: the word or two-word
# compound right before (注册资金, 营业收入), at most four characters.
FLOOR_ASKED = re.compile(r"([\u4e00-\u9fff]{2,4})(?:最低|最少|至少|起码)(?:要|需要|需|得|应|应当|为|是)?(?:多少|几)")


def _floor_asked(question: str) -> set[str]:
    m = FLOOR_ASKED.search(question)
    return _pairs(m.group(1)) if m else set()


def _condition_names(it, wanted: set[str]) -> bool:
    """One of the item's conditions names half of `wanted` or more and states a figure (注册资金不低于100万元)."""
    return any(len(wanted & _pairs(f.sentence)) >= len(wanted) / 2 and re.search(r"\d", f.sentence)
               for f in (*it.applicants, *it.conditions))


def _names_asked(question: str, chosen: list) -> bool:
    """A question asking one attribute (对注册时间有什么要求, 对自筹经费配套比例有什么要求) is answered by the items'
    conditions only when each attribute it names (技术人员 and 营业收入 of 对技术人员和营业收入有什么要求) has half of
    its pairs or more in one condition they list; other questions, always."""
    m = ASKED_ATTRIBUTE.search(question)
    parts = [p for p in map(_pairs, COORDINATOR.split(m.group(1))) if p] if m else []
    if not parts:
        return True
    for _, it, _, _ in chosen:
        conds = [_pairs(c) for c in _conditions_asked(list(dict.fromkeys(
            f.sentence for f in (*it.applicants, *it.conditions))), set().union(*parts))]
        if all(any(len(part & c) >= len(part) / 2 for c in conds) for part in parts):
            return True
    return False
