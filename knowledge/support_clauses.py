"""Vocabulary and clause readers for support items: the kind a clause names, tiers, applicants, conditions,
exclusions and the office, and the numbering a sentence sits under. Pure functions on strings, no I/O.

Every vocabulary list says where it comes from: the support documents of the development corpus
(`../shared/corpus-dc/`: 117 繁昌区, 122 广州市黄埔区, 309 深圳市2023年绿色低碳产业扶持计划, 343 福建省工业节能降碳若干措施,
158 拉萨南北山绿化, 315 上海市科技支撑碳达峰专项指南, 583 云南省科技支撑碳达峰专项), issue #12 and SPEC.
"""
from __future__ import annotations

import re

from knowledge.support_fields import REGIONS, Money, Rate, rate_text
from knowledge.text import line_sentences as sentences  # noqa: F401  (knowledge.support imports it from here)
from knowledge.text import clause_at

# The five kinds of issue #12 and the words that name them in the development support documents (117, 122, 309)
# and in common notice wording (奖补, 以奖代补, 免征/减半征收 in tax guides). Order matters: the first word found
# in a clause decides, and specific words (贴息, 减免) come before the general ones.
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("贴息", "贴息"), ("减免", "减免"), ("免征", "减免"), ("减征", "减免"), ("减半征收", "减免"), ("减按", "减免"),
    # tax relief as tax law words it (抵免, 即征即退, 加计扣除, 免税, 退税)
    ("抵免", "减免"), ("即征即退", "减免"), ("加计扣除", "减免"), ("免税", "减免"), ("退税", "减免"),
    # … and the fees and surcharges waived as a tax is (329 税费优惠政策指引 52.-55. 分布式光伏发电自发自用电量免收国家重大
    # 水利工程建设基金 / 可再生能源电价附加 …; common 免收…费, 386 免收基本电费): 免收 is 免征 of a fee.
    ("免收", "减免"),
    ("奖补", "奖励"), ("以奖代补", "奖励"), ("奖励", "奖励"), ("资助", "资助"), ("补贴", "补贴"), ("补助", "补贴"),
    ("配套", "补贴"), ("扶持", "资助"),
    # A refund of what a payer paid in, paid as a reward for meeting targets (91 江苏 四、返还、奖励: 各按收取…统筹资金
    # 总额的10%进行返还; not 退还, which claws a grant back, 122).
    ("返还", "奖励"),
    # A fund's grants (303 中国清洁发展机制基金: 安排一定规模赠款支持以下项目活动).
    ("赠款", "资助"),
)
# Constructions rather than words (support20: each entry below was one document's word, now the form it stands for):
# - support named by the measure of what is granted — its sum, share, ceiling or strength — (502 中央预算内投资:
#   单个项目支持金额, 投资支持比例; 315 上海 经费额度：本方向为定额资助; common wording of science-fund guides: 支持强度,
#   支持经费, 省拨经费/市拨经费, the funds the province or city grants a project);
# - a lower price or rate granted (314 浦东绿色金融: 给予费率优惠; 262 三明 在车贷方面给予利率优惠; common 电价优惠, 租金优惠).
KIND_FORMS: tuple[tuple[str, str], ...] = (
    (r"(?:支持|经费)(?:金额|比例|额度|强度)|(?:支持|拨)经费", "资助"),
    (r"(?:费率|利率|电价|价格|租金|保费)优惠", "减免"),
)
KIND_RE = re.compile("|".join([*(re.escape(w) for w, _ in KIND_WORDS), *(f for f, _ in KIND_FORMS)]))
_KIND_OF = dict(KIND_WORDS)


def kind_word(word: str) -> str | None:
    """The kind a word KIND_RE matched names (a word of KIND_WORDS, or a KIND_FORMS construction)."""
    return _KIND_OF.get(word) or next((k for f, k in KIND_FORMS if re.fullmatch(f, word)), None)
# Sentences that exclude (117 不予支持的情形; 122 不予配套, 不予发放, 不得再次申请; 309 项目不予资助).
EXCLUSION_RE = re.compile(r"不予(?:支持|资助|补助|补贴|奖励|配套|扶持|发放|受理)|不得(?:再次)?申请|不重复(?:享受|补贴|支持)"
                          r"|不属于.{0,10}(?:扶持|支持|补助)范[畴围]|除外")
