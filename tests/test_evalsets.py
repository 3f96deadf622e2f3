"""The held-out dev and test sets: valid, balanced, and every fact stated in one of its sources."""

from __future__ import annotations

import subprocess
import sys

from evals.dataset import load_set
from tests.conftest import ROOT

SETS = ROOT / "evals" / "sets"
HELD_OUT = (
    "dev",
    "test",
    "dev2",
    "test2",
    "dev3",
    "test3",
    "dev4",
    "test4",
    "dev5",
    "test5",
    "dev6",
    "test6",
    "dev7",
    "dev8",
    "test7",
    "dev9",
    "test8",
    "dev10",
    "test9",
    "dev11",
    "test10",
    "dev12",
    "test11",
    "dev13",
    "dev14",
    "test12",
    "test13",
    "dev15",
    "test14",
    "dev16",
    "test15",
    "dev17",
    "dev18",
    "test16",
    "test17",
    "dev19",
    "dev20",
    "dev21",
    "dev22",
    "test18",
    "dev23",
    "dev24",
    "dev25",
    "test19",
    "dev26",
    "test20",
    "dev27",
    "test21",
    "dev28",
    "test22",
    "dev29",
    "test23",
)


def test_dev_and_test_load_and_share_every_category():
    dev, test = load_set(SETS / "dev.jsonl"), load_set(SETS / "test.jsonl")
    assert len(dev) + len(test) >= 300
    assert not {item.id for item in dev} & {item.id for item in test}, "an item is in both sets"
    assert {item.category for item in dev} == {item.category for item in test}
    assert sum(not item.answerable for item in dev + test) >= 60
    assert sum(item.category == "es" for item in dev + test) >= 30


def test_every_held_out_set_loads_and_no_id_is_in_two_of_them():
    seen: set[str] = set()
    for name in HELD_OUT[2:]:  # dev and test are checked against each other above
        ids = {item.id for item in load_set(SETS / f"{name}.jsonl")}
        assert not ids & seen, f"{name} repeats {sorted(ids & seen)[:3]}"
        seen |= ids


def test_every_fact_is_stated_in_one_of_its_sources():
    checker = ROOT / "evals" / "tools" / "check_facts.py"
    result = subprocess.run(
        [sys.executable, str(checker), *(str(SETS / f"{name}.jsonl") for name in HELD_OUT)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
