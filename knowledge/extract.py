"""Knowledge extraction from a parsed Document: bureaus, quantified targets, sentence kinds, industries,
places. Pure functions; `enrich(doc)` fills the Measure fields in place and returns the document."""
from __future__ import annotations

import re

from knowledge.bureaus import extract_bureaus, find_clause
from knowledge.model import (
    ENCOURAGEMENT, MEASURE, OBLIGATION, OTHER, RESTRICTION, SUPPORT, TARGET, Bureau, Document, Measure,
    Sentence, Target,
)

# Units of quantified targets, longest first so 万千瓦 wins over 千瓦.
UNITS = sorted(
    ["%", "万千瓦", "千瓦", "亿千瓦", "万千瓦时", "亿千瓦时", "千瓦时", "万人", "人", "万平方米", "平方米", "亿平方米",
     "个", "万亿元", "亿元", "万元", "元", "万吨标准煤", "吨标准煤", "亿吨", "万吨", "吨", "家", "座", "项", "条", "公里",
     "千米", "户", "辆", "台", "套", "所", "处", "倍", "万辆", "万户", "万亩", "亩", "公顷", "万立方米", "立方米", "亿立方米",
     "小时", "天", "批", "个百分点", "百分点", "万标准立方米", "标准立方米", "万个", "万座", "万套", "万台"],
    key=len, reverse=True,
)
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
_PRE = r"(?:超过|超|达到|达|不低于|不少于|不超过|高于|低于|提高到|提高至|提升到|提升至|提高|提升|降低到|降至|下降|降低|减少|增加|增长|控制在|保持在|突破|力争|累计|新增|建成|完成|培育)"
_POST = r"(?:以上|左右|以内|以下|及以上|以上的|之内)"
QUANTITY = re.compile(
    rf"(?P<pre>{_PRE})?(?P<value>\d+(?:\.\d+)?)(?:\s*[-~—至到]\s*\d+(?:\.\d+)?)?"
    rf"(?P<unit>(?:{_UNIT_RE})(?:/(?:{_UNIT_RE}|[\u4e00-\u9fff]{{1,3}}))?)(?P<post>{_POST})?"
)
# 到2030年 / 力争到2030年 / 2025年底 / 至2027年 / 2030年前 — the year a target is due.
YEAR = re.compile(r"(?:到|至|力争到|力争|在)?(?:(?P<year>20\d{2})年(?:底|末|前|以前)?|“?(?P<plan>十[四五六])五”?(?:末|期末|期间|时期))")
# A five-year plan period ends in a known year: “十四五”末 → 2025.
_PLAN_END = {"十四": 2025, "十五": 2030, "十六": 2035}
_BASELINE = re.compile(r"(?:比|较|相比|与)(?:20\d{2})年")

_SENTENCE_END = re.compile(r"(?<=[。；！？])")

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
    "餐饮住宿": ("餐饮", "宾馆", "酒店", "饭店", "火锅", "烧烤"),
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


def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。；！？ (the last one may lack it); exact substrings of `text`."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


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


def _clauses(sentence: str) -> list[str]:
    return [c for c in re.split(r"(?<=[，,：:])", sentence) if c.strip()]


def targets_in(sentence: str, year: int | None = None) -> list[Target]:
    """Year-bound quantified targets of one sentence. A year (到2030年) applies to the clauses after it until
    another year; a baseline year (比2020年) is not a due year and is not a quantity. `year` is the due year
    carried over from an earlier sentence of the same unit (到2025年，…。森林覆盖率达到…)."""
    targets: list[Target] = []
    for clause in _clauses(sentence):
        for ym in YEAR.finditer(clause):
            if _BASELINE.search(clause[max(0, ym.start() - 2): ym.end()]):
                continue
            # A bare year that is a date of the past (2020年 alone) still marks time; keep the latest.
            year = _year_of(ym)
        if year is None:
            continue
        prev_end = 0
        for qm in QUANTITY.finditer(clause):
            value, unit = qm.group("value"), qm.group("unit")
            # A year is not a quantity (2030年 matches 年 only through YEAR; guard 4-digit values with 年).
            if clause[qm.end("value"): qm.end("value") + 1] == "年":
                continue
            pre, post = qm.group("pre") or "", qm.group("post") or ""
            comparator = f"{pre}…{post}" if pre and post else (pre or post)
            indicator = _indicator(clause, qm, prev_end)
            prev_end = qm.end()
            if not indicator:
                continue
            targets.append(Target(year=year, indicator=indicator, comparator=comparator, value=value, unit=unit,
                                  text=sentence))
    return targets


def _year_of(m: re.Match) -> int:
    if m.group("year"):
        return int(m.group("year"))
    return _PLAN_END[m.group("plan")]


def due_year(sentence: str, current: int | None) -> int | None:
    """The due year in force after `sentence`: its last 到20XX年, else the one carried in."""
    years = [_year_of(m) for m in YEAR.finditer(sentence)
             if not _BASELINE.search(sentence[max(0, m.start() - 2): m.end()])]
    return years[-1] if years else current


def _indicator(clause: str, qm: re.Match, prev_end: int = 0) -> str:
    """What the quantity measures: the clause around it, without the year, the baseline or other quantities."""
    before = clause[prev_end: qm.start()]
    after = re.split(r"[、，,。；;]", clause[qm.end():], maxsplit=1)[0]
    before = re.sub(r"(?:比|较|相比)(?:20\d{2})年", "", before)
    before = YEAR.sub("", before)
    before = re.sub(r"^[，,：:、\s]*(?:力争|争取|确保|努力)?", "", before).strip("，,：:、 ")
    after = after.strip("，,。；;：: ")
    if len(after) > 1 and not before:
        return after[:40]
    if before and after and len(after) <= 20 and not re.match(r"^(?:以上|左右|以内|以下)", after):
        return f"{before}…{after}"[:60]
    return before[-40:]


def enrich(doc: Document) -> Document:
    """Fill bureaus, targets, sentences, industries and places of every measure; record document-wide
    implementers (a clause like 以下均需各县区政府、功能板块管委会落实) on the document."""
    implementers: list[str] = []
    for unit in doc.units():
        clause = extract_bureaus(unit.text) if unit.kind == MEASURE else None
        if clause:
            unit.bureaus = clause.bureaus
            implementers.extend(i for i in clause.implementers if i not in implementers)
        body = unit.text
        span = find_clause(body) if clause else None
        if span:
            body = body[: span[0]]
        sentences: list[Sentence] = []
        targets: list[Target] = []
        carried: int | None = None
        for s in split_sentences(body):
            found = targets_in(s.strip(), carried)
            carried = due_year(s, carried)
            targets.extend(found)
            sentences.append(Sentence(text=s.strip(), kind=sentence_kind(s, bool(found)),
                                      industries=tuple(industries_in(s)), places=tuple(places_in(s))))
        unit.sentences = sentences
        unit.targets = targets
        unit.industries = industries_in(body)
        unit.places = places_in(body)
    doc.implementers = implementers
    return doc


def implementer_bureaus(doc: Document) -> list[Bureau]:
    from knowledge.bureaus import aliases_of, canonical_name

    return [Bureau(name=n, canonical=canonical_name(n), aliases=aliases_of(n), implementer=True)
            for n in doc.implementers]


__all__ = ["enrich", "targets_in", "split_sentences", "industries_in", "places_in", "INDUSTRIES",
           "INDUSTRY_WORDS", "implementer_bureaus", "Measure"]
