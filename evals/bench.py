"""`assistant bench`: our ingest and ask against the textbook llama-index pipeline, on the same documents.

Each measured step runs in its own process (so peak memory and cold start are each side's own), one after the
other on the same machine; the figures that count are the ratios ours / baseline of one run. Run as
`python -m evals.bench worker ...` for one step; `run_bench` drives the workers and writes the report.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "corpus" / "documents"
STARTER = ROOT / "evals" / "sets" / "starter.jsonl"


@dataclass
class BenchOptions:
    """What to measure."""

    corpus: Path = SHIPPED
    scale_chunks: int = 0  # generated policy prose, embedded for real (10_000; 100_000 as an option)
    standin_chunks: int = 0  # an index of generated chunks with stand-in vectors (100_000; 1_000_000 full-size)
    compare: bool = True  # the side-by-side run on the corpus (off: only the scale and stand-in runs)
    raw_sample: int = 1200  # texts for the raw model ceiling
    cold_runs: int = 3
    questions: int = 60  # scale-corpus questions for latency
    out: Path = Path("bench-reports/latest")
    log: Any = print


@dataclass
class CorpusResult:
    name: str
    ours: dict[str, Any] = field(default_factory=dict)
    baseline: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- workers (each in its own process)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _settings(index_dir: Path) -> Any:
    from assistant.settings import load_settings

    return load_settings(None, index_dir=index_dir)


def worker_ours_ingest(docs: Path, index_dir: Path, started: float) -> dict[str, Any]:
    """`assistant ingest` through its public function; then what it embedded (after the clock stopped)."""
    from assistant.service import AssistantService

    service = AssistantService(_settings(index_dir))
    report = service.ingest([docs], progress=False)
    seconds, peak = time.time() - started, _peak_mb()
    from index.bench import index_token_stats

    stats = index_token_stats(service.assistant.index)
    return {
        "seconds": seconds,
        "peak_rss_mb": peak,
        "files": report.count("added"),
        "failed": report.count("failed"),
        "chunks": stats.chunks,
        "word_pieces": stats.chunk_word_pieces - stats.truncated_word_pieces,
        "searchable_share": stats.searchable_share,
        "sentences": stats.sentences,
        "sentence_word_pieces": stats.sentence_word_pieces,
    }


def worker_baseline_ingest(docs: Path, workdir: Path, started: float) -> dict[str, Any]:
    from evals.bench_baseline import build_index, embedded_word_pieces

    pages = build_index(docs, workdir)
    seconds, peak = time.time() - started, _peak_mb()
    pieces = embedded_word_pieces(docs)
    return {
        "seconds": seconds,
        "peak_rss_mb": peak,
        "pages": pages,
        "chunks": pieces["nodes"],
        "word_pieces": pieces["embedded"],
        "searchable_share": pieces["embedded"] / pieces["word_pieces"] if pieces["word_pieces"] else 1.0,
    }


def worker_ours_query(index_dir: Path, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Warm `ask` on each question: retrieval and full-answer latency, and hit@5 / MRR where sources are known."""
    from assistant.service import AssistantService

    assistant = AssistantService(_settings(index_dir))
    for item in items[:3]:
        assistant.ask(item["question"])  # warm-up: model, caches
    retrieve, total, cpu, ranked = [], [], [], []
    for item in items:
        start, start_cpu = time.perf_counter(), time.process_time()
        answer = assistant.ask(item["question"])
        total.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        retrieve.append(float(answer.timings_ms.get("retrieve", 0.0)))
        ranked.append(list(answer.retrieved))
    return {
        **_latencies(retrieve, "retrieve"),
        **_latencies(total, "answer"),
        **_latencies(cpu, "answer_cpu"),
        **_quality(items, ranked),
        "query_peak_rss_mb": _peak_mb(),
    }


def worker_baseline_query(workdir: Path, items: list[dict[str, Any]]) -> dict[str, Any]:
    from evals.bench_baseline import open_retriever, retrieved_files

    retriever = open_retriever(workdir)
    for item in items[:3]:
        retriever.retrieve(item["question"])
    retrieve, ranked = [], []
    for item in items:
        start = time.perf_counter()
        ranked.append(retrieved_files(retriever, item["question"]))
        retrieve.append((time.perf_counter() - start) * 1000)
    return {**_latencies(retrieve, "retrieve"), **_quality(items, ranked)}


