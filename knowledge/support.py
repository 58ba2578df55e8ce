"""Support items (SPEC: "support items"; issue #12): what an enterprise can get from a unit of a policy —
kind, amount, rate, cap, tiers, applicants, conditions, exclusions, application window, office — each field
with the sentence it comes from (an exact substring of the unit text). Pure functions, no I/O.

`extract_support(text)` reads one unit; `link_support(units)` reads a document's units and attaches the
windows, offices, applicants, conditions and exclusions that a notice states once (申报时间, 受理机关,
申报条件, 不予支持的情形) to the items of every unit, marked `document_wide`.
"""
from __future__ import annotations

import re

from knowledge.support_entries import with_entries
from knowledge.support_clauses import (
    KIND_RE, EXCLUSION_RE, APPLY_RE, RELATIVE_WINDOW_RE, NUMBERING_RE, STANDARD_HEADING_RE, GRANT_CLAUSE_RE, CONFERS_RE,
    review_time as _review_time, sentences, kind_of, general_kind, tiers_in, _clause_at, _clauses, applicants_in,
    conditions_in, office_in, APPLICANT_NOUN_RE,
)
# the document pass (what a notice states once) lives in knowledge/support_facts.py
from knowledge.support_facts import CONDITIONS_LEAD_RE, document_facts
from knowledge.support_fields import Money, Rate, money_in, rate_text, rates_in
from knowledge.support_materials import of_units as materials_of
from knowledge.support_windows import call_windows, call_year, issue_date, windows_in, with_year
# the item dataclasses and their JSON live in knowledge/support_items.py
from knowledge.support_items import Field, SupportItem, money_dict, rate_dict, window_dict
from knowledge.support_labels import item_label, unit_label
from knowledge.support_tables import HEADER_RE, table_rows


# Numbering at the start of a sentence, outermost level first (SPEC, The knowledge model: 第X章/节, 第X条, 一、,
# （一）, 1．/1、/1., （1）/(1), ①). A sentence's path is the numbering it sits under within the unit.
MARKER_LEVELS = (
    re.compile(r"第[一二三四五六七八九十百零〇\d]+章"), re.compile(r"第[一二三四五六七八九十百零〇\d]+节"),
    re.compile(r"第[一二三四五六七八九十百零〇\d]+条"), re.compile(r"[一二三四五六七八九十]+、"),
    re.compile(r"[（(][一二三四五六七八九十]+[）)]"), re.compile(r"\d{1,2}(?:[.．、](?!\d))"),
    re.compile(r"[（(]\d{1,2}[）)]"), re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩]"),
)


def numbering_marker(sentence: str) -> tuple[int, str] | None:
    s = sentence.lstrip()
    for level, rx in enumerate(MARKER_LEVELS):
        m = rx.match(s)
        if m:
            return level, m.group(0)
    return None


def numbering_paths(sents: list[str]) -> list[tuple]:
    """For each sentence, the numbering it sits under: ((level, marker), …)."""
    stack: list[tuple[int, str]] = []
    out = []
    for s in sents:
        mk = numbering_marker(s)
        if mk is not None:
            while stack and stack[-1][0] >= mk[0]:
                stack.pop()
            stack.append(mk)
        out.append(tuple(stack))
    return out


def _within(path: tuple, scope: tuple) -> bool:
    return path[:len(scope)] == scope


