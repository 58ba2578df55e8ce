"""Who acts, and whose place a body takes (outline16): a province named by its short name in a title, and bodies
named after a verb — 建立…牵头…的机制 (the body leads the mechanism), 按照…要求 and 统筹… (whose rule is followed, who
is coordinated: no actor). Real PDFs of corpus-dc where the forms occur."""
from __future__ import annotations

import pytest

from knowledge.actors import jurisdiction_of, sentence_actors
from tests.conftest import corpus_dc_file


@pytest.mark.parametrize("title,place", [
    ("广西可再生能源发展“十四五”规划", "广西壮族自治区"),  # corpus-dc 565
    ("内蒙古能源发展规划", "内蒙古自治区"),  # three characters before two (内蒙 is no name)
    ("宁夏节能降碳实施方案", "宁夏回族自治区"),
    ("江苏省“十四五”全社会节能", "江苏省"),  # a full name is read as before
    ("长江经济带城乡建设行动方案", ""),  # a river is no division
    ("“十四五”节能减排综合工作方案", ""),
])
def test_a_title_naming_a_province_by_its_short_name_gives_its_full_name(title, place):
    assert jurisdiction_of(title) == place


@pytest.mark.parametrize("text,names", [
    # corpus-dc 573, 565, 425: the body leads the mechanism the plan sets up; the verb is no part of its name
    ("建立市发展改革委、市能源局会同职能部门细化落实的电力规划实施工作机制。", ["市发展改革委", "市能源局"]),
    ("建立健全自治区发展改革委牵头组织、各相关部门配合的规划实施工作机制。", ["自治区发展改革委"]),
    ("完善市委市政府统筹、行业部门负责、县区抓落实的工作机制。", ["市委市政府"]),
    # corpus-dc 231, 75, 314: whose rule is followed, who is coordinated
    ("2021年下半年，按照省统计局要求填报自然资源资产负债表数据。", []),
    ("按照省委、省政府部署要求，把碳达峰、碳中和纳入经济社会发展总体布局。", []),
    ("统筹市级各行业主管部门建立绿色项目库。", []),
])
def test_a_verb_before_a_body_is_no_part_of_the_actor(text, names):
    assert [b.name for b in sentence_actors(text)] == names


def test_a_real_plan_of_guangxi_names_its_bodies_with_their_place():
    """565 广西可再生能源发展“十四五”规划: its title names 广西 without 壮族自治区, and its closing section sets up a
    mechanism 建立健全自治区发展改革委牵头组织…: every 自治区 body is 广西壮族自治区's, none begins with the verb."""
    from ingest.loaders import FileLoader
    from service import document_from

    doc = document_from(FileLoader(max_file_mb=50, timeout_s=120, workers=1).load(corpus_dc_file("565")))
    bodies = [b.canonical for u in doc.units() for b in u.bureaus]
    assert "广西壮族自治区发展改革委" in bodies
    assert not [b for b in bodies if b.startswith(("自治区", "建立"))]
