"""The grounding guard for generated answers. Pure functions: an answer passes only when every [n] names an
existing source, every figure (number, percentage, year, quantity with unit) and every bureau it states
appears in a source it cites, and it cites at all (a 文件未提及… refusal may cite nothing)."""
from __future__ import annotations

from knowledge.numerals import cn_to_int, int_to_cn

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol, Sequence

from answer.asks import ASKS_FIGURE
from knowledge.text import fold as _fold
from knowledge.units import FIGURE_UNITS

REFUSAL = "文件未提及"
MARKER = re.compile(r"[\[【]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】]")

# Figures are read with the one list of units that may follow them (knowledge.units.FIGURE_UNITS, shared with the
# numeric-faithfulness metric).
_UNIT = "|".join(map(re.escape, FIGURE_UNITS))
_ARABIC = re.compile(rf"(?<![\d.])\d+(?:\.\d+)?(?:%|‰|[万亿千百]{{0,2}}(?:{_UNIT})?)")
_CN_DIGITS = "零一二两三四五六七八九"
_CN = re.compile(rf"(?<![{_CN_DIGITS}十百千万亿])([{_CN_DIGITS}十百千]+)(?:个百分点|项|条|个|家|座|所|类|种|年|倍|成|大)")
# List ordinals (1. / 1、 / （1）) are layout, not claims.
_ORDINAL = re.compile(r"(?m)^\s*(?:[-*•]\s*)?(?:\d{1,2}[.、．)）](?!\d)|[（(]\d{1,2}[）)])")
# Sentences in a source that read like instructions to the model are data; they never count as evidence.
INSTRUCTION = re.compile(
    r"忽略(?:以上|上述|之前|前面|前述|所有|全部)?的?(?:规则|指令|要求|提示|说明|设定)|无视.{0,6}(?:规则|指令|要求)|"
    r"(?:不要|无需|不必)(?:遵守|理会|遵循).{0,6}(?:规则|指令)|你(?:现在)?(?:是|扮演|必须)|系统提示|提示词|"
    r"(?:请|直接|只)回答[:：]|回答[:：]|(?:ignore|disregard|forget)\s+(?:all\s+|the\s+|any\s+)?(?:previous|above|prior|earlier)|"
    r"system\s*prompt|you\s+are\s+now", re.I)
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")


class SourceLike(Protocol):
    n: int
    label: str
    text: str
    bureaus: tuple[str, ...]


@dataclass(frozen=True)
class Claim:
    """One sentence of an answer: the sources it cites and the figures it states."""
    sentence: str
    markers: tuple[int, ...]
    figures: tuple[str, ...]


@dataclass
class GuardResult:
    ok: bool
    problems: list[str] = field(default_factory=list)
    # Source number → the figures the answer takes from it (for choosing citation quotes).
    figures_by_source: dict[int, list[str]] = field(default_factory=dict)


def fold(text: str) -> str:
    """knowledge.text.fold (NFKC, no white space) and no thousands separators: how figures are compared."""
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", _fold(text))


def is_refusal(text: str) -> bool:
    return fold(strip_markers(text)).startswith(REFUSAL)


def markers_in(text: str) -> list[int]:
    out: list[int] = []
    for m in MARKER.finditer(text or ""):
        out.extend(int(x) for x in re.split(r"\s*[,，、]\s*", m.group(1)))
    return out


def strip_markers(text: str) -> str:
    return MARKER.sub("", text or "")


def figures_in(text: str) -> list[str]:
    """Numbers, percentages, years and quantities with units, as written (folded): 1000万千瓦, 9.5%, 2030年,
    2万人, 1.2亿千瓦, 二十二条. Markers and list ordinals are not figures."""
    t = fold(_ORDINAL.sub("", strip_markers(text)).replace("\n", "。"))
    found = _ARABIC.findall(t)
    for m in _CN.finditer(t):
        if m.group(1) not in ("一", "两"):  # 一个/一批/两个 are wording, not quantities
            found.append(m.group(0))
    return list(dict.fromkeys(found))