def _split_items(sents: list[str], paths: list[tuple]) -> list[tuple[str, tuple, str]]:
    """A sentence that grants two things to two addressees (343: 对省级标杆企业最高给予50万元一次性奖励，对国家级标杆
    企业最高再给予100万元一次性奖励) is cut before each 对 whose part has its own figure; parts are substrings, each
    with the whole sentence (a part may leave the kind to the end of the sentence)."""
    out = []
    for s, path in zip(sents, paths):
        # … and before each 按 of a list of bases (成都: 按装机容量给予最高300万元、按发电量给予最高1000万元补助).
        cuts = [m.start() for m in re.finditer(r"(?<=，)对|(?<=[，、])按(?!照?[^，。；]{0,6}(?:规定|标准|有关|相关))", s)]
        # … and before a clause that grants its own sum to another case (common: 对首次入选的企业给予30万元奖励，再次入选
        # 的给予10万元奖励; 国家级绿色工厂奖励100万元，省级绿色工厂奖励50万元): a sum paid, not a ceiling of the one before.
        cuts = sorted(set(cuts) | {m.end() for m in re.finditer(r"，", s) if _grants_own_sum(s[m.end():].split("，")[0])})
        # … and before each 每个/每项 of a list of ceilings for different objects (common wording of science-fund guides:
        # 每个项目省拨经费不超过1500万元，每个课题省拨经费不超过500万元): a ceiling each, not two of one grant.
        cuts = sorted(set(cuts) | {m.start() for m in re.finditer(r"(?<=，)每[个项]", s)
                                   if _own_money(s[:m.start()]) and _own_money(s[m.start():])})
        # … and before a clause that states another case's ceiling, the grant left to the clause before (common:
        # 对重大项目给予最高1000万元资助，一般项目最高200万元): a case named, then a ceiling and nothing else.
        cases = {m.end() for m in re.finditer(r"，", s)
                 if _other_case_ceiling(s[m.end():].split("，")[0]) and _own_money(s[:m.start()])}
        cuts = sorted(set(cuts) | cases)
        parts, starts, start = [], [], 0
        for c in cuts + [len(s)]:
            parts.append(s[start:c])
            starts.append(start)
            start = c
        figured = [p for p, at in zip(parts, starts) if any(_figures(p)) and (
            at in cases or re.search(r"给予|予以|补|奖|资助|拨经费|经费额度", p))]
        if len(figured) < 2:
            out.append((s, path, s))
            continue
        merged, buf = [], ""
        for p in parts:
            buf += p
            if p in figured:
                merged.append(buf)
                buf = ""
        if buf:
            merged[-1] += buf
        out.extend((p, path, s) for p in merged)
    return out


# What opens a clause that caps the grant before it rather than a case of its own (单个项目最高, 每家企业累计不超过, 其中…,
# 年度…): a unit of the grant, a total or a part.
_CAP_OF_GRANT_RE = re.compile(r"单个|单家|单项|单笔|每|同一|累计|总额|合计|年度|其中|分别|最高|不超过|原则上|一般不超过")


def _other_case_ceiling(clause: str) -> bool:
    """A clause naming a case (an applicant noun: 一般项目, 其他企业) and only a ceiling for it (最高200万元)."""
    money, rates = _figures(clause)
    head = clause[:money[0].start] if money else ""
    name = re.split(r"最高|不超过|不得超过|不高于|最多", head)[0]
    return bool(money) and not rates and all(m.cap for m in money) and not _CAP_OF_GRANT_RE.match(clause) and \
        not re.search(r"给予|予以", clause) and bool(name) and bool(APPLICANT_NOUN_RE.search(name))


def _own_money(part: str) -> bool:
    """A part of a sentence states a sum of its own in its last clause with a figure (每个课题…不超过500万元)."""
    return bool(money_in(part)) and not rates_in(part)


def _grants_own_sum(clause: str) -> bool:
    money, rates = _figures(clause)
    return bool(re.search(r"给予|予以", clause) or kind_of(clause)) and not clause.startswith(("分别", "其中")) and \
        (any(not m.cap for m in money) or bool(rates))


def _heads(path: tuple, paths: list[tuple]) -> bool:
    """Some sentence sits under deeper numbering than `path` (a heading sentence over sub-items)."""
    return any(len(p) > len(path) and _within(p, path) for p in paths)


def _figures(s: str) -> tuple[list[Money], list[Rate]]:
    rates = rates_in(s)
    money = [m for m in money_in(s) if not any(r.start <= m.start < r.start + len(r.text) for r in rates)]
    return money, rates


# Statements of what was or will be spent in total, not what an applicant gets (38 白皮书: 截至2019年，共支付补贴约14.17亿元;
# 338 山东: "十三五"期间列支省级财政预算16.3亿元; 419 四川: 2019—2020年，安排8亿元…以奖代补资金).
BUDGET_RE = re.compile(r"截至\d{4}|累计|共支付|列支|期间[，,]?.{0,10}(?:安排|下达|投入)|^\d{4}[—\-－~至]\d{4}年，安排")


