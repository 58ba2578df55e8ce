"""An enterprise's profile against support items: which conditions it meets, which it does not, which the profile
cannot tell; whether the application window is open; how well an item fits the project it plans. Pure functions.

Vocabulary (each from the support documents of the development corpus — corpus-dc 117, 122, 309, 583, 成都 — and
SPEC's examples): qualifications an enterprise holds (高新技术企业, 专精特新, 绿色工厂 …), sizes (中小企业 covers
中型/小型/微型), place words that tie a condition to a jurisdiction (注册, 辖区, 本市 …).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from knowledge import divisions
from knowledge.project_fit import project_verdict
from knowledge.text import cjk_pairs, cut_outside_brackets

QUALIFICATIONS = ("高新技术企业", "专精特新", "小巨人", "单项冠军", "绿色工厂", "绿色园区", "绿色供应链", "绿色设计产品",
                  "技术创新示范企业", "企业技术中心", "工程技术研究中心", "重点实验室", "科技型中小企业", "上市企业",
                  "规模以上", "重点用能单位", "清洁生产")
SIZES = ("大型", "中型", "小型", "微型")
# What a size word in a condition admits.
_SIZE_WORDS = {"中小企业": {"中型", "小型", "微型"}, "中小微企业": {"中型", "小型", "微型"}, "小微企业": {"小型", "微型"},
               "大型企业": {"大型"}, "中型企业": {"中型"}}
# Words that tie a condition to a place (the support notices above: 注册地, 登记注册, 辖区内, 本市行政区域内, 落户); one
# pattern, read here and by knowledge.support (a lead ending in ： that carries it is a condition itself).
PLACE_CUE = re.compile(r"注册|登记|辖区|行政区域|所在地|落户|本市|本区|本县|本省|区内|市内|县内")
MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
# Words by which a condition names the issuing document's own place (PLACE_CUE's self-references).
_SELF = re.compile(r"本市|本区|本县|本省|我市|我区|我县|我省|本行政区域|辖区")


@dataclass(frozen=True)
class Profile:
    industry: str = ""
    place: str = ""
    size: str = ""  # 大型 / 中型 / 小型 / 微型 / ""
    qualifications: tuple[str, ...] = ()
    project: str = ""  # 电机能效改造, 屋顶光伏 …
    today: date | None = None


@dataclass
class Assessment:
    status: str  # met / not_met / unknown
    why: str = ""


@dataclass
class Match:
    item: dict  # SupportRow.to_json()
    conditions: list[tuple[str, Assessment]] = field(default_factory=list)
    window: str = "unknown"  # open / expired / not_yet / unknown
    relevance: float = 0.0
    amount_wan: float | None = None
    asked: bool = False  # the profile names a project or an industry to fit
    rewards_held: bool = False  # the item's own applicants or conditions ask a qualification the profile holds

    @property
    def blocked(self) -> bool:
        return any(a.status == NOT_MET for _, a in self.conditions)


_PLACE = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:自治区|省|市|区|县)(?!场|级|民|域|块|内|外)")
# 我市/我省 are 本市/本省 (309 符合国家和我市能耗、环保、安全等要求); 地区 is no level of a place (329 在中国境内（不包括港、澳、台地区）
# 依法注册的居民企业 was read as a place 台地).
_NOT_PLACE = ("本市", "本区", "本县", "本省", "我市", "我区", "我县", "我省", "地区", "全市", "全区", "全省", "各区", "各县",
              "各市", "城市", "地市", "县市", "省市")


def places(text: str) -> dict[str, int]:
    """The places a text names, without their level word, with their level (1 省/自治区, 2 市, 3 区/县):
    芜湖市繁昌区 → {芜湖: 2, 繁昌: 3}."""
    out: dict[str, int] = {}
    for m in _PLACE.finditer(text or ""):
        name = m.group(0)
        if any(name.endswith(n) for n in _NOT_PLACE):
            continue
        for part in re.findall(r"[\u4e00-\u9fff]+?(?:自治区|省|市|区|县)", name):
            core = re.sub(r"(?:自治区|省|市|区|县)$", "", part)
            if len(core) >= 2:
                out[core] = 1 if part.endswith(("省", "自治区")) else 2 if part.endswith("市") else 3
    return out


def place_tokens(text: str) -> set[str]:
    """The places a text names, without their level word: 芜湖市繁昌区 → {芜湖, 繁昌}."""
    return set(places(text))


def _same_place(a: str, b: str) -> bool:
    """One place read twice: the pattern takes the words before a place name with it (309 申报项目所在地位于深圳市 →
    在地位于深圳), so a name ending in the other is the same place."""
    return a == b or a.endswith(b) or b.endswith(a)


def _place_verdict(condition: str, place: str, jurisdiction: str) -> Assessment | None:
    """A place condition against the profile's place: met when the place lies inside the place the condition names
    (or, for 本市/辖区 and a condition naming none, the issuing document's), not met when it lies outside at any level
    (苏州 against a Jiangsu call's 我省 is met, against a Zhejiang call's not met; 宝安 against 深圳市 met), unknown
    when the division table (knowledge.divisions) does not know a place or the profile is less precise than the
    condition (江苏省 against 苏州市). None when the condition names no place at all."""
    here = places(place) or {place.strip(): 0}
    named = places(condition)
    own = _own_place(condition, jurisdiction)
    # 本市/辖区 refer to the issuing document's place, also beside a place named with it (309 本市行政区域内（含深汕
    # 合作区）: 深圳 or 深汕合作区).
    self_ref = bool(_SELF.search(condition)) or not named
    there = {**own, **named} if self_ref else named
    if not there:
        return None
    if any(_same_place(h, t) for h in here for t in there):
        return Assessment(MET, f"所在地{place}")
    at = divisions.chain(place)
    read = {name: (t, divisions.lookup(t, level), level) for name, level in there.items()
            for t in [_known_tail(name, level)]}
    # Names the table does not know beside one it does are inside it or no place at all (309 本市（含深汕合作区）: an
    # area the issuer counts in; 云南省…无逾期未验收…: a phrase the pattern read as a place): the known one decides.
    if at and any(known for _, known, _ in read.values()):
        read = {n: r for n, r in read.items() if r[1]}
    verdicts, shown = [], []
    for name, (t, known, level) in read.items():
        if at and known:
            v = divisions.relation(at, t, level)
        else:
            # Not in the table: another place only where both name one of the same level (东莞市 is not 深圳市).
            v = "out" if any(lv and lv == level for lv in here.values()) else None
        verdicts.append(v)
        name = known[0].name if len(known) == 1 else t
        if name not in shown:
            shown.append(name)
    if "in" in verdicts:
        return Assessment(MET, f"所在地{place}")
    if verdicts and all(v == "out" for v in verdicts):
        return Assessment(NOT_MET, f"所在地{place}不在{'、'.join(shown)}")
    return Assessment(UNKNOWN, f"所在地{place}是否在{'、'.join(shown)}未知")


def _own_place(condition: str, jurisdiction: str) -> dict[str, int]:
    """The issuer's place a condition's 本省/我省 or 本市/我市 refers to, at that level: a city's notice relaying a
    province's call writes 在我省注册 (无锡市关于组织申报…省碳达峰碳中和科技创新专项资金项目的通知), meaning its province;
    a district's 本市 is its city. The issuer's own place otherwise."""
    own = places(jurisdiction)
    at = divisions.chain(jurisdiction) if own else None
    if at:
        if re.search(r"[本我]省", condition) and at[0].level == divisions.PROVINCE and len(at) > 1:
            return {at[0].name: 1}
        if re.search(r"[本我]市", condition) and len(at) > 2:
            return {at[1].name: 2}
    return own


def _known_tail(name: str, level: int) -> str:
    """The longest end of a place read with the words before it that the division table knows (所在地位于深圳 → 深圳;
    see _same_place); the name itself when none is."""
    return next((name[i:] for i in range(len(name) - 1) if divisions.lookup(name[i:], level)), name)


# A qualification a call prefers is no requirement (corpus-dc's 江苏 2022 call: 优先支持…高新技术企业…申报的项目).
_PREFERENCE = re.compile(r"优先")
# Grades of a title (国家级绿色工厂, 省级专精特新): a condition asking one grade is not met by another.
_GRADES = ("国家级", "省级", "市级", "区级", "县级")
# A qualification word naming a kind of project, not a title held (117 对清洁生产示范项目).
_AS_PROJECT = re.compile(r"(?:示范)?项目")


def qualifications_in(condition: str) -> list[str]:
    """The qualifications a condition asks for (not a kind of project: 清洁生产示范项目)."""
    out = []
    for q in QUALIFICATIONS:
        at = [m.end() for m in re.finditer(re.escape(q), condition)]
        if any(not _AS_PROJECT.match(condition, end) for end in at):
            out.append(q)
    return out


def _grade_before(text: str, q: str) -> str:
    i = text.find(q)
    return next((g for g in _GRADES if i >= len(g) and text[i - len(g):i] == g), "")


def _held(q: str, condition: str, profile: Profile) -> bool:
    """Whether the profile holds the qualification a condition asks for, however the profile spells it (国家级绿色工厂
    holds 绿色工厂; 343 asks 国家级绿色工厂), and at the grade asked where both say one."""
    want = _grade_before(condition, q)
    for held in profile.qualifications:
        if q in held:
            have = _grade_before(held, q)
            if not (want and have and want != have):
                return True
    return False


def assess(condition: str, profile: Profile, jurisdiction: str = "") -> Assessment:
    """One condition against the profile. `jurisdiction`: the place of the issuing document (its title)."""
    quals = qualifications_in(condition)
    if quals:
        held = [q for q in quals if _held(q, condition, profile)]
        if held:
            return Assessment(MET, f"具备{'、'.join(held)}")
        if profile.qualifications and not _PREFERENCE.search(condition):
            return Assessment(NOT_MET, f"条件要求{'、'.join(quals)}，所填资质中没有")
        return Assessment(UNKNOWN, f"需{'、'.join(quals)}，未填写资质")
    sizes = [w for w in _SIZE_WORDS if w in condition]
    if sizes and profile.size:
        ok = any(profile.size in _SIZE_WORDS[w] for w in sizes)
        return Assessment(MET if ok else NOT_MET, f"规模：{profile.size}企业")
    if PLACE_CUE.search(condition) and profile.place:
        verdict = _place_verdict(condition, profile.place, jurisdiction)
        if verdict is not None:
            return verdict
    by_project = project_verdict(condition, profile.project)  # what the planned project says of itself
    if by_project is not None:
        return Assessment(*by_project)
    return Assessment(UNKNOWN)


def _clauses(text: str) -> list[str]:
    """A condition's clauses (cut at ，； outside brackets); a clause opening with 或 stays with the one it is an
    alternative to (309 获得国家或深圳市高新技术企业认证，或拥有自主知识产权)."""
    pieces, _ = cut_outside_brackets(text, "，；,;", "（(", "）)")
    out: list[str] = []
    for piece in pieces:
        if out and re.match(r"\s*或", piece):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def assess_parts(condition: str, profile: Profile, jurisdiction: str = "") -> list[tuple[str, Assessment]]:
    """A condition marked clause by clause where its clauses differ: 117's 具有健全的财务管理机构…，依法经营、纳税…，实施的
    节能项目应在本行政区域内实施 was marked met as a whole from its place clause, while the profile tells nothing of
    the finance clauses. The clauses the profile decides are marked each; the others stay together, unknown."""
    parts = _clauses(condition)
    each = [(p, assess(p, profile, jurisdiction)) for p in parts]
    if len(parts) < 2 or len({a.status for _, a in each}) == 1:
        return [(condition, assess(condition, profile, jurisdiction))]
    out: list[tuple[str, Assessment]] = []
    for text, a in each:
        if a.status == UNKNOWN and out and out[-1][1].status == UNKNOWN:
            out[-1] = (out[-1][0] + text, out[-1][1])
        else:
            out.append((text, a))
    return [(t.strip().rstrip("，；,;"), a) for t, a in out]


def window_status(window: dict | None, today: date | None) -> str:
    """open / expired / not_yet / unknown from the window's ISO dates."""
    if not window or today is None:
        return "unknown"
    end, start = window.get("end_iso"), window.get("start_iso")
    if end and today.isoformat() > end[:10]:
        return "expired"
    if start and today.isoformat() < start[:10]:
        return "not_yet"
    return "open" if (start or end) else "unknown"


def _bigrams(text: str) -> set[str]:
    return cjk_pairs(text, across_gaps=True)


_NUMBERED = re.compile(r"\s*(?:\d+\s*[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")


def heading_of(quote: str, unit_text: str) -> str:
    """The numbered heading an item's sentence stands under inside its unit, when the sentence right before it is one
    (309: `1.产业链关键环节提升项目。` before `事后资助，按不超过…30%给予资助`); "" otherwise."""
    i = unit_text.find(quote) if quote else -1
    if i <= 0:
        return ""
    before = [p for p in re.split(r"(?<=[。；\n])", unit_text[:i]) if p.strip()]
    last = before[-1].strip() if before else ""
    return last if len(last) <= MAX_HEADING and _NUMBERED.match(last) else ""


# A heading is a short line: 309's are 10-12 characters, 成都's numbered measures open with 15-40-character sentences
# that are already part of the first item's quote.
MAX_HEADING = 30


def item_text(item: dict, unit_text: str = "") -> str:
    """What an item itself says: its sentence, the applicants and conditions read from its own unit (not those a
    notice states once for all), and its heading."""
    own = [c["text"] for c in item.get("applicants", []) + item.get("conditions", []) if not c.get("document_wide")]
    return item.get("quote", "") + "".join(own) + heading_of(item.get("quote", ""), unit_text)


def relevance(item: dict, profile: Profile, unit_text: str = "") -> float:
    """Share of the planned project's character pairs (the industry's, when no project is named) found in what the
    item itself says (`item_text`). The rest of its unit is left out: a unit holds several items (成都 8. grants
    photovoltaics, hydrogen and hydrogen stations), and its words made every item of it fit each one's project."""
    want = _bigrams(profile.project) or _bigrams(profile.industry)
    if not want:
        return 0.0
    return len(want & _bigrams(item_text(item, unit_text))) / len(want)


def amount_of(item: dict) -> float | None:
    """What an item is worth at most, in 万元, where it can be read (its cap, else its amount)."""
    for key in ("cap", "amount"):
        v = (item.get(key) or {}).get("wan")
        if v is not None:
            return float(v)
    return None


def match(item: dict, profile: Profile, jurisdiction: str = "", unit_text: str = "") -> Match:
    texts = [c["text"] for c in item.get("conditions", [])] + [a["text"] for a in item.get("applicants", [])]
    conditions = [part for t in dict.fromkeys(texts) for part in assess_parts(t, profile, jurisdiction)]
    own = {c["text"] for c in item.get("conditions", []) + item.get("applicants", []) if not c.get("document_wide")}
    held = any(a.status == MET and any(t in o for o in own) and qualifications_in(t) for t, a in conditions)
    return Match(item=item, conditions=conditions, window=window_status(item.get("window"), profile.today),
                 relevance=relevance(item, profile, unit_text), amount_wan=amount_of(item),
                 asked=bool(_bigrams(profile.project) or _bigrams(profile.industry)), rewards_held=held)


def ranked(matches: list[Match], by: str = "relevance") -> list[Match]:
    """Sorted for the page: by relevance (then amount), amount (largest first) or deadline (soonest open first).
    In every order an item whose window has closed comes after those that can still be applied for (a finance
    manager plans with what is open; the closed ones stay listed, marked 已截止)."""
    def closed(m: Match) -> bool:
        return m.window == "expired"

    if by == "amount":
        return sorted(matches, key=lambda m: (m.blocked, closed(m), -(m.amount_wan or 0.0)))
    if by == "deadline":
        order = {"open": 0, "not_yet": 1, "unknown": 2, "expired": 3}
        return sorted(matches, key=lambda m: (order[m.window], (m.item.get("window") or {}).get("end_iso") or "9999"))
    return sorted(matches, key=lambda m: (m.blocked, closed(m), -m.relevance, -(m.amount_wan or 0.0)))


# The fit (`relevance`) from which the page presents an item as one for the planned project: chosen on the blind
# profile gold (eval/testsets/support_profiles.jsonl, 12 profiles on 4 documents) by leave-one-document-out, the F1
# of applicable items presented, the middle of the best plateau (0.161-0.214 in the four folds, 0.214 on all four
# documents; `python -m eval.support_profiles --cv`). Leaving one document out: recall 0.812, precision 0.812.
FIT = 0.21


def presented(m: Match, fit: float | None = None) -> bool:
    """Whether the 企业 page presents an item as one the enterprise may apply for (可申请): no condition marked not met,
    and, when the profile names a project or an industry, the item fits it (`relevance` at least FIT) or rewards a
    qualification the profile holds (343 对国家级绿色工厂…给予奖励 for a 国家级绿色工厂). The page lists the others after,
    as 其他条目."""
    if m.blocked:
        return False
    return not m.asked or m.rewards_held or m.relevance >= (FIT if fit is None else fit)
