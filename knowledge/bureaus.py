"""Responsible units: split from the closing parenthesis of a measure and normalised. Pure functions.

Forms seen in the corpus: `（A、B、C等按职责分工负责）`, `（A牵头负责）`, `（责任单位：A、B）`, `［责任单位：A、相关区（市）县
政府（管委会）］`, and document-wide implementers: `（…，各县区政府、功能板块管委会，以下均需各县区政府、功能板块管委会
落实，不再列出）`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.model import Bureau
from knowledge.text import cut_outside_brackets

# Abbreviation → full official name. Only standard expansions; a name not listed is its own canonical name.
_CANONICAL: dict[str, str] = {
    "发改委": "发展和改革委员会",
    "发展改革委": "发展和改革委员会",
    "发展和改革委": "发展和改革委员会",
    "发改局": "发展和改革局",
    "工信局": "工业和信息化局",
    "经信局": "经济和信息化局",
    "经信委": "经济和信息化委员会",
    "市场监管局": "市场监督管理局",
    "住建局": "住房和城乡建设局",
    "住房城乡建设局": "住房和城乡建设局",
    "住建委": "住房和城乡建设委员会",
    "住房城乡建设委": "住房和城乡建设委员会",
    "交通局": "交通运输局",
    "交通委": "交通运输委员会",
    "城管局": "城市管理局",
    "城管委": "城市管理委员会",
    "城市管理委": "城市管理委员会",
    "科技局": "科学技术局",
    "机关事务局": "机关事务管理局",
    "教委": "教育委员会",
    "政府办": "人民政府办公室",
    "国资委": "人民政府国有资产监督管理委员会",
    "人社局": "人力资源和社会保障局",
    "文旅局": "文化广电和旅游局",
    "卫健委": "卫生健康委员会",
    "应急局": "应急管理局",
    "统计局": "统计局",
    "生态环境局": "生态环境局",
    # National bodies by the short names State Council documents use (国家发展改革委 → 国家发展和改革委员会 through the
    # 国家 level below; 国家林草局 → 国家林业和草原局).
    "林草局": "林业和草原局",
    "工信部": "工业和信息化部",
    "住建部": "住房和城乡建设部",
    "人民银行": "中国人民银行",
    "银保监会": "中国银行保险监督管理委员会",
    "证监会": "中国证券监督管理委员会",
    "市场监管总局": "国家市场监督管理总局",
}
# Obvious typos in source documents (the primary document writes 机关事物管理局).
_TYPOS = {"事物管理局": "事务管理局", "职能分工": "职责分工"}

_RESP_HINT = re.compile(r"负责|落实|责任单位|牵头|配合|分工")
_SUFFIX = re.compile(
    r"(?:等(?:部门|单位)?)?(?:按(?:照)?(?:各自)?(?:职责|职能)(?:分工)?)?(?:牵头)?(?:负责|落实|配合|实施)?(?:，?不再列出)?$"
)
_PREFIX = re.compile(r"^(?:责任单位|牵头单位|配合单位|责任部门)[:：]")
_PREFIX_LEVELS = ("市", "省", "区", "县", "自治区", "国家")


@dataclass(frozen=True)
class ResponsibilityClause:
    bureaus: list[Bureau]
    implementers: list[str]  # document-wide implementers declared here ("以下均需…落实")
    text: str  # the parenthesis as written


def fix_typos(name: str) -> str:
    for bad, good in _TYPOS.items():
        name = name.replace(bad, good)
    return name


# The kind words a body's name ends in (国家发展改革委, 省生态环境厅, 市机关事务管理局, 市政府办公室, 市能源服务中心,
# 市发展和改革委员会: the responsibility clauses of the own corpus and of corpus-dc), one home for the readers of names.
# Each reader adds beside these the kinds its reading needs and says why (knowledge.signers.SIGNING_KINDS, a joint
# issue's signatures; answer.dates._BODY, names of bodies in a date question; _DEPARTMENT below, a level written once).
BODY_KINDS = ("委员会", "办公室", "中心", "局", "委", "厅", "办")


def body_kinds(*more: str) -> str:
    """BODY_KINDS and `more` as one regex alternation, the longest first (委员会 is read whole, never as 委 and a
    loose 会)."""
    return "(?:" + "|".join(sorted(dict.fromkeys((*BODY_KINDS, *more)), key=len, reverse=True)) + ")"


# A department the level written once applies to: 社 (供销合作社), 院 (科学院, 设计研究院), 署 and a field's 部门
# (生态环境部门) too; not a name ending in 部, a ministry (工业和信息化部) that takes no 市 written before it.
_DEPARTMENT = re.compile(body_kinds("社", "院", "署", "部门") + "$")
_OWN_LEVEL = re.compile(r"^(?:各|相关|有关|国家|中国|人民银行|中共|省|自治区|区|县|市)|市|[\u4e00-\u9fff]{2}(?:银保监|海关|海事|气象|供电|电网|税务|邮政)")


def with_shared_level(names: list[str]) -> list[str]:
    """`市发展改革委、工业和信息化局、生态环境局`: the 市 written once applies to the departments after it."""
    out, level = [], ""
    for name in names:
        # The statute's levels are written once too: 县级以上人民政府发展改革、生态环境等部门, 省级发展改革、财政部门.
        m = re.match(r"^(县级以上(?:地方)?(?:各级)?人民政府|[省市县区]级|市|区|县|省)", name)
        if m:
            level = m.group(1)
            out.append(name)
        elif level and _DEPARTMENT.search(name) and not _OWN_LEVEL.search(name):
            out.append(level + name)
        else:
            out.append(name)
    return out


def canonical_name(name: str) -> str:
    """市发改委 → 市发展和改革委员会; a name without a known abbreviation is its own canonical name."""
    name = fix_typos(name)
    for level in ("市", "省", "区", "县", "国家", ""):
        if level and not name.startswith(level):
            continue
        rest = name[len(level):]
        if rest in _CANONICAL:
            return level + _CANONICAL[rest]
    return name


def bureau_key(b) -> str:
    """The name questions are matched on: the full official name without the document's jurisdiction
    (市发展和改革委员会), so 市发改委 finds the 市发改委 of whichever documents are in scope; `Bureau.canonical`
    keeps the jurisdiction (连云港市发展和改革委员会) for listings across a library."""
    return canonical_name(b.name)


def aliases_of(name: str) -> tuple[str, ...]:
    """Every way the same unit is written: abbreviation(s) and full name, with and without the level prefix."""
    canon = canonical_name(name)
    level = next((p for p in _PREFIX_LEVELS if canon.startswith(p)), "")
    core = canon[len(level):]
    forms = {canon, fix_typos(name)}
    for abbr, full in _CANONICAL.items():
        if full == core and abbr != full:
            forms.add(level + abbr)
    return tuple(sorted(f for f in forms if f != canon))


def _matching_open(text: str, close: int) -> int | None:
    """Index of the bracket opening the one closing at `close` (nested （） inside ［］ allowed)."""
    pairs = {"）": "（", "］": "［", "]": "[", ")": "(", "】": "【"}
    closer = text[close]
    opener = pairs.get(closer)
    if opener is None:
        return None
    depth = 0
    for i in range(close, -1, -1):
        if text[i] == closer:
            depth += 1
        elif text[i] == opener:
            depth -= 1
            if depth == 0:
                return i
    return None


def find_clause(measure_text: str) -> tuple[int, int] | None:
    """The span of the responsibility parenthesis: the last bracket group of the measure that names units."""
    text = measure_text.rstrip("。 \n")
    for close in range(len(text) - 1, -1, -1):
        if text[close] not in "）］]】":
            continue
        start = _matching_open(text, close)
        if start is None:
            continue
        inner = text[start + 1: close]
        if _RESP_HINT.search(inner) and len(inner) <= 300:
            return start, close + 1
        # Only the trailing group counts: an earlier parenthesis is part of a sentence.
        return None
    return None


def _split_units(segment: str, seps: str = "、") -> list[str]:
    """Split `A、B、相关区（市）县政府（管委会）` on separators outside brackets, separators dropped; a stray closing
    bracket is not ignored (knowledge.text says how the clause cuts differ)."""
    parts, _ = cut_outside_brackets(segment, seps, "（([［【", "）)]］】", keep_mark=False, clamp=False)
    return [p.strip() for p in parts if p.strip()]


def parse_clause(inner: str) -> ResponsibilityClause:
    """Bureaus and document-wide implementers from the text inside the responsibility parenthesis."""
    inner = fix_typos(inner.strip())
    implementers: list[str] = []
    m = re.search(r"以下均(?:需|由|要)(.+?)(?:负责)?落实", inner)
    if m:
        implementers = [canonical_name(u) for u in _split_units(m.group(1))]
        inner = inner[: m.start()].rstrip("，, ")
    inner = re.sub(r"，?不再列出$", "", inner)
    bureaus: list[Bureau] = []
    seen: set[str] = set()
    # Segments separated by ；/。/，: `A牵头，B、C配合` gives A the lead; each segment ends with its own verb.
    for segment in _split_units(inner, "，,；;。"):
        if re.match(r"\s*(?:完成时限|完成时间|完成期限|时间节点|时限|时间)[:：]", segment):
            continue  # （责任单位：…；完成时限：2022年底）: a deadline, not a unit
        lead = "牵头" in segment  # 牵头负责 / 牵头单位：…
        segment = _PREFIX.sub("", segment.strip())
        if not segment:
            continue
        body = _SUFFIX.sub("", segment).strip()
        units = [re.sub(r"^(?:由|请)", "", _PREFIX.sub("", _SUFFIX.sub("", u)).strip()) for u in _split_units(body)]
        for unit, full in zip(units, with_shared_level(units)):
            if not unit or len(unit) > 40 or unit in seen:
                continue
            seen.add(unit)
            aliases = tuple(sorted(set(aliases_of(full)) | ({unit} if unit != canonical_name(full) else set())))
            bureaus.append(Bureau(name=unit, canonical=canonical_name(full), aliases=aliases, lead=lead))
    return ResponsibilityClause(bureaus=bureaus, implementers=implementers, text=inner)


def extract_bureaus(measure_text: str) -> ResponsibilityClause | None:
    span = find_clause(measure_text)
    if span is None:
        return None
    start, end = span
    return parse_clause(measure_text[start + 1: end - 1])