# Exclusions stated anywhere in a notice apply to all of it (309 注意事项: …视为虚报项目投资额，项目不予资助).
STRICT_EXCLUSION_RE = re.compile(r"不予(?:支持|资助|补助|补贴|奖励|扶持)")
# Clause cues of an eligibility condition (122 第二条 "符合以下条件", 309 申报条件, 583 申报单位须…; issue #12:
# 注册地, 规模, 高新技术企业/绿色工厂, 获得荣誉不超过一年).
CONDITION_RE = re.compile(r"前提下|须|需|应当|应|必须|符合|满足|通过|获得|获评|列入|纳入|认定|注册|以上的|以下的|年内|之日起")
# Headings/lead words of a notice's sections that hold document-wide facts (309 四、申报条件 / 受理时间 / 受理机关;
# 117 一、支持对象; 122 第二条【适用范围】; 583 二、申报条件, 三、申报方式).
COND_SECTION_RE = re.compile(r"申报条件|申请条件|支持对象|扶持对象|申报主体|申报要求|适用范围|基本条件|支持条件|申报范围")
# … and the headings a call that grants no money states who may take part under (a pilot, a demonstration, a 征集):
# 139 四川近零碳排放园区试点 (二)试点对象, 282 苏州需求征集 一、征集对象, 373 城市绿色货运配送示范工程 第六条 申报示范工程的
# 城市…应当同时满足以下条件, 487 浙江林业固碳增汇试点 第七条 试点申报应符合下列条件, 525 河北降碳产品 第八条 …申报应当满足以下
# 条件. Read only for documents without support items (answer.support_conditions), so the items' conditions stay as
# COND_SECTION_RE reads them.
CALL_COND_SECTION_RE = re.compile(rf"{COND_SECTION_RE.pattern}|(?:试点|示范|征集|申报|申请)对象|"
                                  r"(?:满足|符合|具备)(?:以下|下列)(?:条件|标准)")
# The lead words of a notice's application window (309 网络填报受理时间, 书面材料受理时间; 583 在线填报时间; common 申报时间,
# 截止时间, 申报截止, 截止日 (the deadline day); common: 逾期不予受理 after the deadline it closes, 265 …截止时间为2022年2月28日（周一）前，逾期不予受理).
# The deadline word is one construction with or without the verb of applying before it (support25: 截止时间 of 265 and
# 315 and 283's 申报截止时间 were two rules of the leave-one-document-out study; common 受理截止, 填报截止).
WINDOW_CUE_RE = re.compile(r"(?:申报|受理|填报|申请|提交|报送|征集)(?:时间|日期|期限)|"
                           r"(?:(?:申报|受理|填报|申请|提交|报送|征集)截止|截止(?:时间|日期|日))|"
                           r"逾期(?:不予|不再|不)(?:受理|接收|接受)")
# The applicant, as a notice names it, doing the applying by a date (无锡 3月9日（周三）17：00前，项目申报单位须完成网上申报;
# common: 申请单位应于…前提交申请材料, 申报企业须在…前完成填报): the call's own deadline, beside later steps that local
# authorities take (…各地主管部门统一报送推荐项目汇总表).
APPLICANT_ACTS_RE = re.compile(r"(?:申报|申请)(?:单位|企业|主体|人)[^，。；]{0,6}?(?:须|应|需|要|必须)[^，。；]{0,8}?"
                               r"(?:完成|提交|进行)?[^，。；]{0,4}?(?:申报|申请|填报|提交)")
