"""The document model: document → sections → measures (the unit of citation).

Plain dataclasses, no I/O. `ingest.structure.parse` builds them, `knowledge.extract` fills in bureaus,
targets and entities, `knowledge.store` persists them, retrieval and answering read them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Sentence kinds (SPEC: obligation / encouragement / support / target / restriction).
OBLIGATION = "obligation"
RESTRICTION = "restriction"
ENCOURAGEMENT = "encouragement"
SUPPORT = "support"
TARGET = "target"
OTHER = "other"
SENTENCE_KINDS = (OBLIGATION, RESTRICTION, ENCOURAGEMENT, SUPPORT, TARGET, OTHER)

# Unit kinds: a numbered measure, or a paragraph of a document without measure structure.
MEASURE = "measure"
PARAGRAPH = "paragraph"
# Text outside any measure that still must be searchable: the preamble, a section's own text.
PREAMBLE = "preamble"
SECTION_TEXT = "section_text"


@dataclass(frozen=True)
class Bureau:
    name: str  # as written, obvious typos fixed
    canonical: str  # one full official name per unit
    aliases: tuple[str, ...] = ()
    lead: bool = False  # 牵头
    implementer: bool = False  # document-wide implementer (各县区政府 …), not named in the measure


@dataclass(frozen=True)
class Target:
    year: int | None
    indicator: str
    comparator: str  # 超 / 以上 / 达 / 左右 / 不低于 / 下降 / … ("" when the sentence has none)
    value: str  # the number as written, e.g. "1000", "9.5", "2"
    unit: str  # 万千瓦, %, 万人, 万平方米, 个 …
    text: str  # the sentence it comes from (exact substring of the measure text)

    @property
    def quantity(self) -> str:
        return f"{self.value}{self.unit}"


@dataclass(frozen=True)
class Sentence:
    text: str  # exact substring of the measure text
    kind: str
    industries: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


@dataclass
class Section:
    no: int
    title: str


@dataclass
class Measure:
    seq: int  # position among the document's units, 1-based, unique (numbers restart per section in some files)
    no: int  # the integer of （五） → 5; paragraph number for paragraph units
    section_no: int | None
    title: str
    text: str  # cleaned full text, heading included
    page: int
    kind: str = MEASURE
    bureaus: list[Bureau] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    # The unit's numbering as the document writes it, with its ancestors' numbering where numbers restart
    # (`（五）`, `第十九条`, `第三章 第二节 （三）`, `附件1 三、（二）2.`): what citations and the UI show.
    label: str = ""
    # Headings above the unit, outermost first, each as written (`第三章 推进能源绿色低碳转型`).
    path: list[str] = field(default_factory=list)
    deadline: str = ""  # 完成时限 / 截止 as written, "" when the unit sets none
    support: list = field(default_factory=list)  # this unit's support items (knowledge.support.SupportItem)


@dataclass
class Document:
    doc_id: str
    title: str
    source: str  # file name
    pages: int
    content_hash: str
    sections: list[Section] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Units that implement every measure (e.g. 各县区政府、功能板块管委会 in the primary document).
    implementers: list[str] = field(default_factory=list)
    # Preamble and section text (kind PREAMBLE / SECTION_TEXT, no=0): searchable, not measures.
    extra_units: list[Measure] = field(default_factory=list)
    # Support items (knowledge.support.SupportItem) of every unit, with document-wide facts linked.
    support_items: list = field(default_factory=list)
    # Heading levels the document uses, outermost first (`第X章`, `第X节`, `一、`, `（一）` …).
    levels: list[str] = field(default_factory=list)
    # Front matter: notice_title (关于印发…的通知), doc_number (文号), issuer, issued, effective, expires.
    meta: dict = field(default_factory=dict)

    def units(self) -> list[Measure]:
        """Everything searchable, in document order."""
        return sorted(self.measures + self.extra_units, key=lambda m: m.seq)

    def measure(self, seq: int) -> Measure | None:
        for m in self.measures + self.extra_units:
            if m.seq == seq:
                return m
        return None

    def section(self, no: int | None) -> Section | None:
        for s in self.sections:
            if s.no == no:
                return s
        return None

    def inspect_json(self) -> dict:
        """The `inspect --json` shape of SPEC: every indexed unit in `units`; `measures` for numbered measures."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "pages": self.pages,
            "levels": self.levels,
            "meta": self.meta,
            "sections": [{"no": s.no, "title": s.title} for s in self.sections],
            "units": [
                {"label": u.label, "path": u.path, "kind": u.kind, "title": u.title, "text": u.text, "page": u.page,
                 "bureaus": [_bureau_json(b) for b in u.bureaus],
                 "targets": [asdict(t) for t in u.targets], "deadline": u.deadline,
                 "support": [asdict(x) if hasattr(x, "__dataclass_fields__") else x
                             for x in getattr(u, "support", [])]}
                for u in self.units()
            ],
            "measures": [
                {
                    "no": m.no,
                    "section_no": m.section_no,
                    "label": m.label,
                    "title": m.title,
                    "text": m.text,
                    "page": m.page,
                    "kind": m.kind,
                    "bureaus": [_bureau_json(b) for b in m.bureaus],
                    "targets": [asdict(t) for t in m.targets],
                    "industries": m.industries,
                    "places": m.places,
                }
                for m in self.measures
            ],
            "implementers": self.implementers,
            "warnings": self.warnings,
        }


def _bureau_json(b: Bureau) -> dict:
    return {"name": b.name, "canonical": b.canonical, "aliases": list(b.aliases), "lead": b.lead,
            "implementer": b.implementer}
