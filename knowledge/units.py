"""Units of measure in Chinese policy text: the one home of the unit grammar that target extraction and target
tables share, of the sizes' conversion factors (SCALES) the support conditions compare, and of money's (YUAN;
MONEY_TO_WAN, as support amounts are kept). Pure data.

A unit is a magnitude (万, 亿, 万亿) before a base unit, an optional frequency (人次, 公顷次, 批次: 次 after a
counted or measured unit) and an optional denominator (万吨/日, 吨标煤/万元, 起/每万枚). Base units come from
general resources, not from the documents' targets:
- measure words of counted things (个, 家, 株, 块, 支, 部, 期 …): the individual classifiers of standard Mandarin
  grammars (the 量词 table of 《现代汉语八百词》); the ones that also write dates, ranks or levels (日, 月, 级, 层,
  号, 类) or that cut words (口 of 人口, 度 of 年度, 本 of 本规划) are left out;
- 米 and the one-letter m, t are left out: in these documents they size buildings, roads and buffers (150米以上超高层
  建筑, 0.01mm农膜), standards rather than goals;
- units of measurement of the statutory system (GB 3100/3101 and the 市制 units still in use): length, area,
  volume, mass, power, energy, time, in Chinese and in Latin letters (m³, km², kWh, μg/m3), with the energy
  units of the plans (吨标准煤, 吨标煤), the air-quality unit of GB 3095 (微克/立方米) and the return period of
  flood-control standards (GB 50201: 100年一遇);
- shares and ratios (%, ‰, 个百分点, 倍) and money (元);
- computing power in floating-point operations per second (FLOPS) with the SI prefixes of GB 3101 (G, T, P, E), and
  computing efficiency per watt (FLOPS/W): the units in which the national data-centre plans (新型数据中心发展三年行动
  计划（2021-2023年）: 算力 in EFLOPS, 算效 in GFLOPS/W) and the provincial plans after them (223) state 算力 and 算效;
- grades of the A-grade scales of national standards, written nA级 (1A-5A): tourist attractions (GB/T 17775), logistics
  enterprises (GB/T 19680) and the green low-carbon grade of data centres (绿色低碳等级达到4A级以上: 13, 223, 249).
  A grade is no amount: a grade before a noun names a class (4A级景区), see knowledge.targets.
"""
from __future__ import annotations

import re

COUNTERS = ("个", "家", "座", "处", "所", "条", "项", "台", "套", "辆", "艘", "户", "批", "株", "棵", "块", "部", "支", "件",
            "种", "只", "头", "张", "场", "期", "片", "根", "架", "间", "栋", "幢", "段", "名", "门", "组", "对", "轮",
            "届", "篇", "份", "宗", "起", "例", "枚", "人", "次")
MEASURES = ("公里", "千米", "平方公里", "平方千米", "平方米", "公顷", "亩", "立方米", "标准立方米", "吨", "千克", "公斤",
            "吨标准煤", "吨标煤", "千克标准煤", "吨二氧化碳", "瓦", "千瓦", "兆瓦", "吉瓦", "千瓦时", "兆瓦时", "小时", "天", "分钟",
            "微克/立方米", "毫克/升", "克标准煤/千瓦时", "克标煤/千瓦时", "年一遇")
LATIN = ("m2", "m²", "m3", "m³", "km", "km2", "km²", "kg", "kW", "MW", "GW", "kWh", "μg/m3", "μg/m³", "mg/L")
# Computing power and efficiency (see above), as the plans spell FLOPS (7EFLOPS, 8GFLOPS/W; EFlops in other texts).
COMPUTING = tuple(p + f + w for p in ("", "G", "T", "P", "E") for f in ("FLOPS", "Flops") for w in ("", "/W"))
GRADES = ("A级",)
SHARES = ("%", "％", "‰", "个百分点", "百分点", "倍")
MONEY = ("元",)
MAGNITUDES = ("", "万", "亿", "万亿")
# 人次, 场次, 公顷次: a count of occurrences of a counted or measured thing.
_FREQUENCY_OF = tuple(c for c in COUNTERS if c != "次") + ("公顷", "亩")