# The time of a step after applying, taken by an authority (277 天津: 局级主管单位审查时间为…, 市科技局审查时间为…; common
# 评审时间, 公示期): not an applicant's window even under a 申报时间 heading.
REVIEW_TIME_RE = re.compile(r"(?:审查|审核|评审|初审|复审|复核|答辩|公示)(?:时间|日期|期限|期)")
# Words of applying (309 申报/受理/填报, 583 申报/推荐/截止, 122 申请, 征集 in titles: 282, 274, 259): a date in a sentence
# without one is not an application window (309: 项目应为2020年1月1日后开始建设).
APPLY_RE = re.compile(r"申报|申请|受理|填报|报送|提交|征集|截止|推荐")
# A duty to report by a date (25 电力可靠性管理办法: 电力企业应当于每年2月15日前将…分析报告报送…, 中央电力企业总部于每年3月1日
# 前报送国家能源局; common 年报, 总结, 报表): handing in a report, or handing in something every year or quarter, with no
# word of applying for anything (申报, 申请, 受理, 填报, 征集, 推荐), is no application window.
# The periods of a recurring duty, one home for both readers below.
REPORT_PERIODS = "每年|每季度?|每半年|每月"
REPORT_DUTY_RE = re.compile(rf"报告|年报|总结|报表|台账|统计数据|{REPORT_PERIODS}")
APPLYING_RE = re.compile(r"申报|申请|受理|填报|征集|推荐")
# The same two tests for a statement of papers (knowledge.support_materials), which must differ from the window's:
# a report is itself a paper (报告, 报表 are papers handed in, so only 年度报告, a plan's 总结 or 统计/监测数据 mark the
# duty), and applying there includes filing, registering and being certified (备案, 登记, 认定, 验收, 注销, 核发, 制发:
# 162's 申请制发林业碳票, 399's 注销操作的截图) while 受理/填报/征集 name a window's step, not the papers. (评价/评审 are
# left out: a technical guide's 环境影响评价 报告书 or a rating's 评价报告 are no application, 493 551.)
PAPERS_REPORT_DUTY_RE = re.compile(rf"{REPORT_PERIODS}|年度报告|总结|统计|监测数据")
PAPERS_APPLYING_RE = re.compile(r"申报|申请|备案|登记|推荐|认定|验收|注销|核发|制发")
# Who handles it: 受理机关：…, 向…提出申请, （责任单位：…） (309, 122, 583).
OFFICE_LABEL_RE = re.compile(r"(?:受理机关|受理单位|受理部门|申请决定机关|主管部门|责任单位|承办单位)[：:]\s*(?P<o>[^。；\n（(]{2,40})")
# … not the 向 of a word (support22: 定向 283 创新战略定向项目名称、推荐（申报）单位 read 项目名称、推荐（ as the office, and 502
# 定向项目汇总申报; 意向 209 285 402 有意向申报的单位); 方向 stays, since 业主方向…申请 (175, 525) names the office.
OFFICE_TO_RE = re.compile(r"(?<![定意])向(?P<o>[^，。；\n]{2,30}?)(?:提出|提交|报送|申报|递交)")
# … and where a call's papers go, named after the verb of handing in (support22: 209 于2022年3月27日前报送安徽省发展改革委; 551
# 纸质版一式两份寄送至工业和信息化部（节能与综合利用司）; 285 申报材料报送至武汉市经济和信息化局): an organ's name, ending as
# organs' names end; read in a call's own deadline sentence only (knowledge.support_facts.document_facts), not 报送我厅.
# The papers may stand between the verb and 至/到 (提交申报材料至…, 报送…汇总表到…); 至/到 is never part of the name,
# and 我 is refused after it too (551 随推荐名单一并报送至我部 read 至我部: the optional 至 gave way to the look-ahead).
# The verbs of handing papers in, one home: OFFICE_SENT_RE here, answer.support_fields' 报送我厅 (the issuer's own office).
HAND_IN = "报送|寄送|递交|提交"
# … and the wider verbs a statement of papers hands them in or attaches them with (knowledge.support_materials: 162
# 应当提供登记申请表, 406 提交标准文本; the rest from support24's sweep of the open documents, docs/support-rules.md);
# 寄送 (in HAND_IN) is read there too.
HAND_IN_PAPERS = f"{HAND_IN}|提供|附送|附具|上传|出具"
OFFICE_SENT_RE = re.compile(f"(?:{HAND_IN})" r"(?:[^，。；、\d\s（(《“至到]{0,28}?(?:至|到))?(?![我至到])"
                            r"(?P<o>[^，。；、\d（(《“\s至到]{2,30}?(?:委员会|委|厅|局|部|办公室|中心|处|司))")