def _item(s: str, money: list[Money], rates: list[Rate], kind: str | None = None) -> SupportItem:
    item = SupportItem(kind=kind or kind_of(s) or "资助", quote=s)
    item.tiers = tiers_in(s, money, rates)
    in_tiers = {t.get("amount") or t.get("cap") for t in item.tiers} | {t.get("rate") for t in item.tiers}
    in_tiers |= {r.text for r in rates if rate_text(r) in in_tiers}  # a list member's rate, its unit added (3000元/吨)
    plain = [m for m in money if not m.cap and m.text not in in_tiers]
    caps = [m for m in money if m.cap and m.text not in in_tiers]
    if plain:
        item.amount = money_dict(plain[0], s)
    own_rates = [r for r in rates if r.text not in in_tiers]
    if own_rates:  # the rate in a clause that names the support (补贴0.1元/千瓦时, not the 0.2元/千瓦时 power price)
        named = [r for r in own_rates if KIND_RE.search(_clause_at(s, r.start))]
        item.rate = rate_dict((named or own_rates)[0], s)
    if caps:
        item.cap = money_dict(max(caps, key=lambda m: m.wan or 0), s)
    item.applicants = [Field(a, s) for a in applicants_in(s)]
    figure = next((i for i, c in enumerate(_clauses(s)) if money_in(c) or rates_in(c)), None)
    item.conditions = [Field(c, s) for c in conditions_in(s, figure)]
    w = windows_in(s)
    if w and APPLY_RE.search(s):
        item.window = window_dict(w[0], s)
    return item


def extract_support(text: str) -> list[SupportItem]:
    """The support items stated in one unit's text, in order. An item is a sentence (split at 。；) that names a
    kind of support and a sum or a rate. The other sentences of the unit add to the items under the same
    numbering: a sentence with only a ceiling (单个项目补贴总额不超过200万元, before or after the items it caps), a
    responsible office (（责任单位：区发展改革局）), a window (申请时间为…, …之日起一年内提出申请), exclusions (不予…)."""
    sents = sentences(text)
    paths = numbering_paths(sents)
    items: list[tuple[tuple, SupportItem, int]] = []  # (path, item, position)
    context: list[tuple[tuple, str, str, int]] = []  # (path, what, sentence, position)
    excl_path: tuple | None = None
    # Headings that set the standard of support (二、安排标准): the figured sentences under them are items, of the
    # kind the heading names (补助标准 → 补贴), 资助 when it names none.
    # A funding table's rows are items of their own (below); a row or header the sentence splitter gives as a line
    # of its own is not read again as a sentence (nor its ceiling as the unit's).
    table = table_rows(text)
    in_table = {s for s in sents if s.strip() and (HEADER_RE.match(s.strip()) or any(s.strip() in r.text for r in table))}
    standards = [(i, p, kind_of(h) or "资助") for i, (h, p) in enumerate(zip(sents, paths))
                 if _standard_heading(h) and h not in in_table]
    for pos, (s, path, whole) in enumerate(_split_items(sents, paths)):
        if whole in in_table:
            continue
        at = sents.index(whole)
        kind = kind_of(s) or kind_of(whole) or general_kind(s) or next(
            (k for i, p, k in standards if i < at and _within(path, p)), None)
        money, rates = _figures(s)
        if re.search(r"不予支持的情形|不予支持的项目|以下情形", s):
            excl_path = path
            continue
        if EXCLUSION_RE.search(s) or (excl_path is not None and _within(path, excl_path) and path != excl_path):
            context.append((path, "exclusion", s, pos))
            if not money and not rates:
                continue
        if office_in(s):
            context.append((path, "office", s, pos))
        if APPLY_RE.search(s) and (windows_in(s) or RELATIVE_WINDOW_RE.search(s)) and not _review_time(s):
            context.append((path, "window", s, pos))
        if kind is None or not (money or rates) or BUDGET_RE.search(s) or CONDITIONS_LEAD_RE.search(s):
            continue
        if money and not rates and all(m.cap for m in money) and not tiers_in(s, money, rates) and \
                (not re.search(r"给予|予以", whole) or _heads(path, paths)):  # a part cut from a grant is granted
            context.append((path, "cap", s, pos))
            continue
        items.append((path, _item(s, money, rates, kind), pos))
    rows: dict[int, int] = {}  # id(item) → its number in its table
    for row in table:  # a funding table: one item a row (283), after the sentence that holds it
        at = next((i for i, s in enumerate(sents) if row.text.split("\n")[0] in s), len(sents))
        money = Money(f"{row.figure}{row.unit}", row.wan, 0, 0, row.cap)
        it = SupportItem(kind=kind_of(row.column) or "资助", quote=row.text)
        if row.tiers:  # a row of a table by tier: a figure a tier (国家级 100, 省级 50)
            it.tiers = [{"tier": t, "cap" if row.cap else "amount": f"{f}{row.unit}", "wan": w, "sentence": row.text}
                        for t, f, w in row.tiers]
        else:
            setattr(it, "cap" if row.cap else "amount", money_dict(money, row.text))
        items.append((paths[at] if at < len(paths) else (), it, at + 0.5))
        rows[id(it)] = row.no
    # A cap-only sentence with no items under its numbering is an item itself (最高给予50万元奖励).
    items += [(path, _item(s, *_figures(s)), pos) for path, what, s, pos in context
              if what == "cap" and not any(_within(p, path) for p, _, _ in items)]
    out = []
    for path, it, _ in sorted(items, key=lambda x: x[2]):
        it.label = "".join(mk for _, mk in path)  # numbering inside the unit; link_support prefixes the unit's
        if id(it) in rows:  # a table row: its number in the table (第1项)
            it.label += f"第{rows[id(it)]}项"
        for scope, what, s, _ in context:
            # a window stated in a sub-item under the item (122 第八条（二） / 1.申请单位在活动开始前30个工作日提交…)
            # is the item's too
            if not (_within(path, scope) or what == "window" and _within(scope, path) and path):
                continue
            if what == "cap" and it.cap is None and (it.amount or it.rate):
                money, _ = _figures(s)
                it.cap = money_dict(max(money, key=lambda m: m.wan or 0), s)
            elif what == "office" and it.office is None:
                it.office = Field(office_in(s), s)
            elif what == "window" and it.window is None:
                it.window = _relative_or_dated(s)
            elif what == "exclusion" and s != it.quote:
                it.exclusions.append(Field(NUMBERING_RE.sub("", s.strip()), s))
        out.append(it)
    return out


