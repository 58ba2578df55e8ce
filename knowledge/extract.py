"""Knowledge extraction from a parsed Document: bureaus, quantified targets, sentence kinds, industries,
places. Pure functions; `enrich(doc)` fills the Measure fields in place and returns the document."""
from __future__ import annotations

import re

from knowledge.actors import deadline_in, document_places, labelled_bureaus, placed_name, sentence_actors
from knowledge.bureaus import extract_bureaus, find_clause
from knowledge.tables import rejoin_marked_row, table_targets
from knowledge.text import split_sentences
from knowledge.plan_period import base_year_of, plan_end_of
from knowledge.targets import (
    EFFECT_SECTION, FORECAST, GOAL_SECTION, PAST_SECTION, PAST_SENTENCE, due_year, targets_in,
)
from knowledge.model import (
    ENCOURAGEMENT, MEASURE, OBLIGATION, OTHER, PREAMBLE, RESTRICTION, SUPPORT, TARGET, Bureau, Document, Measure,
    Sentence, Target,
)


# Industries that policies name, and the words documents use for each (provenance: the sector families of the
# national industry classification GB/T 4754 that green-transformation policies address — heavy industry,
# energy, transport, buildings, agriculture, finance, services, public bodies — with the words as the corpus
# documents write them; not words from questions. 火锅/烧烤 were removed: dishes, not an industry name any
# policy uses).
INDUSTRIES: dict[str, tuple[str, ...]] = {
    "化工": ("化工",),
    "石化": ("石化", "石油化工", "炼化"),
    "钢铁": ("钢铁", "冶金", "氢冶炼"),
    "建材": ("建材", "水泥", "平板玻璃", "玻璃", "陶瓷"),
    "有色金属": ("有色",),
    "电力": ("电力", "煤电", "燃煤电厂", "电厂", "电网", "发电"),
    "新能源": ("光伏", "风电", "氢能", "核能", "核电", "储能", "新能源"),
    "物流": ("物流", "货运", "快递", "集疏运", "运输"),
    "交通运输": ("交通", "港口", "码头", "公交", "航空", "地铁", "营运"),
    "汽车": ("汽车", "车辆", "新能源汽车", "电动自行车"),
    "电商": ("电商", "电子商务", "直播"),
    "商贸零售": ("商贸", "商场", "零售", "超市", "消费品"),
    "餐饮住宿": ("餐饮", "宾馆", "酒店", "饭店"),
    "金融机构": ("金融机构", "银行", "金融", "债券", "信贷", "贷款", "证券"),
    "高校科研": ("高校", "大学", "科研院所", "研发机构", "实验室"),
    "建筑": ("建筑", "房地产", "住宅", "装配式"),
    "农业": ("农业", "农村", "畜禽", "农林", "种植", "养殖", "粮食", "农产品"),
    "数据中心": ("数据中心", "算力", "5G", "工业互联网"),
    "制造业": ("制造业", "工厂", "工业企业", "制造"),
    "环保": ("节能环保", "环保", "污水处理", "垃圾", "固体废物", "再生资源", "回收"),
    "公共机构": ("公共机构", "党政机关", "机关"),
    "国有企业": ("国有企业", "国企"),
    "高耗能企业": ("高耗能", "两高", "重点用能"),
    "燃气": ("燃气", "天然气", "加气站"),
}
# A question's industry words → the industry keys above (化工企业 → 化工).
INDUSTRY_WORDS = {w: k for k, words in INDUSTRIES.items() for w in words}

# Relief reads like a restriction (不受…限制, 不纳入…总量控制) but is support: checked first.
_RELIEF = re.compile(r"不受.{0,12}限制|免予|免于|豁免|不纳入.{0,12}(?:考核|总量|控制)|予以扣除|扣除")
_KIND_PATTERNS = [
    (RESTRICTION, re.compile(r"严禁|禁止|不得|一律|坚决遏制|严格控制|严控|限制|淘汰|不予|不再|等量或减量替代|门槛|准入")),
    (OBLIGATION, re.compile(r"需|须|必须|应当|全部纳入|全面执行|强制|严格执行|要求|纳入.*名单|落实.*制度|确保")),
    (SUPPORT, re.compile(r"补助|补贴|奖励|奖补|贴息|专项资金|资金支持|给予|减免|优惠|担保|融资|贷款|税收")),
    (ENCOURAGEMENT, re.compile(r"鼓励|支持|引导|推广|倡导|探索|培育|带头|示范")),
]

