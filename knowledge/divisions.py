"""China's administrative divisions (knowledge/data/divisions.tsv, after GB/T 2260): which province a city lies in,
which city a district, the level of a name, and the names a division goes by (深圳 / 深圳市, 广西 / 广西壮族自治区,
凉山 / 凉山州 / 凉山彝族自治州). Read once; pure look-ups.

`chain(text)` reads a place as a user or a document writes it (苏州, 江苏苏州, 广东省深圳市宝安区, 宝安) into the path of
divisions from its province down; `relation(chain, name, level)` says whether that place lies inside a named place
(in), outside it (out) or cannot be told (None: the name is not in the table, or the place is written less precisely
than the name, 江苏省 against 苏州市).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "divisions.tsv"
PROVINCE, PREFECTURE, COUNTY = 1, 2, 3
# The four municipalities: their children are districts and counties, and each is its own city.
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# The 56 nationalities (民族) as division names write them, without 族 (蒙古, 维吾尔, 柯尔克孜 are written without it):
# an autonomous division's name is its place's name, these and 自治州/自治县/自治区 (延边朝鲜族自治州 → 延边, 巴音郭楞蒙古
# 自治州 → 巴音郭楞, 管城回族区 → 管城).
_NATIONS = ("汉|蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|"
            "景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|"
            "裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺")
_ETHNIC = re.compile(rf"^(?P<stem>[\u4e00-\u9fff]{{2,}}?)(?:(?:{_NATIONS})族?)+(?P<kind>自治区|自治州|自治县|自治旗|区)$")
# The level words a division's name ends in (GB/T 2260's names), longest first.
_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|联合旗|省|市|地区|林区|新区|矿区|区|县|盟|旗)$")


@dataclass(frozen=True)
class Division:
    name: str  # as GB/T 2260 writes it: 苏州市
    level: int  # PROVINCE / PREFECTURE / COUNTY
    parent: "Division | None" = None

    @property
    def path(self) -> tuple["Division", ...]:
        """From the province down to this division."""
        return (self.parent.path if self.parent else ()) + (self,)


def aliases(name: str) -> set[str]:
    """The names a division goes by: its full name, its name without the level word (two characters at least: 赵县
    stays 赵县), and for an autonomous prefecture also its stem with 州 (凉山州)."""
    out = {name}
    m = _ETHNIC.match(name)
    if m:
        out.add(m.group("stem"))
        if name.endswith("州"):
            out.add(m.group("stem") + "州")
        return out
    stem = _SUFFIX.sub("", name)
    if len(stem) >= 2:
        out.add(stem)
    return out


_TABLE: list[tuple[list[Division], dict[str, list[Division]]]] = []


def _table() -> tuple[list[Division], dict[str, list[Division]]]:
    if not _TABLE:
        every: list[Division] = []
        by_path: dict[str, Division] = {}
        for line in DATA.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            parent_path, _, children = line.partition("\t")
            names = parent_path.split("/")
            if len(names) == 1:
                parent = Division(names[0], PROVINCE)
                by_path[names[0]] = parent
                every.append(parent)
            else:
                parent = next(c for c in every if c.name == names[1] and c.parent is by_path[names[0]])
            level = COUNTY if (parent.level == PREFECTURE or parent.name in _MUNICIPALITIES) else PREFECTURE
            every += [Division(c.strip(), level, parent) for c in children.split("、") if c.strip()]
        index: dict[str, list[Division]] = {}
        for d in every:
            for a in aliases(d.name):
                index.setdefault(a, []).append(d)
        _TABLE.append((every, index))
    return _TABLE[0]


def lookup(name: str, level: int = 0) -> list[Division]:
    """The divisions a name may be (深圳 → [深圳市]; 鼓楼区 → none listed but 南京's; 朝阳 → 朝阳市 of 辽宁, the
    municipality's 朝阳区 only when written 朝阳区): its full name first, else a bare name at the highest level that has
    it (a bare 海南 is the province, not 青海's 海南藏族自治州); at `level` when given (1 province, 2 city, 3 district)."""
    index = _table()[1]
    found = index.get(name, [])
    if level:
        at = [d for d in found if d.level == level or (level == PREFECTURE and d.name in _MUNICIPALITIES)]
        found = at or [d for d in found if d.name == name]
    exact = [d for d in found if d.name == name]
    if exact:
        return exact
    top = min((d.level for d in found), default=0)
    return [d for d in found if d.level == top]


def level_of(name: str) -> int:
    """1 province, 2 prefecture-level city, 3 district / county; 0 when the table does not know the name."""
    found = lookup(name)
    return found[0].level if len(found) == 1 else 0


def province_of(name: str) -> str:
    """The province a city or district lies in (苏州 → 江苏省, 宝安 → 广东省); "" when unknown or ambiguous."""
    found = lookup(name)
    return found[0].path[0].name if len(found) == 1 else ""


def city_of(name: str) -> str:
    """The prefecture-level city a district or county lies in (宝安区 → 深圳市; 浦东新区 → 上海市); "" otherwise."""
    found = lookup(name)
    if len(found) != 1 or found[0].level != COUNTY:
        return ""
    return found[0].parent.name if found[0].parent else ""


def _names_in(text: str) -> list[str]:
    """The division names a short place text holds, longest match first at each position (江苏苏州 → 江苏, 苏州;
    广东省深圳市宝安区 → 广东省, 深圳市, 宝安区)."""
    index = _table()[1]
    longest = max(map(len, index))
    out, i = [], 0
    while i < len(text):
        for k in range(min(longest, len(text) - i), 1, -1):
            if text[i:i + k] in index:
                out.append(text[i:i + k])
                i += k
                break
        else:
            i += 1
    return out


def names_of_places_in(text: str) -> set[str]:
    """Every name the divisions a text names go by (浙江省林业… → 浙江省, 浙江; 支持三明碳达峰 → 三明, 三明市; 广西可再生
    能源… → 广西, 广西壮族自治区): a title writes a place in one form, a question about it often in another."""
    out: set[str] = set()
    for n in _names_in(re.sub(r"\s+", "", text or "")):
        for d in lookup(n):
            out |= aliases(d.name)
    return out


def chain(text: str) -> tuple[Division, ...] | None:
    """The path from the province down to the most precise division a place text names, each name read in the
    context of the others (南京市鼓楼区: 南京's 鼓楼区); None when it names none the table knows, or several that do
    not nest (苏州 and 杭州), or a name it cannot tell apart without context."""
    names = _names_in(re.sub(r"\s+", "", text or ""))
    if not names:
        return None
    index = _table()[1]
    # Each name as `lookup` prefers it (a bare 海南: the province; 朝阳: 朝阳市); where those do not nest, every division
    # each name may be, read in the context of the others (北京朝阳: the municipality's 朝阳区).
    return _deepest([lookup(n) for n in names]) or _deepest([index[n] for n in names])


def _deepest(cands: list[list[Division]]) -> tuple[Division, ...] | None:
    def fits(d: Division) -> bool:
        return all(any(o in d.path or d in o.path for o in other) for other in cands)

    ok = [d for found in cands for d in found if fits(d)]
    if not ok:
        return None
    depth = max(len(d.path) for d in ok)
    deepest = {d for d in ok if len(d.path) == depth}
    return next(iter(deepest)).path if len(deepest) == 1 else None


def relation(place: tuple[Division, ...], name: str, level: int = 0) -> str | None:
    """Whether a place (a `chain`) lies inside the division a name gives: "in", "out", or None when the table does not
    know the name or the place is written less precisely than it (江苏省 against 苏州市: it may be inside or not)."""
    found = lookup(name, level)
    if not found or not place:
        return None
    if any(d in place for d in found):
        return "in"
    if any(place[-1] in d.path for d in found):
        return None
    return "out"
