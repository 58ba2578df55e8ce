"""ingest.loaders against the real corpus, real pypdf and real worker processes; bad files are made in tmp_path.
The worker pool's failures (hangs, memory, crashes, abandoned batches): tests/test_pdf_pool.py."""
from __future__ import annotations

import hashlib
import os
import time
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, EncodedStreamObject, NameObject

from errors import RejectedFile
from ingest import loaders
from ingest.loaders import FileLoader, LoadedFile, expand, load_file, load_many
from ingest.textcheck import TextStats, garbled_reason, split_pages, text_stats
from tests.conftest import CORPUS  # ../shared/corpus beside the repository, or POLICYQA_CORPUS

LYG_PDF = CORPUS / "连云港市加快经济社会发展全面绿色转型政策举措（征求意见稿）.pdf"
LYG_TXT = CORPUS / "连云港市加快经济社会发展全面绿色转型政策举措（征求意见稿）.txt"
NATIONAL_TXT = CORPUS / "中共中央国务院关于加快经济社会发展全面绿色转型的意见.txt"
GUANGDONG = CORPUS / "广东省生态文明建设“十四五”规划.pdf"
HANGZHOU = CORPUS / "杭州市关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的实施意见 .pdf"

# Page counts as pypdf sees them (checked by opening each file).
EXPECTED_PAGES = {
    "包头市深入推进碳达峰碳中和加快建设绿色低碳城市实施方案.pdf": 1,
    "天津市关于做好用能保障推动绿色发展的十项措施.pdf": 5,
    "天津市绿色建筑创建行动实施方案.pdf": 4,
    "成都市优化能源结构促进城市绿色低碳发展政策措施.pdf": 2,
    "无锡市关于组织申报2022年度省碳达峰碳中和科技创新专项资金项目的通知.pdf": 1,
    HANGZHOU.name: 9,
    "梧州市人民政府关于加快建立健全绿色低碳循环发展经济体系的实施方案.pdf": 14,
    "石家庄市关于加快推进绿色低碳循环发展经济体系的若干措施.pdf": 5,
    LYG_PDF.name: 10,
    LYG_TXT.name: 1,
    NATIONAL_TXT.name: 1,
}

LIMITS = dict(max_file_mb=50, timeout_s=60)


@pytest.fixture(scope="module")
def corpus_results() -> dict[str, LoadedFile | RejectedFile]:
    started = time.perf_counter()
    results = list(load_many([CORPUS], workers=2, **LIMITS))
    elapsed = time.perf_counter() - started
    print(f"\nload_many(corpus, workers=2): {len(results)} files in {elapsed:.2f} s")
    entries = expand([CORPUS])
    assert [Path(r.path) for r in results] == entries  # one result per entry, in expand() order
    return {Path(r.path).name: r for r in results}


def test_every_good_corpus_file_loads_with_right_page_count(corpus_results):
    for name, pages in EXPECTED_PAGES.items():
        r = corpus_results[name]
        assert isinstance(r, LoadedFile), f"{name}: {r}"
        assert len(r.pages) == pages, name
        assert r.source == name
        assert r.path == CORPUS / name
        assert r.kind == Path(name).suffix.lstrip(".")
        assert r.content_hash == hashlib.sha256((CORPUS / name).read_bytes()).hexdigest()


def test_title_hint_strips_space_before_extension(corpus_results):
    r = corpus_results[HANGZHOU.name]
    assert r.title_hint == "杭州市关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的实施意见"
    assert corpus_results[LYG_PDF.name].title_hint == LYG_PDF.stem


def test_pages_hold_raw_page_text(corpus_results):
    pdf = corpus_results[LYG_PDF.name]
    reader = PdfReader(LYG_PDF)
    assert pdf.pages == [p.extract_text() for p in reader.pages]  # raw, not cleaned
    assert "2030" in "".join(pdf.pages)
    txt = corpus_results[LYG_TXT.name]
    assert txt.pages == [LYG_TXT.read_text(encoding="utf-8")]


def test_guangdong_is_refused_as_garbled(corpus_results):
    r = corpus_results[GUANGDONG.name]
    assert isinstance(r, RejectedFile)
    assert "乱码" in r.reason and "汉字只占" in r.reason
    assert r.path == str(GUANGDONG)


