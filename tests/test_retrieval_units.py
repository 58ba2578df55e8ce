"""Units: ids, exact text, metadata that Chroma accepts and that round-trips."""
from __future__ import annotations

from knowledge.model import Bureau, Document, Measure, Section, Target
from retrieval.units import Unit, split_sentences, units_for
from tests.test_retrieval_support import primary_doc


def test_split_sentences_gives_exact_substrings_with_offsets():
    text = "（一）标题。第一句，到2030年达到1个；第二句！  （市发改委牵头负责）"
    parts = split_sentences(text)
    assert [s for _, s in parts] == ["（一）标题。", "第一句，到2030年达到1个；", "第二句！", "（市发改委牵头负责）"]
    for start, s in parts:
        assert text[start:start + len(s)] == s


def test_primary_document_units():
    doc = primary_doc()
    units = units_for(doc)
    measures = [u for u in units if not u.is_sentence and u.kind == "measure"]
    assert [u.measure_no for u in measures] == list(range(1, 23))
    assert len({u.unit_id for u in units}) == len(units)
    by_id = {u.unit_id: u for u in units}
    for u in units:
        whole = by_id[u.measure_unit_id]
        assert whole.text[u.start:u.start + len(u.text)] == u.text  # exact substring at its offset
        if u.is_sentence:
            assert u.unit_id == f"lyg:{u.seq}:s{u.sentence_no}"
        else:
            assert u.unit_id == f"lyg:{u.seq}"
    m8 = next(u for u in measures if u.measure_no == 8)
    assert m8.bureaus == ("市交通运输局",) and m8.lead_bureaus == ("市交通运输局",)
    assert "市交通局" in m8.bureau_names
    assert 2027 in m8.years and 2030 in m8.years
    assert m8.section_no == 3 and m8.section_title == "实施基础设施绿色升级行动"
    # the sentence carrying the 2027 targets knows its year; the heading sentence does not
    s2027 = next(u for u in units if u.measure_key == m8.measure_key and u.is_sentence and "近零碳码头" in u.text)
    assert 2027 in s2027.years
    heading = next(u for u in units if u.measure_key == m8.measure_key and u.sentence_no == 1)
    assert heading.years == ()


def test_metadata_is_chroma_safe_and_round_trips():
    doc = primary_doc()
    for u in units_for(doc):
        md = u.to_metadata()
        assert all(isinstance(k, str) for k in md)
        assert all(isinstance(v, (str, int, float, bool)) for v in md.values())
        assert Unit.from_metadata(u.unit_id, u.text, md) == u
        assert Unit.from_json(u.to_json()) == u


def test_hand_made_document_with_preamble_and_no_section():
    doc = Document(doc_id="d1", title="测试文件", source="t.txt", pages=1, content_hash="h",
                   sections=[Section(1, "总则")])
    doc.extra_units.append(Measure(seq=1, no=0, section_no=None, title="前言", text="为了测试。", page=1,
                                   kind="preamble"))
    doc.measures.append(Measure(
        seq=2, no=1, section_no=1, title="目标", text="（一）目标。到2030年建成1个。（市发改委牵头负责）", page=1,
        bureaus=[Bureau("市发改委", "市发展和改革委员会", ("市发改委",), lead=True)],
        targets=[Target(2030, "建成", "", "1", "个", "到2030年建成1个。")]))
    units = units_for(doc)
    assert [u.unit_id for u in units] == ["d1:1", "d1:2", "d1:2:s1", "d1:2:s2", "d1:2:s3"]
    assert units[0].section_no is None and "section_no" not in units[0].to_metadata()
    assert units[1].years == (2030,) and units[3].years == (2030,) and units[2].years == ()
    assert units[1].to_metadata()["b:市发展和改革委员会"] is True
    assert units[1].path == "测试文件 › 总则 › 目标"
