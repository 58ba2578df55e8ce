"""Bare numbers on their own line: page numbers at a page's edge or at the document's page offset, figures when a
sentence runs through them into a unit (262 sets many figures apart; 438 prints its page numbers mid-page). A document
read here before is in the test split since the b15 batch (325b0d1): tests read dev documents only."""
from __future__ import annotations

from ingest.clean import clean_pages
from tests.conftest import corpus_dc_file, loaded_file


def _text(number: str) -> str:
    loaded = loaded_file(corpus_dc_file(number))
    return clean_pages(list(loaded.pages)).text.replace(" ", "")


def test_figures_set_apart_by_the_text_layer_stay_in_their_sentence():
    text = _text("262")
    assert "力争绿色融资增量40亿元以上" in text
    assert "对于30万元以下小额绿色信贷" in text
    assert "于每半年后15日内" in text  # 15 on page 8: bare figures at its pages' edges make no page-number offset


def test_a_figure_near_the_pages_own_number_stays_in_its_sentence_inside_the_page():
    # 262 sets figures apart within two of their page's number: 2 on page 2 and 3, 5 on page 6. Inside the page, with
    # the sentence running through them into a unit, they are figures (before, 提升个百分点 / 力争个工作日内 lost them)
    text = _text("262")
    assert "实现绿色贷款占比提升2个百分点以上" in text
    assert "沙县农商行2家绿色银行" in text
    assert "力争5个工作日内完成放款" in text
    assert "明银保监规［2022）1号）" in text  # the notice's 文号 number, set apart on page 1


def test_a_page_number_at_the_pages_edge_is_dropped_though_the_sentence_runs_on_into_a_unit():
    # 486's 12th page opens with its number 12 between 培训力 and 度，通过…: 度 opens like a unit, the page's edge
    # and its own number make it the page number
    text = _text("486")
    assert "重点企业等人员培训力度，通过业务培训" in text and "力12度" not in text


def test_the_month_of_a_date_set_one_part_a_line_is_the_dates_not_a_page_number():
    # 262's first page sets its date 2022 / 年 / 3 / 月 / 16 / 日, one part a line: its 3, within two of the page's
    # number, read as a page number without the date rule (the text said 2022年月16日)
    assert "2022年3月16日" in _text("262")


def test_page_numbers_inside_a_page_are_still_dropped():
    text = _text("438")  # its 26th page prints 21 between 船舶溢油 and 事故应急能力
    assert "船舶溢油事故应急能力" in text.replace("\n", "")
    assert "\n1\n" not in text


def test_a_lone_number_between_sentences_is_a_page_number():
    pages = ["第一段文字到此为止。\n7\n第二段接着写。\n最后一行。", "力争建成\n40\n个示范项目。\n结尾。"]
    text = clean_pages(pages).text
    assert "7" not in text and "力争建成40个示范项目" in text


def test_a_page_number_split_over_two_lines_is_not_a_figure():
    pages = ["上一页的句子一直写到各", "1\n1\n类宣传教育实践活动。"]  # a corpus-dc page 11 opens with its number as 1 / 1
    assert "各类宣传教育" in clean_pages(pages).text


def test_a_year_broken_over_two_lines_is_one_year():
    # The shapes the text layer writes (到 2 / 022 年, 编制 202 / 1 年度): with a space kept, "到2 022年" would not
    # match a question's 2022年
    pages = ["加快推进绿色建筑发展，提升建筑品质和能效水平，到 2\n022 年，建设健康建筑示范项目50万平方米，新建建筑全面执行绿色建筑标准。"]
    assert "到2022年，建设健康建筑示范项目" in clean_pages(pages).text
    pages = ["加快推进绿色建筑发展，提升建筑品质和能效水平，编制 202\n1 年度碳排放报告，并按时报送主管部门审核。"]
    assert "编制2021年度碳排放报告" in clean_pages(pages).text
    # … as open corpus-dc documents have them (spaces kept: _text drops them): 326 到 20 / 25 年, 218 纳入企业2 / 021 年度
    assert "利用，到2025年，全省" in clean_pages(list(loaded_file(corpus_dc_file("326")).pages)).text
    assert "为纳入企业2021年度履" in clean_pages(list(loaded_file(corpus_dc_file("218")).pages)).text
    pages = ["指标表\n2020\n2025\n结尾。"]  # two figures on two lines stay two figures
    assert "2020 2025" in clean_pages(pages).text


def test_a_page_number_inside_a_line_is_dropped():
    text = _text("47")  # page 2: 重点评价主 — 7 — 导产业碳排放, the page's number inside the line
    assert "重点评价主导产业碳排放水平" in text and "—7—" not in text
    pages = ["响应负荷占比（%）——5——预期性", "执行《标准》（DB/T 29—204—2021）。"]  # empty cells, a standard's number
    cleaned = clean_pages(pages).text
    assert "——5——" in cleaned and "29—204—2021" in cleaned


def test_a_year_on_a_line_of_its_own_is_not_a_page_number():
    assert "2022年，力争通过“五个提升”工程" in _text("262")  # 2022 / 年，力争… : the year opens the sentence


def test_the_month_of_a_date_set_one_part_a_line_is_kept():
    assert "2022年3月16日" in _text("262")  # 3 between 年 and 月 on lines of their own: the date's month


def test_a_watermark_with_a_page_number_is_still_a_running_header():
    from ingest.structure import clean_body

    loaded = loaded_file(corpus_dc_file("218"))  # 资料整理：… — 1 — on every page
    assert clean_body(list(loaded.pages))[0] == "市生态环境局关于天津市2021年度碳排放配额安排的通知"
