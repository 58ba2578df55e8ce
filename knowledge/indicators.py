"""One indicator across documents: target indicators (Target.indicator, as the sentence words it) mapped to
canonical names, so that 非化石能源消费占比 (连云港), 非化石能源占一次能源消费比重 (国家) and 全市非化石能源消费比重
(陇南) are compared side by side (`python app.py targets --compare 非化石能源消费比重`).

Pure functions, no I/O. Each rule names where its wording was seen: `seen` lists (file of ../shared/corpus or
../shared/corpus-dc, indicator as the current parser extracts it). The list was built by counting the target
indicators of every file of corpus-dc (`python app.py inspect FILE --json`, 4,620 targets in 172 files) and
keeping the indicators that at least three documents set; the issue's six come first.

Provenance: every citation is a dev document of corpus-dc or the bundled corpus, never a document of the blind test
split (tests/test_indicators.py checks it). The first list cited test documents 2, 149, 210 and 213; their wordings
were re-cited from dev documents that write the same (`python app.py inspect` over the 242 dev PDFs), and the
alternatives no dev document writes were removed: 新能源汽车…销量占 (210's wording alone), 生活垃圾…利用比例 (2's)
and 绿色出行比重/分担率. A citation marked `text` is a wording of the document's text from which the parser takes no
target (a past figure, 提高… without one). Not attested on dev either, kept as the usual spellings of a share or
of GDP, no document cited: 比例 in the two 装机占比 rules, 比重 in 装配式建筑占比, 每万元 and 国民 in _PER_GDP, 碳排放
after _PER_GDP. One rule rests on fewer than three dev documents: 可再生能源电力消纳比重 (566, 571).

A rule matches the indicator text (never the whole sentence: a sentence often carries several targets);
`units` restricts the unit of measure (a share is in %, a capacity in 万千瓦), `exclude` keeps a narrower or
different indicator out (工业增加值能耗 is not 单位GDP能耗; 装机 is not 消费). When several rules match, the one
matching earliest in the indicator wins (a `分别` list: its first indicator carries the first value).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

PERCENT = ("%", "个百分点", "百分点")
CAPACITY = ("万千瓦", "千瓦", "亿千瓦")
AREA = ("万平方米", "亿平方米", "平方米")

# 单位GDP / 单位国内生产总值 / 单位地区生产总值 / 万元GDP / 万元地区生产总值 / 单位生产总值（GDP）
_PER_GDP = r"(?:单位|万元|每万元)(?:国内|地区|国民)?(?:生产总值|GDP)(?:（GDP）)?"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    units: tuple[str, ...] | None = None  # None: any unit
    exclude: re.Pattern | None = None
    seen: tuple[tuple[str, str], ...] = ()  # (file, indicator as extracted) where this wording occurs


def _r(name: str, pattern: str, units=None, exclude: str | None = None, seen=()) -> Rule:
    return Rule(name, re.compile(pattern), units, re.compile(exclude) if exclude else None, tuple(seen))


RULES: tuple[Rule, ...] = (
    _r("非化石能源消费比重", r"非化石能源(?:消费)?(?:占比|比重|占.{0,6}能源消费|消费占比|消费比重|占一次能源)",
       PERCENT, r"装机|发电",
       [("corpus/连云港…（征求意见稿）.txt", "非化石能源消费占比"),
        ("corpus-dc/297、内蒙古自治区关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的实施意见", "非化石能源消费比重"),
        ("corpus-dc/38、中国应对气候变化的政策与行动", "非化石能源占一次能源消费比重将"),
        ("corpus-dc/311、甘肃省“十四五”节能减排综合工作方案", "非化石能源占能源消费总量比重"),
        ("corpus-dc/113、武汉市推动降碳及发展低碳产业工作方案", "非化石能源占比")]),
    _r("单位GDP能耗下降", rf"{_PER_GDP}(?:综合)?能(?:耗|源消耗)|能耗强度", PERCENT,
       r"工业增加值|产值|建筑|人均|铁路|营运|车|船|港口|变化",
       [("corpus-dc/1、关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见", "单位国内生产总值能耗"),
        ("corpus-dc/107、甘肃省关于加快建立健全绿色低碳循环发展经济体系实施方案", "单位地区生产总值能耗"),
        ("corpus-dc/242、邯郸市人民政府关于加快建立健全绿色低碳循环发展经济体系的实施意见", "单位GDP能耗"),
        ("corpus-dc/235、广西壮族自治区关于加快建立健全绿色低碳循环发展经济体系的实施意见", "全区万元地区生产总值能耗"),
        ("corpus-dc/106、陕西省加快建立健全绿色低碳循环发展经济体系若干措施", "全省能耗强度")]),
    _r("单位GDP二氧化碳排放下降", rf"{_PER_GDP}(?:二氧化碳|碳)排放|(?:二氧化碳|碳)排放强度", PERCENT,
       r"周转量|吨钢|产值|工业增加值|建筑|交通|营运|变化",
       [("corpus-dc/1、关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见", "单位国内生产总值二氧化碳排放"),
        ("corpus-dc/242、邯郸市人民政府关于加快建立健全绿色低碳循环发展经济体系的实施意见", "单位GDP二氧化碳排放"),
        ("corpus-dc/298、吉林省关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的实施意见", "单位地区生产总值二氧化碳排放"),
        ("corpus-dc/106、陕西省加快建立健全绿色低碳循环发展经济体系若干措施", "二氧化碳排放强度")]),
    _r("可再生能源装机", r"可再生能源(?:发电)?(?:总)?装机", CAPACITY, None,
       [("corpus/连云港…（征求意见稿）.txt", "全市可再生能源发电装机"),
        ("corpus-dc/347、山东省绿色低碳转型2022年行动计划", "可再生能源发电装机"),
        ("corpus-dc/565、广西可再生能源发展“十四五”规划", "全区力争新增可再生能源装机"),
        ("corpus-dc/451、德州市“十四五”生态环境保护规划", "新能源和可再生能源发电总装机")]),  # text (2020 figure), also 427
    _r("可再生能源装机占比", r"可再生能源(?:发电)?装机(?:容量)?(?:占比|比重|比例)", PERCENT, None,
       [("corpus-dc/11、关于推进中央企业高质量发展做好碳达峰碳中和工作的指导意见", "可再生能源发电装机比重"),
        ("corpus-dc/574、内蒙古自治区“十四五”电力发展规划", "可再生能源发电装机占比"),  # text (2015-2020 figures)
        ("corpus-dc/565、广西可再生能源发展“十四五”规划", "可再生能源装机比重")]),  # text (a 2020 figure)
    _r("非化石能源装机占比", r"非化石能源(?:发电)?装机(?:容量)?(?:占比|比重|比例)?", PERCENT, r"消费",
       [("corpus-dc/106、陕西省加快建立健全绿色低碳循环发展经济体系若干措施", "非化石能源装机占比"),
        ("corpus-dc/386、云南省加快建立健全绿色低碳循环发展经济体系的实施意见", "非化石能源发电装机容量占比"),
        ("corpus-dc/353、天水市关于加快建立健全绿色低碳循环发展经济体系实施方案", "非化石能源装机")]),
    _r("城镇新建建筑绿色建筑占比", r"绿色建筑(?:面积)?(?:占|比重|比例|占比)|新建.{0,6}绿色建筑(?:比例|比重|占比)|"
       r"新建建筑.{0,6}执行绿色建筑标准|新建建筑.{0,4}达到绿色建筑标准", PERCENT, r"星|标识",
       [("corpus-dc/214、天津市“十四五”…", "城镇新建建筑中绿色建筑面积占比"),
        ("corpus-dc/125、巴中市“十四五”生态环境保护规划", "城镇新建绿色建筑比例"),
        ("corpus-dc/107、甘肃省关于加快建立健全绿色低碳循环发展经济体系实施方案", "城镇绿色建筑占新建建筑比重"),
        ("corpus-dc/338、山东省“十四五”绿色建筑与建筑节能发展规划", "绿色建筑占城镇新建民用建筑比例")]),
    _r("新能源汽车占比", r"新能源汽车.{0,12}(?:占比|比例|比重|渗透率|销售量的)", PERCENT, None,
       [("corpus/连云港…（征求意见稿）.txt", "新能源汽车在年度新增及更新车辆中占比"),
        ("corpus-dc/567、广东省应对气候变化“十四五”专项规划", "新能源汽车在新车销量中占比"),
        ("corpus-dc/214、天津市“十四五”…", "新能源汽车新车销售量占比"),
        ("corpus-dc/247、减污降碳协同增效实施方案", "大气污染防治重点区域新能源汽车新车销售量达到汽车新车销售量的"),
        ("corpus-dc/425、内江市“十四五”生态环境保护规划", "新能源汽车比重"),  # text (提高…, no figure)
        ("corpus-dc/482、重庆市…深入推进制造业高质量绿色发展行动计划（2022—2025年）", "新能源汽车市场渗透率")]),  # text
    _r("森林覆盖率", r"森林覆盖率", PERCENT, None,
       [("corpus-dc/1、关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见", "森林覆盖率"),
        ("corpus-dc/321、河北省关于推动城乡建设绿色发展的实施意见", "全省森林覆盖率要"),
        ("corpus-dc/166、龙岩市全国林业改革发展综合试点实施方案", "全市森林覆盖率稳定在")]),
    _r("森林蓄积量", r"森林蓄积量", None, None,
       [("corpus-dc/1、关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见", "森林蓄积量")]),
    _r("单位GDP用水量下降", rf"{_PER_GDP}用水量", PERCENT, None,
       [("corpus-dc/302、国家适应气候变化战略2035", "万元国内生产总值用水量"),
        ("corpus-dc/239、江苏省关于加快建立健全绿色低碳循环发展经济体系的实施意见", "万元地区生产总值用水量"),
        ("corpus-dc/427、广元市“十四五”生态环境保护规划", "万元地区生产总值用水量"),
        ("corpus-dc/42、“十四五”循环经济发展规划", "单位GDP用水量")]),  # text (a 十三五 figure)
    _r("单位工业增加值能耗下降", r"(?:单位|万元)(?:规模以上)?工业增加值能耗|规模以上工业单位增加值能耗", PERCENT, None,
       [("corpus-dc/214、天津市“十四五”…", "规模以上工业单位增加值能耗"),
        ("corpus-dc/235、广西壮族自治区…", "全区万元工业增加值能耗"),
        ("corpus-dc/417、郑州市“十四五”生态环境保护规划", "万元工业增加值能耗年均")]),
    _r("单位工业增加值用水量下降", r"(?:单位|万元)工业增加值用水量", PERCENT, None,
       [("corpus-dc/214、天津市“十四五”…", "万元工业增加值用水量"),
        ("corpus-dc/326、湖南省制造业绿色低碳转型行动方案", "单位工业增加值用水量")]),
    _r("空气质量优良天数比率", r"优良天数(?:比例|比率)", PERCENT, None,
       [("corpus-dc/219、天津市加快建立健全绿色低碳循环发展经济体系的实施方案", "空气优良天数比例"),
        ("corpus-dc/239、江苏省关于加快建立健全绿色低碳循环发展经济体系的实施意见", "优良天数比率"),
        ("corpus-dc/425、内江市“十四五”生态环境保护规划", "空气质量优良天数比率")]),
    _r("秸秆综合利用率", r"秸[秆杆]综合利用率", PERCENT, None,
       [("corpus-dc/107、甘肃省…实施方案", "农作物秸秆综合利用率"),
        ("corpus-dc/125、巴中市“十四五”生态环境保护规划", "全市秸秆综合利用率"),
        ("corpus-dc/235、广西壮族自治区…", "农作物秸杆综合利用率")]),
    _r("畜禽粪污综合利用率", r"(?:畜禽)?粪污(?:资源化)?综合利用率", PERCENT, None,
       [("corpus-dc/107、甘肃省…实施方案", "畜禽粪污资源化综合利用率"),
        ("corpus-dc/214、天津市“十四五”…", "畜禽粪污综合利用率"),
        ("corpus-dc/417、郑州市“十四五”生态环境保护规划", "全市畜禽粪污综合利用率")]),
    _r("工业固废综合利用率", r"(?:大宗|工业)(?:工业)?固(?:体)?废(?:物)?综合利用率", PERCENT, None,
       [("corpus-dc/85、宁夏回族自治区关于加快建立健全绿色低碳循环发展经济体系的实施意见", "一般工业固废综合利用率"),
        ("corpus-dc/326、湖南省制造业绿色低碳转型行动方案", "大宗工业固废综合利用率"),
        ("corpus-dc/247、减污降碳协同增效实施方案", "新增大宗固废综合利用率")]),
    _r("建筑垃圾资源化利用率", r"建筑垃圾(?:资源化|综合)利用率", PERCENT, None,
       [("corpus/连云港…（征求意见稿）.txt", "建筑垃圾资源化利用率"),
        ("corpus-dc/106、陕西省…若干措施", "全省新增建筑垃圾综合利用率"),
        ("corpus-dc/417、郑州市“十四五”生态环境保护规划", "全市建筑垃圾综合利用率")]),
    _r("生活垃圾回收利用率", r"生活垃圾(?:回收|资源化)利用率", PERCENT, None,
       [("corpus-dc/106、陕西省…若干措施", "全省城市生活垃圾回收利用率"),
        ("corpus-dc/235、广西壮族自治区…", "城市生活垃圾资源化利用率"),
        ("corpus-dc/239、江苏省关于加快建立健全绿色低碳循环发展经济体系的实施意见", "城市生活垃圾资源化利用率")]),
    _r("生活垃圾无害化处理率", r"生活垃圾无害化处理率", PERCENT, None,
       [("corpus-dc/107、甘肃省…实施方案", "城市生活垃圾无害化处理率"),
        ("corpus-dc/125、巴中市“十四五”生态环境保护规划", "城镇生活垃圾无害化处理率")]),
    _r("生活垃圾焚烧处理能力占比", r"垃圾焚烧处理(?:能力|率)", PERCENT, None,
       [("corpus-dc/235、广西壮族自治区…", "全区城市生活垃圾焚烧处理能力占比"),
        ("corpus-dc/386、云南省…实施意见", "城市生活垃圾焚烧处理率")]),
    _r("城市生活污水集中收集率", r"生活污水(?:集中)?收集率", PERCENT, None,
       [("corpus-dc/106、陕西省…若干措施", "城市生活污水收集率"),
        ("corpus-dc/239、江苏省…实施意见", "城市生活污水集中收集率")]),
    _r("污水处理率", r"(?<!农村)(?<!农村生活)污水(?:集中)?(?:收集)?处理率", PERCENT, r"农村|行政村",
       [("corpus-dc/107、甘肃省…实施方案", "城市污水处理率"),
        ("corpus-dc/235、广西壮族自治区…", "全区城镇生活污水处理率")]),
    _r("农村生活污水治理率", r"农村(?:牧区)?(?:生活)?污水(?:治理|处理)|行政村.{0,4}生活污水.{0,4}治理", PERCENT, None,
       [("corpus/连云港…（征求意见稿）.txt", "农村生活污水治理（管控）率"),
        ("corpus-dc/214、天津市“十四五”…", "农村生活污水治理率"),
        ("corpus-dc/390、“十四五”土壤、地下水和农村生态环境保护规划", "全国农村生活污水治理率")]),
    _r("装配式建筑占比", r"装配式建筑.{0,12}(?:比例|比重|占比|面积比)", PERCENT, None,
       [("corpus-dc/171、“十四五”建筑节能与绿色建筑发展规划", "装配式建筑占当年城镇新建建筑的比例"),
        ("corpus-dc/135、江苏省关于推进碳达峰目标下绿色城乡建设的指导意见", "装配式建筑占同期新开工建筑面积比")]),
    _r("绿色出行比例", r"绿色出行比例", PERCENT, None,
       [("corpus-dc/113、武汉市推动降碳及发展低碳产业工作方案", "绿色出行比例"),
        ("corpus-dc/239、江苏省关于加快建立健全绿色低碳循环发展经济体系的实施意见", "城区常住人口100万以上城市绿色出行比例")]),
    _r("煤炭消费比重", r"煤炭消费(?:占比|比重|占.{0,6}比重)", PERCENT, None,
       [("corpus-dc/297、内蒙古自治区…", "煤炭消费比重下"),
        ("corpus-dc/249、深入开展公共机构绿色低碳引领行动促进碳达峰实施方案", "实现煤炭消费占比下")]),
    _r("可再生能源电力消纳比重", r"可再生能源电力消纳(?:比重|量占)", PERCENT, None,
       [("corpus-dc/571、内蒙古自治区“十四五”能源技术创新发展规划", "可再生能源电力消纳比重"),  # text (提高…, no figure)
        ("corpus-dc/566、天津市可再生能源发展“十四五”规划", "可再生能源电力消纳量占全社会用电量的比重")]),
    _r("建筑可再生能源替代率", r"可再生能源替代.{0,12}(?:建筑|常规)|建筑可再生能源替代率|建筑.{0,4}可再生能源替代", PERCENT,
       None,
       [("corpus/连云港…（征求意见稿）.txt", "城镇可再生能源替代建筑和常规能源应用比例"),
        ("corpus-dc/171、“十四五”建筑节能与绿色建筑发展规划", "城镇建筑可再生能源替代率"),
        ("corpus-dc/135、江苏省关于推进碳达峰目标下绿色城乡建设的指导意见", "可再生能源替代常规建筑能源比例")]),
    _r("超低能耗建筑面积", r"(?:超低|近零)能耗.{0,10}建筑", AREA, None,
       [("corpus-dc/338、山东省“十四五”绿色建筑与建筑节能发展规划", "新建超低能耗建筑面积"),
        ("corpus-dc/321、河北省关于推动城乡建设绿色发展的实施意见", "累计建设近零能耗建筑")]),
)

NAMES: tuple[str, ...] = tuple(r.name for r in RULES)


def _unit_ok(rule: Rule, unit: str) -> bool:
    return rule.units is None or not unit or unit in rule.units or unit.split("/")[0] in rule.units


def _match(subject: str, unit: str) -> str | None:
    best: tuple[int, int, str] | None = None
    for order, rule in enumerate(RULES):
        m = rule.pattern.search(subject)
        if not m or not _unit_ok(rule, unit):
            continue
        if rule.exclude and rule.exclude.search(subject):
            continue
        key = (m.start(), order, rule.name)
        if best is None or key < best:
            best = key
    return best[2] if best else None


_OWN_SUBJECT = re.compile(r"(?:水平|率|比重|比例|占比|总量|面积|强度|能耗|排放量?)$")


@lru_cache(maxsize=65536)
def normalise(indicator: str, text: str = "", unit: str = "") -> str | None:
    """The canonical name of a target's indicator, or None when no rule covers it. `text` (the sentence) is
    only consulted when the indicator is empty.

    An indicator `X…Y` has its figure where the `…` is (城镇新建建筑…执行绿色建筑标准 = 城镇新建建筑100%执行…):
    X is tried first; Y only when X names nothing and Y is not a second subject with its own figure
    (氨氮…和二氧化碳排放强度下降15% — the figure is 氨氮's, not the CO2 intensity's)."""
    subject = indicator or text
    if "…" not in subject:
        return _match(subject, unit)
    before, after = subject.split("…", 1)
    found = _match(before, unit)
    if found or re.match(r"[和、及与，,]", after) or re.search(r"\d%|\d+(?:\.\d+)?%", after):
        return found
    if _OWN_SUBJECT.search(before):  # 城镇新建公共建筑能效水平…（提升20%）: the figure measures what precedes it
        return None
    return _match(subject, unit)


def resolve(name: str) -> str | None:
    """A user's indicator (a canonical name, or any wording a rule matches: 非化石能源占比) → canonical name."""
    key = re.sub(r"\s+", "", name or "")
    if not key:
        return None
    if key in NAMES:
        return key
    found = normalise(key)
    if found:
        return found
    partial = [n for n in NAMES if key in n]
    return partial[0] if len(partial) == 1 else None


