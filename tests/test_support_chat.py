"""Support questions in the chat are answered from the stored support items, every figure quoted."""
from __future__ import annotations

import pytest

from service import PolicyService
from settings import Settings
from tests.conftest import CORPUS_DC



@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    s = PolicyService(Settings(home=tmp_path_factory.mktemp("sup") / "home"))
    s.ingest([next(CORPUS_DC.glob(f"{p}*.pdf")) for p in ("117、", "309、")])
    yield s
    s.close()


def _quoted(ans) -> bool:
    return all(c.quote in c.unit_text for c in ans.citations)


def test_amount_of_a_named_project(svc):
    ans = svc.ask("繁昌区节能降碳若干支持措施里，能源管控中心项目最高补助多少？")
    assert ans.route == "support" and not ans.refused
    assert "20%" in ans.answer and "200万元" in ans.answer and _quoted(ans)


def test_deadline_and_conditions_from_the_notice(svc):
    ans = svc.ask("深圳绿色低碳产业扶持计划申报什么时候截止？")
    assert ans.route == "support" and "2022年7月24日" in ans.answer and _quoted(ans)
    ans = svc.ask("深圳绿色低碳产业扶持计划需要满足什么条件？")
    assert ans.route == "support" and "依法登记注册" in ans.answer and _quoted(ans)


def test_most_one_can_get(svc):
    ans = svc.ask("深圳2023年绿色低碳产业扶持计划最多能拿多少？")
    assert ans.route == "support" and "1000万元" in ans.answer


def test_other_questions_take_the_ordinary_routes(svc):
    assert svc.ask("繁昌区由哪个部门负责节能降碳工作？").route != "support"


def test_items_nearly_as_good_in_one_document_are_listed_together(svc):
    # 117 三、2.: 区内绿电 0.04元/度 and 区外绿电 0.03元/度 are two items of one clause; a question about both gets both.
    ans = svc.ask("繁昌区企业用区内绿电、区外绿电的补贴标准分别是多少？")
    assert ans.route == "support" and "0.04元/度" in ans.answer and "0.03元/度" in ans.answer and _quoted(ans)


def test_window_question_matches_the_window_sentence(svc):
    # The 网上填报 of the question is in the window's sentence (309 网络填报受理时间), not in the item's own.
    ans = svc.ask("深圳绿色低碳产业扶持计划网上填报是哪几天？")
    assert ans.route == "support" and "2022年7月4日" in ans.answer and "2022年7月24日" in ans.answer
