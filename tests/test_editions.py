"""Editions: a final text ingested after its consultation draft is kept beside it; questions use the newest
edition and say which one answered; the earlier edition still answers when named by id. Two editions of one title in
one batch are resolved by rule (ingest.editions: the date signed, else the file time, else the name; moved from
tests/test_consistency.py)."""
from __future__ import annotations

import os

import pytest

from ingest.editions import Edition, issued_date, newer
from knowledge.editions import edition_key, edition_name, others, superseded
from tests.conftest import PRIMARY_TXT
from tests.test_consistency import POLICY, agree, service_with_real_index
from tests.test_diff import edited_primary

FINAL_NAME = "连云港市加快经济社会发展全面绿色转型政策举措.txt"  # the title without （征求意见稿）


def test_edition_key():
    assert edition_key("连云港市加快经济社会发展全面绿色转型政策举措（征求意见稿）") == \
        edition_key("连云港市加快经济社会发展全面绿色转型政策举措")
    assert edition_key("江西省林业碳汇开发及交易管理办法（试行）") == edition_key("江西省林业碳汇开发及交易管理办法")
    assert edition_key("上海市2021年节能减排和应对气候变化重点工作安排") != \
        edition_key("上海市2022年节能减排和应对气候变化重点工作安排")
    assert edition_name("连云港市…政策举措（征求意见稿）") == "征求意见稿" and edition_name("某某办法") == ""
    order = [("a", "X办法（征求意见稿）"), ("b", "Y方案"), ("c", "X办法")]
    assert superseded(order) == {"a"} and others(order, "c") == ["a"] and others(order, "b") == []


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from service import PolicyService
    from settings import Settings

    final_dir = tmp_path_factory.mktemp("final")
    (final_dir / FINAL_NAME).write_text(edited_primary(PRIMARY_TXT.read_text(encoding="utf-8")), encoding="utf-8")
    service = PolicyService(Settings(home=tmp_path_factory.mktemp("editions-home")))
    service.ingest([PRIMARY_TXT])
    report = service.ingest([final_dir / FINAL_NAME])
    assert not report.replaced
    ids = {d.source: d.doc_id for d in service.documents()}
    yield service, ids[PRIMARY_TXT.name], ids[FINAL_NAME]
    service.close()


def test_both_editions_kept_newest_answers(library):
    service, draft, final = library
    assert {d.doc_id for d in service.documents()} == {draft, final}
    assert service.superseded() == {draft}
    ans = service.ask("到2030年可再生能源发电装机目标是多少？")
    assert not ans.refused and "1200万千瓦" in ans.answer and "1000万千瓦" not in ans.answer
    assert {c.doc_id for c in ans.citations} == {final}
    assert "最新的版本" in ans.note and draft in ans.note


def test_earlier_edition_answers_when_named(library):
    service, draft, final = library
    ans = service.ask("到2030年可再生能源发电装机目标是多少？", doc=draft)
    assert "1000万千瓦" in ans.answer and {c.doc_id for c in ans.citations} == {draft}
    assert "征求意见稿" in ans.note and "较早的版本" in ans.note and final in ans.note


def test_compare_uses_the_current_edition(library):
    service, draft, final = library
    rows = service.compare_indicator("可再生能源装机")
    assert [(r["doc_id"], r["value"]) for r in rows] == [(final, "1200")]


def test_changed_file_with_the_same_name_still_replaces(library, tmp_path):
    service, draft, final = library
    changed = tmp_path / FINAL_NAME
    changed.write_text(edited_primary(PRIMARY_TXT.read_text(encoding="utf-8")).replace("1200", "1300"),
                       encoding="utf-8")
    report = service.ingest([changed])
    assert report.replaced == [final]
    new_final = report.ingested[0].doc_id
    assert {d.doc_id for d in service.documents()} == {draft, new_final}
    ans = service.ask("到2030年可再生能源发电装机目标是多少？")
    assert "1300万千瓦" in ans.answer


def test_unscoped_retrieval_skips_earlier_editions(library):
    service, draft, final = library
    hits = service.retrieve("可再生能源发电装机", top_k=5)
    assert len(hits) == 5 and all(h.doc_id != draft for h in hits)
    assert {h.doc_id for h in service.retrieve("可再生能源发电装机", top_k=5, doc=draft)} == {draft}


def test_original_format_beats_a_text_extraction_whatever_the_file_times():
    from ingest.editions import Edition, newer
    from knowledge.editions import newer_edition

    text_later = ("", 2_000_000_000.0, "连云港…（征求意见稿）.txt")  # a fresh checkout stamps the text file now
    pdf = ("", 1_700_000_000.0, "连云港…（征求意见稿）.pdf")
    assert newer_edition(pdf, text_later) and not newer_edition(text_later, pdf)
    # a date of issue still decides first, and two files of one format still go by file time
    assert newer_edition(("2024-05-01", 0.0, "a.txt"), ("2024-01-01", 9.0, "a.pdf"))
    assert newer_edition(("", 9.0, "b.pdf"), ("", 1.0, "a.pdf"))
    # the batch rule is the same rule
    assert newer(Edition("a.pdf", None, 1.0), Edition("a.txt", None, 5.0))


