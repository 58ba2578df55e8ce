"""Entry point: `python app.py` serves the UI; subcommands are the CLI (SPEC: Commands)."""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from datetime import date
from pathlib import Path

from errors import PolicyQAError
from settings import Settings


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python app.py", description="政策文件知识问答助手 / policy Q&A assistant")
    sub = p.add_subparsers(dest="command")
    s = sub.add_parser("serve", help="serve the UI (the default)")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s = sub.add_parser("ingest", help="ingest files or folders (.pdf .txt .md)")
    s.add_argument("paths", nargs="+", type=Path)
    sub.add_parser("docs", help="list documents")
    s = sub.add_parser("remove", help="delete a document everywhere")
    s.add_argument("doc_id")
    s = sub.add_parser("inspect", help="parse a file and print its structure; index nothing")
    s.add_argument("file", type=Path)
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("ask", help="ask a question")
    s.add_argument("question")
    s.add_argument("--json", action="store_true")
    s.add_argument("--doc")
    s = sub.add_parser("targets", help="list quantified targets")
    s.add_argument("--year", type=int)
    s.add_argument("--bureau")
    s.add_argument("--keyword")
    s.add_argument("--doc")
    s.add_argument("--compare", metavar="INDICATOR", help="one indicator across documents, e.g. 非化石能源消费比重")
    s.add_argument("--json", action="store_true")
    s.add_argument("--csv", type=Path, dest="csv_path")
    s = sub.add_parser("support", help="support items an enterprise can apply for (amount, cap, conditions, window)")
    s.add_argument("--industry")
    s.add_argument("--place")
    s.add_argument("--qualification")
    s.add_argument("--open-on", dest="open_on", help="YYYY-MM-DD: leave out items whose window excludes that day")
    s.add_argument("--doc")
    s.add_argument("--sort", choices=("doc", "amount", "deadline"), default="doc",
                   help="doc: by document (default); amount: largest first; deadline: soonest open first "
                        "(closed windows last in both)")
    out = s.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", type=Path, dest="csv_path")
    s = sub.add_parser("report", help="parse every file of folders (index nothing) and report units and outline")
    s.add_argument("paths", nargs="+", type=Path)
    s.add_argument("--out", type=Path, help="write the Markdown report here")
    s.add_argument("--json", action="store_true")
    sub.add_parser("reindex", help="rebuild the search index from the knowledge store (after changing the model)")
    s = sub.add_parser("diff", help="compare two editions of a policy unit by unit (doc ids, titles or files)")
    s.add_argument("a")
    s.add_argument("b")
    s.add_argument("--json", action="store_true")
    return p


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def cmd_inspect(settings: Settings, args) -> int:
    from ingest.loaders import FileLoader
    from service import document_from

    loader = FileLoader(max_file_mb=settings.max_file_mb, timeout_s=settings.parse_timeout_s, workers=1)
    doc = document_from(loader.load(args.file))
    if args.json:
        _print_json(doc.inspect_json())
        return 0
    print(f"{doc.title}  ({doc.pages} pages, {len(doc.sections)} sections, {len(doc.measures)} units)")
    for m in doc.measures:
        bureaus = "、".join(b.name + ("(牵头)" if b.lead else "") for b in m.bureaus)
        print(f"  [{m.section_no or '-'}] ({m.no}) {m.title}  p.{m.page}  {bureaus}")
        for t in m.targets:
            print(f"      {t.year}: {t.indicator} {t.comparator} {t.value}{t.unit}")
    for w in doc.warnings:
        print(f"  ! {w}")
    return 0