def claims(text: str) -> list[Claim]:
    """Split an answer into sentences; a marker right after a sentence end belongs to that sentence."""
    parts = [p for p in _SENTENCE_END.split(text or "") if p.strip()]
    merged: list[str] = []
    for p in parts:
        lead = re.match(rf"^\s*(?:{MARKER.pattern}\s*)+", p)
        if lead and merged:
            merged[-1] += lead.group(0)
            p = p[lead.end():]
        if p.strip():
            merged.append(p)
    return [Claim(s, tuple(markers_in(s)), tuple(figures_in(s))) for s in merged]


def evidence(text: str) -> str:
    """A source's text as evidence: folded, with instruction-like sentences removed."""
    keep = [s for s in _SENTENCE_END.split(text or "") if not INSTRUCTION.search(fold(s))]
    return fold("".join(keep))


def figure_in(figure: str, text: str) -> bool:
    """`figure` occurs in folded `text` as a whole number (100 is not in 1000, 9 is not in 9.5), also when
    one side writes it in Chinese numerals (二十二条 = 22条)."""
    for form in _equivalents(figure):
        tail = r"(?!\.?\d)" if form[-1].isdigit() else ""
        head = r"(?<![\d.])" if form[0].isdigit() else rf"(?<![{_CN_DIGITS}十百千万亿])"
        if re.search(head + re.escape(form) + tail, text):
            return True
    return False


def check_answer(text: str, sources: Sequence[SourceLike], *, question: str = "", facts: str = "",
                 find_bureaus: Callable[[str], Iterable[str]] | None = None) -> GuardResult:
    """`facts` is the structured-facts block (derived from the sources by the extractive answerer): its
    figures count as evidence. `find_bureaus` maps a text to canonical bureau names (Catalog.find_bureaus);
    without it, bureaus are matched by the sources' own names only. Figures and bureaus taken from the
    question are allowed in a refusal (文件未提及2035年的目标, 文件未提及市教育局负责的举措)."""
    problems: list[str] = []
    body = (text or "").strip()
    if not body:
        return GuardResult(False, ["为空"])
    by_n = {s.n: s for s in sources}
    refusal = is_refusal(body)
    cited_all = markers_in(body)
    if not cited_all and not refusal:
        problems.append("没有任何来源标注 [n]")
    for n in dict.fromkeys(cited_all):
        if n not in by_n:
            problems.append(f"引用了不存在的来源 [{n}]")

    ev = {s.n: evidence(s.label + "。" + s.text) for s in sources}
    raw = {s.n: fold(s.label + "。" + s.text) for s in sources}
    facts_ev = evidence(facts)
    asked = fold(question)
    finder = find_bureaus or _names_finder(sources)
    src_bureaus = {s.n: set(s.bureaus) | set(finder(ev[s.n])) for s in sources}
    asked_bureaus = set(finder(question)) if refusal and question else set()
    figures_by_source: dict[int, list[str]] = {}

    for claim in claims(body):
        scope = [n for n in claim.markers if n in by_n] or [n for n in cited_all if n in by_n]
        for fig in claim.figures:
            homes = [n for n in scope if figure_in(fig, ev[n])]
            for n in homes:
                figures_by_source.setdefault(n, []).append(fig)
            if homes or figure_in(fig, facts_ev) or (refusal and figure_in(fig, asked)):
                continue
            elsewhere = [n for n in by_n if figure_in(fig, ev[n])]
            planted = [n for n in by_n if figure_in(fig, raw[n])]
            if elsewhere and not scope:
                if refusal:  # an unmarked answer is already reported above
                    problems.append(f"含有未标注来源的数字 {fig}")
            elif elsewhere:
                problems.append(f"含有所引来源中没有的数字 {fig}（见来源 [{elsewhere[0]}]）")
            elif planted:
                problems.append(f"含有只出现在来源中疑似指令文字里的数字 {fig}")
            else:
                problems.append(f"含有来源中没有的数字 {fig}")
        for bureau in finder(strip_markers(claim.sentence)):
            if refusal and bureau in asked_bureaus:
                continue
            if not any(bureau in src_bureaus[n] for n in scope):
                problems.append(f"提到的部门“{bureau}”不在所引来源中")
    problems = list(dict.fromkeys(problems))
    return GuardResult(not problems, problems, {n: list(dict.fromkeys(f)) for n, f in figures_by_source.items()})


