"""A condition of a support item against the project an enterprise plans (the profile's `project`, issue #12: "the
project they plan (e.g. 电机能效改造, 屋顶光伏)"): the conditions that describe the project itself — what it builds,
how large it is, when it is built — are decided by what the profile says of it. Pure functions on strings.

The profile gold (eval/testsets/support_profiles.jsonl, written blind) marks such conditions met from the project
the profile describes, where the page marked them unknown (support25, `python -m eval.support_profiles`): 117's
利用自有厂房建设分布式光伏发电（500千瓦或8000平米以上）且自发自用 for a project 利用自有厂房屋顶建设1.2兆瓦分布式光伏，自发自用,
309's 项目应为2020年1月1日后开始建设，并于2022年5月31日前建设完成 for 2021年开工、2022年4月建成, 309's 高端展会应为2021年
1月1日以后的项目 for a forum held in 2022. Three tests, each general:
- a size the condition sets (N unit 以上 / 不低于 / 不超过 …, alternatives joined by 或) against a size of the same
  dimension the project states (power, area, energy, mass, money; the statutory units' ratios, GB 3100);
- dates the condition bounds the project by (A后开始建设, B前建设完成) against the project's own dates, in order;
- the condition restated by the project: half or more of its character pairs are the project's (the floor the
  profile scorer itself takes for "the same text", eval.support_profiles.COND_SHARE, not tuned).
A size or a date is compared only in a condition about the project: one the project restates, or one naming a
project or a step of building one (项目, 建设, 开工, 投产 …). Nothing is marked not met from words alone: a
project described in other words may still meet the condition."""
from __future__ import annotations

import re

from knowledge.text import cjk_pairs, clause_at
from knowledge.units import SCALES

# Units of the sizes a condition sets, each with its dimension and its factor to the dimension's base unit.
_UNIT_OF = {u: (dim, f) for dim, units in SCALES.items() for u, f in units.items()}
_UNIT_RE = "|".join(sorted(map(re.escape, _UNIT_OF), key=len, reverse=True))
_QUANTITY = re.compile(rf"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>{_UNIT_RE})")
# How a condition bounds a size: after the figure (500千瓦以上, 1000万元及以上) or before it (不低于500万元).
_AT_LEAST_AFTER = re.compile(r"\s*(?:及|或)?(?:以上|之上)")
_AT_MOST_AFTER = re.compile(r"\s*(?:及|或)?(?:以下|之下|以内)")
_AT_LEAST_BEFORE = re.compile(r"(?:不低于|不少于|不小于|达到|超过|大于|高于|≥)\s*$")
_AT_MOST_BEFORE = re.compile(r"(?:不超过|不高于|不大于|低于|少于|小于|≤)\s*$")

# A date: 2020年1月1日, 2022年5月, 2021年 (a year alone, as a profile writes when its project was built).
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?)?")
_AFTER = re.compile(r"\s*(?:以后|之后|后|起|以来)")
_BEFORE = re.compile(r"\s*(?:以前|之前|前)")
# A condition about the project itself or the steps of building or holding it (309 项目应为…后开始建设，并于…前建设
# 完成; 高端展会应为…以后的项目).
_ABOUT_PROJECT = re.compile(r"项目|建设|建成|开工|竣工|投产|投运|并网|实施|举办|完成")
# … and the date bound is a step's (A后开始建设, B前建设完成) or the project's own (应为…以后的项目), not another event's
# (329 若2020年12月31日前已取得第一笔生产经营收入).
_STEP = re.compile(r"建设|建成|开工|竣工|投产|投运|并网|实施|举办|完成|为[^，；。]*项目")
_NUMBERING = re.compile(r"^\s*(?:\d+\s*[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")
# The project restates the condition: the share of its pairs (see the module's docstring).
RESTATED = 0.5


def _restated(condition: str, project: str) -> bool:
    want = cjk_pairs(re.sub(r"的", "", _QUANTITY.sub("", _DATE.sub("", _NUMBERING.sub("", condition)))))
    return bool(want) and len(want & cjk_pairs(re.sub(r"的", "", project))) / len(want) >= RESTATED


def _quantities(text: str) -> list[tuple[str, float, int, int]]:
    return [(_UNIT_OF[m.group("u")][0], float(m.group("n")) * _UNIT_OF[m.group("u")][1], m.start(), m.end())
            for m in _QUANTITY.finditer(text)]


# Dimensions whose figure says what it measures only with the words before it: a sum may be registered capital,
# an investment or a turnover (329 注册资金不低于100万元 is no project's 总投资800万元), a mass may be a product's or an
# emission's. A size of these is compared only when the thing measured shares a character pair.
_NAMED_BY_THING = {"money", "mass"}


def _thing(text: str, start: int) -> set[str]:
    """The character pairs of the words right before a figure (its comparator left out): what it measures."""
    before = re.sub(rf"{_AT_LEAST_BEFORE.pattern}|{_AT_MOST_BEFORE.pattern}", "", text[:start])
    run = re.findall(r"[\u4e00-\u9fff]+", before)
    return cjk_pairs(run[-1][-6:]) if run else set()


Bound = tuple[str, float, str, set[str]]  # dimension, value in its base unit, 'min' | 'max', what it measures