# Who may apply, as a notice states it (309 申报主体为…, 583 申报单位是…; common 申请人, 支持对象为…).
APPLICANT_IS_RE = re.compile(r"(?:申报主体|申报单位|申请单位|申请主体|支持对象|扶持对象|申请人)(?:须|应|必须)?(?:为|是)(?P<a>[^。；\n]{2,80})")
# The addressee of a grant: 对X，给予… / 对X按… (117, 122, 343), after the item's own numbering.
APPLICANT_TO_RE = re.compile(r"(?:^|[，。；])(?:\s*[0-9一二三四五六七八九十]+[.．、]|\s*[（(][0-9一二三四五六七八九十]+[）)])?"
                             r"对(?P<a>[^，。；]{2,40}?)(?:，|给予|按照|按|予以|分别)")
# 给予项目投资方补助, 给予创建单位1万元补贴 (122): only a recipient noun, not 给予腾出能耗奖励.
APPLICANT_GIVE_RE = re.compile(r"给予(?P<a>[^，。；0-9一二三四五六七八九十]{0,10}?(?:方|单位|企业|机构|协会|主体|个人))"
                               r"(?:一次性)?(?:\d|补|奖|资|配套)")
# Tier words (SPEC "tiers 国家级/省级/市级"; 122: 国家、省、市 / 优秀、良好、合格 / 甲、乙两级; awards' 一等奖…).
TIER_RE = re.compile(rf"{REGIONS}|"  # the regions of central investment rules (knowledge.support_fields.REGIONS)
                     r"国家级|省级|市级|区级|县级|国家|省|市|区|县|一等奖|二等奖|三等奖|特等奖|优秀|良好|合格|"
                     r"甲级?|乙级?|丙级?|[一二三四五]星级?|[一二三四五]级|[A]{1,5}级")

# Tier words listed with 、 (122 国家、省、市 / 优秀、良好、合格).
TIER_LIST_RE = re.compile(rf"(?:{TIER_RE.pattern})(?:、(?:{TIER_RE.pattern}))+")


def kind_of(clause: str) -> str | None:
    """The kind a clause names: the word after 给予/予以 when there is one (给予腾出能耗奖励 → 奖励), else the first;
    titles of other documents (《…扶持实施细则》) do not count."""
    clause = re.sub(r"《[^》]*》", "", clause)
    m = re.search(rf"(?:给予|予以)[^，。；]{{0,24}}?({KIND_RE.pattern})", clause) or KIND_RE.search(clause)
    return kind_word(m.group(m.lastindex or 0)) if m else None


def general_kind(clause: str) -> str | None:
    """给予…支持 names a grant in general wording (121 杭州: 按…办法给予支持; common: 给予最高50万元支持): 资助, when no
    kind word of the clause or its sentence says more."""
    return "资助" if GIVE_SUPPORT_CLAUSE_RE.search(re.sub(r"《[^》]*》", "", clause)) else None


GIVE_SUPPORT_RE = re.compile(r"(?:给予|予以)[^，。；]{0,16}支持")
# … and the same grant as an item is read, within its clause however long the sum is named (common: 给予项目总投资10%、
# 最高500万元的资金支持, 20 characters between 给予 and 支持; support25, a written example: no open corpus-dc document
# changes). The chat's offers (answer.support_offers) keep the 16 characters above, as GRANT_RE / GRANT_CLAUSE_RE below.
GIVE_SUPPORT_CLAUSE_RE = re.compile(r"(?:给予|予以)[^，。；]*?支持")
# A grant of a kind of support without a sum (314 浦东: 给予费率优惠, 按照规定给予经费补助等支持; 303: 通过安排一定规模赠款支持):
# the grant word, then the kind within the clause.
GRANT_RE = re.compile(rf"(?:给予|予以|安排)[^，。；：]{{0,12}}?(?:{KIND_RE.pattern})")
# … and the same grant as an item is read (knowledge.support): the kind anywhere in the grant's clause, however long
# the thing granted is named (322 嘉兴 第十四条（二）优先安排环保科技项目立项和环保专项补助资金: 13 characters between 安排
# and 补助). A clause is the structure; the 12 characters above are kept for the chat's offers (answer.support_offers).
# … and the grantee enjoying a support policy (373 城市绿色货运配送示范工程管理办法: 示范城市按照有关要求，享受奖励政策; 158
# 第十四条 …造林承包方可享受相关补助等政策; common: 享受相关扶持政策), not when it is denied or stopped (158 不享受电价补贴政策,
# 329 停止享受…优惠) or limited (117 只能享受其中一项奖补政策).
GRANT_CLAUSE_RE = re.compile(rf"(?:给予|予以|安排)[^，。；：]*?(?:{KIND_RE.pattern})|"
                             rf"(?<![不止能])享受(?:相关|有关)?[^，。；：其]{{0,8}}?(?:{KIND_RE.pattern})[^，。；：]{{0,3}}?政策")
