"""What kind of fact a question asks: the question patterns the answerability features (ASKED_FACTS), a completed
answer's slots (ASKS_SLOT), the figure and identifier handlers, the decision (answer.decide), the LLM guard and the
front-matter dates read. Split from the intent table (answer.intents), which routes by them; patterns are searched
in the question as asked unless a caller says otherwise.
"""
from __future__ import annotations

import re

from knowledge.support_fields import PER_UNITS
from knowledge.text import TITLE_KINDS
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
