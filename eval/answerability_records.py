"""The records eval.fit_answerability fits on: every dev question of the blind sets (and the project's own tuning
set) asked through the real service, within its document and with no document filter, with every candidate sentence
the answerer weighed (answer.decide.COLLECTOR), its features and its label."""
from __future__ import annotations

import sys


def collect(service, items, doc_map) -> list[dict]:
    """One record per (item, mode): the candidates' features and labels, and what the handler answered."""
    from answer import answerability as A
    from answer import decide

    records = []
    for item in items:
        doc_ids = doc_map.get(item.doc, ()) if item.doc else ()
        for scoped in (True, False):
            decide.COLLECTOR = []
            try:
                service.ask(item.question, doc=doc_ids[0] if (scoped and doc_ids) else None)
            finally:
                got, decide.COLLECTOR = decide.COLLECTOR, None
            if not got:
                continue  # a structured route (listing, counting, enterprise): not decided by the model
            g = got[-1]
            cands = g["candidates"]
            labels = [int(item.answerable and A.gold_match(c.sentence, item.gold_quote or "", item.must_contain))
                      for c in cands]
            records.append({"id": item.id, "doc": item.doc or "", "answerable": item.answerable, "scoped": scoped,
                            "first_refused": g["first"].refused,
                            "X": [c.x for c in cands], "y": labels,
                            "structured": [c.structured for c in cands],
                            "eligible": [c.eligible for c in cands]})
    return records


def collect_all(args) -> list[dict]:
    """Ask every dev item of each --testset in the knowledge base of the --home at its position (default
    POLICYQA_HOME; the set's documents are ingested there, as `eval run --files-from` does), and the tuning set's
    items in --tuning-home (default: the first set's home). Each record carries its set's name as `group`."""
    import os

    from answer import answerability
    from errors import ConfigError
    from eval.held_back import tuning_items
    from eval.runner import load_testset

    try:
        answerability.model()
    except ConfigError as e:  # refitting is the remedy: collect with the unfitted prior, and say so
        print(f"{e}: collecting candidates with the unfitted prior", file=sys.stderr)
        answerability._MODEL = answerability.AnswerabilityModel()
    jobs = []
    for n, t in enumerate(args.testset):
        home = args.home[n] if n < len(args.home) else None
        items, left = tuning_items(load_testset(t), args.hold_back)
        print(f"{t.name}: {left} dev questions of the held-back batches left out", file=sys.stderr)
        jobs.append((t.stem, home, items, [args.files_from], True))
    if str(args.tuning_set) not in ("", ".") and args.tuning_set.exists():
        home = args.tuning_home or (args.home[0] if args.home else None)
        tuning = [it for it in load_testset(args.tuning_set) if it.split in ("", "dev")]
        jobs.append((args.tuning_set.stem, home, tuning, [args.tuning_corpus], False))
    default_home = os.environ.get("POLICYQA_HOME")
    records = []
    try:
        for group, home, items, sources, by_file in jobs:
            os.environ.pop("POLICYQA_HOME", None)
            if home or default_home:
                os.environ["POLICYQA_HOME"] = str(home or default_home)
            records += [{**r, "group": group} for r in collect_home(items, sources, by_file)]
    finally:
        os.environ.pop("POLICYQA_HOME", None)
        if default_home is not None:
            os.environ["POLICYQA_HOME"] = default_home
    return records


def collect_home(items, sources, by_file: bool) -> list[dict]:
    from eval.runner import resolve_docs
    from service import PolicyService
    from settings import Settings

    service = PolicyService(Settings())
    try:
        service.ensure_default_corpus()
        if by_file:
            service.ingest(sorted({sources[0] / it.file for it in items if it.file}))
        else:
            service.ingest(sources)
        doc_map = resolve_docs(list(service.documents()), items)
        return collect(service, items, doc_map)
    finally:
        service.close()
