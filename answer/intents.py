"""The one table of question intents: the cue patterns that route a question and its handlers, and the precedence in
which the intents are tried. Routing (answer.route) and the handler chains (answer.extractive) read it; the
handlers do not route again with patterns of their own.

Three layers, tried in this order:
1. Before routing (service._extractive, in this order): `ACROSS` (one indicator across documents,
   answer.indicator), `ARTICLE` (a unit named by its number, answer.labelled), `SUPPORT_INTENTS` (amount, window,
   conditions of a support item, answer.support). The first that answers wins.
2. `ROUTES`: the question's route (reported as Answer.route), the first intent whose rule holds.
3. `STEPS`: per route, the handlers to try in order, each behind its cue; the first that answers wins (a handler
   returns None when the documents do not give what it reads). `FIRST` is tried before every route.
What kind of fact a question asks (ASKED_FACTS: an amount, a date, an organisation, a condition, a consequence; the
ASKS_* patterns the handlers and the decision read) has its own module, answer.asks; routing reads two of them.

Patterns are searched in the folded question (knowledge.text.fold) for routing and in the question as asked
for the steps, as they always were.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from answer.asks import ASKED_FACTS, ASKS_SHARE

# -- route kinds (Answer.route) ------------------------------------------------------------------------------
TARGET = "target"
YEAR = "year"
BUREAU = "bureau"
BUREAU_MEASURES = "bureau_measures"
ENTERPRISE = "enterprise"
COUNT = "count"
SECTIONS = "sections"
TARGET_LIST = "target_list"
GENERAL = "general"
DOCUMENT = "document"  # the route of an answer from FIRST (the document number)

# -- handler kinds that refine a route ------------------------------------------------------------------------
DOC_NUMBER = "doc_number"  # 文号: from the title block
ISSUER = "issuer"  # who issued the document: from the front matter
META_DATES = "meta_dates"  # issued / effective / expires: from the parsed front matter
DATED = "dated"  # a dated sentence of the preamble or closing text
NAMED_SECTION = "named_section"  # the measures of a section the question names by title
WHO_HOLDS = "who_holds"  # the addressee of an act (向谁申请) or the holder of a named role (建设主体是谁)
BASIS = "basis"  # what the document was made on (依据哪些文件制定的): from its preamble (根据/按照/依据《…》)

# -- 1. before routing ----------------------------------------------------------------------------------------
ACROSS = re.compile(r"各地|各省|各市|各区|各城市|各地区|各文件|各个文件|各份文件|各政策|各地方|不同(?:城市|地区|省份|文件)|"
                    r"哪些(?:城市|地区|省份|省市|文件)|各(?:省|市)(?:区|份)?")
_CN_NUMERAL = "一二三四五六七八九十百零〇两"
ARTICLE = re.compile(rf"第([{_CN_NUMERAL}\d]{{1,5}})条")
# The question asks what the article says — not, say, the penalty for breaking it (违反第二十条…).
ASKS_ARTICLE_CONTENT = re.compile(r"规定了?(?:什么|哪些|啥)|说了?(?:什么|啥)|讲了?(?:什么|啥)|内容|写了?(?:什么|啥)|怎么规定|是什么|"
                                  r"要求了?什么")
ARTICLE_OTHER = re.compile(r"违反|处罚|罚款|法律责任|依据第|根据第|按照第")
# Tax relief as the tax authority's guides word it (329 税费优惠政策指引: 享受…优惠, 税额抵免, 即征即退, 减按) is about
# support too (the second line).
ABOUT_SUPPORT = re.compile(r"补贴|补助|奖励|资助|奖补|扶持|贴息|资金支持|支持资金|专项资金|减免|免征|减征|申报|申请|填报|拿到|能拿|"
                           r"给多少|补多少|"
                           r"优惠|抵免|即征即退|减按|减半|"
                           # how much of a tax is relieved, asked plainly (Chinese grammar: 环境保护税能减多少, 增值税能退多少)
                           r"(?:能|可以)?(?:减|退)多少")
# Whether a case may claim a relief (还能享受吗, 能免征…吗): asks its conditions, and is answered by what the relief is too.
ASKS_MAY_CLAIM = re.compile(r"能享受|可以享受|能否享受|能不能享受|能(?:免征|减征|减免|抵免|退税)[^？?，,。]{0,20}吗")
# Where an application goes or which office handles it (issue 12: "where to apply and which office handles it"), as
# Chinese asks a destination or a handling body: 报送到哪个部门, 交到哪里, 报给谁, 向哪里/向哪个部门提交, 哪个单位受理, 由哪个部门
# 受理, 受理部门是, 在哪里申报, 找哪个部门. Asked of calls on dev documents of five batches (b3 229 报送到省工信厅哪个处室,
# 309 由哪个部门受理; b4 233 向哪个部门提交申请; b7 525 由哪个单位受理; b10 369 书面材料交到哪里; b14 209 报送到哪个部门).
OFFICE_ASKED = re.compile(r"(?:报送|提交|递交|寄送|交|送|报|寄)(?:到|至|给)(?:哪|谁|什么)|"
                          r"(?:报送|提交|递交|寄送|交|送|报|寄)(?:到|至|给)[^，,。？?]{1,10}?(?:哪个|哪一个|什么)(?:部门|单位|机构|处室|科室)|"
                          r"向(?:哪里|哪儿|哪个|哪些|哪一?级|谁|什么)[^，,。？?]{0,6}?(?:提交|申报|申请|报送|递交|提出)|"
                          r"(?:哪个|哪些|什么|哪一?级)(?:部门|单位|机构|机关|处室)[^，,。？?]{0,4}?受理|由(?:哪|谁)[^，,。？?]{0,6}?受理|"
                          r"受理(?:部门|单位|机构|机关)|在哪(?:里|儿)?(?:申报|申请|提交|填报)|找哪个?(?:部门|单位)")
# The papers of an application handed in (Chinese grammar: 材料最晚什么时候交, 申请表交给谁, 申报书报送到哪): a question about
# applying even without a word of support (b14 209 征集…技术，材料最晚什么时候交). 交 of 交通 is no handing in.
PAPERS_ASKED = re.compile(r"(?:材料|申请表|申报表|申报书|推荐表)[^，,。？?]{0,8}?(?:交(?!通)|报送|提交|递交|寄)")
# Which papers an application hands in (Chinese grammar: 要准备哪些材料, 需要提交哪些材料, 要交什么材料, 交哪些证明文件,
# 申报材料包括哪些): a verb of handing in or preparing before the question word and a noun of papers after it, or the
# papers asked to list themselves. Asked on dev documents of six batches (b2 155, b3 162, b5 322 175, b6 139, b8 406
# 375, b9 399, b14 209); 出台什么文件 (no handing in) is not asked so.
MATERIALS_ASKED = re.compile(r"(?:提交|提供|交(?!通)|准备|报送|递交|上传|寄送|附上?|上报|报|备齐)[^，,。？?]{0,4}?"
                             r"(?:哪些|什么|啥|何种|哪几[份种类项个]?)[^，,。？?]{0,8}?(?:材料|资料|证明|文件|附件|表格?)|"
                             r"(?:材料|资料)(?:有哪些|包括哪些|包括什么|都有什么|是什么|有什么)")
SUPPORT_INTENTS = (  # (intent, question pattern), the first that matches wins; the relief rows come last
    ("office", OFFICE_ASKED),
    ("window", re.compile(r"截止|什么时候|何时|哪天|哪几天|几月|申报时间|受理时间|申请时间|填报时间|时间段|期限|之前|日前")),
    ("conditions", re.compile(r"条件|资格|要求|哪些企业|什么企业|什么样的企业|哪类企业|谁可以|谁能|能不能申请|可以申请吗|"
                              r"还能申请|还能申报|能申报吗|可以申报吗|符合什么|门槛")),
    ("amount", re.compile(r"多少|最高|上限|额度|金额|标准|怎么补|如何补|比例|几成|补贴多少|奖励多少")),
    ("materials", MATERIALS_ASKED),
    ("conditions", ASKS_MAY_CLAIM),
    ("amount", re.compile(r"什么优惠|哪些优惠|什么税收优惠|哪些税收优惠")),  # what relief a case gets: its terms
)
# Two support asks read beside the table (answer.support): the window asked as a requirement, and what support is
# offered at all.
# The time an application must keep to, asked as a requirement (Chinese grammar: 申请有什么时间要求, 时间上有什么限制,
# 有什么时限): the window, not the conditions its 要求 would otherwise read as. Not a time that is an attribute of the
# applicant (对注册时间有什么要求: a condition).
TIME_ASKED = re.compile(r"(?:什么|哪些)时间(?:上的)?(?:要求|限制|规定)|时间上有(?:什么|哪些)(?:要求|限制|规定)|"
                        r"(?:什么|哪些)时限|时限要求")
# What support is asked (Chinese grammar: 有什么好处, 什么激励, 哪些支持, 资金支持渠道), without a sum, a window or conditions.
OFFERS_ASKED = re.compile(r"好处|激励|(?:什么|哪些|何种)(?:政策)?(?:支持|扶持|奖励)|支持渠道|资金渠道")

# -- 2. routes (folded question) -----------------------------------------------------------------------------
WHO = re.compile(r"责任部门|负责部门|主管部门|牵头部门|哪个部门|哪些部门|哪个单位|哪些单位|哪家|什么部门|谁|责任单位|牵头单位|负责单位|"
                 r"由哪|归哪|哪个局|哪些局|主管")
# The question words among them: 主管部门/责任单位 may be what a deadline question names (多长时间内要向主管部门报告).
WHO_ASKED = re.compile(r"哪个部门|哪些部门|哪个单位|哪些单位|哪家|什么部门|谁|由哪|归哪|哪个局|哪些局|什么单位|哪个机构|哪些机构")
BUREAU_TASKS = re.compile(r"哪些(?:举措|措施|工作|任务|事|事项|方面|条)|负责什么|管什么|参与了?哪|承担|牵头.{0,6}哪|涉及哪|有哪些职责|"
                          r"做哪些|干什么")
WHICH_OR_HOW_MANY = re.compile(r"哪些|多少|几")
RESPONSIBLE = re.compile(r"负责|牵头")
# The question asks what a body is responsible for (负责哪些工作, 牵头什么, 职责), not who a 负责人 is.
DUTIES = re.compile(r"负责(?!人)|牵头|职责|分工")
LEAD = re.compile(r"牵头")
# Enterprise look-up: the asker describes themselves (我们是化工企业…), or asks what applies to an industry.
SELF = re.compile(r"我们|我司|我公司|本企业|本公司|我是|我家|我厂|咱们")
APPLIES = re.compile(r"(?:企业|行业|公司|厂).{0,10}(?:有哪些|有什么|哪些|什么)(?:要求|政策|规定|措施|限制|支持|影响|内容)"
                     r"|(?:涉及|适用于?|针对|影响到?|关系到?).{0,8}(?:企业|行业)")
ENTERPRISE_ASK = re.compile(r"要求|相关|适用|影响|政策|规定|支持|限制|注意|哪些|什么")
ENTERPRISE_NOT = re.compile(r"多少|几个|比例|占比")  # a figure about an industry is a target question
# 我们是一家建材企业 / 我司是银行: the asker's own industry, when the question says it.
SELF_INDUSTRY = re.compile(r"(?:我们|我司|我公司|本企业|本公司|我|咱们)(?:是|属于|作为)(?:一家|一个|个)?(.{1,12}?)"
                           r"(?:企业|公司|厂|机构|单位|行业|，|,|。|$)")
COUNT_CUE = re.compile(r"多少条|几条|多少项|几项|多少个举措|多少个措施|一共.{0,6}(?:举措|措施|条)|总共|共有多少")
SECTIONS_CUE = re.compile(r"(?:哪些|哪几项|几项)(?:重点|主要)?任务|几个方面|哪几个方面|哪些方面|几大(?:行动|方面|部分)|哪几部分|哪些部分|"
                          r"包括哪些行动|哪几项行动|哪些行动|框架|结构")
TARGET_LIST_CUE = re.compile(r"(?:哪些|所有|全部|列出|有什么).{0,8}(?:目标|指标)|目标.{0,4}(?:有哪些|都有什么|清单)")
LISTING = re.compile(r"哪几|哪些")
LISTING_NOT = re.compile(r"多少|比例|占比")  # 哪些…多少: a figure is asked, not a list
# A classification asked (分哪几类, 分为哪几种, 有哪些类型, 分几档): a sentence that states the classes answers it
# (answer.text.STATES_CLASSES; the general handler puts it first). General Chinese for "divided into which kinds".
ASKS_CLASSES = re.compile(r"分(?:为|成)?(?:哪几|哪些|几)个?(?:大类|类|种|档|级)|(?:哪些|哪几|什么)(?:类型|类别|种类)|哪几[类种]")
# 哪一天 is 哪天 written in full (ans35: on dev it routed 是哪一天印发的 to the general handler, past the front matter;
# asked on 11 dev items of 9 batches, b17's 495 refused with its date of issue read).
WHEN = re.compile(r"哪一?天|多久|有效期|哪一年|哪年|什么时候|何时|几年|什么时间|时间节点|期限|截止")
AMOUNT = re.compile(r"多少|几个|几成|比例|占比|比重|目标|达到|提高到|下降|降低|规模|数量|面积|容量|装机|指标|率")
# A course of action asked (Chinese grammar: 该怎么办, 会被怎么处理, 会怎样): the measure words of AMOUNT then state the
# case (调整了规模和工艺, 完成目标任务), not a figure asked — unless a figure word asks one too (抵免多少…怎么办).
ACTION_ASKED = re.compile(r"怎么办|怎么处理|如何处理|怎样处理|会怎样|会怎么样")
FIGURE_ASKED = re.compile(r"多少|几|多大|多高|多长|比例|占比|比重")
# A due year; a baseline year (比2020年) is not one.
DUE_YEAR = re.compile(r"(?<![比较与])(?<!相比)(20\d{2})\s*年?")


# A body the question names as the addressee of a submission or report (向市生态环境局交…, 报给市住建委, 报送至…):
# the question is about what is sent or who sends it, not about that body's own measures. General Chinese
# grammar (向/给 mark the recipient; 报送至/交给 the destination), not a list of questions.
ADDRESSEE = re.compile(r"(?:向|给|报送?(?:至|到|给)|(?:提|递|送)?交(?:至|到|给)|抄送)"
                       r"[\u4e00-\u9fff（）()]{1,15}?(?:委员会|局|委|厅|部|办公室|办|中心|政府|处|室)")


@dataclass(frozen=True)
class Cues:
    """What routing reads from a question: its folded text and what it names. `actors` are the bureaus it names
    other than as an addressee (ADDRESSEE); None means all of `bureaus`."""
    q: str
    bureaus: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    actors: tuple[str, ...] | None = None

    @property
    def named_actors(self) -> tuple[str, ...]:
        return self.bureaus if self.actors is None else self.actors


@dataclass(frozen=True)
class Intent:
    kind: str
    holds: Callable[[Cues], object]  # truthy: the question has this intent


def _asks_time(c: "Cues") -> bool:
    """A date or a span of time is asked (几月前, 多少个工作日内, 什么时候): a question that names a body for it
    (县区林业部门初审…多少个工作日, 向主管部门报告…多长时间) is a date question, not one about the body's measures."""
    return bool(ASKED_FACTS["date"].search(c.q))


