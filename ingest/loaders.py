"""The I/O edge of ingestion: files and folders in, raw page text or a reasoned refusal out.

`FileLoader(max_file_mb=…, timeout_s=…, workers=…)` checks each file (type, size, encoding, PDF envelope),
parses PDFs in separate worker processes (`ingest/pdf_worker.py`) under a time limit and a memory cap, and
refuses what cannot become trustworthy text: encrypted, corrupt, truncated, scanned (no text layer) and
garbled (text layer that is not real Chinese) files, and text that is not Chinese at all. Text is returned
raw; `ingest.clean` normalises it.

`load_many` yields exactly one result per entry of `expand(paths)`, **in that order** (results that finish
early are held back), so a caller can size a progress bar with `len(expand(paths))` and pair each result
with its file. A refused file is yielded as an `errors.RejectedFile` value, never raised, so one bad file
never stops the batch. `load_file` raises it instead. Up to `workers` PDFs keep parsing while the caller
handles the previous result; closing the iterator early kills the workers.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import logging
import math
import os
import select
import stat
import subprocess
import sys
import time
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from errors import PolicyQAError, RejectedFile
from ingest import pdf_worker as pw

log = logging.getLogger(__name__)

SUPPORTED = {".pdf": "pdf", ".txt": "txt", ".md": "md"}
WORKER_SCRIPT = Path(__file__).with_name("pdf_worker.py")
MB = 1024 * 1024

# Garble / no-text thresholds, measured on the development corpus (share of Han characters among all
# letters: 0.969–1.000 for every good PDF, 0.063 for the garbled 广东 PDF, whose text layer maps glyphs
# to Arabic, Hangul, Cyrillic, Malayalam… code points).
MIN_HAN_SHARE = 0.30
MAX_BAD_SHARE = 0.05  # U+FFFD, private-use and control characters among letters + those
MIN_LETTERS_PER_PAGE = 20  # below this on average a PDF has no real text layer (scanned or blank)
PAGE_CHECK_MIN_LETTERS = 50  # pages shorter than this are too small to call garbled
PDF_TAIL_BYTES = 8192  # where %%EOF must appear; its absence means the file was cut off
STARTUP_S = 60.0  # a worker that cannot import pypdf within this is a broken installation


@dataclass
class LoadedFile:
    path: Path
    source: str  # file name
    title_hint: str  # file name stem, surrounding white space stripped
    pages: list[str]  # raw text; page i (1-based) is pages[i-1]
    content_hash: str  # sha256 hex of the file bytes
    kind: str  # 'pdf' | 'txt' | 'md'
    warnings: list[str] = field(default_factory=list)  # accepted, but a user should know (blank pages…)


class TextStats(NamedTuple):
    letters: int  # Unicode letters of any script (Han included)
    han: int  # CJK ideographs
    latin: int  # Latin letters (ASCII, accented, full-width)
    bad: int  # U+FFFD, private-use, control characters other than tab/newline/form feed

    @property
    def han_share(self) -> float:
        return self.han / self.letters if self.letters else 0.0

    @property
    def bad_share(self) -> float:
        total = self.letters + self.bad
        return self.bad / total if total else 0.0


def _is_han(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x323AF)


def _is_latin(ch: str) -> bool:
    o = ord(ch)
    return o < 0x250 or 0xFF21 <= o <= 0xFF5A


def text_stats(text: str) -> TextStats:
    letters = han = latin = bad = 0
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] == "L":
            letters += 1
            han += _is_han(ch)
            latin += _is_latin(ch)
        elif ch == "\ufffd" or cat == "Co" or (cat == "Cc" and ch not in "\t\n\r\f\v"):
            bad += 1
    return TextStats(letters, han, latin, bad)


def garbled_reason(stats: TextStats, what: str = "文件内容") -> str | None:
    """Why a text is not usable Chinese text, or None. Assumes stats.letters > 0."""
    if stats.bad_share > MAX_BAD_SHARE:
        return (f"{what}是乱码：{stats.bad_share:.0%} 的字符无法识别（替换符、私用区或控制字符），"
                "可能是编码或字体映射错误")
    if stats.han_share < MIN_HAN_SHARE:
        share = f"汉字只占文字的 {stats.han_share:.0%}（中文文件在 {MIN_HAN_SHARE:.0%} 以上）"
        if stats.latin * 2 >= stats.letters:  # readable, just not Chinese: say so rather than "garbled"
            return f"{what}不是中文：{share}，大部分是拉丁字母；本系统只处理中文文件"
        return f"{what}是乱码：{share}，其余是其他文种的字符，多半是字体编码映射错误"
    return None


def decode_text(data: bytes) -> str | None:
    """UTF-16 when it carries a BOM; else UTF-8 (BOM optional); else GB18030 (a superset of GBK/GB2312)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def split_pages(text: str) -> list[str]:
    """Form feeds separate pages (pdftotext style, which also ends the last page with one)."""
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    return pages


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


