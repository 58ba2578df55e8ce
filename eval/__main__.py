"""`python -m eval run …` (score a test set) and `python -m eval bench` (speed and memory budgets).

Exit codes: 0 success, 1 a --gate threshold or a bench failed, 2 bad input (test set, paths, settings).
"""
from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"


def load_thresholds(path: str | Path = THRESHOLDS) -> dict[str, dict[str, float]]:
    """{"min": {metric: bound}, "max": {metric: bound}} from a TOML file with [min] / [max] tables."""
    from .metrics import Metrics

    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    fields = set(Metrics.__dataclass_fields__) - {"per_type"}
    out: dict[str, dict[str, float]] = {"min": {}, "max": {}}
    for table in ("min", "max"):
        for name, bound in (data.get(table) or {}).items():
            if name not in fields:
                raise ValueError(f"{path}: [{table}] {name} is not a metric (known: {', '.join(sorted(fields))})")
            if not isinstance(bound, (int, float)) or isinstance(bound, bool):
                raise ValueError(f"{path}: [{table}] {name} must be a number")
            out[table][name] = float(bound)
    return out


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eval", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="ask every question of a test set and score the answers")
    r.add_argument("--testset", required=True, type=Path, help="JSONL test set (SPEC format)")
    r.add_argument("--out", required=True, type=Path, help="write one ask --json object per line here")
    r.add_argument("--report", type=Path, help="write a markdown report (and PNG charts beside it)")
    r.add_argument("--gate", action="store_true", help="exit 1 when a metric misses its threshold")
    r.add_argument("--thresholds", type=Path, default=THRESHOLDS, help="TOML thresholds for --gate")
    r.add_argument("--ingest", nargs="+", type=Path, metavar="PATH",
                   help="ingest these files/folders first (idempotent), e.g. the test set's documents")
    r.add_argument("--files-from", type=Path, metavar="DIR",
                   help="ingest the documents the items name in `file` from this folder (e.g. ../shared/corpus-dc)")
    r.add_argument("--split", choices=("dev", "test"), help="only the items of this split (by document)")
    r.add_argument("--no-scope", action="store_true",
                   help="ask over the whole knowledge base instead of within each item's document")
    r.add_argument("--no-baseline", action="store_true", help="skip the fixed-size-chunk baseline")
    r.add_argument("--quiet", action="store_true", help="no progress bar")

    b = sub.add_parser("bench", help="speed and memory benchmark against SPEC's budgets")
    b.add_argument("--json", action="store_true", help="print the results as JSON")
    b.add_argument("--corpus", type=Path, help="development corpus folder (default: ../shared/corpus)")
    b.add_argument("--reps", type=int, default=5, help="repetitions of the question list per latency bench")
    b.add_argument("--skip", default="",
                   help="comma-separated benches to skip: queries,ingest,10k,server,library (the whole library "
                        "bench), library-ingest (reuse the library home only), library-server")
    b.add_argument("--library", type=Path, help="library corpus folder (default: ../shared/corpus-dc)")
    b.add_argument("--library-home", type=Path, default=None,
                   help="where the whole-library knowledge base is built once and reused "
                        "(default: .policyqa-bench/library in the repository)")
    b.add_argument("--fresh-library", action="store_true", help="rebuild the library home (re-measure its ingest)")
    b.add_argument("--library-sizes", default="1,10,all", help="library sizes to ask at (file counts, 'all')")
    b.add_argument("--chart", type=Path, help="write the library chart (PNG) here")
    return p


def _default_service(settings: Any) -> Any:
    from service import PolicyService

    return PolicyService(settings)


def cmd_run(args: argparse.Namespace, settings: Any, service_factory: Callable[[Any], Any]) -> int:
    from .metrics import gate
    from .report import format_metrics, write_report
    from .runner import load_testset, run

    items = load_testset(args.testset)
    if args.split:
        items = [it for it in items if it.split == args.split]
        if not items:
            print(f"error: no items of split {args.split!r} in {args.testset}", file=sys.stderr)
            return 2
    try:
        thresholds = load_thresholds(args.thresholds) if (args.gate or args.report) else None
    except ValueError as e:  # includes TOML syntax errors
        print(f"error: {e}", file=sys.stderr)
        return 2
    service = service_factory(settings)
    try:
        service.ensure_default_corpus()
        if args.ingest:
            missing = [str(p) for p in args.ingest if not p.exists()]
            if missing:
                print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
                return 2
            service.ingest(list(args.ingest))
        if args.files_from:
            files = sorted({args.files_from / it.file for it in items if it.file})
            missing = [str(f) for f in files if not f.exists()]
            if missing:
                print(f"error: test set documents not found: {', '.join(missing[:5])}", file=sys.stderr)
                return 2
            service.ingest(files)
        result = run(service, items, args.out, scope_doc=not args.no_scope,
                     with_baseline=not args.no_baseline, threads=settings.threads,
                     show_progress=not args.quiet)
    finally:
        service.close()
    result.meta["testset"] = str(args.testset)
    print(format_metrics(result.metrics, result.baseline))
    print(f"\nresults: {args.out}")
    if args.report:
        files = write_report(result, args.report, thresholds)
        print(f"report: {files[0]} (+{len(files) - 1} charts)")
    if args.gate:
        failures = gate(result.metrics, thresholds["min"], thresholds["max"])
        for f in failures:
            print(f"GATE FAIL {f}", file=sys.stderr)
        if failures:
            return 1
        print("gate: every metric meets its threshold")
    return 0


def cmd_bench(args: argparse.Namespace, settings: Any) -> int:
    from .bench import BENCHES, DEFAULT_LIBRARY_HOME, run_all
    from .bench_report import format_bench, library_chart

    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(BENCHES)
    if unknown:
        print(f"error: unknown bench(es) to skip: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    try:
        sizes = [None if x.strip() == "all" else int(x) for x in args.library_sizes.split(",") if x.strip()]
    except ValueError:
        print(f"error: --library-sizes takes file counts and 'all', got {args.library_sizes!r}", file=sys.stderr)
        return 2
    result = run_all(settings, corpus=args.corpus, reps=max(1, args.reps), skip=skip, library=args.library,
                     library_home=args.library_home or DEFAULT_LIBRARY_HOME, fresh_library=args.fresh_library,
                     library_sizes=sizes)
    if args.chart and result.get("library", {}).get("sizes"):
        library_chart(result["library"], args.chart)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_bench(result))
    return 1 if result["errors"] else 0


def main(argv: Sequence[str] | None = None, service_factory: Callable[[Any], Any] | None = None) -> int:
    """CLI entry. `service_factory(settings)` builds the answerer (PolicyService unless given)."""
    from errors import PolicyQAError
    from settings import Settings

    args = _parser().parse_args(argv)
    try:
        settings = Settings()  # built once, passed down
    except ValueError as e:  # pydantic's ValidationError names the bad POLICYQA_ variable
        print(f"error: bad setting: {e}", file=sys.stderr)
        return 2
    try:
        if args.command == "run":
            return cmd_run(args, settings, service_factory or _default_service)
        return cmd_bench(args, settings)
    except (PolicyQAError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
