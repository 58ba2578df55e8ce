"""A question the scope model spreads over two or three documents (retrieval.scope.decide: no document reaches the
threshold, the most probable ones are gathered), answered in each of them as a question scoped to it is, and the
answers joined.

The question is about one of the gathered documents, and the model does not know which. Asked of the union (one
retrieval over the two or three, one answer-or-refuse decision over their sentences) the documents competed for five
retrieved units and the answer came from whichever sentence the answerability model liked best: the less probable
document's near-miss led (碳排放权交易方式 asked, 财政支持…意见's 丰富交易品种和交易方式 quoted over the 交易规则's 协议转让、
单向竞价), a second document's line stood without the completing sentence its own answer has (完成期限：2021年四季度),
and a fact both hold was refused on the union's closest passage. Asked of each document alone, each answer is the one
a scoped question gets; then:

- the documents that answer are shown, most probable first, one part per document, each naming its document by title
  and citing its own passages (one answering document: its own answer, as a scoped question gets it);
- unless the documents that answer hold less than `share` of the gathered documents' probability (the most probable
  document refuses, a 0.2 one answers: the question is most likely about a document that does not state it): then the
  refusal of the most probable document that refuses. `share` is fitted with the gathering (retrieval/scope.json; grouped
  CV by document over the 1281 dev questions in one library of their 74 documents, docs/scope.md, ns23).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from answer.sources import shift_markers
from answer.types import Answer


def joined(question: str, parts: Sequence[tuple[str, float, Answer]], titles: dict[str, str], share: float) -> Answer:
    """parts: (doc_id, the scope model's probability, the answer scoped to that document), most probable first."""
    if not parts:
        raise ValueError("joined needs the answer of at least one document")
    answering = [(d, p, a) for d, p, a in parts if not a.refused]
    held = sum(p for _, p, _ in answering)
    total = sum(p for _, p, _ in parts)
    if not answering or held < share * total:
        return next(a for _, _, a in parts if a.refused)
    if len(answering) == 1:
        return naming_its_sources(answering[0][2])
    lines = [header(len(answering))]
    cites = []
    for d, _, a in answering:
        offset = len(cites)
        text = shift_markers(a.answer, offset)
        cites.extend(a.citations)
        head = text[2:] if text.startswith("根据《") else text
        if not head.startswith(f"《{titles[d]}》"):
            head = f"《{titles[d]}》：{head}"
        lines.append("- " + head.replace("\n", "\n  "))
    first = answering[0][2]
    notes = "\n".join(dict.fromkeys(a.note for _, _, a in answering if a.note))
    return Answer(question=question, answer="\n".join(lines), refused=False, citations=cites, route=first.route,
                  note=notes, per_document=True)


def header(n: int) -> str:
    """The first line of an answer joined from n documents. The count in words (两份, 三份): a digit there is a figure
    no source states (eval.figures reads 2份 as one)."""
    from knowledge.numerals import int_to_cn

    return f"有{'两' if n == 2 else int_to_cn(n)}份文件涉及这一问题，分别如下："


def naming_its_sources(ans: Answer) -> Answer:
    """An answer to a question with no document filter that does not name the documents it quotes names them: the
    asker chose no document, so 文件中与风电相关的内容如下…, 省林业局共涉及四项举措… or 共一项量化目标… says nothing of
    which (in the 74-document dev library 11 no-scope answers, enterprise listings, a body's measures and a target
    listing, named none). One document: its title first; several: the ones not named, after the answer."""
    if ans.refused or not ans.citations:
        return ans
    titles = list(dict.fromkeys(c.doc_title for c in ans.citations))
    unnamed = [t for t in titles if f"《{t}》" not in ans.answer]
    if not unnamed:
        return ans
    if len(titles) == 1:
        return replace(ans, answer=f"《{titles[0]}》：{ans.answer}")
    return replace(ans, answer=ans.answer + "\n（引自" + "、".join(f"《{t}》" for t in unnamed) + "）")
