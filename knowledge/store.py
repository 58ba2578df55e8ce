"""The knowledge store: a real SQLite database of documents, sections, units (measures and other
searchable text), bureaus, targets and sentences. Each document is written or replaced in one transaction.
The schema and its migrations live in knowledge/store_schema.py, the look-up queries (targets, support items,
unit heads …) in knowledge/store_queries.py; this module writes and reads whole documents and the index ledger."""
from __future__ import annotations

import functools
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from knowledge import store_queries as queries
from knowledge import store_schema
from knowledge.derive import EXTRACTION_VERSION
from knowledge.model import Bureau, Document, Measure, Section, Sentence, Target
# Row types of the look-ups, importable from here as before
from knowledge.store_queries import SupportRow, TargetRow  # noqa: F401


@dataclass(frozen=True)
class DocumentInfo:
    doc_id: str
    title: str
    source: str
    pages: int
    measures: int
    targets: int
    content_hash: str
    ingested_at: str


@functools.lru_cache(maxsize=4096)
def _tuple(text: str) -> tuple:
    """A stored JSON list of names: a few distinct values ([], ["化工"] …) over a library's 100,000+ rows, so
    they are parsed once each."""
    return tuple(json.loads(text))


class KnowledgeStore:
    """SQLite-backed; safe to share between threads (one connection, serialised by a lock)."""

    def __init__(self, path: Path):
        path = Path(path)
        if path.exists() and path.is_dir():
            raise ValueError(f"knowledge store path is a directory: {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute("PRAGMA journal_mode = WAL")
        had_ledger = store_schema.create(self._conn)
        # A store written before the ledger existed: its documents' index state must be checked once in full.
        self.ledger_new = not had_ledger and not self.is_empty()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- writing -------------------------------------------------------------------------------------
    def add_document(self, doc: Document, replaces: list[str] | None = None) -> None:
        """Insert `doc`, deleting the documents in `replaces` (and any with the same doc_id) in the same
        transaction: readers see the old or the new version, never half of one."""
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                for old in set((replaces or []) + [doc.doc_id]):
                    c.execute("DELETE FROM documents WHERE doc_id = ?", (old,))
                c.execute(
                    "INSERT INTO documents (doc_id, title, source, pages, content_hash, warnings, implementers,"
                    " meta, levels, extraction) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (doc.doc_id, doc.title, doc.source, doc.pages, doc.content_hash,
                     json.dumps(doc.warnings, ensure_ascii=False), json.dumps(doc.implementers, ensure_ascii=False),
                     json.dumps(doc.meta, ensure_ascii=False), json.dumps(doc.levels, ensure_ascii=False),
                     EXTRACTION_VERSION),
                )
                c.executemany("INSERT INTO sections VALUES (?,?,?)",
                              [(doc.doc_id, s.no, s.title) for s in doc.sections])
                for u in doc.units():
                    c.execute(
                        "INSERT INTO units (doc_id, seq, no, section_no, kind, title, text, page, industries, places,"
                        " label, path, deadline) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (doc.doc_id, u.seq, u.no, u.section_no, u.kind, u.title, u.text, u.page,
                         json.dumps(u.industries, ensure_ascii=False), json.dumps(u.places, ensure_ascii=False),
                         u.label, json.dumps(u.path, ensure_ascii=False), u.deadline),
                    )
                self._write_derived(doc)
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    def _write_derived(self, doc: Document) -> None:
        """What extraction derived from the document's units (bureaus, targets, sentences, support items), inside
        the caller's transaction; the units' own rows are written (or updated) by the caller."""
        c = self._conn
        for u in doc.units():
            c.executemany("INSERT INTO bureaus VALUES (?,?,?,?,?,?,?)", [
                (doc.doc_id, u.seq, b.name, b.canonical, json.dumps(list(b.aliases), ensure_ascii=False),
                 int(b.lead), int(b.implementer)) for b in u.bureaus])
            c.executemany("INSERT INTO targets VALUES (?,?,?,?,?,?,?,?)", [
                (doc.doc_id, u.seq, t.year, t.indicator, t.comparator, t.value, t.unit, t.text)
                for t in u.targets])
            c.executemany("INSERT INTO sentences VALUES (?,?,?,?,?,?,?)", [
                (doc.doc_id, u.seq, i, s.text, s.kind, json.dumps(list(s.industries), ensure_ascii=False),
                 json.dumps(list(s.places), ensure_ascii=False)) for i, s in enumerate(u.sentences)])
        self._write_support(doc)

    def replace_derived(self, docs: list[Document], unindexed: set[str] = frozenset()) -> None:
        """Store documents' knowledge derived anew (knowledge/derive.py) over their stored units, in one
        transaction: the old bureaus, targets, sentences and support items go, the units' derived columns and
        the documents' implementers are updated, and each document is marked with the current extraction
        version. Documents in `unindexed` leave the index ledger in the same transaction (their search units
        changed with their knowledge), so the repair indexes them again: the store never says indexed for a
        document whose index entries were derived by the old rules."""
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                for doc in docs:
                    for table in ("bureaus", "targets", "sentences", "support_items"):
                        c.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc.doc_id,))
                    c.executemany(
                        "UPDATE units SET industries = ?, places = ?, deadline = ? WHERE doc_id = ? AND seq = ?", [
                        (json.dumps(u.industries, ensure_ascii=False), json.dumps(u.places, ensure_ascii=False),
                         u.deadline, doc.doc_id, u.seq) for u in doc.units()])
                    c.execute("UPDATE documents SET implementers = ?, extraction = ? WHERE doc_id = ?",
                              (json.dumps(doc.implementers, ensure_ascii=False), EXTRACTION_VERSION, doc.doc_id))
                    self._write_derived(doc)
                c.executemany("DELETE FROM indexed WHERE doc_id = ?", [(d,) for d in sorted(unindexed)])
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    def derived_before(self, version: int = EXTRACTION_VERSION) -> list[str]:
        """Documents whose knowledge an older version of the extraction rules derived (0: before versions were
        kept), in ingest order."""
        with self._lock:
            return [r[0] for r in self._conn.execute(
                "SELECT doc_id FROM documents WHERE extraction < ? ORDER BY ingested_at, title", (version,))]

    def extraction_versions(self) -> dict[str, int]:
        """Each document's extraction version: a re-derived document is read again by the views that held it."""
        with self._lock:
            return dict(self._conn.execute("SELECT doc_id, extraction FROM documents").fetchall())

    def _write_support(self, doc: Document) -> None:
        """The document's support items, inside the caller's transaction."""
        rows = []
        for i, it in enumerate(doc.support_items):
            d = it.to_json()
            w = d.get("window") or {}
            search = " ".join([d["quote"]] + [f["text"] for f in d["applicants"] + d["conditions"]])
            rows.append((doc.doc_id, d.get("seq"), i, d.get("label", ""), d["kind"], d["quote"],
                         (d.get("amount") or {}).get("wan"), (d.get("cap") or {}).get("wan"),
                         w.get("start_iso"), w.get("end_iso"), search, json.dumps(d, ensure_ascii=False)))
        self._conn.executemany("INSERT INTO support_items VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)

    def remove(self, doc_id: str) -> bool:
        with self._lock:
            cur = self._conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            return cur.rowcount > 0

    # -- reading -------------------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT d.*, (SELECT COUNT(*) FROM units u WHERE u.doc_id = d.doc_id AND u.kind IN"
                " ('measure','paragraph')) AS n_measures,"
                " (SELECT COUNT(*) FROM targets t WHERE t.doc_id = d.doc_id) AS n_targets"
                " FROM documents d ORDER BY d.ingested_at, d.title").fetchall()
        return [DocumentInfo(r["doc_id"], r["title"], r["source"], r["pages"], r["n_measures"], r["n_targets"],
                             r["content_hash"], r["ingested_at"]) for r in rows]

    def doc_ids(self) -> set[str]:
        with self._lock:
            return {r[0] for r in self._conn.execute("SELECT doc_id FROM documents")}

    def find_by_hash(self, content_hash: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT doc_id FROM documents WHERE content_hash = ?",
                                     (content_hash,)).fetchone()
        return row[0] if row else None

    def find_by_source(self, source: str) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT doc_id FROM documents WHERE source = ?", (source,))]

    def find_by_title(self, title: str) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT doc_id FROM documents WHERE title = ?", (title,))]

    # -- the index ledger ------------------------------------------------------------------------------
    def mark_indexed(self, doc_ids, index_key: str) -> None:
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                c.executemany("INSERT OR IGNORE INTO indexed SELECT doc_id, ? FROM documents WHERE doc_id = ?",
                              [(index_key, d) for d in doc_ids])
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    def indexed_ids(self, index_key: str) -> set[str]:
        with self._lock:
            return {r[0] for r in self._conn.execute("SELECT doc_id FROM indexed WHERE index_key = ?", (index_key,))}

    def clear_indexed(self, index_key: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM indexed WHERE index_key = ?", (index_key,))

    def data_version(self) -> int:
        """SQLite's data_version: changes when another connection (another process: a CLI ingest while the
        UI runs) commits; this connection's own commits leave it alone."""
        with self._lock:
            return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def is_empty(self) -> bool:
        with self._lock:
            return self._conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None

    def get_document(self, doc_id: str) -> Document | None:
        docs = self.get_documents([doc_id])
        return docs[0] if docs else None

    def get_documents(self, doc_ids: list[str] | None = None) -> list[Document]:
        """Several documents (all when None, in ingest order) with one query per table, not one per document
        and table: the catalogue of a whole library is read at start-up and after every write."""
        from knowledge.support_items import item_from_json

        with self._lock:
            c = self._conn
            c.execute("BEGIN")  # one consistent snapshot while another process may be writing
            try:
                if doc_ids is None:
                    where = ""
                    heads = c.execute("SELECT * FROM documents ORDER BY ingested_at, title").fetchall()
                else:
                    ids = list(dict.fromkeys(doc_ids))
                    if not ids:
                        return []
                    c.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (doc_id TEXT PRIMARY KEY)")
                    c.execute("DELETE FROM wanted")
                    c.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", [(i,) for i in ids])
                    where = " WHERE doc_id IN (SELECT doc_id FROM wanted)"
                    order = {d: i for i, d in enumerate(ids)}
                    heads = sorted(c.execute("SELECT * FROM documents" + where).fetchall(),
                                   key=lambda r: order[r["doc_id"]])
                sections: dict[str, list[Section]] = {}
                for r in c.execute("SELECT doc_id, no, title FROM sections" + where + " ORDER BY rowid"):
                    sections.setdefault(r[0], []).append(Section(r[1], r[2]))
                bureaus: dict[tuple[str, int], list[Bureau]] = {}
                for r in c.execute("SELECT * FROM bureaus" + where + " ORDER BY rowid"):
                    bureaus.setdefault((r["doc_id"], r["seq"]), []).append(Bureau(
                        r["name"], r["canonical"], tuple(json.loads(r["aliases"])), bool(r["lead"]),
                        bool(r["implementer"])))
                targets: dict[tuple[str, int], list[Target]] = {}
                for r in c.execute("SELECT * FROM targets" + where + " ORDER BY rowid"):
                    targets.setdefault((r["doc_id"], r["seq"]), []).append(Target(
                        r["year"], r["indicator"], r["comparator"], r["value"], r["unit"], r["text"]))
                sentences: dict[tuple[str, int], list[Sentence]] = {}
                for r in c.execute("SELECT * FROM sentences" + where + " ORDER BY doc_id, seq, idx"):
                    sentences.setdefault((r["doc_id"], r["seq"]), []).append(Sentence(
                        r["text"], r["kind"], _tuple(r["industries"]), _tuple(r["places"])))
                units = c.execute("SELECT * FROM units" + where + " ORDER BY doc_id, seq").fetchall()
                support = c.execute("SELECT doc_id, data FROM support_items" + where + " ORDER BY doc_id, idx").fetchall()
            finally:
                c.execute("COMMIT")
        docs: dict[str, Document] = {}
        for d in heads:
            docs[d["doc_id"]] = Document(
                doc_id=d["doc_id"], title=d["title"], source=d["source"], pages=d["pages"],
                content_hash=d["content_hash"], sections=sections.get(d["doc_id"], []),
                warnings=json.loads(d["warnings"]), implementers=json.loads(d["implementers"]),
                meta=json.loads(d["meta"]), levels=json.loads(d["levels"]))
        for r in units:
            doc = docs.get(r["doc_id"])
            if doc is None:
                continue
            key = (r["doc_id"], r["seq"])
            m = Measure(seq=r["seq"], no=r["no"], section_no=r["section_no"], title=r["title"], text=r["text"],
                        page=r["page"], kind=r["kind"], bureaus=bureaus.get(key, []),
                        targets=targets.get(key, []), sentences=sentences.get(key, []),
                        industries=list(_tuple(r["industries"])), places=list(_tuple(r["places"])),
                        label=r["label"], path=json.loads(r["path"]), deadline=r["deadline"])
            (doc.measures if m.kind in ("measure", "paragraph") else doc.extra_units).append(m)
        for r in support:
            if r["doc_id"] in docs:
                docs[r["doc_id"]].support_items.append(item_from_json(json.loads(r["data"])))
        for doc in docs.values():
            by_seq: dict = {}
            for it in doc.support_items:
                by_seq.setdefault(it.seq, []).append(it)
            for u in doc.units():
                u.support = list(by_seq.get(u.seq, []))
        return list(docs.values())

    # -- look-ups (knowledge/store_queries.py) ---------------------------------------------------------
    def targets(self, year: int | None = None, bureau: str | None = None, keyword: str | None = None,
                doc_id: str | None = None) -> list[TargetRow]:
        with self._lock:
            return queries.targets(self._conn, year=year, bureau=bureau, keyword=keyword, doc_id=doc_id)

    def target_facts(self, year: int | None = None) -> list[dict]:
        with self._lock:
            return queries.target_facts(self._conn, year)

    def unit_texts(self, keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
        with self._lock:
            return queries.unit_texts(self._conn, keys)

    def ingest_order(self) -> list[tuple[str, str]]:
        with self._lock:
            return queries.ingest_order(self._conn)

    def edition_facts(self) -> dict[str, tuple[str, float, str]]:
        with self._lock:
            return queries.edition_facts(self._conn)

    def unit_heads(self, doc_id: str | None = None) -> dict[tuple[str, int], tuple[str, str, str]]:
        with self._lock:
            return queries.unit_heads(self._conn, doc_id)

    def support(self, industry: str | None = None, place: str | None = None, qualification: str | None = None,
                open_on: str | None = None, doc_id: str | None = None) -> list[SupportRow]:
        with self._lock:
            return queries.support(self._conn, industry=industry, place=place, qualification=qualification,
                                   open_on=open_on, doc_id=doc_id)
