"""knowledge.text: the one home of folding, character pairs, sentence and clause splitting, and the documented
differences between the forms."""
from __future__ import annotations

from knowledge.text import (bigrams, cjk_pairs, cut_outside_brackets, fold, line_sentences, nfkc, pairs,
                            sentence_spans, split_sentences, word_pairs)


def test_fold_is_nfkc_without_white_space_and_keeps_case():
    assert nfkc("２０３０年，ＰＵＥ") == "2030年,PUE"
    assert fold(" 到 ２０３０ 年\n达到 ８０％ ") == "到2030年达到80%"
    assert fold("PUE 值") == "PUE值"
    assert fold(None) == ""


def test_the_three_callers_of_fold_agree():
    from answer.guard import fold as guard_fold
    from eval.metrics import normalize
    from knowledge.catalog import fold as catalog_fold

    text = "市发展 改革委　１,０００万千瓦"
    assert catalog_fold(text) == normalize(text) == fold(text) == "市发展改革委1,000万千瓦"
    assert guard_fold(text) == "市发展改革委1000万千瓦"  # figures are compared without thousands separators


def test_pairs_within_runs_or_across_gaps():
    assert pairs("光伏发电") == {"光伏", "伏发", "发电"}
    assert bigrams("9.5%，光伏") == {"9.", ".5", "5%", "%光", "光伏"}
    assert cjk_pairs("光伏，发电") == {"光伏", "发电"}
    assert cjk_pairs("光伏，发电", across_gaps=True) == {"光伏", "伏发", "发电"}
    # the scope's title pairs: word characters (years, PM2 kept), none across punctuation or a space
    assert word_pairs("央企（2035年）PM2 值") == {"央企", "20", "03", "35", "5年", "PM", "M2"}


def test_sentence_splitters_cut_where_their_readers_need():
    text = "一、目标。到2025年达到10%；\n支持对象\n企业; 园区"
    assert split_sentences(text) == ["一、目标。", "到2025年达到10%；", "\n支持对象\n企业; 园区"]
    assert "".join(split_sentences(text)) == text
    spans = sentence_spans(text)
    assert [s for _, s in spans] == ["一、目标。", "到2025年达到10%；", "支持对象\n企业;", "园区"]
    assert all(text[o: o + len(s)] == s for o, s in spans)
    assert line_sentences(text) == ["一、目标。", "到2025年达到10%；", "支持对象", "企业; 园区"]


def test_clauses_are_cut_outside_brackets_and_the_three_readers_differ_as_documented():
    text = "甲（乙，丙），丁：戊"
    assert cut_outside_brackets(text, "，：", "（", "）") == (["甲（乙，丙），", "丁：", "戊"], 0)
    assert "".join(cut_outside_brackets(text, "，：", "（", "）")[0]) == text
    assert cut_outside_brackets(text, "，：", "（", "）", keep_mark=False) == (["甲（乙，丙）", "丁", "戊"], 0)
    assert cut_outside_brackets("甲（乙，丙", "，", "（", "）") == (["甲（乙，丙"], 1)  # left open
    # a stray closing bracket: ignored (clamp) or taking the depth below zero, after which nothing is cut
    assert cut_outside_brackets("甲）、乙、丙", "、", "（", "）") == (["甲）、", "乙、", "丙"], 0)
    assert cut_outside_brackets("甲）、乙、丙", "、", "（", "）", clamp=False) == (["甲）、乙、丙"], -1)

    from answer.text import split_clauses
    from knowledge.bureaus import _split_units
    from knowledge.targets import _clauses
    quoted = "简称“重点排放单位，下同”，名单见附件1"
    assert split_clauses(quoted) == ["简称“重点排放单位，下同”，", "名单见附件1"]  # quotation marks hold a clause
    assert _clauses(quoted) == ["简称“重点排放单位，", "下同”，", "名单见附件1"]  # round brackets only
    assert split_clauses("到2025年，达到14家（简称，名单") == ["到2025年，", "达到14家（简称，", "名单"]  # open: every mark
    assert _clauses("到2025年，达到14家（简称，名单") == ["到2025年，", "达到14家（简称，名单"]  # open: the rest whole
    assert _split_units("市发改委、市经信局、相关区（市）县政府（管委会）") == ["市发改委", "市经信局", "相关区（市）县政府（管委会）"]
    assert _split_units("市发改委）、市经信局") == ["市发改委）、市经信局"]  # a stray closing bracket stops the cut


def test_title_key_ignores_what_a_title_written_twice_differs_in():
    from knowledge.text import title_key

    key, offsets = title_key("江苏省“十四五\"土壤规划（2021—2025年）")
    assert key == title_key("江苏省“十四五”土壤规划(2021-2025年)")[0] == "江苏省十四五土壤规划2021-2025年"
    assert title_key("体系的实施方案")[0] == title_key("体系实施方案")[0]  # 的 is dropped
    text = "日期 关于 《甲乙》"
    k, offs = title_key(text)
    assert [text[i] for i in offs] == list(k)  # every key character maps back to its place in the text


def test_clause_at_cuts_at_each_callers_marks():
    from knowledge.text import clause_at

    s = "项目应为2020年1月1日后开始建设，并于2022年5月31日前建设完成。另；"
    at = s.find("2022")
    assert clause_at(s, at, "，；。,;", "，；。,;") == "并于2022年5月31日前建设完成"
    assert clause_at(s, s.find("另"), "，；。,;", "，；。,;") == "另"
    assert clause_at(s, s.find("另"), "，,；", "，,；。") == "并于2022年5月31日前建设完成。另"  # 。 opens no clause here
    assert clause_at("无标点", 1, "，", "，") == "无标点"
