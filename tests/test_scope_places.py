"""The places a title or a question names, and whether a question names the central level (retrieval.scope_places,
retrieval.scope.national_asked): pure readings, no library. (Moved from tests/test_scope.py, which keeps the decision
rule, the model file and the whole path on a library.)"""
from __future__ import annotations

import pytest

from retrieval.scope import national_asked
from retrieval.scope_places import named_places, places_in
from retrieval.tokenize import ChineseTokenizer


@pytest.mark.parametrize("title, places", [
    ("广州市黄埔区 广州开发区 广州高新区促进绿色低碳发展办法", ["广州", "黄埔"]),
    ("市生态环境局关于天津市2021年度碳排放配额安排的通知", ["天津"]),  # issuer first, the place inside
    ("无锡市关于组织申报2022年度省碳达峰碳中和科技创新专项资金项目的通知", ["无锡"]),  # 年度省: none (../shared/corpus)
    ("北京市绿色社区创建行动实施方案", ["北京"]),  # 绿色社区: no place
    ("毕节市林业碳票管理办法（试行）", ["毕节"]),  # short and first: a place although jieba does not tag it
    ("四川林草碳汇行动方案", ["四川"]),  # the bare name first
    ("山东省关于坚决遏制“两高”项目盲目发展促进能源资源高质量配置利用有关事项的通知", ["山东"]),  # corpus-dc 382
    ("中共中央办公厅、国务院办公厅印发《关于推动城乡建设绿色发展的意见》", []),
    ("湖北省老河口市节能降碳实施方案", ["湖北", "老河口"]),  # a gazetteer place starting 老: not cut to 河口
    ("自治区党委办公厅人民政府办公厅", []),  # an issuer without its place: 自治区 is the level, not a place 自治
    ("广西壮族自治区人民政府", ["广西"]),
    # A word jieba tags ns that names no division is no place (a file name of ../shared/corpus-dc; 海洋, tagged ns,
    # in a title written for this test: the corpus-dc file that first showed it is now a test document).
    ("城市绿色货运配送示范工程管理办法", []),
    ("海洋生态保护修复项目管理办法", []),
    # The verb before a place whose name ends in a division character: the place, not 成立柳 / 征集徐.
    ("关于成立柳州市碳达峰碳中和系列文件编制工作专班的通知", ["柳州"]),
    ("关于征集徐州市碳达峰碳中和科技创新技术需求的通知", ["徐州"]),
    ("关于做好天津市2021年度碳排放报告与核查及履约等工作的通知", ["天津"]),  # not 津市 (a city of Hunan)
    ("齐齐哈尔市绿色建筑创建行动实施方案", ["齐齐哈尔"]),  # jieba knows 齐齐哈尔市
])
def test_places_in_titles(title, places):
    assert places_in(title) == places


@pytest.mark.parametrize("question, places", [
    ("广州2025年新能源汽车保有量目标是多少？", ["广州"]),  # bare, and no document of it needed
    ("在黄埔区做资源综合利用项目，能拿多少补助？", ["黄埔"]),  # with its division
    ("凉山州风电基地十四五期间要新增投产多少装机？", ["凉山"]),
    ("嘉兴市碳排放报告质量达标单位有什么好处？", ["嘉兴"]),  # 嘉兴 bare is not tagged ns; 嘉兴市 is
    ("国家级开发区的碳排放有什么要求？", []),  # 开发区: a kind of zone (_NOT_PLACE)
    ("西藏、南疆四地州这类特殊地区的污水垃圾处理项目，中央投资怎么安排？", ["西藏"]),
    ("到2025年城镇新建建筑中绿色建筑占比要达到多少？", []),  # 新建: tagged ns (新建县) but a word first
    ("江南水乡的生态保护要求是什么？", []),  # 江南 likewise (江南区 is rare beside it)
    ("到2030年非化石能源消费比重要达到多少？", []),
])
def test_a_question_names_places_whether_or_not_the_library_has_them(question, places):
    assert named_places(ChineseTokenizer().tokenize(question)) == places


@pytest.mark.parametrize("question, own, compound", [
    ("国家层面的建筑节能规划是什么时候发布的？", True, False),
    ("北京纳入全国碳市场的其他行业报告单位一共几家？", True, False),  # 全国碳市场: the national market, a word of its own
    ("多大规模的风电场需要向国家能源局报送可靠性信息？", True, False),
    ("中央双碳意见里，2060年非化石能源消费比重的目标是多少？", True, False),
    ("繁昌区对获评国家级绿色工厂的企业一次性奖励多少万元？", False, True),  # a grade, named by a local document
    ("大气污染物浓度比国家标准低了30%以上，环境保护税能减多少？", False, True),
    ("中央财政每年安排多少亿元专项资金用于支持碳达峰碳中和？", False, True),
    ("到2030年非化石能源消费比重要达到多少？", False, False),
])
def test_the_central_level_named_as_a_word_or_inside_a_compound(question, own, compound):
    assert national_asked(question) == (own, compound)