ROUTES: tuple[Intent, ...] = (  # precedence: the first that holds
    # A share asked of a body (抽多少比例进行复核) is a figure of its measure, never a count of its measures.
    Intent(BUREAU_MEASURES, lambda c: c.named_actors and not WHO.search(c.q) and not _asks_time(c)
           and not ASKS_SHARE.search(c.q)
           and (BUREAU_TASKS.search(c.q) or COUNT_CUE.search(c.q) or WHICH_OR_HOW_MANY.search(c.q))),
    Intent(BUREAU, lambda c: (WHO.search(c.q) and (WHO_ASKED.search(c.q) or not _asks_time(c)))
           or (RESPONSIBLE.search(c.q) and not c.bureaus and not AMOUNT.search(c.q) and not _asks_time(c))),
    Intent(ENTERPRISE, lambda c: c.industries and (SELF.search(c.q) or APPLIES.search(c.q))
           and ENTERPRISE_ASK.search(c.q) and not WHEN.search(c.q) and not ENTERPRISE_NOT.search(c.q)),
    Intent(COUNT, lambda c: COUNT_CUE.search(c.q)),
    Intent(SECTIONS, lambda c: SECTIONS_CUE.search(c.q) and not c.bureaus),
    Intent(TARGET_LIST, lambda c: TARGET_LIST_CUE.search(c.q)),
    Intent(GENERAL, lambda c: LISTING.search(c.q) and not LISTING_NOT.search(c.q)),  # 哪些/哪几: a listing
    Intent(YEAR, lambda c: WHEN.search(c.q)),
    Intent(TARGET, lambda c: (AMOUNT.search(c.q) or c.years)
           and not (ACTION_ASKED.search(c.q) and not FIGURE_ASKED.search(c.q))),
    Intent(GENERAL, lambda c: True),
)


