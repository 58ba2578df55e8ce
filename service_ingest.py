"""An ingest in a child process, for the server: the embedded Chroma client holds the GIL for the whole of each
write (seconds for a batch), which stopped every question of the serving process (issue 11). The child runs the
same `DocumentLibrary.ingest` on the same data home and settings (its own store, index and `write.lock`), streams
its progress and sends back the `IngestReport`; the serving process then sees the new documents the way it sees
a CLI ingest's (the store's data_version, the BM25 generation, Chroma reopened with it).

Protocol, one line each on the child's stdout (its own stdout goes to stderr, so a library's print cannot break
it): `P <json [done, total, name]>`, then `R <base64 pickle of the IngestReport>` or `E <base64 pickle of the
PolicyQAError>` / `X <message>` for any other error. A child that dies without either line is reported as such.

A script rather than multiprocessing: spawn would re-run the server's __main__ (app.py)."""
from __future__ import annotations

import base64
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Callable

from errors import PolicyQAError

PROJECT_DIR = Path(__file__).resolve().parent


class IngestProcessFailed(PolicyQAError):
    """The child process ended without a report (killed, out of memory, crashed)."""


def _encode(obj) -> str:
    return base64.b64encode(pickle.dumps(obj)).decode("ascii")


def _decode(text: str):
    return pickle.loads(base64.b64decode(text))


def run_child(settings, paths: list[Path], progress: Callable[[int, int, str], None] | None = None):
    """Ingest `paths` in a child process with `settings`; returns its IngestReport. Raises the child's
    PolicyQAError (KnowledgeBaseBusy …) as is, IngestProcessFailed when it died without a report."""
    request = json.dumps({"settings": json.loads(settings.model_dump_json()),
                          "paths": [str(Path(p).resolve()) for p in paths]}, ensure_ascii=False)
    proc = subprocess.Popen([sys.executable, str(PROJECT_DIR / "service_ingest.py")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, cwd=os.getcwd(), text=True, encoding="utf-8")
    outcome: tuple[str, str] | None = None
    try:
        proc.stdin.write(request)
        proc.stdin.close()
        for line in proc.stdout:
            kind, _, body = line.rstrip("\n").partition(" ")
            if kind == "P" and progress is not None:
                done, total, name = json.loads(body)
                progress(done, total, name)
            elif kind in ("R", "E", "X"):
                outcome = (kind, body)
    finally:
        proc.stdout.close()
        code = proc.wait()
    if outcome is None:
        how = f"被信号 {-code} 终止" if code < 0 else f"退出码 {code}"
        raise IngestProcessFailed(f"导入进程意外结束（{how}）：已完成的文件已保存并可检索，"
                                  "其余文件未导入，请重新导入（相同内容的文件会显示为未变更）。")
    kind, body = outcome
    if kind == "R":
        return _decode(body)
    if kind == "E":
        raise _decode(body)
    raise RuntimeError(f"ingest child failed: {body}")


def main() -> int:
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # anything else the child prints goes to stderr
    sys.stdout = sys.stderr
    request = json.loads(sys.stdin.read())

    from ingest.pdf_worker import idle_priority

    # Below the serving process, and so are the PDF and embedding workers and Chroma's threads it starts (they
    # inherit the class): its own work (storing, Chroma's writes, BM25) runs only on cores the questions leave.
    idle_priority()
    from service import PolicyService
    from settings import Settings

    service = PolicyService(Settings(**request["settings"]))

    def step(done: int, total: int, name: str) -> None:
        out.write("P " + json.dumps([done, total, name], ensure_ascii=False) + "\n")

    try:
        report = service.ingest([Path(p) for p in request["paths"]], progress=step)
        out.write("R " + _encode(report) + "\n")
        return 0
    except PolicyQAError as e:
        out.write("E " + _encode(e) + "\n")
        return 2
    except Exception as e:  # noqa: BLE001 - reported to the parent, which logs it
        import traceback

        traceback.print_exc()
        out.write("X " + f"{type(e).__name__}: {e}".replace("\n", " ") + "\n")
        return 1
    finally:
        service.close()
        out.flush()


if __name__ == "__main__":
    sys.exit(main())
