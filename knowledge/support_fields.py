"""Reading the figures of a support clause: money (as written → 万元), rates (a share of what, or a per-unit
rate), caps, and application dates (as written → ISO). Pure functions on strings, no I/O.

Vocabulary here comes from the support documents of the development corpus (`../shared/corpus-dc/`: 117 繁昌区节能降碳
若干支持措施, 122 广州市黄埔区促进绿色低碳发展办法, 309 深圳市2023年绿色低碳产业扶持计划申请指南, 583 云南省科技支撑碳达峰碳中和专项
申报通知) and from the wording of the issue (#12) and SPEC ("rate, cap 万元, tiers 国家级/省级/市级").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.support_windows import RANGE_SEP_RE
from knowledge.numerals import cn_to_number
from knowledge.units import MONEY_TO_WAN

# Figures as they appear in amounts (200, 1,000, 0.5; 五十万元, 一百万元, 两年): read by knowledge.numerals.cn_to_number.
NUM = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"

# 万/亿 without 元 only count as money when the list they close ends in 元 (30万、20万、10万元) or a support word
# follows; `(?!…)` keeps 元/度, 元/千瓦时 (per-unit rates) out of plain money.
# A sum per applicant (common: 30万元/家, 每个项目100万元, 10万元/项) is what each applicant gets: an amount, not a rate.
PER_APPLICANT = r"家|个|项"
# A range written with the unit once (common: 给予200-500万元/项的资助, 50至100万元): its lower end (`low`) is read with it.
RANGE_LOW = rf"(?P<low>{NUM})\s*(?:[-—－~～至到])\s*"
MONEY_RE = re.compile(rf"(?:{RANGE_LOW})?(?P<num>{NUM})\s*(?P<unit>亿元|万元|千元|元|亿|万)"
                      rf"(?!\s*[/／每]\s*(?!(?:{PER_APPLICANT})))")
# Cues that make a sum a ceiling rather than the amount (from 117/122/309: 最高不超过, 单个项目补助最高, 补助总额不超过,
# 每家企业最高, 资助金额不超过, 最多, 上限, 封顶).
CAP_CUE_RE = re.compile(r"(最高不超过|最高不得超过|不超过|不得超过|不高于|最高|最多|上限为?|封顶)[^，。；0-9一二三四五六七八九十两]{0,8}$")
# Per-unit rates: 0.05元/度, 500元/吨标准煤, 0.2元/瓦, 200元/千瓦 (122, 117), and 每吨标准煤900元 (117).
# The units a rate is per (117, 122: 度, 千瓦时, 瓦, 千瓦, 吨标准煤, 吨二氧化碳; 成都: 4000元/桩; common: 50万元/家; common: 平方米, 台, 辆, 户;
# common measure words of hydrogen and farm subsidies: 公斤/千克, 亩; not 座: 成都 每座50万元、100万元 are tier sums).
PER_UNITS = (r"桩|吨标准煤|吨二氧化碳|吨二氧化碳当量|千瓦时|兆瓦时|千瓦|兆瓦|瓦|kWh|kW|W|度|吨|平方米|立方米|台|辆|户|人|个|项|套|年"
             r"|公斤|千克|kg|亩")
PER_ANY = rf"{PER_UNITS}|{PER_APPLICANT}"
PER_UNIT_RE = re.compile(rf"(?P<num>{NUM}(?:\s*[-—－~～至]\s*{NUM})?)\s*(?P<money>元|万元)\s*[/／每]\s*(?P<per>{PER_UNITS})")
# 每吨标准煤900元 (117), 每千瓦时再补贴0.1元 (158 拉萨南北山绿化); with what is measured between the unit and the
# grant (common wording of emission-reduction awards: 每吨氮氧化物减排量补贴1万元): the rate is per the unit of measure.
# A unit of applicants (每家企业奖励30万元, 每个项目补助100万元) makes no rate: its sum is the amount.
# What may stand between 每<unit> and a sum without a grant word for the sum to be no rate: a comparison, a price or a
# saving (每吨产品成本降低100元), or a grant word with a ceiling after it (每年贴息最高100万元: an annual ceiling).
_NOT_PAID_RE = re.compile(r"小于|大于|低于|高于|超过|不足|达到|降低|减少|增加|提高|节约|价|费|成本|收入|能耗"
                          r"|最高|最多|上限|总额|累计|合计|贴息|补|奖|资助")
PER_EACH_RE = re.compile(rf"每(?P<per>{PER_ANY})(?P<what>[^，,。；;、：:\d\s]{{0,12}}?)"
                         rf"(?P<grant>[再另]?(?:给予|予以)?[再另]?(?:一次性)?(?:补贴|补助|奖励|奖补|资助)?)"
                         rf"(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*(?P<money>元|万元)")
# A ratio to other grants (117: 按照中央、省级1:1的比例予以区级配套补贴).
RATIO_RE = re.compile(r"(?P<r>\d+(?:\s*[:：∶]\s*\d+)+)\s*的?比例(?:予以|给予)")
# … and without 的比例 (common: 按1:1给予配套, 按照1:1比例配套).
# … and with 以 for 按 (common: 区财政以1:1比例配套, support28's probe).
RATIO_BY_RE = re.compile(r"(?:按照?|以)\s*(?P<r>\d+(?:\.\d+)?(?:\s*[:：∶]\s*\d+(?:\.\d+)?)+)\s*(?:的?比例)?\s*(?:予以|给予|配套|进行配套)")
# A match the applicant owes (common wording of fund guides: 项目单位自筹资金与财政资金按1:1比例配套, 申报单位须按1:1比例
# 配套): its own funds, or a duty word, before the ratio in its clause.
OWN_MATCH_RE = re.compile(r"自筹|[须需]|应当|必须")
# What a matching ratio is of: the grant the applicant got before (117: 获得上级财政补贴后，按照中央、省级1:1的比例予以区级
# 配套补贴; common: 对获得国家专项资金支持的项目，区财政以1:1比例配套).
MATCHED_GRANT_RE = re.compile(r"(?:获得|取得)(?P<g>[^，。；]{1,12}?(?:资金|补助|补贴|资助|奖励))")
# Percentages that schedule a payment rather than set a share (182 首次拨付总金额的50%; 158 各兑现50%的补助资金).
INSTALMENT_RE = re.compile(r"拨付|拨款|兑现|预拨|清算")
# A share that an applicant must reach, not one paid (309: 其中建设投资不低于项目总投资的50%; common 自筹资金不少于…).
SHARE_THRESHOLD_RE = re.compile(r"不低于|不少于|不得低于|(?<!不)(?<!不得)超过|达到|高于")
# A share: 购置费的20%, 总投资额（不含土建部分）20%, 实际委托费用的50%; the base is read back to 按/按照/给予/给/的.
PERCENT_RE = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*[%％]")


def to_wan(num: str, unit: str) -> float | None:
    n = cn_to_number(num)
    if n is None:
        return None
    return round(n * MONEY_TO_WAN[unit], 6)


@dataclass(frozen=True)
class Money:
    text: str  # as written: 200万元
    wan: float | None  # in 万元
    start: int
    end: int
    cap: bool  # preceded by a ceiling cue
    low: float | None = None  # a range's lower end in 万元 (200-500万元: 200; the upper end is `wan`, a ceiling)


# A sum that sets a threshold (121 杭州: 补助资金超过500万元…的项目, 由…会商; common: 投资额500万元以上的项目, 不低于1000万元;
# tax brackets: 年应纳税所得额不超过100万元的部分).
THRESHOLD_BEFORE_RE = re.compile(r"(?:(?<![不得])超过|不低于|不少于|达到|高于|低于|大于|小于|在|突破)\s*$")
THRESHOLD_AFTER_RE = re.compile(r"\s*(?:（含）)?(?:及)?(?:以上|以下|以内)(?!的?(?:补贴|补助|奖励|资助))|的部分|的\s*[，,]")


def money_in(sentence: str) -> list[Money]:
    """Sums of money in `sentence`, in order. In a list closed by one unit (30万、20万、10万元) every member
    counts. A bare 万/亿 that closes nothing (1万立方米) is not money."""
    out: list[Money] = []
    for m in MONEY_RE.finditer(sentence):
        unit = m.group("unit")
        if unit in ("万", "亿") and not _closes_money_list(sentence, m.end()) and \
                not re.match(r"(?:的)?(?:一次性)?(?:补助|补贴|奖励|资助|奖补|贴息)", sentence[m.end():]):
            continue  # 1万立方米 is not money; 最高500万补助 (成都) is
        if sentence[m.end():m.end() + 1] in ("吨", "千", "平", "立", "人", "户", "个", "辆", "只", "米"):
            continue
        if THRESHOLD_BEFORE_RE.search(sentence[max(0, m.start() - 8):m.start()]) or \
                THRESHOLD_AFTER_RE.match(sentence[m.end():]):
            continue  # a threshold of eligibility (总投资500万元以上的项目), not a sum paid
        cap = bool(CAP_CUE_RE.search(sentence[max(0, m.start() - 16):m.start()]))
        low = to_wan(m.group("low"), unit) if m.group("low") else None
        out.append(Money(m.group(0), to_wan(m.group("num"), unit), m.start(), m.end(), cap or low is not None, low))
    return _ranges_capped(sentence, out)


def _ranges_capped(sentence: str, money: list[Money]) -> list[Money]:
    """A range of sums (common: 给予5万元至20万元奖励; 200-500万元 with the unit once, read by MONEY_RE): one sum, its
    upper end the ceiling (`wan`, `cap`), its lower end kept (`low`), the text the whole range as written."""
    joined = [i + 1 < len(money) and bool(RANGE_SEP_RE.fullmatch(sentence[m.end:money[i + 1].start]))
              for i, m in enumerate(money)]
    out = [Money(sentence[money[i - 1].start:m.end], m.wan, money[i - 1].start, m.end, True, money[i - 1].wan)
           if i and joined[i - 1] else m for i, m in enumerate(money) if not joined[i]]
    return [m for m in out if m.low is None or not RANGE_BAND_RE.match(sentence[m.end:])]


# A range that closes a 的-clause names a band the applicant is in, not a sum paid (common: 对投资额1000-5000万元的项目,
# 年产值5000万元至1亿元的企业), unless a kind of support follows (给予5万元至20万元的奖励).
RANGE_BAND_RE = re.compile(r"\s*的(?!(?:一次性)?(?:补贴|补助|奖励|资助|奖补|支持|资金|扶持|贴息|经费))")


def _closes_money_list(sentence: str, end: int) -> bool:
    """30万、20万、10万元: a bare 万 followed by more members and then 万元."""
    rest = sentence[end:end + 24]
    return bool(re.match(rf"(?:、{NUM}\s*万)*、{NUM}\s*万元", rest))


@dataclass(frozen=True)
class Rate:
    text: str  # as written: 20%, 0.05元/度, 每吨标准煤900元
    value: float | None
    unit: str  # %, 元/度, 元/吨标准煤
    base: str  # what the share is of (购置费); "" for per-unit rates
    start: int


def rates_in(sentence: str) -> list[Rate]:
    out: list[Rate] = []
    for m in PER_UNIT_RE.finditer(sentence):  # a range (0.15-0.2元/千瓦时, 成都) has no single value
        if m.group("money") == "万元" and re.fullmatch(PER_APPLICANT, m.group("per")):
            continue  # 200万元/项, 50万元/个: a sum per project or applicant is its amount (money_in reads it)
        out.append(Rate(m.group(0), cn_to_number(m.group("num")), f"{m.group('money')}/{m.group('per')}", "",
                        m.start()))
    for m in PER_EACH_RE.finditer(sentence):
        if re.fullmatch(PER_APPLICANT, m.group("per")) or (not m.group("grant") and _NOT_PAID_RE.search(m.group("what"))):
            continue  # a sum per applicant; a price or a comparison (每吨产品成本降低100元, 每千瓦时电价0.2元)
        out.append(Rate(m.group(0), cn_to_number(m.group("num")), f"{m.group('money')}/{m.group('per')}", "",
                        m.start()))
    out += [r for rate in list(out) for r in _rate_list_members(sentence, rate)]
    for m in PERCENT_RE.finditer(sentence):
        base = share_base(sentence[:m.start()])
        if base is None and GRANTED_SHARE_RE.search(sentence[:m.start()]) and \
                re.match(r"\s*的?(?:补助|补贴|奖励|资助|奖补)", sentence[m.end():]):
            # 对平台建设期内的设备投入，给予30%的补助 (121): the share is granted; its base the clause before
            base = re.sub(r"^对", "", share_base(re.split(r"[，,]\s*(?:给予|予以)\s*$", sentence[:m.start()])[0]) or "")
        if base is None:
            base = _granted_by_share(sentence, m.start(), m.end())
        if base is None and re.search(r"\d[%％]、$", sentence[:m.start()]) and out and out[-1].unit == "%":
            base = out[-1].base  # 100%、70%、50%: list members share the base of the first
        if base is None and out and out[-1].unit == "%" and REGION_BEFORE_RE.search(sentence[:m.start()]):
            base = out[-1].base  # 东部地区补助比例为总投资的20%，中部地区为25%: each region's share of the same base
        if _share_paid(sentence, m.start(), m.end(), base):
            out.append(Rate(m.group(0), float(m.group("num")), "%", base, m.start()))
    for m in FRACTION_RE.finditer(sentence):  # 总投资的1/3, 研发费用的三分之一: a share as a fraction, in %
        num, den = (m.group("n"), m.group("d")) if m.group("n") else (m.group("cn_n"), m.group("cn_d"))
        value = (cn_to_number(num) or 0) / (cn_to_number(den) or 1) * 100
        base = share_base(sentence[:m.start()])
        if value and _share_paid(sentence, m.start(), m.end(), base):
            out.append(Rate(m.group(0), round(value, 2), "%", base, m.start()))
    ratios = {m.start("r"): m.group("r") for rx in (RATIO_RE, RATIO_BY_RE) for m in rx.finditer(sentence)}
    for at, r in sorted(ratios.items()):  # 按照中央、省级1:1的比例予以区级配套补贴 (117)
        if OWN_MATCH_RE.search(re.split(r"[，,；;。]", sentence[:at])[-1]):
            continue  # the applicant's own funds matched to a grant (申报单位须按1:1比例配套自筹资金): a duty, not support
        matched = list(MATCHED_GRANT_RE.finditer(sentence[:at]))
        out.append(Rate(r, None, "比例", matched[-1].group("g") if matched else "", at))
    # Tax relief (common wording of tax law: 减按15%的税率征收, 减按25%计入应纳税所得额, 即征即退70%, 减半征收).
    # … and 资源税减征50% (329): a share of the tax due; the share written out as tax law writes it (329 环境保护税法:
    # 减按百分之五十征收, 资源税法: 减征百分之三十).
    for m in re.finditer(r"(?:减按|即征即退|减征)\s*(?:(\d+(?:\.\d+)?)\s*[%％]|百分之([一二三四五六七八九十]+))", sentence):
        out = [r for r in out if r.start != m.start(1)]
        after = re.match(r"的?(税率)|计入([^，。；]{2,12})", sentence[m.end():])
        base = (after.group(1) or after.group(2)) if after else (
            "已缴税额" if "即征即退" in m.group(0) else "应纳税额" if "减征" in m.group(0) else "")
        out.append(Rate(m.group(0), float(m.group(1)) if m.group(1) else cn_to_number(m.group(2)), "%", base, m.start()))
    for m in re.finditer(r"减半征收", sentence):
        if YEAR_SCHEDULE_RE.search(sentence[:m.start()]):
            continue  # a schedule by years (三免三减半), no one share of the tax: read as a whole, from the sentence
        out.append(Rate(m.group(0), 50.0, "%", "应纳税额", m.start()))
    for m in re.finditer(r"全额(?=资助|补助|补贴|奖励)", sentence):  # 给予全额资助 (309): 100% of the base
        out.append(Rate(m.group(0), 100.0, "%", share_base(sentence[:m.start()]) or "", m.start()))
    return sorted(out, key=lambda r: r.start)


# A relief that changes over the years of a schedule (common wording of tax law, 329 企业所得税 三免三减半: 第一年至第三年
# 免征企业所得税，第四年至第六年减半征收企业所得税): its 减半 holds for some years only, so it is not the item's rate
# (like INSTALMENT_RE's schedules of payments).
YEAR_SCHEDULE_RE = re.compile(r"第[一二三四五六七八九十\d]+(?:个纳税)?年(?:度)?至第[一二三四五六七八九十\d]+(?:个纳税)?年")


# The regions central investment rules set shares by (502 中央预算内投资: 按东、中、西和东北地区分别不超过项目总投资的30%、45%、
# 60%、60%; the same four regions of the national statistics, written out in full).
REGIONS = r"东部地区|中部地区|西部地区|东北地区|东部|中部|西部|东北"
# A share stated right after its region (中部地区为25%, 西部地区按30%): the region, then a few characters, no figure.
REGION_BEFORE_RE = re.compile(rf"(?:{REGIONS})[^，。；、\d]{{0,4}}$")


# The members of a list of per-unit rates, one unit written once (common wording of tiered per-area or per-capacity
# grants, support21: 对一星级、二星级、三星级的项目分别按每平方米10元、20元、30元给予补助; 分别按0.1元/千瓦时、0.2元、0.3元…):
# each member after the first is a rate per the same unit, not a sum of a few 元.
RATE_LIST_MEMBER_RE = re.compile(rf"\s*、\s*(?P<num>{NUM})\s*(?P<money>元|万元)(?!\s*[/／每])")


def rate_text(rate: Rate) -> str:
    """A rate as a tier states it: as written, with the per-unit its list's first member wrote for it (分别给予每吨2000元、
    3000元的奖励: the second is 3000元/吨, not 3000元)."""
    per = rate.unit.split("/", 1)[1] if "/" in rate.unit else ""
    return f"{rate.text}/{per}" if per and not re.search(r"[/／每]", rate.text) else rate.text


def _rate_list_members(sentence: str, rate: Rate) -> list[Rate]:
    out, at = [], rate.start + len(rate.text)
    while (m := RATE_LIST_MEMBER_RE.match(sentence, at)) and m.group("money") == rate.unit.split("/")[0]:
        out.append(Rate(m.group(0).lstrip("、 "), cn_to_number(m.group("num")), rate.unit, rate.base,
                        m.start("num")))
        at = m.end()
    return out


# A grant measured as a share of something (common wording of fiscal rewards and interest subsidies, support21: 按其上年度
# 缴纳增值税地方留成部分的50%给予奖励, 按照贷款实际发生额的2%给予贴息, 按年度销售收入新增部分的1%予以奖励): 按/按照 X 的 N%,
# then 给予/予以 and a kind of support in the same clause — a share of X, whatever X is called (share_base reads only
# bases named as money). The kind word is required, so 按…排放量的80%确定配额 (405) and other allocations stay out.
SHARE_BY_BEFORE_RE = re.compile(r"按照?(?P<base>[^，。；、%％\d]{2,40}?)的\s*$")
SHARE_BY_AFTER_RE = re.compile(r"\s*(?:的比例)?\s*(?:给予|予以)(?P<rest>[^，。；]{0,12})")


def _granted_by_share(sentence: str, start: int, end: int) -> str | None:
    """The base X of a share granted as 按X的N%给予<kind> (SHARE_BY_BEFORE_RE), else None."""
    from knowledge.support_clauses import KIND_RE  # support_clauses imports this module

    before = SHARE_BY_BEFORE_RE.search(sentence[max(0, start - 44):start])
    after = SHARE_BY_AFTER_RE.match(sentence[end:])
    if not (before and after and KIND_RE.search(after.group("rest"))):
        return None
    return re.sub(r"^(?:其|企业|项目)", "", before.group("base")).strip() or None


# A share granted as such (common, 121 杭州: 给予30%的补助), whatever it is of.
GRANTED_SHARE_RE = re.compile(r"(?:给予|予以)\s*$")


# A share written as a fraction (common: 按项目总投资的1/3给予补助, 研发费用的三分之一).
FRACTION_RE = re.compile(r"(?<![\d/.])(?P<n>\d)\s*/\s*(?P<d>\d{1,2})(?![\d/.])"
                         r"|(?P<cn_d>[二三四五六七八九十])分之(?P<cn_n>[一二三四五六七八九])")


def _share_paid(sentence: str, start: int, end: int, base: str | None) -> bool:
    """A share at sentence[start:end] of `base` that is paid out: not a threshold the applicant must reach, a
    schedule of payments, or a share the applicant pays in (329: 转让收入的65%上缴给国家)."""
    clause = re.split(r"[，,；;]", sentence[:start])[-1]
    return not (base is None or INSTALMENT_RE.search(clause) or SHARE_THRESHOLD_RE.search(clause) or
                re.match(r"\s*(?:（含）)?(?:及)?以[上下]|\s*(?:上缴|上交|缴纳|缴入)", sentence[end:]))


# Words that make a percentage a share paid out (rather than a target such as 产值增长25%); from 117/122/309.
# Common bases besides (购置额, 销售额, 营业收入: a sum of money the share is of).
_SHARE_HEAD_RE = re.compile(r"(费用?|确认|价|利率|LPR|成本|应纳税额|所得额|投资额?|金额|投入额?|支出|经费|购置费|造价|价款|贷款|利息|税额|资金|额度|总额|"
                            r"购置额|销售额|营业额|交易额|收入|部分）|部分\))"
                            r"(?:[（(][^（）()]{0,40}[）)])?的?$")


def share_base(before: str) -> str | None:
    """The base of a share read back from just before the percentage: 按照购置费的 → 购置费;
    给予总投资额（不含土建部分） → 总投资额（不含土建部分）. None when the percentage is not a share of money."""
    before = before[-70:]
    if not _SHARE_HEAD_RE.search(before):
        return None
    # A trailing parenthesis (总投资额（指…，主要为…）) belongs to the base: cut before it, keep it.
    paren = re.search(r"[（(][^（）()]{0,40}[）)]的?$", before)
    tail = re.sub(r"的$", "", paren.group(0)) if paren else ""
    if paren:
        before = before[:paren.start()]
    cut = max((before.rfind(w) + len(w) for w in ("按照", "按", "给予", "给", "以", "，", "（不超过", "不超过")
               if before.rfind(w) >= 0), default=0)
    base = re.sub(r"的$", "", before[cut:]).strip() + tail
    return base or None
