"""Who signed a document over its date of issue (GB/T 9704-2012, 党政机关公文格式: the issuing bodies' names, then the
date): one body for a document whose front matter names none (`signed_body`), or the several bodies of a joint issue
(`signature`), read in the preamble, at the end of the last measure or in the closing unit (结尾, ingest.closing) that
the signature is cut into. Pure functions over a parsed Document; answer.bureau_answers.IssuerHandler quotes them."""
from __future__ import annotations

import re

from knowledge.signers import SIGNING_KINDS, split_bodies
from knowledge.model import Document, Measure

# An attachment's or form's name the text layer runs into the signature (…配额清缴申请表生态环境部办公厅2021年10月23日,
# …汇总表.doc生态环境部办公厅): the body starts after the word that ends that name, as ingest.frontmatter's _RUN_ON
# reads a letterhead run on into the 文号. 代表 (人民代表大会) is no form's name.
# A document's own name ends in its kind (…改造升级实施指南国家发展改革委…, corpus-dc 26's closing: knowledge.text.DOC_KINDS'
# 指南, 方案, 办法, 细则 — words no body's name holds).
_FORM_RUN_ON = re.compile(r"(?:(?<!代)表|清单|名单|目录|附件|指南|方案|办法|细则)(?=[\u4e00-\u9fff])")
MAX_SIGNED_BODY = 20  # one body's name (国家发展和改革委员会办公厅: 12); a longer run is several bodies (signature)
_ENDS_IN_KIND = re.compile(f"{SIGNING_KINDS}$")


def issue_date(doc: Document) -> re.Pattern | None:
    """The front matter's date of issue (2021年10月23日) as a pattern that allows the text layer's spaces."""
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", doc.meta.get("issued") or "")
    return re.compile(r"\s*".join([m.group(1), "年", m.group(2), "月", m.group(3), "日"])) if m else None


def _closings(doc: Document) -> list[Measure]:
    """The closing units (结尾) ingest.closing cut off the body's last unit: the signature stands in them."""
    return [u for u in doc.extra_units if u.label == "结尾"]


def _run_before(text: str, at: int) -> str:
    """The Chinese characters right before `at`, after the last other character (a digit, a point, a bracket, a
    line break) and after a form's name run into them."""
    run = re.search(r"[\u4e00-\u9fff]*$", text[:at]).group(0)
    cut = list(_FORM_RUN_ON.finditer(run))
    return run[cut[-1].end():] if cut else run


def signed_body(doc: Document) -> tuple[Measure, str, str] | None:
    """(unit, body, quote) for a document whose front matter names no issuer but has a date of issue: the one body
    signed over that date, where the text layer runs the signature on from the line before it (联系人…电话：65645641
    生态环境部办公厅2021年10月23日, corpus-dc 178; …汇总表.doc生态环境部办公厅2022年2月15日, 379) so the front matter's
    reading of the line over the date found none. One body's name ending in its kind (SIGNING_KINDS), not a person's
    (部长黄润秋, 主任：何立峰). The last such signature in the document's units; the quote is the body with the date."""
    date = issue_date(doc)
    if date is None:
        return None
    found = None
    for u in [*doc.extra_units, *doc.measures]:
        for d in date.finditer(u.text):
            body = _run_before(u.text, d.start())
            if 3 <= len(body) <= MAX_SIGNED_BODY and _ENDS_IN_KIND.search(body):
                found = (u, body, u.text[d.start() - len(body): d.end()])
    return found


def signature(doc: Document) -> tuple[Measure, str, list[str]] | None:
    """(unit, the run as written, the bodies in it) when several bodies signed: GB/T 9704 has a joint document signed
    by every issuing body, one after another over the date (福建省生态环境厅福建省发展和改革委员会…2021年11月30日 as the
    text layer runs them together). The run of Chinese characters before the date, back to the end of the sentence or
    line before it or to a form's name run into it (…名单.pdf生态环境部商务部…, b15 550), is two bodies' names at least
    and nothing else (knowledge.signers.split_bodies: 生态环境部办公厅 is one). Read in the preamble, at the end of the
    last measure, where an opinion's signature stands after its last measure (b18 19, b15 550), and in the closing unit
    cut off it (17, 46, 245: review-r18 F8); with no date of issue, the last line of the last measure or of the
    closing when it is such a run (…领导小组办公室。\n国家发展改革委外交部生态环境部商务部: b16 54, whose text layer
    lost the date)."""
    date = issue_date(doc)
    ends = [*doc.measures[-1:], *_closings(doc)]
    if date is None:
        for u in ends:
            tail = u.text.rstrip()
            run = tail[tail.rfind("\n") + 1:].strip()
            if bodies := _bodies(doc, run):
                return u, run, bodies
        return None
    for u in [*(u for u in doc.extra_units if u.kind == "preamble"), *ends]:
        for d in date.finditer(u.text):
            before = u.text[:d.start()]
            if u.kind == "preamble":
                run = before[max(before.rfind(c) for c in "。\n：:；;，,）)") + 1:].strip()
            else:  # a form's name or a file name run into it at the end of the body
                run = _run_before(u.text, d.start())
            if bodies := _bodies(doc, run):
                return u, run, bodies
    return None


def _bodies(doc: Document, run: str) -> list[str] | None:
    """The bodies' names of `run` when it is several of them one after another and nothing else, else None."""
    if not (8 <= len(run) <= 240 and re.fullmatch(r"[\u4e00-\u9fff]+", run) and run != doc.meta.get("issuer")):
        return None
    bodies = split_bodies(run)
    if len(bodies) < 2 or not all(len(b) >= 2 and _ENDS_IN_KIND.search(b) for b in bodies):
        return None
    return bodies