_PLACE = re.compile(
    r"(?:(?:[\u4e00-\u9fff]{2,3}[区县市])?[\u4e00-\u9fff]{2,4}(?:新区|工业园|产业区|开发区|高新区|经开区|产业园|港区|保税区)|"
    r"(?:(?<=[，、：；。（在])|(?<=鼓励|支持|推进|推动|依托))[\u4e00-\u9fff]{2}(?:县|区)(?=[、，等和]))"
)
_NOT_PLACE = ("园区", "城区", "社区", "小区", "景区", "地区", "功能区", "示范区", "先导区", "集聚区", "试点区", "新城区",
              "服务区", "保护区", "生态区", "各县区", "县区", "市区", "山区", "林区", "重点区", "产业园区", "相关区")


def sentence_kind(sentence: str, has_target: bool) -> str:
    if has_target:
        return TARGET
    if _RELIEF.search(sentence):
        return SUPPORT
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(sentence):
            return kind
    return OTHER


def industries_in(text: str) -> list[str]:
    found = []
    for key, words in INDUSTRIES.items():
        if any(w in text for w in words):
            found.append(key)
    return found


_GENERIC_PLACE = {"产业园", "开发区", "工业园", "高新区", "经开区", "保税区", "产业区"}
_VERBS = ("推进", "支持", "鼓励", "依托", "建设", "深入", "加快", "推动", "提升", "优化", "打造", "培育", "发展", "创建")


def places_in(text: str) -> list[str]:
    out: list[str] = []
    for m in _PLACE.finditer(text):
        place = m.group(0)
        # 支持连云区…: the match may start inside the verb before the place.
        if m.start() > 0 and text[m.start() - 1: m.start() + 1] in _VERBS:
            place = place[1:]
        place = re.sub(rf"^(?:{'|'.join(_VERBS)}|在|对|及|和)+", "", place)
        if any(place.endswith(bad) or place == bad for bad in _NOT_PLACE) or place in out:
            continue
        if re.search(r"[的和与及在于为对将把被等以元亿]", place) or len(place) < 3 or place in _GENERIC_PLACE:
            continue
        out.append(place)
    return out


def enrich(doc: Document) -> Document:
    """Fill bureaus, deadline, targets, sentences, industries and places of every unit; record document-wide
    implementers (a clause like 以下均需各县区政府、功能板块管委会落实) on the document.

    Bureaus come from the closing responsibility bracket; failing that from labelled lines (牵头单位：…); failing
    that from the actors of the unit's sentences (由市生态环境局负责…). 市/省 bodies take the jurisdiction of the
    document (连云港市发展和改革委员会), so a library of many cities keeps them apart."""
    implementers: list[str] = []
    # The place from the title, else the notice's title, its issuer or the file name (89 江西, 511 江苏, 495 山西, 206
    # 浙江, 343 福建, 482 重庆: titles that name no place left 148 units' 省/市 bodies without one).
    # A document issued by two places' organs has both (57 成渝: 重庆市 for its 市 bodies, 四川省 for its 省 ones).
    places = document_places(doc.title, doc.meta, doc.source)
    base_year = base_year_of(doc)
    plan_end = plan_end_of(doc.title)
    header = None  # a target table's year columns, carried into the next units (a long table is split)
    previous = ""  # the text of the unit before
    for unit in doc.units():
        clause = extract_bureaus(unit.text) if unit.kind == MEASURE else None
        bureaus: list[Bureau] = []
        if clause:
            bureaus = [with_jurisdiction(b, places) for b in clause.bureaus]
            implementers.extend(i for i in clause.implementers if i not in implementers)
        body = unit.text
        span = find_clause(body) if clause else None
        if span:
            body = body[: span[0]]
        if not bureaus and unit.kind != PREAMBLE:
            bureaus = labelled_bureaus(unit.text, places) or sentence_actors(body, places)
        unit.bureaus = bureaus
        unit.deadline = deadline_in(unit.text, base_year)
        sentences: list[Sentence] = []
        targets: list[Target] = []
        carried: int | None = None
        # A plan's period is the due year of goals it states without one, outside its review of the past.
        heading = " ".join(unit.path + [unit.title])
        default = None if PAST_SECTION.search(heading) else plan_end
        forecasts = not GOAL_SECTION.search(heading) and bool(PAST_SECTION.search(heading) or EFFECT_SECTION.search(heading))
        # In a review of the past or the situation, a sentence that reports (“十三五”期间…, 截至…, 已…) does not take
        # the period an earlier sentence opened (“十四五”时期，…仍处于关键期。…“十三五”期间，巴中市2个…断面…).
        review = not GOAL_SECTION.search(heading) and bool(PAST_SECTION.search(heading))
        if default and GOAL_SECTION.search(heading):
            carried = default  # under 发展目标 of a plan every figure is a goal of the plan's period
        before_item = None  # the year in force before a numbered item that opened with a year of its own
        prior: int | None = None  # the due year of the last target of the sentence before
        for s in split_sentences(body):
            text = s.strip()
            item = _ITEM_START.match(text)
            if item and before_item is not None:
                carried, before_item = before_item[0], None  # 2.2022年，开展…。3.选取…: item 3 is not due in 2022
            if _BOX_START.match(s):  # a box (专栏4水电重点建设项目) stands apart from the text before it …
                carried = default if GOAL_SECTION.search(heading) else None
                title, _, rest = text.partition("\n")
                if rest and not re.search(r"20\d{2}\s*年|十[四五六]五", title):
                    text = rest.strip()  # … and its title names its subject: 建设 there is no goal verb of the items
            given = None if review and PAST_SENTENCE.search(s) else carried
            if given is None and prior is not None and _BREAKDOWN.match(text):
                given = prior  # 2022年全省营造林任务600万亩。其中，造林300万亩…: the parts of a target are due with it
            found = targets_in(text, given, base_year, default)
            if forecasts and FORECAST.search(s):
                found = []  # a forecast in a review of the situation or of the plan's effects
            if item and _OWN_YEAR.match(text, item.end()):
                before_item = (carried,)
            carried = due_year(s, carried, base_year)
            prior = found[-1].year if found else None
            targets.extend(found)
            sentences.append(Sentence(text=s.strip(), kind=sentence_kind(s, bool(found)),
                                      industries=tuple(industries_in(s)), places=tuple(places_in(s))))
        unit.sentences = sentences
        table_text = rejoin_marked_row(previous, body) if header else None  # a row a footnote mark cut in two
        rows, header = table_targets(table_text or body, header, base_year)
        previous = body
        if rows:  # a table row is read by its columns, not as a sentence
            targets = [t for t in targets if not _in_table_row(t, rows)] + rows
        unit.targets = targets
        unit.industries = industries_in(body)
        unit.places = places_in(body)
    doc.implementers = implementers
    return doc