def number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def unit_label(kind: str, label: str, head: str, no: int) -> str:
    """How a unit is cited: the parser's label, else the numbering its text starts with, else 第N段."""
    if label:
        return label
    from knowledge.diff import leading_marker

    marker = leading_marker(head)
    if marker:
        return marker
    return "前言" if kind == "preamble" else f"第{no}段" if no else ""


def target_records(rows, heads: dict) -> list[dict]:
    """TargetRows of the store → SPEC `targets --json` objects, with `indicator_norm` and `number`."""
    out = []
    for r in rows:
        kind, label, head = heads.get((r.doc_id, r.seq), ("", "", ""))
        out.append({
            "doc_id": r.doc_id, "doc_title": r.doc_title, "label": unit_label(kind, label, head, r.measure_no),
            "measure_title": r.measure_title, "year": r.year, "indicator": r.indicator,
            "indicator_norm": normalise(r.indicator, "" if r.indicator else r.text, r.unit),
            "comparator": r.comparator, "value": r.value, "unit": r.unit, "number": number(r.value), "quote": r.text, "page": r.page,
            "bureaus": list(r.bureaus),
        })
    return out


def year_context(unit_text: str, sentence: str, year: int | None) -> str:
    """The target's sentence, extended back to the clause that states its year when the sentence itself does
    not (到2025年，…：非化石能源消费比重达到20%左右；): an exact substring of the unit, so it can be cited."""
    at = unit_text.find(sentence)
    if at < 0 or year is None or str(year) in sentence:
        return sentence
    start = unit_text.rfind(f"{year}年", max(0, at - 300), at)
    if start < 0:
        return sentence
    head = max(unit_text.rfind(p, 0, start) for p in "。；，\n")
    return unit_text[head + 1 if head >= 0 else start: at + len(sentence)].lstrip()