def test_blank_last_page_is_a_warning_not_a_refusal(corpus_results):
    r = corpus_results["天津市绿色建筑创建行动实施方案.pdf"]
    assert isinstance(r, LoadedFile)
    assert r.warnings == ["第 4 页没有可提取的文字（空白页或扫描页）"]
    assert corpus_results[LYG_PDF.name].warnings == []


def test_english_markdown_is_refused_as_not_chinese(corpus_results):
    r = corpus_results["README.md"]  # the corpus README is mostly English
    assert isinstance(r, RejectedFile)
    assert "不是中文" in r.reason


# --- text statistics -------------------------------------------------------------------------------


def test_text_stats_and_garble_rules():
    assert text_stats("到2030年，abc") == TextStats(letters=5, han=2, latin=3, bad=0)
    assert garbled_reason(text_stats("市发改委牵头负责，到2030年装机达到1000万千瓦。")) is None
    assert "乱码" in garbled_reason(text_stats("תܼസള෿໓ૼࡹഡ൅ඹ໴߃ܿ ֻ၂ࢫ 前言"))
    assert "无法识别" in garbled_reason(text_stats("市发改委\ufffd\ufffd\ufffd\ue000\ue001" * 3))
    assert "不是中文" in garbled_reason(text_stats("This is an English policy summary."))


def test_split_pages_on_form_feed():
    assert split_pages("第一页\f第二页\f") == ["第一页", "第二页"]
    assert split_pages("只有一页") == ["只有一页"]
    assert split_pages("一\f\f三") == ["一", "", "三"]


# --- bad files -------------------------------------------------------------------------------------


def _refusal(path: Path, **kw) -> RejectedFile:
    with pytest.raises(RejectedFile) as info:
        load_file(path, **{**LIMITS, **kw})
    assert info.value.path == str(path)
    return info.value