def worker_baseline_ask(workdir: Path, question: str) -> dict[str, Any]:
    """A cold process answering one question the baseline way (imports, model load, retrieval)."""
    from evals.bench_baseline import open_retriever, retrieved_files

    return {"files": retrieved_files(open_retriever(workdir), question)}


def worker_raw(index_dir: Path, sample: int) -> dict[str, Any]:
    """The model alone, fp32 and bf16, on a sample of what ingest embedded (chunks and sentences alike)."""
    from assistant.service import AssistantService
    from index.bench import index_token_stats, raw_throughput

    index = AssistantService(_settings(index_dir)).assistant.index
    texts = index_token_stats(index).texts
    step = max(1, len(texts) // sample)
    chosen = texts[::step][:sample]
    used = index.embedder.use_bf16
    # the precision ingest did not use is timed on a third of the sample: a rate is all that is compared
    return {
        "fp32": raw_throughput(index.embedder, chosen if not used else chosen[::3], bf16=False),
        "bf16": raw_throughput(index.embedder, chosen if used else chosen[::3], bf16=True),
        "bf16_used": used,
    }


def worker_standin(directory: Path, count: int) -> dict[str, Any]:
    """An index of `count` generated chunks written through the index's write path with stand-in vectors."""
    from evals.bench_corpus import scale_chunk_texts
    from index.bench import build_standin_index

    texts, metas = scale_chunk_texts(count)
    return build_standin_index(directory, texts, metas)


def embed_bench_lines(settings: Any, texts: int, repeats: int) -> list[str]:
    """The embedding benchmark alone: fp32 (baseline) against bf16 autocast on the same passages."""
    from index.bench import run_embed_bench
    from index.embedder import Embedder

    embedder = Embedder(settings.index.embedding_model, "off", settings.index.batch_size)
    return list(run_embed_bench(embedder, texts, repeats).lines())


def _latencies(values: list[float], name: str) -> dict[str, float]:
    if not values:
        return {}
    return {f"{name}_p50_ms": float(np.percentile(values, 50)), f"{name}_p95_ms": float(np.percentile(values, 95))}


def _quality(items: list[dict[str, Any]], ranked: list[list[str]]) -> dict[str, float]:
    from evals.metrics import hit_at, reciprocal_rank

    scored = [(set(i["sources"]), r) for i, r in zip(items, ranked, strict=True) if i.get("sources")]
    if not scored:
        return {}
    return {
        "hit_at_5": sum(hit_at(r, s, 5) for s, r in scored) / len(scored),
        "mrr": sum(reciprocal_rank(r[:5], s) for s, r in scored) / len(scored),
        "items": len(scored),
    }


# ---------------------------------------------------------------- driver


def _run_worker(*args: str) -> tuple[dict[str, Any], float]:
    """Run one worker step in a fresh Python; its JSON result and the wall time of the whole process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "evals.bench", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"benchmark step {args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def _cold_ask_times(index_dir: Path, question: str, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of `assistant ask` in a fresh process; on a busy
    machine the wall time includes waiting for a core, the CPU time does not."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from assistant.cli import main; main()",
                "ask",
                question,
                "--index",
                str(index_dir),
            ],
            capture_output=True,
            cwd=ROOT,
            check=True,
        )
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return float(np.median(times)), float(np.median(cpu))


def _cold_baseline(workdir: Path, question: str, runs: int) -> tuple[float, float]:
    """Median wall and CPU time of the baseline answering one question in a fresh process."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(_run_worker("baseline-ask", str(workdir), question)[1])
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return float(np.median(times)), float(np.median(cpu))


def eval_items(count: int | None = None) -> list[dict[str, Any]]:
    """Starter-set items with known right sources and no earlier conversation (both sides get the bare question)."""
    items = [json.loads(line) for line in STARTER.read_text().splitlines() if line.strip()]
    chosen = [i for i in items if i.get("sources") and not i.get("history")]
    return chosen[:count] if count else chosen


def bench_corpus(name: str, docs: Path, work: Path, items: list[dict[str, Any]], options: BenchOptions) -> CorpusResult:
    """Ingest, query and cold-start both sides on one corpus, plus the raw model ceiling on our chunks."""
    log = options.log
    result = CorpusResult(name)
    ours_dir, base_dir = work / "ours", work / "baseline"
    log(f"[{name}] baseline ingest (textbook llama-index) …")
    result.baseline, wall = _run_worker("baseline-ingest", str(docs), str(base_dir), str(time.time()))
    result.baseline["process_seconds"] = wall
    log(f"[{name}] our ingest …")
    result.ours, wall = _run_worker("ours-ingest", str(docs), str(ours_dir), str(time.time()))
    result.ours["process_seconds"] = wall
    result.ours["pages"] = result.baseline["pages"]
    items_file = work / "items.json"
    items_file.write_text(json.dumps(items))
    log(f"[{name}] queries ({len(items)}) …")
    result.ours.update(_run_worker("ours-query", str(ours_dir), str(items_file))[0])
    result.baseline.update(_run_worker("baseline-query", str(base_dir), str(items_file))[0])
    log(f"[{name}] cold start …")
    question = items[0]["question"]
    result.ours["cold_ask_s"], result.ours["cold_ask_cpu_s"] = _cold_ask_times(ours_dir, question, options.cold_runs)
    result.baseline["cold_ask_s"], result.baseline["cold_ask_cpu_s"] = _cold_baseline(
        base_dir, question, options.cold_runs
    )
    log(f"[{name}] raw model ceiling …")
    result.raw = _run_worker("raw", str(ours_dir), str(options.raw_sample))[0]
    return result


def bench_standin(directory: Path, options: BenchOptions) -> dict[str, Any]:
    """Build an index of generated chunks with stand-in vectors (chunks and cached sentences), then answer
    questions on it warm (each with the real model) and cold, each step in its own process."""
    from evals.bench_corpus import scale_questions

    log = options.log
    log(f"[stand-in] building an index of {options.standin_chunks:,} chunks …")
    result, _ = _run_worker("standin", str(directory), str(options.standin_chunks))
    items_file = directory.parent / "standin-items.json"
    items = [{"question": q} for q in scale_questions(options.questions)]
    items_file.write_text(json.dumps(items))
    log(f"[stand-in] answering {len(items)} questions …")
    answers, _ = _run_worker("ours-query", str(directory), str(items_file))
    result |= {key: value for key, value in answers.items() if key.endswith("_ms")}
    result["query_peak_rss_mb"] = answers["query_peak_rss_mb"]
    log("[stand-in] cold start …")
    result["cold_ask_s"], result["cold_ask_cpu_s"] = _cold_ask_times(directory, items[0]["question"], options.cold_runs)
    return result


def run_bench(options: BenchOptions) -> dict[str, Any]:
    """Everything the options ask for; writes bench.json and bench.md to options.out and returns the JSON."""
    from index.embedder import cpu_model

    corpora: list[CorpusResult] = []
    standin: dict[str, Any] | None = None
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as tmp:
        work = Path(tmp)
        from evals.bench_corpus import scale_questions, write_scale_corpus

        if not options.compare:
            pass
        elif options.corpus.resolve() == SHIPPED.resolve():
            corpora.append(bench_corpus("shipped", options.corpus, work / "shipped", eval_items(), options))
        else:  # no known answers for another folder: latency on questions in the register of the corpus
            items = [{"question": q} for q in scale_questions(options.questions)]
            corpora.append(bench_corpus(options.corpus.name, options.corpus, work / "corpus", items, options))
        if options.scale_chunks:
            docs = work / "scale-docs"
            write_scale_corpus(docs, options.scale_chunks)
            items = [{"question": q} for q in scale_questions(options.questions)]
            corpora.append(bench_corpus(f"generated-{options.scale_chunks}", docs, work / "scale", items, options))
        if options.standin_chunks:
            standin = bench_standin(work / "standin", options)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpu": cpu_model(),
        "cores": _cores(),
        "corpora": [{**c.__dict__, "ratios": ratios(c)} for c in corpora],
        "standin": standin,
    }
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / "bench.json").write_text(json.dumps(result, indent=2))
    (options.out / "bench.md").write_text(markdown(result))
    return result


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))


