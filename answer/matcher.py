"""The topic matcher the service builds over its catalogue: answer evidence's TopicMatcher whose dictionary knows
the library's bureau names and places, with a tokenizer that remembers the cut of each text."""
from __future__ import annotations

from knowledge.catalog import Catalog


class MemoTokenizer:
    """The matcher's tokenizer, remembering the cut of each text it saw (the enterprise answer cuts every
    sentence that names the asked industry, hundreds in a library); forgotten when the dictionary grows."""

    LIMIT = 200_000

    def __new__(cls):
        from retrieval.tokenize import ChineseTokenizer

        class Memo(ChineseTokenizer):
            def __init__(self):
                super().__init__(search_mode=False)
                self._memo: dict[str, list[str]] = {}

            def add_words(self, words) -> int:
                added = super().add_words(words)
                if added:
                    self._memo = {}
                return added

            def tokenize(self, text: str) -> list[str]:
                memo = self._memo
                got = memo.get(text)
                if got is None:
                    got = super().tokenize(text)
                    if len(memo) < cls.LIMIT:
                        memo[text] = got
                return list(got)

        return Memo()


def build_matcher(catalog: Catalog):
    from answer.evidence import TopicMatcher

    words = set(catalog.all_bureaus()) | {p for d in catalog.documents.values() for m in d.units() for p in m.places}
    matcher = TopicMatcher(tokenizer=MemoTokenizer(), place_words=catalog.issuer_places() | {"国家", "全国", "中央"})
    matcher.add_words(words | catalog.issuer_places())
    return matcher
