"""The one table of question intents: every cue pattern that reads what a question asks, and the precedence in
which the intents are tried. Routing (answer.route) and the handler chains (answer.extractive) read it; the
handlers do not route again with patterns of their own.

Three layers, tried in this order:
1. Before routing (service._extractive, in this order): `ACROSS` (one indicator across documents,
   answer.indicator), `ARTICLE` (a unit named by its number, answer.labelled), `SUPPORT_INTENTS` (amount, window,
   conditions of a support item, answer.support). The first that answers wins.
2. `ROUTES`: the question's route (reported as Answer.route), the first intent whose rule holds.
3. `STEPS`: per route, the handlers to try in order, each behind its cue; the first that answers wins (a handler
   returns None when the documents do not give what it reads). `FIRST` is tried before every route.
`ASKED_FACTS` says what kind of fact a question asks (an amount, a date, an organisation, a condition, a
consequence): the answerability features and the handlers' choice of evidence read it.

Patterns are searched in the folded question (knowledge.text.fold) for routing and in the question as asked
for the steps, as they always were.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from knowledge.support_fields import PER_UNITS
from knowledge.text import TITLE_KINDS

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

# -- what kind of fact is asked ------------------------------------------------------------------------------
# The question words that ask for an organisation, one home for ASKED_FACTS["org"] and ASKS_SLOT["org"] (so they
# cannot drift). ASKS_SLOT has four more (哪些机构, 什么单位, 哪个局, 哪些局, added with it in ad1d03f): ASKED_FACTS
# is a feature of the fitted answerability model, and adding them there is a refit to measure, not a refactor.
_ORG_QUESTION_WORDS = "哪个部门|哪些部门|哪个单位|哪些单位|哪个机构|哪个处室|什么部门|什么机构|谁|由哪|归哪"
_ORG_QUESTION_WORDS_SLOT_ONLY = "哪些机构|什么单位|哪个局|哪些局"
# The answerability features (answer.answerability), one question pattern per kind.
ASKED_FACTS: dict[str, re.Pattern] = {
    "amount": re.compile(r"多少|(?<!哪)几个|(?<!哪)几项|几座|几成|百分之|比例|占比|比重|规模|数量|面积|容量|多大|多高|金额|上限|最高|标准是"),
    "date": re.compile(r"哪天|哪一天|几月|哪年|哪一年|什么时候|何时|什么时间|截止|期限|时限|有效期|施行|生效|起止|多久|几年|时间节点|"
                       r"多长时间|几号|最晚|多少天|多少个工作日"),
    "org": re.compile(rf"{_ORG_QUESTION_WORDS}|负责|牵头|主管|印发|发布|编制|审核|认定|授予|受理|报送"),
    "condition": re.compile(r"条件|资格|哪些企业|什么企业|哪类|谁可以|可以申请|能申请|申报要求|门槛|符合|满足"),
    "penalty": re.compile(r"处罚|罚款|后果|违反|违规|法律责任|怎么处理|如何处理|会怎样|追究|责令"),
}
# The slots a question asks with a question word (多少, 什么时候, 哪个部门): a sentence added to complete an answer
# (answer.parts) must fill them. ASKED_FACTS also reads topic words as cues (审核, 负责, 截止, 期限): "没按规定审核…会受到
#什么处理" asks a consequence, not an organisation, and its missing part names none.
ASKS_SLOT: dict[str, re.Pattern] = {
    "amount": re.compile(r"多少|(?<!哪)几[个项座家条成倍档次类]|百分之几|多大|多高|多长|多重"),
    "date": re.compile(r"哪天|哪一天|几月|哪年|哪一年|什么时候|何时|什么时间|多久|几年|多长时间|几号|最晚|多少天|多少个?工作日|"
                       r"时间节点|什么日期"),
    # the question words of ASKED_FACTS["org"] and four more; 哪家 (企业) asks for a firm, which no organisation
    # pattern states
    "org": re.compile(rf"{_ORG_QUESTION_WORDS}|{_ORG_QUESTION_WORDS_SLOT_ONLY}"),
}
# The figure handlers (answer.targets): the evidence must carry an amount / a year / a time.
ASKS_AMOUNT = re.compile(r"多少|(?<!哪)几个|(?<!哪)几项|几座|几成|百分之|比例|占比|比重|规模|数量|面积|容量|多大|多高|多少钱|金额")
ASKS_WHICH_YEAR = re.compile(r"哪一年|哪年|几年|年份")
ASKS_SEVERAL = re.compile(r"分别|各是|各为|各自|各多少")  # A和B分别是多少: each figure answers half
# The decision (answer.decide): "how many" needs a figure (ASKS_COUNT, below with the classifiers), "which day" a date.
ASKS_DAY = re.compile(r"哪天|哪一天|几月|哪年|哪一年|几号|什么日期")
# "When" asked (什么时候, 何时, 什么时间): only a sentence stating a time answers (a date, a span, or a moment named
# relative to an event: 自发布之日起, “十五五”时期; answer.text.STATES_WHEN), not one about the asked act that says
# nothing of when (本年度拟立项项目将在科技厅网站进行公示).
ASKS_WHEN = re.compile(r"什么时候|何时|什么时间")
# A telephone number asked (咨询电话是多少, 打哪个电话, 联系人和电话是什么): only a quote stating one answers
# (answer.decide). Dev questions ask it of six notices (139, 551, 513, 375, 203 state one; b10's 369 does not).
ASKS_PHONE = re.compile(r"(?:电话|手机|传真|热线)(?:号码?)?(?:是|为)?(?:多少|什么|哪个)|(?:哪个|什么)[\u4e00-\u9fff]{0,4}?电话")
# A web address asked (网址是什么, 在哪个网站公开, 网站是哪个): only a quote stating one answers (answer.identifiers). Dev
# questions ask it of b6's 339 (在哪个网站或平台上公开) and b13's 350 (披露系统的网址是什么), neither of which states one;
# a website named as a topic (在政务微信微博和网站开设专栏) asks nothing.
ASKS_WEB = re.compile(r"网址|(?:哪个|哪些|什么|哪一个)(?:网站|网页)|(?:网站|网页)(?:是|为)?(?:什么|哪个)")
# An e-mail address asked (邮箱地址是什么, 发到哪个邮箱): only a quote stating one answers (answer.identifiers), as for a
# telephone number (b16 225 asks it and states none; b14 274 states one); 邮件标题 as a topic asks for none.
ASKS_EMAIL = re.compile(r"(?:邮箱|电子信箱|电子邮件|邮件地址)(?:地址)?(?:是|为)?(?:什么|多少|哪个)|(?:哪个|什么)(?:电子)?(?:邮箱|信箱)")
# A place asked by name (在哪个城市举办, 有哪些城市, 哪几个省): only a quote naming a place — other than those the question
# names itself — answers (answer.identifiers); a sentence about pilots or the province's own campaign does not say where.
# General Chinese which-words with the nouns of administrative divisions; 哪个省级/市级 asks a level, 市场 is no place.
ASKS_PLACE = re.compile(r"(?:哪个|哪些|哪座|哪几个|哪一个)(?:城市|地市|省份|省市|市|省)(?![级场委])")
# A length of time asked (多长时间, 多久): only a quote stating a span (30个工作日, 3年, 24小时) or how often (每年, 每季度)
# answers; a date (2024年底前) says by when, not how long (answer.identifiers).
ASKS_DURATION = re.compile(r"多长时间|多久|多长的?(?:时间|周期)")
# A sum of money asked (罚多少钱, 奖励多少万元, 补贴多少) or a price (电价是多少): only a sentence with a sum in 元 answers; a physical unit
# asked (多少万千瓦, 多少吨): only a sentence with that unit.
ASKS_MONEY = re.compile(r"多少钱|多少(?:万|亿|千)?元|几(?:十|百|千)?(?:万|亿)元|(?:奖励|补贴|补助|资助|奖补|罚款?|支持)(?:了|金额)?多少(?![个项家座条批])|"
                        # the money noun up to four characters after 多少 (b15's 555 多少推广应用补贴, b10's 549 多少积分或奖励, b15's 411
                        # 多少中央财政补助资金) — not when a classifier, a unit of time or 比例 follows 多少 (多少天内办资金拨付, 多少项补贴,
                        # 多少比例的补贴 ask a span, a count, a share)
                        r"多少(?![天年月日个项家次名位台座条批户套比])[^\W\d_]{0,4}?(?:资金|经费|奖励|补贴|补助|资助|奖补)|金额|"
                        # a price or a fee (电价是多少, 最低成交价格是多少, 收费标准是多少, 核查费用标准是多少): money per
                        # unit, stated in 元 (0.5元/千瓦时); a share or a count of something else does not answer it
                        r"(?:价(?:格|钱)?|收费|费用?)(?:标准)?(?:是|为)?多少|"
                        # the money noun a few characters before 多少 (补贴标准是多少, 交易价格定的是多少, 经费每年安排多少,
                        # 罚款标准是多少) or a fee right after it (交多少手续费, 要交多少开户费): the same sum asked, as the dev
                        # questions of nine documents ask it (562, 395, 70, 57, 577, 175, 402, 510, 181); not 消费 or 税费
                        # (消费比重要到多少, 多少项税费优惠), and 价 only as 价格/价钱 (评价要达到多少分 asks a score)
                        r"(?:价格|价钱|收费|(?<![税消])费用?|奖励|补贴|补助|资助|奖补|罚款)[^，。？?；;、,\d]{0,4}?多少(?![个项家座条批])|"
                        r"多少[\u4e00-\u9fff]{0,3}?(?<![税消])费")
# Money asked per a unit of measure (Chinese grammar: 按每千瓦时补助多少, 每台奖励多少钱): a rate per that unit answers
# (0.2元/千瓦时, 每台补贴500元), a lump sum does not. The units are those support extraction reads rates per
# (knowledge.support_fields.PER_UNITS).
ASKS_PER_UNIT = re.compile(rf"每({PER_UNITS})")
# A share asked (比例多少, 占比多少): a percentage, 成, 倍 or a ratio (2:1) answers, not a count or a time.
ASKS_SHARE = re.compile(r"比例|占比|比重|百分比|几成")
# A rate asked with 多少 (森林覆盖率要达到多少, 漏损率要控制在多少) is a share: a percentage, 成, 倍 or 百分点 answers
# (answer.identifiers.FORMS), not a count or an area (b16 147: 营造林任务600万亩); 34 dev and own-set questions ask one.
ASKS_RATE = re.compile(r"[\u4e00-\u9fff]率[^，。？?、；]{0,6}?多少")
# 百分点 (个百分点): the unit of a difference between shares, as statistics write it; a share (18%) does not answer it.
ASKS_UNIT = re.compile(r"多少(?:万|亿)?(千瓦时|千瓦|吨标准煤|吨|平方米|立方米|公顷|亩|公里)|多少个?(百分点)")
# A count asked in a counting unit (多少辆, 多少座, 多少家): only a sentence with a number in that unit answers. The
# units are the individual measure words (个体量词) of standard Chinese grammars that count the things policies
# count (vehicles 辆, machines 台, buildings and stations 座, firms 家, schools 所, sites 处, items 项 and 条, batches
# 批, households 户, persons 名 and 位, sets 套, ships 艘, aircraft 架, plants 株 and 棵, 根, 件, 张; 个 the general
# one); see e.g. 《现代汉语八百词》 (吕叔湘, 量词表).
# A span of time asked (多久, 几年, 几个工作日): answer.parts adds a sentence stating one when the quotes lack it.
ASKS_SPAN = re.compile(r"几年|多少年|多久|多长时间|多长期限|期限多长|几个月|多少个?月|几个?工作日|多少个?工作日|几天|多少天|多少日")
# A span of time asked as a count of years, months or days (有效期是几年, 几个工作日内): only a sentence stating such a
# span answers (answer.text.STATES_SPAN: 5年, 十五个工作日). 多久 and 多长时间 are left out here: they are read on the
# completed answer instead (ASKS_DURATION, answer.asked_form.form_stated), where hours or a frequency answer too.
ASKS_SPAN_COUNT = re.compile(r"(?<!哪)(?:几年|几个月|几天|几个?工作日)|多少(?:年|个?月|天|个?工作日)")  # 哪几年 asks which years
CLASSIFIERS = ("辆", "台", "座", "家", "个", "项", "所", "处", "条", "批", "户", "名", "位", "套", "艘", "架", "株", "棵", "根",
               "件", "张")
GENERAL_CLASSIFIER = "个"  # the general classifier: 多少个 is answered by a count in any of them (…项, …家, …座)
# A count asked with 多少 or with 几 and a classifier (几名专职人员, 几所学校; 几成, 几倍 ask a share): 哪几个 is a listing,
# and 好几项, 十几个 say "several", asking nothing.
_ASKING_JI = "(?<![哪好十数])几"
ASKS_COUNT = re.compile(f"多少|{_ASKING_JI}(?:[成倍]|{'|'.join(CLASSIFIERS)})")
# 多少 after a telephone, fax, post-code or other number that names something (联系电话多少, 号码是多少) asks for that
# number, not for a count or an amount (general Chinese: 电话多少 is "what is the phone number"): the decision's count
# checks (answer.eligible) leave such a clause out. A hotline (热线: 12398能源监管热线, b18's 29) and a document's number
# (文号: 包府办发〔2021〕21号, b16's 271) are such numbers too: general words of Chinese administration for a number that
# names a line or a document, both seen refused as counts (docs/answerability-transfer.md section 18).
ASKS_IDENTIFIER = re.compile(r"(?:电话|手机|传真|号码|邮编|邮政编码|编号|账号|热线|文号|QQ|qq)(?:号码?)?(?:是)?多少")
# 个百分点 is a unit of measure (a difference of shares), not the general classifier
ASKS_CLASSIFIER = re.compile(f"(?:多少|{_ASKING_JI})(?:万|亿)?({'|'.join(CLASSIFIERS)})(?!百分点)")
COUNTED = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万亿]+)\s*(?:多|余)?\s*(?:万|亿)?\s*"
ASKS_MONTH_DAY = re.compile(r"哪天|哪一天|几月|几号|什么日期")  # a calendar day: a year alone does not answer
# A day of the month asked (哪天, 哪一天, 几号, 几月几日, 什么日期): a front-matter date without a day (a cover's 2022年3月)
# does not answer it (answer.dates.MetaDatesHandler); unlike ASKS_MONTH_DAY, 几月 alone is answered by a month.
ASKS_CALENDAR_DAY = re.compile(r"哪一?天|几号|几月几|什么日期")
# The LLM guard (answer.guard): the question asks for a figure, so the answer must state one.
ASKS_FIGURE = re.compile(r"多少|几[个项条座家年成倍万千百亿]?|比例|占比|比重|目标|指标|规模|数量|面积|容量|装机|金额|补贴|资助|"
                         r"奖励|万元|上限|最高|比率|.率|哪一?年|何时|什么时候|截止|期限|时限")
# Front-matter dates (answer.dates): what is asked → the parsed field. 截止 is not an expiry: in a question it closes
# an action's deadline (申报截止日期, 填报截止时间, 清缴的截止时间), and a document's end is asked with 有效期, 到期, 失效.
# 落款 (落款日期): the signature block an official document's date of issue (成文日期) stands in (GB/T 9704-2012
# 党政机关公文格式); b8's 513 and 203 were asked it and answered from their preambles.
DATE_FIELDS = (
    ("issued", re.compile(r"印发|发布|出台|发文|签发|成文|落款")),
    # 实施 before a kind of document names the document (那份实施意见, 实施方案, 实施细则: knowledge.text.TITLE_KINDS), not
    # its taking effect: b13's 241 (广东…的那份实施意见是哪天发布的) asked its issue date and found no effective date.
    ("effective", re.compile(rf"施行|生效|实施(?!(?:{TITLE_KINDS}))|执行|起算|开始")),
    ("expires", re.compile(r"有效期|到期|失效|多久|多长")),
)
# Words of a question about the document's structure, not a topic (标志性产业链有几条 has a topic).
STRUCTURE_WORD = re.compile(r"举措|措施|意见|条|方面|部分|具体|内容|文件|政策|章节|任务")
