"""The knowledge store's SQLite schema and its migrations: the tables a store is created with, and the
columns added since, which a store written by an older version gains empty."""
from __future__ import annotations

import sqlite3

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

# Columns added after the first schema: (table, column, declaration). A store written by an older version
# gains them empty; re-ingesting a document fills them, except the derived ones (deadline), which the start's
# re-derivation fills (documents.extraction, knowledge/derive.py; docs/upgrades.md).
ADDED = (("documents", "meta", "TEXT NOT NULL DEFAULT '{}'"), ("documents", "levels", "TEXT NOT NULL DEFAULT '[]'"),
         ("units", "label", "TEXT NOT NULL DEFAULT ''"), ("units", "path", "TEXT NOT NULL DEFAULT '[]'"),
         ("units", "deadline", "TEXT NOT NULL DEFAULT ''"),
         # the version of the extraction rules that derived the document's knowledge (knowledge/derive.py); 0: a
         # store written before versions were kept, re-derived once at the next start
         ("documents", "extraction", "INTEGER NOT NULL DEFAULT 0"))


def create(conn: sqlite3.Connection) -> bool:
    """Create what is missing of the schema, then add the later columns. Returns whether the store had the
    index ledger before (a store written before it must have its index state checked once in full)."""
    had_ledger = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'indexed'").fetchone() is not None
    conn.executescript(SCHEMA)
    conn.executescript(SUPPORT_SCHEMA)
    migrate(conn)
    return had_ledger


def migrate(conn: sqlite3.Connection) -> None:
    for table, column, decl in ADDED:
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
