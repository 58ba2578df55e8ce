"""Dates of issue, effect and expiry read from the front matter and answered (issue 10, ans35), on real PDFs of
corpus-dc's dev documents."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "dates", [corpus_dc_file(n) for n in ("495", "43", "171", "313")])


def test_a_date_written_dotted_is_found_where_the_text_states_it():
    from answer.dates import written_forms
    assert written_forms("2021年8月27日") == ["2021年8月27日", "2021.08.27", "2021-08-27", "2021.8.27", "2021-8-27"]
    assert written_forms("3年") == ["3年"]


def test_which_day_written_in_full_asks_the_date_of_issue(svc):
    # 哪一天 is 哪天: the front matter's date of issue answers it (b17's 495 was sent to the general handler)
    ans = svc.ask("这份促进绿色消费实施方案是在哪一天印发的？", doc=_doc(svc, "绿色消费"))
    assert not ans.refused and "2022年5月23日" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)


def test_a_dotted_date_field_is_quoted_for_the_date_of_issue(svc):
    # 发布日期：2021.08.27 on a database print-out (b16's 43): the date of issue is quoted from that line
    ans = svc.ask("示范园区碳达峰碳中和相关工作的通知文号是多少？哪天发布的？", doc=_doc(svc, "示范园区"))
    assert not ans.refused and "科财函〔2021〕159号" in ans.answer and "2021.08.27" in ans.answer
    assert any("2021.08.27" in c.quote for c in ans.citations)


def test_a_cover_month_answers_the_month_and_not_the_day(svc):
    # the plan's cover gives 2022 年 3 月 only (corpus-dc 171): asked the month, it answers; asked the day, the month
    # does not pass for one
    doc = _doc(svc, "建筑节能与绿色建筑")
    ans = svc.ask("建筑节能与绿色建筑发展规划是什么时候印发的？", doc=doc)
    assert not ans.refused and "2022年3月" in ans.answer
    ans = svc.ask("建筑节能与绿色建筑发展规划是哪一天印发的？", doc=doc)
    assert "印发于2022年3月" not in ans.answer


def test_another_documents_effect_is_not_answered_by_this_ones_date(svc):
    # a work plan that means to draft a 实施细则 (corpus-dc 313): when the 细则 takes effect is not the plan's signed date
    doc = _doc(svc, "工作思路")
    ans = svc.ask("陕西省碳排放权管理实施细则什么时候正式施行？", doc=doc)
    assert "2022年5月12日" not in ans.answer
    ans = svc.ask("这份生态环境系统碳达峰碳中和工作思路是什么时候印发的？", doc=doc)
    assert not ans.refused and "2022年5月12日" in ans.answer


def test_a_cover_line_no_calendar_holds_dates_nothing_and_fails_no_ingest():
    """The cover pattern admits Chinese numerals it cannot read as a date (一二月, a year with 十): such a line dates
    nothing instead of stopping the file's ingest with a KeyError (review29)."""
    from ingest.frontmatter import cover_month

    assert cover_month("二〇二二年三月") == "2022年3月"
    assert cover_month("二○二一年十二月") == "2021年12月"
    assert cover_month("2022年03月") == "2022年3月"
    assert cover_month("二〇二二年一二月") == ""
    assert cover_month("二〇十二年三月") == ""
    assert cover_month("二〇二二年十三月") == ""


def test_digit_by_digit_years_and_months_are_read_in_one_home():
    from knowledge.numerals import cn_digit_string, cn_month

    assert cn_digit_string("二〇二二") == 2022 and cn_digit_string("二零二一") == 2021 and cn_digit_string("2020") == 2020
    assert [cn_month(m) for m in ("一", "十", "十一", "十二", "09")] == [1, 10, 11, 12, 9]
    for bad in ("一二", "二十", "十三", "0"):
        with pytest.raises(ValueError):
            cn_month(bad)
    with pytest.raises(ValueError):
        cn_digit_string("二〇十二")


def test_days_of_the_month_are_read_in_the_same_home_as_months():
    from knowledge.numerals import cn_day

    assert [cn_day(d) for d in ("一", "十", "十五", "二十", "三十一", "07")] == [1, 10, 15, 20, 31, 7]
    for bad in ("一十五", "十一一", "三十二", "0", "二十十"):  # not as dates write them, or no day of any month
        with pytest.raises(ValueError):
            cn_day(bad)
