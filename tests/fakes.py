"""Fakes shared by tests (real behaviour, no network or model): used where the search index is beside the point."""
from __future__ import annotations


class NoSearchIndex:
    """A search index that indexes nothing: comparing stored documents needs no retrieval, and skipping the
    encoder keeps those tests fast."""

    def add_many(self, docs):
        pass

    def remove(self, doc_id):
        pass

    def reset(self):
        pass
