"""The forms in which a question and a document write the same thing: a shortened compound (风电场 for
风力发电场), a roman numeral or full-width letter (劣Ⅴ类 asked as 劣V类), a share in Chinese numerals (百分之三十)
and GDP for 国内生产总值. Sentences are the documents' own (corpus-dc dev documents)."""
from __future__ import annotations

import pytest

from answer.answerability import carries
from answer.evidence import TopicMatcher
from answer.text import HAS_AMOUNT


@pytest.fixture(scope="module")
def matcher():
    return TopicMatcher()


@pytest.mark.parametrize("word, text", [
    ("风电场", "每季度首月12日前报送上一季度发电机组辅助设备、风力发电场和太阳能发电站的可靠性信息。"),
    ("碳市场", "碳普惠核证减排量可作为补充抵消机制进入广东省碳排放权交易市场。"),
    ("光伏电站", "建设集中式光伏发电站。"),
])
def test_a_shortened_compound_is_present(matcher, word, text):
    assert matcher.present(word, text)


@pytest.mark.parametrize("word, text", [
    ("风电场", "防范风险，电力市场平稳运行。"),  # a clause break between head and tail
    ("风电场", "风险防控电力市场"),  # three pieces, not a head and a tail
    ("消费量", "非化石能源占能源消费总量比重提高"),  # a one-character tail is a class suffix
    ("碳市场", "碳排放2025年市场"),  # a figure between
])
def test_characters_merely_in_order_are_not_a_shortened_compound(matcher, word, text):
    assert not matcher.present(word, text)


def test_roman_numerals_and_full_width_letters_fold_as_the_question_does(matcher):
    words = matcher.content_words("劣Ⅴ类比例的目标是多少？")
    assert "v" in words
    assert matcher.present("v", "劣Ⅴ类水体比例不高于3%。")
    assert not matcher.present("v", "达到或优于Ⅲ类比例达91.1%。")
    assert matcher.present("voc", "挥发性有机物（ＶＯＣ）含量低于420克/升")


def test_gdp_is_the_national_and_the_regional_product(matcher):
    assert matcher.present("gdp", "单位国内生产总值二氧化碳排放比2005年下降65%以上；")
    assert matcher.present("gdp", "单位地区生产总值能耗下降14%。")


@pytest.mark.parametrize("sentence", ["从衰竭期矿山开采的矿产品，减征百分之三十资源税。",
                                      "减按百分之七十五征收环境保护税。"])
def test_a_share_in_chinese_numerals_is_an_amount(sentence):
    assert HAS_AMOUNT.search(sentence)
    assert carries("amount", sentence)


def test_an_article_number_is_no_amount():
    assert not HAS_AMOUNT.search("第十四条 本办法自发布之日起施行。")


@pytest.mark.parametrize("sentence", ["【享受条件】施工状态下挥发性有机物（VOC）含量低于420克/升（含）的涂料。",
                                      "（五）复查抽查得分在80分以下的。",
                                      "力争开工建设2000万装机新能源项目。"])
def test_a_measured_value_or_a_score_answers_how_much(sentence):
    assert carries("amount", sentence)


@pytest.mark.parametrize("sentence", ["实行分类管理。", "每5分钟采集一次数据。", "按照十分之一抽取。", "到2025年底。"])
def test_minutes_and_classes_are_no_score(sentence):
    from answer.answerability import _MEASURE
    import re
    assert not re.search(_MEASURE, sentence)


def test_a_term_is_present_in_the_form_the_vocabulary_equates_with_it(matcher):
    text = "每季度首月12日前报送上一季度发电机组辅助设备、风力发电场和太阳能发电站的可靠性信息。"
    assert matcher.present("光伏", text)  # 光伏 = 太阳能 (retrieval/synonyms_zh.txt)
    assert matcher.present("光伏电站", text)  # inside a compound, shortened
    assert not matcher.present("光伏", "风力发电场的可靠性信息。")


