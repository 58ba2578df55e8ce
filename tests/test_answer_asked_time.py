"""A time asked of a target's sentence that dates several things is answered with the clause that dates what the
question names, not only with the clause of the target's figure (answer.targets.YearHandler.asked_time)."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    # 451 德州市“十四五”生态环境保护规划 第三章第四节: …2023年年底前，淘汰国三及以下排放标准柴油货车，2025年年底前，
    # 完成淘汰国四…省分解任务，国六排放标准重型货车占比达到30%以上。 (the target is the 30% share, due 2025)
    yield from service_of(tmp_path_factory, "time", [corpus_dc_file("451")])


def test_the_deadline_of_what_is_asked_is_shown(svc):
    doc = svc.documents()[0].doc_id
    ans = svc.ask("德州要求国三及以下排放标准的柴油货车在什么时候前淘汰？", doc=doc)
    assert not ans.refused and ans.route == "year"
    assert "2023年年底前，淘汰国三及以下排放标准柴油货车" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)
