"""Two sessions upload the same file: Gradio gives both one path (a hash of the bytes). Each import reads its own
copy of the bytes (service_uploads.py): the upload leaves Gradio's folder when the first import starts, and a second
import of that path reads the copy the first made or kept ("unchanged"), not refused as 文件不存在."""
from __future__ import annotations

import shutil

from service import PolicyService
from settings import Settings
from tests.conftest import corpus_dc_file


def test_the_same_upload_in_a_second_session_is_read_where_the_first_kept_it(tmp_path):
    up = tmp_path / "gradio" / "5f3a" / "549.pdf"  # Gradio's one folder for one file's bytes
    up.parent.mkdir(parents=True)
    shutil.copy(corpus_dc_file("549"), up)
    svc = PolicyService(Settings(home=tmp_path / "home", workers=1))
    try:
        staged = svc.stage_uploads([up])
        assert not up.exists() and not up.parent.exists()  # out of Gradio's (served) folder as the import starts
        assert staged[0].name == up.name and svc.settings.uploads_dir in staged[0].parents
        first = svc.ingest(staged)
        svc.keep_uploads(staged)
        assert len(first.ingested) == 1 and not staged[0].exists()
        doc_id = first.ingested[0].doc_id
        kept = svc.upload_of(doc_id)
        assert [p.name for p in kept] == ["549.pdf"]

        # The second session's handler runs after the first import ended, with the same Gradio path.
        again = svc.stage_uploads([up])
        assert again != kept and again[0].read_bytes() == kept[0].read_bytes()
        second = svc.ingest(again)
        svc.keep_uploads(again)
        assert not second.refused and second.unchanged and not second.ingested
        assert svc.upload_of(doc_id) == kept and kept[0].is_file()  # the kept copy is still there, once
        assert not any((svc.settings.uploads_dir / ".incoming").iterdir())  # no staged copy left

        # A path nobody uploaded or kept is handed on as it is (and refused by the ingest as missing).
        other = tmp_path / "gradio" / "9e1c" / "gone.pdf"
        assert svc.stage_uploads([other]) == [other]
        assert svc.ingest([other]).refused
    finally:
        svc.close()


def test_two_imports_staged_before_either_ends_each_read_their_own_copy(tmp_path):
    """The second import is staged while the first has not been kept yet; the first, refused or kept, does not take
    the second's bytes away."""
    up = tmp_path / "gradio" / "77ab" / "空文件.txt"
    up.parent.mkdir(parents=True)
    up.write_text("", encoding="utf-8")  # refused (empty): its staged copy is deleted when its import ends
    svc = PolicyService(Settings(home=tmp_path / "home", workers=1))
    try:
        a = svc.stage_uploads([up])
        b = svc.stage_uploads([up])  # the path is gone: linked from a's copy
        assert a != b and a[0].is_file() and b[0].is_file()
        report_a = svc.ingest(a)
        svc.keep_uploads(a)
        assert report_a.refused and not a[0].exists() and b[0].is_file()
        report_b = svc.ingest(b)
        svc.keep_uploads(b)
        assert report_b.refused and "不存在" not in report_b.refused[0].reason  # the real reason, both times
        assert report_b.refused[0].reason == report_a.refused[0].reason
        assert not any((svc.settings.uploads_dir / ".incoming").iterdir())
    finally:
        svc.close()
