"""Look-up queries over the knowledge store's tables, without loading whole documents: targets (filtered, or
every one for comparing an indicator), support items, unit texts and heads, and the facts that order editions.
Functions of an open SQLite connection; `KnowledgeStore` calls them under its lock."""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass


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


def targets(conn: sqlite3.Connection, year: int | None = None, bureau: str | None = None, keyword: str | None = None,
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
    rows = conn.execute(" ".join(sql), args).fetchall()
    names = bureau_names(conn)
    return [TargetRow(r["doc_id"], r["dtitle"], r["seq"], r["no"], r["mtitle"], r["section_no"], r["page"],
                      r["year"], r["indicator"], r["comparator"], r["value"], r["unit"], r["text"],
                      names.get((r["doc_id"], r["seq"]), ())) for r in rows]


def target_facts(conn: sqlite3.Connection, year: int | None = None) -> list[dict]:
    """Every target with its document, unit number, title, page and the head of the unit text (for its
    label), without bureaus: one query, for comparing an indicator across the library."""
    sql = ("SELECT t.doc_id, t.seq, t.year, t.indicator, t.comparator, t.value, t.unit, t.text, u.no, u.kind,"
           " u.title AS mtitle, u.page, substr(u.text, 1, 24) AS head, d.title AS dtitle FROM targets t"
           " JOIN units u ON u.doc_id = t.doc_id AND u.seq = t.seq JOIN documents d ON d.doc_id = t.doc_id")
    cols = {r[1] for r in conn.execute("PRAGMA table_info(units)")}
    if "label" in cols:
        sql = sql.replace("u.kind,", "u.kind, u.label,")
    rows = conn.execute(sql + (" WHERE t.year = ?" if year is not None else "") +
                        " ORDER BY d.title, t.seq, t.rowid", (year,) if year is not None else ()).fetchall()
    return [dict(r) for r in rows]


def unit_texts(conn: sqlite3.Connection, keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """(doc_id, seq) → the unit's text, for the given units only."""
    out: dict[tuple[str, int], str] = {}
    for doc_id, seq in set(keys):
        row = conn.execute("SELECT text FROM units WHERE doc_id = ? AND seq = ?", (doc_id, seq)).fetchone()
        if row:
            out[(doc_id, seq)] = row[0]
    return out


def ingest_order(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(doc_id, title) of every document, in the order they were stored (oldest first)."""
    return [(r[0], r[1]) for r in conn.execute("SELECT doc_id, title FROM documents ORDER BY rowid")]


def edition_facts(conn: sqlite3.Connection) -> dict[str, tuple[str, float, str]]:
    """doc_id → (date of issue as YYYY-MM-DD or "", file time, file name): what decides which of two
    editions of one policy is the newer (knowledge/editions.py)."""
    rows = conn.execute("SELECT doc_id, source, meta FROM documents").fetchall()
    out = {}
    for doc_id, source, meta in rows:
        info = json.loads(meta or "{}")
        m = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", info.get("issued", ""))
        date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else ""
        out[doc_id] = (date, float(info.get("file_time", 0.0)), source)
    return out


def unit_heads(conn: sqlite3.Connection, doc_id: str | None = None) -> dict[tuple[str, int], tuple[str, str, str]]:
    """(doc_id, seq) → (kind, label, first characters of the text): enough to show a unit's numbering
    (（五）, 第十条) next to a figure without loading whole documents. `label` is "" until the store keeps
    the parser's labels."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(units)")}
    label = "label" if "label" in cols else "''"
    sql = f"SELECT doc_id, seq, kind, {label} AS label, substr(text, 1, 24) AS head FROM units"
    rows = conn.execute(sql + (" WHERE doc_id = ?" if doc_id else ""), (doc_id,) if doc_id else ()).fetchall()
    return {(r["doc_id"], r["seq"]): (r["kind"], r["label"] or "", r["head"]) for r in rows}


def place_terms(place: str) -> tuple[list[str], list[str]]:
    """The names a place filter looks for: the place as written and its short name (芜湖市繁昌区 → 繁昌), anywhere;
    and the short names of the divisions it lies in (苏州 → 江苏; 繁昌 → 安徽, 芜湖), as a document's jurisdiction only.
    A place the division table (knowledge/divisions.py) does not know is looked for as written."""
    from knowledge.divisions import aliases, chain

    path = chain(place) or ()
    own = list(dict.fromkeys([place] + ([min(aliases(path[-1].name), key=len)] if path else [])))
    return own, [min(aliases(d.name), key=len) for d in path[:-1]]


def support(conn: sqlite3.Connection, industry: str | None = None, place: str | None = None,
            qualification: str | None = None, open_on: str | None = None,
            doc_id: str | None = None) -> list[SupportRow]:
    """Support items across documents. `industry`: named in the item, its conditions or its unit (text or
    industries); `place`: in the document's title or file name, the item, or its unit's places, or a division it lies
    in as the document's jurisdiction (苏州: a 江苏省 document's items too);
    `qualification` (高新技术企业, 绿色工厂): named in the item, its applicants or conditions; `open_on`
    (YYYY-MM-DD): leaves out items whose window, where its dates can be read, does not contain the day
    (items without readable dates stay: their window is as written, or unknown)."""
    from knowledge.support_items import item_from_json

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
        # the place itself anywhere; the divisions it lies in (苏州 → 江苏) only as the document's jurisdiction, in
        # its title or file name: a 江苏省 call is open to a 苏州 enterprise (knowledge/divisions.py, GB/T 2260)
        own, within = place_terms(place)
        sql.append("AND (" + " OR ".join(["d.title LIKE ? OR d.source LIKE ? OR s.search LIKE ? OR u.places LIKE ?"]
                                         * len(own) + ["d.title LIKE ? OR d.source LIKE ?"] * len(within)) + ")")
        args += [f"%{n}%" for n in own for _ in range(4)] + [f"%{n}%" for n in within for _ in range(2)]
    if qualification:
        sql.append("AND s.search LIKE ?")
        args.append(f"%{qualification}%")
    if open_on:
        sql.append("AND (s.window_start IS NULL OR s.window_start <= ?) AND (s.window_end IS NULL OR s.window_end >= ?)")
        args += [open_on, open_on]
    sql.append("ORDER BY d.title, s.doc_id, s.idx")
    rows = conn.execute(" ".join(sql), args).fetchall()
    return [SupportRow(r["doc_id"], r["dtitle"], r["page"], item_from_json(json.loads(r["data"]))) for r in rows]


def bureau_names(conn: sqlite3.Connection) -> dict[tuple[str, int], tuple[str, ...]]:
    """(doc_id, seq) → the names of the unit's bureaus, lead first."""
    out: dict[tuple[str, int], list[str]] = {}
    for r in conn.execute("SELECT doc_id, seq, name, lead FROM bureaus ORDER BY lead DESC, rowid"):
        out.setdefault((r["doc_id"], r["seq"]), []).append(r["name"])
    return {k: tuple(v) for k, v in out.items()}