def _bounds(condition: str) -> list[list[Bound]]:
    """The sizes a condition bounds, as groups: alternatives joined by 或 before one bound share it and make one group
    (500千瓦或8000平米以上: either will do); separate bounds are separate groups (all must hold)."""
    out: list[list[Bound]] = []
    pending: list[tuple[str, float, set[str]]] = []
    for dim, v, s, e in _quantities(condition):
        pending.append((dim, v, _thing(condition, s)))
        side = "min" if _AT_LEAST_AFTER.match(condition, e) or _AT_LEAST_BEFORE.search(condition[:s]) else \
            "max" if _AT_MOST_AFTER.match(condition, e) or _AT_MOST_BEFORE.search(condition[:s]) else None
        if side is None and condition[e:e + 1] == "或":
            continue
        if side is not None:
            out.append([(d, x, side, t) for d, x, t in pending])
        pending = []
    return out


def _size_verdict(condition: str, project: str) -> str | None:
    """met when every group of bounds has an alternative the project's size meets; not met when some group's
    alternatives are all stated by the project and all missed; None otherwise."""
    have = {}
    for dim, v, s, _ in _quantities(project):
        have.setdefault(dim, (v, _thing(project, s)))
    verdicts = []
    for group in _bounds(condition):
        judged = [(v >= x) if side == "min" else (v <= x) for dim, x, side, thing in group
                  for v, own in [have.get(dim, (None, set()))]
                  if v is not None and (dim not in _NAMED_BY_THING or thing & own)]
        verdicts.append("met" if any(judged) else "not_met" if judged and len(judged) == len(group) else None)
    if "not_met" in verdicts:
        return "not_met"
    return "met" if verdicts and all(v == "met" for v in verdicts) else None


def _clause(text: str, at: int) -> str:
    return clause_at(text, at, "，；。,;", "，；。,;")


def _day(m: re.Match, last: bool) -> tuple[int, int, int]:
    """A date as (y, m, d); a year or a month alone is its first day, or its last with `last`."""
    y = int(m.group("y"))
    mo = int(m.group("m")) if m.group("m") else (12 if last else 1)
    d = int(m.group("d")) if m.group("d") else (31 if last else 1)
    return y, mo, d


def _date_bounds(condition: str) -> list[tuple[str, tuple[int, int, int]]]:
    """('after' | 'before', (y, m, d)) for each date bounding a step of the project, in order."""
    bounds = []
    condition = re.sub(r"《[^》]*》|[（(][^）)]*[）)]", "", condition)  # titles and editions (2021年版) date no step
    for m in _DATE.finditer(condition):
        if not _STEP.search(_clause(condition, m.start())):
            continue
        if _AFTER.match(condition, m.end()):
            bounds.append(("after", _day(m, False)))
        elif _BEFORE.match(condition, m.end()):
            bounds.append(("before", _day(m, True)))
    return bounds


def _date_verdict(condition: str, project: str) -> str | None:
    bounds = _date_bounds(condition)
    dates = list(_DATE.finditer(project))
    subject = re.split(r"应|须|需|必须", _NUMBERING.sub("", condition), maxsplit=1)[0]
    if not (subject == condition or _restated(subject.replace("项目", ""), project)
            or not cjk_pairs(subject.replace("项目", ""))):
        return None  # the bound is another thing's (309 1.公共服务项目应为… for a production line)
    if not bounds or len(dates) != len(bounds):
        return None
    verdicts = []
    for (side, bound), d in zip(bounds, dates):
        first, last = _day(d, False), _day(d, True)
        if side == "after":
            verdicts.append("met" if first >= bound else "not_met" if last < bound else None)
        else:
            verdicts.append("met" if last <= bound else "not_met" if first > bound else None)
    if "not_met" in verdicts:
        return "not_met"
    return "met" if all(v == "met" for v in verdicts) else None


def _rest(condition: str) -> str:
    """The condition without what bounds a size or a date: bracketed figures (（500千瓦或8000平米以上）) and the
    clauses that carry a bound (项目总投资不低于500万元; 项目应为2020年1月1日后开始建设)."""
    text = re.sub(r"[（(][^）)]*\d[^）)]*[）)]", "", _NUMBERING.sub("", condition))
    clauses = re.split(r"[，；,;。]", text)
    return "".join(c for c in clauses if not (_bounds(c) or _date_bounds(c)))


def project_verdict(condition: str, project: str) -> tuple[str, str] | None:
    """(met | not_met, why) for a condition the planned project decides; None when it tells nothing."""
    if not project.strip():
        return None
    sizes, dates = _bounds(condition), _date_bounds(condition)
    rest = re.sub(r"的|项目", "", _rest(condition))
    rest_said = not cjk_pairs(rest) or _restated(rest, project)  # the rest is nothing, or the project says it
    if sizes or dates:
        if not (rest_said or _ABOUT_PROJECT.search(condition)):
            return None
        v = [test(condition, project) for test, bounds in ((_size_verdict, sizes), (_date_verdict, dates)) if bounds]
        if "not_met" in v:  # a bound missed is not met whatever the rest says
            return "not_met", f"所报项目：{project}"
        # a size or date met says nothing of the rest of a condition the project does not restate (屋顶光伏500千瓦
        # against 利用自有厂房…（500千瓦或8000平米以上）且自发自用)
        if all(x == "met" for x in v) and rest_said:
            return "met", f"所报项目：{project}"
        return None
    if _restated(condition, project):
        return "met", f"所报项目：{project}"
    return None
