"""Responsibility outside closing brackets, and deadlines. Pure functions over one unit's text.

Forms (from the corpus-dc documents: 实施方案 with 牵头单位/配合单位 lines, 第N条 regulations, 任务分工 lists):
- labelled lines: `牵头单位：市发展改革委；配合单位：市工业和信息化局、市生态环境局`, `责任单位：…`, `责任部门：…`,
  `责任处室：自然资源调查监测处` (a department's own work list, corpus-dc 231);
- the actor of a sentence or article: `由市生态环境局负责…`, `市生态环境主管部门负责…组织实施`, `市发展改革部门会同有关
  部门…` (the first named is the lead when it 牵头 or 会同 others);
- deadlines: `完成时限：2022年6月`, `（2022年底前完成）`, `于2023年6月30日前完成`, `截止时间：…`.
"""
from __future__ import annotations

import re

from knowledge.bureaus import _split_units, aliases_of, canonical_name, fix_typos, with_shared_level
from knowledge.divisions import PROVINCE, lookup
from knowledge.model import Bureau

_KEYS = (r"牵头单位|牵头部门|牵头处室|责任单位|责任部门|责任处室|主责单位|主办单位|配合单位|配合部门|配合处室|参与单位|"
         r"协同单位|实施主体")
# The deadline fields that may follow a names list on the same line (pypdf joins `责任处室：耕地保护监督处完成时限：…`,
# corpus-dc 231): a names list ends where the next field begins.
_DEADLINE_KEYS = r"完成时限|完成期限|时间节点|完成时间|截止时间|截止日期|申报截止|时限"  # 完成期限: corpus-dc 73, 549
_LABELLED = re.compile(
    rf"(?P<key>{_KEYS})[:：]\s*"
    rf"(?P<names>(?:(?!(?:{_KEYS}|{_DEADLINE_KEYS})[:：])[^。；;\n：:]){{2,200}})")
# An organisation: a level or place, then a body ending in one of these words (市生态环境局, 省发展改革委,
# 各区人民政府, 市生态环境主管部门, 国家能源局 …).
_ORG_END = (r"(?:委员会|发展改革委|发改委|经信委|工信委|住建委|交通委|教委|卫健委|国资委|管委会|委|局|厅|部|署|办公室|办|"
            r"人民政府|政府|主管部门|行政主管部门|部门|中心|银行|分行|监管局|领导小组|工作专班|专班|指挥部)")