def _group_pages(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers[:10]) + ("…" if len(numbers) > 10 else "")


def check_pdf_pages(pages: list[str]) -> tuple[str | None, list[str]]:
    """(refusal reason or None, warnings) for a PDF's extracted page texts."""
    per_page = [text_stats(p) for p in pages]
    total = TextStats(*(sum(col) for col in zip(*per_page))) if per_page else TextStats(0, 0, 0, 0)
    if not pages or total.letters < MIN_LETTERS_PER_PAGE * len(pages):
        return ("PDF 没有文字层（可能是扫描件或空白页），无法提取文字；请先做文字识别（OCR）"
                "或提供文字版"), []
    reason = garbled_reason(total, "PDF 文字层")
    if reason:
        return reason + "；请提供文字版或先做文字识别（OCR）", []
    warnings = []
    empty = [i for i, s in enumerate(per_page, 1) if s.letters == 0]
    if empty:
        warnings.append(f"第 {_group_pages(empty)} 页没有可提取的文字（空白页或扫描页）")
    garbled = [i for i, s in enumerate(per_page, 1)
               if s.letters >= PAGE_CHECK_MIN_LETTERS and garbled_reason(s)]
    if garbled:
        warnings.append(f"第 {_group_pages(garbled)} 页文字层疑似乱码")
    return None, warnings


def _pdf_envelope_reason(data: bytes) -> str | None:
    if b"%PDF-" not in data[:1024]:
        return "不是有效的 PDF 文件（没有 PDF 文件头，可能是改了扩展名的其他文件）"
    if b"%%EOF" not in data[-PDF_TAIL_BYTES:]:
        return "PDF 文件不完整（缺少结尾标记，可能下载或复制未完成）"
    return None


class _PdfJob(NamedTuple):
    index: int
    path: Path
    content_hash: str


class _Reply(NamedTuple):
    """One decoded worker answer (see the protocol in pdf_worker.py)."""
    ok: bool
    pages: list[str]
    error: str
    detail: str
    log: list[str]


def _reject(path: Path, reason: str) -> RejectedFile:
    return RejectedFile(str(path), reason)


class _Worker:
    """One pdf_worker.py process; holds at most one job."""

    def __init__(self, argv: list[str]):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, close_fds=True)
        self.fd = self.proc.stdout.fileno()  # read with os.read: the BufferedReader is never used
        self.buf = bytearray()
        self.ready = False
        self.job: _PdfJob | None = None
        self.deadline = time.monotonic() + STARTUP_S

    def send(self) -> None:
        line = json.dumps({"path": str(self.job.path.resolve())}, ensure_ascii=False) + "\n"
        try:
            self.proc.stdin.write(line.encode("utf-8"))
            self.proc.stdin.flush()
        except BrokenPipeError:  # the worker died: its end of output is read next and reported as a crash
            pass

    def read_lines(self) -> list[bytes] | None:
        """Complete lines now available; None at end of output (the process is gone)."""
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            return None
        if b"\n" not in chunk:  # a large result arrives in many chunks: do not rescan the buffer
            self.buf += chunk
            return []
        self.buf += chunk
        *lines, rest = bytes(self.buf).split(b"\n")
        self.buf = bytearray(rest)
        return lines

    def _close_stdin(self) -> None:
        try:
            self.proc.stdin.close()  # end of input: a live worker leaves its loop
        except BrokenPipeError:  # the worker is already gone; wait() collects it
            pass

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self._close_stdin()
        self.proc.stdout.close()

    def reap(self) -> None:
        """After end of output: the process has exited or is about to."""
        self._close_stdin()
        self.proc.wait()
        self.proc.stdout.close()

    def close(self) -> None:
        self._close_stdin()
        try:
            self.proc.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


