"""Quantified targets in sentences: which figures are goals, and the year each is due. Pure functions.

A target is a quantified goal with a due year (到2030年…达到25%). Baselines (比2020年), past values (截至2020年底,
已突破), dates of conditions, support amounts, size classes and thresholds of eligibility are not targets. A plan
(“十四五”规划) gives its period as the due year of the goals it states without one."""
from __future__ import annotations

import re

from knowledge.model import Target
from knowledge.plan_period import PLAN_END as _PLAN_END
from knowledge.targets_phrases import (
    NAMED_COUNT as _NAMED_COUNT, OWN_LIST as _OWN_LIST, SCOPE_AFTER as _SCOPE_AFTER, SCOPE_BEFORE as _SCOPE_BEFORE,
    clauses as _clauses, counts_named_set as _counts_named_set, in_quotes as _in_quotes, names_a_standard as _names_a_standard,
    own_total as _own_total, without_item_number as _without_item_number,
)
from knowledge.units import COUNTERS, GRADES, PER_RE, UNIT_RE as _UNIT_RE
_PRE = r"(?:超过|超|达到|达|不低于|不少于|不超过|不高于|不得高于|不得超过|不大于|不小于|大于|小于|削减|高于|低于|提高到|提高至|提升到|提升至|提高|提升|降低到|降至|下降|降低|减少|增加|增长|控制在|保持在|突破|力争|累计|新增|建成|完成|培育)"
_POST = r"(?:以上|左右|以内|以下|及以上|以上的|之内)"
QUANTITY = re.compile(
    rf"(?P<pre>{_PRE})?(?P<value>\d+(?:\.\d+)?)(?:\s*[-~—至到]\s*\d+(?:\.\d+)?)?"
    rf"\s?(?P<unit>(?:{_UNIT_RE})(?:{PER_RE})?)(?P<post>{_POST})?"
)
# 到2030年 / 力争到2030年 / 2025年底 / 至2027年 / 2030年前 — the year a target is due.
# pypdf may split a year's digits (到2 022年).
YEAR = re.compile(r"(?:到|至|力争到|力争|在)?(?:(?<![\d.])(?P<year>2 ?0 ?\d ?\d)年(?:底|末|前|以前)?|“?(?P<plan>十[四五六])五”?(?:末期|末|期末|期间|时期))")
# (占比2023年底达到50%: 比 ends the indicator 占比 there, and the year is due.)
_BASELINE = re.compile(r"(?:(?<!占)比|较|相比|与|由|从)(?:20\d{2})年")
# A clause that grants money or relief states support, not a target (给予20%奖励, 补贴100万元): those amounts
# belong to the support finder.
_SUPPORT_CLAUSE = re.compile(r"奖励|补贴|补助|资助|奖补|贴息|给予|扶持资金|一次性|减免|免征|退税")
# The quota of an emission or energy-use trading scheme set or divided (碳排放配额总量为0.75亿吨, 政府预留指标数量为…用能权
# 指标总量的10%, 配额履约缺口上限…为…履约排放量的20%): the allocation and compliance rules of the scheme (分配方案,
# 配额安排 in corpus-dc: 218, 407), not goals. 配额, 用能权, 排污权 and 履约 are the terms of China's trading rules; a
# rate of the scheme (履约率, 配额清缴完成率达到100%) is a goal it can set.
_ALLOCATION_CLAUSE = re.compile(r"(?:配额|用能权|排污权|履约)(?![^，,。；;]{0,6}率)")
# A bracketed task deadline (（责任部门：大气环境处，完成期限：2021年四季度）, the lists of tasks of 73 and 549): it dates
# the figures of its sentence where the sentence names no year of its own (a scheme for 2021-2023 does not give
# its end to a task due in 2021).
_DEADLINE_NOTE = re.compile(r"[（(][^（）()]*完成(?:期限|时限)[：:]\s*(20\d{2})\s*年[^（）()]*[）)]")
_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")
# 指导纳入碳排放权交易试点的2家火电厂, 纳入全国碳市场履约的发电行业14家重点排放单位: the count of the members a scheme already
# has (425, 339); a clause that adds members (新增纳入…, 力争纳入…) states a goal.
_MEMBERS_BEFORE = re.compile(r"纳入[^，,。；;：:]{0,24}的[\u4e00-\u9fff]{0,8}$")
_ADDS_MEMBERS = re.compile(r"新增|力争|争取|推动|推荐|申报")
# 45兆帕／1000公斤、90兆帕／500公斤级压缩机, 10万吨级以上泊位: the rating class of equipment or a facility (…级 and its noun;
# the mark may close a list of ratings, each with its figure), not an amount to reach; 森林城市3个、省级森林城市13个 names
# an administrative level after the list's separator.
_RATING_AFTER = re.compile(r"^(?:[、和及与]\s*\d[^，,。；;、]{0,12}?)?级[\u4e00-\u9fff]")
# A quantity that qualifies who or what a rule applies to (总投资1000万元以上的项目, 年综合能耗5000吨标准煤以上的企业).
# (达到76%的目标 names the goal itself.) 当…比例超过20%时, 滩涂宽度超过10公里时: the condition of a rule (时 not
# opening 时间/时期/时段/时代/时效).
_CONDITION_AFTER = re.compile(r"^(?:及以上|以上|以下|以内|及以下)?(?:的(?!目标|要求)|者|规模的|范围|时(?![间期段代效]))")
# 50%的居住社区具备充电条件, 力争60%以上的城市社区参与创建: a share of a population that is to do something is a goal,
# where no comparator before the figure makes it a threshold (能耗高于标准10%以上的企业).
_SHARE_OF = re.compile(r"^(?:以上)?的[\u4e00-\u9fff]")
_THRESHOLD_BEFORE = re.compile(r"高于|低于|超过|超出|大于|小于|不足")
# 推动全省不低于85%的县级及以上党政机关建成节约型机关: a floor on the share of a population is a goal too, unless a measure
# stands before it (节能率不低于15%的公共建筑: which buildings) or it sets a ratio (按不低于50%的比例建设).
_FLOOR_PRE = {"不低于", "不少于"}
_MEASURED_BEFORE = re.compile(r"(?:率|比例|比重|占比|份额|系数|指数|强度|能耗|量)$")
_DUE_MARK = re.compile(r"^(?:到|至|力争到|力争|争取到|争取|预计到|在)|(?:底|末|前|以前|之前)$")