_BASES = COUNTERS + MEASURES + LATIN + MONEY
_WITH_MAGNITUDE = {m + b for m in MAGNITUDES for b in _BASES + tuple(b + "次" for b in _FREQUENCY_OF)}
# Units of quantified targets, longest first so 万千瓦 wins over 千瓦 and 万公顷次 over 万公顷.
UNITS = sorted(_WITH_MAGNITUDE | set(SHARES) | set(COMPUTING) | set(GRADES), key=len, reverse=True)
UNIT_RE = "|".join(re.escape(u) for u in UNITS)
# A denominator after the unit: 万吨/日, 吨标煤/万元, 起/每万枚, 吨/月·平方公里, m3/s, 万片／年.
PER_RE = rf"[/／](?:{UNIT_RE}|[年月日]|每?[\u4e00-\u9fff]{{1,3}}|[a-z](?![A-Za-z]))(?:·(?:{UNIT_RE}))?"

# Units that size equipment, as the boiler regulations (TSG 11) and the boiler emission standard (GB 13271) size a
# boiler in 蒸吨 (written 蒸吨/小时): a figure in them is a size class (淘汰10蒸吨/小时及以下燃煤锅炉), a threshold and
# never a target's value, so target extraction leaves them out of UNITS (with them, 574 and 483 gained boiler sizes
# as 2025 targets); an answer reads a figure in them as an amount (answer.text.HAS_AMOUNT: b9's 422, dev's 451).
SIZE_UNITS = ("蒸吨",)

# Units that may follow a figure in an answer or a source sentence: what the answer guard (answer/guard.py) and the
# numeric-faithfulness metric (eval/figures.py) read as one figure ("1000万千瓦", "0.05元/千瓦时", "3年"). The union
# of the two lists they kept before (they disagreed: the guard lacked kWh/MW and 元/吨, the metric lacked 度, 类, 种,
# 级, 部, 件, 列, 辆次, 标箱), plus the target units above (UNITS); longest first so 千瓦时 wins over 千瓦 and 个百分点 over 个.
FIGURE_UNITS = sorted(set(UNITS) | set(SIZE_UNITS) | set(
    """个百分点 百分点 千瓦时 千瓦 兆瓦 吉瓦 瓦 kWh kW MW GW 吨标准煤 吨标煤 吨二氧化碳 吨 千克 公斤 平方公里 平方米 立方米 公里 千米 米
    公顷 亩 元/千瓦时 元/千瓦 元/吨 吨/年 元 人次 人 户 家 个 辆 座 台 套 项 条 处 所 张 根 倍 次 批 栋 标准箱 TEU 艘 年 月 日 号 天
    小时 分钟 度 类 种 级 部 件 列 辆次 标箱""".split()), key=len, reverse=True)

# Money: each unit's factor to 元 (the decimal multiples 千, 万, 亿 as the texts write them before 元).
YUAN = {"元": 1, "千元": 1e3, "万元": 1e4, "亿元": 1e8}

# Sizes by dimension: each unit's factor to the base unit of its dimension (GB 3100 ratios; 度 is a 千瓦时 in
# electricity notices, 平米 a 平方米 as notices write it, 亩 a fifteenth of a 公顷), for comparing a size a support
# condition sets with the size of an enterprise's planned project (knowledge.project_fit). Its money is YUAN without
# 千元, as the comparison has read it since it was written (a size in 千元 is compared with nothing).
SCALES = {
    "power": {"瓦": 1, "千瓦": 1e3, "兆瓦": 1e6, "吉瓦": 1e9, "万千瓦": 1e7, "kW": 1e3, "MW": 1e6, "GW": 1e9},
    "area": {"平方米": 1, "平米": 1, "㎡": 1, "m2": 1, "m²": 1, "万平方米": 1e4, "万平米": 1e4, "公顷": 1e4,
             "亩": 1e4 / 15, "平方公里": 1e6},
    "energy": {"千瓦时": 1, "度": 1, "kWh": 1, "万千瓦时": 1e4, "万度": 1e4, "兆瓦时": 1e3, "亿千瓦时": 1e8},
    "coal": {"吨标准煤": 1, "吨标煤": 1, "万吨标准煤": 1e4, "万吨标煤": 1e4},
    "mass": {"吨": 1, "万吨": 1e4, "千克": 1e-3, "公斤": 1e-3},
    "money": {u: YUAN[u] for u in ("元", "万元", "亿元")},
}

# Money to 万元, the unit SPEC keeps support amounts and caps in (knowledge.support_fields.to_wan); with 万 and 亿
# without 元 as well, which count as money in a list of sums the last of which ends in 元 (30万、20万、10万元).
MONEY_TO_WAN = {**{u: f / YUAN["万元"] for u, f in YUAN.items()}, "万": 1.0, "亿": 1e4}
