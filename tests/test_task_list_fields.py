"""A department's task list (corpus-dc 231, 辽宁省自然资源厅…工作计划和措施清单) closes each section with its fields:
`责任处室：…` and `完成时限：…` after the last item. The fields are text (not running footers, though the same
完成时限 line ends most pages), a names list ends where the next field begins, and the fields answer for every unit
of their section."""
from __future__ import annotations

import pytest

from ingest.clean import repeated_edge_lines
from knowledge.actors import deadline_in, labelled_bureaus
from tests.conftest import corpus_dc_file, service_of


def test_a_field_line_closing_most_pages_is_not_furniture():
    pages = [[f"第{i}项工作", "内容。", "责任处室：某某处", "完成时限：2021年12月底前"] for i in range(4)]
    pages = [p + [f"— {i} —"] for i, p in enumerate(pages)]
    found = repeated_edge_lines(pages)
    assert "完成时限：#年#月底前" not in found and "责任处室：某某处" not in found
    assert "—#—" in found  # a page number still is


def test_a_names_list_ends_at_the_next_field():
    text = "开展自查工作。\n责任处室：耕地保护监督处完成时限：按照自然资源部统一部署要求"
    assert [b.name for b in labelled_bureaus(text)] == ["耕地保护监督处"]
    assert deadline_in(text) == "按照自然资源部统一部署要求"
    assert deadline_in("完成时限：2021年12月底前责任处室：国土空间规划处") == "2021年12月底前"


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "tasks", [corpus_dc_file("231")])


def test_the_closing_fields_answer_for_their_section(svc):
    ans = svc.ask("辽宁2021年度国土变更调查工作由哪个处室负责，什么时候完成？")
    assert not ans.refused and "自然资源调查监测处" in ans.answer and "2021年12月底前" in ans.answer
    cite = ans.citations[0]
    assert cite.quote in cite.unit_text and cite.quote.startswith("责任处室：自然资源调查监测处")
    # The section's heading unit is named, its last item is cited.
    assert "开展年度国土变更调查工作" in ans.answer


def test_a_partner_named_in_a_sentence_is_not_the_closing_field(svc):
    ans = svc.ask("建设用地污染地块联动监管和安全利用月报制度，自然资源厅要和哪个部门共同建立？")
    assert "省生态环境厅" in ans.answer and "国土空间用途管制处" not in ans.answer


def test_a_quote_starts_after_the_units_heading_line():
    from answer.compose import without_heading_line
    from knowledge.model import Measure
    m = Measure(seq=26, no=7, section_no=7, title="扎实推进矿山地质环境治理恢复工作", page=3, kind="section_text",
                text="七、扎实推进矿山地质环境治理恢复工作\n完成生产矿山年度治理任务和历史遗留废弃矿山主体工程。")
    assert without_heading_line(m.text, m) == "完成生产矿山年度治理任务和历史遗留废弃矿山主体工程。"
    # A first line that says more than the heading stays.
    assert without_heading_line("七、扎实推进工作，全面完成\n任务。", m) == "七、扎实推进工作，全面完成\n任务。"