def _bracket_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"（[^（）]*）|\([^()]*\)", text)]


_AS_OF = re.compile(r"(?:截至|截止到?|截止至)$")
# A year that neither sets a due year nor ends one: a baseline (比2020年, 在2020年的基础上), an edition
# (2021年版), the start of a rule (2021年起, 2021年度起).
_NEUTRAL_AFTER = re.compile(r"^(?:度)?(?:版|起|开始|的基础上|基础上|为基准|为基数|水平)")


def _year_role(ym: re.Match, clause: str, base_year: int | None) -> tuple[str, int | None]:
    """What a YEAR match does to the clauses after it: ("due", year); ("past", None) for a date (2022年6月), a
    reporting date (截至2020年底) or a year the document's own time has passed (2020年，全市…, in a plan of
    2021); ("neutral", None) for a baseline, an edition or the start of a rule."""
    if _BASELINE.search(clause[max(0, ym.start() - 2): ym.end()]) or _NEUTRAL_AFTER.match(clause[ym.end():]):
        return "neutral", None
    if re.match(r"\d{1,2}月", clause[ym.end():]) or _AS_OF.search(clause[: ym.start()] + re.match(r"\D*", ym.group(0)).group(0)):
        return "past", None
    year = _year_of(ym)
    marked = bool(ym.group("plan") or _DUE_MARK.search(ym.group(0)))
    if base_year is not None:  # 到2020年底，全市… in a plan of 2021 reports what was done
        return ("due", year) if year >= base_year else ("past", None)
    # A text that dates itself nowhere (no issue date, no period, no baseline): a year it marks as due (到2025年) is
    # due, a bare year (2020年，全市…) reports.
    return ("due", year) if marked else ("past", None)