def _standard_heading(sentence: str) -> bool:
    """A short heading line that names the standard of support (二、安排标准; （三）补助标准：)."""
    h = NUMBERING_RE.sub("", sentence.strip()).strip(" ：:。")
    return len(h) <= 12 and bool(STANDARD_HEADING_RE.search(h)) and not re.search(r"\d", h)


def _relative_or_dated(s: str) -> dict:
    w = windows_in(s)
    if w:
        return window_dict(w[0], s)
    m = RELATIVE_WINDOW_RE.search(s)
    return {"start": "", "end": NUMBERING_RE.sub("", m.group(0).strip("，").lstrip()), "start_iso": None, "end_iso": None, "sentence": s,
            "document_wide": False, "label": ""}


# ------------------------------------------------------------------------------------------- document pass

# A call for projects is a support item only when it funds something (583/265/315: 专项资金, 资助经费, 经费; not a
# registration such as 375 核查员备案 or a call for case studies such as 225).
FUNDING_RE = re.compile(r"资金|经费|资助|补助|补贴|奖励|奖补|扶持|贴息")
# … and not when it buys a service: applicants who quote a price or bid are suppliers (285 武汉 遴选…报告编制单位: 申报材料
# …（报价独立封装盖章）; common procurement wording 投标, 比选), whatever the notice pays them from.
PROCUREMENT_RE = re.compile(r"报价|投标|比选")


# An article of a regulation (第十四条); plans number their measures otherwise (一、（一）).
ARTICLE_RE = re.compile(r"第[一二三四五六七八九十百零〇\d]+条")


def _grants_without_sums(units, facts: dict, call: bool = False) -> list[SupportItem]:
    """A regulation that states no sum (314 浦东绿色金融若干规定, 303 清洁发展机制基金管理办法, 322 嘉兴达标管理办法): each
    sentence of an article that grants a kind of support (给予费率优惠, 给予经费补助等支持, 安排一定规模赠款支持) is an item
    without figures, so the support is found. Only in articles and only when the document has no item with a
    sum: plans grant support in every other measure, and a document that states sums lists its support by them
    (the dev gold of 117/122/343 lists figured items only). In a call for a title or a pilot (`call`) the grants of
    its own text are what the applicant gets besides, in any unit (139 试点 call, its annex 附件2 三、（二）2.: 对通过验收的
    …同时给予一定形式的奖励); the call's item carries the window, so the grant carries none."""
    out = []
    for u in units:
        if not call and not ARTICLE_RE.match(unit_label(u)):
            continue
        for s in sentences(u.text):
            g = GRANT_CLAUSE_RE.search(re.sub(r"《[^》]*》", lambda m: "　" * len(m.group(0)), s))
            if g is None:
                continue
            window = None if call else facts["window"] and dict(facts["window"])
            it = SupportItem(kind=kind_of(g.group(0)) or "资助", quote=s, window=window, shape="grant",
                             office=facts["office"], applicants=[Field(a, s) for a in applicants_in(s)] or list(facts["applicants"]),
                             conditions=list(facts["conditions"]), exclusions=list(facts["exclusions"]), label=unit_label(u))
            it.seq = getattr(u, "seq", None)
            out.append(it)
    return out