def test_a_copula_glued_to_a_one_character_word_and_how_many_years_are_no_topic(matcher):
    assert matcher.content_words("这份四川可再生能源规划的规划期是哪几年？") == ["四川", "可再生能源", "规划"]
    # demonstratives with the classifiers of documents point to one, as 这份 does (b13 241, b9 391, b5 314)
    assert "那份" not in matcher.content_words("广东省政府的那份实施意见是哪天发布的？")
    assert "这部" not in matcher.content_words("这部规定里的绿色金融是怎么定义的？")
    # a qualifier of a form word (总体目标, 主要目标, 具体要求) is a form word too (b13 241: refused naming 总体)
    for q in ("提出2025年的总体目标是什么？", "到2025年的主要目标是什么？", "有哪些具体要求？"):
        assert matcher.content_words(q) == [], q
    assert matcher.content_words("用户数量是多少？") == ["用户"]


def test_a_modal_after_bi_zhong_is_no_topic_word(matcher):
    # 比重要达到多少: jieba reads 比|重要; questions on eight dev documents write it so (1, 89, 451, 475, 566, 11, 31, 62)
    assert matcher.content_words("到2025年非化石能源消费比重要达到多少？") == ["非化石能源", "消费", "比重"]
    assert "重要" in matcher.content_words("这项工作为什么重要？")


@pytest.mark.parametrize("question, kept, dropped", [
    ("到2025年单位GDP能耗下降多少？", "能耗", None),
    ("能源消费总量控制在多少？", "能源", None),
    ("重点用能单位的能效要达到什么水平？", "能效", None),
    ("企业能拿多少补贴？", "补贴", "能拿"),
    ("屋顶要装多少光伏？", "光伏", "要装"),
])
def test_a_modal_verb_is_not_a_topic_word_but_a_noun_that_starts_like_one_is(matcher, question, kept, dropped):
    # 能耗, 能源, 能效 are dictionary nouns; 能拿, 要装 are a modal verb glued to a verb
    words = matcher.content_words(question)
    assert kept in words
    assert dropped is None or dropped not in words


@pytest.mark.parametrize("question, light", [
    ("碳排放配额交易就要在什么时间进行？", ("就要", "进行")),
    ("申请单位要对项目进行哪些审核？", ("进行",)),
    ("违规企业会被予以什么处理？", ("予以",)),
])
def test_light_verbs_and_glued_adverbs_are_no_topic_words(matcher, question, light):
    # formal verbs (进行, 予以, 加以, 作出) and 就 glued to a modal name no topic (answer.evidence.FORM_WORDS)
    words = matcher.content_words(question)
    assert not set(light) & set(words), words
    assert words  # the topic stays


@pytest.mark.parametrize("question, dropped", [
    ("川西高温地热发电试点十四五新建多大规模？", "大规模"),  # 多|大规模: the question phrase 多大 goes out whole
    ("支持哪家企业集团实施碳达峰碳中和行动？", "哪家"),
    ("云南支持哪些地方开展生态产品价值实现机制试点？", "哪些地方"),
    ("重点排放单位名录由谁来制定？", "由谁来"),
    ("由哪一级财政部门负责？", "一级"),
    ("要满足什么节能条件才能拿补贴？", "才能"),
    ("在利益共享上要创新什么模式？", "上要"),
    ("每个项目省里最多资助多少？", "省里"),
    ("“十四五”期间再生有色金属产量目标是多少？", "期间"),
])
def test_question_and_function_words_are_no_topic_words(matcher, question, dropped):
    assert dropped not in matcher.content_words(question)


def test_the_same_words_as_topics_stay(matcher):
    assert "大规模" in matcher.content_words("如何推进大规模储能建设？")
    assert "规模" in matcher.content_words("川西高温地热发电试点新建多大规模？")


def test_a_negated_word_is_the_topic(matcher):
    # 不合格 is not 合格: a passage about passing (评估合格的…保留其称号) does not cover a question about failing
    words = matcher.content_words("示范城市动态评估不合格，整改完还不合格怎么办？")
    assert "不合格" in words and "合格" not in words
    assert matcher.present("不合格", "整改后仍不合格的，将公告取消其称号")
    assert not matcher.present("不合格", "对于动态评估期评估合格的示范城市，公告保留其称号")
    assert matcher.content_words("不能申请吗？") == []  # 不能 stays a form word
