"""One indicator across documents (knowledge/indicators.py, `targets --compare`): indicators as documents word
them map to one canonical name; the comparison is read from the knowledge store."""
from __future__ import annotations

from tests.fakes import NoSearchIndex

import json

import pytest

from knowledge.indicators import NAMES, RULES, normalise, resolve
from tests.conftest import CORPUS, PRIMARY_TXT, ROOT

DC = CORPUS.parent / "corpus-dc"


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_rule_matches_the_wordings_it_cites(rule):
    assert rule.seen, f"{rule.name}: no source given"
    unit = (rule.units or ("",))[0]
    for source, wording in rule.seen:
        assert normalise(wording, unit=unit) == rule.name, (source, wording)


def test_no_rule_stands_on_a_test_document():
    """Test documents are for reporting: a wording is cited from dev documents (or the bundled corpus), never
    from a document of the blind test split."""
    from eval.targets import test_files as split_test_files  # aliased: pytest would collect test_files

    held = {f.split("、", 1)[0] for f in split_test_files(ROOT / "eval" / "testsets")}
    assert len(held) >= 30  # the split's documents were read, not an empty set
    cited = {source.split("/", 1)[1].split("、", 1)[0] for r in RULES for source, _ in r.seen
             if source.startswith("corpus-dc/")}
    assert cited and not cited & held


@pytest.mark.parametrize("indicator, unit, expected", [
    ("非化石能源占一次能源消费比重将", "%", "非化石能源消费比重"),
    ("非化石能源发电装机", "万千瓦", None),  # a capacity is not a consumption share
    ("非化石能源装机占比", "%", "非化石能源装机占比"),
    ("全市可再生能源发电装机", "万千瓦", "可再生能源装机"),
    ("可再生能源发电装机比重", "%", "可再生能源装机占比"),
    ("单位GDP二氧化碳排放", "%", "单位GDP二氧化碳排放下降"),
    ("营运交通工具单位换算周转量碳排放强度", "%", None),
    ("全区万元工业增加值能耗", "%", "单位工业增加值能耗下降"),
    ("营运货车、营运货船、港口生产、社会车辆等能耗强度预期分别", "%", None),
    ("城镇新建建筑…执行绿色建筑标准", "%", "城镇新建建筑绿色建筑占比"),  # 城镇新建建筑100%执行绿色建筑标准
    ("氨氮…和二氧化碳排放强度下降15%", "%", None),  # the figure is 氨氮's
    ("全省新建星级绿色建筑占当年新建绿色建筑面积", "%", None),
    ("一星及以上等级绿色建筑占城镇新增绿色建筑比例", "%", None),
    ("城镇新建公共建筑能效水平…城镇绿色建筑占新建建筑比重全面建设（注", "%", None),  # 能效水平提升20%
    ("新能源汽车在年度新增及更新车辆中占比", "%", "新能源汽车占比"),
    ("推广新能源汽车", "辆", None),
    ("单位生产总值（GDP）综合能耗、单位GDP二氧化碳排放量分别比上年", "%", "单位GDP能耗下降"),
])
def test_normalise(indicator, unit, expected):
    assert normalise(indicator, unit=unit) == expected


def test_resolve_user_wordings():
    assert resolve("非化石能源消费比重") == "非化石能源消费比重"
    assert resolve("非化石能源占比") == "非化石能源消费比重"
    assert resolve("绿色建筑") == "城镇新建建筑绿色建筑占比"
    assert resolve("单位GDP能耗") == "单位GDP能耗下降"
    assert resolve("不存在的指标") is None
    assert len(set(NAMES)) == len(NAMES)


StubIndex = NoSearchIndex


# (file number in corpus-dc, year, comparator, value) for three indicators; read off the PDFs.
EXPECTED = {
    "非化石能源消费比重": {
        ("1", 2025, "达到…左右", "20"), ("1", 2030, "达到…左右", "25"), ("1", 2060, "达到…以上", "80"),
        ("242", 2025, "达到…以上", "4"), ("106", 2025, "达到", "16"), ("primary", 2030, "左右", "25"),
    },
    "单位GDP能耗下降": {
        ("1", 2025, "下降", "13.5"), ("242", 2025, "下降", "16"), ("106", 2025, "下降", "13.5"),
        ("235", 2025, "降低", "13.5"), ("353", 2025, "下降", "11"),
    },
    "城镇新建建筑绿色建筑占比": {
        ("242", 2025, "达到", "100"), ("235", 2025, "达", "100"), ("353", 2025, "达到", "70"),
    },
}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    if not DC.is_dir():
        pytest.skip("corpus-dc not present")
    from service import PolicyService
    from settings import Settings

    settings = Settings(home=tmp_path_factory.mktemp("indicators-home"))
    service = PolicyService(settings, search_index=StubIndex())
    numbers = ["1", "242", "106", "235", "353"]
    files = {n: next(DC.glob(f"{n}、*.pdf")) for n in numbers}
    files["primary"] = PRIMARY_TXT
    report = service.ingest(list(files.values()))
    assert len(report.ingested) == len(files)
    by_source = {d.source: d.doc_id for d in service.documents()}
    ids = {by_source[p.name]: n for n, p in files.items()}
    yield service, ids, settings
    service.close()


