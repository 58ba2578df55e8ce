"""The extraction version follows the extraction rules: a change to any module that derives knowledge (or to a data
file under knowledge/data/) without a new EXTRACTION_VERSION would leave every existing home with knowledge derived
by the old rules, since re-derivation runs only for documents of an older version (knowledge/derive.py)."""
from __future__ import annotations

import ast
import hashlib
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

# Lists the project modules the rules import, in a fresh interpreter (whatever this test session has loaded).
_IMPORTS = """
import json, pathlib, sys
root = pathlib.Path.cwd().resolve()
from knowledge.extract import enrich
from knowledge.support import link_support
print(json.dumps(sorted(m.__file__ for m in list(sys.modules.values())
                        if getattr(m, "__file__", None) and pathlib.Path(m.__file__).resolve().is_relative_to(root)
                        and ".venv" not in pathlib.Path(m.__file__).parts)))
"""


def _code_only(source: str) -> str:
    """The module's syntax tree without docstrings: comments and docstrings may change freely."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(getattr(body[0], "value", None), ast.Constant) and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, include_attributes=False)


def rules_fingerprint() -> str:
    files = json.loads(subprocess.run([sys.executable, "-c", _IMPORTS], cwd=ROOT, check=True, capture_output=True,
                                      text=True).stdout)
    h = hashlib.sha256()
    for rel in sorted(Path(f).resolve().relative_to(ROOT).as_posix() for f in files):
        if rel == "knowledge/derive.py":
            continue  # holds the version and this fingerprint
        h.update(rel.encode() + b"\0" + _code_only((ROOT / rel).read_text(encoding="utf-8")).encode() + b"\0")
    for data in sorted((ROOT / "knowledge" / "data").glob("*")):
        h.update(data.name.encode() + b"\0" + data.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def test_a_change_of_the_extraction_rules_comes_with_a_new_extraction_version():
    from knowledge.derive import EXTRACTION_RULES, EXTRACTION_VERSION

    now = rules_fingerprint()
    assert EXTRACTION_RULES == now, (
        f"the extraction rules changed: raise EXTRACTION_VERSION (now {EXTRACTION_VERSION}) in knowledge/derive.py "
        f"and set EXTRACTION_RULES = {now!r} there, so existing homes re-derive their knowledge at the next start")


def test_the_fingerprint_ignores_comments_and_docstrings_but_not_code():
    a = 'def f(x):\n    """Doc."""\n    return x + 1  # one\n'
    b = 'def f(x):\n    """Other doc."""\n    # a comment\n    return x + 1\n'
    c = 'def f(x):\n    """Doc."""\n    return x + 2\n'
    assert _code_only(a) == _code_only(b) != _code_only(c)
