"""The Chroma collection of unit vectors: the store of record for embeddings.

Embedded `PersistentClient` under the data home by default; a Chroma server through `HttpClient` when
`POLICYQA_CHROMA_URL` is set. Vectors always come from our own embeddings (Chroma's default embedding
function downloads a model, which fails offline), the space is cosine, telemetry is off, and the
collection records the embedding model that built it: asking it to serve another model raises
IndexMismatch instead of silently mixing two vector spaces.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Sequence
from urllib.parse import urlparse

import numpy as np

import write_lock
from errors import ConfigError, IndexMismatch
from retrieval.units import Unit, bureau_flag, filter_flags, year_flag

COLLECTION = "policyqa_units"
FORMAT_VERSION = 1
REINDEX = "python app.py reindex"
_REOPEN = threading.Lock()  # chromadb's map of open folders is shared by every client of this process


def _chroma_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def where_clause(doc_id: str | None = None, section_no: int | None = None, bureau: str | None = None,
                 year: int | None = None, doc_ids: Sequence[str] | None = None) -> dict | None:
    """A Chroma `where` for the retriever's filters; `bureau` is a canonical name."""
    parts: list[dict] = []
    if doc_id is not None:
        parts.append({"doc_id": doc_id})
    if doc_ids is not None:
        parts.append({"doc_id": {"$in": list(doc_ids)}})
    if section_no is not None:
        parts.append({"section_no": int(section_no)})
    if bureau is not None:
        parts.append({bureau_flag(bureau): True})
    if year is not None:
        parts.append({year_flag(int(year)): True})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


def filter_metadata(unit: Unit) -> dict[str, str | int | bool]:
    """What a Chroma row holds beside its vector: the keys `where_clause` filters on (document, section, level,
    bureau and year flags) and the unit's place (seq). The unit's text and the rest of its metadata live in the
    knowledge store (SQLite) and the BM25 index, which is where every reader takes them from: writing them a third
    time here cost about as much CPU as the vectors themselves (and Chroma indexes a row's text for its full-text
    search, which nothing here uses)."""
    md: dict[str, str | int | bool] = {"doc_id": unit.doc_id, "seq": unit.seq,
                                       "level": "sentence" if unit.is_sentence else "measure"}
    if unit.section_no is not None:
        md["section_no"] = unit.section_no
    md.update(filter_flags(unit))
    return md


def collection_for_home(home: Path) -> str:
    """The Chroma server collection of a knowledge home: `policyqa_units_<12 hex>`, chosen at random the first
    time and written to HOME/chroma-collection (every process serving that home uses the same name; a copied
    or moved home keeps it)."""
    import os
    import uuid

    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    marker = home / "chroma-collection"
    name = f"{COLLECTION}_{uuid.uuid4().hex[:12]}"
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        for _ in range(50):  # another process is writing it right now
            written = marker.read_text(encoding="utf-8").strip()
            if written:
                return written
            time.sleep(0.02)
        raise ConfigError(f"{marker} is empty: delete it (the home's Chroma server collection is then renamed)")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(name + "\n")
    return name