@pytest.mark.parametrize("indicator", sorted(EXPECTED))
def test_compare_across_documents(library, indicator):
    service, ids, _ = library
    rows = service.compare_indicator(indicator)
    got = {(ids[r["doc_id"]], r["year"], r["comparator"], r["value"]) for r in rows}
    assert got == EXPECTED[indicator]
    for r in rows:  # each cited: the quote is the stored sentence of a unit with a label and a page
        doc = service.document(r["doc_id"])
        unit = next(u for u in doc.units() if r["quote"] in u.text)
        assert r["value"] in r["quote"] and r["label"] and r["page"] == unit.page
        assert r["indicator_norm"] == indicator and r["number"] == float(r["value"]) and r["unit"] == "%"


def test_cli_targets_compare_json(library, capsys, monkeypatch):
    import app

    service, ids, settings = library
    monkeypatch.setenv("POLICYQA_HOME", str(settings.home))
    monkeypatch.setattr("service.PolicyService.index", property(lambda self: StubIndex()))
    assert app.run(["targets", "--compare", "非化石能源占比", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(ids[r["doc_id"]], r["year"], r["value"]) for r in rows} == \
        {(n, y, v) for n, y, _, v in EXPECTED["非化石能源消费比重"]}
    for r in rows:
        assert set(r) >= {"doc_id", "doc_title", "label", "year", "indicator", "indicator_norm", "comparator",
                          "value", "unit", "number", "quote", "page"}
    primary = next(r for r in rows if ids[r["doc_id"]] == "primary")
    assert primary["label"] == "（五）" and primary["indicator"] == "非化石能源消费占比"
    assert app.run(["targets", "--compare", "单位GDP能耗", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("单位GDP能耗下降：5 份文件，5 项目标")
    assert app.run(["targets", "--compare", "没有这个指标"]) == 2


def test_targets_json_carries_indicator_norm(library, capsys, monkeypatch):
    import app

    _, _, settings = library
    monkeypatch.setenv("POLICYQA_HOME", str(settings.home))
    monkeypatch.setattr("service.PolicyService.index", property(lambda self: StubIndex()))
    assert app.run(["targets", "--json", "--doc", "连云港"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 19
    norms = {r["indicator"]: r["indicator_norm"] for r in rows}
    assert norms["全市可再生能源发电装机"] == "可再生能源装机"
    assert norms["新能源汽车在年度新增及更新车辆中占比"] == "新能源汽车占比"
    assert norms["培育省级未来产业先导区"] is None


def test_chat_answers_one_indicator_across_documents(library):
    """各地…目标是多少？ is answered from the comparison table: one line per document, every figure cited with a
    quote that is an exact substring of the unit and carries the figure and its year."""
    service, ids, _ = library
    ans = service.ask("各地非化石能源消费比重目标是多少？")
    assert not ans.refused and ans.route == "indicator_compare"
    assert ans.answer.startswith("库中4份文件设定了非化石能源消费比重目标")
    lines = [x for x in ans.answer.splitlines() if x.startswith("- 《")]
    assert len(lines) == 4
    for c in ans.citations:
        unit = service.document(c.doc_id).measure(c.seq)
        assert c.quote in unit.text
    for n, cite in enumerate(ans.citations, 1):
        shown = next(x for x in lines if f"[{n}]" in x)
        figure = shown.split(f"[{n}]")[0].split("；")[-1].split("：")[-1]
        value = figure.split("年")[-1]
        assert any(ch.isdigit() for ch in value)
        for num in __import__("re").findall(r"\d+(?:\.\d+)?", figure):
            assert num in cite.quote, (figure, cite.quote)
    national = next(x for x in lines if "中共中央" in x)
    assert "》第二部分：" in national
    assert "2025年达到20%左右" in national and "2030年达到25%左右" in national and "2060年达到80%以上" in national
    # A question about one document, or about no known indicator, goes the ordinary way.
    from answer.indicator import indicator_asked

    assert indicator_asked("连云港非化石能源消费比重目标是多少？") is None
    assert indicator_asked("各地有哪些支持氢能的措施？") is None
    assert indicator_asked("各省单位GDP能耗下降目标分别是多少") == "单位GDP能耗下降"


def test_compare_cites_the_year_of_each_target(library):
    """A target whose sentence does not say its year (到2025年，…。单位国内生产总值能耗比2020年下降13.5%；) carries a
    `year_quote` that does: the exact stretch of the unit from the year to the figure."""
    service, ids, _ = library
    for name in EXPECTED:
        for r in service.compare_indicator(name):
            unit_text = service.document(r["doc_id"]).measure(r["seq"]).text
            assert r["year_quote"] in unit_text and r["quote"] in r["year_quote"]
            plan = {2025: "十四五", 2030: "十五五"}.get(r["year"], "—")  # “十四五”时期 is due in 2025
            assert str(r["year"]) in r["year_quote"] or plan in r["year_quote"], r
