"""The refits read the blind set's dev items less the batches held back as a transfer check (eval.held_back):
b20's dev documents (kept unopened in round 19) are never fitted on by default, and the committed scope model's
data (b1-b15, refitted in round 15 once b15 had served its check) is what `--hold-back b16 b17 b18 b19 b20` reads."""
from __future__ import annotations

import json
from pathlib import Path

from eval import fit_scope
from eval.held_back import HELD_BACK, batch_of, tuning_items
from eval.runner import load_testset

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "eval" / "testsets" / "blind.jsonl"


def test_the_default_refit_leaves_out_the_held_back_batch():
    items = load_testset(BLIND)
    kept, left = tuning_items(items)
    assert HELD_BACK == ("b20",)
    assert left > 0 and not any(batch_of(it.id) == "b20" for it in kept)
    assert all(it.split == "dev" for it in kept)
    assert any(batch_of(it.id) == "b19" for it in kept)  # only the named batches are held back
    every, none_left = tuning_items(items, ())
    assert none_left == 0 and len(every) == len(kept) + left


def test_fit_scope_holds_back_by_default_and_names_its_data():
    args = fit_scope.parser().parse_args(["--home", "unused"])
    assert args.hold_back == list(HELD_BACK)
    assert fit_scope.parser().parse_args(["--home", "unused", "--hold-back"]).hold_back == []
    # the committed model was fitted on every dev batch up to b15 (refitted in round 15 once b15 had served its
    # check; b16, that round's check, held back): the same items, and more than the b1-b14 fit it replaced read
    meta = json.loads((ROOT / "retrieval" / "scope.json").read_text(encoding="utf-8"))["meta"]
    kept, _ = tuning_items(load_testset(BLIND), ("b16", "b17", "b18", "b19", "b20"))
    assert meta["data"].startswith(f"{len(kept)} dev questions") and meta["held_back"] == ["b16"]
    assert {batch_of(it.id) for it in kept} >= {"b12", "b13", "b14", "b15"}


def test_an_item_id_names_its_batch():
    assert batch_of("b13-66-20") == "b13" and batch_of("b1-5-01") == "b1" and batch_of("x") == "x"


def test_the_closed_documents_have_one_home_and_cover_the_held_back_batch():
    # eval.held_back.closed_number is what the open-sample and counting tools leave out: every b20 dev item's
    # document is closed, no b19 item's is (b19 was opened this round), and a prefix must match whole
    from eval.held_back import HELD_BACK_DOCS, TEST_DOCS, closed_number
    dev = [json.loads(line) for line in BLIND.read_text(encoding="utf-8").splitlines() if line.strip()]
    dev = [o for o in dev if o.get("split") == "dev" and o.get("file")]
    assert all(closed_number(o["file"]) for o in dev if batch_of(o["id"]) == "b20")
    assert not any(closed_number(o["file"]) for o in dev if batch_of(o["id"]) == "b19")
    assert not set(TEST_DOCS) & set(HELD_BACK_DOCS)
    assert closed_number("361、x.pdf") and not closed_number("3610、x.pdf") and not closed_number("36、x.pdf")


def test_date_counts_leave_the_closed_documents_unparsed(tmp_path: Path, capsys):
    # a closed document is skipped before it is parsed: this one is no PDF at all, and the count still runs
    from eval.dates import main
    (tmp_path / "361、closed.pdf").write_bytes(b"not a pdf")
    assert main(["--counts", "--files-from", str(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out) == {"files": 0, "issued": 0, "effective": 0, "expires": 0}