def route_kind(cues: Cues) -> str:
    return next(i.kind for i in ROUTES if i.holds(cues))


# The addressee of an act asked (向谁申请验收, 应该向哪里申报, 报送到哪个处室): 向 marks the addressee in Chinese; the act's
# verb is read after the question word (its first two characters: 申请, 申报, 提交, 报送, 备案). And a role asked with
# its holder's question word (建设主体是谁, 责任单位是哪个部门): the role is the noun before 是/为 (…主体, …单位, …机构,
# …部门, …人). answer.addressee answers both.
ADDRESSEE_ASKED = re.compile(r"向(?:谁|哪里|哪儿|哪个部门|哪个单位|哪些部门|什么部门|哪个机构|哪一级)(?:提出)?(?P<verb>[\u4e00-\u9fff]{2})")
# The fields of a responsibility clause (牵头单位, 责任单位, 配合单位, 负责部门, 主管部门) are left to the bureau handler, which
# reads them from the clause.
ROLE_ASKED = re.compile(r"(?P<role>[\u4e00-\u9fff]{1,6}(?:主体|机构|人)|[\u4e00-\u9fff]{1,6}(?<!牵头|责任|配合|负责|主管)(?:单位|部门))"
                        r"(?:是|为)(?:谁|哪个|哪家|哪些|什么)")
