"""Readers that misbehave the way a parser can on a hostile file: hang, eat memory, crash.

The worker in `corpus.isolation` imports one of these by name; files whose name does not ask for misbehaviour are
read by the real `load_document`, so one batch mixes both.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from corpus.loaders import load_document
from corpus.models import Document


def misbehave_by_name(path: Path, overrides: dict[str, Any] | None, max_bytes: int | None, **options: Any) -> Document:
    if "hang" in path.name:
        while True:  # a parser stuck in a loop
            time.sleep(0.1)
    if "hog" in path.name:
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(256)]  # 16 GB, far past any memory limit
        del hoard
    if "unexpected" in path.name:
        raise KeyError("/Root")  # an exception type the loaders do not know to expect
    if "segfault" in path.name:
        os.kill(os.getpid(), signal.SIGSEGV)  # a crash in native code
    return load_document(path, overrides, max_bytes, **options)