# The papers of an application (申请表, 申报书, 推荐表, 申报材料) handed in by a date: the call's own deadline, whatever
# lead words the notice uses (139 四川 请各市（州）于2022年5月13日前报送《四川省近零碳排放园区试点建设申请表》; 229 河南 指导企业填写
# 申报表（附件1）…于2022年2月16日前报送我厅; the forms every call attaches). Read with a word of handing in (APPLY_RE) and
# a date.
CALL_PAPERS_RE = re.compile(r"(?:申报|申请|推荐)(?:汇总)?(?:表|书|材料)")
# What a call without money confers, named in the document's title (229 关于申报河南省能碳管理示范企业的通知, 139 关于开展近零
# 碳排放园区试点工作的通知; common: …示范项目, …标杆企业, 能效"领跑者", …称号): the title or pilot is the benefit, as a fund is
# for a call for projects (FUNDING_RE in knowledge.support).
# … and a call to recommend candidates onto a published list (support22: 209 安徽 关于组织推荐碳达峰碳中和领域先进适用技术的
# 通知, its technologies put in the province's 技术库; 551 工信部 关于开展2021年度绿色制造名单推荐工作的通知, 绿色工厂 and the
# other titles of the 绿色制造名单): being listed is the benefit, and the call's papers and deadline are its window.
# Calls that ask for something without listing the applicant (征集 of needs, cases, teaching resources or experts:
# 274 282 225 259 281 289) and registrations (375 备案) name neither word in their titles.
CONFERS_RE = re.compile(r"试点|示范|标杆|领跑者|称号|推荐|名单")
# Headings of a clause list whose sentences set the sums of support without naming its kind (502 二、安排标准:
# 节能减碳项目按不超过项目总投资的15%控制; common 补助标准, 支持标准, 资助标准, 奖励标准).
STANDARD_HEADING_RE = re.compile(r"(?:安排|补助|补贴|支持|资助|奖励|扶持|奖补)(?:标准|方式|额度)")


def tiers_in(sentence: str, money: list[Money], rates: list[Rate]) -> list[dict]:
    """分别 lists: 对考核结果为优秀、良好、合格的…分别给予30万、20万、10万元 → three tiers; 国家、省、市…100%、70%、50%…
    分别不超过500万元、300万元、100万元 → tiers with a rate and a cap each."""
    at = sentence.find("分别")
    if at < 0:
        return _tier_pairs(sentence, money) or _region_shares(sentence, rates) or _rate_list(sentence, rates) or \
            _named_rates(sentence, rates)
    after = [m for m in money if m.start > at]
    shares = [r for r in rates if r.start > at]  # 100%、70%、50% (122); 4000元/桩、6000元/桩 (成都)
    n = len(after) if len(after) >= 2 else len(shares) or len(after)  # 分别…30%、45%、60%，单个项目…不超过5000万元 (502)
    lists = [m for m in TIER_LIST_RE.finditer(sentence) if len(TIER_RE.findall(m.group(0))) == n]
    if n < 2:
        return []
    if lists:
        names = TIER_RE.findall(min(lists, key=lambda m: abs(m.start() - at)).group(0))
    else:
        # Tiers the sentence does not name (common: 按…分别给予30万元、20万元、10万元奖励): one a sum, unnamed, so no sum
        # after the first is lost.
        names = _enumeration_before(sentence[:at], n) or [""] * n
    tiers = []
    for i, name in enumerate(names):
        t: dict = {"tier": name, "sentence": sentence}
        if len(shares) == len(names):
            t["rate"] = rate_text(shares[i])
        if len(after) == len(names):
            key = "cap" if after[0].cap else "amount"  # 分别不超过A、B、C: the cue before the list covers all
            t[key] = after[i].text
            t["wan"] = after[i].wan
        tiers.append(t)
    return tiers


