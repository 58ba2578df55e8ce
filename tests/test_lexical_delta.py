"""Another process follows a BM25 write through its delta (retrieval.lexical_delta): the same index as a full load,
and a full load whenever the delta cannot be used. Real documents from ../shared (tests.test_retrieval_support)."""
from __future__ import annotations

import json

import numpy as np

from retrieval import lexical_delta
from retrieval.lexical import LexicalIndex
from retrieval.tokenize import ChineseTokenizer
from retrieval.units import units_for
from tests.test_retrieval_support import national_doc, primary_doc

QUESTIONS = ("近零碳码头要建几个", "非化石能源消费比重", "营运交通工具单位换算周转量碳排放强度", "抽水蓄能电站", "碳普惠")


def _same(a: LexicalIndex, b: LexicalIndex) -> None:
    assert [u.unit_id for u in a.units] == [u.unit_id for u in b.units]
    assert a.snapshot().tokens == b.snapshot().tokens
    for q in QUESTIONS:
        x, y = a.search(q, top_k=10), b.search(q, top_k=10)
        assert [u.unit_id for u, _ in x] == [u.unit_id for u, _ in y]
        assert np.allclose([s for _, s in x], [s for _, s in y])


def _writer_and_reader(path):
    """A writer saves two documents; a reader (own tokenizer, as in another process) loads them; the writer then
    adds a third with new dictionary words (re-cutting units of the first two) and drops part of the first."""
    writer = LexicalIndex(ChineseTokenizer(pin_total=True))
    primary = units_for(primary_doc())
    writer.add(primary + units_for(national_doc()))
    writer.save(path)
    reader = LexicalIndex.load(path, ChineseTokenizer(pin_total=True))
    writer.tokenizer.add_words(["近零碳码头", "零碳货运枢纽"])
    writer.add(units_for(primary_doc("lyg-copy")))  # re-cuts the units that contain a new word
    writer.save(path)
    half = {u.unit_id for u in primary[: len(primary) // 2]}
    writer.add([u for u in primary if u.unit_id in half], replace_docs=["lyg"])  # drops the rest of it
    writer.save(path)
    return writer, reader


def test_a_reader_follows_two_writes_through_their_deltas(tmp_path):
    path = tmp_path / "bm25"
    writer, reader = _writer_and_reader(path)
    assert sorted(p.name for p in path.glob("delta-*")) == ["delta-000002.jsonl", "delta-000003.jsonl"]
    header = json.loads((path / "delta-000002.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert header["base"] == 1 and header["recut"]  # the new words re-cut some of the first document's units
    followed = LexicalIndex.load(path, ChineseTokenizer(pin_total=True), previous=reader)
    full = LexicalIndex.load(path, ChineseTokenizer(pin_total=True))
    assert followed.generation == full.generation == 3
    # the delta was used: the units the reader held are the same objects, not read again
    held = {u.unit_id: u for u in reader.units}
    kept = [u for u in followed.units if u.doc_id == "national"]
    assert kept and all(held[u.unit_id] is u for u in kept)
    assert not any(held.get(u.unit_id) is u for u in full.units)
    _same(followed, full)
    _same(followed, writer)
    # and the next write follows from the followed index too
    writer.remove("lyg-copy")
    writer.save(path)
    _same(LexicalIndex.load(path, ChineseTokenizer(pin_total=True), previous=followed), writer)


def test_a_missing_or_incompatible_delta_loads_in_full(tmp_path):
    path = tmp_path / "bm25"
    writer, reader = _writer_and_reader(path)
    # written from another base (its base fingerprint is not the reader's): full load, same index
    first = path / "delta-000002.jsonl"
    lines = first.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["base_fingerprint"] = "another-dictionary"
    first.write_text("\n".join([json.dumps(header)] + lines[1:]) + "\n", encoding="utf-8")
    assert lexical_delta.replay(path, 3, reader._disk) is None
    loaded = LexicalIndex.load(path, ChineseTokenizer(pin_total=True), previous=reader)
    assert not any(u is reader.unit(u.unit_id) for u in loaded.units)
    _same(loaded, writer)
    # missing (pruned, or never written)
    first.unlink()
    assert lexical_delta.replay(path, 3, reader._disk) is None
    _same(LexicalIndex.load(path, ChineseTokenizer(pin_total=True), previous=reader), writer)
    # a delta whose units do not give the saved list (its ids digest) is refused too
    from retrieval.lexical import _read_units

    units, tokens = _read_units(path / "gen-000002" / "units.jsonl")
    fingerprint = json.loads((path / "gen-000002" / "meta.json").read_text(encoding="utf-8"))["fingerprint"]
    at_two = lexical_delta.Disk(str(path.resolve()), 2, fingerprint, tuple(units), tuple(tokens))
    assert lexical_delta.replay(path, 3, at_two) is not None
    second = path / "delta-000003.jsonl"
    lines = second.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["ids"] = "0" * 24
    second.write_text("\n".join([json.dumps(header)] + lines[1:]) + "\n", encoding="utf-8")
    assert lexical_delta.replay(path, 3, at_two) is None


def test_a_torn_delta_line_is_logged_and_the_index_loads_in_full(tmp_path, caplog):
    path = tmp_path / "bm25"
    writer, reader = _writer_and_reader(path)
    delta = path / "delta-000002.jsonl"
    lines = delta.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 2  # a header and the third document's units
    # the last unit's line cut in the middle, as a write stopped by a full disk or a crash leaves it
    delta.write_text("\n".join(lines[:-1] + [lines[-1][: len(lines[-1]) // 2]]) + "\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="retrieval.lexical_delta"):
        assert lexical_delta.replay(path, 3, reader._disk) is None
    assert "delta-000002" in caplog.text or "unreadable" in caplog.text
    assert any(r.levelname == "WARNING" and "in full" in r.getMessage() for r in caplog.records)
    loaded = LexicalIndex.load(path, ChineseTokenizer(pin_total=True), previous=reader)
    assert loaded.generation == 3
    assert not any(u is reader.unit(u.unit_id) for u in loaded.units)  # read from the generation's folder
    _same(loaded, writer)
    # a header that is not JSON at all, and a unit line of the wrong shape, do the same
    delta.write_text('{"format": 1, "generation": 2, "ba\n', encoding="utf-8")
    assert lexical_delta.replay(path, 3, reader._disk) is None
    header = json.loads(lines[0])
    delta.write_text("\n".join([json.dumps(header), json.dumps({"unit": {"doc_id": "x"}, "tokens": []})]) + "\n",
                     encoding="utf-8")
    assert lexical_delta.replay(path, 3, reader._disk) is None
    _same(LexicalIndex.load(path, ChineseTokenizer(pin_total=True), previous=reader), writer)


def test_a_header_that_is_json_but_no_delta_header_is_logged_and_the_index_loads_in_full(tmp_path, caplog):
    path = tmp_path / "bm25"
    writer, reader = _writer_and_reader(path)
    delta = path / "delta-000002.jsonl"
    lines = delta.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    for bad, shown in (([1, 2], "list"), ({**header, "format": 99}, "99")):
        delta.write_text("\n".join([json.dumps(bad)] + lines[1:]) + "\n", encoding="utf-8")
        caplog.clear()
        with caplog.at_level("WARNING", logger="retrieval.lexical_delta"):
            assert lexical_delta.replay(path, 3, reader._disk) is None
        warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
        assert len(warned) == 1 and "delta-000002" in warned[0] and shown in warned[0] and "in full" in warned[0]
    loaded = LexicalIndex.load(path, ChineseTokenizer(pin_total=True), previous=reader)
    assert not any(u is reader.unit(u.unit_id) for u in loaded.units)  # read from the generation's folder
    _same(loaded, writer)


def test_deltas_beyond_the_kept_window_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setattr(lexical_delta, "KEEP", 4)
    path = tmp_path / "bm25"
    idx = LexicalIndex(ChineseTokenizer(pin_total=True))
    idx.add(units_for(primary_doc()))
    for _ in range(9):
        idx.save(path)
    assert sorted(p.name for p in path.glob("delta-*")) == [f"delta-{n:06d}.jsonl" for n in (6, 7, 8, 9)]
