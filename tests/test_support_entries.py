"""Support written as labelled entries (the tax authority's 税费优惠政策指引: 【享受主体】【优惠内容】【享受条件】【政策依据】):
one item an entry, with its claimants, conditions, further terms and period, read across the units the outline cuts
it into. A written example in the guides' wording, and the whole 329 PDF read in place from ../shared/corpus-dc/."""
from __future__ import annotations

from types import SimpleNamespace

from knowledge.support import link_support
from knowledge.support_entries import entries

from .test_support import _doc

# Two entries as such a guide words them; the outline makes a unit of each numbered condition line.
UNITS = [
    "1.购置专用设备的投资额按一定比例实行企业所得税税额抵免【享受主体】购置专用设备的企业【优惠内容】企业购置并实际使用"
    "目录规定的专用设备的，该专用设备的投资额的10%可以从企业当年的应纳税额中抵免；当年不足抵免的，可以在以后5个纳税年度"
    "结转抵免。\n【享受条件】纳税人应当同时符合以下条件：",
    "1.在中国境内依法注册的居民企业；",
    "2.年度营业收入中相关收入的比例不低于60%。\n【政策依据】\n1.《中华人民共和国企业所得税法》第三十四条\n"
    "2.新能源汽车免征车辆购置税\n【享受主体】购置新能源汽车的车辆购置税纳税人【优惠内容】自2021年1月1日至2022年12月31日，"
    "对购置的新能源汽车免征车辆购置税。\n【享受条件】列入目录的新能源汽车。\n【政策依据】财政部税务总局公告2020年第21号",
]


def _units(texts):
    return [SimpleNamespace(seq=i, text=t, label=f"{i + 1}.", path=[], section_no=None, no=i, kind="clause", title="")
            for i, t in enumerate(texts)]


def test_entries_are_read_across_units():
    first, second = entries(_units(UNITS))
    assert first.title.startswith("1.购置专用设备") and second.title == "2.新能源汽车免征车辆购置税"
    assert [f.text for f in first.applicants] == ["购置专用设备的企业"]
    assert [f.text for f in first.conditions] == ["纳税人应当同时符合以下条件：", "1.在中国境内依法注册的居民企业；",
                                                  "2.年度营业收入中相关收入的比例不低于60%。"]
    # the next entry's title is no condition of this one, nor a basis of law
    assert [f.text for f in second.conditions] == ["列入目录的新能源汽车。"]
    assert all(any(f.sentence in u for u in UNITS) for e in (first, second)
               for f in (*e.applicants, *e.content, *e.conditions))


def test_an_item_an_entry_with_terms_conditions_and_period():
    credit, exempt = link_support(_units(UNITS))
    assert credit.rate["text"] == "10%" and credit.kind == "减免"
    assert [f.text for f in credit.terms] == ["当年不足抵免的，可以在以后5个纳税年度结转抵免。"]
    assert credit.applicants[0].text == "购置专用设备的企业" and len(credit.conditions) == 3
    # no figure: the entry is an item of its own, its period as its window
    assert exempt.kind == "减免" and exempt.quote == "自2021年1月1日至2022年12月31日，对购置的新能源汽车免征车辆购置税。"
    assert (exempt.window["start_iso"], exempt.window["end_iso"]) == ("2021-01-01", "2022-12-31")
    assert exempt.seq == 2 and exempt.conditions[0].text == "列入目录的新能源汽车。"


def test_whole_tax_guide_pdf():
    # 329 支持绿色发展税费优惠政策指引: every one of its entries is an item (figured or not), each with its claimants.
    doc = _doc("329")
    found = entries(doc.units())
    items = doc.support_items
    assert len(found) >= 50
    with_claimants = [it for it in items if it.applicants and not it.applicants[0].document_wide]
    assert len(with_claimants) >= len(found)
    third_party = next(it for it in items if "第三方防治企业" in it.quote and it.rate)
    assert third_party.rate["text"] == "减按15%"
    assert any("不低于60%" in c.text for c in third_party.conditions)
    assert (third_party.window["start_iso"], third_party.window["end_iso"]) == ("2019-01-01", "2023-12-31")


def test_329_shares_and_per_unit_sums_written_out_as_tax_law_writes_them():
    # 资源税法 减征百分之三十, 环境保护税法 减按百分之五十/七十五, 耕地占用税 减按每平方米二元的税额: a share and a rate
    # per square metre, not a sum of two yuan.
    doc = _doc("329")
    items = link_support(doc.units(), doc.sections)

    def with_quote(phrase):
        found = [it for it in items if phrase in it.quote]
        assert found, phrase
        return found[0]

    it = with_quote("减征百分之三十资源税")
    assert (it.rate["value"], it.rate["unit"], it.rate["base"]) == (30.0, "%", "应纳税额")
    # 环境保护税法's two cases are tiers of one item (see below)
    (it,) = [it for it in items if any("减按百分之五十征收环境保护税" in t["sentence"] for t in it.tiers)]
    assert it.tiers[-1]["rate"] == "减按百分之五十"
    it = with_quote("每平方米二元")
    assert (it.rate["value"], it.rate["unit"], it.amount) == (2.0, "元/平方米", None)
    assert all(it.amount is None or (it.amount["wan"] or 0) >= 0.01 for it in items)  # no sum of a few yuan


def test_329_an_entry_is_one_item_and_its_listed_title_none():
    # The guide lists its 56 titles in its overview and again in its annex before the entries: a listed title is no
    # item (3.从事污染防治的第三方企业减按15%的税率征收企业所得税 was read three times), and an entry whose 优惠内容 states two
    # cases (26. 低于标准百分之三十的减按百分之七十五, 低于百分之五十的减按百分之五十) is one item with two tiers.
    doc = _doc("329")
    items = link_support(doc.units(), doc.sections)
    titles = {e.title for e in entries(doc.units())}
    assert not [it.quote for it in items if it.quote.strip().rstrip("。") in titles]
    assert len(items) == len(titles) == 56
    third_party = [it for it in items if "第三方企业减按15%" in it.quote]
    assert len(third_party) == 1
    (env_tax,) = [it for it in items if "减按百分之七十五" in it.quote or any(
        "减按百分之七十五" in t["sentence"] for t in it.tiers)]
    assert env_tax.rate is None and [t["rate"] for t in env_tax.tiers] == ["减按百分之七十五", "减按百分之五十"]
    assert env_tax.tiers[0]["tier"].endswith("百分之三十的") and env_tax.tiers[1]["tier"].endswith("百分之五十的")


def test_a_relief_by_years_has_no_single_rate():
    # 三免三减半 (企业所得税法: 第一年至第三年免征，第四年至第六年减半征收): 减半 holds in some years only; 减半征收 alone is 50%.
    from knowledge.support_fields import rates_in

    assert rates_in("自项目取得第一笔生产经营收入所属纳税年度起，第一年至第三年免征企业所得税，第四年至第六年减半征收企业所得税。") == []
    assert [r.value for r in rates_in("对节能汽车，减半征收车船税。")] == [50.0]
    doc = _doc("329")
    (first,) = [it for it in doc.support_items if "从事符合条件的环境保护项目的所得" in it.quote]
    assert first.rate is None and first.kind == "减免"
