"""The document's own term of validity, not a term an article sets for what it regulates (554: 黑名单有效期为五年 in
an article, 本办法…有效期三年 in the closing one)."""
from __future__ import annotations

from ingest.frontmatter import front_matter
from ingest.structure import parse
from tests.conftest import corpus_dc_file, loaded_file


def test_the_closing_articles_term_is_the_documents():
    text = ("第十一条 考评不合格的核查机构，将纳入本市核查工作黑名单，有效期为五年。\n"
            "第十三条 本办法自发布之日起施行，有效期三年。")
    assert front_matter(text)["expires"] == "三年"
    assert front_matter("纳入黑名单，有效期为五年。")["expires"] == "五年"  # no better sentence: as before


def test_554_expires_in_three_years():
    path = corpus_dc_file("554")
    loaded = loaded_file(path)
    assert parse(list(loaded.pages), loaded.title_hint).meta["expires"] == "三年"
