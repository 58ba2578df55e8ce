"""An in-memory view of every stored document for exact, structured look-ups: bureau names in any form,
bureau → measures, targets, industries. Built from the store after each ingest/remove."""
from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass

from knowledge.bureaus import aliases_of, bureau_key, canonical_name
from knowledge.model import MEASURE, PARAGRAPH, Document, Measure, Target
from knowledge.text import fold  # noqa: F401  (callers import it from here too)


@dataclass(frozen=True)
class Responsibility:
    doc: Document
    measure: Measure
    lead: bool
    implementer: bool  # only through the document-wide clause


class Catalog:
    def __init__(self, documents: list[Document]):
        self.documents = {d.doc_id: d for d in documents}
        self._bureau_forms: dict[str, str] = {}  # any written form → canonical
        for d in documents:
            names = [b.name for m in d.measures for b in m.bureaus] + list(d.implementers)
            for name in names:
                canon = canonical_name(name)
                for form in (name, canon, *aliases_of(name)):
                    self._bureau_forms.setdefault(fold(form), canon)
                    short = re.sub(r"^(?:市|省|区|县)", "", form)
                    if len(short) >= 3:
                        self._bureau_forms.setdefault(fold(short), canon)
        # Longest forms first so 市市场监管局 wins over 市场监管局.
        self._forms_sorted = sorted(self._bureau_forms, key=len, reverse=True)
        # Read on every question; the catalog is rebuilt after each ingest, so computing them once is safe.
        self._places = {d.doc_id: _issuer_places(d) for d in documents}
        self._scope_texts: dict[tuple[str, ...] | None, str] = {}
        self._build_indexes()

    def _build_indexes(self) -> None:
        """Look-up tables built once per catalogue, so that a question costs the same with 1 or 500 documents:
        without them every question folded every title, tried every bureau form and walked every unit
        (100 ms median and 2.5-3.6 s target questions at 506 documents)."""
        docs = list(self.documents.values())
        # documents by folded title and file name, and by issuer place
        self._folded = {d.doc_id: (fold(d.title), fold(_stem(d.source))) for d in docs}
        self._by_key: dict[str, list[str]] = {}
        for d in docs:
            for key in dict.fromkeys(self._folded[d.doc_id]):
                self._by_key.setdefault(key, []).append(d.doc_id)
        self._by_place: dict[str, set[str]] = {}
        for d in docs:
            for place in self._places[d.doc_id]:
                self._by_place.setdefault(place, set()).add(d.doc_id)
        self._place_lengths = sorted({len(p) for p in self._by_place}, reverse=True)
        self._central = [d.doc_id for d in docs if re.search(r"中共中央|国务院", "".join(self._folded[d.doc_id]))]
        self._order = {d.doc_id: i for i, d in enumerate(docs)}
        self._issuer_places = frozenset(p for places in self._places.values() for p in places)
        # bureau forms by their first two characters (forms of one character are always tried)
        self._form_rank = {f: i for i, f in enumerate(self._forms_sorted)}
        self._forms_by_head: dict[str, list[str]] = {}
        self._short_forms = [f for f in self._forms_sorted if len(f) < 2]
        for f in self._forms_sorted:
            if len(f) >= 2:
                self._forms_by_head.setdefault(f[:2], []).append(f)
        # canonical bureau → documents that name it (in a unit or as a document-wide implementer), and its
        # written names in document order
        self._bureau_docs: dict[str, list[str]] = {}
        self._written: dict[str, list[str]] = {}
        self._bureaus_all: list[str] = []
        seen: set[str] = set()
        for d in docs:
            here: list[str] = []
            for m in d.measures:
                for b in m.bureaus:
                    key = bureau_key(b)
                    here.append(key)
                    self._written.setdefault(key, []).append(b.name)
                    if key not in seen:
                        seen.add(key)
                        self._bureaus_all.append(key)
            here += [canonical_name(i) for i in d.implementers]
            for canon in dict.fromkeys(here):
                self._bureau_docs.setdefault(canon, []).append(d.doc_id)
        self._targets_all = tuple((d, m, t) for d in docs for m in d.units() for t in m.targets)
        self._measures_all = tuple((d, m) for d in docs for m in d.measures if m.kind in (MEASURE, PARAGRAPH))
        self._lazy_lock = threading.Lock()
        self._target_heads: dict[str, list[int]] | None = None  # built on first use (see for_question)
        self._industry_measures: dict[str, list[int]] | None = None
        # set on a per-question view: positions in _targets_all / _measures_all that may answer it
        self._only_targets: list[int] | None = None
        self._only_measures: list[int] | None = None

    # -- a view for one question ------------------------------------------------------------------------
    def for_question(self, word_forms: list[list[str]] | None, industries: tuple[str, ...] | None,
                     min_words: int = 1) -> "Catalog":
        """This catalogue, with `targets()` and `measures()` over the whole library narrowed to what can
        answer one question, so the answerer does not weigh every target and unit of the library.

        word_forms: for each content word of the question, the forms evidence may use (the word and its
        synonyms); a target is kept when its unit title and sentence contain, for at least `min_words` of the
        words, the first two characters of a form (or the 2nd-3rd for forms of four or more, which may lose
        their first character): a target without them cannot cover that many words. None, or a form shorter
        than two characters, keeps every target.
        industries: the question's industry keys; units with no sentence of those industries are dropped
        from `measures()` (the enterprise answer reads only such sentences). None keeps every unit."""
        view = copy.copy(self)
        if word_forms and all(len(f) >= 2 for forms in word_forms for f in forms):
            heads = self._heads()
            count: dict[int, int] = {}
            for forms in word_forms:
                found: set[int] = set()
                for f in forms:
                    found.update(heads.get(f[:2].lower(), ()))
                    if len(f) >= 4:
                        found.update(heads.get(f[1:3].lower(), ()))
                for i in found:
                    count[i] = count.get(i, 0) + 1
            view._only_targets = sorted(i for i, n in count.items() if n >= max(1, min_words))
        if industries is not None:
            by_industry = self._industries()
            view._only_measures = sorted({i for key in industries for i in by_industry.get(key, ())})
        return view

    def _heads(self) -> dict[str, list[int]]:
        with self._lazy_lock:
            if self._target_heads is None:
                heads: dict[str, list[int]] = {}
                for i, (_, m, t) in enumerate(self._targets_all):
                    text = (m.title + t.text).lower()
                    for bigram in {text[k:k + 2] for k in range(len(text) - 1)}:
                        heads.setdefault(bigram, []).append(i)
                self._target_heads = heads
            return self._target_heads

    def _industries(self) -> dict[str, list[int]]:
        with self._lazy_lock:
            if self._industry_measures is None:
                out: dict[str, list[int]] = {}
                for i, (_, m) in enumerate(self._measures_all):
                    for key in {k for sentence in m.sentences for k in sentence.industries}:
                        out.setdefault(key, []).append(i)
                self._industry_measures = out
            return self._industry_measures

    # -- documents ------------------------------------------------------------------------------------
    def resolve_doc(self, ref: str | None) -> str | None:
        """A doc_id, a title or a file name (spaces and width folded; a unique prefix or containment
        counts) → doc_id; None when nothing or more than one document matches."""
        if not ref:
            return None
        if ref in self.documents:
            return ref
        key = fold(ref)
        exact = self._by_key.get(key, [])
        if len(exact) == 1:
            return exact[0]
        if not key:
            return None
        partial = [i for i, (title, stem) in self._folded.items()
                   if key in title or key in stem or title in key or (stem and stem in key)]
        return partial[0] if len(partial) == 1 else None

    def docs_named_in(self, question: str) -> list[str]:
        """Documents a question names by place or issuer (梧州, 连云港, 国家/中央); among documents of the
        same place, the one whose title shares the most words with the question (天津…十项措施)."""
        found = self._docs_by_place(question)
        if len(found) < 2:
            return found
        q = fold(question)
        def shared(doc_id: str) -> int:
            title = fold(self.documents[doc_id].title)
            return len({q[i:i + 2] for i in range(len(q) - 1)} & {title[i:i + 2] for i in range(len(title) - 1)})
        scores = {d: shared(d) for d in found}  # only the documents of the places named
        by_place: dict[str, list[str]] = {}
        for d in found:
            by_place.setdefault("".join(self._places[d])[:2], []).append(d)
        kept = []
        for docs in by_place.values():
            best = max(scores[d] for d in docs)
            top = [d for d in docs if scores[d] == best]
            kept.extend(top if len(top) < len(docs) else docs)
        return [d for d in found if d in kept]

    def _docs_by_place(self, question: str) -> list[str]:
        q = fold(question)
        found: set[str] = set()
        if re.search(r"国家|中央|全国|国务院", q):
            found.update(self._central)
        # every substring of the question as long as a place name (2-3 characters), looked up
        for n in self._place_lengths:
            for i in range(len(q) - n + 1):
                docs = self._by_place.get(q[i:i + n])
                if docs:
                    found |= docs
        return sorted(found, key=self._order.__getitem__)

    def issuer_places(self) -> set[str]:
        return set(self._issuer_places)

    # -- bureaus --------------------------------------------------------------------------------------
    def find_bureaus(self, text: str) -> list[str]:
        """Canonical names of the bureaus a text names, in any written form, longest match first."""
        t = fold(text)
        found: list[str] = []
        # Only the forms whose first two characters occur in the text can match (longest first, as before).
        heads = {t[i:i + 2] for i in range(len(t) - 1)}
        candidates = [f for h in heads for f in self._forms_by_head.get(h, ())] + self._short_forms
        candidates.sort(key=self._form_rank.__getitem__)
        for form in candidates:
            if form in t:
                canon = self._bureau_forms[form]
                if canon not in found:
                    found.append(canon)
                t = t.replace(form, "□")
        # 城管部门 / 交通部门: a department named by its field; it counts when exactly one unit fits.
        places = self._issuer_places
        for stem in re.findall(r"([\u4e00-\u9fff]{2})部门", t):
            if stem in places or any(p in stem for p in places):
                continue
            fits = sorted({c for f, c in self._bureau_forms.items() if stem in f})
            if len(fits) <= 3:  # several documents may each have one such unit
                found.extend(c for c in fits if c not in found)
        return found

    def responsibilities(self, canonical: str, doc_ids: list[str] | None = None) -> list[Responsibility]:
        out = []
        # Only the documents that name the bureau can hold its measures (in the order asked for, as before).
        docs = self._bureau_docs.get(canonical, [])
        if doc_ids is not None:
            naming = set(docs)
            docs = [i for i in doc_ids if i in naming]
        for d in (self.documents[i] for i in docs):
            implementer = canonical in [canonical_name(i) for i in d.implementers]
            for m in d.measures:
                named = [b for b in m.bureaus if bureau_key(b) == canonical]
                if named:
                    out.append(Responsibility(d, m, lead=any(b.lead for b in named), implementer=False))
                elif implementer and m.kind == MEASURE:
                    out.append(Responsibility(d, m, lead=False, implementer=True))
        return out

    def all_bureaus(self, doc_ids: list[str] | None = None) -> list[str]:
        if doc_ids is None:
            return list(self._bureaus_all)
        seen: list[str] = []
        for d in self._docs(doc_ids):
            for m in d.measures:
                for b in m.bureaus:
                    if bureau_key(b) not in seen:
                        seen.append(bureau_key(b))
        return seen

    def written_form_in(self, text: str, canonical: str) -> str | None:
        """The form of `canonical` that `text` uses (the question's own wording), longest first."""
        t = fold(text)
        for form in self._forms_sorted:
            if form in t and self._bureau_forms[form] == canonical:
                return form
        return None

    def display_name(self, canonical: str, doc_ids: list[str] | None = None) -> str:
        """The name as the documents write it, for answers: the first written form that carries the level
        (市…) when there is one."""
        if doc_ids is None:
            written = self._written.get(canonical, [])
        else:
            written = [b.name for d in self._docs(doc_ids) for m in d.measures for b in m.bureaus
                       if bureau_key(b) == canonical]
        with_level = [n for n in written if n[:1] == canonical[:1]]
        return (with_level or written or [canonical])[0]

    # -- targets and measures -----------------------------------------------------------------------
    def targets(self, doc_ids: list[str] | None = None) -> list[tuple[Document, Measure, Target]]:
        if doc_ids is None:
            if self._only_targets is not None:
                return [self._targets_all[i] for i in self._only_targets]
            return list(self._targets_all)
        return [(d, m, t) for d in self._docs(doc_ids) for m in d.units() for t in m.targets]

    def measures(self, doc_ids: list[str] | None = None) -> list[tuple[Document, Measure]]:
        if doc_ids is None:
            if self._only_measures is not None:
                return [self._measures_all[i] for i in self._only_measures]
            return list(self._measures_all)
        return [(d, m) for d in self._docs(doc_ids) for m in d.measures if m.kind in (MEASURE, PARAGRAPH)]

    def unit(self, doc_id: str, seq: int) -> Measure | None:
        d = self.documents.get(doc_id)
        return d.measure(seq) if d else None

    def scope_text(self, doc_ids: list[str] | None = None) -> str:
        key = None if doc_ids is None else tuple(doc_ids)
        if key not in self._scope_texts:
            self._scope_texts[key] = "\n".join(u.text for d in self._docs(doc_ids) for u in d.units())
        return self._scope_texts[key]

    def _docs(self, doc_ids: list[str] | None) -> list[Document]:
        if doc_ids is None:
            return list(self.documents.values())
        return [self.documents[i] for i in doc_ids if i in self.documents]


def _stem(source: str) -> str:
    return re.sub(r"\.(pdf|txt|md|docx)$", "", (source or "").strip(), flags=re.I).strip()


def _issuer_places(doc: Document) -> list[str]:
    """The place a document is issued for: 梧州 from 梧州市人民政府…, 连云港 from 连云港市…."""
    out = []
    for text in (doc.title, _stem(doc.source)):
        m = re.match(r"^(?:中共)?([\u4e00-\u9fff]{2,3}?)(?:市|省|自治区|县)", fold(text))
        if m and m.group(1) not in out:
            out.append(m.group(1))
    return out