# Levels: 省级/市级 and 县级以上（地方）人民政府… are how regulations name the competent body of every place
# (corpus-dc 502 省级发展改革部门, 162 市级林业主管部门; 县级以上人民政府生态环境主管部门 is the statute form).
_ORG = rf"(?:国家|国务院|[省市县区]级|县级以上(?:地方)?(?:各级)?|地方(?:各级)?|当地|所在地|省|自治区|市|区|县|各级|各|[\u4e00-\u9fff]{{2,6}}(?:省|市|区|县))[\u4e00-\u9fff、和]{{0,16}}?{_ORG_END}"
# A unit's own heading mark before its first sentence (第五条 / （三） / 2.) is not part of the actor.
_MARK = r"(?:第[一二三四五六七八九十百零〇\d]{1,6}条\s*(?:【[^】\n]{1,12}】|（[^）\n]{1,12}）)?\s*|[（(][一二三四五六七八九十\d]{1,3}[）)]\s*|[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、]\s*)"
# The verbs an article's actor takes (省生态环境厅按照…确定, 省林业局对试点申报材料开展审查, 市生态环境部门可以委托…,
# 国家能源局依法依规履行…: corpus-dc 306, 487, 58, 25).
_ACTS = r"牵头|负责|会同|统筹|组织|指导|制定|建立|开展|加强|推动|做好|应当|应(?![急用对])|要|须"  # 应急/应用 are not 应
_VERB = rf"(?:应当|要|依法|按照职责|按职责)?(?P<verb>{_ACTS})"
# An article opens with its actor and what it does by rule (省生态环境厅按照…确定, 省林业局对试点申报材料开展审查,
# 市生态环境部门可以委托…, 国家能源局依法依规履行…: corpus-dc 306, 487, 58, 25); inside a sentence these verbs
# follow too many other words (纳入省委…考核, 报告市政府) to mark an actor.
# 根据 too at an article's opening (省林业局根据试点建设安排，组织开展…, 国家发展改革委根据…统筹…, 市生态环境局根据技术评估意见
# 对…予以备案: corpus-dc 487, 502, 175, 322): the body then decides by what follows.
_RULE_VERB = rf"(?:应当|要|依法(?:依规)?|按照职责|按职责)?(?P<verb>{_ACTS}|按照|依照|依据|根据|对|可以|履行|确定(?!的)|受理|审核|审查|实行|委托)"
# 国家能源局及其派出机构: a body with its local agencies (corpus-dc 25); the agencies are not named apart.
_AGENCIES = r"(?:及其派出机构|及其派出机关)?"
# `本办法由国家发展改革委负责解释`: an actor after 由 inside a sentence too.
# A list of bodies does not open with a verb (请各地市工信部门…, 会同能源、电网等部门…, 强化省…领导小组对…: the actor
# is elsewhere or implied), and a body's name holds none (省生态环境厅根据生态环境部…, …初核后报经省生态环境厅).
# 按照省统计局要求…, 按照省委、省政府部署…, 统筹市级各行业主管部门建立…: a body after 按照 or 统筹 is whose rule is
# followed or who is coordinated, not the actor (corpus-dc 231, 75, 314).
_NO_VERB_FIRST = r"(?!请|将|如果|强化|加强|会同|配合|此栏|推动|支持|鼓励|引导|按照|统筹)"
# 建立健全自治区发展改革委牵头组织…的工作机制, 建立市发展改革委、市能源局会同…的…机制, 完善市委市政府统筹…的工作机制: a
# mechanism the plan sets up, led by the body after the verb (corpus-dc 565, 573, 514, 469, 425, 566); the verb is no part
# of the body's name (建立市 is no place).
_MECHANISM_VERB = re.compile(r"^(?:建立健全|建立完善|建立|健全|完善)(?=[\u4e00-\u9fff]{2})")
_VERB_INSIDE = re.compile(r"根据|报经|初核|用于|全部|无须|通过|榜单|确定的")
_ORGS = rf"{_NO_VERB_FIRST}(?P<orgs>{_ORG}{_AGENCIES}(?:[、和及与]{_ORG}{_AGENCIES}){{0,6}})(?:等(?:部门|单位))?"
_ACTOR = re.compile(rf"(?:^{_MARK}?|(?<=[。；，：;,\n])|(?<=由))(?:由)?{_ORGS}{_VERB}")
# After 由 a ministry or national body needs no level: 由国家发展改革委、国家能源局负责…, 由生态环境部会同…, 由商务部牵头
# (the State Council's bodies are named bare: 财政部, 自然资源部, 人民银行, 银保监会).
_BODY = rf"(?:{_ORG}|[\u4e00-\u9fff]{{2,10}}?(?:部|总局|局|委员会|委|署|银行|办公厅|中心)|银保监会|证监会)"
_BY_ACTOR = re.compile(rf"由{_NO_VERB_FIRST}(?P<orgs>{_BODY}{_AGENCIES}(?:[、和及与]{_BODY}{_AGENCIES}){{0,6}})(?:等(?:部门|单位))?"
                       rf"(?:按职责分工|按照职责分工|按照职责|按职责|分别|共同)?{_VERB}")
_OPENING_ACTOR = re.compile(rf"(?:^{_MARK}?|(?<=[。；;\n])|(?<=由))(?:由)?{_ORGS}{_RULE_VERB}")
# An article that opens with a body of the State Council or one without a level: 交通运输部会同公安部、商务部…,
# 生态环境部加强对…监督管理, 财政部、生态环境部应当…, 基金管理中心履行下列职责 (corpus-dc 373, 402, 303) — a regulation
# names its own bodies bare; only at the article's start (inside a sentence such a name is often an object).
_ARTICLE = r"^\s*第[一二三四五六七八九十百零〇\d]{1,6}条\s*(?:【[^】\n]{1,12}】|（[^）\n]{1,12}）)?\s*"
_ARTICLE_ACTOR = re.compile(rf"{_ARTICLE}{_NO_VERB_FIRST}(?P<orgs>{_BODY}{_AGENCIES}(?:[、和及与]{_BODY}{_AGENCIES}){{0,6}})"
                            rf"(?:等(?:部门|单位))?{_RULE_VERB}")