@pytest.mark.slow
def test_bundled_text_and_the_corpus_pdf_the_pdf_answers(tmp_path):
    """The bundled text of the primary document and its PDF in ../shared/corpus are one policy: the PDF (with pages)
    answers, however recent the text file's time is (a fresh clone stamps it with the checkout time)."""
    import os
    import shutil

    from service import PolicyService
    from settings import Settings
    from tests.conftest import PRIMARY_PDF

    text = tmp_path / PRIMARY_TXT.name
    shutil.copy(PRIMARY_TXT, text)
    os.utime(text, (2_000_000_000, 2_000_000_000))
    service = PolicyService(Settings(home=tmp_path / "home"))
    try:
        service.ingest([PRIMARY_PDF, text])
        ids = {d.source: d.doc_id for d in service.documents()}
        assert service.superseded() == {ids[text.name]}
        ans = service.ask("到2030年可再生能源发电装机目标是多少？")
        assert {c.doc_id for c in ans.citations} == {ids[PRIMARY_PDF.name]}
    finally:
        service.close()


def test_edition_order_is_total_whatever_the_ingestion_order():
    import itertools

    from knowledge.editions import editions

    # a dated text, an undated PDF and an older dated PDF: the pairwise rule used to cycle, so the current edition
    # depended on the order of ingestion
    facts = {"A": ("2022-01-01", 1.0, "a.txt"), "B": ("", 5.0, "b.pdf"), "C": ("2021-01-01", 3.0, "c.pdf")}
    orders = {tuple(editions([(d, "X方案") for d in perm], facts)["X方案"]) for perm in itertools.permutations("ABC")}
    assert orders == {("B", "C", "A")}


# -------------------------------------------------------------------------- two editions, one batch


def test_issued_date_is_read_from_the_signature_or_a_label():
    assert str(issued_date(["正文……到2025年12月31日前完成。\n测试市人民政府\n2024年3月15日\n"])) == "2024-03-15"
    assert str(issued_date(["测试市人民政府\n二〇二三年十一月三十日\n"])) == "2023-11-30"
    assert str(issued_date(["二〇二三年一月五日\n测试市人民政府\n二〇二三年十一月三十一日\n"])) == "2023-01-05"  # no such day
    assert issued_date(["测试市人民政府\n二〇二三年十一一月五日\n"]) is None  # a malformed month dates nothing
    assert str(issued_date(["发布日期：2022-06-01\n正文"])) == "2022-06-01"
    assert issued_date(["到2025年12月31日前完成全部改造任务。"]) is None  # a deadline in a sentence is no date line


def test_edition_rule():
    a = Edition("a.txt", issued_date(["2024年3月15日"]), mtime=100.0)
    b = Edition("b.txt", issued_date(["2023年1月1日"]), mtime=200.0)
    assert newer(a, b) and not newer(b, a)  # the later date wins over the later file time
    c, d = Edition("c.txt", None, 100.0), Edition("d.txt", None, 200.0)
    assert newer(d, c) and not newer(c, d)  # no dates: the later file time
    e, f = Edition("e.txt", None, 100.0), Edition("f.txt", None, 100.0)
    assert newer(f, e) and not newer(e, f)  # same time: the later name


@pytest.mark.parametrize("order", ["old_first", "new_first"])
def test_two_editions_in_one_batch_the_later_one_answers(tmp_path, order):
    old = tmp_path / "z-2023版.txt"  # the older edition has the later name and the later file time
    new = tmp_path / "a-2024版.txt"
    old.write_text(POLICY.format(mw=50, date="测试市人民政府\n2023年1月10日"), encoding="utf-8")
    new.write_text(POLICY.format(mw=80, date="测试市人民政府\n2024年2月20日"), encoding="utf-8")
    os.utime(new, (1_600_000_000, 1_600_000_000))
    os.utime(old, (1_700_000_000, 1_700_000_000))
    paths = [old, new] if order == "old_first" else [new, old]
    svc = service_with_real_index(tmp_path / "home", ingest_batch_docs=1)  # the older may be committed first
    try:
        report = svc.ingest(paths)
        # Both editions are kept (issue 13) and both are fully indexed; the later-dated one is current.
        assert sorted(d.source for d in report.ingested) == sorted([new.name, old.name])
        assert report.superseded == [(old.name, new.name)]
        stored = agree(svc)
        assert len(stored) == 2
        current = [d for d in stored if d not in svc.superseded()]
        assert [svc.store.get_document(d).source for d in current] == [new.name]
        ans = svc.ask("到2026年屋顶光伏装机目标是多少？")
        assert "80万千瓦" in ans.answer and "50万千瓦" not in ans.answer
    finally:
        svc.close()


def test_editions_without_dates_follow_file_time(tmp_path):
    first, second = tmp_path / "b.txt", tmp_path / "a.txt"
    first.write_text(POLICY.format(mw=50, date=""), encoding="utf-8")
    second.write_text(POLICY.format(mw=70, date=""), encoding="utf-8")
    os.utime(first, (1_600_000_000, 1_600_000_000))
    os.utime(second, (1_700_000_000, 1_700_000_000))  # a.txt is newer although its name sorts first
    svc = service_with_real_index(tmp_path / "home")
    try:
        report = svc.ingest([second, first])
        assert report.superseded == [("b.txt", "a.txt")]
        stored = agree(svc)
        assert len(stored) == 2  # both editions kept (issue 13); the newer file answers
        assert [svc.store.get_document(d).source for d in stored if d not in svc.superseded()] == ["a.txt"]
        assert "70万千瓦" in svc.ask("到2026年屋顶光伏装机目标是多少？").answer
    finally:
        svc.close()
