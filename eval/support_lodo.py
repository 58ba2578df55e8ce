"""Which rule found each support item and window of the dev support gold, and how much of it would survive had the
rules been written without the document (a leave-one-document-out estimate of transfer).

A rule is the shape that made an item (a sentence naming a kind of support and a figure, a funding-table row, a tax
guide's entry, a call's deadline, a grant without a sum) together with the word that cued it (the kind word the
sentence names, the window cue of the deadline's sentence). An item or window found on one document counts as found
without it when its rule fires on another gold document too: a rule that fires on one document only was, in effect,
written for it.

`python -m eval.support_lodo [--gold FILE] [--split dev] [--show]`; reads the gold's dev rows only.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

from eval.support_gold import CORPUS_DC, GOLD, SHARED, extract_file, gold_figures, load_gold, match, pred_figures

# The figures of an item scored on their own (eval.support_gold's amount / rate / cap), each kept when its item is.
FIELDS = (("amount", "A:"), ("rate", "R:"), ("cap", "C:"))
WHATS = ("item", "window", *(name for name, _ in FIELDS))


def item_rule(p: dict) -> str:
    """The shape and cue word of an extracted item (`SupportItem.to_json()`)."""
    from knowledge import support_clauses as sc
    from knowledge.support_clauses import GIVE_SUPPORT_RE, KIND_RE

    grant_re = getattr(sc, "GRANT_CLAUSE_RE", sc.GRANT_RE)  # the clause-wide reading where the code has it

    quote = re.sub(r"《[^》]*》", "", p["quote"])
    if re.search(r"第\d+项$", p.get("label") or ""):
        return "table row"
    entry = [f for f in p.get("applicants") or []]  # an entry's 享受主体 lines are fields of their own (text = sentence)
    if p.get("terms") or entry and all(f["text"] == f["sentence"] and not f["document_wide"] for f in entry):
        return "tax-guide entry"
    if not pred_figures(p):
        if p.get("window") and p["window"].get("sentence") == p["quote"]:
            return f"call deadline: {window_rule(p['window'])}"
        g = grant_re.search(quote)
        return f"grant without sum: {KIND_RE.search(g.group(0)).group(0) if g else '?'}"
    m = re.search(rf"(?:给予|予以)[^，。；]{{0,24}}?({KIND_RE.pattern})", quote) or KIND_RE.search(quote)
    if m:
        return f"figure + kind: {m.group(m.lastindex or 0)}"
    if GIVE_SUPPORT_RE.search(quote):
        return "figure + 给予…支持"
    return "figure under a standard heading"


def window_rule(w: dict) -> str:
    """The cue of a window's sentence: a window cue word (申报时间, 截止时间 …), the applicant applying, a relative
    time, or only a word of applying (the date under a 申报时间 heading)."""
    from knowledge import support_clauses as sc
    from knowledge.support_clauses import APPLICANT_ACTS_RE, APPLY_RE, WINDOW_CUE_RE

    papers = getattr(sc, "CALL_PAPERS_RE", None)  # absent before support19

    s = w.get("sentence") or ""
    where = "document" if w.get("document_wide") else "own unit"
    m = WINDOW_CUE_RE.search(s)
    if m:
        return f"{where}, cue {m.group(0)}"
    if APPLICANT_ACTS_RE.search(s):
        return f"{where}, applicant applies"
    if papers is not None and papers.search(s):
        return f"{where}, application papers handed in"
    if not w.get("end_iso") and not w.get("start_iso"):
        return f"{where}, relative"
    m = APPLY_RE.search(s)
    return f"{where}, word {m.group(0) if m else '?'}"


def study(gold_path=GOLD, split="dev") -> dict:
    found: dict[str, list[tuple[str, str]]] = {}  # doc → [(what, rule)] for each matched item and right window
    gold_n, window_n = 0, 0
    field_n = dict.fromkeys((name for name, _ in FIELDS), 0)
    for d in load_gold(gold_path):
        if d.get("split") != split:
            continue
        folder = SHARED / d["corpus"] if d.get("corpus") else CORPUS_DC
        pred = extract_file(folder / d["file"])
        gold_n += len(d["items"])
        window_n += sum(1 for g in d["items"] if g.get("window"))
        for name, prefix in FIELDS:
            field_n[name] += sum(1 for g in d["items"] for f in gold_figures(g) if f.startswith(prefix))
        rows = []
        for gi, pi in match(d["items"], pred):
            rows.append(("item", item_rule(pred[pi])))
            g, p = d["items"][gi], pred[pi]
            # a matched item has the gold's figures (match), so each of them is right, found by the item's rule
            rows += [(name, rows[-1][1]) for name, prefix in FIELDS for f in gold_figures(g) if f.startswith(prefix)]
            if g.get("window") and p.get("window") and \
                    (p["window"].get("start_iso"), p["window"].get("end_iso")) == (g["window"]["start"], g["window"]["end"]):
                rows.append(("window", window_rule(p["window"])))
        found[d["id"]] = rows
    docs_of: dict[tuple, set] = defaultdict(set)
    shapes_of: dict[tuple, set] = defaultdict(set)  # the shape alone, whatever word cued it
    for doc, rows in found.items():
        for what, rule in rows:
            if what in ("item", "window"):  # a figure's rule is its item's
                docs_of[(what, rule)].add(doc)
                shapes_of[(what, shape(rule))].add(doc)
    kept = {w: sum(1 for rows in found.values() for what, rule in rows
                   if what == w and len(docs_of[(_of(what), rule)]) > 1) for w in WHATS}
    kept_shape = {w: sum(1 for rows in found.values() for what, rule in rows
                         if what == w and len(shapes_of[(_of(what), shape(rule))]) > 1) for w in WHATS}
    built_of: dict[tuple, set] = defaultdict(set)  # the construction the cue word stands for
    for doc, rows in found.items():
        for what, rule in rows:
            if what in ("item", "window"):
                built_of[(what, construction(rule))].add(doc)
    kept_built = {w: sum(1 for rows in found.values() for what, rule in rows
                         if what == w and len(built_of[(_of(what), construction(rule))]) > 1) for w in WHATS}
    return {"found": found, "docs_of": docs_of, "gold": gold_n, "windows": window_n, "fields": field_n, "kept": kept,
            "kept_shape": kept_shape, "kept_built": kept_built, "built_of": built_of}


def _of(what: str) -> str:
    """Whose rule a row counts by: a figure (amount, rate, cap) by its item's."""
    return what if what in ("item", "window") else "item"


