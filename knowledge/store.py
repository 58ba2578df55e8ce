"""The knowledge store: a real SQLite database of documents, sections, units (measures and other
searchable text), bureaus, targets and sentences. Each document is written or replaced in one transaction."""
from __future__ import annotations

import functools
import json
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from knowledge.model import Bureau, Document, Measure, Section, Sentence, Target

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    pages INTEGER NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    warnings TEXT NOT NULL,
    implementers TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS sections (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    no INTEGER NOT NULL,
    title TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS units (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    no INTEGER NOT NULL,
    section_no INTEGER,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    page INTEGER NOT NULL,
    industries TEXT NOT NULL,
    places TEXT NOT NULL,
    PRIMARY KEY (doc_id, seq)
);
CREATE TABLE IF NOT EXISTS bureaus (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    canonical TEXT NOT NULL,
    aliases TEXT NOT NULL,
    lead INTEGER NOT NULL,
    implementer INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS targets (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    year INTEGER,
    indicator TEXT NOT NULL,
    comparator TEXT NOT NULL,
    value TEXT NOT NULL,
    unit TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    industries TEXT NOT NULL,
    places TEXT NOT NULL
);
-- Documents whose units are fully written to the search index named by `index_key` (Chroma and BM25): a
-- document stored but not listed here was cut off by a crash and is indexed at the next start.
CREATE TABLE IF NOT EXISTS indexed (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    index_key TEXT NOT NULL,
    PRIMARY KEY (doc_id, index_key)
);
CREATE INDEX IF NOT EXISTS bureaus_canonical ON bureaus(canonical);
CREATE INDEX IF NOT EXISTS bureaus_doc ON bureaus(doc_id, seq);
CREATE INDEX IF NOT EXISTS targets_doc ON targets(doc_id, seq);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc_id, seq);
CREATE INDEX IF NOT EXISTS targets_year ON targets(year);
CREATE INDEX IF NOT EXISTS units_doc ON units(doc_id);
-- Read and deleted by document too: without these, reading one document (and the cascade of removing one)
-- scanned the whole table, so loading a library of hundreds of documents was quadratic.
CREATE INDEX IF NOT EXISTS sections_doc ON sections(doc_id);
CREATE INDEX IF NOT EXISTS documents_title ON documents(title);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
"""


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


@dataclass(frozen=True)
class TargetRow:
    doc_id: str
    doc_title: str
    seq: int
    measure_no: int
    measure_title: str
    section_no: int | None
    page: int
    year: int | None
    indicator: str
    comparator: str
    value: str
    unit: str
    text: str
    bureaus: tuple[str, ...]  # canonical names, lead first


# Support items (knowledge.support), written with their document and deleted with it; `data` is the item's JSON,
# the other columns are what `support()` filters on.
SUPPORT_SCHEMA = """
CREATE TABLE IF NOT EXISTS support_items (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq INTEGER,
    idx INTEGER NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    quote TEXT NOT NULL,
    amount_wan REAL,
    cap_wan REAL,
    window_start TEXT,
    window_end TEXT,
    search TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS support_doc ON support_items(doc_id);
"""


@dataclass(frozen=True)
class SupportRow:
    doc_id: str
    doc_title: str
    page: int | None
    item: object  # knowledge.support.SupportItem

    def to_json(self) -> dict:
        """The `support --json` shape of SPEC (amounts and dates as written plus normalised numbers/ISO dates)."""
        d = self.item.to_json()
        w = d.get("window") or {}
        return {"doc_id": self.doc_id, "doc_title": self.doc_title, "label": d["label"], "kind": d["kind"],
                "amount": d["amount"], "rate": d["rate"], "cap": d["cap"], "tiers": d["tiers"],
                "applicants": d["applicants"], "conditions": d["conditions"], "exclusions": d["exclusions"],
                "window": {"start": w.get("start") or None, "end": w.get("end") or None,
                           "start_iso": w.get("start_iso"), "end_iso": w.get("end_iso"),
                           "sentence": w.get("sentence"), "document_wide": bool(w.get("document_wide")),
                           "label": w.get("label") or None},
                "office": d["office"], "quote": d["quote"]}


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
        had_ledger = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'indexed'").fetchone() is not None
        self._conn.executescript(SCHEMA)
        self._conn.executescript(SUPPORT_SCHEMA)
        # A store written before the ledger existed: its documents' index state must be checked once in full.
        self.ledger_new = not had_ledger and not self.is_empty()
        self._migrate()

    # Columns added after the first schema: (table, column, declaration). A store written by an older version
    # gains them empty; re-ingesting a document fills them.
    _ADDED = (("documents", "meta", "TEXT NOT NULL DEFAULT '{}'"), ("documents", "levels", "TEXT NOT NULL DEFAULT '[]'"),
              ("units", "label", "TEXT NOT NULL DEFAULT ''"), ("units", "path", "TEXT NOT NULL DEFAULT '[]'"),
              ("units", "deadline", "TEXT NOT NULL DEFAULT ''"))

    def _migrate(self) -> None:
        for table, column, decl in self._ADDED:
            have = {r[1] for r in self._conn.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")

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
                    " meta, levels) VALUES (?,?,?,?,?,?,?,?,?)",
                    (doc.doc_id, doc.title, doc.source, doc.pages, doc.content_hash,
                     json.dumps(doc.warnings, ensure_ascii=False), json.dumps(doc.implementers, ensure_ascii=False),
                     json.dumps(doc.meta, ensure_ascii=False), json.dumps(doc.levels, ensure_ascii=False)),
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
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    def _write_support(self, doc: Document) -> None:
        """The document's support items, inside add_document's transaction."""
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
        from knowledge.support import item_from_json

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

    def targets(self, year: int | None = None, bureau: str | None = None, keyword: str | None = None,
                doc_id: str | None = None) -> list[TargetRow]:
        """Targets filtered by due year, responsible bureau (any written form or canonical name, partial
        match allowed: 发改委), keyword in indicator or sentence, document."""
        sql = ["SELECT t.*, u.no, u.title AS mtitle, u.section_no, u.page, d.title AS dtitle FROM targets t"
               " JOIN units u ON u.doc_id = t.doc_id AND u.seq = t.seq JOIN documents d ON d.doc_id = t.doc_id"
               " WHERE 1=1"]
        args: list = []
        if year is not None:
            sql.append("AND t.year = ?")
            args.append(year)
        if doc_id:
            sql.append("AND t.doc_id = ?")
            args.append(doc_id)
        if keyword:
            sql.append("AND (t.indicator LIKE ? OR t.text LIKE ?)")
            args += [f"%{keyword}%", f"%{keyword}%"]
        if bureau:
            sql.append("AND EXISTS (SELECT 1 FROM bureaus b WHERE b.doc_id = t.doc_id AND b.seq = t.seq AND"
                       " (b.name LIKE ? OR b.canonical LIKE ? OR b.aliases LIKE ?))")
            args += [f"%{bureau}%"] * 3
        sql.append("ORDER BY d.title, t.seq, t.rowid")
        with self._lock:
            rows = self._conn.execute(" ".join(sql), args).fetchall()
            names = self._bureau_names()
        return [TargetRow(r["doc_id"], r["dtitle"], r["seq"], r["no"], r["mtitle"], r["section_no"], r["page"],
                          r["year"], r["indicator"], r["comparator"], r["value"], r["unit"], r["text"],
                          names.get((r["doc_id"], r["seq"]), ())) for r in rows]

    def target_facts(self, year: int | None = None) -> list[dict]:
        """Every target with its document, unit number, title, page and the head of the unit text (for its
        label), without bureaus: one query, for comparing an indicator across the library."""
        sql = ("SELECT t.doc_id, t.seq, t.year, t.indicator, t.comparator, t.value, t.unit, t.text, u.no, u.kind,"
               " u.title AS mtitle, u.page, substr(u.text, 1, 24) AS head, d.title AS dtitle FROM targets t"
               " JOIN units u ON u.doc_id = t.doc_id AND u.seq = t.seq JOIN documents d ON d.doc_id = t.doc_id")
        with self._lock:
            cols = {r[1] for r in self._conn.execute("PRAGMA table_info(units)")}
            if "label" in cols:
                sql = sql.replace("u.kind,", "u.kind, u.label,")
            rows = self._conn.execute(sql + (" WHERE t.year = ?" if year is not None else "") +
                                      " ORDER BY d.title, t.seq, t.rowid", (year,) if year is not None else ()).fetchall()
        return [dict(r) for r in rows]

    def unit_texts(self, keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """(doc_id, seq) → the unit's text, for the given units only."""
        out: dict[tuple[str, int], str] = {}
        with self._lock:
            for doc_id, seq in set(keys):
                row = self._conn.execute("SELECT text FROM units WHERE doc_id = ? AND seq = ?", (doc_id, seq)).fetchone()
                if row:
                    out[(doc_id, seq)] = row[0]
        return out

    def ingest_order(self) -> list[tuple[str, str]]:
        """(doc_id, title) of every document, in the order they were stored (oldest first)."""
        with self._lock:
            return [(r[0], r[1]) for r in self._conn.execute("SELECT doc_id, title FROM documents ORDER BY rowid")]

    def edition_facts(self) -> dict[str, tuple[str, float, str]]:
        """doc_id → (date of issue as YYYY-MM-DD or "", file time, file name): what decides which of two
        editions of one policy is the newer (knowledge/editions.py)."""
        with self._lock:
            rows = self._conn.execute("SELECT doc_id, source, meta FROM documents").fetchall()
        out = {}
        for doc_id, source, meta in rows:
            info = json.loads(meta or "{}")
            m = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", info.get("issued", ""))
            date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else ""
            out[doc_id] = (date, float(info.get("file_time", 0.0)), source)
        return out

    def unit_heads(self, doc_id: str | None = None) -> dict[tuple[str, int], tuple[str, str, str]]:
        """(doc_id, seq) → (kind, label, first characters of the text): enough to show a unit's numbering
        (（五）, 第十条) next to a figure without loading whole documents. `label` is "" until the store keeps
        the parser's labels."""
        with self._lock:
            cols = {r[1] for r in self._conn.execute("PRAGMA table_info(units)")}
            label = "label" if "label" in cols else "''"
            sql = f"SELECT doc_id, seq, kind, {label} AS label, substr(text, 1, 24) AS head FROM units"
            rows = self._conn.execute(sql + (" WHERE doc_id = ?" if doc_id else ""),
                                      (doc_id,) if doc_id else ()).fetchall()
        return {(r["doc_id"], r["seq"]): (r["kind"], r["label"] or "", r["head"]) for r in rows}

    def support(self, industry: str | None = None, place: str | None = None, qualification: str | None = None,
                open_on: str | None = None, doc_id: str | None = None) -> list[SupportRow]:
        """Support items across documents. `industry`: named in the item, its conditions or its unit (text or
        industries); `place`: in the document's title or file name, the item, or its unit's places;
        `qualification` (高新技术企业, 绿色工厂): named in the item, its applicants or conditions; `open_on`
        (YYYY-MM-DD): leaves out items whose window, where its dates can be read, does not contain the day
        (items without readable dates stay: their window is as written, or unknown)."""
        sql = ["SELECT s.*, d.title AS dtitle, d.source, u.page, u.text AS utext, u.industries, u.places"
               " FROM support_items s JOIN documents d ON d.doc_id = s.doc_id"
               " LEFT JOIN units u ON u.doc_id = s.doc_id AND u.seq = s.seq WHERE 1=1"]
        args: list = []
        if doc_id:
            sql.append("AND s.doc_id = ?")
            args.append(doc_id)
        if industry:
            sql.append("AND (s.search LIKE ? OR u.text LIKE ? OR u.industries LIKE ?)")
            args += [f"%{industry}%"] * 3
        if place:
            sql.append("AND (d.title LIKE ? OR d.source LIKE ? OR s.search LIKE ? OR u.places LIKE ?)")
            args += [f"%{place}%"] * 4
        if qualification:
            sql.append("AND s.search LIKE ?")
            args.append(f"%{qualification}%")
        if open_on:
            sql.append("AND (s.window_start IS NULL OR s.window_start <= ?) AND (s.window_end IS NULL OR s.window_end >= ?)")
            args += [open_on, open_on]
        sql.append("ORDER BY d.title, s.doc_id, s.idx")
        with self._lock:
            rows = self._conn.execute(" ".join(sql), args).fetchall()
        from knowledge.support import item_from_json

        return [SupportRow(r["doc_id"], r["dtitle"], r["page"], item_from_json(json.loads(r["data"])))
                for r in rows]

    def _bureau_names(self) -> dict[tuple[str, int], tuple[str, ...]]:
        out: dict[tuple[str, int], list[str]] = {}
        for r in self._conn.execute("SELECT doc_id, seq, name, lead FROM bureaus ORDER BY lead DESC, rowid"):
            out.setdefault((r["doc_id"], r["seq"]), []).append(r["name"])
        return {k: tuple(v) for k, v in out.items()}