class _Pool:
    """Up to `size` workers; a worker that times out or dies is killed and replaced on demand."""

    def __init__(self, argv: list[str], size: int, timeout_s: float):
        self.argv = argv
        self.size = size
        self.timeout_s = timeout_s
        self.workers: list[_Worker] = []

    def busy(self) -> int:
        return sum(w.job is not None for w in self.workers)

    def submit(self, job: _PdfJob) -> None:
        idle = [w for w in self.workers if w.job is None]
        if idle:
            w = idle[0]
        else:
            w = _Worker(self.argv)
            self.workers.append(w)
        w.job = job
        # A starting worker gets the job at once (it reads it after start-up, even while our caller is
        # busy with a result); its clock starts when we see it ready.
        w.send()
        if w.ready:
            w.deadline = time.monotonic() + self.timeout_s

    def _drop(self, w: _Worker, *, kill: bool) -> None:
        self.workers.remove(w)
        if kill:
            w.kill()
        else:
            w.reap()

    def wait(self) -> list[tuple[_PdfJob, _Reply | RejectedFile]]:
        """Block until at least one job has an outcome (answer, timeout or crash)."""
        done: list[tuple[_PdfJob, _Reply | RejectedFile]] = []
        while not done:
            active = [w for w in self.workers if w.job is not None or not w.ready]
            if not active:
                raise RuntimeError("_Pool.wait called with nothing running")
            # Read first, judge deadlines after: an answer that arrived while our caller was busy with
            # the previous result must not be mistaken for a timeout.
            wait_ms = max(0, math.ceil((min(w.deadline for w in active) - time.monotonic()) * 1000))
            poller = select.poll()  # not select(): a server process may hold file descriptors above 1024
            by_fd = {w.fd: w for w in active}
            for fd in by_fd:
                poller.register(fd, select.POLLIN)
            for fd, _event in poller.poll(wait_ms):
                self._read(by_fd[fd], done)
            now = time.monotonic()
            for w in [w for w in self.workers if (w.job is not None or not w.ready) and now >= w.deadline]:
                self._drop(w, kill=True)
                if not w.ready:
                    raise PolicyQAError(f"PDF 解析进程 {STARTUP_S:g} 秒内未能启动（{WORKER_SCRIPT}）")
                done.append((w.job, _reject(w.job.path,
                                            f"解析超时：超过 {self.timeout_s:g} 秒仍未完成，已终止解析")))
        return done

    def _read(self, w: _Worker, done: list[tuple[_PdfJob, _Reply | RejectedFile]]) -> None:
        lines = w.read_lines()
        if lines is None:
            self._drop(w, kill=False)
            rc = w.proc.returncode
            if not w.ready:
                raise PolicyQAError(f"PDF 解析进程启动失败（退出码 {rc}，{WORKER_SCRIPT}）")
            done.append((w.job, _reject(w.job.path, f"解析进程意外退出（退出码 {rc}），"
                                                    "文件可能触发了解析器缺陷或内存上限")))
            return
        for line in lines:
            msg = json.loads(line)
            if msg.get("ready"):
                w.ready = True
                w.deadline = time.monotonic() + self.timeout_s if w.job is not None else math.inf
                continue
            done.append((w.job, _Reply(msg["ok"], msg.get("pages", []), msg.get("error", ""),
                                       msg.get("detail", ""), msg.get("log", []))))
            w.job, w.deadline = None, math.inf

    def close(self) -> None:
        for w in self.workers:
            if w.job is not None:
                w.kill()  # the caller abandoned the batch mid-parse
            else:
                w.close()
        self.workers.clear()


class FileLoader:
    """Loads .pdf/.txt/.md files; PDFs are parsed by `workers` separate processes.

    `worker_cmd` replaces the command that starts a PDF worker. It exists for the tests' stand-in worker
    (a hanging or memory-hungry parse) and is not wired to any setting or user input.
    """

    def __init__(self, *, max_file_mb: float, timeout_s: float, workers: int = 2,
                 memory_mb: int = 2048, worker_cmd: Sequence[str] | None = None):
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

    def load_many(self, paths: Iterable[Path | str]) -> Iterator[LoadedFile | RejectedFile]:
        """One result per entry of `expand(paths)`, in that order."""
        return self._run(expand(paths))

    def _run(self, entries: list[Path]) -> Iterator[LoadedFile | RejectedFile]:
        results: dict[int, LoadedFile | RejectedFile] = {}
        todo = deque(enumerate(entries))
        pool = _Pool(self._argv, self.workers, self.timeout_s)
        next_out = 0
        try:
            while next_out < len(entries):
                # Fill the workers before yielding: they keep parsing while the caller handles a result.
                # Held-back results are bounded, so a folder of text files streams instead of piling up.
                while todo and pool.busy() < pool.size and len(results) < pool.size:
                    i, p = todo.popleft()
                    r = self._precheck(i, p)
                    if isinstance(r, _PdfJob):
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

    def _precheck(self, index: int, path: Path) -> LoadedFile | RejectedFile | _PdfJob:
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
        if kind == "pdf":
            reason = _pdf_envelope_reason(data)
            return _reject(path, reason) if reason else _PdfJob(index, path, content_hash)
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

    def _finish(self, job: _PdfJob, outcome: _Reply | RejectedFile) -> LoadedFile | RejectedFile:
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

    def _error_reason(self, reply: _Reply) -> str:
        if reply.error == pw.ENCRYPTED:
            return "PDF 已加密，需要密码才能打开；请提供未加密的版本"
        if reply.error == pw.ENCRYPTED_UNSUPPORTED:
            return "PDF 已加密（AES），本环境无法解密（缺少 cryptography 库）；请提供未加密的版本"
        if reply.error == pw.LIMIT:
            return "PDF 内容超出解析上限（异常巨大的压缩数据，可能是压缩炸弹），已拒绝"
        if reply.error == pw.MEMORY:
            return f"解析 PDF 所需内存超过上限 {self.memory_mb} MB，已终止解析"
        return f"PDF 文件损坏，无法解析（{reply.detail[:200]}）"


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