def _due(ym: re.Match, clause: str, base_year: int | None) -> int | None:
    """The due year a YEAR match sets, or None (see _year_role)."""
    return _year_role(ym, clause, base_year)[1]


# Goal forms of a quantity stated without a year in a plan (its period is the due year): a verb of change or
# attainment before it in the sentence (新建绿色工厂12家, 新能源装机规模达1.35亿千瓦以上), or a comparator.
_GOAL_VERB = re.compile(r"达到|达|提高|提升|降至|降低|下降|减少|削减|压减|控制|不低于|不高于|不超过|低于|高于|超过|突破|新增|新建|"
                        r"建成|建设|完成|累计|力争|争取|实现|确保|培育|创建|打造|开工|形成|改造|增加|增长|保持|稳定在|治理|整治|选择|遴选|开展|建立|设立|制定|制订|修订|营建|举办|"
                        r"制（修）订")  # 制（修）订: the bracketed spelling of 制订和修订 (157, 171)
# A figure that has been reached (已突破430万辆), an equivalence or estimate of another figure (相当于减排…,
# 按…测算), or an investment or funding amount is not a goal.
_PAST_BEFORE = re.compile(r"(?:已|已经|均已)$")
# 在确保100%回灌的前提下: a condition; 可新增销售收入…, 可减少…排放: what a project is estimated to yield.
_NOT_GOAL_CLAUSE = re.compile(r"相当于|测算|前提下|可(?:新增|实现|节约|节省|减少|降低|带动|提供|增加|形成)")
_RANGE_END = re.compile(rf"\d(?:{_UNIT_RE})\s*[-~～—至到]$")
_MONEY_NOT_GOAL = re.compile(r"投资|投入|资金|融资|贷款|基金")
# 30万千瓦以下纯凝机组, 65蒸吨及以上燃煤锅炉: a size class of what a rule applies to.
_QUALIFIER_AFTER = re.compile(r"(?:及以下|及以上|以下)(?!的)[\u4e00-\u9fff]")
# 年综合能耗1万吨标准煤以上企业, 10万千瓦（含）以上机组: a threshold in a measure (not a count: 建成100个以上示范项目
# is a goal; not a share: 30%以上企业 is one) that defines the group a rule applies to.
_SIZE_CLASS_AFTER = re.compile(r"^(?:（含）)?以上(?!的)(?!水平|目标|标准|要求)[\u4e00-\u9fff]")
_GOAL_VERB_BEFORE = re.compile(r"(?:完成|实现|达到|达|新增|建成|建设|改造|推广|累计|超过|突破|提高到|提升到|增加到|增长到)$")
_PERSON_WORD = set("口均员民们")
# Common words (现代汉语常用词表) that begin with a measure word of units.py: the figure before them counts bodies
# or is part of a name, not a quantity in that measure.
_BASIS_AFTER = re.compile(r"基础上|为基础")
_COUNTER_WORD = re.compile(r"^(?:部[门委分署]|期[间限末]|支[持撑付]|名[单称录]|对[象于接]|场[所景地])")
_PROJECT_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,8}(?:项目|生产线|装置)")
# The rest of a phrase (to the next comma) ends in 项目: the figure sizes a named project (a count of projects,
# 建成3个示范项目, is a goal: measure words are left to the other rules; a 工程 is often a programme of works whose
# size is the goal, 20条300公里示范性绿道提升工程).
_NAMED_PROJECT = re.compile(r"^(?:/[\u4e00-\u9fff])?[^，,；;。：:]{0,30}?项目(?:[，,；;。]|$)")
_OUTPUT_BEFORE = re.compile(r"(?:年产|年处理|日处理)$")
_CAPACITY = re.compile(r"^(?:万|亿)?(?:吨|千瓦|兆瓦|吉瓦|kW|MW|GW)(?:/|$)|^台$")
# A ratio or coefficient has no unit: 系数/比值/指数 directly before its comparator and figure; so has a data centre's
# power usage effectiveness (电能利用效率, PUE: total over IT energy, GB 40879), bounded from above (不超过1.3, 优于1.3).
_COEFFICIENT = re.compile(r"(?:系数|比值|指数|电能利用效率|PUE)\s*(?:（[^（）]{0,40}）|\([^()]{0,40}\))?\s*(?:值\s*)?"
                          r"(?:普遍|平均|均|原则上|进一步)?"
                          r"(?P<pre>提高到|提升到|提高至|提升至|达到|达|降至|降到|降低到|控制在|不低于|不高于|不超过|不得超过|不大于|"
                          r"低于|小于|优于|保持在)"
                          r"(?P<value>\d+(?:\.\d+)?)(?![\d.%％])")
