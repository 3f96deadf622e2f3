"""Eval reports: report.json (everything, per item), report.md (aggregates, failures, changes) and a PNG chart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from evals.metrics import shown_in
from evals.translated import render_translated_pairs, translated_pairs


def build_report(
    set_path: str,
    settings: Settings,
    summary: dict[str, Any],
    items: list[dict],
    reliability: list[dict[str, float]] | None = None,
) -> dict[str, Any]:
    """The whole report: the set, every effective setting (secrets left out) and their hash, aggregates, the
    reliability table (confidence against correctness), items."""
    return {
        "set": set_path,
        "settings": settings.public_dump(),
        "settings_hash": settings.fingerprint(),
        **summary,
        "reliability": reliability or [],
        "translated": translated_pairs(items),
        "items": items,
    }


def render_side_by_side(reports: dict[str, dict[str, Any]]) -> str:
    """One table of every aggregate metric, a column per set (dev and test side by side)."""
    names = list(reports)
    metrics = list(next(iter(reports.values()))["overall"])
    lines = [
        "# Eval sets side by side",
        "",
        "Tune on dev, report test: test figures are only ever read, never used to choose a setting.",
        "",
        "| metric | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    lines += [f"| {m} | " + " | ".join(_fmt(reports[n]["overall"].get(m)) for n in names) + " |" for m in metrics]
    lines += ["", "Confidence against correctness (reliability): `reliability.png`.", ""]
    for name in names:
        lines += [
            f"## Reliability: {name}",
            "",
            "| confidence | replies | mean confidence | share holding every fact |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| {r['low']:.1f}–{r['high']:.1f} | {r['items']:.0f} | {r['mean_confidence']:.3f} | {r['right']:.3f} |"
            for r in reports[name].get("reliability", [])
        ]
        lines.append("")
    return "\n".join(lines)


def compare(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """Per-metric deltas and per-item changes (fixed, broke) against a previous report."""
    deltas = {}
    for name, value in current["overall"].items():
        before = previous.get("overall", {}).get(name)
        if isinstance(value, int | float) and isinstance(before, int | float):
            deltas[name] = {"before": before, "after": value, "delta": round(value - before, 4)}
    before_items = {i["id"]: i for i in previous.get("items", [])}
    fixed, broke = [], []
    for item in current["items"]:
        old = before_items.get(item["id"])
        if old is None:
            continue
        if item["passed"] and not old["passed"]:
            fixed.append(item["id"])
        elif old["passed"] and not item["passed"]:
            broke.append(item["id"])
    new = [i["id"] for i in current["items"] if i["id"] not in before_items]
    return {"metrics": deltas, "fixed": fixed, "broke": broke, "new_items": new}


def check_bounds(overall: dict[str, Any], under: dict[str, float], over: dict[str, float]) -> list[str]:
    """Bounds missed: a metric under its --fail-under value, or over its --fail-over value."""
    missed = []
    for name, bound in under.items():
        value = overall.get(name)
        if value is None or value < bound:
            missed.append(f"{name} = {value} is under its bound {bound}")
    for name, bound in over.items():
        value = overall.get(name)
        if value is None or value > bound:
            missed.append(f"{name} = {value} is over its bound {bound}")
    return missed


def write_report(out: Path, report: dict[str, Any], comparison: dict[str, Any] | None) -> list[Path]:
    """Write report.json, report.md and metrics.png (and deltas.png when comparing); returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    if comparison:
        report = {**report, "comparison": comparison}
    paths = [out / "report.json", out / "report.md", out / "metrics.png"]
    paths[0].write_text(json.dumps(report, indent=2, ensure_ascii=False))
    paths[1].write_text(render_markdown(report, comparison))
    chart_metrics(report["overall"], paths[2])
    if report.get("reliability"):
        from evals.reliability import chart_reliability

        paths.append(out / "reliability.png")
        chart_reliability({Path(report["set"]).stem: report["reliability"]}, paths[-1])
    if comparison:
        paths.append(out / "deltas.png")
        chart_deltas(comparison, paths[-1])
    return paths


