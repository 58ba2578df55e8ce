"""The synthetic large index the eval bench drives (built small here; the bench builds 10,000)."""
from __future__ import annotations

import pytest

from retrieval.bench import build_10k_index, build_synthetic_units, measure
from retrieval.units import units_for
from settings import Settings
from tests.test_retrieval_support import primary_doc, use_embeddings


def test_synthetic_units_replicate_real_units_under_new_doc_ids():
    base = units_for(primary_doc())
    units = build_synthetic_units([primary_doc()], n=len(base) * 2 + 7)
    assert len(units) == len(base) * 2 + 7
    assert len({u.unit_id for u in units}) == len(units)
    assert {u.doc_id for u in units} == {"lyg", "lyg~1", "lyg~2"}
    assert units[len(base)].text == base[0].text and units[len(base)].unit_id == "lyg~1" + base[0].unit_id[3:]


@pytest.mark.slow
def test_build_index_and_retrieve(tmp_path):
    built = build_10k_index(Settings(home=tmp_path / "home"), n_units=600, docs=[primary_doc()],
                            embeddings=use_embeddings())
    try:
        assert built.stats.units == 600 == len(built.index.lexical) == built.index.vector.count()
        assert built.stats.distinct_units == len(units_for(primary_doc()))
        top = built.retrieve("营运交通工具单位换算周转量碳排放强度", top_k=3)
        assert top[0].unit.measure_no == 8
        lat = measure(lambda q: built.retrieve(q), reps=1)
        assert lat.n == 8 and 0 < lat.p50_ms <= lat.p95_ms <= lat.max_ms
    finally:
        built.close()