# Past markers of a sentence: what it reports happened before the plan.
PAST_SENTENCE = re.compile(r"已|十三五|截至|截止|以来|过去")


def targets_in(sentence: str, year: int | None = None, base_year: int | None = None,
               default: int | None = None) -> list[Target]:
    """Year-bound quantified targets of one sentence. A due year (到2030年) applies to the clauses after it until
    another year; a baseline year (比2020年), a date and a past year are not due years. `year` is the due year
    carried over from an earlier sentence of the same unit (到2025年，…。森林覆盖率达到…). `default` is the end of
    the plan period of a plan (“十四五”规划 → 2025): a goal-form quantity of a sentence that states no year and
    reports no past is due then. Support amounts and thresholds of eligibility are not targets."""
    targets: list[Target] = []
    original, sentence = sentence, _without_item_number(sentence)
    last_indicator = ""  # 占…比重超过11%，力争提高4个百分点以上: a bare figure continues the sentence's indicator
    implicit = year is None and default is not None and not PAST_SENTENCE.search(sentence)
    if implicit:
        year = default
    if (note := _DEADLINE_NOTE.search(sentence)) and not YEAR.search(_BRACKETED.sub("", sentence[: note.start()])):
        year, implicit = int(note.group(1)), False  # …140万吨（…，完成期限：2021年四季度）: the task's own deadline
    columns = bool(_YEAR_COLUMNS.search(sentence))  # a table's header with year columns that pypdf ran into the text
    paired: list[int] = []  # 2025年和2030年，…分别提升至15%、20%: one due year per figure of a 分别 list, in order
    for clause in _clauses(sentence):
        brackets = _bracket_spans(clause)
        dues: list[tuple[re.Match, int]] = []
        for ym in YEAR.finditer(clause):
            if any(a < ym.start() < b for a, b in brackets):
                continue  # 100%（2023年）: a note to one figure, not the time of what follows
            role, due = _year_role(ym, clause, base_year)
            if role == "due":
                year, implicit = due, False
                dues.append((ym, due))
            elif role == "past":
                year, implicit, dues = None, False, []  # a past year or a date: what follows describes it, not a goal
        if dues:
            joined = len(dues) > 1 and all(_YEAR_AND.fullmatch(clause[a.end(): b.start()])
                                           for (a, _), (b, _) in zip(dues, dues[1:]))
            paired = [d for _, d in dues] if joined else []
        nth = 0 if "分别" in clause else None
        # 按…测算，相应每年减少…: an estimate or condition covers the rest of its sentence
        if year is None or _SUPPORT_CLAUSE.search(clause) or _ALLOCATION_CLAUSE.search(clause) \
                or _NOT_GOAL_CLAUSE.search(sentence[: sentence.find(clause) + len(clause)]):
            continue
        prev_end = 0
        for qm in QUANTITY.finditer(clause):
            if any(a < qm.start() < b and not _after_quantity(clause, a) for a, b in brackets):
                continue  # 乌东德（1020万千瓦）: the size of a named project; 15.33万公顷（新造2万公顷…）: a breakdown
            if re.search(r"(?:由|从)(?:20\d{2})年(?:底|末)?的?$", clause[: qm.start()]):
                continue  # 由2020年的11.2%提高到20%: the starting value, not the goal
            value, unit = qm.group("value"), qm.group("unit")
            # A year is not a quantity (2030年 matches 年 only through YEAR; guard 4-digit values with 年).
            if clause[qm.end("value"): qm.end("value") + 1] == "年" and unit != "年一遇":
                continue
            share = qm.group("unit") in ("%", "％") and _SHARE_OF.match(clause[qm.end("unit"):]) \
                and not _THRESHOLD_BEFORE.search(clause[: qm.start()]) \
                and (qm.group("pre") in (None, "力争") or qm.group("pre") in _FLOOR_PRE
                     and not _MEASURED_BEFORE.search(clause[: qm.start()]) and not clause[qm.end("unit"):].startswith("的比例"))
            if _CONDITION_AFTER.match(clause[qm.end():]) and not share or _PAST_BEFORE.search(clause[: qm.start()]):
                continue
            if qm.group("pre") in _THRESHOLD_PRE and _QUALIFIES.match(clause[qm.end():]) or _CLASS_BOUND.search(clause[: qm.start()]) \
                    or _BATCH_BEFORE.search(clause[: qm.start()]) and _ATTRIBUTIVE_AFTER.match(clause[qm.end():]) \
                    or _BOUND_OF_NOUN.match(clause[qm.end():]) \
                    or re.search(r"[>＞<＜]\s*$", clause[: qm.start()]) and re.match(r"[\u4e00-\u9fff]", clause[qm.end():]):
                continue  # 面积大于10平方公里或…的海湾: who or what a rule covers; 平板玻璃≥500≤800吨/天, >800吨/天单位产品能耗: a class
            if columns and (nxt := QUANTITY.match(clause, qm.end() + len(clause[qm.end():]) - len(clause[qm.end():].lstrip()))) \
                    and nxt.group("unit") == qm.group("unit") and not nxt.group("pre"):
                continue  # 受污染耕地安全利用率90%以上93%以上 under 2020年（现状值）2025年: the earlier column's value
            if columns and not qm.group("pre") and _TEXT_CELL.match(clause[qm.end():]):
                continue  # V类水比例42.1%完成国家下达目标: the later column is words, the figure is the earlier one
            if _in_quotes(clause, qm.start()) or _NAMED_COUNT.match(clause[qm.end():]) \
                    or clause[: qm.start("value")].endswith("指标") or unit in COUNTERS and _OWN_LIST.match(clause[qm.end():]) \
                    or unit in COUNTERS and _own_total(clause, qm, sentence):
                continue  # 打造“10分钟公园绿地服务圈”: part of a name; 共设置指标31项 / 20个指标 / 6项重点行动: the size of a list
            if unit in COUNTERS and not qm.group("pre") and _counts_named_set(clause, qm, sentence[: sentence.find(clause)]):
                continue  # 推进广元经济技术开发区等8个工业园区…整治: the size of a set the text names
            if unit in COUNTERS and not qm.group("pre") and _MEMBERS_BEFORE.search(clause[: qm.start()]) \
                    and not _ADDS_MEMBERS.search(clause[: qm.start()]):
                continue  # 指导纳入碳排放权交易试点的2家火电厂: the members a scheme has
            if unit in GRADES and (not qm.group("pre") or re.match(r"[\u4e00-\u9fff]", clause[qm.end():])):
                continue  # 达到4A级以上 is a goal; 建成5个4A级景区: the grade names the class of what is counted
            if _RATING_AFTER.match(clause[qm.end():]) or unit in ("%", "％") and _names_a_standard(clause, qm):
                continue  # 45兆帕／1000公斤、90兆帕／500公斤级压缩机: a rating class; 节能65%标准: a standard
            if _SCOPE_BEFORE.search(clause[: qm.start()]) and _SCOPE_AFTER.match(clause[qm.end():]):
                continue  # 以31个重点防洪城市…为重点: where work is focused, not what it is to reach
            if _CAPACITY.search(unit) and (_PROJECT_AFTER.match(clause[qm.end():]) or _OUTPUT_BEFORE.search(clause[: qm.start()])):
                continue  # 年产40万吨球团生产线, 银海铝业50万吨电解铝项目: the capacity of a named plant
            if unit not in COUNTERS and not qm.group("pre") and _NAMED_PROJECT.match(clause[qm.end():]):
                continue  # 荥阳3万吨废机油滤芯…综合处置项目: a measure inside a project's name (完成20万亩…项目 is a goal)
            if "元" in unit and _MONEY_NOT_GOAL.search(clause) or _QUALIFIER_AFTER.match(clause[qm.end("unit"):]):
                continue
            if unit not in COUNTERS and unit not in ("%", "％", "‰") and _SIZE_CLASS_AFTER.match(clause[qm.end("unit"):]) \
                    and not qm.group("pre") and not _GOAL_VERB_BEFORE.search(clause[: qm.start()]):
                continue  # a size class: 年综合能耗1万吨标准煤以上企业 (完成1000万平方米以上…改造 is a goal)
            if unit == "人" and clause[qm.end("unit"): qm.end("unit") + 1] in _PERSON_WORD:
                continue  # 15人口密度: a row number before 人口
            if _BASIS_AFTER.search(clause[qm.end():]):
                continue  # 在城镇新建建筑100%执行绿色建筑标准的基础上: what is reached already, a baseline
            if clause[: qm.start("value")].endswith("第") or _COUNTER_WORD.match(clause[qm.start("unit"):]) \
                    or _STANDARD_CODE.search(clause[: qm.start("value")]):
                continue  # 第1次局务会: an ordinal; 7部委, 5部门: a word that starts with a measure word
            pre, post = qm.group("pre") or "", qm.group("post") or ""
            if implicit and not (pre or post or _GOAL_VERB.search(sentence[: sentence.find(clause)] + clause[: qm.start()])):
                continue
            if _RANGE_END.search(clause[: qm.start()]):
                continue  # 5个—6个: the upper end of a range whose lower end was taken
            if not (pre or post) and _names_a_measure(clause, qm):
                continue
            # 万吨/日左右: a per-unit tail does not swallow the comparator after it
            if (tail := re.search(r"(左右|以上|以下|以内)$", unit)) and "/" in unit:
                unit, post = unit[: tail.start()], tail.group(1)
            comparator = f"{pre}…{post}" if pre and post else (pre or post)
            indicator = _indicator(clause, qm, prev_end)
            between = clause[prev_end: qm.start()]
            # 分别达到55%、45%: one indicator list, several values; …占比2023年底达到50%以上，2025年底达到60%以上: a clause
            # of only a due year and a figure goes on with the indicator before it
            if not indicator and last_indicator and (
                    re.fullmatch(r"[、，,和及与\s]*", between) or re.fullmatch(r"[，,]?(?:力争|争取|并|且|再)?", YEAR.sub("", between))):
                indicator = last_indicator
            prev_end = qm.end()
            if not indicator:
                continue
            last_indicator = indicator
            due_here = year
            if paired and nth is not None and "分别" in clause[: qm.start()]:
                due_here = paired[nth] if nth < len(paired) else year
                nth += 1
            targets.append(Target(year=due_here, indicator=indicator, comparator=comparator, value=value, unit=unit,
                                  text=original))
        for cm in _COEFFICIENT.finditer(clause):  # 农田灌溉水有效利用系数达到0.535: a figure without a unit
            indicator = YEAR.sub("", clause[: cm.start("pre")]).strip("，,：: ")[-40:]
            targets.append(Target(year=year, indicator=indicator, comparator=cm.group("pre"), value=cm.group("value"),
                                  unit="", text=original))
    return targets


