"""Units of measure in Chinese policy text: the one list that target extraction and target tables share.

Collected from the targets of the development corpus (../shared/corpus, ../shared/corpus-dc dev documents):
capacities (万千瓦), energy (万吨标准煤, 万吨标煤, 亿千瓦时), areas, counts (个, 家, 座, 处), shares (%, 个百分点).
Added from the targets of the plans in corpus-dc (their 主要指标 tables and goal sections): concentrations
(微克/立方米, the national air-quality standard GB 3095's unit), coal rates of power plants (克标准煤/千瓦时,
克标煤/千瓦时), 万公顷, 艘, 家次, 万人次/人次, 分钟.
"""
from __future__ import annotations

# Units of quantified targets, longest first so 万千瓦 wins over 千瓦.
UNITS = sorted(set(
    ["%", "万千瓦", "千瓦", "万公里", "万吨标煤", "吨标煤", "亿吨标准煤", "亿吨标煤", "亿千瓦时", "亿千瓦", "万千瓦时", "亿千瓦时", "千瓦时", "万人", "人", "万平方米", "平方米", "亿平方米",
     "个", "万亿元", "亿元", "万元", "元", "万吨标准煤", "吨标准煤", "亿吨", "万吨", "吨", "家", "座", "项", "条", "公里",
     "千米", "户", "辆", "台", "套", "所", "处", "倍", "万辆", "万户", "万亩", "亩", "公顷", "万立方米", "立方米", "亿立方米",
     "小时", "天", "批", "个百分点", "百分点", "万标准立方米", "标准立方米", "万个", "万座", "万套", "万台", "平方公里", "万平方公里",
     "微克/立方米", "克标准煤/千瓦时", "克标煤/千瓦时", "万公顷", "艘", "家次", "万人次", "人次", "分钟"]),
    key=len, reverse=True,
)


# Units that may follow a figure in an answer or a source sentence: what the answer guard (answer/guard.py) and the
# numeric-faithfulness metric (eval/figures.py) read as one figure ("1000万千瓦", "0.05元/千瓦时", "3年"). The union
# of the two lists they kept before (they disagreed: the guard lacked kWh/MW and 元/吨, the metric lacked 度, 类, 种,
# 级, 部, 件, 列, 辆次, 标箱), plus the target units above; longest first so 千瓦时 wins over 千瓦 and 个百分点 over 个.
FIGURE_UNITS = sorted(set(UNITS) | set(
    """个百分点 百分点 千瓦时 千瓦 兆瓦 吉瓦 瓦 kWh kW MW GW 吨标准煤 吨标煤 吨二氧化碳 吨 千克 公斤 平方公里 平方米 立方米 公里 千米 米
    公顷 亩 元/千瓦时 元/千瓦 元/吨 吨/年 元 人次 人 户 家 个 辆 座 台 套 项 条 处 所 张 根 倍 次 批 栋 标准箱 TEU 艘 年 月 日 号 天
    小时 分钟 度 类 种 级 部 件 列 辆次 标箱""".split()), key=len, reverse=True)
