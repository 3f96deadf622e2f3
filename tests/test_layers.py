"""Data flows one way: corpus → index → assistant → ui / evals. The UI, the evals and the CLI hold only the
assistant's service (with its settings, records, messages and errors), never the index or corpus internals."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

LAYERS = ["corpus", "index", "assistant", "ui", "evals"]
# What the faces above the assistant may import from the packages of this project.
# (The calibration model is a record type like those in types: the evals fit it and the CLI saves it.)
SERVICE_FACE = {
    "assistant.service",
    "assistant.settings",
    "assistant.types",
    "assistant.messages",
    "assistant.errors",
    "assistant.calibration",
}
# The one exception: the benchmark measures the index layer itself (raw model speed, a stand-in store), so it
# reaches the index's own benchmark helpers; its ingest and ask go through the service like everything else.
MEASURING = {"bench.py": {"index.bench", "index.embedder"}}


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {n for n in names if n.split(".")[0] in LAYERS}


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).glob("*.py"))


@pytest.mark.parametrize("package", LAYERS)
def test_a_lower_layer_never_imports_a_higher_one(package):
    higher = set(LAYERS[LAYERS.index(package) + 1 :]) - ({"evals"} if package == "ui" else set())
    for path in modules(package):
        if path.name == "cli.py":
            continue  # the command line starts the UI and the evals from inside its commands
        bad = {name for name in imports(path) if name.split(".")[0] in higher}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize(
    "path", [*modules("ui"), *modules("evals"), ROOT / "assistant" / "cli.py"], ids=lambda p: p.name
)
def test_the_ui_evals_and_cli_hold_only_the_service(path):
    own = {path.parent.name + "." + path.stem, path.parent.name}
    allowed = (
        SERVICE_FACE
        | MEASURING.get(path.name, set())
        | {n for n in imports(path) if n.split(".")[0] in {"ui", "evals"}}
    )
    bad = imports(path) - allowed - own
    assert not bad, f"{path.relative_to(ROOT)} reaches past the service: {bad}"