def _tier_pairs(sentence: str, money: list[Money]) -> list[dict]:
    """Tier words each followed by their sum (common award wording, SPEC "tiers 国家级/省级/市级": 奖励标准为：国家级100万元、
    省级50万元、市级20万元); two or more pairs make tiers."""
    tiers = []
    for m in money:
        before = sentence[max(0, m.start - 10):m.start]
        t = re.search(rf"({TIER_RE.pattern})(?:[^、，；。\d]{{0,4}})$", before)
        if t and not re.search(r"[、，；]", before[t.end():]):
            tiers.append({"tier": t.group(1), ("cap" if m.cap else "amount"): m.text, "wan": m.wan, "sentence": sentence})
    return tiers if len(tiers) >= 2 else []


def _region_shares(sentence: str, rates: list[Rate]) -> list[dict]:
    """Shares each stated after its region, in one sentence (common wording of central investment rules, the four
    regions of 502 written out: 东部地区补助比例为项目总投资的20%，中部地区为25%，西部地区为30%): a tier a region, when
    two or more regions have one."""
    tiers = []
    for r in rates:
        if r.unit != "%":
            continue
        clause = _clause_at(sentence, r.start)
        at = clause.find(r.text)
        m = re.match(rf"\s*对?({REGIONS})", clause) or re.search(rf"({REGIONS})[^，。；、\d]{{0,4}}$", clause[:max(at, 0)])
        if m and m.group(1) not in {t["tier"] for t in tiers}:
            tiers.append({"tier": m.group(1), "rate": rate_text(r), "sentence": sentence})
    return tiers if len(tiers) >= 2 else []


def _enumeration_before(text: str, n: int) -> list[str] | None:
    """Tier names outside the tier vocabulary: the n-member 、-list closing the clause before 分别 (成都: 对新（扩）建
    110千伏、220千伏及以上变电站分别给予每座50万元、100万元 → 110千伏, 220千伏及以上变电站)."""
    clause = re.split(r"[，。；：]", text)[-1]
    parts = next((p for p in (clause.split("、"), re.split(r"及|和", clause), re.split(r"、|和|及", clause))
                  if len(p) == n), None)
    if parts is None:
        return None
    first = re.split(r"对|为|建|获得|认定|按|的", parts[0])[-1]
    names = [first] + [re.sub(r"性质$", "", re.split(r"的", p)[0]) for p in parts[1:]]
    return names if all(0 < len(x) <= 12 for x in names) else None


def _rate_list(sentence: str, rates: list[Rate]) -> list[dict]:
    """0.15元/千瓦时[应用方（屋顶方）为非公共机构的]、0.3元/千瓦时[应用方（屋顶方）为公共机构的] (122): one tier per rate,
    named by the bracket that follows it."""
    per = [r for r in rates if r.unit != "%"]
    if len(per) < 2 or len({r.unit for r in per}) != 1:
        return []
    tiers = []
    for a, b in zip(per, per[1:] + [None]):
        tail = sentence[a.start + len(a.text):(b.start if b else len(sentence))]
        if b is not None and ("、" not in tail or re.search(r"[。；，]", tail)):
            return []
        m = re.match(r"\s*[\[［【](.+?)[\]］】]", tail)
        tiers.append({"tier": m.group(1) if m else "", "rate": rate_text(a), "sentence": sentence})
    return tiers