# An answer that says the facts are absent: 无任何目标, 没有设定具体指标, 文件未提及, 未明确牵头部门, 不涉及.
_NEG = r"(?:并未|并没有|尚未|尚无|暂无|没有|未|无|不)"
_FILL = r"(?:任何|具体|明确|相关|量化|专门|数字化|的|可量化)*"
_VERB = r"(?:设定|设置|提出|规定|明确|给出|列出|提及|提到|涉及|说明|写明|安排|确定|制定|包含|载明)"
_WHAT = r"(?:目标|指标|数字|数据|数值|要求|规定|内容|信息|部门|单位|措施|举措|条款|时限|期限|金额|补贴|标准)"
# After a verb, a short topic may come between (没有设定具体的装机指标); without one it may not (不断提高建筑标准).
DENIAL = re.compile(rf"{_NEG}{_FILL}{_WHAT}|{_NEG}{_FILL}{_VERB}{_FILL}[\u4e00-\u9fff]{{0,4}}?{_WHAT}"
                    rf"|未提及|未涉及|不涉及|没有提到|没有提及|未提到|只字未提"
                    rf"|未作{_FILL}规定|无从(?:得知|判断)|无法(?:确定|回答|得知|判断)|不清楚")
# The question asks for a figure (an amount, a share, a count, a target, a year or a deadline): ASKS_FIGURE,
# a row of the intent table.
_FIGURE_ROUTES = frozenset({"target", "count", "target_list", "year"})
_CORE = re.compile(r"\d+(?:\.\d+)?")


def denials_in(text: str) -> list[str]:
    """Phrases of `text` that state an absence (folded)."""
    return list(dict.fromkeys(m.group(0) for m in DENIAL.finditer(fold(strip_markers(text)))))


def _cores(figures: Iterable[str]) -> set[str]:
    """The numbers of figures, Chinese numerals read as digits: 1000万千瓦 → 1000, 二十二条 → 22."""
    out: set[str] = set()
    for fig in figures:
        for form in _equivalents(fig):
            out.update(_CORE.findall(form))
    return out


# Comparators around a figure, by direction. Longest first so 不超过 is not read as 超过.
_COMPARATORS = (("不超过", "less"), ("不高于", "less"), ("不多于", "less"), ("不低于", "more"), ("不少于", "more"),
                ("超过", "more"), ("高于", "more"), ("多于", "more"), ("以上", "more"), ("超", "more"),
                ("低于", "less"), ("少于", "less"), ("以下", "less"), ("以内", "less"), ("控制在", "less"),
                ("增长", "rise"), ("提高", "rise"), ("提升", "rise"), ("上升", "rise"), ("增加", "rise"),
                ("下降", "fall"), ("降低", "fall"), ("减少", "fall"), ("压减", "fall"))
_OPPOSITE = {"more": "less", "less": "more", "rise": "fall", "fall": "rise"}


def _directions(figure: str, text: str) -> set[str]:
    """Directions of the comparators right before or after each occurrence of `figure` in folded `text`."""
    out: set[str] = set()
    for form in _equivalents(figure):
        tail = r"(?!\.?\d)" if form[-1].isdigit() else ""
        head = r"(?<![\d.])" if form[0].isdigit() else ""
        for m in re.finditer(head + re.escape(form) + tail, text):
            before, after = text[max(0, m.start() - 6):m.start()], text[m.end():m.end() + 3]
            for word, direction in _COMPARATORS:
                if before.endswith(word) or (direction in ("more", "less") and after.startswith(word)):
                    out.add(direction)
                    break
    return out


