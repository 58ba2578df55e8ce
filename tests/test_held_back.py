"""The refits read the blind set's dev items less the batches held back as a transfer check (eval.held_back):
b15's dev documents (kept unopened in round 14) are never fitted on by default, b14 (round 13's check) is read now,
and the committed scope model's data (b1-b11) is what `--hold-back b12 b13 b14` reads."""
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
    assert HELD_BACK == ("b15",)
    assert not any(batch_of(it.id) == "b15" for it in kept)
    assert all(it.split == "dev" for it in kept)
    assert any(batch_of(it.id) == "b14" for it in kept)  # only the named batches are held back
    every, none_left = tuning_items(items, ())
    assert none_left == 0 and len(every) == len(kept) + left
    # naming a batch leaves out its dev items, and only those
    kept14, left14 = tuning_items(items, ("b14",))
    assert left14 > 0 and not any(batch_of(it.id) == "b14" for it in kept14)
    assert len(kept14) + left14 == len(every)


def test_fit_scope_holds_back_by_default_and_names_its_data():
    args = fit_scope.parser().parse_args(["--home", "unused"])
    assert args.hold_back == list(HELD_BACK)
    assert fit_scope.parser().parse_args(["--home", "unused", "--hold-back"]).hold_back == []
    # the committed model was fitted before b12-b14 were in the set: the same items with them held back
    meta = json.loads((ROOT / "retrieval" / "scope.json").read_text(encoding="utf-8"))["meta"]
    kept, _ = tuning_items(load_testset(BLIND), ("b12", "b13", "b14"))
    assert meta["data"].startswith(f"{len(kept)} dev questions")


def test_an_item_id_names_its_batch():
    assert batch_of("b13-66-20") == "b13" and batch_of("b1-5-01") == "b1" and batch_of("x") == "x"