def _rate(side: dict[str, Any], key: str) -> float:
    return float(side.get(key, 0)) / side["seconds"] if side.get("seconds") else 0.0


def ratios(c: CorpusResult) -> dict[str, float | None]:
    """Ours / baseline for each figure (higher is better for rates and quality, lower for times and memory),
    and ours against the raw model time for the same word pieces."""

    def div(a: float | None, b: float | None) -> float | None:
        return a / b if a is not None and b else None

    o, b = c.ours, c.baseline
    precision = "bf16" if c.raw.get("bf16_used") else "fp32"
    raw_rate = c.raw.get(precision, {}).get("word_pieces_per_s")
    all_pieces = o.get("word_pieces", 0) + o.get("sentence_word_pieces", 0)
    return {
        "ingest_seconds": div(o.get("seconds"), b.get("seconds")),
        "pages_per_s": div(_rate(o, "pages"), _rate(b, "pages")),
        "word_pieces_per_s": div(_rate(o, "word_pieces"), _rate(b, "word_pieces")),
        "peak_rss": div(o.get("peak_rss_mb"), b.get("peak_rss_mb")),
        "retrieve_p50": div(o.get("retrieve_p50_ms"), b.get("retrieve_p50_ms")),
        "retrieve_p95": div(o.get("retrieve_p95_ms"), b.get("retrieve_p95_ms")),
        "cold_ask": div(o.get("cold_ask_s"), b.get("cold_ask_s")),
        "cold_ask_cpu": div(o.get("cold_ask_cpu_s"), b.get("cold_ask_cpu_s")),
        "hit_at_5": div(o.get("hit_at_5"), b.get("hit_at_5")),
        "mrr": div(o.get("mrr"), b.get("mrr")),
        "ingest_vs_raw_model": div(o.get("seconds"), all_pieces / raw_rate if raw_rate else None),
    }


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def markdown(result: dict[str, Any]) -> str:
    """The report as Markdown tables: one per corpus, the raw ceiling, and the stand-in store."""
    lines = [f"# assistant bench — {result['date']}", "", f"CPU: {result['cpu']}, {result['cores']} cores.", ""]
    rows = [
        ("ingest wall time (s)", "seconds", 1),
        ("pages/s", "pages_per_s", 2),
        ("chunks", "chunks", 0),
        ("word pieces embedded (searchable)", "word_pieces", 0),
        ("word pieces embedded/s", "word_pieces_per_s", 0),
        ("share of the text searchable", "searchable_share", 3),
        ("sentence word pieces embedded (answer cache)", "sentence_word_pieces", 0),
        ("peak memory, ingest (MB)", "peak_rss_mb", 0),
        ("retrieval p50 (ms)", "retrieve_p50_ms", 1),
        ("retrieval p95 (ms)", "retrieve_p95_ms", 1),
        ("full answer p50 (ms)", "answer_p50_ms", 1),
        ("full answer p95 (ms)", "answer_p95_ms", 1),
        ("full answer, CPU time p50 (ms)", "answer_cpu_p50_ms", 1),
        ("cold ask (s)", "cold_ask_s", 2),
        ("cold ask, CPU time (s)", "cold_ask_cpu_s", 2),
        ("hit@5", "hit_at_5", 3),
        ("MRR", "mrr", 3),
    ]
    ratio_keys = {
        "seconds": "ingest_seconds",
        "pages_per_s": "pages_per_s",
        "word_pieces_per_s": "word_pieces_per_s",
        "peak_rss_mb": "peak_rss",
        "retrieve_p50_ms": "retrieve_p50",
        "retrieve_p95_ms": "retrieve_p95",
        "cold_ask_s": "cold_ask",
        "cold_ask_cpu_s": "cold_ask_cpu",
        "hit_at_5": "hit_at_5",
        "mrr": "mrr",
    }
    for corpus in result["corpora"]:
        lines += [
            f"## {corpus['name']}",
            "",
            "| figure | ours | baseline | ours / baseline |",
            "| --- | --- | --- | --- |",
        ]
        for label, key, digits in rows:
            sides = []
            for side in (corpus["ours"], corpus["baseline"]):
                value = side.get(key)
                if key.endswith("_per_s") and key not in side:
                    value = side.get(key.removesuffix("_per_s")) / side["seconds"] if side.get("seconds") else None
                sides.append(_fmt(float(value) if isinstance(value, int | float) and digits else value, digits))
            ratio = corpus["ratios"].get(ratio_keys.get(key, ""))
            lines.append(f"| {label} | {sides[0]} | {sides[1]} | {_fmt(ratio) + 'x' if ratio else '–'} |")
        raw = corpus["raw"]
        lines += [
            "",
            f"Raw model (`encode` of our chunk and sentence texts, {raw['fp32']['texts']} in fp32, {raw['bf16']['texts']} in bf16): fp32 {raw['fp32']['word_pieces_per_s']:,.0f} "
            f"word pieces/s, bf16 autocast {raw['bf16']['word_pieces_per_s']:,.0f} word pieces/s; ingest used "
            f"{'bf16' if raw['bf16_used'] else 'fp32'}. Our ingest took "
            f"{_fmt(corpus['ratios']['ingest_vs_raw_model'])}x the raw model time for the word pieces it embedded "
            "(chunks and cached sentences).",
            "",
        ]
    if result.get("standin"):
        s = result["standin"]
        lines += [
            "## An index of generated chunks with stand-in vectors",
            "",
            "Chunks and their sentences get perturbed copies of real embeddings instead of being embedded; they are"
            " written through the index's own write path (Chroma, keyword segments, sentence vectors), and questions"
            " are embedded by the real model and answered by the full pipeline without a language model.",
            "",
            "| figure | value |",
            "| --- | --- |",
            f"| chunks | {s['chunks']:,} |",
            f"| build (s) / chunks per s | {s['build_seconds']:,.0f} / {s['chunks_per_s']:,.0f} |",
            f"| one more small document added (ms) | {s['small_add_ms']:,.0f} |",
            f"| disk (MB) | {s['disk_mb']:,.0f} |",
            f"| peak memory, build / answering (MB) | {s['peak_rss_mb']:,.0f} / {s['query_peak_rss_mb']:,.0f} |",
            f"| retrieval p50 / p95 (ms) | {s['retrieve_p50_ms']:.1f} / {s['retrieve_p95_ms']:.1f} |",
            f"| full answer p50 / p95 (ms) | {s['answer_p50_ms']:.1f} / {s['answer_p95_ms']:.1f} |",
            f"| full answer, CPU time p50 / p95 (ms) | {s['answer_cpu_p50_ms']:.1f} / {s['answer_cpu_p95_ms']:.1f} |",
            f"| cold ask, wall / CPU time (s) | {s['cold_ask_s']:.2f} / {s['cold_ask_cpu_s']:.2f} |",
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    """Run one worker step and print its JSON result as the last line."""
    step, *args = argv
    if step == "ours-ingest":
        out = worker_ours_ingest(Path(args[0]), Path(args[1]), float(args[2]))
    elif step == "baseline-ingest":
        out = worker_baseline_ingest(Path(args[0]), Path(args[1]), float(args[2]))
    elif step == "ours-query":
        out = worker_ours_query(Path(args[0]), json.loads(Path(args[1]).read_text()))
    elif step == "baseline-query":
        out = worker_baseline_query(Path(args[0]), json.loads(Path(args[1]).read_text()))
    elif step == "baseline-ask":
        out = worker_baseline_ask(Path(args[0]), args[1])
    elif step == "raw":
        out = worker_raw(Path(args[0]), int(args[1]))
    elif step == "standin":
        out = worker_standin(Path(args[0]), int(args[1]))
    else:
        raise SystemExit(f"unknown benchmark step {step!r}")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