_YEAR_AND = re.compile(r"[和、及与]")
# The number of a standard (GB 21344, GB/T 50378, HJ 1034): the prefixes of China's national (GB), environmental
# (HJ), local (DB) and sector standards (JGJ, CJJ, NB, DL, YB, JB) as the standards system codes them.
_STANDARD_CODE = re.compile(r"(?<![A-Za-z])(?:GB|HJ|DB|JGJ|CJJ|NB|DL|YB|JB)(?:\s*/\s*[TZ])?\s*\d*\s*[/.]?\s*$")
# A later column written in words or left empty after a figure (42.1%完成国家下达目标, 7.6 —).
_TEXT_CELL = re.compile(r"^\s*(?:(?:完成|达到|满足|落实)(?:国家|省|市)|[—－-]{1,2}(?!\s*\d))")
# Two year columns side by side (2020年（现状值）2025年, 2020年 2025年目标): a table's header.
_YEAR_COLUMNS = re.compile(r"(?:19|20)\d{2}\s*年\s*(?:[（(][^（）()]{0,6}[）)]|基[期准]值?|现状值?)?\s*(?:19|20)\d{2}\s*年")
# A comparison of size that the rest of its phrase turns into a qualifier (面积大于10平方公里或所辖岸线长度大于10公里的海湾,
# 浓度超过35微克/立方米的城市): the figure bounds a group, not a goal (…超过30%的目标 names the goal).
_THRESHOLD_PRE = {"大于", "小于", "高于", "低于", "超过", "超"}
_QUALIFIES = re.compile(r"^[^，,。；;：:]{0,20}?的(?!目标|要求|水平|任务)[\u4e00-\u9fff]")
# A class of a benchmark table: the upper bound of an interval (≥500≤800吨/天) or a strict sign before a figure
# whose unit runs straight into a name (>800吨/天单位产品能耗); goals are written ≥/≤ or in words.
# 示范建设一批新能源消纳电量不低于2亿千瓦时且…占比不低于…50%的…园区: figures inside the description of an
# unquantified batch (一批…的N) say which members qualify, not how many or how much.
_BATCH_BEFORE = re.compile(r"一批[^，,。；;：:]*$")
_ATTRIBUTIVE_AFTER = re.compile(r"^[^，,。；;：:]*?的[\u4e00-\u9fff“\"]")
# 实现30%额定容量及以下稳定出力: a figure whose noun phrase ends in 及以下/及以上 bounds a class or a range of operation.
# (80%以上县级及以上党政机关: an administrative level names who, the share stays a goal.)
_BOUND_OF_NOUN = re.compile(r"^(?![\u4e00-\u9fff]{0,4}?(?:县|市|省|地|区|乡|镇|国家|部)级)[\u4e00-\u9fff]{1,6}(?:及以下|及以上)")
_CLASS_BOUND = re.compile(r"[≥>＞]\s*\d+(?:\.\d+)?\s*[≤<＜]\s*$")


