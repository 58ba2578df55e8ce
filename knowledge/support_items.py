"""Support items as data (knowledge/support.py reads them from policy text): the `SupportItem` and `Field`
dataclasses, the dict shapes of a sum, a rate and an application window, and the item's JSON round trip (the
store keeps items as JSON)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from knowledge.support_fields import Money, Rate
from knowledge.support_windows import Window


@dataclass
class Field:
    """A value and the sentence it comes from; `document_wide` when linked from another unit of the document."""
    text: str
    sentence: str
    document_wide: bool = False
    label: str = ""  # the unit it was read in, when document-wide


@dataclass
class SupportItem:
    kind: str
    quote: str  # the sentence the item comes from: an exact substring of the unit text
    amount: dict | None = None  # {text, wan, sentence}
    rate: dict | None = None  # {text, value, unit, base, sentence}
    cap: dict | None = None  # {text, wan, sentence}
    tiers: list[dict] = field(default_factory=list)  # [{tier, amount, wan, sentence}]
    applicants: list[Field] = field(default_factory=list)
    conditions: list[Field] = field(default_factory=list)
    exclusions: list[Field] = field(default_factory=list)
    window: dict | None = None  # {start, end, start_iso, end_iso, sentence, document_wide, label}
    office: Field | None = None
    # Further sentences of what is granted, beside the quote (329: 当年不足抵免的，可以在以后5个纳税年度结转抵免).
    terms: list[Field] = field(default_factory=list)
    seq: int | None = None  # the unit (set by link_support)
    label: str = ""
    # "call": a call read from its deadline's sentence (265, 583, 229, 139); "grant": support granted without a sum
    # (314 给予费率优惠, 322, 139 给予一定形式的奖励); "" for an item read from its figures or a guide's entry.
    shape: str = ""
    # What an application hands in (申报材料如下：…, 应当提供登记申请表…): each statement of papers of the document
    # (knowledge.support_materials), those of the item's own unit first, the others marked document_wide.
    materials: list[Field] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def states_figure(item: SupportItem) -> bool:
    """The item states a sum, a rate, a ceiling or tiers (not a call dated by its deadline, nor a grant without a sum)."""
    return bool(item.amount or item.rate or item.cap or item.tiers)


def money_dict(m: Money, sentence: str) -> dict:
    """{text, wan, sentence}, and `low_wan` for a range (200-500万元: wan 500, the ceiling; low_wan 200)."""
    d = {"text": m.text, "wan": m.wan, "sentence": sentence}
    if m.low is not None:
        d["low_wan"] = m.low
    return d


def rate_dict(r: Rate, sentence: str) -> dict:
    return {"text": r.text, "value": r.value, "unit": r.unit, "base": r.base, "sentence": sentence}


def window_dict(w: Window, sentence: str, document_wide: bool = False, label: str = "") -> dict:
    return {"start": w.start, "end": w.end, "start_iso": w.start_iso, "end_iso": w.end_iso,
            "sentence": sentence, "document_wide": document_wide, "label": label}


def item_from_json(d: dict) -> SupportItem:
    """Inverse of `SupportItem.to_json` (the store keeps items as JSON)."""
    def f(x):
        return Field(**x) if isinstance(x, dict) else x
    return replace(SupportItem(kind=d["kind"], quote=d["quote"]), amount=d.get("amount"), rate=d.get("rate"),
                   cap=d.get("cap"), tiers=d.get("tiers") or [], window=d.get("window"),
                   applicants=[f(x) for x in d.get("applicants") or []],
                   conditions=[f(x) for x in d.get("conditions") or []],
                   exclusions=[f(x) for x in d.get("exclusions") or []], terms=[f(x) for x in d.get("terms") or []],
                   materials=[f(x) for x in d.get("materials") or []],
                   office=f(d["office"]) if d.get("office") else None, seq=d.get("seq"), label=d.get("label", ""),
                   shape=d.get("shape", ""))