def cmd_report(args) -> int:
    from dataclasses import asdict

    from tqdm import tqdm

    from ingest.loaders import expand
    from ingest.report import corpus_markdown, corpus_rows, totals

    files = [p for p in expand(args.paths) if p.suffix.lower() != ".md"]
    with tqdm(total=len(files), unit="file", desc="report", file=sys.stderr) as bar:
        rows = corpus_rows(files, progress=lambda row: bar.update(1))
    if args.json:
        _print_json({"totals": totals(rows), "documents": [asdict(r) for r in rows]})
        return 0
    md = corpus_markdown(rows, " ".join(str(p) for p in args.paths))
    if args.out:
        args.out.write_text(md, encoding="utf-8")
        print(f"report written to {args.out}")
    t = totals(rows)
    print(f"{t['parsed']} parsed, {t['refused']} refused; {t['units']} units; documents bounded {t['docs_bounded']:.1%}; "
          f"text bounded {t['text_bounded']:.1%}; 第N条 documents complete {t['article_docs_complete']:.1%} "
          f"of {t['article_docs']}")
    return 0


def cmd_ingest(service, args) -> int:
    from tqdm import tqdm

    from ingest.loaders import expand

    files = expand(args.paths)
    with tqdm(total=len(files) or None, unit="file", desc="ingest") as bar:
        report = service.ingest(args.paths, progress=lambda done, total, name: bar.update(1))
    print(report.summary())
    return 1 if report.refused and not report.ingested and not report.unchanged else 0


def cmd_targets(service, args) -> int:
    if args.compare or args.json:
        return cmd_targets_records(service, args)
    rows = service.targets(year=args.year, bureau=args.bureau, keyword=args.keyword, doc=args.doc)
    header = ["doc_title", "measure_no", "measure_title", "year", "indicator", "comparator", "value", "unit",
              "bureaus", "page", "text"]
    table = [[r.doc_title, r.measure_no, r.measure_title, r.year, r.indicator, r.comparator, r.value, r.unit,
              "、".join(r.bureaus), r.page, r.text] for r in rows]
    if args.csv_path:
        with open(args.csv_path, "w", newline="", encoding="utf-8-sig") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(table)
        print(f"{len(rows)} targets written to {args.csv_path}")
        return 0
    for r in rows:
        print(f"{r.year or '-'}  ({r.measure_no}) {r.indicator}  {r.comparator} {r.value}{r.unit}  "
              f"[{'、'.join(r.bureaus)}]  《{r.doc_title}》")
    print(f"{len(rows)} targets")
    return 0


def _marked(ops: list[list[str]], context: int = 12) -> str:
    """Text edits as [-old-]{+new+}, unchanged stretches shortened to `context` characters each side."""
    from knowledge.diff import shortened

    return "".join(old if tag == "equal" else (f"[-{old}-]" if old else "") + (f"{{+{new}+}}" if new else "")
                   for tag, old, new in shortened(ops, context))


def _stored_id(store, ref: str) -> str | None:
    """A doc id, or an exact title or file name (the newest edition), found in SQLite without loading the
    whole library into the catalogue; None when only a fuzzier match could tell."""
    if ref in store.doc_ids():
        return ref
    found = store.find_by_title(ref) or store.find_by_source(ref)
    if not found:
        return None
    order = [d for d, _ in store.ingest_order()]
    return max(found, key=order.index)


