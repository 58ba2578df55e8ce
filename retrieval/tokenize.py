"""Chinese tokenizer for BM25: jieba (own instance) + stop words + a user dictionary + number tokens.

Deterministic: the same text and the same user dictionary always give the same tokens, which is what
lets the lexical index cache document tokens and tokenize queries the same way later.
"""
from __future__ import annotations

import hashlib
import logging
import re
import threading
from pathlib import Path
from typing import Iterable

from knowledge.text import nfkc

STOPWORDS_FILE = Path(__file__).with_name("stopwords_zh.txt")

# Whitespace inside CJK text is a PDF line-break artefact ("2030 年", "加快推\n进"); between two ASCII
# letters or digits it separates words ("工业 PON" stays apart from nothing, "EOD 项目" joins).
_SPACE = re.compile(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")
# A number and its unit as one extra token: "1000万千瓦", "30%", "2万人", "1个" match exactly.
_QUANTITY = re.compile(
    r"(\d+(?:\.\d+)?)\s*(%|万千瓦|千瓦|万平方米|平方米|万人|万吨|吨|万元|亿元|元|个|家|座|辆|项|处|条|公里|千米|万辆)"
)
# High enough to beat any split of the word (jieba's dictionary totals ~60M; a split of a 4-character
# word into known words scores below ~1e-6 of it), low enough not to swallow neighbouring characters.
USER_WORD_FREQ = 20000
_KEEP = re.compile(r"[\w%]", re.UNICODE)  # a token must contain a letter/digit/CJK char (or %)
# Entries of a tokenizer's block cache (`block_cache`), about 500 bytes each (a block and its tokens): measured
# 115,209 distinct blocks, 58 MB, in the 42,295 units of 242 corpus-dc documents. Full, it starts again empty.
BLOCK_CACHE = 50_000


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters → ASCII), lower case, PDF whitespace removed."""
    text = nfkc(text).lower()
    return _SPACE.sub("", text)


def load_stopwords(path: Path = STOPWORDS_FILE) -> frozenset[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line)
    return frozenset(words)


_BASE = None
_BASE_LOCK = threading.Lock()


def stock_jieba():
    """The one jieba.Tokenizer with the stock dictionary only, loaded at the first call (about a second) and shared:
    for readers that add no words to it (the scope model's national words, the part-of-speech tagger of
    answer.asked_subject, the place words of answer.identifiers; the global jieba.dt would be one more copy of the
    same dictionary, about 77 MB). A tokenizer that adds words takes its own copy (`fresh_jieba`)."""
    import jieba

    global _BASE
    with _BASE_LOCK:
        if _BASE is None:
            _BASE = jieba.Tokenizer()
            _BASE.initialize()
    return _BASE


def fresh_jieba():
    """A jieba.Tokenizer with the stock dictionary, as if just initialised. Loading the dictionary takes about
    a second and every tokenizer (the search index's, the answer matcher's) needs its own copy to add words
    to: the first one loads it (`stock_jieba`), the others copy its tables (tens of milliseconds)."""
    import jieba

    base = stock_jieba()
    tok = jieba.Tokenizer()
    tok.FREQ = dict(base.FREQ)
    tok.total = base.total
    tok.initialized = True
    return tok


class ChineseTokenizer:
    """`tokenize(text) -> list[str]`; `add_words(words)` extends the user dictionary."""

    def __init__(self, stopwords: Iterable[str] | None = None, search_mode: bool = True, pin_total: bool = False,
                 block_cache: int = 0):
        import jieba

        # jieba logs "Building prefix dict…" at DEBUG through its own logger; keep the console quiet.
        jieba.setLogLevel(logging.WARNING)
        # Own instance: the global jieba.dt is shared with anything else in the process.
        self._jieba = fresh_jieba()
        # jieba adds every user word's frequency to its total, which shifts the score of every segmentation
        # a little: a new word could then re-segment text that does not contain it. Pinned (the search index's
        # tokenizer), a text's tokens change only where a new word occurs, so the lexical index re-tokenizes
        # only those units when an ingest adds words.
        self.pin_total = pin_total
        self._total = self._jieba.total
        self.stopwords = frozenset(stopwords) if stopwords is not None else load_stopwords()
        # Search mode also emits the dictionary words inside a long word (可再生能源 → 再生, 能源,
        # 再生能源), so a question that uses a shorter form still matches.
        self.search_mode = search_mode
        self._user_words: set[str] = set()
        # jieba cuts a text block by block (runs of its re_han characters; the rest one character at a time), and
        # a block's words depend on that block alone: a text's tokens are its blocks' tokens in order. A unit's
        # text is cut as a whole measure and again sentence by sentence, and an ingest re-cuts the library's units
        # that hold a new dictionary word: with `block_cache` entries, each distinct block is cut once, until a
        # new word that occurs in it is added (242 corpus-dc documents: 9.0 s of jieba for every unit, 5.3 s with
        # the cache, identical tokens). See _cut_blocks for why the cache cannot keep a stale cut.
        self._re_han = jieba.re_han_default
        self._block_cache = block_cache
        self._blocks: dict[str, tuple[str, ...]] = {}
        self._blocks_lock = threading.Lock()
        self._blocks_gen = 0  # bumped when a change of the dictionary starts and when it ends
        self._adding = False

    @property
    def user_words(self) -> frozenset[str]:
        return frozenset(self._user_words)

    def is_word(self, word: str) -> bool:
        """`word` is in the dictionary (jieba's, or a user word), not a string jieba's HMM glued together."""
        return (self._jieba.FREQ.get(word) or 0) > 0

    def fingerprint(self, user_words: Iterable[str] | None = None) -> str:
        """Changes whenever tokenization could change: cached document tokens are valid only for it. With
        `user_words`, the fingerprint this tokenizer would have with those user words (a pure computation)."""
        h = hashlib.sha1((b"v2|pinned|" if self.pin_total else b"v1|") + (b"s" if self.search_mode else b"p"))
        for w in sorted(self._user_words if user_words is None else user_words):
            h.update(w.encode("utf-8") + b"\0")
        for w in sorted(self.stopwords):
            h.update(b"-" + w.encode("utf-8"))
        return h.hexdigest()[:16]

    def add_words(self, words: Iterable[str]) -> int:
        """Add user-dictionary words (bureau names, places, policy terms); returns how many were new."""
        new = [w for w in sorted({normalise(w) for w in words if w and w.strip()})
               if len(w) >= 2 and w not in self._user_words]
        if not new:
            return 0
        with self._blocks_lock:
            self._blocks_gen += 1
            self._adding = True
        try:
            for w in new:
                # A fixed frequency, not jieba's suggest_freq (which depends on the words added before):
                # the same word set then gives the same segmentation whatever order it arrived in.
                self._jieba.add_word(w, freq=max(USER_WORD_FREQ, self._jieba.FREQ.get(w) or 0))
                self._user_words.add(w)
            if self.pin_total:
                self._jieba.total = self._total
        finally:
            with self._blocks_lock:
                self._forget_blocks(new)
                self._blocks_gen += 1
                self._adding = False
        return len(new)

    def _forget_blocks(self, words: list[str]) -> None:
        """Drop the cached blocks whose cut the new `words` may change: those that contain one (pinned: a word
        changes only the blocks it occurs in, as LexicalIndex relies on), or every block when the total moved."""
        if not self._blocks:
            return
        if not self.pin_total:
            self._blocks = {}
            return
        from retrieval.lexical import units_containing  # (retrieval.lexical imports this module)

        keys = list(self._blocks)
        for i in units_containing(keys, words, normalised=True):
            del self._blocks[keys[i]]

    def same_but_words(self, fingerprint_words: frozenset[str], fingerprint: str) -> bool:
        """Whether a tokenization with `fingerprint` differs from the current one only by user words that
        were added since (`fingerprint_words` were its words): then only texts containing one of the new words
        tokenize differently."""
        if not self.pin_total or not fingerprint_words <= self._user_words:
            return False
        # computed from the given words, not by swapping this tokenizer's set: a concurrent add_words (a writer,
        # or the BM25 index loading in the background) would write into the swapped set and lose its word
        return self.fingerprint(fingerprint_words) == fingerprint

    def tokenize(self, text: str) -> list[str]:
        text = normalise(text)
        if not text:
            return []
        if self._block_cache:
            tokens = self._cut_blocks(text)
        else:
            cut = self._jieba.cut_for_search(text) if self.search_mode else self._jieba.cut(text)
            tokens = [t for t in cut if t not in self.stopwords and _KEEP.search(t)]
        # jieba already keeps numbers and years ("2030", "1000"); add the number with its unit as one
        # more token ("1000万千瓦", "1个"), since exact figures are what officials ask about.
        seen = set(tokens)
        for m in _QUANTITY.finditer(text):
            q = m.group(1) + m.group(2)
            if q not in seen:
                tokens.append(q)
                seen.add(q)
        return tokens

    def _cut_blocks(self, text: str) -> list[str]:
        """The kept tokens of a normalised text, block by block through the cache: the same list as cutting the
        text whole (jieba's cut splits it with the same pattern first). A cut is cached only if no change of the
        dictionary started or ended while it ran (the generation read before it is still current, and none is
        under way), so a block cut with a half-updated dictionary (add_words in another thread) is never kept."""
        cut = self._jieba.cut_for_search if self.search_mode else self._jieba.cut
        blocks, stop, out = self._blocks, self.stopwords, []
        for blk in self._re_han.split(text):
            if not blk:
                continue
            hit = blocks.get(blk)
            if hit is None:
                gen = self._blocks_gen
                hit = tuple(t for t in cut(blk) if t not in stop and _KEEP.search(t))
                with self._blocks_lock:
                    if gen == self._blocks_gen and not self._adding:
                        if len(self._blocks) >= self._block_cache:
                            self._blocks = {}
                        self._blocks[blk] = hit
                blocks = self._blocks
            out.extend(hit)
        return out

    def __call__(self, text: str) -> list[str]:
        return self.tokenize(text)