def construction(rule: str) -> str:
    """A rule with its cue word read as the construction the code matches it by: a kind word as the kind of issue
    12 it names (补助 and 补贴 are one rule: a sum granted as a subsidy), a window cue as the alternative of
    WINDOW_CUE_RE it matches (申报时间, 受理时间, 填报时间 are one: a verb of applying and a time noun)."""
    from knowledge.support_clauses import WINDOW_CUE_RE, kind_word

    m = re.match(r"(.*(?:kind|without sum): )(.+)$", rule)
    if m and kind_word(m.group(2)):
        return m.group(1) + "kind " + kind_word(m.group(2))
    m = re.match(r"(.*cue )(.+)$", rule)
    if m:
        alternatives = _top_alternatives(WINDOW_CUE_RE.pattern)
        return m.group(1) + next((a for a in alternatives if re.fullmatch(a, m.group(2))), m.group(2))
    return rule


def _top_alternatives(pattern: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in pattern:
        depth += ch in "([" and 1 or ch in ")]" and -1 or 0
        if ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return out + [cur]


def shape(rule: str) -> str:
    """A rule without its cue word: figure + kind, call deadline, document, …"""
    return re.split(r"[:,]", rule)[0]


def lost_by_document(r: dict) -> dict[str, dict[str, tuple[int, int]]]:
    """Per document, for items, amounts, rates, caps and windows: (lost, found), lost meaning found by a construction
    (`construction`) no other gold document's items or windows are found by — what the document would miss had the
    rules been written without it."""
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for doc, rows in r["found"].items():
        counts = {w: [0, 0] for w in WHATS}
        for what, rule in rows:
            counts[what][1] += 1
            if len(r["built_of"][(_of(what), construction(rule))]) <= 1:
                counts[what][0] += 1
        out[doc] = {w: (a, b) for w, (a, b) in counts.items()}
    return out


def lost_by_construction(r: dict) -> dict[str, dict[str, int]]:
    """The constructions found on one gold document only, with what they find there (items, figures, windows)."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(WHATS, 0))
    for rows in r["found"].values():
        for what, rule in rows:
            built = construction(rule)
            if len(r["built_of"][(_of(what), built)]) <= 1:
                out[built][what] += 1
    return dict(out)


# Shapes that are one structure of the text (support27): a sentence granting a figure, whether it names the kind
# (给予30万元奖励) or grants it as 给予…支持 (成都 给予0.15元/千瓦时的电费支持).
STRUCTURE_OF = {"figure + kind": "figured sentence", "figure + 给予…支持": "figured sentence"}


def structure(rule: str) -> str:
    """The structure an item or window was read from: its shape (`shape`), figured sentences as one."""
    return STRUCTURE_OF.get(shape(rule), shape(rule))


def by_shape(r: dict) -> dict[str, dict]:
    """Per structure (what an item or window was read from, its cue word left out: a figured sentence, a tax guide's
    labelled entry, a table row, a call read from its deadline, a grant without a sum; `structure`): the gold documents
    it fires on and what it finds there, and what is lost when a structure fires on one document only."""
    out: dict[str, dict] = {}
    for doc, rows in r["found"].items():
        for what, rule in rows:
            if what not in ("item", "window"):
                continue
            key = f"{what}: {structure(rule)}"
            o = out.setdefault(key, {"documents": set(), "found": 0})
            o["documents"].add(doc)
            o["found"] += 1
    for o in out.values():
        o["lost"] = o["found"] if len(o["documents"]) <= 1 else 0
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.support_lodo")
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--split", default="dev")
    ap.add_argument("--show", action="store_true", help="each document's items and windows by rule")
    ap.add_argument("--lost", action="store_true",
                    help="per document and per construction, what a document found by constructions of its own loses")
    args = ap.parse_args(argv)
    r = study(args.gold, args.split)
    if args.lost:
        print("document\t" + "\t".join(f"{w} lost/found" for w in WHATS))
        for doc, c in lost_by_document(r).items():
            if any(a for a, _ in c.values()):
                print(doc + "\t" + "\t".join(f"{c[w][0]}/{c[w][1]}" for w in WHATS))
        print("construction found on one document only\t" + "\t".join(WHATS))
        for built, c in sorted(lost_by_construction(r).items(), key=lambda x: -sum(x[1].values())):
            print(built + "\t" + "\t".join(str(c[w]) for w in WHATS))
        print("structure (cue word left out)\tgold documents\tfound\tlost")
        for key, o in sorted(by_shape(r).items(), key=lambda x: (-x[1]["lost"], -len(x[1]["documents"]))):
            print(f"{key}\t{len(o['documents'])} ({' '.join(sorted(d[:6] for d in o['documents']))})\t{o['found']}\t"
                  f"{o['lost']}")
    if args.show:
        for doc, rows in r["found"].items():
            for what, rule in rows:
                if what in ("item", "window"):
                    print(f"{doc:>5} {what:6} {rule}  ({len(r['docs_of'][(what, rule)])} docs)")
    print("rule\tdocuments\tfound")
    for (what, rule), docs in sorted(r["docs_of"].items(), key=lambda x: (x[0][0], -len(x[1]))):
        n = sum(1 for rows in r["found"].values() for w, ru in rows if (w, ru) == (what, rule))
        print(f"{what}: {rule}\t{len(docs)} ({' '.join(sorted(docs))})\t{n}")
    single = [k for k, v in r["docs_of"].items() if len(v) == 1]
    found_items = sum(1 for rows in r["found"].values() for w, _ in rows if w == "item")
    found_windows = sum(1 for rows in r["found"].values() for w, _ in rows if w == "window")
    print(f"rules {len(r['docs_of'])}, firing on one document only {len(single)}")
    print(f"items found {found_items} of {r['gold']}; by rules that fire on another document too {r['kept']['item']} "
          f"(leave-one-document-out recall {r['kept']['item'] / max(r['gold'], 1):.3f})")
    print(f"windows right {found_windows} of {r['windows']}; by rules that fire on another document too "
          f"{r['kept']['window']} ({r['kept']['window'] / max(r['windows'], 1):.3f})")
    print(f"by construction (a kind word as its kind, a window cue as its alternative of WINDOW_CUE_RE): items "
          f"{r['kept_built']['item']}, windows {r['kept_built']['window']}")
    print(f"by shape alone (the cue word left out): items {r['kept_shape']['item']}, windows {r['kept_shape']['window']}")
    structures = by_shape(r)
    kept_structure = {w: sum(o["found"] - o["lost"] for k, o in structures.items() if k.startswith(f"{w}:"))
                      for w in ("item", "window")}
    print(f"by structure (figured sentences one structure; support27): items {kept_structure['item']}, windows "
          f"{kept_structure['window']}")
    for name, _ in FIELDS:  # each figure of the gold, kept when the rule of the item it is right on is
        n = r["fields"][name]
        print(f"{name}: {sum(1 for rows in r['found'].values() for w, _ in rows if w == name)} of {n} right; kept by "
              f"rule {r['kept'][name]} ({r['kept'][name] / max(n, 1):.3f}), by construction {r['kept_built'][name]} "
              f"({r['kept_built'][name] / max(n, 1):.3f})")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