def _named_rates(sentence: str, rates: list[Rate]) -> list[dict]:
    """Per-unit rates of one unit, each in a clause of its own after what it is paid for (common wording of emission
    and per-unit awards, support28's probes: 奖补标准为：二氧化硫每吨1000元，氮氧化物每吨1500元; 新建项目按每千瓦200元，改造
    项目按每千瓦100元): a tier each, named by its clause's words before the rate; two or more make tiers."""
    per = [r for r in rates if "/" in r.unit]
    if len(per) < 2 or len({r.unit for r in per}) != 1:
        return []
    tiers, clauses = [], set()
    for r in per:
        at = max(sentence.rfind(c, 0, r.start) for c in "，,；") + 1  # the start of the rate's clause
        clause = _clause_at(sentence, r.start)
        name = re.split(r"[：:]", sentence[at:r.start])[-1]
        name = re.sub(r"^\s*(?:对|其中)|(?:按照|按|给予|予以|的)+\s*$", "", NUMBERING_RE.sub("", name)).strip()
        if clause in clauses or not 0 < len(name) <= 12 or re.search(r"\d", name):
            return []
        clauses.add(clause)
        tiers.append({"tier": name, "rate": rate_text(r), "sentence": sentence})
    return tiers if len({t["tier"] for t in tiers}) == len(tiers) else []


def _clause_at(sentence: str, pos: int) -> str:
    return clause_at(sentence, pos, "，,；", "，,；。")


def _clauses(sentence: str) -> list[str]:
    return [c for c in re.split(r"[，,：:]", sentence) if c.strip()]


# What an applicant phrase ends in (117/122/309/583: 企业, 单位, 机构, 行业协会, 项目投资方, 应用方（屋顶方）, 企事业单位,
# and the projects/products/systems a support is given for).
APPLICANT_NOUN_RE = re.compile(r"(?:企业|单位|机构|协会|方|主体|个人|公司|园区|项目|产品|系统|小区|组织|团队|平台|基地|工厂|设施)"
                               r"(?:[（(][^（）()]{1,10}[）)])?$")


def applicants_in(sentence: str) -> list[str]:
    out = []
    for rx in (APPLICANT_IS_RE, APPLICANT_TO_RE, APPLICANT_GIVE_RE):
        for m in rx.finditer(sentence):
            a = re.sub(r"的$", "", m.group("a").strip())
            if a and a not in out and APPLICANT_NOUN_RE.search(a):
                out.append(a)
    return out


# Numbering that opens a sub-item (SPEC outline markers 1./（1）/一、), stripped from conditions and exclusions.
NUMBERING_RE = re.compile(r"^\s*(?:[0-9]+[.．、]|[（(][0-9一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")


def conditions_in(sentence: str, figure_clause: int | None = None) -> list[str]:
    """Clauses of `sentence` that set an eligibility condition (ending in 的, or with a condition cue), other
    than the clause that carries the figure."""
    out = []
    for i, c in enumerate(_clauses(sentence)):
        c = NUMBERING_RE.sub("", c.strip().rstrip("。；"))
        if i == figure_clause or not c or len(c) < 4:
            continue
        if c.endswith("的") or (CONDITION_RE.search(c) and not KIND_RE.search(c)):
            out.append(c)
    return out


def office_in(sentence: str) -> str | None:
    for rx in (OFFICE_LABEL_RE, OFFICE_TO_RE):
        m = rx.search(sentence)
        if m:
            return m.group("o").strip("：: ）)")
    return None


# 项目并网后在线持续运行6个月以上后提出申请; 获得…之日起一年内提出补贴申请; 申请时间为… (122).
# … and a time counted from an event, before or after it, in which the applicant hands something in (122 第八条
# 申请单位在活动开始前30个工作日提交活动方案; common: 项目竣工验收后6个月内提交申请材料, 活动结束10个工作日内…申报).
RELATIVE_WINDOW_RE = re.compile(r"申请时间为[^。；]+|[^，。；]*(?:之日起|后)[^，。；]{0,12}内?(?:提出|提交)[^，。；]{0,6}申请|"
                                r"[^，。；]*(?:之日起|前|后|结束|完成)\s*(?:\d+|[一二两三四五六七八九十]+)\s*个?"
                                r"(?:工作日|自然日|日|天|个月|月)内?[^，。；]{0,6}(?:提出|提交|报送|申报|申请)")


def review_time(sentence: str) -> bool:
    """The sentence dates a review step (局级主管单位审查时间为A至B): its lead, before the first date, says so."""
    first = re.search(r"\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日", sentence)
    return bool(REVIEW_TIME_RE.search(sentence[:first.start()] if first else sentence))
