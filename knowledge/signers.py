"""The bodies that sign a document (GB/T 9704-2012's 发文机关署名) and how a run of their names, as a text layer runs a
joint signature together, splits into bodies (docs/issuers.md). Pure. Kept apart from knowledge.bureaus, which the
extraction rules import, so this reading — an answer's, not ingest's — leaves EXTRACTION_VERSION alone."""
from __future__ import annotations

import re

from knowledge.bureaus import _CANONICAL, body_kinds  # the bureau table and the body kinds: read, not copied

# The kinds of the organs that sign a document (GB/T 9704-2012's 发文机关署名): BODY_KINDS, a ministry (交通运输部),
# an administration (总局, 署), a general office (办公厅), an academy (中科院), a bank (人民银行), a people's government
# (政府) and a federation or association (省妇女联合会, 会).
SIGNING_KINDS = body_kinds("办公厅", "联合会", "总局", "银行", "部", "院", "政府", "会", "署")
# An organ of the body named right before it, not a body of its own: its office (生态环境部办公厅, 国务院办公厅,
# 省人民政府办公室; 中共福建省委精神文明建设办公室, corpus-dc 295, an office named by its field with no level of its
# own), a congress's standing committee (天津市人民代表大会常务委员会, 58) and a regulator's local branch (中国银保监会
# 三明监管分局, 262; 中国银行保险监督管理委员会北京监管局, 515): GB/T 9704 signs with the organ's full name, which is
# its parent's name and the organ's.
_ORGAN_OF_BEFORE = re.compile(r"(?:办公厅|办公室|办|常务委员会|常委会)|[\u4e00-\u9fff]{0,4}(?:监管局|监管分局|分局)|"
                              r"(?!.*(?:省|市|县|区|国家|中国|中共|自治区|国务院))[\u4e00-\u9fff]{2,12}(?:办公室|办公厅)")
# The bureau table's full names (中国银行保险监督管理委员会, 国家市场监督管理总局, 人民政府国有资产监督管理委员会) are one
# body even where a kind word stands inside them (银行, 政府).
_TABLE_NAMES = tuple(sorted({*_CANONICAL.values()}, key=len, reverse=True))


def split_bodies(run: str) -> list[str]:
    """The names of the bodies a signature runs together (工业和信息化部国家发展和改革委员会生态环境部 → three;
    交通运输部国家铁路局中国民用航空局国家邮政局 → four; 生态环境部办公厅 → one), in order. A body's name is a level
    and a field closed by its kind (SIGNING_KINDS); the run is cut after each kind, except inside a name of the bureau
    table, and a piece that is an organ of the body before it (_ORGAN_OF_BEFORE: 办公厅, 常务委员会, 北京监管局) or a
    lone kind character (会 after 委) stays with it. A remainder that ends in no kind is the last piece as written: the caller decides."""
    protected = set()
    for name in _TABLE_NAMES:
        for m in re.finditer(re.escape(name), run):
            protected.update(range(m.start() + 1, m.end()))
    cuts = [m.end() for m in re.finditer(SIGNING_KINDS, run) if m.end() not in protected]
    pieces, start = [], 0
    for end in [*cuts, len(run)]:
        if end <= start:
            continue
        piece = run[start:end]
        if pieces and (len(piece) == 1 or _ORGAN_OF_BEFORE.fullmatch(piece)):
            pieces[-1] += piece
        else:
            pieces.append(piece)
        start = end
    return pieces