def _after_quantity(clause: str, bracket_start: int) -> bool:
    """The bracket opens right after a quantity: it breaks that figure down (15.33万公顷（新造2万公顷、改造13.33万公顷）)."""
    return any(m.end() == bracket_start for m in QUANTITY.finditer(clause[:bracket_start]))


def _names_a_measure(clause: str, qm: re.Match) -> bool:
    """臭氧日最大8小时滑动平均…浓度不超过145微克/立方米: a bare figure inside the name of an indicator whose goal
    follows in the same phrase (no list separator between them)."""
    for later in QUANTITY.finditer(clause, qm.end()):
        return bool(later.group("pre")) and not re.search(r"[、和及与，,]", clause[qm.end(): later.start()])
    return False


def _year_of(m: re.Match) -> int:
    if m.group("year"):
        return int(m.group("year").replace(" ", ""))
    return _PLAN_END[m.group("plan")]


def due_year(sentence: str, current: int | None, base_year: int | None = None) -> int | None:
    """The due year in force after `sentence`: the last due year that opens one of its clauses (到2025年，…),
    else the one carried in. A year inside a clause (为…2060年前实现碳中和奠定基础) sets no time for what follows."""
    years = []
    for clause in _clauses(_without_item_number(sentence)):
        line = clause[clause.rfind("\n") + 1:]  # after a heading line that shares the sentence
        line = _GOAL_HEADING.sub("", line)  # …or a goal heading run into it (二、主要目标到2025年，…)
        m = YEAR.search(line)
        # Only a year that is the clause's whole topic (到2025年， / “十四五”期间，) sets the time of what follows.
        if m and len(_TOPIC_REST.sub("", line[: m.start()] + line[m.end():])) == 0 \
                and (y := _due(m, line, base_year)) is not None:
            years.append(y)
    return years[-1] if years else current


