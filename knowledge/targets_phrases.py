"""Phrase-level tests of knowledge.targets: where a figure names, sizes or lists something instead of stating a goal
(a name in quotes, the count of a plan's own indicators, works or list, the size of a set the text names, the scope
a task focuses on), and the clauses a sentence is cut into. Pure functions."""
from __future__ import annotations

import re

from knowledge.text import cut_outside_brackets


def clauses(sentence: str) -> list[str]:
    """Clauses split at commas and colons outside brackets (乌东德（1020万千瓦，已投产680万千瓦） stays whole); round
    brackets only, and an unclosed one keeps the rest whole (knowledge.text says how the clause cuts differ)."""
    out, _ = cut_outside_brackets(sentence, "，,：:", "（(", "）)")
    return [c for c in out if c.strip()]


def in_quotes(clause: str, pos: int) -> bool:
    """A figure inside a short “…” is part of a name (“10分钟公园绿地服务圈”, “7个专项行动”); a quote that pypdf
    or the typist closed with " (“十四五"主要指标) does not run on."""
    before, after = clause[max(0, pos - 15): pos], clause[pos: pos + 20]
    return "“" in before and not re.search(r'[”"]', before[before.rfind("“"):]) and bool(re.search(r"^[^“”\"]*”", after))


# 设置4项约束性指标、8项特征指导性指标: the count of a plan's own indicators, whatever kind it names (up to 8 characters).
NAMED_COUNT = re.compile(r"^[\u4e00-\u9fff]{0,8}?指标")
# The plan's own list of works, actions or aspects (实施…等6项重点行动, 7大类70项工程, 城市体检8个方面): how many parts a
# text has, not a goal.
OWN_LIST = re.compile(r"^(?:重点|主要|专项|重大)?(?:工作|行动|任务|举措|措施|工程|方面)(?=[，,。；;、和及与的]|$)")
# 重大工程共110个, 重点项目合计35项: the total of the plan's own list, written after the works it counts.
_OWN_TOTAL = re.compile(r"(?:工程|项目|任务|行动|举措|措施)(?:共|合计|总计|共计)$")
# …重大工程共110个，分12大类。绿色发展建设工程8个，包括霞浦县退城入园项目、…: one category of that list, its count
# after its name and the works named after 包括 (473's 12 categories; a clause that builds them, 新建…项目5个，包括…, has
# a verb before the name and stays a goal).
_CATEGORY = re.compile(r"^\s*[\u4e00-\u9fff]{2,16}(?:工程|项目)\s*$")

_LISTED_AFTER = re.compile(r"^\s*[，,：:]\s*(?:包括|包含|含|分别是|分别为)")


def own_total(clause: str, qm: re.Match, sentence: str) -> bool:
    """The count is the total of the plan's own list of works or of one named category of it (see _CATEGORY)."""
    before = clause[: qm.start()]
    if _OWN_TOTAL.search(before):
        return True
    after = sentence[sentence.find(clause) + qm.end():]
    return bool(_CATEGORY.match(before) and not _CATEGORY_VERB.match(before) and _LISTED_AFTER.match(after))
# 以26个养殖大县为重点, 以面积大于100平方千米…的海湾为重点: the scope a task focuses on.
SCOPE_BEFORE = re.compile(r"以[^，,。；;以]{0,30}$")
SCOPE_AFTER = re.compile(r"^[^，,。；;]{0,30}?为(?:重点|主|核心|依托|载体|抓手|突破口|主体)")
# A count closing a list of names (A、B等8个工业园区) sizes a set that exists; it is a goal only when the clause
# builds or completes what it counts (建成西流湖公园、青少年公园等40个综合公园, 太行钢铁集团等6条铁路专用线…建成投用).
_ENUM_END = re.compile(r"等\s*$")
_CREATE_BEFORE = re.compile(r"建成|建设|新建|改建|扩建|完成|创建|培育|打造|新增|建立|设立")
_CREATE_AFTER = re.compile(r"建成|投用|投运|投产|完工|完成")
_CATEGORY_VERB = re.compile(rf"^\s*(?:{_CREATE_BEFORE.pattern}|实施|推进|推动|开工|启动|谋划|储备|争取|力争|确保)")


# A clause with no verb before its list continues the verb of the clause before it (建设…生态廊道，三环快速路、江山路等20条…).
_ANY_VERB = re.compile(rf"{_CREATE_BEFORE.pattern}|推进|推动|补齐|加强|加快|控制|强化|加大|实施|提升|优化|开展|选择|对")


def counts_named_set(clause: str, qm: re.Match, earlier: str) -> bool:
    """The figure closes a list of names (…等8个) in a clause that neither builds nor completes what it counts."""
    before = clause[: qm.start()]
    if not _ENUM_END.search(before):
        return False
    if not _ANY_VERB.search(before):
        before = (clauses(earlier) or [""])[-1] + before
    return not (_CREATE_BEFORE.search(before) or _CREATE_AFTER.search(clause[qm.end():]))


# 加大新建公共建筑节能65%标准和居住建筑节能75%标准的执行监督力度, 城镇居住建筑执行75%节能标准, 居住建筑节能 75%设计
# 标准: the design standard for energy efficiency named by its saving rate (469, 511, 338, 451, 515), not a share to reach.
_SAVING_BEFORE = re.compile(r"节能\s*$")
_STANDARD_AFTER = re.compile(r"^\s*(?:的)?(?:设计)?标准")
_SAVING_STANDARD_AFTER = re.compile(r"^\s*(?:的)?节能(?:设计)?标准")


def names_a_standard(clause: str, qm: re.Match) -> bool:
    """The share names an energy-saving design standard (节能65%标准, 75%节能标准)."""
    after = clause[qm.end():]
    return bool(_SAVING_STANDARD_AFTER.match(after)
                or _SAVING_BEFORE.search(clause[: qm.start()]) and _STANDARD_AFTER.match(after))


# 2.2022年，开展…: an item number run into the year that opens the item (430's numbered tasks); the year is due as
# any other, the number is no part of it.
_ITEM_BEFORE_YEAR = re.compile(r"^(\s*)\d{1,2}[.．]\s*(?=2 ?0 ?\d ?\d\s*年)", re.M)


def without_item_number(sentence: str) -> str:
    return _ITEM_BEFORE_YEAR.sub(r"\1", sentence)