class VectorStore:
    """add / delete / query unit vectors in one Chroma collection."""

    def __init__(self, model_id: str, dimension: int, path: str | Path | None = None, url: str | None = None,
                 collection: str = COLLECTION, home: str | Path | None = None):
        if not model_id:
            raise ConfigError("VectorStore: model_id is required (the embedding model that builds the index)")
        if not isinstance(dimension, int) or dimension < 1:
            raise ConfigError(f"VectorStore: dimension must be a positive integer, got {dimension!r}")
        if (path is None) == (url is None):
            raise ConfigError("VectorStore: give exactly one of path (embedded Chroma) or url (Chroma server)")
        self.model_id = model_id
        self.dimension = dimension
        self.collection_name = collection
        self.url = url
        self.path = Path(path) if path is not None else None
        # Set while a child of this process writes the folder (the UI's ingest): no reopen meanwhile. chromadb 1.5.9
        # crashed the process (segmentation fault in its Rust query) when a client opened during another
        # process's writes was queried: the users bench's server died in 4 of 24 runs, and 5 of 9 ten-second runs
        # of a writer process beside a reopening, querying one crashed; without the reopens, 0 of 5 did.
        self.hold_reopen = False
        # The data home whose write.lock every writer holds (write_lock.py): while another process holds it (a CLI
        # ingest, removal or reindex), the folder is not reopened either; None: no such check (a bare store).
        self.home = Path(home) if home is not None and path is not None else None
        self.unseen_docs: frozenset[str] = frozenset()  # documents whose vectors came after this client opened
        self.client = self._connect()
        self._collection = self._open()

    @classmethod
    def from_settings(cls, settings, embeddings) -> "VectorStore":
        if settings.chroma_url:
            # One Chroma server may hold the indexes of several homes (a test and a production library, two
            # offices): each home has its own collection, named once and kept in the home, so that repairing
            # one home never drops another's vectors as orphans.
            return cls(embeddings.model_id, embeddings.dimension, url=settings.chroma_url,
                       collection=collection_for_home(settings.home))
        return cls(embeddings.model_id, embeddings.dimension, path=settings.chroma_dir, home=settings.home)

    @property
    def where(self) -> str:
        return self.url or str(self.path)

    @property
    def server_mode(self) -> bool:
        return self.url is not None

    def _connect(self):
        import chromadb

        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(self.path), settings=_chroma_settings())
        u = urlparse(self.url)
        if u.scheme not in ("http", "https") or not u.hostname:
            raise ConfigError(f"POLICYQA_CHROMA_URL={self.url!r}: expected http://HOST:PORT")
        port = u.port or (443 if u.scheme == "https" else 8000)
        try:
            client = chromadb.HttpClient(host=u.hostname, port=port, ssl=u.scheme == "https",
                                         settings=_chroma_settings())
            client.heartbeat()
        except Exception as e:
            raise ConfigError(
                f"POLICYQA_CHROMA_URL={self.url!r}: no Chroma server answers there ({type(e).__name__}: {e}). "
                f"Start one with `chroma run --path DIR --host {u.hostname} --port {port}`, "
                f"or unset POLICYQA_CHROMA_URL to use the embedded store."
            ) from e
        return client

    def _metadata(self) -> dict:
        return {"embedding_model": self.model_id, "dimension": self.dimension, "format": FORMAT_VERSION}

    def _open(self):
        existing = {c if isinstance(c, str) else c.name for c in self.client.list_collections()}
        if self.collection_name not in existing:
            return self._create()
        col = self.client.get_collection(self.collection_name, embedding_function=None)
        md = col.metadata or {}
        built_with = md.get("embedding_model")
        if built_with != self.model_id or md.get("dimension") != self.dimension:
            if col.count() == 0:
                # Nothing indexed yet: no vectors to mix, so the collection simply adopts this model.
                self.client.delete_collection(self.collection_name)
                return self._create()
            raise IndexMismatch(
                f"The vector index at {self.where} was built with embedding model {built_with!r} "
                f"({md.get('dimension')}-d), but the configured model is {self.model_id!r} ({self.dimension}-d). "
                f"Vectors of two models cannot be compared: rebuild the index with `{REINDEX}`, "
                f"or set POLICYQA_EMBEDDING back to the model that built it."
            )
        return col

    def _create(self):
        return self.client.create_collection(
            self.collection_name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata=self._metadata(),
            embedding_function=None,  # never Chroma's default: it downloads a model
        )

    def reset(self) -> None:
        """Drop every vector and start an empty collection for the configured model (for reindex)."""
        existing = {c if isinstance(c, str) else c.name for c in self.client.list_collections()}
        if self.collection_name in existing:
            self.client.delete_collection(self.collection_name)
        self._collection = self._create()

    def reopen(self) -> None:
        """See what another process wrote (an ingest in a child process, a CLI ingest): the embedded client keeps
        its HNSW index in memory and never reads another process's writes, so open a fresh client on the same
        folder. Searches already running finish on the old one. A server's collection needs nothing."""
        if self.path is None:
            return
        from chromadb.api.client import SharedSystemClient

        # chromadb caches one System per folder (a private map): without dropping it the new client is the old one.
        with _REOPEN:
            SharedSystemClient._identifier_to_system.pop(str(self.path), None)
            self.client = self._connect()
            self._collection = self._open()

    def may_reopen(self) -> bool:
        """Neither a child of this process (`hold_reopen`) nor another process (write_lock.py) writes the folder."""
        return not self.hold_reopen and not (self.home is not None and write_lock.writer_active(self.home))

    def reopen_when_quiet(self) -> bool:
        """`reopen()` unless the folder is being written by another process; True when reopened. No writer starts
        until the new client has answered a first query (the one that reads what the writers wrote)."""
        if self.hold_reopen:
            return False
        if self.home is None:
            self.reopen()
            return True
        with write_lock.quiet(self.home) as free:
            if not free:
                return False
            self.reopen()
            if self.path is not None and self._collection.count():
                probe = np.zeros(self.dimension, dtype=np.float32)
                probe[0] = 1.0
                self._collection.query(query_embeddings=[probe], n_results=1, include=["distances"])
        return True

    # --- changes ----------------------------------------------------------------------------------
    def add(self, units: Sequence[Unit], vectors: np.ndarray) -> None:
        """Upsert units with their vectors (one row per unit, from the configured model)."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape != (len(units), self.dimension):
            raise ValueError(f"VectorStore.add: expected vectors of shape ({len(units)}, {self.dimension}), "
                             f"got {vectors.shape}")
        batch = max(1, min(5000, self.client.get_max_batch_size()))
        for i in range(0, len(units), batch):
            chunk = units[i:i + batch]
            self._collection.upsert(
                ids=[u.unit_id for u in chunk],
                embeddings=vectors[i:i + batch],
                metadatas=[filter_metadata(u) for u in chunk],
            )

    def delete(self, doc_id: str) -> None:
        self._collection.delete(where={"doc_id": doc_id})

    # --- reads ------------------------------------------------------------------------------------
    def count(self) -> int:
        return self._collection.count()

    def query(self, vector: np.ndarray, k: int = 10, where: dict | None = None) -> list[tuple[str, float]]:
        """(unit_id, cosine similarity) of the k nearest units, nearest first."""
        if k < 1:
            raise ValueError(f"VectorStore.query: k must be >= 1, got {k}")
        query = dict(query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=k, where=where,
                     include=["distances"])
        try:
            res = self._collection.query(**query)
        except Exception as e:
            from chromadb.errors import InternalError

            # Embedded: another process wrote since this client read its HNSW index, and the rows a `where`
            # selects (SQLite, shared) are not in it ("Error finding id"). Read the folder again, once.
            if self.path is None or not isinstance(e, InternalError):
                raise
            # the rows are another process's, still being written: none from vectors yet
            if not self.reopen_when_quiet():
                return []
            res = self._collection.query(**query)
        ids, dists = res["ids"][0], res["distances"][0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists)]

    def vectors_of(self, unit_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of some units (those Chroma does not hold are left out)."""
        out: dict[str, np.ndarray] = {}
        unseen = self.unseen_docs
        # a unit id starts with its document's id (retrieval/units.py); asking this client for ids it does not
        # hold fails the whole call ("Error finding id")
        ids = [u for u in unit_ids if u.split(":", 1)[0] not in unseen] if unseen else list(unit_ids)
        for i in range(0, len(ids), 2000):
            page = self._collection.get(ids=ids[i:i + 2000], include=["embeddings"])
            for uid, vec in zip(page["ids"], page["embeddings"]):
                out[uid] = np.asarray(vec, dtype=np.float32)
        return out

    def doc_ids(self) -> set[str]:
        out: set[str] = set()
        for _, md in self._iter(include=["metadatas"]):
            out.add(md["doc_id"])
        return out

    def vectors(self) -> tuple[list[str], np.ndarray]:
        """Every unit id and its vector (for an in-process cache)."""
        ids: list[str] = []
        rows: list[np.ndarray] = []
        for page in self._pages(include=["embeddings"]):
            ids.extend(page["ids"])
            if len(page["ids"]):
                rows.append(np.asarray(page["embeddings"], dtype=np.float32))
        matrix = np.vstack(rows) if rows else np.zeros((0, self.dimension), dtype=np.float32)
        return ids, matrix

    def _pages(self, include: list[str], page_size: int = 2000):
        offset = 0
        while True:
            page = self._collection.get(include=include, limit=page_size, offset=offset)
            yield page
            if len(page["ids"]) < page_size:
                return
            offset += page_size

    def _iter(self, include: list[str]):
        for page in self._pages(include):
            yield from zip(page["ids"], page["metadatas"])
