"""Which of a measure's listed bureaus a sentence answer names (answer/bureau_answers.py), on real dev document 549
(黑龙江's 2021-2023 rolling plan, whose measures end 责任部门：A、B): the first the measure names, whatever the process's
string hashing (the order once came from a set of names: 由环科院负责 in one run, 由气候处负责 in the next)."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, doc_titled, service_of

# questions written for this test, each about one measure listing two offices of the same length
ASKED = (("省级温室气体清单的编制工作由哪个处室负责？", "由气候处负责"),
         ("帮助金融机构实现绿色信贷精准投放的工作由谁负责？", "由财审处负责"))


pytestmark = pytest.mark.slow  # a real ingest and encoder


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "bureau_order", [corpus_dc_file("549")])


def test_the_answer_names_the_bureau_listed_first(svc):
    doc = doc_titled(svc, "滚动实施方案")
    for question, named in ASKED:
        answer = svc.ask(question, doc=doc).answer
        assert named in answer, answer
