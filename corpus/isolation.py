"""Reading untrusted files in a worker process with a wall-clock time limit and a memory limit.

A hostile or broken file (a decompression bomb, a circular cross-reference chain, a parser bug) can make a parser
loop, eat memory or crash. Parsing in a separate process turns each of these into that file's failure alone: the
worker is killed and restarted, and the batch goes on. One worker serves many files; it is restarted only after a
timeout or a crash, so isolation costs one interpreter start per batch, not one per file.

The worker is a plain `python -m corpus.isolation` subprocess talking over a socket pair, so it never re-imports the
caller's `__main__` (a CLI, a test runner or a web server) the way multiprocessing's spawn and forkserver do.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from corpus.errors import LoadError
from corpus.models import Document
from corpus.ocr import OcrConfig

DEFAULT_LOADER = "corpus.loaders:load_document"
STARTUP_TIMEOUT_S = 120  # starting Python and importing the parsers, on a busy machine


class IsolatedLoader:
    """`load_document` run in a reusable worker process; any failure of one file is a `LoadError` for that file."""

    def __init__(self, timeout_s: float, memory_mb: int | None, loader: str = DEFAULT_LOADER):
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.loader = loader  # "module:function", imported in the worker
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self.restarts = 0  # workers started after the first, for reports and tests

    def __enter__(self) -> IsolatedLoader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load(
        self,
        path: Path,
        overrides: dict[str, Any] | None = None,
        max_bytes: int | None = None,
        ocr: OcrConfig | None = None,
        on_page: Callable[[int, int], None] | None = None,
    ) -> Document:
        """The file read into a Document, or a LoadError naming it; never hangs past the time limit.

        The limit applies between signs of life: a long scan whose pages are being recognised reports each page
        (`on_page(done, total)`), and each report restarts the clock."""
        conn = self._worker(path.name)
        try:
            conn.send((str(path), overrides, max_bytes, ocr))
        except OSError as exc:  # the worker died between files
            self._stop()
            raise LoadError(path.name, f"the document reader stopped unexpectedly ({exc}); try again") from exc
        while True:
            try:
                answered = conn.poll(self.timeout_s)
            except OSError as exc:
                self._stop()
                raise LoadError(path.name, f"the document reader stopped unexpectedly ({exc}); try again") from exc
            if not answered:
                self._stop()
                raise LoadError(
                    path.name,
                    f"reading it took longer than {self.timeout_s:g} s, so it was stopped (a damaged or hostile file?)",
                )
            try:
                status, payload = conn.recv()
            except (EOFError, OSError, ValueError, TypeError) as exc:  # the worker crashed mid-file
                code = self._stop()
                raise LoadError(path.name, self._crash_reason(code)) from exc
            if status != "page":
                break
            if on_page:
                on_page(*payload)
        if status == "failed":
            if payload.get("fatal"):  # e.g. out of memory: don't trust this worker with the next file
                self._stop()
            raise LoadError(path.name, payload["reason"])
        if not isinstance(payload, Document):
            self._stop()
            raise LoadError(path.name, "the document reader returned something unexpected")
        return payload

    def close(self) -> None:
        """Stop the worker (it exits on its own when its socket closes, too)."""
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.send(None)
        self._stop(graceful=True)

    def _worker(self, file: str) -> Connection:
        """The running worker, or a new one once it has imported its parsers (not counted in a file's time)."""
        if self._conn is not None and self._process is not None and self._process.poll() is None:
            return self._conn
        if self._process is not None:
            self._stop()
            self.restarts += 1
        ours, theirs = socket.socketpair()
        package_root = str(Path(__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        args = [sys.executable, "-m", "corpus.isolation", str(theirs.fileno()), self.loader, str(self.memory_mb or 0)]
        self._process = subprocess.Popen(args, pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL)
        theirs.close()
        self._conn = Connection(ours.detach())
        try:
            ready = self._conn.poll(STARTUP_TIMEOUT_S) and self._conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            code = self._stop()
            raise LoadError(file, f"the document reader did not start (exit status {code}); is the install complete?")
        return self._conn

    def _stop(self, graceful: bool = False) -> int | None:
        """End the worker (killing it unless it is exiting anyway) and return its exit code."""
        process, conn = self._process, self._conn
        self._conn = None
        code = None
        if process is not None:
            try:
                code = process.wait(timeout=2 if graceful else 0.2)
            except subprocess.TimeoutExpired:
                process.kill()
                code = process.wait()
        if conn is not None:
            conn.close()
        return code

    def _crash_reason(self, code: int | None) -> str:
        how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with status {code}"
        limit = f" (the memory limit is {self.memory_mb} MB)" if self.memory_mb else ""
        return f"the document reader crashed on it: it {how}{limit}; the file is probably damaged or hostile"


def _limit_memory(memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _import_loader(spec: str) -> Callable[..., Document]:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def serve(fd: int, loader_spec: str, memory_mb: int) -> None:
    """The worker's loop: read (path, overrides, max_bytes), answer ("ok", Document) or ("failed", reason)."""
    import logging
    import warnings

    logging.disable(logging.CRITICAL)  # the parent reports one reason per file; parsers log every oddity
    warnings.simplefilter("ignore")
    load = _import_loader(loader_spec)
    conn = Connection(fd)
    if memory_mb:
        _limit_memory(memory_mb)
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        path, overrides, max_bytes, ocr = request
        fatal = False

        def heartbeat(done: int, total: int) -> None:
            conn.send(("page", (done, total)))

        try:
            options = {"ocr": ocr, "on_page": heartbeat} if ocr is not None else {}
            answer: tuple[str, Any] = ("ok", load(Path(path), overrides, max_bytes, **options))
        except LoadError as exc:
            answer = ("failed", {"reason": exc.reason})
        except MemoryError:
            fatal = True
            answer = (
                "failed",
                {"reason": f"reading it needed more than the {memory_mb} MB memory limit", "fatal": True},
            )
        except RecursionError:
            answer = ("failed", {"reason": "its structure is nested too deeply to read (a damaged or hostile file?)"})
        except Exception as exc:  # any other failure is this file's alone: name it and go on
            answer = ("failed", {"reason": f"could not be read ({exc.__class__.__name__}: {exc})"[:500]})
        try:
            conn.send(answer)
        except MemoryError:
            conn.send(("failed", {"reason": "its text is too large to hand over", "fatal": True}))
            fatal = True
        if fatal:
            return


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