# The head of a group asked (领导小组由谁当组长, 组长由谁担任, 由谁担任组长, 召集人是谁): the holder is a post (分管副省长,
# 主要领导同志), not a body, so a responsibility clause does not answer it; documents name the holder before the post
# with a verb of holding it (由分管副省长任组长, 建立由分管副省长为组长的…, 主要领导同志任组长, 组长由…担任). Asked of
# leading groups and task forces on three dev documents (b10's 475, b14's 70 and 395).
HEAD_POSTS = "副组长|组长|总召集人|召集人|总指挥"
HEAD_ASKED = re.compile(rf"(?P<post>{HEAD_POSTS})(?:由|是|为)?(?:谁|哪位|什么人)|(?:由)?(?:谁|哪位)(?:来)?(?:当|任|担任|出任)"
                        rf"(?P<post2>{HEAD_POSTS})")


# -- 3. steps (question as asked) -----------------------------------------------------------------------------
ASKS_DOC_NUMBER = re.compile(r"文号|发文字号|文件编号|字号")
# 联合发的: issued jointly, asked without 印 (b15 550, b18 19: 是哪些部门联合发的).
ASKS_ISSUER = re.compile(r"印发|发布|出台|发文|制定|联合发")
# Several issuing bodies asked (哪些部门, 哪几个部门, 哪两个部门, 几个部门): the plural which-words of Chinese.
ASKS_SEVERAL_ISSUERS = re.compile(r"(?:哪些|哪几个?|哪[两二三四五六七八九十]个|几个)(?:部门|单位|机构)")
ASKS_DATE = re.compile(r"哪天|哪一天|几月|印发|施行|生效|发布|有效期|起止")
# 试行期: the period of a document issued 试行 (试行两年), its validity in Chinese drafting (试行期到什么时候结束).
ASKS_VALIDITY = re.compile(r"有效期|到期|失效|试行期(?!间)")  # 试行期间: while it is tried, no end asked
# A sentence that states an expiry (有效期, 失效 …); 《…》同时废止 repeals another document, not this one.
EXPIRY_STATED = re.compile(r"有效期|失效|(?<!同时)废止|到期|截止")
# The basis the document itself was made on (是依据哪些地方法规和办法制定的, 依据生态环境部哪个文件制定的, 制定依据是什么):
# a basis word with a which-word and a verb of making a document, or the noun 制定依据. Seen on dev documents of three
# batches (b6's 339, b9's 397, b10's 369), each stating it in its preamble (根据/按照/为贯彻落实《…》…制定本计划); the
# subject before the basis word is the document (answer.basis checks it names this one).
ASKS_BASIS = re.compile(r"(?:依据|根据|按照|依照)(?:的是)?[^，,。？?；;]{0,8}?(?:哪|什么)[^，,。？?；;]{0,14}?(?:制定|出台|印发|编制|起草)|"
                        r"(?:制定|出台|编制)的?(?:依据|根据)")


