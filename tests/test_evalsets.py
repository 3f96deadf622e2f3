"""The held-out dev and test sets: valid, balanced, and every fact stated in one of its sources."""

from __future__ import annotations

import subprocess
import sys

from evals.dataset import load_set
from tests.conftest import ROOT

SETS = ROOT / "evals" / "sets"


def test_dev_and_test_load_and_share_every_category():
    dev, test = load_set(SETS / "dev.jsonl"), load_set(SETS / "test.jsonl")
    assert len(dev) + len(test) >= 300
    assert not {item.id for item in dev} & {item.id for item in test}, "an item is in both sets"
    assert {item.category for item in dev} == {item.category for item in test}
    assert sum(not item.answerable for item in dev + test) >= 60
    assert sum(item.category == "es" for item in dev + test) >= 30


def test_every_fact_is_stated_in_one_of_its_sources():
    checker = ROOT / "evals" / "tools" / "check_facts.py"
    result = subprocess.run(
        [sys.executable, str(checker), str(SETS / "dev.jsonl"), str(SETS / "test.jsonl")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
