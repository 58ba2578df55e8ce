"""What evidence must carry, and how much of the question it must cover: the handlers' evidence patterns and
coverage thresholds. (What a question asks is read by the intent table, answer.intents.)"""
from __future__ import annotations

import re

FULL_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
# The bodies that open a heading, before 关于/印发 or before a verb taking a quoted document's name (国家邮政局贯彻落实
# 《中共中央 国务院关于…》的实施意见: corpus-dc 245; 落实《…》, 转发《…》): never into a quote, whose 关于 is the quoted
# document's (review-r18: 245 read 国家邮政局贯彻落实《中共中央国务院 as its issuer).
ISSUER = re.compile(r"^([^《“”]{2,30}?)(?:关于印发|印发|关于|(?:贯彻落实|贯彻|落实|转发|执行)(?=《))")
HAS_YEAR = re.compile(r"20\d{2}年(?!\d{1,2}月)")  # a due year, not the date of a notice
# A time: a year, a month and day (3月9日, 每年11月15日前).
HAS_TIME = re.compile(r"20\d{2}年|\d{1,2}月\d{1,2}日|每年\d{1,2}月")
ORG_ACTS = re.compile(
    r"((?:国家|省|自治区|市|区|县)?[\u4e00-\u9fff]{1,14}?(?:委员会|发展改革委|委|局|厅|部|办公室|管委会|人民政府|政府|"
    r"领导小组|工作专班|专班|指挥部|相关部门|有关部门|各部门))(?:及其办公室)?(?:将|应当|应|须)?(?:要|牵头|会同|负责|组织|统筹|发挥|抓好)")
# Below this share of the question's content words, a sentence does not answer the question.
MIN_COVERAGE = 0.6
MIN_COVERAGE_EACH = 0.5  # for one of several figures asked together (A和B分别是多少)
# A general question whose best sentences share less than this with it is not covered by the documents.
MIN_GENERAL_COVERAGE = 0.3
