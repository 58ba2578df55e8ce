from __future__ import annotations

import gc

import gc_pause


def test_paused_turns_the_collector_off_inside_and_restores_it_after():
    assert gc.isenabled()
    with gc_pause.paused():
        assert not gc.isenabled()
        with gc_pause.paused():  # nested: still off, and the inner end does not turn it on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_leaves_a_collector_that_was_off_off_and_restores_it_on_error():
    gc.disable()
    try:
        with gc_pause.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    try:
        with gc_pause.paused():
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.isenabled()


def test_settle_moves_what_is_alive_out_of_later_collections():
    kept = [[i] for i in range(1000)]
    try:
        gc_pause.settle()
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
