"""Helpers shared by the tabs."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

ALL_DOCS = ""  # the dropdown value of 全部文件
log = logging.getLogger("policyqa.ui")


@dataclass
class Page:
    """What web.py needs from a tab: the components to refresh when documents change, and how."""
    outputs: list = field(default_factory=list)
    refresh: Callable[[], list] = lambda: []
    changed: list = field(default_factory=list)  # events that change the documents (upload, remove)


def doc_choices(service, with_all: bool = True) -> list[tuple[str, str]]:
    """[(label, doc_id)] for a dropdown, "全部文件" first."""
    choices = [("全部文件", ALL_DOCS)] if with_all else []
    choices += [(d.title, d.doc_id) for d in service.documents()]
    return choices


def bureaus_of(service, citation) -> list:
    """The Bureau objects of the cited unit (found by seq, or by measure number for old citations)."""
    unit = _unit(service, citation)
    return list(unit.bureaus) if unit is not None else []


def kind_of(service, citation) -> str:
    unit = _unit(service, citation)
    return unit.kind if unit is not None else "measure"


def _unit(service, citation):
    doc = service.catalog.documents.get(citation.doc_id)
    if doc is None:
        return None
    if citation.seq:
        unit = doc.measure(citation.seq)
        if unit is not None:
            return unit
    return next((m for m in doc.measures if m.no == citation.measure_no), None)