def test_truncated_pdf_is_refused(tmp_path):
    data = LYG_PDF.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    assert "不完整" in _refusal(cut).reason
    # The same half with a forged end marker gets past the envelope check and fails inside pypdf.
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(data[: len(data) // 2] + b"\n%%EOF\n")
    assert "损坏" in _refusal(forged).reason


def test_random_bytes_named_pdf_are_refused(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(os.urandom(4096))
    assert "不是有效的 PDF" in _refusal(junk).reason
    # With a PDF header and trailer pypdf itself has to reject it.
    dressed = tmp_path / "dressed.pdf"
    dressed.write_bytes(b"%PDF-1.7\n" + os.urandom(4096) + b"\n%%EOF\n")
    assert "损坏" in _refusal(dressed).reason


def _encrypted_copy(path: Path, user: str, owner: str | None) -> Path:
    writer = PdfWriter(clone_from=LYG_PDF)
    writer.encrypt(user, owner)
    writer.write(path)
    return path


def test_encrypted_pdf_with_user_password_is_refused(tmp_path):
    locked = _encrypted_copy(tmp_path / "locked.pdf", "secret", None)
    assert PdfReader(locked).is_encrypted
    assert "加密" in _refusal(locked).reason


def test_pdf_with_owner_password_only_is_read(tmp_path):
    restricted = _encrypted_copy(tmp_path / "restricted.pdf", "", "owner-secret")
    assert PdfReader(restricted).is_encrypted
    r = load_file(restricted, **LIMITS)
    assert len(r.pages) == 10
    assert r.pages[0] == PdfReader(LYG_PDF).pages[0].extract_text()


def test_blank_page_pdf_is_refused_as_without_text(tmp_path):
    blank = tmp_path / "scanned.pdf"
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    writer.write(blank)
    assert "没有文字层" in _refusal(blank).reason


def test_decompression_bomb_is_refused(tmp_path):
    # A page whose content stream inflates to 80 MB: above pypdf's 75 MB output limit.
    squeeze = zlib.compressobj(9)
    compressed = b"".join(squeeze.compress(b" " * (1 << 20)) for _ in range(80)) + squeeze.flush()
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    stream = EncodedStreamObject()
    stream._data = compressed
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    bomb = tmp_path / "bomb.pdf"
    writer.write(bomb)
    assert bomb.stat().st_size < 200_000
    assert "压缩炸弹" in _refusal(bomb).reason


def test_empty_and_blank_text_files_are_refused(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert "空文件" in _refusal(empty).reason
    blank = tmp_path / "blank.md"
    blank.write_text(" \n\t\n", encoding="utf-8")
    assert "没有文字内容" in _refusal(blank).reason


def test_unsupported_types_are_refused(tmp_path):
    for name in ("policy.docx", "setup.exe", "noext"):
        f = tmp_path / name
        f.write_bytes(b"PK\x03\x04 not really")
        reason = _refusal(f).reason
        assert "不支持的文件类型" in reason and ".pdf" in reason


def test_file_over_size_limit_is_refused():
    reason = _refusal(LYG_PDF, max_file_mb=0.01).reason
    assert "过大" in reason and "0.01 MB" in reason


def test_missing_file_and_folder_given_to_load_file(tmp_path):
    assert "不存在" in _refusal(tmp_path / "nope.pdf").reason
    assert "文件夹" in _refusal(tmp_path).reason


def test_text_encodings(tmp_path):
    text = LYG_TXT.read_text(encoding="utf-8")
    for name, data in [("gbk.txt", text.encode("gbk")), ("bom.txt", text.encode("utf-8-sig")),
                       ("utf16.md", text.encode("utf-16")), ("gb18030.txt", text.encode("gb18030"))]:
        f = tmp_path / name
        f.write_bytes(data)
        r = load_file(f, **LIMITS)
        assert r.pages == [text], name
        assert r.kind == name.rsplit(".", 1)[1]
        assert r.content_hash == hashlib.sha256(data).hexdigest()
    bad = tmp_path / "binary.txt"
    bad.write_bytes(bytes([0x80, 0xFF, 0x81, 0x30]) * 100)  # invalid in UTF-8 and in GB18030
    assert "编码无法识别" in _refusal(bad).reason


def test_text_file_form_feeds_make_pages(tmp_path):
    f = tmp_path / "paged.txt"
    f.write_text("第一页内容，市发改委牵头。\f第二页内容，市生态环境局负责。\f", encoding="utf-8")
    assert load_file(f, **LIMITS).pages == ["第一页内容，市发改委牵头。", "第二页内容，市生态环境局负责。"]


def test_loader_validates_its_settings():
    with pytest.raises(ValueError, match="max_file_mb.*-1"):
        FileLoader(max_file_mb=-1, timeout_s=5)
    with pytest.raises(ValueError, match="timeout_s.*0"):
        FileLoader(max_file_mb=5, timeout_s=0)
    with pytest.raises(ValueError, match="workers.*0"):
        FileLoader(max_file_mb=5, timeout_s=5, workers=0)
    with pytest.raises(ValueError, match="memory_mb.*10"):
        FileLoader(max_file_mb=5, timeout_s=5, memory_mb=10)


# --- batches ---------------------------------------------------------------------------------------


def test_expand_folders(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("正文", encoding="utf-8")
    (tmp_path / "b" / "a.PDF").write_bytes(b"%PDF")
    (tmp_path / "b" / "notes.docx").write_bytes(b"PK")
    (tmp_path / "b" / ".hidden.txt").write_text("正文", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("正文", encoding="utf-8")
    (tmp_path / "a.md").write_text("正文", encoding="utf-8")
    named = tmp_path / "b" / "notes.docx"
    got = expand([tmp_path, named, tmp_path / "a.md", tmp_path / "missing.pdf"])
    assert got == [tmp_path / "a.md", tmp_path / "b" / "a.PDF", tmp_path / "b" / "z.txt", named,
                   tmp_path / "missing.pdf"]


@pytest.mark.slow
def test_mixed_batch_keeps_going_and_keeps_order(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(os.urandom(2048))
    locked = _encrypted_copy(tmp_path / "locked.pdf", "pw", None)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "note.txt").write_text("鼓励化工企业开展节能改造，市工业和信息化局负责。", encoding="gbk")
    (folder / "ignored.docx").write_bytes(b"PK")
    paths = [junk, LYG_PDF, tmp_path / "missing.pdf", locked, folder, GUANGDONG, NATIONAL_TXT,
             tmp_path / "x.exe"]
    results = list(load_many(paths, workers=2, **LIMITS))
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["RejectedFile", "LoadedFile", "RejectedFile", "RejectedFile", "LoadedFile",
                     "RejectedFile", "LoadedFile", "RejectedFile"]
    assert [Path(r.path).name for r in results] == ["junk.pdf", LYG_PDF.name, "missing.pdf", "locked.pdf",
                                                    "note.txt", GUANGDONG.name, NATIONAL_TXT.name, "x.exe"]
    assert "不存在" in results[2].reason
    assert "加密" in results[3].reason
    assert len(results[1].pages) == 10
