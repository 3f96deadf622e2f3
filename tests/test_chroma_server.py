"""The same ingest against a real Chroma server on 127.0.0.1, chosen by one setting."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from tests.test_ingest import make_batch

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    process = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_ingest_and_sources_work_against_a_chroma_server(tmp_path: Path, chroma_server: str, monkeypatch):
    docs = make_batch(tmp_path / "docs")
    runner = CliRunner()
    embedded = tmp_path / "embedded"
    runner.invoke(cli, ["ingest", str(docs), "--index", str(embedded), "-q"], catch_exceptions=False)
    expected = json.loads(runner.invoke(cli, ["sources", "--index", str(embedded), "--json"]).output)

    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server)
    served = tmp_path / "served"
    result = runner.invoke(cli, ["ingest", str(docs), "--index", str(served), "--json"], catch_exceptions=False)
    assert json.loads(result.output)["added"] == 4, result.output
    listed = json.loads(runner.invoke(cli, ["sources", "--index", str(served), "--json"]).output)
    assert listed == expected
    assert not (served / "chroma").exists(), "vectors went to the embedded store, not the server"

    again = json.loads(runner.invoke(cli, ["ingest", str(docs), "--index", str(served), "--json"]).output)
    assert again["unchanged"] == 4
