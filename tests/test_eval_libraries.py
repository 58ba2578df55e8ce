"""eval.libraries: random 9-document libraries dealt from the blind set's dev documents (issue 10's check, ans34)."""
import json
from pathlib import Path

from eval.libraries import BLIND, deal, main, pooled, read_items

BATCHES = ("b12", "b13", "b14", "b15", "b16", "b17")


def test_deal_is_seeded_disjoint_and_whole_documents():
    items = read_items(BLIND, "dev", BATCHES)
    assert items and all(it["split"] == "dev" for it in items)
    libs = deal(items, 9, 3410)
    again = deal(list(reversed(items)), 9, 3410)  # the order items come in does not change the libraries
    files = [{it["file"] for it in lib} for lib in libs]
    assert files == [{it["file"] for it in lib} for lib in again]
    assert all(len(f) == 9 for f in files)
    assert not set.intersection(*files)  # no document in two libraries
    # every item of a dealt document is in its library, and documents of all six batches are dealt
    dealt = set().union(*files)
    assert sum(len(lib) for lib in libs) == sum(1 for it in items if it["file"] in dealt)
    assert {it["id"].split("-")[0] for lib in libs for it in lib} == set(BATCHES)
    assert files != [{it["file"] for it in lib} for lib in deal(items, 9, 3411)]


def test_pooled_counts_as_the_items_do(tmp_path: Path):
    items = read_items(BLIND, "dev", ("b13",))
    ans = [it for it in items if it["answerable"]][:3]
    una = [it for it in items if not it["answerable"]][:2]
    ts = tmp_path / "L.jsonl"
    ts.write_text("".join(json.dumps(it, ensure_ascii=False) + "\n" for it in ans + una), encoding="utf-8")
    runs = [{"id": ans[0]["id"], "answer": "、".join(ans[0]["must_contain"]), "refused": False},
            {"id": ans[1]["id"], "answer": "无关", "refused": False},
            {"id": ans[2]["id"], "answer": "文件未提及", "refused": True},
            {"id": una[0]["id"], "answer": "文件未提及", "refused": True},
            {"id": una[1]["id"], "answer": "某数", "refused": False}]
    out = tmp_path / "run.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in runs), encoding="utf-8")
    lines = pooled([(ts, out)])
    assert lines[0] == "L: 0.333 / 0.500 / 0.333  (3 answerable, 2 unanswerable)"
    assert lines[-1].startswith("pooled: 0.333 / 0.500 / 0.333")


def test_cli_writes_one_test_set_per_library(tmp_path: Path):
    assert main(["deal", "--batches", "b13", "b14", "--size", "4", "--seed", "1", "--out", str(tmp_path)]) == 0
    written = sorted(tmp_path.glob("L*.jsonl"))
    assert [p.name for p in written] == ["L0.jsonl", "L1.jsonl"]  # 11 documents: two of 4, three left out
    for p in written:
        assert len({json.loads(line)["file"] for line in p.read_text(encoding="utf-8").splitlines()}) == 4


def test_skipped_documents_are_dealt_to_no_library():
    items = read_items(BLIND, "dev", BATCHES)
    skip = sorted({it["file"].split("、", 1)[0] for it in items})[:5]
    libs = deal(items, 9, 3410, skip)
    assert libs and not {it["file"].split("、", 1)[0] for lib in libs for it in lib} & set(skip)
