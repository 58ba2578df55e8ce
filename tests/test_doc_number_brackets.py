"""The front matter's own document number and the answer that quotes it read the same year brackets (one home,
knowledge.text.DOC_YEAR_OPEN/CLOSE): a number the front matter folds to 〔〕 is found again as the text writes it."""
from __future__ import annotations

import pytest

from answer.doc_number import _own_number
from ingest.frontmatter import doc_number


# The bracket forms the front matter's comment names (沪府发 〔2022〕1号, 鲁发改能源[2021]1097号) and the full-width ［］ and
# 【】 text layers print (深市监【2022】37号, answer.doc_number's comment).
@pytest.mark.parametrize("written", ["沪府发〔2022〕1号", "鲁发改能源[2021]1097号", "鲁发改能源［2021］1097号",
                                     "深市监【2022】37号", "津住建科（2020）46号"])
def test_a_number_the_front_matter_reads_is_one_the_answer_finds(written):
    head = f"某某市人民政府办公室文件\n{written}\n关于印发某某实施方案的通知\n"
    folded = doc_number(head)
    assert folded.endswith("号") and "〔" in folded and folded[:2] == written[:2]
    found = _own_number(folded).search(head)
    assert found and found.group(0) == written
