"""Two sessions upload the same file: Gradio gives both one path (a hash of the bytes), and the first ingest moves the
file into the home. The second is read from where it was kept ("unchanged"), not refused as 文件不存在."""
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
        first = svc.ingest(svc.uploads_for_ingest([up]))
        svc.keep_uploads([up])
        assert len(first.ingested) == 1 and not up.exists()
        doc_id = first.ingested[0].doc_id
        kept = svc.upload_of(doc_id)

        # The second session's handler runs after the first ingest ended, with the same Gradio path.
        again = svc.uploads_for_ingest([up])
        assert again == kept
        second = svc.ingest(again)
        svc.keep_uploads(again)
        assert not second.refused and second.unchanged and not second.ingested
        assert svc.upload_of(doc_id) == kept and kept[0].is_file()  # the kept copy is not moved or deleted

        # A path nobody kept is handed on as it is (and refused by the ingest as missing).
        other = tmp_path / "gradio" / "9e1c" / "gone.pdf"
        assert svc.uploads_for_ingest([other]) == [other]
        assert svc.ingest([other]).refused
    finally:
        svc.close()
