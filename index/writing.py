"""One writer at a time, and a generation counter that tells readers in other processes the index changed.

The lock is a file of ours in the index directory, held with `flock` and holding the writer's PID: the kernel
releases it when the writer exits or is killed, so a lock left by a dead process is simply taken over. Threads of
one process (uploads in the chat server) wait their turn instead of failing.

Chroma's embedded `query()` does not see rows another process added (chroma#3792), so each write ends by bumping
`generation`; an open `SearchIndex` compares it before searching and reopens when it changed.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import IndexLockedError

LOCK_FILE = "write.lock"
GENERATION_FILE = "generation"


@dataclass
class _ProcessHold:
    """This process's hold on one index's lock: threads queue on `turn`; `depth` allows nested writes."""

    turn: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    fd: int | None = None


_holds: dict[str, _ProcessHold] = {}
_holds_guard = threading.Lock()


@contextmanager
def write_lock(directory: Path) -> Iterator[None]:
    """Hold the index's write lock; another process holding it raises IndexLockedError naming its PID."""
    directory.mkdir(parents=True, exist_ok=True)
    with _holds_guard:
        hold = _holds.setdefault(str(directory.resolve()), _ProcessHold())
    with hold.turn:
        if hold.depth == 0:
            hold.fd = _acquire(directory / LOCK_FILE)
        hold.depth += 1
        try:
            yield
        finally:
            hold.depth -= 1
            if hold.depth == 0 and hold.fd is not None:
                os.ftruncate(hold.fd, 0)
                fcntl.flock(hold.fd, fcntl.LOCK_UN)
                os.close(hold.fd)
                hold.fd = None


def _acquire(path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise IndexLockedError(
            f"The index at {path.parent} is being written by process {holder}; wait for it to finish "
            "(or stop it) and try again."
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def read_generation(directory: Path) -> str | None:
    """The index's current generation (changes with every write), or None if it was never written."""
    try:
        return (directory / GENERATION_FILE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def bump_generation(directory: Path) -> str:
    """Mark the index as changed for readers in other processes; returns the new generation."""
    value = f"{time.time_ns()}-{os.getpid()}"
    tmp = directory / f"{GENERATION_FILE}.{os.getpid()}.tmp"
    tmp.write_text(value + "\n", encoding="utf-8")
    os.replace(tmp, directory / GENERATION_FILE)
    return value
