"""The dates a document's front matter gives (issue 10, ans35; docs/dates-extraction.md): real corpus-dc PDFs of
dev documents, parsed by the real loader and parser."""
from __future__ import annotations

import pytest

from ingest.structure import parse
from tests.conftest import corpus_dc_file, loaded_file


def _meta(number: str) -> dict:
    lf = loaded_file(corpus_dc_file(number))
    return parse(lf.pages, lf.title_hint).meta


@pytest.mark.parametrize("number, field, value", [
    # the signature's date, not a cited document's date in brackets under its title (《…意见》 / （2021年9月22日）)
    ("493", "issued", "2022年5月1日"),
    # the 成文日期 over the signature, not the 版记's print line (生态环境部办公厅 2022年1月4日印发)
    ("510", "issued", "2021年12月31日"),
    # a document with no signed date: the 版记's print line dates it
    ("147", "issued", "2022年2月22日"),
    # a plan whose cover gives a month only
    ("171", "issued", "2022年3月"),
    # 自…施行 without 起; a database print-out's 实施日期 field
    ("62", "effective", "2021年11月1日"),
    ("43", "effective", "2021年8月27日"),
    # an end written as the span of effect
    ("343", "expires", "2024年12月31日"),
    # a guide to tax reliefs gives each relief's span (自2019年1月1日起执行至…): none is the guide's own expiry
    ("329", "expires", None),
    # unchanged: a date standing over the signature, a 有效期 of years
    ("57", "issued", "2022年2月15日"),
    ("233", "expires", "5年"),
])
def test_front_matter_dates(number, field, value):
    assert _meta(number).get(field) == value


def test_a_cover_month_and_a_print_line_are_lines_of_their_own():
    from ingest.frontmatter import cover_month, printed_date
    assert cover_month("“十四五”建筑节能与绿色建筑发展规划\n \n2022 年 3 月 \n — 1 —") == "2022年3月"
    assert cover_month("山东省钢铁行业建设项目温室气体排放\n二〇二二年五月\n目 录") == "2022年5月"
    assert cover_month("并于 2022 年 9 月底前将专项规划报住房和城乡建设部") == ""
    # a sentence that says another document was issued on a day is no print line
    assert printed_date("省政府于2022年2月22日印发《实施方案》") == ""


def test_the_sample_scorer_counts_right_extracted_and_stated_values():
    from eval.dates import score
    rows = [{"file": "a", "issued": "2022年3月", "effective": None, "expires": "五年"},
            {"file": "b", "issued": "2021年1月2日", "effective": "印发之日", "expires": None}]
    metas = {"a": {"issued": "2022年 3月", "effective": "2022年1月1日"}, "b": {"issued": "2021年1月3日"}}
    got = score(rows, metas)
    assert got["issued"] == {"tp": 1, "extracted": 2, "stated": 2, "precision": 0.5, "recall": 0.5}
    assert got["effective"] == {"tp": 0, "extracted": 1, "stated": 1, "precision": 0.0, "recall": 0.0}
    assert got["expires"]["recall"] == 0.0 and got["expires"]["precision"] is None
