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
