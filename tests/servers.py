"""Starting `assistant serve` for the browser and API tests, on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(index: Path, env_extra: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """Start `assistant serve` and wait for its "chat on" line, printed once every route is in place."""
    port = free_port()
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(index), "PYTHONUNBUFFERED": "1", **env_extra}
    process = subprocess.Popen(
        [sys.executable, "-c", "from assistant.cli import main; main()", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or []], daemon=True).start()
    output = []
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        output.append(line)
        if "policy-assistant chat on" in line:
            return process, f"http://127.0.0.1:{port}"
    process.terminate()
    raise RuntimeError("server did not start:\n" + "".join(output))


def status(url: str) -> int:
    try:
        return urllib.request.urlopen(url, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def build_index(tmp_path_factory: Any, name: str, source: Path, extra: dict[str, str] | None = None) -> Path:
    """A fresh index of a folder's documents plus extra files (name → text), for a server to serve."""
    from assistant.service import AssistantService
    from assistant.settings import Settings

    docs = tmp_path_factory.mktemp(f"{name}-docs")
    for path in source.iterdir():
        shutil.copy(path, docs / path.name)
    for file, text in (extra or {}).items():
        (docs / file).write_text(text)
    index = tmp_path_factory.mktemp(f"{name}-index")
    report = AssistantService(Settings.model_validate({"index": {"dir": index}})).ingest([docs], progress=False)
    assert report.count("failed") == 0, report.as_json()
    return index