def _in_table_row(t: Target, rows: list[Target]) -> bool:
    """A sentence target read from a table as prose: its sentence has an attribute column (约束性, outside a note in
    brackets) or contains the table row that holds its figure."""
    return bool(_TABLE_ATTRIBUTE.search(re.sub(r"（[^（）]*）", "", t.text))) or any(
        r.text in t.text and t.value in r.text for r in rows)


# A sentence that breaks the figure before it down (其中，造林300万亩，营林300万亩: 147; the form of a total's parts in
# every kind of plan).
_BREAKDOWN = re.compile(r"^\s*其中\s*[，,：:]?")
_BOX_START = re.compile(r"^\s*专栏\s*[\d一二三四五六七八九十]{1,3}")
# The number that opens an item of a numbered list (1. 2．, （3）; 2.2022年 is item 2 of 2022), and an item's own year.
_ITEM_START = re.compile(r"^\s*(?:\d{1,2}[.．、](?=\s*20\d{2}\s*年|[^\d.])|[（(]\d{1,2}[）)])")
_OWN_YEAR = re.compile(r"\s*(?:到|至|在)?\s*20\d{2}\s*年")
_TABLE_ATTRIBUTE = re.compile(r"约束性|预期性|指导性")


def with_jurisdiction(b: Bureau, places: tuple[str, ...]) -> Bureau:
    """市发展和改革委员会 in a 连云港市 document → 连云港市发展和改革委员会 (the old name stays an alias)."""
    canon = placed_name(b.canonical, places)
    if canon == b.canonical:
        return b
    aliases = tuple(sorted(set(b.aliases) | {b.canonical}))
    return Bureau(name=b.name, canonical=canon, aliases=aliases, lead=b.lead, implementer=b.implementer)


def implementer_bureaus(doc: Document) -> list[Bureau]:
    from knowledge.bureaus import aliases_of, canonical_name

    return [Bureau(name=n, canonical=canonical_name(n), aliases=aliases_of(n), implementer=True)
            for n in doc.implementers]


__all__ = ["enrich", "targets_in", "split_sentences", "industries_in", "places_in", "INDUSTRIES",
           "INDUSTRY_WORDS", "implementer_bureaus", "Measure"]
