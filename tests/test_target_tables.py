"""Target tables: 主要指标 tables read by their year columns (knowledge.tables), as the text layer gives them — rows run
together, broken over lines, labelled cells, units written against the name, a table run into a sentence — and the
tables of real plans read from their PDFs. (Moved from tests/test_actors_targets.py, which keeps responsibility,
deadlines and targets in sentences.)"""
from __future__ import annotations

import pytest

from knowledge.extract import targets_in
from knowledge.tables import table_targets
from tests.conftest import CORPUS_DC, parsed_document


def test_target_table_takes_the_future_column():
    text = ("主要指标指标2020年2025年指标属性\n1.单位地区生产总值二氧化碳排放较2020年降低（%）—完成国家分解任务约束性\n"
            "4.非化石能源消费比重（%）7.6 13左右预期性\n5.累计新增绿色建筑面积（亿平方米）1.38 [5]预期性")
    rows, header = table_targets(text, None, base_year=2021)
    assert header.years == (2020, 2025)
    assert [(t.indicator, t.value, t.unit, t.comparator) for t in rows] == [
        ("非化石能源消费比重", "13", "%", "左右"), ("累计新增绿色建筑面积", "5", "亿平方米", "累计")]
    assert all(t.text in text for t in rows)


def test_run_together_table_rows_and_a_one_year_header():
    glued = ("表1发展目标项目单位2020年2025年新增或累计增长属性水电万千瓦8082 10555 2473预期性"
             "风电万千瓦426 1003 577预期性")
    rows, _ = table_targets(glued, None, base_year=2021)
    assert [(t.indicator, t.value, t.unit) for t in rows] == [("水电", "10555", "万千瓦"), ("风电", "1003", "万千瓦")]
    box = "主要指标2025年建筑运行一次二次能源消费总量（亿吨标准煤）11.5城镇新建居住建筑能效水平提升30%"
    rows, _ = table_targets(box, None, base_year=2021)
    assert [(t.year, t.value, t.unit) for t in rows] == [(2025, "11.5", "亿吨标准煤"), (2025, "30", "%")]
    # A category in parentheses is not a unit.
    assert table_targets("指标2020年2025年属性\n环境治理（土壤与固废环境）90 93预期性", None, 2021)[0] == []


def test_earlier_column_of_a_table_run_into_a_sentence():
    # corpus-dc 559: a 主要指标 table that pypdf ran into one sentence; the figure before the 2025 cell and a figure
    # whose 2025 cell is words are the 2020 column.
    text = ("表1主要指标指标类别序号指标名称2020年（现状值）2025年土壤生态环境1受污染耕地安全利用率90%以上93%以上"
            "2重点建设用地安全利用—有效保障3国控区域点位V类水比例42.1%完成国家下达目标"
            "7农村环境整治村庄数量7876个新增2000个8农村生活污水治理率31.1% 55%")
    got = [(t.year, t.value, t.unit) for t in targets_in(text, 2025, base_year=2021)]
    assert got == [(2025, "93", "%"), (2025, "2000", "个"), (2025, "55", "%")]


def test_table_units_written_against_the_name():
    # pypdf: superscripts apart (m 3 /万元), a unit column glued to the name, a measure word ending the name (比例).
    text = ("指标名称单位2020年现状值2025年目标值指标属性\n水资源单位地区生产总值用水量m 3 /万元56.22 ≤50预期性"
            "城市生活垃圾回收利用率%—35预期性\n装配式建筑占新开工建筑面积比例20% 50%约束性")
    rows, _ = table_targets(text, None, base_year=2021)
    assert [(t.value, t.unit) for t in rows] == [("50", "m3/万元"), ("35", "%"), ("50", "%")]
    assert rows[2].indicator == "装配式建筑占新开工建筑面积比例"


def test_a_goal_sentence_before_a_table_does_not_hide_its_header():
    # 目标指标\n到2025年… starts like a header with one year column; the real header follows in the same unit.
    text = ("第三节目标指标\n到2025年，全市生态环境质量得到新提升。专栏一主要指标类别序号指标名称2020年基准值2025年目标指标属性"
            "生态保护12生态质量指数（新EI）（%）73.5* ≥73.5约束性14森林覆盖率（%）63 >63约束性")
    rows, header = table_targets(text, None, base_year=2021)
    assert header is not None and header.years == (2020, 2025)
    assert [(t.year, t.value, t.unit, t.comparator) for t in rows] == [(2025, "73.5", "%", "不低于"), (2025, "63", "%", "不低于")]


