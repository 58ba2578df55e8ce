"""An empty POLICYQA_HOME is refused with a message (it would silently be the current folder)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_an_empty_home_is_refused(monkeypatch):
    monkeypatch.setenv("POLICYQA_HOME", "")
    with pytest.raises(ValueError, match="POLICYQA_HOME is set but empty"):
        Settings()


def test_a_named_home_is_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("POLICYQA_HOME", str(tmp_path / "h"))
    assert Settings().home == tmp_path / "h"


def test_the_cli_says_so_and_writes_nothing_in_the_current_folder(tmp_path):
    env = {"POLICYQA_HOME": "", "PATH": "", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, str(ROOT / "app.py"), "docs"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "POLICYQA_HOME is set but empty" in out.stdout + out.stderr
    assert not (tmp_path / "knowledge.sqlite3").exists()
