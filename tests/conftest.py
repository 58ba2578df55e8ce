"""Shared fixtures: the data home points at tmp_path for every test; the development corpus is read in place."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from settings import shared_corpus  # noqa: E402  (after the path insert)


CORPUS = shared_corpus()
PRIMARY_TXT = CORPUS / "连云港市加快经济社会发展全面绿色转型政策举措（征求意见稿）.txt"
PRIMARY_PDF = CORPUS / "连云港市加快经济社会发展全面绿色转型政策举措（征求意见稿）.pdf"
CORPUS_DC = shared_corpus("corpus-dc")


def _test_split() -> frozenset[str]:
    from eval.targets import test_files

    return frozenset(test_files(ROOT / "eval" / "testsets"))


TEST_SPLIT = _test_split()  # file names of the blind test split: for reporting only, never a fixture


def dev_only(path: Path) -> Path:
    """`path`, failing the test when it is a document of the test split (tests/test_no_test_documents.py checks
    the names written in tests; this checks the files tests pick by number at run time)."""
    if path.name in TEST_SPLIT:
        pytest.fail(f"{path.name} is a test-split document: tests use dev documents only")
    return path


def corpus_dc_file(number: str) -> Path:
    """The corpus-dc PDF a collection number names (58 → 58、天津市碳达峰碳中和促进条例.pdf)."""
    return dev_only(next(CORPUS_DC.glob(f"{number}、*.pdf")))


def service_of(tmp_path_factory, name: str, paths):
    """A module fixture's body: a service in a fresh home with `paths` ingested, closed after the module."""
    from service import PolicyService
    from settings import Settings

    s = PolicyService(Settings(home=tmp_path_factory.mktemp(name) / "home"))
    s.ingest(list(paths))
    yield s
    s.close()


def doc_titled(svc, fragment: str) -> str:
    """The id of the service's document whose title holds `fragment`."""
    return next(d.doc_id for d in svc.documents() if fragment in d.title)


@pytest.fixture(autouse=True)
def policyqa_home(tmp_path, monkeypatch):
    home = tmp_path / "policyqa-home"
    monkeypatch.setenv("POLICYQA_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"development corpus not found at {CORPUS} (set POLICYQA_CORPUS)")
    return CORPUS


# Fixtures that make a test slow (a browser with a served app, a Gradio server, typeset PDFs from Chromium):
# every test using one is marked `slow`, so `pytest -m "not slow"` skips it. Other slow tests carry
# @pytest.mark.slow themselves.
SLOW_FIXTURES = {"page", "browser", "server", "typeset"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