# The heading of a goal section that pypdf ran into the first sentence (二、主要目标到2025年, （一）总体目标 到2030年):
# numbered like a heading, named like GOAL_SECTION (目标, 目标任务).
_GOAL_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、．.]|（[一二三四五六七八九十]{1,3}）|\d{1,2}[.．、])\s*"
                           r"(?:发展|主要|总体|具体|工作|规划)?目标(?:任务|指标)?\s*(?=(?:到|至|力争到|争取到)?\s*20\d{2}\s*年)")
_TOPIC_REST = re.compile(r"[，,：:。；\s]|^(?:到|至|力争到|力争|争取到|争取|预计到|在|截至|计划到)|(?:底|末|前|期间|时期)$")


def _indicator(clause: str, qm: re.Match, prev_end: int = 0) -> str:
    """What the quantity measures: the clause around it, without the year, the baseline or other quantities."""
    before = clause[prev_end: qm.start()]
    after = re.split(r"[、，,。；;]", clause[qm.end():], maxsplit=1)[0]
    before = re.sub(r"(?:(?<!占)比|较|相比)(?:20\d{2})年", "", before)
    before = re.sub(rf"(?:由|从)(?:20\d{{2}})年(?:底|末)?的?(?:\d+(?:\.\d+)?(?:{_UNIT_RE})?)?", "", before)
    before = YEAR.sub("", before)
    before = re.sub(r"^[，,：:、\s]*(?:力争|争取|确保|努力)?", "", before).strip("，,：:、 ")
    after = after.strip("，,。；;：: ")
    if len(after) > 1 and not before:
        return after[:40]
    if before and after and len(after) <= 20 and not re.match(r"^(?:以上|左右|以内|以下)", after):
        return f"{before}…{after}"[:60]
    return before[-40:]


# Headings of the parts of a plan that review the past (第一章 发展基础, （一）“十三五”成效, 面临形势).
PAST_SECTION = re.compile(r"(?:发展|工作|现实|良好)基础|基础条件|现状|回顾|成效|成就|进展|形势|面临|挑战|机遇|背景|十三五")
# The parts of a plan that forecast its effects (第八章 规划实施效果分析); there and in a review of the situation a
# sentence that forecasts (预计到2025年存在800万千瓦电力硬缺口, 煤电装机规模将达到…) states an estimate, not a goal.
EFFECT_SECTION = re.compile(r"效果|效益|影响分析")
FORECAST = re.compile(r"预计|预测|有望|将")
GOAL_SECTION = re.compile(r"(?:发展|主要|总体|具体|工作|规划)目标")