def render_markdown(report: dict[str, Any], comparison: dict[str, Any] | None) -> str:
    overall = report["overall"]
    lines = [
        "# Eval report",
        "",
        f"Set: `{report['set']}` — {overall['items']} items, {overall['passed']} passed.",
        "",
        "## Aggregates",
        "",
        "| metric | value |",
        "| --- | --- |",
        *[f"| {name} | {_fmt(value)} |" for name, value in overall.items()],
        "",
    ]
    for name, groups in report["breakdowns"].items():
        columns = ["items", "passed", *shown_in("breakdown")]
        lines += [f"## By {name}", "", "| " + " | ".join([name, *columns]) + " |", "|" + " --- |" * (len(columns) + 1)]
        lines += [
            f"| {group} | " + " | ".join(_fmt(values.get(c)) for c in columns) + " |"
            for group, values in groups.items()
        ]
        lines.append("")
    lines += render_translated_pairs(report.get("translated"))
    if comparison:
        lines += [
            "## Compared with the previous report",
            "",
            "| metric | before | after | change |",
            "| --- | --- | --- | --- |",
        ]
        for name, change in comparison["metrics"].items():
            lines.append(f"| {name} | {_fmt(change['before'])} | {_fmt(change['after'])} | {change['delta']:+.4g} |")
        lines += [
            "",
            f"Fixed ({len(comparison['fixed'])}): " + (", ".join(comparison["fixed"]) or "none"),
            "",
            f"Broke ({len(comparison['broke'])}): " + (", ".join(comparison["broke"]) or "none"),
            "",
        ]
    failures = [i for i in report["items"] if not i["passed"]]
    lines += [f"## Failures ({len(failures)})", "", "| id | question | expected | got |", "| --- | --- | --- | --- |"]
    for item in failures:
        expected = (
            ("facts: " + "; ".join(item["facts"]) + " — from " + ", ".join(item["sources"]))
            if item["answerable"]
            else "abstain"
        )
        got = f"({item.get('kind', 'answer')}) " + item["answer"]
        lines.append(f"| {item['id']} | {_cell(item['standalone_question'])} | {_cell(expected)} | {_cell(got, 300)} |")
    if report.get("diagnosis"):
        from evals.diagnose import render

        lines += ["", render(report["diagnosis"]).rstrip("\n")]
    return "\n".join(lines) + "\n"


def chart_metrics(overall: dict[str, Any], path: Path) -> None:
    """A bar chart of the main metrics (0 to 1)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [m for m in shown_in("chart") if overall.get(m) is not None]
    values = [overall[m] for m in names]
    figure, axis = plt.subplots(figsize=(10, 4.5))
    bars = axis.barh(names, values, color="#3b6ea8")
    axis.bar_label(bars, labels=[f"{v:.2f}" for v in values], padding=3)
    axis.set_xlim(0, 1.1)
    axis.invert_yaxis()
    axis.set_title("Eval metrics")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def chart_deltas(comparison: dict[str, Any], path: Path) -> None:
    """A bar chart of the change in each main metric against the previous report."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [m for m in shown_in("chart") if m in comparison["metrics"]]
    deltas = [comparison["metrics"][m]["delta"] for m in names]
    figure, axis = plt.subplots(figsize=(10, 4.5))
    axis.barh(names, deltas, color=["#2e8b57" if d >= 0 else "#c0392b" for d in deltas])
    axis.axvline(0, color="black", linewidth=0.8)
    axis.invert_yaxis()
    axis.set_title("Change against the previous report")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _cell(text: str, limit: int = 200) -> str:
    text = " ".join(text.split()).replace("|", "/")
    return text if len(text) <= limit else text[: limit - 1] + "…"
