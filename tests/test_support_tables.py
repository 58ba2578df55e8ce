"""Funding tables in the shapes annexes commonly write them besides 283's (issue #12: held-out amounts in annex tables
were missed): the money column before other columns, the header written again where a table runs onto the next page,
and a table by tier (国家级 省级 市级, SPEC's tiers). No open corpus-dc document has these tables (the sweep of this round
found none), so the examples are written in the common wording; 283's table is read as before."""
from __future__ import annotations

from knowledge.support import extract_support
from knowledge.support_tables import table_rows

from .test_support import _doc


def test_money_column_before_other_columns():
    text = ("项目及资助额度如下表（单位：万元）：\n序号 项目名称 资助金额 承担单位\n1 零碳园区关键技术研究 100 厦门大学\n"
            "2 工业余热利用示范 50 福州大学\n")
    rows = table_rows(text)
    assert [(r.no, r.wan, r.text) for r in rows] == [(1, 100.0, "1 零碳园区关键技术研究 100 厦门大学"),
                                                    (2, 50.0, "2 工业余热利用示范 50 福州大学")]
    text = "序号 项目名称 资助经费（万元） 承担单位 备注\n1 零碳园区关键技术研究 100 厦门大学 重点\n2 工业余热利用示范 50 福州大学\n三、申报要求"
    assert [r.wan for r in table_rows(text)] == [100.0, 50.0]
    # a name with a number in it keeps the money figure (the last number before the text cells)
    text = "序号 项目名称 资助经费（万元） 承担单位\n1 2号机组余热回收 80 某电厂\n"
    assert [r.wan for r in table_rows(text)] == [80.0]


def test_header_written_again_over_a_page():
    text = ("序号 项目名称 资助经费（万元）\n1 零碳园区关键技术研究 100\n2 工业余热利用示范 50\n"
            "序号 项目名称 资助经费（万元）\n3 氢能储运 30\n4、其他事项")
    assert [(r.no, r.wan) for r in table_rows(text)] == [(1, 100.0), (2, 50.0), (3, 30.0)]


def test_table_by_tier_is_one_item_a_row_with_a_figure_a_tier():
    text = ("奖励标准如下（单位：万元）：\n序号 类别 国家级 省级 市级\n1 绿色工厂 100 50 30\n2 绿色园区 200 100 —\n"
            "四、申报程序")
    first, second = extract_support(text)
    assert first.kind == "奖励" and first.label == "第1项" and first.amount is None
    assert [(t["tier"], t["amount"], t["wan"]) for t in first.tiers] == [("国家级", "100万元", 100.0),
                                                                       ("省级", "50万元", 50.0), ("市级", "30万元", 30.0)]
    assert [t["tier"] for t in second.tiers] == ["国家级", "省级"]  # — : no sum for 市级
    assert all(t["sentence"] in text for it in (first, second) for t in it.tiers)
    # a ceiling when the lead says so; no unit anywhere: no figures read
    capped = extract_support("奖励最高不超过以下标准（万元）：\n序号 类别 国家级 省级\n1 绿色工厂 100 50\n")
    assert [t.get("cap") for t in capped[0].tiers] == ["100万元", "50万元"]
    assert table_rows("序号 类别 国家级 省级 市级\n1 绿色工厂 100 50 30\n") == []


def test_283_table_unchanged():
    items = [it for it in _doc("283").support_items if it.cap]
    assert sorted(it.cap["wan"] for it in items) == [5.0, 10.0]