def link_support(units, sections=(), title: str = "") -> list[SupportItem]:
    """Every support item of a document (units in document order, each with `.text` and, where known, `.seq`,
    `.label`, `.path`, `.section_no`, `.no`, `.kind`), with the document's window, office, applicants,
    conditions and exclusions attached where the item's own unit states none (marked `document_wide`).
    `sections` (the document's `Section`s) name the headings of units whose `path` is empty; `title` is the
    document's (its first line when not given)."""
    units = list(units)
    facts = document_facts(units, {s.no: s.title for s in sections})
    if facts["window"] is not None:
        facts["window"].pop("strong", None)
    out: list[SupportItem] = []
    for u in units:
        for it in extract_support(u.text):
            it.seq, it.label = getattr(u, "seq", None), item_label(unit_label(u), it.label)
            if it.window is None and facts["window"] is not None:
                it.window = dict(facts["window"])
            if it.office is None and facts["office"] is not None:
                it.office = facts["office"]
            if not it.applicants:
                it.applicants = list(facts["applicants"])
            it.conditions = it.conditions + [c for c in facts["conditions"] if c.sentence not in u.text]
            it.exclusions = it.exclusions + [e for e in facts["exclusions"] if e.sentence not in u.text]
            out.append(it)
    out = with_entries(out, units, lambda s, kind: _item(s, *_figures(s), kind))
    text = " ".join(u.text for u in units)
    title = title or next((u.text.strip().split("\n")[0] for u in units if u.text.strip()), "")
    # procurement read in the title and the call's own sentences, not the whole text: a funding call may cite the
    # 招标投标 law or ask for 比选 of contractors elsewhere (7 of the 74 dev library documents hold 投标/比选/报价)
    buys = PROCUREMENT_RE.search(title) or any(PROCUREMENT_RE.search(c["sentence"]) for c in facts["calls"])
    calls = not out and bool(FUNDING_RE.search(text) or CONFERS_RE.search(title)) and not buys
    if calls:
        # A call for projects that names no sum (583, 265): the call itself, one item a deadline (265: 竞争择优类
        # by 2月28日, 其它类别 by 3月4日), so its deadline can be found. A call whose benefit is a title or a pilot
        # (229 示范企业, 139 试点园区, named in the title) is a call as one for funds is.
        for w in call_windows(facts["calls"]):
            it = SupportItem(kind=kind_of(text) or "资助", quote=w["sentence"], window=dict(w), shape="call",
                             office=facts["office"],
                             applicants=list(facts["applicants"]), conditions=list(facts["conditions"]),
                             exclusions=list(facts["exclusions"]), label=w["label"])
            it.seq = next((getattr(u, "seq", None) for u in units if w["sentence"] in u.text), None)
            out.append(it)
    if not out:
        out = _grants_without_sums(units, facts)
    elif calls and CONFERS_RE.search(title):
        # a call for a title or a pilot, and what it grants besides (139 试点: 同时给予一定形式的奖励); a call for funds
        # grants what it calls for (277 对揭榜项目给予经费资助 restates its call's item)
        out = sorted(out + _grants_without_sums(units, facts, call=True), key=lambda it: it.seq or 0)
    papers = [(getattr(u, "seq", None), s, unit_label(u), listed) for u, s, listed in materials_of(units)]
    issued = issue_date(units) or call_year(units)
    for it in out:
        # the papers of the item's own unit first, then the lists of papers the document states once (a notice's
        # 三、申报材料; a sentence naming papers elsewhere is another case's: 329's reliefs each name their own)
        it.materials = [Field(s, s, False, "") for seq, s, _, _ in papers if seq == it.seq and it.seq is not None] + \
            [Field(s, s, True, label) for seq, s, label, listed in papers if listed and (seq != it.seq or it.seq is None)]
        if it.window:
            it.window = with_year(it.window, issued)
    return out
