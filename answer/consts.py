"""Question and evidence patterns shared by the extractive handlers."""
from __future__ import annotations

import re

from knowledge.extract import QUANTITY

_ASKS_AMOUNT = re.compile(r"多少|几个|几项|几座|几成|百分之|比例|占比|比重|规模|数量|面积|容量|多大|多高|多少钱|金额")
_ASKS_DATE = re.compile(r"哪天|哪一天|几月|印发|施行|生效|发布|有效期|起止")
_FULL_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_STRUCTURE_WORD = re.compile(r"举措|措施|意见|条|方面|部分|具体|内容|文件|政策|章节|任务")
_ASKS_DOC_NUMBER = re.compile(r"文号|发文字号|文件编号|字号")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
_ASKS_ISSUER = re.compile(r"印发|发布|出台|发文|制定")
_ISSUER = re.compile(r"^(.{2,30}?)(?:关于印发|印发|关于)")
_HAS_YEAR = re.compile(r"20\d{2}年(?!\d{1,2}月)")  # a due year, not the date of a notice
_HAS_NUMBER = QUANTITY  # a number with a unit (7、8号机组 is not an amount)
_ASKS_WHICH_YEAR = re.compile(r"哪一年|哪年|几年|年份")
# A time: a year, a month and day (3月9日, 每年11月15日前).
_HAS_TIME = re.compile(r"20\d{2}年|\d{1,2}月\d{1,2}日|每年\d{1,2}月")
_ORG_ACTS = re.compile(
    r"((?:国家|省|自治区|市|区|县)?[\u4e00-\u9fff]{1,14}?(?:委员会|发展改革委|委|局|厅|部|办公室|管委会|人民政府|政府|"
    r"领导小组|工作专班|专班|指挥部|相关部门|有关部门|各部门))(?:及其办公室)?(?:要|牵头|会同|负责|组织|统筹|发挥|抓好)")
# Below this share of the question's content words, a sentence does not answer the question.
MIN_COVERAGE = 0.6
MIN_COVERAGE_EACH = 0.5  # for one of several figures asked together (A和B分别是多少)
_ASKS_SEVERAL = re.compile(r"分别|各是|各为|各自|各多少")
# A general question whose best sentences share less than this with it is not covered by the documents.
MIN_GENERAL_COVERAGE = 0.3