def cmd_diff(settings: Settings, args) -> int:
    """A and B are files (parsed, not indexed, as `inspect` does) or documents of the library: an id or an exact
    title or file name is read straight from SQLite; anything fuzzier goes through the service's resolver."""
    from knowledge.diff import diff_documents
    from knowledge.store import KnowledgeStore

    store = service = loader = None
    docs = []
    try:
        for ref in (args.a, args.b):
            if Path(ref).is_file():
                from ingest.loaders import FileLoader
                from service import document_from

                loader = loader or FileLoader(max_file_mb=settings.max_file_mb, timeout_s=settings.parse_timeout_s,
                                              workers=1)
                docs.append(document_from(loader.load(Path(ref))))
                continue
            if store is None and settings.db_path.exists():
                store = KnowledgeStore(settings.db_path)
            doc_id = _stored_id(store, ref) if store is not None else None
            if doc_id is None:
                if service is None:
                    from service import PolicyService

                    service = PolicyService(settings)
                    service.ensure_default_corpus()
                doc_id = _stored_id(service.store, ref) or service.resolve_doc(ref)
            source = store if store is not None and doc_id in store.doc_ids() else service.store
            doc = source.get_document(doc_id)
            if doc is None:
                raise PolicyQAError(f"no document matches {ref!r}; see `python app.py docs`")
            docs.append(doc)
    finally:
        for opened in (store, service):
            if opened is not None:
                opened.close()
    result = diff_documents(docs[0], docs[1])
    if args.json:
        _print_json(result.to_json())
        return 0
    print(f"A: 《{docs[0].title}》 [{docs[0].doc_id}]\nB: 《{docs[1].title}》 [{docs[1].doc_id}]\n")
    print(result.summary())
    print()
    for u in result.units:
        if u.status == "same" and not u.moved:
            continue
        where = f"{u.a_label or '—'} → {u.b_label or '—'}"
        print(f"[{u.status}{'，移动' if u.moved else ''}] {where} {u.title}")
        for c in u.changes:
            if c.field == "text":
                print(f"    text: {_marked(c.extra['ops'])}")
            else:
                print(f"    {c.field}: {c.old or '—'} → {c.new or '—'}")
    return 0


def cmd_targets_records(service, args) -> int:
    """`targets --json` (SPEC shape, with indicator_norm and number) and `targets --compare INDICATOR`."""
    from knowledge.indicators import NAMES, resolve

    if args.compare:
        if resolve(args.compare) is None:
            print(f"unknown indicator {args.compare!r}; known: {'、'.join(NAMES)}", file=sys.stderr)
            return 2
        rows = service.compare_indicator(args.compare, year=args.year)
        if args.bureau or args.keyword or args.doc:
            keep = {(r["doc_id"], r["label"], r["quote"]) for r in service.target_records(
                year=args.year, bureau=args.bureau, keyword=args.keyword, doc=args.doc)}
            rows = [r for r in rows if (r["doc_id"], r["label"], r["quote"]) in keep]
    else:
        rows = service.target_records(year=args.year, bureau=args.bureau, keyword=args.keyword, doc=args.doc)
    if args.json:
        _print_json(rows)
        return 0
    header = ["doc_title", "label", "year", "indicator_norm", "indicator", "comparator", "value", "unit", "page",
              "quote"]
    if args.csv_path:
        with open(args.csv_path, "w", newline="", encoding="utf-8-sig") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows([[r[k] for k in header] for r in rows])
        print(f"{len(rows)} targets written to {args.csv_path}")
        return 0
    name = resolve(args.compare) if args.compare else None
    if name:
        print(f"{name}：{len({r['doc_id'] for r in rows})} 份文件，{len(rows)} 项目标")
    for r in rows:
        print(f"{r['year'] or '-'}  {r['comparator']} {r['value']}{r['unit']}  {r['indicator']}  "
              f"《{r['doc_title']}》{r['label']} p.{r['page']}")
    return 0


SUPPORT_CSV = ["doc_title", "label", "kind", "amount", "amount_wan", "rate", "cap", "cap_wan", "tiers", "applicants",
               "conditions", "exclusions", "window_start", "window_end", "office", "quote", "doc_id"]


def _support_csv_row(j: dict) -> list:
    def texts(xs):
        return "；".join(x["text"] for x in xs)
    return [j["doc_title"], j["label"], j["kind"], (j["amount"] or {}).get("text", ""),
            (j["amount"] or {}).get("wan", ""), (j["rate"] or {}).get("text", "") + (
                f"（{j['rate']['base']}）" if j["rate"] and j["rate"].get("base") else ""),
            (j["cap"] or {}).get("text", ""), (j["cap"] or {}).get("wan", ""),
            "；".join(f"{t['tier']} {t.get('rate') or ''}{t.get('amount') or t.get('cap') or ''}" for t in j["tiers"]),
            texts(j["applicants"]), texts(j["conditions"]), texts(j["exclusions"]),
            j["window"]["start_iso"] or j["window"]["start"] or "", j["window"]["end_iso"] or j["window"]["end"] or "",
            (j["office"] or {}).get("text", ""), j["quote"], j["doc_id"]]