def fact_records(facts: list[dict], indicator: str) -> list[dict]:
    """Rows of KnowledgeStore.target_facts → SPEC `targets --json` objects of one canonical indicator."""
    out = []
    for f in facts:
        norm = normalise(f["indicator"], "" if f["indicator"] else f["text"], f["unit"])
        if norm != indicator:
            continue
        out.append({
            "doc_id": f["doc_id"], "doc_title": f["dtitle"], "seq": f["seq"],
            "label": unit_label(f["kind"], f.get("label") or "", f["head"], f["no"]),
            "measure_title": f["mtitle"], "year": f["year"], "indicator": f["indicator"], "indicator_norm": norm,
            "comparator": f["comparator"], "value": f["value"], "unit": f["unit"], "number": number(f["value"]),
            "quote": f["text"], "page": f["page"],
        })
    return out


def compare(records: list[dict], indicator: str, year: int | None = None) -> list[dict]:
    """The records of one indicator (canonical name or any wording of it), one document after another, each
    document's targets by year."""
    name = resolve(indicator)
    if name is None:
        return []
    rows = [r for r in records if r["indicator_norm"] == name and (year is None or r["year"] == year)]
    return sorted(rows, key=lambda r: (r["doc_title"], r["doc_id"], r["year"] or 0))


__all__ = ["RULES", "NAMES", "normalise", "resolve", "number", "target_records", "compare", "unit_label",
           "fact_records", "year_context"]
