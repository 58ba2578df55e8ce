"""Run a test set through the service, the same `ask` path as the CLI, and score it.

`load_testset` validates the file line by line; `run` asks every question, writes one SPEC `ask --json`
object (plus the item's `id`) per line, and returns per-item scores and aggregate `Metrics`.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from errors import PolicyQAError

from .metrics import ItemScore, Metrics, TestItem, aggregate, normalize, score_item

REQUIRED_FIELDS = ("id", "question", "type", "gold_measures", "must_contain", "answerable")


class TestSetError(PolicyQAError):
    """A test-set file is malformed; the message names the file and line."""

    __test__ = False


# ------------------------------------------------------------------------------------------ loading


def _item_from_obj(obj: Any, where: str) -> TestItem:
    if not isinstance(obj, dict):
        raise TestSetError(f"{where}: 应为 JSON 对象，实际为 {type(obj).__name__}")
    missing = [f for f in REQUIRED_FIELDS if f not in obj]
    if missing:
        raise TestSetError(f"{where}: 缺少字段 {', '.join(missing)}")
    if not isinstance(obj["id"], (str, int)) or str(obj["id"]).strip() == "":
        raise TestSetError(f"{where}: 'id' 须为非空字符串")
    if not isinstance(obj["question"], str) or not obj["question"].strip():
        raise TestSetError(f"{where}: 'question' 须为非空字符串")
    if not isinstance(obj["type"], str) or not obj["type"].strip():
        raise TestSetError(f"{where}: 'type' 须为非空字符串")
    gold = obj["gold_measures"]
    # bool is an int subclass: reject it explicitly
    if not isinstance(gold, list) or not all(isinstance(g, int) and not isinstance(g, bool) for g in gold):
        raise TestSetError(f"{where}: 'gold_measures' 须为整数列表")
    terms = obj["must_contain"]
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise TestSetError(f"{where}: 'must_contain' 须为字符串列表")
    if not isinstance(obj["answerable"], bool):
        raise TestSetError(f"{where}: 'answerable' 须为 true 或 false")
    doc = obj.get("doc")
    if doc is not None and not isinstance(doc, str):
        raise TestSetError(f"{where}: 'doc' 填写时须为字符串")
    return TestItem(
        id=str(obj["id"]),
        question=obj["question"],
        type=obj["type"].strip(),
        gold_measures=tuple(gold),
        must_contain=tuple(terms),
        answerable=obj["answerable"],
        doc=(doc.strip() or None) if doc else None,
        gold_quote=str(obj.get("gold_quote") or ""),
        split=str(obj.get("split") or ""),
        file=str(obj.get("file") or ""),
    )


def load_testset(path: str | Path) -> list[TestItem]:
    """Read a JSONL test set; raise TestSetError naming the line of the first bad one (in Chinese: the 评测 page
    shows it to the user who uploaded the set).

    Blank lines are skipped. Ids must be unique.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise TestSetError(f"{path}: 无法读取测试集：{e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise TestSetError(f"{path}: 不是 UTF-8 文本") from e
    items: list[TestItem] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise TestSetError(f"{where}: 不是有效的 JSON（第 {e.colno} 列：{e.msg}）") from e
        item = _item_from_obj(obj, where)
        if item.id in seen:
            raise TestSetError(f"{where}: 重复的 id {item.id!r}（首次出现在第 {seen[item.id]} 行）")
        seen[item.id] = lineno
        items.append(item)
    if not items:
        raise TestSetError(f"{path}: 测试集为空")
    return items


# ----------------------------------------------------------------------------------- doc resolution


def _stem(source: str) -> str:
    return Path(source or "").stem


def matching_docs(documents: Sequence[Any], ref: str) -> tuple[str, ...]:
    """doc_ids of the knowledge base that `ref` names: by doc_id, title or file name (NFKC, spaces
    ignored); failing that, by containment either way. Several when the same document was ingested
    twice (a .txt and a .pdf of one text share a title); in knowledge-base order."""
    exact_id = [d.doc_id for d in documents if d.doc_id == ref]
    if exact_id:
        return tuple(exact_id)
    key = normalize(ref)
    names = [(d.doc_id, normalize(d.title), normalize(_stem(getattr(d, "source", "")))) for d in documents]
    exact = [i for i, title, stem in names if key in (title, stem)]
    if exact or not key:
        return tuple(exact)
    return tuple(i for i, title, stem in names
                 if (title and (key in title or title in key)) or (stem and (key in stem or stem in key)))


def resolve_docs(documents: Sequence[Any], items: Sequence[TestItem]) -> dict[str, tuple[str, ...]]:
    """Map each item's `doc` (a doc_id, a title or a file name) to the matching doc_ids; an item whose `doc`
    matches nothing but whose `file` names an ingested file resolves by that file (a writer's title may differ from the
    stored one in a dash or a wrapper, 2022-2025 against 2022―2025).

    Raises TestSetError listing every doc that is not in the knowledge base: scoring against a
    missing document would be meaningless.
    """
    out: dict[str, tuple[str, ...]] = {}
    unknown: dict[str, list[str]] = {}
    for it in items:
        if not it.doc or it.doc in out:
            if it.doc in unknown:
                unknown[it.doc].append(it.id)
            continue
        ids = matching_docs(documents, it.doc)
        if not ids and it.file:
            ids = matching_docs(documents, _stem(it.file))
        if ids:
            out[it.doc] = ids
        else:
            unknown.setdefault(it.doc, []).append(it.id)
    if unknown:
        lines = [f"  {doc!r} (items {', '.join(ids[:5])}{' …' if len(ids) > 5 else ''})"
                 for doc, ids in unknown.items()]
        known = "\n".join(f"  {d.doc_id}  {d.title}" for d in documents) or "  none"
        raise TestSetError(
            "documents named by the test set are not in the knowledge base (ingest them first, "
            "e.g. with --ingest PATH):\n" + "\n".join(lines) + f"\nknown documents:\n{known}"
        )
    return out


# ------------------------------------------------------------------------------------------ running


@dataclass
class ItemResult:
    item: TestItem
    record: dict  # the line written to --out: SPEC ask shape + id
    score: ItemScore
    ranked: list[tuple[str, int]]  # (doc_id, measure_no) as retrieved, for the report
    error: str | None = None
    doc_ids: tuple[str, ...] = ()  # the knowledge-base documents the item's `doc` names


@dataclass
class RunResult:
    items: list[ItemResult]
    metrics: Metrics
    baseline: Any = None  # eval.baseline.BaselineResult when computed
    meta: dict = field(default_factory=dict)

    @property
    def failures(self) -> list[ItemResult]:
        return [r for r in self.items if r.score.failed or r.error]


Progress = Callable[[int, int, ItemResult], None]


class _Units:
    """Measure numbers and stored texts of the knowledge base's units, read through the service.

    Retrieval hits may name a unit by `seq` (its unique position) rather than by measure number, and
    measure numbers can repeat within a document (numbering restarting per section), so a quote is
    checked against every unit of its document that bears the cited number.
    """

    def __init__(self, service: Any, documents: Sequence[Any]):
        self.service = service
        self.titles = {normalize(d.title): d.doc_id for d in documents}
        self._docs: dict[str, Any] = {}

    def _document(self, doc_id: str) -> Any:
        if doc_id not in self._docs:
            get = getattr(self.service, "document", None)
            self._docs[doc_id] = get(doc_id) if callable(get) else None
        return self._docs[doc_id]

    def key(self, hit: Any) -> tuple[str | None, int | None]:
        """(doc_id, measure_no) of a retrieval hit or a citation dict, whatever its exact shape."""
        get = hit.get if isinstance(hit, dict) else (lambda k, d=None: getattr(hit, k, d))
        doc_id = get("doc_id")
        if doc_id is None and get("doc_title") is not None:
            doc_id = self.titles.get(normalize(get("doc_title")))
        no = get("measure_no")
        if no is None:
            no = get("no")
        if no is None and get("seq") is not None and doc_id is not None:
            doc = self._document(doc_id)
            unit = doc.measure(get("seq")) if doc is not None else None
            no = unit.no if unit is not None else None
        return doc_id, no

    def text_for(self, doc_id: str | None, no: int | None, quote: str) -> str | None:
        """The stored text of the cited unit: the one containing the quote among the units with that
        number, else the first of them; None when the document has no such unit."""
        if doc_id is None or no is None:
            return None
        doc = self._document(doc_id)
        if doc is None:
            return self.service.unit_text(doc_id, no)
        texts = [u.text for u in doc.units() if u.no == no]
        return next((t for t in texts if quote and quote in t), texts[0] if texts else None)


def _squash(text: str) -> str:
    return "".join(normalize(text).split())


def quote_units(units: "_Units", doc_ids: Collection[str], quote: str) -> set[int]:
    """Seqs of the units (of the item's documents) that hold the gold quote, whitespace ignored; a quote cut
    by a unit boundary is found by its first or last 15 characters."""
    q = _squash(quote)
    if not q:
        return set()
    found: set[int] = set()
    probes = [q] if len(q) <= 30 else [q, q[:15], q[-15:]]
    for doc_id in doc_ids:
        doc = units._document(doc_id)
        if doc is None:
            continue
        for probe in probes:
            found |= {u.seq for u in doc.units() if probe in _squash(u.text)}
            if found:
                break
    return found


def _ranked_seqs(items: Sequence[Any], doc_ids: Collection[str]) -> list[int | None]:
    out: list[int | None] = []
    for h in items:
        get = h.get if isinstance(h, dict) else (lambda k, d=None: getattr(h, k, d))
        d, seq = get("doc_id"), get("seq")
        key = seq if (d in doc_ids and seq is not None) else None
        if key is None or key not in out:
            out.append(key)
    return out


def _ranked_keys(keys: Sequence[tuple[str | None, int | None]], doc_ids: Collection[str]) -> list[int | None]:
    """Measure numbers in rank order, deduplicated; a unit of another document keeps its place as None."""
    out: list[int | None] = []
    seen = set()
    for d, no in keys:
        if (d, no) in seen:
            continue
        seen.add((d, no))
        out.append(no if (not doc_ids or d in doc_ids) else None)
    return out


def _answer_json(answer: Any) -> dict:
    return answer.to_json() if hasattr(answer, "to_json") else dict(answer)


def run(
    service: Any,
    items: Sequence[TestItem],
    out: str | Path | None = None,
    *,
    scope_doc: bool = True,
    top_k: int = 5,
    with_baseline: bool = False,
    baseline_encoder: Any = None,
    threads: int = 2,
    progress: Progress | None = None,
    show_progress: bool = True,
) -> RunResult:
    """Ask every item through `service.ask`, write results to `out` (JSONL), score and aggregate.

    scope_doc: ask within the item's document (`ask --doc`), as a user with the document filter
    would; the test set's unanswerable items are unanswerable *for that document*.
    Retrieval metrics come from `service.retrieve` when the service has it, else from the citations.
    with_baseline: also evaluate the fixed-size-chunk vector baseline (eval.baseline) on the same items.
    progress: called after each item with (done, total, item_result), e.g. by the UI's progress bar.
    """
    from tqdm import tqdm

    documents = list(service.documents())
    doc_map = resolve_docs(documents, items)
    units = _Units(service, documents)
    has_retrieve = callable(getattr(service, "retrieve", None))

    out_file = None
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        out_file = open(out, "w", encoding="utf-8")  # noqa: SIM115 - closed in finally
    results: list[ItemResult] = []
    started = time.time()
    try:
        bar = tqdm(total=len(items), desc="eval", unit="q", disable=not show_progress)
        for item in items:
            doc_ids = doc_map.get(item.doc, ()) if item.doc else ()
            # ask with the doc_id, as `ask --doc DOC_ID` would: a title shared by two ingested
            # copies of one document would be ambiguous
            ask_doc = doc_ids[0] if (scope_doc and doc_ids) else None
            error = None
            t0 = time.perf_counter()
            try:
                record = _answer_json(service.ask(item.question, doc=ask_doc))
            except Exception as e:  # one broken question must not end the run; it is scored as failed
                error = f"{type(e).__name__}: {e}"
                record = {"question": item.question, "answer": "", "refused": False, "citations": []}
            latency_ms = (time.perf_counter() - t0) * 1000.0
            record = {"id": item.id, **record, "latency_ms": round(latency_ms, 2)}
            if error:
                record["error"] = error

            citations = record.get("citations") or []
            cite_keys = [units.key(c) for c in citations]
            if has_retrieve and not error:
                hits = service.retrieve(item.question, top_k=top_k, doc=ask_doc)
                keys = [units.key(h) for h in hits]
            else:
                keys = cite_keys
            quotes = [(c.get("quote") or "", units.text_for(d, no, c.get("quote") or ""))
                      for c, (d, no) in zip(citations, cite_keys)]
            ranked, cited, scored = _ranked_keys(keys, doc_ids), _ranked_keys(cite_keys, doc_ids), item
            if not item.gold_measures and item.gold_quote and item.answerable and doc_ids:
                # gold by passage: rank units by seq (measure numbers repeat across sections)
                gold_seqs = quote_units(units, doc_ids, item.gold_quote)
                if gold_seqs and has_retrieve and not error:
                    ranked = _ranked_seqs(hits, doc_ids)
                    cited = _ranked_seqs(citations, doc_ids)
                    scored = replace(item, gold_measures=tuple(sorted(gold_seqs)))
            score = score_item(
                scored,
                answer=record.get("answer") or "",
                refused=bool(record.get("refused")),
                ranked=ranked,
                cited=cited,
                quotes=quotes,
                latency_ms=latency_ms,
                question=item.question,
                error=error,
                titles=[c.get("doc_title") or "" for c in citations],
            )
            result = ItemResult(item, record, score, list(dict.fromkeys(keys)), error, doc_ids)
            results.append(result)
            if out_file:
                out_file.write(json.dumps(record, ensure_ascii=False) + "\n")
                out_file.flush()  # partial results survive an interrupted run
            bar.update(1)
            if progress:
                progress(len(results), len(items), result)
        bar.close()
    finally:
        if out_file:
            out_file.close()

    metrics = aggregate([r.score for r in results])
    baseline = None
    if with_baseline:
        from .baseline import evaluate as evaluate_baseline

        baseline = evaluate_baseline(
            service, items, doc_map, scope_doc=scope_doc, encoder=baseline_encoder, threads=threads
        )
    meta = {
        "n": len(items),
        "scope_doc": scope_doc,
        "retrieval_source": "service.retrieve" if has_retrieve else "citations",
        "seconds": round(time.time() - started, 2),
        "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
        "doc_titles": {d.doc_id: d.title for d in documents},
    }
    return RunResult(results, metrics, baseline, meta)
