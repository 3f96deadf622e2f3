"""bf16 is decided by a measured probe on this CPU, cached per CPU, and used only when faster and faithful."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.embedder import Bf16Probe, Embedder, decide_bf16


@pytest.mark.parametrize(
    ("probe", "expected"),
    [
        (Bf16Probe(fp32_seconds=2.7, bf16_seconds=1.0, min_cosine=0.99998), True),  # AVX-512 bf16 / AMX
        (Bf16Probe(fp32_seconds=1.0, bf16_seconds=2.5, min_cosine=0.99998), False),  # emulated bf16: slower
        (Bf16Probe(fp32_seconds=1.0, bf16_seconds=0.97, min_cosine=0.99998), False),  # within noise
        (Bf16Probe(fp32_seconds=3.0, bf16_seconds=1.0, min_cosine=0.995), False),  # fast but unfaithful
    ],
)
def test_bf16_only_when_clearly_faster_and_close_to_fp32(probe: Bf16Probe, expected: bool):
    assert probe.use_bf16 is expected


def test_the_verdict_is_cached_per_cpu_and_a_damaged_cache_only_costs_a_probe(tmp_path: Path):
    cache = tmp_path / "bf16-probe.json"
    calls: list[int] = []

    def fast_probe() -> Bf16Probe:
        calls.append(1)
        return Bf16Probe(2.0, 1.0, 0.9999)

    assert decide_bf16([cache], fast_probe, memo={}) is True
    assert decide_bf16([cache], lambda: pytest.fail("probed again despite the cache"), memo={}) is True
    assert len(calls) == 1
    entry = next(iter(json.loads(cache.read_text()).values()))
    assert entry["use_bf16"] is True and entry["min_cosine"] == 0.9999 and entry["cpu"]
    assert decide_bf16([cache], lambda: pytest.fail("probed again despite the cache"), memo={}) is True

    cache.write_text("{not json")
    assert decide_bf16([cache], lambda: Bf16Probe(1.0, 2.0, 0.9999), memo={}) is False
    assert decide_bf16([cache], lambda: pytest.fail("probed again"), memo={}) is False

    other = tmp_path / "other-index" / "bf16-probe.json"
    assert decide_bf16([cache, other], lambda: pytest.fail("probed again"), memo={}) is False
    assert json.loads(other.read_text()) == json.loads(cache.read_text()), "the verdict was not shared"


def test_settings_on_and_off_skip_the_probe_and_auto_probes_the_real_model_once(tmp_path: Path):
    assert Embedder(bf16="on").use_bf16 is True
    assert Embedder(bf16="off").use_bf16 is False
    auto = Embedder(bf16="auto", probe_dir=tmp_path)
    decision = auto.use_bf16
    entry = next(iter(json.loads((tmp_path / "bf16-probe.json").read_text()).values()))
    assert entry["use_bf16"] is decision
    assert entry["min_cosine"] > 0.99, "bf16 autocast of the bundled model should stay close to fp32"
    assert entry["fp32_seconds"] > 0 and entry["bf16_seconds"] > 0
