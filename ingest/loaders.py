"""The I/O edge of ingestion: files and folders in, raw page text or a reasoned refusal out.

`FileLoader(max_file_mb=…, timeout_s=…, workers=…)` checks each file (type, size, encoding, PDF envelope),
parses PDFs in separate worker processes (`ingest/pdf_worker.py`) under a time limit and a memory cap, and
refuses what cannot become trustworthy text: encrypted, corrupt, truncated, scanned (no text layer) and
garbled (text layer that is not real Chinese) files, and text that is not Chinese at all. Text is returned
raw; `ingest.clean` normalises it.

`load_many` yields exactly one result per entry of `expand(paths)`, **in that order** (results that finish
early are held back), so a caller can size a progress bar with `len(expand(paths))` and pair each result
with its file. A refused file is yielded as an `errors.RejectedFile` value, never raised, so one bad file
never stops the batch. `load_file` raises it instead. With `known` (content hash → already stored), such a file
is yielded as `Unchanged` without being parsed. Up to `workers` PDFs keep parsing while the caller
handles the previous result; closing the iterator early kills the workers.

The worker processes are driven by `ingest.pdf_pool`; what counts as real Chinese text (and the decoding of
text files) is `ingest.textcheck`.
"""
from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import stat
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from errors import RejectedFile
from ingest import pdf_worker as pw
from ingest.pdf_pool import WORKER_SCRIPT, PdfJob, Pool, Reply, reject as _reject
from ingest.textcheck import check_pdf_pages, decode_text, garbled_reason, split_pages, text_stats

log = logging.getLogger(__name__)

SUPPORTED = {".pdf": "pdf", ".txt": "txt", ".md": "md"}
MB = 1024 * 1024

PDF_TAIL_BYTES = 8192  # where %%EOF must appear; its absence means the file was cut off


@dataclass
class LoadedFile:
    path: Path
    source: str  # file name
    title_hint: str  # file name stem, surrounding white space stripped
    pages: list[str]  # raw text; page i (1-based) is pages[i-1]
    content_hash: str  # sha256 hex of the file bytes
    kind: str  # 'pdf' | 'txt' | 'md'
    warnings: list[str] = field(default_factory=list)  # accepted, but a user should know (blank pages…)


@dataclass
class Unchanged:
    """A file whose content (by hash) the caller already holds: yielded in its place, never parsed."""
    path: Path
    source: str  # file name
    content_hash: str


def expand(paths: Iterable[Path | str]) -> list[Path]:
    """Files to load, in order: folders expand recursively (sorted; only .pdf/.txt/.md; hidden names and
    other types skipped), files named directly are kept whatever they are (a missing or unsupported one
    becomes a refusal). A file reached twice is kept once."""
    out: list[Path] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)

    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, files in os.walk(p):  # does not follow directory symlinks: no loops
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED:
                        add(Path(root) / name)
        else:
            add(p)
    return out


def _pdf_envelope_reason(data: bytes) -> str | None:
    if b"%PDF-" not in data[:1024]:
        return "不是有效的 PDF 文件（没有 PDF 文件头，可能是改了扩展名的其他文件）"
    if b"%%EOF" not in data[-PDF_TAIL_BYTES:]:
        return "PDF 文件不完整（缺少结尾标记，可能下载或复制未完成）"
    return None