# A regulation's actor without a level, at a sentence start: `发展改革部门、生态环境部门和其他部门应当…`,
# `住房城乡建设部门应当加强…` (corpus-dc 58, 天津市碳达峰碳中和促进条例).
_BARE = r"[\u4e00-\u9fff]{2,8}?(?:主管部门|部门)"
# `交通运输、城市管理、邮政等部门应当…`: fields listed before one kind word (corpus-dc 58).
_FIELDS = r"[\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8}){1,8}等(?:主管)?部门"
_BARE_ACTOR = re.compile(rf"(?:^{_MARK}?|(?<=[。；\n])|(?<=由)){_NO_VERB_FIRST}(?P<orgs>{_FIELDS}|{_BARE}(?:[、和及与]{_BARE}){{0,6}}){_VERB}")
# `市统计、发展改革、生态环境部门`: the last name's kind word applies to the bare names before it.
_SHARED_SUFFIX = re.compile(r"(主管部门|行政主管部门|部门)$")
# Bodies that name no one: generic (有关部门) or the bare kind word a document abbreviates its body to (主管部门,
# defined elsewhere as 以下简称“主管部门”, corpus-dc 331).
_NOT_ACTOR = re.compile(r"^(?:地方)?(?:各级|各)?(?:人民)?政府$|^(?:地方)?(?:各级)?党委$|^(?:有关|相关|各有关|各相关|其他|其他有关|上述|各|该|本|行政|行政主管|主管)部门$"
                        r"|^各(?:地区|地方|地)各?(?:有关|相关)?(?:部门|单位)$")  # 各地区各部门要… (中共中央…全面绿色转型的意见)

_DEADLINE = re.compile(
    rf"(?:{_DEADLINE_KEYS})[:：]\s*(?P<a>(?:(?!(?:{_KEYS})[:：])[^。；;\n）)]){{2,40}})"
    r"|(?P<b>(?:19|20)\d{2}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底|末)?(?:前|以前|之前))(?:全面|基本|全部)?(?:完成|建成|实现|到位|出台|制定|截止)"
    r"|(?P<c>持续推进|长期坚持|持续实施)(?=[）)]?$)")

# A labelled responsibility field at a line start (责任处室：…): what answers quote as a unit's or section's fields.
LABELLED_FIELD = re.compile(rf"(?:^|(?<=[\n.。]))\s*(?P<key>{_KEYS})[:：]")


def _bureau(name: str, lead: bool, places: tuple[str, ...] = ()) -> Bureau:
    name = fix_typos(name.strip())
    canon = canonical_name(name)
    aliases = set(aliases_of(name))
    if (local := placed_name(canon, places)) != canon:
        aliases.add(canon)
        canon = local
    if name != canon:
        aliases.add(name)
    aliases.discard(canon)
    return Bureau(name=name, canonical=canon, aliases=tuple(sorted(aliases)), lead=lead)


def _names(segment: str, kind: str = "") -> list[str]:
    """Names of a list of bodies; `kind` (部门) is the kind word written once after the list (…等部门)."""
    segment = re.sub(r"(?:等(?:主管)?(?:部门|单位)?)?(?:按(?:照)?(?:各自)?职责(?:分工)?)?(?:负责|落实|配合)?$", "", segment.strip())
    segment = re.sub(_AGENCIES, "", segment)
    segment = re.sub(r"(部门|局|厅|委|部)[和与](?=[\u4e00-\u9fff])", r"\1、", segment)  # 生态环境部门和其他部门, 农业农村部和气象局: two bodies
    parts = [re.sub(r"^(?:由|和|及)", "", p).strip() for p in _split_units(segment, "、，,及") if p]
    shared = _SHARED_SUFFIX.search(parts[-1]).group(1) if parts and _SHARED_SUFFIX.search(parts[-1]) else kind
    if shared:
        parts = [p if re.search(_ORG_END + "$", p) else p + shared for p in parts]
    return with_shared_level(parts)