def test_table_rows_broken_over_lines_two_values_a_cell_and_extra_columns():
    text = ("指标2020年2025年属性\n9．营运车辆单位运输周转量能耗、二氧\n化碳排放下降率（%）- 4.0、3.5预期性\n"
            "10．规模以上工业用水重复利用率（%）82.4 ≥85预期性")
    rows, _ = table_targets(text, None, base_year=2021)
    assert [(t.indicator, t.value, t.unit) for t in rows] == [
        ("营运车辆单位运输周转量能耗", "4.0", "%"), ("二氧化碳排放下降率", "3.5", "%"), ("规模以上工业用水重复利用率", "85", "%")]
    # A header with a 新增 column: a row without the attribute may carry that column too.
    glued = "项目单位2020年2025年新增或累计增长属性合计万千瓦8800 12946 4146水电万千瓦8082 10555 2473预期性"
    assert [t.value for t in table_targets(glued, None, base_year=2021)[0]] == ["12946", "10555"]
    # A cell with its own year.
    one = "主要指标指标名称2025年目标\n1滨江岸线地区城市设计工作覆盖率（%）100%（2023年）"
    assert [(t.year, t.value) for t in table_targets(one, None, base_year=2021)[0]] == [(2023, "100")]


def test_table_rows_with_bracketed_names_slashes_footnotes_and_no_unit():
    # 广元 427, 内江 425, 巴中 125, 莆田 446, 黑龙江 389 (corpus-dc): shapes of 主要指标 rows pypdf gives.
    text = ("表1指标2025年属性市城区细颗粒物（PM2.5）浓度（μg/m3）25.2约束性"
            "一般工业固废利用处置率97预期性重点生态功能区所属县域生态环境状况指数>55预期性")
    assert [(t.value, t.unit, t.comparator) for t in table_targets(text, None, base_year=2021)[0]] == [
        ("25.2", "μg/m3", ""), ("97", "", ""), ("55", "", "不低于")]
    two = ("指标2020年2025年指标属性\n国家重点保护野生动植物保护率（%）95* ≥95预期性\n农村环境综合整治村庄数量1400个新增1600个预期性\n"
           "美丽海湾建成数量（个）/ 1预期性\n（9）氮氧化物排放量（吨）5479 4000约束性\n受污染耕地安全利用率92% 93%左右约束性\n"
           "农村生活污水治理率（%）75预期性")  # one value under two year columns: baseline or goal? neither is taken
    assert [(t.value, t.unit, t.comparator) for t in table_targets(two, None, base_year=2021)[0]] == [
        ("95", "%", "不低于"), ("1600", "个", "新增"), ("1", "个", ""), ("4000", "吨", ""), ("93", "%", "左右")]
    # A rate named without a unit is a target only in a row that ends with its attribute.
    assert table_targets("指标2020年2025年\n固废利用处置率90 97", None, base_year=2021)[0] == []


def test_numbered_table_with_one_target_column_run_together():
    # pypdf ran the columns 序号/指标/单位/目标值 of an indicator table into one line (digits were full-width in the
    # PDF and are folded by cleaning; ＞ and ．stay full-width in the text)
    text = ("崇明世界级生态岛发展指标体系序号指标单位目标值（至2035年）1占全球种群数量1%以上的水鸟物种数种＞12 "
            "2长江河口水生生物旗舰物种种群数量头＞40 3地表水达到或好于Ⅲ类水体比例（市、区、镇级河道断面）%市、区级100镇级＞95 "
            "4碳排放量万吨CO2eq．≤35 5生态产品总值年增长率%高于GDP增速6公众综合满意度%＞90")
    rows, _ = table_targets(text, None, 2022)
    assert [(t.year, t.value, t.unit, t.comparator) for t in rows] == [
        (2035, "12", "种", "不低于"), (2035, "40", "头", "不低于"), (2035, "100", "%", ""), (2035, "95", "%", "不低于"),
        (2035, "35", "万吨CO2eq.", "不高于"), (2035, "90", "%", "不低于")]
    assert all(t.text in text for t in rows)
    assert rows[0].indicator == "占全球种群数量1%以上的水鸟物种数" and rows[3].indicator.endswith("（镇级）")


@pytest.mark.slow
def test_indicator_table_of_a_real_plan_with_full_width_digits():
    path = next(CORPUS_DC.glob("174、*.pdf"))  # 崇明世界级生态岛发展规划纲要（2021-2035年）
    doc = parsed_document(path)
    found = {(t.year, t.value, t.unit) for u in doc.units() for t in u.targets}
    assert {(2035, "12", "种"), (2035, "40", "头"), (2035, "35", "万吨CO2eq."), (2035, "4", "万元")} <= found
    assert (2035, "1", "%") not in found  # 占全球种群数量1%以上 is part of a name


