"""The question path's in-memory views of the knowledge store: the catalogue, the earlier editions and the topic
matcher, read at one version of the store and swapped whole (issue 11: questions never wait on an ingest).

A write in this process (`PolicyService.ingest`) rebuilds them before it returns; a write by another process (the
UI's ingest child after each batch, a CLI ingest) changes the store's data_version, and the next question starts a
rebuild in a background thread and is answered from the views it has. The rebuild reads the store through a
connection of its own, so a question's short look-ups on the service's connection never queue behind it, keeps the
documents the current views hold (a stored document never changes: a changed file gets a new doc_id; its derived
knowledge changes only when re-derived, which raises its extraction version), reads only the new ones, and builds
the new matcher too when one is in use, so the first question after the swap builds nothing.

Another process's ingest commits each document on its own (data_version moves every second or so), and a rebuild
per commit kept this process rebuilding for most of an ingest, taking the GIL from the questions it answers. The
background rebuild therefore coalesces: it starts once the store has been quiet for `SETTLE_S`, or `MAX_STALE_S`
after it saw the change, and not sooner after the previous background rebuild than twice that one's time, so that
rebuilding takes at most about a third of the time; a question is never answered from views more than
`MAX_STALE_S` plus one rebuild behind the store. A caller that waits (`current(wait=True)`) rebuilds at once."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace

import gc_pause
import timing_log
from answer.matcher import build_matcher
from knowledge.catalog import Catalog
from knowledge.editions import editions, superseded


@dataclass
class Views:
    """Everything a question reads about the library, at store version `version`; never mutated but for the
    caches filled on first use (the matcher, catalogues with earlier editions), each under `_lock`."""
    version: int
    catalog: Catalog
    superseded: frozenset[str]
    edition_groups: dict[str, list[str]]  # doc_id → its policy's editions, oldest first
    most_editions: int
    derived: dict[str, int] = field(default_factory=dict)  # doc_id → the extraction version its knowledge is of
    matcher: object | None = None
    edition_catalogs: dict[tuple, Catalog] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def topic_matcher(self):
        matcher = self.matcher
        if matcher is None:
            with self._lock:
                if self.matcher is None:
                    with timing_log.span("matcher-build"):
                        self.matcher = build_matcher(self.catalog)
                matcher = self.matcher
        return matcher

    def with_earlier(self, earlier: tuple[str, ...], store) -> Catalog:
        """The catalogue plus some earlier editions (asked for by id), read from `store` once per views."""
        with self._lock:
            cached = self.edition_catalogs.get(earlier)
            if cached is None:
                docs = list(self.catalog.documents.values()) + store.get_documents(list(earlier))
                cached = self.edition_catalogs[earlier] = Catalog(docs)
            return cached


def read_views(store, version: int, held: Views | None, matcher: bool) -> Views:
    """The views at `version`, read from `store`; documents `held` already has are reused, not read again."""
    with timing_log.span("catalog-reload"):
        order, facts = store.ingest_order(), store.edition_facts()
        earlier = superseded(order, facts)  # earlier editions answer only when asked for by id
        groups = editions(order, facts)
        derived = store.extraction_versions()
        have = held.catalog.documents if held is not None else {}
        if held is not None:  # a document derived again (service_documents.rederive) is read again
            have = {d: doc for d, doc in have.items() if held.derived.get(d) == derived.get(d)}
        heads = [i.doc_id for i in store.documents() if i.doc_id not in earlier]
        if held is not None and heads == list(held.catalog.documents) == list(have) \
                and held.superseded == frozenset(earlier):
            # The store moved but not its documents (the writer's ledger of indexed documents, written after each
            # batch's index writes: half of the version changes an ingest makes). A stored document never
            # changes, so the held catalogue and matcher are the views at this version too: no rebuild.
            return replace(held, version=version)
        fresh = [i for i in heads if i not in have]
        loaded = {d.doc_id: d for d in store.get_documents(fresh)} if fresh else {}
        docs = [have.get(i) or loaded.get(i) for i in heads]
        views = Views(version=version, catalog=Catalog([d for d in docs if d is not None]),
                      superseded=frozenset(earlier), derived=derived,
                      edition_groups={d: ids for ids in groups.values() for d in ids},
                      most_editions=max((len(ids) for ids in groups.values()), default=1))
    if matcher:
        views.topic_matcher()
    return views


SETTLE_S = 0.3  # the store quiet this long: the writer's burst of commits is over
MAX_STALE_S = 2.0  # at most this long after a change is seen, the rebuild starts anyway
POLL_S = 0.1


class ViewKeeper:
    """Holds the current `Views` and rebuilds them: `current(wait=True)` returns views at the store's present
    version (building them, or waiting for the rebuild under way); `current(wait=False)` returns the views at
    hand at once and, when the store has moved on, starts a rebuild in the background (one at a time).
    `open_reader()` opens the rebuilds' own connection to the store; `version()` reads the store's data_version."""

    def __init__(self, version, open_reader):
        self._version = version
        self._open_reader = open_reader
        self._reader = None
        self._views: Views | None = None
        self._build = threading.Lock()  # one rebuild at a time
        self._background = threading.Lock()  # held while a background rebuild is pending or running
        self._last_end = 0.0  # time.monotonic() at the end of the last background rebuild
        self._last_cost = 0.0  # and how long it took
        self.background_rebuilds = 0

    def current(self, wait: bool = True) -> Views:
        views = self._views
        if views is not None and views.version == self._version():
            return views
        if views is not None and not wait:
            self._rebuild_in_background()
            return views
        return self.rebuild(force=False)

    def rebuild(self, force: bool = True) -> Views:
        """Read the views again (force: even if the version did not change, after this process's own write,
        which leaves its connection's data_version alone) and swap them in."""
        with self._build:
            held, version = self._views, self._version()
            if not force and held is not None and held.version == version:
                return held  # another thread rebuilt meanwhile
            if self._reader is None:
                self._reader = self._open_reader()
            with gc_pause.paused():  # the new catalogue is walked by no collection (gc_pause.resettle)
                views = read_views(self._reader, version, held, matcher=held is not None and held.matcher is not None)
                self._views = views
                if views.catalog is not getattr(held, "catalog", None):
                    gc_pause.resettle()
            return views

    def held(self) -> bool:
        """Whether views were built (and not dropped since)."""
        return self._views is not None

    def drop(self) -> None:
        """Forget the views (a failed write): the next question reads the store."""
        with self._build:
            self._views = None

    def close(self) -> None:
        with self._build:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def _rebuild_in_background(self) -> None:
        if not self._background.acquire(blocking=False):
            return  # a rebuild is already on its way

        def run() -> None:
            try:
                self._settle()
                start = time.monotonic()
                with timing_log.span("views-rebuild"):
                    self.rebuild(force=False)
                self._last_end = time.monotonic()
                self._last_cost = self._last_end - start
                self.background_rebuilds += 1
            except Exception:  # noqa: BLE001 - the next question tries again; the current views keep answering
                import logging

                logging.getLogger("policyqa.service").exception("rebuilding the catalogue failed")
            finally:
                self._background.release()

        threading.Thread(target=run, name="catalog-reload", daemon=True).start()

    def _settle(self) -> None:
        """Wait (off the question path) until the store is quiet for SETTLE_S and the last background rebuild is
        twice its cost behind, but no longer than MAX_STALE_S."""
        seen = time.monotonic()
        deadline = seen + MAX_STALE_S
        not_before = min(self._last_end + 2 * self._last_cost, deadline)
        version, quiet_since = self._version(), seen
        while True:
            now = time.monotonic()
            if now >= deadline or (now >= not_before and now - quiet_since >= SETTLE_S):
                return
            time.sleep(POLL_S)
            v = self._version()
            if v != version:
                version, quiet_since = v, time.monotonic()
