"""China's administrative divisions (knowledge/data/divisions.tsv) and place conditions read with them."""
from __future__ import annotations

from knowledge import divisions
from knowledge.eligibility import MET, NOT_MET, UNKNOWN, Profile, assess


def _names(text: str) -> list[str] | None:
    c = divisions.chain(text)
    return [d.name for d in c] if c else None


def test_every_province_and_its_cities_are_read_from_the_table():
    every = divisions._table()[0]
    provinces = [d for d in every if d.level == divisions.PROVINCE]
    assert len(provinces) == 34  # 23 省, 5 自治区, 4 直辖市, 2 特别行政区
    assert sum(d.level == divisions.PREFECTURE for d in every) >= 333
    assert divisions.province_of("苏州") == "江苏省" and divisions.province_of("宝安") == "广东省"
    assert divisions.city_of("宝安区") == "深圳市" and divisions.city_of("浦东新区") == "上海市"
    assert divisions.level_of("深圳") == divisions.level_of("深圳市") == divisions.PREFECTURE
    assert divisions.level_of("繁昌区") == divisions.COUNTY and divisions.level_of("某某") == 0


def test_names_as_users_write_them():
    assert _names("苏州") == _names("江苏苏州") == _names("江苏省苏州市") == ["江苏省", "苏州市"]
    assert _names("宝安") == ["广东省", "深圳市", "宝安区"]
    assert _names("广西") == ["广西壮族自治区"] and _names("凉山州") == ["四川省", "凉山彝族自治州"]
    # Autonomous divisions by their place's name, the nationalities left off (巴音郭楞蒙古自治州 writes 蒙古 without 族).
    assert _names("西双版纳") == ["云南省", "西双版纳傣族自治州"] and _names("巴音郭楞州") == ["新疆维吾尔自治区", "巴音郭楞蒙古自治州"]
    assert _names("新疆") == ["新疆维吾尔自治区"] and _names("郑州管城") == ["河南省", "郑州市", "管城回族区"]
    assert _names("海南") == ["海南省"]  # the province, not 青海's 海南藏族自治州
    assert _names("北京朝阳") == ["北京市", "朝阳区"]  # read in context; a bare 朝阳 is 辽宁's 朝阳市
    assert _names("苏州杭州") is None and _names("某某开发区") is None


def test_relation_at_every_level():
    suzhou = divisions.chain("苏州")
    assert divisions.relation(suzhou, "江苏", 1) == "in"
    assert divisions.relation(suzhou, "浙江", 1) == "out"
    assert divisions.relation(divisions.chain("宝安"), "深圳", 2) == "in"
    assert divisions.relation(divisions.chain("江苏"), "苏州", 2) is None  # less precise than the condition
    assert divisions.relation(suzhou, "深汕合作", 3) is None  # not in the table


def test_place_conditions_against_the_issuers_place():
    cond = "申报单位须在我省行政区域内依法登记注册"
    assert assess(cond, Profile(place="苏州"), "江苏省").status == MET
    assert assess(cond, Profile(place="苏州"), "浙江省").status == NOT_MET
    assert assess(cond, Profile(place="四川省成都市"), "江苏省").status == NOT_MET
    assert assess("在本市行政区域内注册的企业", Profile(place="宝安"), "深圳市").status == MET
    assert assess("在本市行政区域内注册的企业", Profile(place="广东省"), "深圳市").status == UNKNOWN
    # 繁昌's 辖区: a city elsewhere is outside it; 芜湖市 (its own city) may or may not be.
    assert assess("辖区内企业使用区内绿电的", Profile(place="成都市"), "繁昌区").status == NOT_MET
    assert assess("辖区内企业使用区内绿电的", Profile(place="芜湖市"), "繁昌区").status == UNKNOWN
    # 本市（含深汕合作区）: the area the issuer counts in (no division) is read as the issuer's own.
    shen = "申报主体为本市行政区域内（含深汕合作区）依法登记注册的企业"
    assert assess(shen, Profile(place="东莞"), "深圳市").status == NOT_MET
    assert assess(shen, Profile(place="宝安"), "深圳市").status == MET
    assert "深圳市" in assess(shen, Profile(place="东莞"), "深圳市").why


def test_the_level_a_self_reference_names():
    # A city's notice relaying a province's call (无锡市关于组织申报…省碳达峰…专项资金项目的通知): 我省 is its province.
    cond = "申报单位须是在我省注册的具有独立法人资格的企业"
    assert assess(cond, Profile(place="苏州"), "无锡市").status == MET
    assert assess(cond, Profile(place="杭州"), "无锡市").status == NOT_MET
    assert assess("在本市注册的企业", Profile(place="苏州"), "无锡市").status == NOT_MET
    # A district's 本市 is its city; its 本区 the district.
    assert assess("在本市注册的企业", Profile(place="鸠江区"), "繁昌区").status == MET
    assert assess("在本区注册的企业", Profile(place="鸠江区"), "繁昌区").status == NOT_MET


def test_every_name_of_the_places_a_title_names():
    # titles written for this test: a place in its full, short or autonomous-region form
    assert divisions.names_of_places_in("呼伦贝尔市绿色出行促进办法") == {"呼伦贝尔市", "呼伦贝尔"}
    assert divisions.names_of_places_in("支持三明绿色金融的若干措施") == {"三明", "三明市"}
    assert divisions.names_of_places_in("广西节能降碳方案") >= {"广西", "广西壮族自治区"}
    assert {"江苏", "江苏省", "南京", "南京市"} <= divisions.names_of_places_in("江苏省南京市低碳园区办法")
    assert divisions.names_of_places_in("关于推进绿色低碳发展的指导意见") == set()
