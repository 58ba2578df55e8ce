"""Entry point: `python app.py` serves the UI; subcommands are the CLI (SPEC: Commands)."""
from __future__ import annotations

import argparse
import csv
import json
import sys
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
    s.add_argument("--csv", type=Path, dest="csv_path")
    sub.add_parser("reindex", help="rebuild the search index from the knowledge store (after changing the model)")
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


def cmd_ingest(service, args) -> int:
    from tqdm import tqdm

    from ingest.loaders import expand

    files = expand(args.paths)
    with tqdm(total=len(files) or None, unit="file", desc="ingest") as bar:
        report = service.ingest(args.paths, progress=lambda done, total, name: bar.update(1))
    print(report.summary())
    return 1 if report.refused and not report.ingested and not report.unchanged else 0


def cmd_targets(service, args) -> int:
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


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValueError as e:  # pydantic names the bad variable and value
        print(f"configuration error: {e}", file=sys.stderr)
        return 2
    command = args.command or "serve"
    if command == "inspect":
        try:
            return cmd_inspect(settings, args)
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
            for d in service.documents():
                print(f"{d.doc_id}  {d.title}  ({d.pages} pages, {d.measures} units, {d.targets} targets)"
                      f"  [{d.source}]")
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
                    print(f"[{i}] 《{c.doc_title}》{c.section} （{c.measure_no}）{c.measure_title} p.{c.page}：{c.quote}")
                if ans.note:
                    print(f"({ans.note})")
            return 0
        if command == "targets":
            service.ensure_default_corpus()
            return cmd_targets(service, args)
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