def labelled_bureaus(text: str, places: tuple[str, ...] = ()) -> list[Bureau]:
    """Bureaus from `牵头单位：…；配合单位：…` / `责任单位：…` lines; 牵头 marks the lead. `places`: the document's
    (`document_places`), which its 市/省 bodies take."""
    out: list[Bureau] = []
    for m in _LABELLED.finditer(text):
        lead = m.group("key").startswith("牵头") or m.group("key") in ("主责单位", "主办单位")
        for name in _names(m.group("names")):
            if 2 <= len(name) <= 30 and name not in {b.name for b in out}:
                out.append(_bureau(name, lead, places))
    return out


def sentence_actors(text: str, places: tuple[str, ...] = ()) -> list[Bureau]:
    """The organisations that act in the unit's sentences (由市生态环境局负责…, 市发展改革部门会同…); the first
    named is the lead when it 牵头 or 会同 others. `places` as in `labelled_bureaus`."""
    out: list[Bureau] = []
    for m in [*_ACTOR.finditer(text), *_BY_ACTOR.finditer(text), *_OPENING_ACTOR.finditer(text),
              *_BARE_ACTOR.finditer(text), *_ARTICLE_ACTOR.finditer(text)]:
        names = _names(m.group("orgs"), "主管部门" if "等主管部门" in m.group(0) else "部门" if "等部门" in m.group(0) else "")
        if m.re is _ARTICLE_ACTOR:  # a bare body is one by its kind word (基金及其管理中心: 基金 is none, 其… refers back)
            names = [n for n in names if re.search(rf"{_ORG_END}$", n) and not n.startswith("其")]
        lead = m.group("verb") in ("牵头", "会同")
        for i, name in enumerate(names):
            # 确定名录的省级生态环境主管部门, 新组建的生态环境部, 省属单位的项目由省主管部门: the body is what follows the
            # clause before it (设区的市 is the statute's term)
            name = _MECHANISM_VERB.sub("", re.split(r"的(?!市)|由", name)[-1])
            if _NOT_ACTOR.match(name) or _VERB_INSIDE.search(name) or not 2 <= len(name) <= 30 or name in {b.name for b in out}:
                continue
            out.append(_bureau(name, lead and i == 0, places))
    return out


# Not a deadline: a goal year of a plan or of the nation (到2025年底前…, 力争2030年前实现碳达峰、2060年前实现碳中和,
# 2030年前达到峰值) and a date that defines a group (2000年底前建成的…小区 — a condition, corpus-dc 27, 318, 575).
_GOAL_YEAR = re.compile(r"(?:到|至)\s*$")
_GOAL_AFTER = re.compile(r"^(?:全面|基本|全部)?(?:实现|达到|完成)?[\u4e00-\u9fff]{0,8}?(?:碳达峰|碳中和|达峰|峰值)")
_CONDITION_AFTER = re.compile(r"^(?:全面|基本|全部)?(?:完成|建成|实现|到位|出台|制定|截止)的")


def deadline_in(text: str, base_year: int | None = None) -> str:
    """The unit's deadline as written (完成时限：2022年6月 → 2022年6月, 完成期限：2022年二季度, 2023年底前完成…),
    or "". A year before the document's own (`base_year`) is a condition's date, not a deadline."""
    for m in _DEADLINE.finditer(text):
        if m.group("b"):
            before, after = text[max(0, m.start() - 3): m.start()], text[m.end("b"):]
            year = int(m.group("b")[:4])
            if (_GOAL_YEAR.search(before) or _GOAL_AFTER.match(after) or _CONDITION_AFTER.match(after)
                    or (base_year is not None and year < base_year)):
                continue
        return (m.group("a") or m.group("b") or m.group("c") or "").strip()
    return ""


