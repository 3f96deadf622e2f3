"""Every command has help text and is documented in the README; user errors print without tracebacks."""

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from assistant.cli import cli
from tests.conftest import ROOT

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_a_readme_mention(name):
    command = cli.commands[name]
    assert command.help and len(command.help) > 20
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    readme = (ROOT / "README.md").read_text()
    assert f"assistant {name}" in readme, f"README does not mention `assistant {name}`"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_has_help(name):
    for param in cli.commands[name].params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts} has no help"


def test_help_is_fast_because_heavy_libraries_load_lazily():
    code = "import sys, assistant.cli; print(any(m in sys.modules for m in ('torch', 'chromadb', 'gradio', 'sentence_transformers')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_sources_on_a_missing_index_says_how_to_build_one(tmp_path):
    result = CliRunner().invoke(cli, ["sources", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "assistant ingest" in result.output and "Traceback" not in result.output