class FileLoader:
    """Loads .pdf/.txt/.md files; PDFs are parsed by `workers` separate processes.

    `worker_cmd` replaces the command that starts a PDF worker. It exists for the tests' stand-in worker
    (a hanging or memory-hungry parse) and is not wired to any setting or user input.
    """

    def __init__(self, *, max_file_mb: float, timeout_s: float, workers: int = 2,
                 memory_mb: int = 2048, worker_cmd: Sequence[str] | None = None,
                 known: Callable[[str], bool] | None = None):
        if not (isinstance(max_file_mb, (int, float)) and math.isfinite(max_file_mb) and max_file_mb > 0):
            raise ValueError(f"max_file_mb must be a positive number, got {max_file_mb!r}")
        if not (isinstance(timeout_s, (int, float)) and math.isfinite(timeout_s) and timeout_s > 0):
            raise ValueError(f"timeout_s must be a positive number, got {timeout_s!r}")
        if not (isinstance(workers, int) and workers >= 1):
            raise ValueError(f"workers must be an integer >= 1, got {workers!r}")
        if not (isinstance(memory_mb, int) and memory_mb >= 256):
            raise ValueError(f"memory_mb must be an integer >= 256, got {memory_mb!r}")
        self.max_file_mb = max_file_mb
        self.timeout_s = timeout_s
        self.workers = workers
        self.memory_mb = memory_mb
        self.known = known  # content hash → already stored: such a file is yielded as Unchanged, not parsed
        base = list(worker_cmd) if worker_cmd else [sys.executable, "-P", str(WORKER_SCRIPT)]
        self._argv = base + ["--memory-mb", str(memory_mb)]

    def load(self, path: Path | str) -> LoadedFile:
        """One file; raises RejectedFile."""
        path = Path(path)
        if path.is_dir():
            raise _reject(path, "是文件夹，不是文件")
        (result,) = self._run([path])
        if isinstance(result, RejectedFile):
            raise result
        return result

    def load_many(self, paths: Iterable[Path | str]) -> Iterator[LoadedFile | RejectedFile | Unchanged]:
        """One result per entry of `expand(paths)`, in that order."""
        return self._run(expand(paths))

    def _run(self, entries: list[Path]) -> Iterator[LoadedFile | RejectedFile | Unchanged]:
        results: dict[int, LoadedFile | RejectedFile | Unchanged] = {}
        todo = deque(enumerate(entries))
        pool = Pool(self._argv, self.workers, self.timeout_s)
        next_out = 0
        try:
            while next_out < len(entries):
                # Fill the workers before yielding: they keep parsing while the caller handles a result.
                # Held-back results are bounded, so a folder of text files streams instead of piling up.
                while todo and pool.busy() < pool.size and len(results) < pool.size:
                    i, p = todo.popleft()
                    r = self._precheck(i, p)
                    if isinstance(r, PdfJob):
                        pool.submit(r)
                    else:
                        results[i] = r
                if next_out in results:  # one at a time, refilling the workers in between
                    yield results.pop(next_out)
                    next_out += 1
                    continue
                # The next result is being parsed, or waits for a worker: both end in a pool outcome.
                for job, outcome in pool.wait():
                    results[job.index] = self._finish(job, outcome)
        finally:
            pool.close()

    def _precheck(self, index: int, path: Path) -> LoadedFile | RejectedFile | Unchanged | PdfJob:
        """Everything decidable without parsing a PDF; text files are loaded here completely."""
        try:
            st = path.stat()
        except FileNotFoundError:
            return _reject(path, "文件不存在")
        except OSError as exc:
            return _reject(path, f"无法访问文件：{exc.strerror}")
        if stat.S_ISDIR(st.st_mode):
            return _reject(path, "是文件夹，不是文件")
        kind = SUPPORTED.get(path.suffix.lower())
        if kind is None:
            shown = path.suffix or "无扩展名"
            return _reject(path, f"不支持的文件类型（{shown}），只支持 .pdf、.txt、.md")
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            return _reject(path, "不是普通文件")
        if st.st_size == 0:
            return _reject(path, "空文件（0 字节）")
        if st.st_size > self.max_file_mb * MB:
            return _reject(path, f"文件过大：{st.st_size / MB:.2f} MB，超过上限 {self.max_file_mb:g} MB")
        try:
            data = path.read_bytes()
        except OSError as exc:
            return _reject(path, f"无法读取文件：{exc.strerror}")
        content_hash = hashlib.sha256(data).hexdigest()
        if self.known is not None and self.known(content_hash):
            return Unchanged(path, path.name, content_hash)
        if kind == "pdf":
            reason = _pdf_envelope_reason(data)
            return _reject(path, reason) if reason else PdfJob(index, path, content_hash)
        return self._text_file(path, data, content_hash, kind)

    def _text_file(self, path: Path, data: bytes, content_hash: str, kind: str) -> LoadedFile | RejectedFile:
        text = decode_text(data)
        if text is None:
            return _reject(path, "文本文件编码无法识别（不是 UTF-8、UTF-16 或 GB18030/GBK），请另存为 UTF-8")
        stats = text_stats(text)
        if stats.letters == 0:
            return _reject(path, "文件没有文字内容")
        reason = garbled_reason(stats)
        if reason:
            return _reject(path, reason)
        return _loaded(path, split_pages(text), content_hash, kind, [])

    def _finish(self, job: PdfJob, outcome: Reply | RejectedFile) -> LoadedFile | RejectedFile:
        if isinstance(outcome, RejectedFile):
            return outcome
        for line in outcome.log:
            log.debug("pypdf %s: %s", job.path.name, line)
        if not outcome.ok:
            return _reject(job.path, self._error_reason(outcome))
        reason, warnings = check_pdf_pages(outcome.pages)
        if reason:
            return _reject(job.path, reason)
        return _loaded(job.path, outcome.pages, job.content_hash, "pdf", warnings)

    def _error_reason(self, reply: Reply) -> str:
        if reply.error == pw.ENCRYPTED:
            return "PDF 已加密，需要密码才能打开；请提供未加密的版本"
        if reply.error == pw.ENCRYPTED_UNSUPPORTED:
            return "PDF 已加密（AES），本环境无法解密（缺少 cryptography 库）；请提供未加密的版本"
        if reply.error == pw.LIMIT:
            return "PDF 内容超出解析上限（异常巨大的压缩数据，可能是压缩炸弹），已拒绝"
        if reply.error == pw.MEMORY:
            return f"解析 PDF 所需内存超过上限 {self.memory_mb} MB，已终止解析"
        # pypdf's own words ("startxref not found") go to the log; the reason shown in the Chinese UI keeps only the
        # exception's name (issue 11: warnings shown in the UI are in Chinese).
        log.warning("PDF 文件损坏: %s", reply.detail[:500])
        name = reply.detail.split(":", 1)[0].strip()
        return f"PDF 文件损坏，无法解析（{name}）" if re.fullmatch(r"[A-Za-z_]\w{0,60}", name) else "PDF 文件损坏，无法解析"


def _loaded(path: Path, pages: list[str], content_hash: str, kind: str, warnings: list[str]) -> LoadedFile:
    return LoadedFile(path=path, source=path.name, title_hint=path.stem.strip(), pages=pages,
                      content_hash=content_hash, kind=kind, warnings=warnings)


def load_file(path: Path | str, *, max_file_mb: float, timeout_s: float) -> LoadedFile:
    """Load one file or raise errors.RejectedFile with the reason."""
    return FileLoader(max_file_mb=max_file_mb, timeout_s=timeout_s, workers=1).load(path)


def load_many(paths: Iterable[Path | str], *, max_file_mb: float, timeout_s: float,
              workers: int = 2) -> Iterator[LoadedFile | RejectedFile]:
    """Files and folders → one LoadedFile or RejectedFile per entry of `expand(paths)`, in that order."""
    return FileLoader(max_file_mb=max_file_mb, timeout_s=timeout_s, workers=workers).load_many(paths)
