"""Test-split documents are for reporting only: no test and no benchmark question may be built on one. A test
under tests/ or a question in eval's benchmarks that names a test-split file (its running number with 、, or its
title) fails here. The split comes from the gold files themselves (eval.targets.test_files)."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from eval import targets

REPO = Path(__file__).resolve().parent.parent
TESTSETS = REPO / "eval" / "testsets"


def _fold(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def _names() -> list[tuple[str, re.Pattern, str]]:
    """(file, its running number as written before its title, its folded title) of each test-split file."""
    out = []
    for f in sorted(targets.test_files(TESTSETS)):
        number, _, rest = f.partition("、")
        title = _fold(rest.rsplit(".", 1)[0])
        # 97、 is no mention of 197、: the number stands alone, then 、 and the title's first character.
        out.append((f, re.compile(rf"(?<![0-9]){re.escape(number)}、\s*{re.escape(title[:1])}"), title))
    return out


def _sources() -> list[Path]:
    return sorted(p for p in (REPO / "tests").rglob("*.py") if p.name != Path(__file__).name) + \
        sorted((REPO / "eval").glob("bench*.py"))


def names_test_file(text: str, names) -> list[str]:
    folded = _fold(text)
    return [f for f, number, title in names if number.search(text) or title in folded]


def test_the_split_is_known():
    names = _names()
    assert len(names) >= 30
    assert all(len(title) >= 8 for _, _, title in names)


def test_the_check_sees_a_number_or_a_title_and_not_a_longer_number():
    names = _names()
    f, number, title = names[0]
    n = f.partition("、")[0]
    assert names_test_file(f"# see {f}", names) == [f]
    assert names_test_file(f"q = '{title}有哪些目标？'", names) == [f]
    assert names_test_file(f"# see 9{n}、{title[:1]}", names) == []


def test_no_test_or_benchmark_names_a_test_split_file():
    names = _names()
    found = {str(p.relative_to(REPO)): hits for p in _sources()
             if (hits := names_test_file(p.read_text(encoding="utf-8"), names))}
    assert found == {}


def test_a_file_picked_by_number_is_a_dev_document():
    """Tests pick corpus-dc files by number (conftest.corpus_dc_file and the helpers of test_outline and
    test_support): a test-split or closed file fails the test at run time."""
    import pytest

    from tests.conftest import CORPUS_DC, TEST_SPLIT, dev_only

    held = sorted(TEST_SPLIT)[0]
    with pytest.raises(pytest.fail.Exception):
        dev_only(CORPUS_DC / held)
    dev = CORPUS_DC / "117、繁昌区节能降碳若干支持措施.pdf"
    assert dev_only(dev) == dev and dev.name not in TEST_SPLIT
    # the held-back batch's documents are closed too (eval.held_back), though no test set holds them as test rows
    from eval.held_back import HELD_BACK_DOCS

    held_back = next(CORPUS_DC.glob(f"{HELD_BACK_DOCS[0]}、*.pdf"))
    assert held_back.name not in TEST_SPLIT
    with pytest.raises(pytest.fail.Exception):
        dev_only(held_back)


def test_the_support_held_out_files_are_in_the_split():
    """The support gold's held-out documents (the lead scores the extraction on them) are guarded as test
    documents: a test naming one fails the check above, a test picking one by number fails at run time."""
    import json

    from tests.conftest import TEST_SPLIT

    held = {json.loads(line)["file"] for line in (TESTSETS / "support_gold.jsonl").read_text(encoding="utf-8")
            .splitlines() if line.strip() and json.loads(line).get("split") == "heldout"}
    assert len(held) >= 5 and held <= TEST_SPLIT and held <= targets.test_files(TESTSETS)