# A place opens the text; 自治区 alone is the level, not a place (自治区人民政府关于…, corpus-dc 85, 319).
_JURISDICTION = re.compile(r"^(?:中共)?(?!自治区)(?P<place>[\u4e00-\u9fff]{2,7}?(?:自治区|省|市|区|县))(?!场|级|民|县|域|块)")
# The levels whose bodies take the name of a place ending in the same level: 市发展改革委 in a 连云港市 document,
# 省生态环境厅 in a 四川省 one, 自治区发展改革委 in a 广西壮族自治区 one (corpus-dc 235, 85, 297, 319, 66, B14).
_LEVELS = ("自治区", "省", "市")
# Further places of a document issued jointly: each organ of the issuer may open with its own place
# (重庆市人民政府办公厅四川省人民政府办公厅, corpus-dc 57: its 市 bodies are 重庆's, its 省 bodies 四川's).
_ORGAN_PLACE = re.compile(r"(?:^|(?<=[、，,\s厅局委部])|(?<=政府|党委))(?:中共)?(?!自治区)"
                          r"(?P<place>(?:(?!政府|办公|委员|党委|[厅局])[\u4e00-\u9fff]){2,7}?(?:自治区|省|市))(?=[\u4e00-\u9fff]{2})(?!场|级|民|县|域|块)")


def jurisdiction_of(title: str) -> str:
    """The place a document's 市/省 (or 区/县) bodies belong to: 连云港市… → 连云港市, 繁昌区… → 繁昌区; a province
    named by its short name, as titles often write it (广西可再生能源发展“十四五”规划 → 广西壮族自治区, corpus-dc 565),
    by its full name from the divisions table; "" when the title names none."""
    text = re.sub(r"^(?:关于|中共|印发)", "", title)
    if m := _JURISDICTION.match(text):
        return m.group("place")
    for size in (3, 2):  # 内蒙古, 黑龙江 before the two-character names
        found = lookup(text[:size], PROVINCE)
        if len(found) == 1 and found[0].name != text[:size]:
            return found[0].name
    return ""


def document_jurisdiction(title: str, meta: dict | None = None, source: str = "") -> str:
    """The place of a document from its title, else its notice's title or issuer (343 推动工业节能降碳…若干措施, issued
    by 福建省工业和信息化厅), else its file name without a collection number (309 `309、深圳市关于发布…` whose title
    and notice name no place: 市工业和信息化局关于发布2023年…申请指南)."""
    meta = meta or {}
    for text in (title, meta.get("notice_title") or "", meta.get("issuer") or "",
                 re.sub(r"^\d+\s*[、._-]\s*", "", source or "")):
        if place := jurisdiction_of(text):
            return place
    return ""


def document_places(title: str, meta: dict | None = None, source: str = "") -> tuple[str, ...]:
    """The document's place (`document_jurisdiction`) first, then the places of the organs that issued it, when a
    document is issued by two (重庆市人民政府办公厅四川省人民政府办公厅 → 重庆市, 四川省)."""
    meta = meta or {}
    places = [p] if (p := document_jurisdiction(title, meta, source)) else []
    for m in _ORGAN_PLACE.finditer(re.sub(r"\s+", "", meta.get("issuer") or "")):
        if m.group("place") not in places:
            places.append(m.group("place"))
    return tuple(places)


def placed_name(canon: str, places: tuple[str, ...]) -> str:
    """A 市/省/自治区 body's name with the document's place of that level (市发展和改革委员会 in a 连云港市 document →
    连云港市发展和改革委员会; 自治区发展改革委 in a 宁夏回族自治区 one → 宁夏回族自治区发展改革委); unchanged when the
    document names no place of its level. `places` is a tuple always (`document_places`): a bare string would be
    read character by character, so it is refused."""
    if isinstance(places, str):
        raise TypeError("placed_name takes a tuple of places (document_places), not a string")
    for level in _LEVELS:
        if canon.startswith(level):
            for place in places:
                if place and place.endswith(level) and not canon.startswith(place):
                    return place + canon[len(level):]
            return canon
    return canon
