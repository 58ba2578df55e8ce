"""Files uploaded through the UI's 文件 page, from Gradio's upload folder into the data home (issue 11).

Gradio stores an upload at <its folder>/<hash of the bytes>/<name>: one path for one file's bytes, shared by every
session, and served (/file=…) while it stays there. So the uploads leave that folder, and each import reads bytes
of its own:

- `stage` (when an import starts, before it waits for the write lock): each upload is linked (or copied) to
  HOME/uploads/.incoming/<token>/<name>, which only this import reads, and then leaves Gradio's folder. A second
  session that uploaded the same file finds the path gone and links the copy an earlier import made (staged or
  kept), so neither import's file can be moved away under the other, whichever ends first.
- `keep` (when the import has ended): the staged copy goes to HOME/uploads/<doc_id>/<name> when a document was
  stored from its bytes, else it is deleted (a refused file). Removing or replacing the document deletes it (`drop`).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
import uuid
from pathlib import Path
from typing import Callable

INCOMING = ".incoming"  # not a doc_id: those are hex digests
STALE_S = 24 * 3600.0  # staged copies left by a server that died during an import are deleted after a day
MAX_REMEMBERED = 1000


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)  # the same bytes under a second name: instant, and safe from a move or delete of src
    except FileNotFoundError:
        raise
    except OSError:  # another file system (Gradio's folder in /tmp, the home elsewhere), or no hard links
        shutil.copy2(src, dest)


def _leave_upload_folder(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
        path.parent.rmdir()  # Gradio's one-file folder, when now empty
    except OSError:
        pass


class Uploads:
    """`folder()` returns HOME/uploads of the service's current settings; `find_by_hash(sha256)` the stored
    document with those bytes, or None."""

    def __init__(self, folder: Callable[[], Path], find_by_hash: Callable[[str], str | None]):
        self._folder = folder
        self._find_by_hash = find_by_hash
        self._lock = threading.Lock()
        # Gradio path → where a copy of its bytes is now (an import's staged copy, then the kept file)
        self._copies: dict[str, Path] = {}
        self._clear_stale()

    @property
    def folder(self) -> Path:
        return self._folder()

    def stage(self, paths: list[Path]) -> list[Path]:
        """The files one import reads: its own copy of each upload (see the module's doc). A path with no bytes
        anywhere is handed on as it is, and the ingest refuses it as missing (文件不存在)."""
        with self._lock:
            return [self._stage_one(Path(p)) for p in paths]

    def _stage_one(self, path: Path) -> Path:
        if self.folder in path.parents:
            return path  # already in the home
        for src in (path, self._copies.get(str(path))):
            if src is None:
                continue
            dest = self.folder / INCOMING / uuid.uuid4().hex / path.name
            dest.parent.mkdir(parents=True)
            try:
                _link_or_copy(src, dest)
            except OSError:  # gone meanwhile: try the next copy
                shutil.rmtree(dest.parent, ignore_errors=True)
                continue
            if src == path:
                self._remember(str(path), dest)
                _leave_upload_folder(path)
            return dest
        return path

    def keep(self, paths: list[Path]) -> None:
        """After an import: each staged copy (or an upload handed in as it is) to HOME/uploads/<doc_id>/<name> when
        a document was stored from its bytes, else deleted."""
        with self._lock:
            for path in map(Path, paths):
                self._keep_one(path)

    def _keep_one(self, path: Path) -> None:
        staged = path.parent.parent == self.folder / INCOMING
        if self.folder in path.parents and not staged:
            return  # already kept
        try:
            doc_id = self._find_by_hash(_digest(path))
        except OSError:
            return
        try:
            if doc_id:
                dest = self.folder / doc_id / path.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                if dest.exists() and os.path.samefile(dest, path):
                    path.unlink()  # another session's import kept these very bytes (a rename would do nothing)
                else:
                    shutil.move(str(path), str(dest))
                self._moved(path, dest, staged)
            else:
                path.unlink(missing_ok=True)
                self._moved(path, None, staged)
            path.parent.rmdir()  # the import's staging folder, or Gradio's one-file folder, when now empty
        except OSError:
            pass

    def _remember(self, key: str, where: Path) -> None:
        if len(self._copies) >= MAX_REMEMBERED and key not in self._copies:
            self._copies.pop(next(iter(self._copies)))
        self._copies[key] = where

    def _moved(self, old: Path, new: Path | None, staged: bool) -> None:
        """A copy moved (or, None, deleted): the Gradio paths it stood for now point at `new`."""
        if not staged:  # an upload kept as it was handed in: its own path stands for it
            if new is None:
                self._copies.pop(str(old), None)
            else:
                self._remember(str(old), new)
            return
        for k in [k for k, v in self._copies.items() if v == old]:
            if new is None:
                self._copies.pop(k)
            else:
                self._copies[k] = new

    def of(self, doc_id: str) -> list[Path]:
        folder = self.folder / doc_id
        return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []

    def drop(self, doc_id: str) -> None:
        folder = self.folder / doc_id
        if doc_id and folder.parent == self.folder and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)

    def _clear_stale(self) -> None:
        incoming = self.folder / INCOMING
        if not incoming.is_dir():
            return
        now = time.time()
        for d in incoming.iterdir():
            try:
                if now - d.stat().st_mtime > STALE_S:
                    shutil.rmtree(d, ignore_errors=True)
            except OSError:
                pass