@dataclass(frozen=True)
class Step:
    handler: str
    # Taken only when this holds for (question as asked, scope); None: always.
    when: Callable[[str, tuple[str, ...] | None], object] | None = None


def _asks_who_holds(question: str, scope) -> object:
    return ADDRESSEE_ASKED.search(question) or ROLE_ASKED.search(question) or HEAD_ASKED.search(question)


FIRST = (Step(DOC_NUMBER, lambda q, scope: ASKS_DOC_NUMBER.search(q)),
         Step(BASIS, lambda q, scope: ASKS_BASIS.search(q)))
_FIGURE_TAIL = (Step(TARGET), Step(GENERAL))
STEPS: dict[str, tuple[Step, ...]] = {
    BUREAU_MEASURES: (Step(BUREAU_MEASURES), Step(GENERAL)),
    BUREAU: (Step(ISSUER, lambda q, scope: ASKS_ISSUER.search(q)), Step(WHO_HOLDS, _asks_who_holds), Step(BUREAU),
             Step(GENERAL)),
    ENTERPRISE: (Step(ENTERPRISE),),
    COUNT: (Step(COUNT), Step(GENERAL)),
    SECTIONS: (Step(NAMED_SECTION), Step(SECTIONS), Step(GENERAL)),
    TARGET_LIST: (Step(TARGET_LIST), *_FIGURE_TAIL),
    TARGET: _FIGURE_TAIL,
    YEAR: (Step(META_DATES, lambda q, scope: ASKS_DATE.search(q) or ASKS_VALIDITY.search(q)),
           Step(DATED, lambda q, scope: ASKS_DATE.search(q)), Step(YEAR), Step(GENERAL)),
    # 是哪几个部门联合印发的 (哪几 routes it here as a listing): the bodies signed over the date, when several did
    GENERAL: (Step(ISSUER, lambda q, scope: ASKS_ISSUER.search(q) and ASKS_SEVERAL_ISSUERS.search(q)),
              Step(WHO_HOLDS, _asks_who_holds), Step(GENERAL)),
}
# Routes whose answer-or-refuse decision is the calibrated answerability model (answer.decide). A bureau's listing,
# a count of the document's measures and its parts are read from the structure (exact): they stand; a sentence the
# general handler quotes when the question has a topic (一共有多少家重点排放单位) is decided like any other.
DECIDED = frozenset({TARGET, YEAR, GENERAL, BUREAU, BUREAU_MEASURES, COUNT, SECTIONS})

# Words that make a "which targets" question list every target (量化指标有哪些, 主要指标): dropped from its topic, so
# with no other word no target may be left out (answer.targets' list handler; the service narrows by the rest).
LIST_ALL_TARGETS = frozenset({"量化", "指标", "主要"})
