"""`app.py diff A B [--json]` (knowledge.diff through the CLI): two files, not indexed, and two stored documents named
by id or by title, read from the knowledge store. The primary document against its edited copy (tests/test_diff.py
builds it; moved from there)."""
from __future__ import annotations

import json

from tests.conftest import PRIMARY_TXT
from tests.fakes import NoSearchIndex
from tests.test_diff import edited_primary


def test_cli_diff_files_json(tmp_path, capsys):
    import app

    b_path = tmp_path / PRIMARY_TXT.name
    b_path.write_text(edited_primary(PRIMARY_TXT.read_text(encoding="utf-8")), encoding="utf-8")
    assert app.run(["diff", str(PRIMARY_TXT), str(b_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [u["a_label"] for u in out["units"] if u["status"] == "removed"] == ["（十三）"]
    five = next(u for u in out["units"] if u["a_label"] == "（五）")
    target = next(c for c in five["changes"] if c["field"] == "target")
    assert target["direction"] == "raised" and target["new_target"]["value"] == "1200"
    assert app.run(["diff", str(PRIMARY_TXT), str(b_path)]) == 0
    text = capsys.readouterr().out
    assert "市发改委不再牵头（七）" in text and "[-1000-]{+1200+}" in text


def test_cli_diff_stored_documents_by_id_and_title(tmp_path, capsys, monkeypatch):
    """Documents of the library are compared from the knowledge store, named by id or by title."""
    import app
    from service import PolicyService
    from settings import Settings

    b_dir = tmp_path / "final"
    b_dir.mkdir()
    (b_dir / "连云港市绿色转型政策举措（正式稿）.txt").write_text(
        edited_primary(PRIMARY_TXT.read_text(encoding="utf-8")), encoding="utf-8")
    settings = Settings()
    service = PolicyService(settings, search_index=NoSearchIndex())
    report = service.ingest([PRIMARY_TXT, b_dir])
    assert len(report.ingested) == 2
    ids = {d.source: d.doc_id for d in service.documents()}
    service.close()
    monkeypatch.setattr("service.PolicyService.index", property(lambda self: NoSearchIndex()))
    assert app.run(["diff", ids[PRIMARY_TXT.name], "正式稿", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["a"]["doc_id"] == ids[PRIMARY_TXT.name]
    assert out["b"]["doc_id"] == ids["连云港市绿色转型政策举措（正式稿）.txt"]
    assert [u["b_label"] for u in out["units"] if u["status"] == "added"] == ["（十五）"]
    assert {u["a_label"] for u in out["units"] if u["status"] == "changed"} == {
        "（一）", "（二）", "（三）", "（四）", "（五）", "（七）", "（八）", "（十）"}
