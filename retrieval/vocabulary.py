"""Vocabulary: the tokenizer's user dictionary and the colloquial → official query expansion."""
from __future__ import annotations

import re
from pathlib import Path

from knowledge.model import Document
from retrieval.tokenize import normalise

TERMS_FILE = Path(__file__).with_name("terms_zh.txt")
SYNONYMS_FILE = Path(__file__).with_name("synonyms_zh.txt")

# “绿电进园区”, “无废城市”, “一张网”: a document's quoted phrases are its own named programmes.
_QUOTED = re.compile(r"[“\"]([^”\"]{2,12})[”\"]")


def _lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


def curated_terms(path: Path = TERMS_FILE) -> set[str]:
    return set(_lines(path))


def dictionary_words(doc: Document) -> set[str]:
    """Words a document contributes to the user dictionary: bureau names and aliases (with and
    without the 市 prefix), places, industries and its quoted phrases."""
    words: set[str] = set()
    for m in doc.measures + doc.extra_units:
        for b in m.bureaus:
            for name in (b.name, b.canonical, *b.aliases):
                words.add(name)
                if name[:1] in "市省县区" and len(name) >= 4:
                    words.add(name[1:])
        words.update(m.industries)
        words.update(m.places)
        for s in m.sentences:
            words.update(s.industries)
            words.update(s.places)
        words.update(_QUOTED.findall(m.text))
    return {w for w in words if 2 <= len(w) <= 20}


def kind_words(terms) -> frozenset[str]:
    """The words the vocabulary itself uses as the first part of its compounds: 海上 (海上光伏), 陆上 (陆上风电),
    分布式 (分布式光伏), 新型 (新型储能) — a prefix of two characters or more whose rest is itself a term of `terms`,
    the prefix not being one (风电光伏 is two terms side by side, not a kind of 光伏). Read from the vocabulary, so a
    term added to it brings its kind word along."""
    terms = set(terms)
    return frozenset(t[:i] for t in terms for i in range(2, len(t) - 1)
                     if t[i:] in terms and t[:i] not in terms)


def _section(path: Path, name: str) -> list[str]:
    """The entries of one `# [name]` block of a synonyms file (up to the next `# [...]` header). A block the file
    does not have is an error, not an empty block: the scope model would read questions without their official
    terms and nothing would say so."""
    out, inside, found = [], False, False
    for ln in path.read_text(encoding="utf-8").splitlines():
        s = ln.strip()
        if s.startswith("# ["):
            inside = s.startswith(f"# [{name}]")
            found = found or inside
        elif inside and s and not s.startswith("#"):
            out.append(s)
    if not found:
        raise ValueError(f"{path.name}: no '# [{name}]' block")
    return out


class QueryExpander:
    """Appends the official term for every colloquial form found in a question (never removes).
    `section`: only the entries of that `# [section]` block (the scope model reads the abbreviations only)."""

    def __init__(self, path: Path = SYNONYMS_FILE, section: str | None = None):
        pairs: list[tuple[str, str]] = []
        for line in (_section(path, section) if section else _lines(path)):
            official, sep, forms = line.partition("=")
            if not sep:
                raise ValueError(f"{path.name}: expected 'official = form, form', got {line!r}")
            for form in re.split(r"[,，]", forms):
                if form.strip():
                    pairs.append((normalise(form.strip()), official.strip()))
        self._pairs = pairs

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """(colloquial form, official term), normalised forms."""
        return list(self._pairs)

    def terms(self, question: str) -> list[str]:
        q = normalise(question)
        out: list[str] = []
        for form, official in self._pairs:
            if form in q and official not in out and normalise(official) not in q:
                out.append(official)
        return out

    def expand(self, question: str) -> str:
        extra = self.terms(question)
        return f"{question} {' '.join(extra)}" if extra else question