def _reversed_figures(text: str, evidence_text: str) -> list[str]:
    """Figures the answer states with the opposite comparator to every source occurrence (超1000万千瓦 →
    不超过1000万千瓦, 下降13.5% → 增长13.5%)."""
    answer = fold(strip_markers(text))
    out = []
    for fig in figures_in(text):
        said, sourced = _directions(fig, answer), _directions(fig, evidence_text)
        if said and sourced and all(_OPPOSITE.get(d) in sourced and d not in sourced for d in said):
            out.append(fig)
    return out


def check_faithful(text: str, sources: Sequence[SourceLike], *, question: str, expected: str,
                   expected_refused: bool, route: str = "") -> list[str]:
    """Problems of an answer that passes `check_answer` but contradicts or drops what the sources say.

    `expected` is the extractive answer to the same question (the measured path), `expected_refused`
    whether it refused. When the documents answer the question:
    - a sentence saying the facts are absent (本市无任何目标, 文件未提及, 没有明确牵头部门) contradicts them,
      unless the sources say the same words, the extractive answer says it too (a question in two parts, one
      not covered), or the clause is about a figure no source has (a partial refusal: 文件未提及2035年的目标);
    - a figure stated with the opposite comparator to the sources (不超过 where they say 超) contradicts them;
    - an answer to a question that asks for a figure must state one of the figures the extractive answer
      (or, when it states none, the sources) gives; figures the question itself contains do not count."""
    if expected_refused or is_refusal(text):
        return []  # agreement on a refusal, or a disagreement that `LLMAnswerer.finish` reports itself
    problems: list[str] = []
    ev = [evidence(s.label + "。" + s.text) for s in sources]
    every = "".join(ev)
    said = fold(strip_markers(expected))
    for clause in re.split(r"[。；;！!？?，,\n]", strip_markers(text)):
        for phrase in denials_in(clause):
            if any(phrase in e for e in ev) or phrase in said:
                continue  # the sources' own words, or a part the extractive answer also says is absent
            if any(not figure_in(f, every) for f in figures_in(clause)):
                continue  # 文件未提及2035年的目标: about something the sources do not have
            problems.append(f"称“{phrase}”，与所引来源中的事实矛盾")
    for fig in _reversed_figures(text, every):
        problems.append(f"把来源中 {fig} 的比较方向说反了，与所引来源中的事实矛盾")
    asks = route in _FIGURE_ROUTES or bool(ASKS_FIGURE.search(fold(question)))
    if asks:
        asked = _cores(figures_in(question)) | set(_CORE.findall(fold(question)))
        wanted = _cores(figures_in(expected)) - asked
        if not wanted:
            wanted = _cores(f for e in ev for f in figures_in(e)) - asked
        given = _cores(figures_in(text))
        if wanted and not (given & wanted):
            example = next((f for f in figures_in(expected) if _cores([f]) & wanted), "")
            problems.append("没有给出来源中的数字" + (f"（如 {example}）" if example else ""))
    return list(dict.fromkeys(problems))


def _names_finder(sources: Sequence[SourceLike]) -> Callable[[str], list[str]]:
    names = sorted({b for s in sources for b in s.bureaus}, key=len, reverse=True)

    def find(text: str) -> list[str]:
        t = fold(text)
        return [b for b in names if fold(b) in t]
    return find


def _equivalents(figure: str) -> list[str]:
    m = re.fullmatch(r"(\d+)(.*)", figure)
    if m and len(m.group(1)) <= 4 and not m.group(2).startswith(("年", ".")):
        return [figure, int_to_cn(int(m.group(1))) + m.group(2)]
    m = re.fullmatch(rf"([{_CN_DIGITS}十百千]+)(.*)", figure)
    if m:
        return [figure, str(cn_to_int(m.group(1))) + m.group(2)]
    return [figure]