def cmd_support(service, args) -> int:
    if args.open_on and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.open_on):
        print(f"error: --open-on takes a date as YYYY-MM-DD, not {args.open_on!r}", file=sys.stderr)
        return 2
    from knowledge.eligibility import Profile, match, ranked, window_status

    rows = [r.to_json() for r in service.support(industry=args.industry, place=args.place,
                                                 qualification=args.qualification, open_on=args.open_on,
                                                 doc=args.doc)]
    today = date.today()
    if args.sort != "doc":  # the 企业 page's orders (knowledge.eligibility.ranked), with no profile
        rows = [m.item for m in ranked([match(j, Profile(today=today)) for j in rows], args.sort)]
    if args.json:
        _print_json(rows)
        return 0
    if args.csv_path:
        with open(args.csv_path, "w", newline="", encoding="utf-8-sig") as f:
            w = csv.writer(f)
            w.writerow(SUPPORT_CSV)
            w.writerows(_support_csv_row(j) for j in rows)
        print(f"{len(rows)} support items written to {args.csv_path}")
        return 0
    for j in rows:
        c = _support_csv_row(j)
        figures = "  ".join(x for x in (c[3], c[5], f"最高{c[6]}" if c[6] else "", c[8]) if x)
        end = j["window"]["end_iso"] or j["window"]["end"] or "—"
        closed = "（已截止）" if window_status(j["window"], today) == "expired" else ""
        print(f"{j['kind']}  {figures}  截止 {end}{closed}  《{j['doc_title']}》{j['label']}：{j['quote']}")
    print(f"{len(rows)} support items")
    return 0


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValueError as e:  # pydantic names the bad variable and value
        print(f"configuration error: {e}", file=sys.stderr)
        return 2
    command = args.command or "serve"
    if command in ("inspect", "report", "diff"):
        try:
            if command == "report":
                return cmd_report(args)
            return (cmd_inspect if command == "inspect" else cmd_diff)(settings, args)
        except PolicyQAError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2

    from service import PolicyService

    service = PolicyService(settings)
    try:
        if command == "serve":
            from ui.web import serve

            service.ensure_default_corpus()
            service.warmup()  # the first question should not pay for loading the model, Chroma and the catalogue
            serve(service, host=args.host if getattr(args, "host", None) else settings.host,
                  port=args.port if getattr(args, "port", None) else settings.port)
            return 0
        if command == "ingest":
            return cmd_ingest(service, args)
        if command == "docs":
            service.ensure_default_corpus()
            earlier = service.superseded()
            for d in service.documents():
                print(f"{d.doc_id}  {d.title}  ({d.pages} pages, {d.measures} units, {d.targets} targets)"
                      f"  [{d.source}]" + ("  (earlier edition)" if d.doc_id in earlier else ""))
            return 0
        if command == "remove":
            if not service.remove(args.doc_id):
                print(f"no document with id {args.doc_id}", file=sys.stderr)
                return 1
            print(f"removed {args.doc_id}")
            return 0
        if command == "ask":
            ans = service.ask(args.question, doc=args.doc)
            if args.json:
                _print_json(ans.to_json())
            else:
                print(ans.answer)
                for i, c in enumerate(ans.citations, 1):
                    where = c.label if c.label and c.label == c.measure_title else f"{c.label} {c.measure_title}".strip()
                    print(f"[{i}] 《{c.doc_title}》{where} p.{c.page}：{c.quote}")
                if ans.note:
                    print(f"({ans.note})")
            return 0
        if command == "targets":
            service.ensure_default_corpus()
            return cmd_targets(service, args)
        if command == "support":
            service.ensure_default_corpus()
            return cmd_support(service, args)
        if command == "reindex":
            n = service.reindex()
            print(f"reindexed {n} documents")
            return 0
    except PolicyQAError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        service.close()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(run())
    except BrokenPipeError:  # output piped into `head`
        sys.exit(0)
