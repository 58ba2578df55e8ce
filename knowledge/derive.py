"""Derived knowledge: what extraction reads from a document's units (bureaus, deadlines, targets, sentences,
industries, places, implementers, support items), and the version of the rules that derived it.

A store keeps each document's extraction version (documents.extraction). When the rules change, bump
EXTRACTION_VERSION here, and only here: at the next start (or ingest) the service re-derives every document
derived by an older version from its stored units (service_documents.DocumentLibrary.rederive), without
parsing the PDF again. Changes of the parser (how units are cut) still need the file ingested again."""
from __future__ import annotations

from knowledge.model import Document

# The version of the extraction rules (knowledge/extract.py, actors, bureaus, targets, tables, support*).
# 1: the first recorded version (support items with their shape: call / grant …); stores written before it
# have 0 and are re-derived once.
# 2: support windows read month parts (3月底前) under a window cue, a date in brackets after one, a deadline that the
# next sentence closes (逾期不予受理); 万元 per 项/个/家 is an amount; 享受…奖励政策 is a grant (support20).
# 3 (audit9; 2 on its branch, merged after support20): 市/省 bodies take the document's place from its notice title,
#    issuer or file name when its title names none. A box numbered in Chinese (专栏一) stands apart from the text
#    before it, as 专栏1 does.
# 4 (support21; 3 on its branch, merged after audit9): a share granted as 按X的N%给予<kind> whatever X is called;
#    a list of per-unit rates with the unit written once (每平方米10元、20元、30元); a size reached (突破1亿元,
#    a sum closing a 的-clause) is no sum paid.
# 5 (outline15): 自治区 bodies take the document's 自治区 (自治区发展改革委 in a 宁夏回族自治区 document); a document
#    issued by two places' organs gives its 市 bodies the one's place and its 省 bodies the other's (57 成渝); an
#    article's actor may be a body without a level (交通运输部会同…, 基金管理中心履行…) and act by 根据; the notice
#    wrapper ends where the policy's title is written again with other quotes, dashes or 的 (ingest: a fresh home);
#    a level written once before several bodies (县级以上人民政府发展改革、生态环境等部门, 省级发展改革、财政部门) is theirs.
# 6 (support22): a call to recommend candidates onto a published list (推荐, 名单 in its title) is a call item;
#    a call's office is where its papers go (于…前报送安徽省发展改革委, 寄送至工业和信息化部); 定向/意向 name no office.
# 7 (review24): a call's office read after 报送/寄送/提交 skips the papers before 至/到 (提交申报材料至…) and never
#    reads 至我部 as an office; the 受理 office a notice names comes before it wherever it is written.
# 8 (support24): support items carry what an application hands in (`materials`: a lead and its list of papers, a
#    unit under a heading of papers, a sentence naming the papers handed in; knowledge/support_materials.py).
# 9 (outline16): a title naming a province by its short name (广西…规划) gives its bodies the province's full name;
#    a verb before a body (建立…牵头, 按照…, 统筹…) is no part of an actor.
# 10 (review27): knowledge/support_materials.py's vocabulary has one home each — its hand-in verbs compose
#    support_clauses.HAND_IN (HAND_IN_PAPERS), its applying/report-duty tests sit beside the window's in
#    support_clauses (PAPERS_APPLYING_RE, PAPERS_REPORT_DUTY_RE), its sentences are knowledge.text.line_sentences,
#    its list marker knowledge.text.LIST_ITEM. The materials of the 100 open dev documents of the dev and b7-b15
#    homes are identical before and after (statements and items' materials); the version is raised because the
#    rules' code changed, not because any knowledge did. (knowledge.text also took the document number's year
#    brackets, DOC_YEAR_OPEN/CLOSE, from ingest.frontmatter, the same characters: no rule reads them.)
# 11 (support25): knowledge/eligibility.py (imported by the rules for PLACE_CUE) marks a condition from the profile's
#    planned project (knowledge/project_fit.py: a size or dates the condition bounds, the condition restated). The
#    support items: 免收 (a fee waived) is a 减免 as 免征 is; 给予…支持 is read within its clause however long the sum
#    (给予项目总投资10%、最高500万元的资金支持); windows: A开放，B关闭 and 截止日为, and the deadline word one cue with or
#    without the verb before it (受理截止, 申报截止时间). Over the 216 open corpus-dc documents
#    one item changes (329's 免收…扶持基金: 资助 → 减免); the rest are written examples.
# 12 (tg17, docs/targets-convention.md; merged after support25 took 11): a notice handing down a year's tasks (下达2022年…任务) dates its goals in that
#    year; a year's task allocation table gives its total row's values; a sentence opening with 其中 takes the due
#    year of the target before it. Over the 289 corpus-dc files only 147 changes (0 → 10 targets).
# 13 (ans35, docs/dates-extraction.md): the parser's dates of a document (ingest/frontmatter.py, ingest/editions.py):
#    a date in brackets under a quoted title is that title's, not the signature's (493); the wrapper's 成文日期 is
#    the one over its signature, not its 版记's print line (…2022年1月4日印发, 510), which dates a document that has
#    no other (147); a cover dated by month only (2022 年 3 月, 171) dates a plan that has no day; 自…施行 without 起
#    (62), 实施日期：2021.08.27 (43) give the effective date, 本措施自…起实施至2024年12月31日 (343) an expiry
#    (a span whose sentence does not name the document is another thing's: 329's tax reliefs). The rules of
#    knowledge/ were unchanged by it, but the stored front matter changes: homes are built afresh. The fingerprint was
#    renewed under 13 when knowledge.numerals took the cover date's digit-by-digit year and month readers
#    (cn_digit_string, cn_month; a cover line no calendar holds dated nothing instead of raising KeyError): the same
#    dates on the first three pages of every corpus and corpus-dc PDF.
# 14 (ans40, docs/short-documents.md): the parser cuts a notice's closing block (the request to hand papers in,
#    联系人/电话, 特此通知, the attachment list, the issuer and date) off the last unit of its body into a unit of its
#    own labelled 结尾 (ingest/closing.py). The rules of knowledge/ are unchanged; the stored units change: homes are
#    built afresh.
# 15 (support29): support wordings support28's probes found misread — per-unit rates each after what they pay for
#    (二氧化硫每吨1000元，氮氧化物每吨1500元) are tiers; a second case's ceiling in a clause of its own (…最高1000万元资助，
#    一般项目最高200万元) is an item; a 分别 list's per-unit rates keep their unit in the tiers (3000元/吨); a matching
#    ratio written with 以 is a rate, of the grant matched (base), and the applicant's own match (自筹, 须…配套) none; a
#    range keeps its lower end (money `low_wan`, text 200-500万元), and a range closing a 的-clause
#    (对投资额1000-5000万元的项目) is the applicant's band, no sum. No open dev document's items change but 117's
#    1:1 item, which gains its base; homes re-derive.
# 16 (ing45, docs/wrong-answers-r19.md): a bare number the text layer sets on a line of its own inside a page, within
#    two of the page's number, is kept as its sentence's figure when the sentence runs through it into a unit
#    (262: 提升 / 2 / 个百分点, 力争 / 5 / 个工作日内); at the page's edges it is still the page number. The rules of
#    knowledge/ are unchanged; the stored text changes: homes are built afresh.
EXTRACTION_VERSION = 16
# A fingerprint of the rules' code (every project module the rules import, without comments and docstrings, and
# knowledge/data/): tests/test_extraction_version.py fails when the rules change and this is not renewed together
# with EXTRACTION_VERSION, so no change of the rules can leave existing homes with knowledge derived by old ones.
# (title25 renewed the fingerprint under version 6 without a new version: knowledge/divisions.py gained
# names_of_places_in, which only retrieval calls; version 7 covers it too. hyg25 renewed it under version 7 too:
# OFFICE_SENT_RE's verbs became a named constant, knowledge.support_clauses.HAND_IN, its pattern unchanged character
# for character, so no knowledge derived by version 7 changes. hyg28 renewed it under version 10: knowledge.actors
# takes a document's places as a tuple only (the only caller, enrich, passed one already) and with_shared_level's
# kinds compose knowledge.bureaus.BODY_KINDS, the same words; every unit, bureau, target, sentence and support item of
# the 120 stored dev documents of the dev and b7-b16 homes, derived again, is identical byte for byte under both;
# merged after versions 11 and 12, the fingerprint covers all three. review28 renewed it under version 12: bigrams'
# character filter became knowledge.text.bigram_text, its one home (answer.text.sentence_keys had copied it), the
# pattern unchanged character for character, and the clause around a position, written twice
# (knowledge.support_clauses._clause_at, knowledge.project_fit._clause), became knowledge.text.clause_at with each
# caller's marks as before (the two old bodies and the new agree on 200k random strings), so no derived knowledge
# changes. Renewed once more under version 12 when knowledge.project_fit's table of size units moved, unchanged, to
# knowledge.units.SCALES, the home of units of measure: no derived knowledge changes. hyg30 renewed it under version
# 13: knowledge.support_fields' money factors to 万元 became knowledge.units.MONEY_TO_WAN, read from the one table of
# money (YUAN) that SCALES reads too, every factor equal to the one before; the units, targets and support items of
# the 206 open corpus-dc documents, parsed and derived again, are identical byte for byte. Renewed once more under
# 13 when knowledge.numerals.cn_month's check became _written_in, shared with the new cn_day (ingest.editions had its
# own reader of days and months): cn_month agrees with the old body on every string of up to three numerals and
# digits, and the same 206 documents parse and derive identically. hyg31 renewed it under version 14:
# knowledge.support_fields' own numeral reader (cn_to_number) moved to knowledge.numerals, reading Chinese numerals
# through cn_to_int. The two agree on every string of up to five numerals except where 零/〇 stands right before
# 十/百/千 (一千零十: 1010 now, 1000 before), which no open corpus-dc document writes; the 210 open corpus-dc documents,
# parsed and derived again, are identical byte for byte. Renewed once more under 14 when knowledge.text's sentence
# cut became public (SENTENCE_END, the same pattern) for ingest.segment, which had its own copy of it.)
EXTRACTION_RULES = "261895c371318a42"


def derive(doc: Document) -> Document:
    """Fill every unit's derived knowledge, and the document's support items, from the units' text and
    headings (in place; returns the document). The same call at ingest and when re-deriving a stored document.
    The rules are imported here, not above: the store reads EXTRACTION_VERSION without loading them."""
    from knowledge.extract import enrich
    from knowledge.support import link_support

    doc = enrich(doc)
    doc.support_items = link_support(doc.units(), doc.sections, doc.title)
    for u in doc.units():
        u.support = [it for it in doc.support_items if it.seq == u.seq]
    return doc