def test_table_rows_with_labelled_cells_and_numbers_after_a_space():
    # corpus-dc 530's 专栏2 (one year column; cells that name their part) and 565's 专栏2 (rows numbered after a space).
    one = ("主要指标2025年既有建筑节能绿色化改造面积（万平方米）3000城镇建筑可再生能源替代率8%"
           "城镇新建建筑中装配式建筑比例30%（全省）35%（重点推进地区）"
           "20%（鼓励推进地区）城镇新建政府投资工程中装配式建筑比例70%（重点推进地区）50%（积极推进地区）")
    rows, _ = table_targets(one, None, base_year=2021)
    assert [(t.value, t.indicator) for t in rows] == [
        ("3000", "既有建筑节能绿色化改造面积"), ("8", "城镇建筑可再生能源替代率"), ("30", "城镇新建建筑中装配式建筑比例（全省）"),
        ("35", "城镇新建建筑中装配式建筑比例（重点推进地区）"), ("20", "城镇新建建筑中装配式建筑比例（鼓励推进地区）"),
        ("70", "城镇新建政府投资工程中装配式建筑比例（重点推进地区）"), ("50", "城镇新建政府投资工程中装配式建筑比例（积极推进地区）")]
    two = ("序号类别单位2020年2025年一发电利用\n（三）可再生能源发电装机万千瓦2824 6100其中：\n"
           "1水电万千瓦1759 1866 2陆上风电万千瓦653 2150 3海上风电万千瓦0 300\n（四）可再生能源发电量亿千瓦时878 1260")
    rows, _ = table_targets(two, None, base_year=2021)
    assert [(t.value, t.unit) for t in rows] == [("6100", "万千瓦"), ("1866", "万千瓦"), ("2150", "万千瓦"), ("300", "万千瓦"),
                                                ("1260", "亿千瓦时")]
    # A footnote mark after the baseline is no 2025 value: 巴中 125's row 17 (39.88 完成省定目标) with a mark 3 after
    # its baseline, the way pypdf runs a superscript into the next cell (no dev document has this row shape itself).
    three = "指标2020年2025年属性\n（17）非化石能源占一次能源消费比例（%）39.88 3完成省定目标约束性"
    assert table_targets(three, None, base_year=2021)[0] == []


def test_table_with_the_attribute_column_before_the_year_columns():
    # corpus-dc 423 陇南's 专栏1 (and 451 德州's 表1): 属性 stands before 2020年 / 2025年, so each row's attribute precedes
    # its cells; a bare row number run into the next name is not a cell, and a year after an attribute is a header.
    text = ("类别序号指标名称属性2020年（现状）2025年（目标）环境治理1地级及以上城市空气质量优良天数比率（%）约束性98.3 98.3 "
            "2地级及以上城市细颗粒物（PM2.5）浓度（μg/m3）约束性18 17 8农村生活污水治理率（%）预期性-完成省上下达目标"
            "9氮氧化物重点工程减排量（吨）约束性- [1073]10挥发性有机物重点工程减排量（吨）约束性- [205]"
            "15非化石能源占一次能源消费比重（%）预期性- ≧30环境风险防控20森林覆盖率（%）约束性42.78 46.706 21生态保护红线")
    rows, _ = table_targets(text, None, base_year=2021)
    assert [(t.year, t.value, t.unit, t.comparator) for t in rows] == [
        (2025, "98.3", "%", ""), (2025, "17", "μg/m3", ""), (2025, "1073", "吨", "累计"), (2025, "205", "吨", "累计"),
        (2025, "30", "%", "不低于"), (2025, "46.706", "%", "")]
    assert rows[-1].indicator == "森林覆盖率"


def test_year_columns_with_a_long_label_between_them():
    # corpus-dc 438 三亚's 表3-1: 2020年现状/十三五期间完成情况 | 2025年规划目标, then a lead-unit column after the attribute.
    text = ("表3-1三亚市“十四五”海洋生态环境保护规划指标类别序号指标单位2020年现状/十三五期间完成情况2025年规划目标指标类别牵头单位"
            "海洋环境质量近岸海域优良（一、二类）水质面积比例% 99.39＞99.39约束性市生态环境局2滨海旅游区优良水质比例% 100 100指导性"
            "市生态环境局海洋生物生态保护4自然岸线保有率% 64.89 ≥63约束性市资规局5岸线修复长度千米7.4 22.95约束性崖州区政府")
    rows, _ = table_targets(text, None, base_year=2021)
    assert [(t.year, t.value, t.unit) for t in rows] == [
        (2025, "99.39", "%"), (2025, "100", "%"), (2025, "63", "%"), (2025, "22.95", "千米")]


def test_a_bracketed_unit_spaced_by_the_text_layer_is_written_without_spaces():
    import re


    path = next(CORPUS_DC.glob("423、*.pdf"))  # its 专栏1 row: 细颗粒物（PM2.5）浓度（μ g/m 3 ） 约束性 18 18
    doc = parsed_document(path)
    targets = [t for u in doc.units() for t in u.targets]
    assert (2025, "18", "μg/m3") in {(t.year, t.value, t.unit) for t in targets}
    assert not [t for t in targets if re.search(r"\s", t.unit)]
