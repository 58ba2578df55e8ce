"""A question naming an article (第十九条) is answered from that article, cited by its label."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "lab", [corpus_dc_file("58")])


def test_article_named_in_the_question(svc):
    ans = svc.ask("天津碳达峰碳中和促进条例第十九条规定了什么？")
    assert ans.route == "article" and ans.citations[0].label == "第十九条"
    assert "目标责任制和考核评价制度" in ans.answer and ans.citations[0].quote in ans.citations[0].unit_text


def test_a_penalty_question_is_not_the_article_itself(svc):
    assert svc.ask("违反第二十条会受到什么处罚？").route != "article"
