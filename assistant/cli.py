"""The `assistant` command line: a thin layer over the library; user errors print as messages, not tracebacks."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from assistant.errors import USER_ERRORS
from assistant.settings import Settings, load_settings
from assistant.types import DOC_TYPES

F = TypeVar("F", bound=Callable[..., Any])


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except USER_ERRORS as exc:
            raise click.ClickException(str(exc)) from exc


def index_option(func: F) -> F:
    """`--index DIR` and `--config FILE`, shared by every command that opens an index."""
    func = click.option(
        "--index",
        "index_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Index directory [default: ASSISTANT_INDEX_DIR or ./index/data].",
    )(func)
    return click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path, dir_okay=False),
        envvar="ASSISTANT_CONFIG",
        default=None,
        help="TOML settings file [default: ./assistant.toml if present].",
    )(func)


def settings_from(config_file: Path | None, index_dir: Path | None) -> Settings:
    return load_settings(config_file, index_dir=index_dir)


def make_service(settings: Settings) -> Any:
    from assistant.service import AssistantService

    return AssistantService(settings)


def filter_options(func: F) -> F:
    """`--town`, `--type`, `--from`, `--to`: what a question is limited to."""
    for decorator in reversed(
        [
            click.option(
                "--town",
                "towns",
                multiple=True,
                help="Limit to this town's documents plus statewide ones (repeatable).",
            ),
            click.option(
                "--type",
                "doc_types",
                multiple=True,
                type=click.Choice(DOC_TYPES),
                help="Limit to this document type (repeatable).",
            ),
            click.option("--from", "date_from", help="Only originals dated on or after this ISO date."),
            click.option("--to", "date_to", help="Only originals dated on or before this ISO date."),
        ]
    ):
        func = decorator(func)
    return func


def make_filters(towns: tuple[str, ...], doc_types: tuple[str, ...], date_from: str | None, date_to: str | None) -> Any:
    from assistant.types import Filters

    return Filters(towns=list(towns), doc_types=list(doc_types), date_from=date_from, date_to=date_to)


def print_answer(answer: Any) -> None:
    """An answer for a terminal: the text, notes, then the citations with where to check them."""
    if answer.standalone_question != answer.question:
        click.secho(f"(understood as: {answer.standalone_question})", dim=True)
    click.echo(answer.answer)
    for note in answer.notes:
        click.secho(note, italic=True)
    for c in answer.citations:
        where = ", ".join(x for x in (f"page {c.page}" if c.page else None, c.section) if x)
        click.echo(f"  [{c.n}] {c.title} ({c.doc_type}, {c.date or 'undated'}){' — ' + where if where else ''}")
        click.echo(f"      {c.file}" + (f"  {c.source_url}" if c.source_url else ""))
    if answer.filters:
        click.secho(f"Filters: {answer.filters}", dim=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policy-assistant")
def cli() -> None:
    """Ask how Massachusetts police, sheriffs and courts work with ICE, answered from documents with citations.

    Start with `assistant ingest corpus/documents`, then `assistant ask "..."`.
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--type", "doc_type", type=click.Choice(DOC_TYPES), help="Document type for every file given.")
@click.option("--town", "towns", multiple=True, help="Town the documents are about (repeatable).")
@click.option("--title", help="Title (best with a single file).")
@click.option("--date", help="Date of the original, ISO (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--url", "source_url", help="Where the original can be read.")
@click.option("--publisher", help="Who published the original.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@index_option
def ingest(
    paths: tuple[Path, ...],
    doc_type: str | None,
    towns: tuple[str, ...],
    title: str | None,
    date: str | None,
    source_url: str | None,
    publisher: str | None,
    as_json: bool,
    quiet: bool,
    config_file: Path | None,
    index_dir: Path | None,
) -> None:
    """Add files and folders (recursively) to the index: PDF, HTML, Markdown, text, Word.

    Metadata comes from these flags, else a sidecar NAME.meta.toml, else Markdown front matter, else it is
    inferred. Unchanged files are skipped; changed ones replace their old version. Bad files are reported
    by name and skipped; the exit status is non-zero only if none could be ingested.
    """
    settings = settings_from(config_file, index_dir)
    overrides = {
        "doc_type": doc_type,
        "towns": list(towns),
        "title": title,
        "date": date,
        "source_url": source_url,
        "publisher": publisher,
    }
    # Each file's line is printed as soon as it is stored, so an interrupted run still says what landed.
    report = make_service(settings).ingest(
        paths, overrides, progress=not quiet and not as_json, on_result=None if as_json else print_result
    )
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2))
    else:
        click.echo(report.summary())
    if not report.succeeded:
        sys.exit(1)


def print_result(result: Any) -> None:
    """One line per ingested file: its status, name, and chunk count or reason (above the progress bar)."""
    from tqdm import tqdm

    line = f"{result.status:9} {result.file}"
    if result.reason:
        line += f"  ({result.reason})"
    else:
        detail = f"{result.chunks} chunks"
        if result.ocr and (result.ocr["recognised"] or result.ocr["cached"]):
            rate = f" at {result.ocr['pages_per_second']:.2f} pages/s" if result.ocr["pages_per_second"] else ""
            detail += f"; {result.ocr['recognised']} scanned pages recognised{rate}, {result.ocr['cached']} from cache"
        line += f"  ({detail})"
    stream = sys.stderr if result.status == "failed" else sys.stdout
    tqdm.write(line, file=stream)
    for note in result.notes:  # pages left out and why: the rest of the file is in the index
        tqdm.write(f"{'':9} warning: {note}", file=sys.stderr)
    stream.flush()


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@index_option
def sources(as_json: bool, config_file: Path | None, index_dir: Path | None) -> None:
    """List the documents in the index: title, type, towns, date, chunks, file, and which fields were inferred
    from the text (correct them with `assistant edit`)."""
    records = make_service(settings_from(config_file, index_dir)).documents()
    if as_json:
        click.echo(json.dumps([r.as_json() for r in records], indent=2))
        return
    if not records:
        click.echo("The index is empty. Add documents with: assistant ingest PATH")
        return
    rows = [
        (
            r.meta.title[:60],
            r.meta.doc_type,
            ", ".join(r.meta.towns) or "statewide",
            r.meta.date or "-",
            str(r.chunks),
            r.file,
            ",".join(r.meta.inferred) or "-",
        )
        for r in records
    ]
    header = ("TITLE", "TYPE", "TOWNS", "DATE", "CHUNKS", "FILE", "INFERRED")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    click.echo(f"{len(records)} documents, {sum(r.chunks for r in records)} chunks")


@cli.command()
@click.argument("document")
@index_option
def remove(document: str, config_file: Path | None, index_dir: Path | None) -> None:
    """Delete a document (by file name or title) from the index."""
    file, removed = make_service(settings_from(config_file, index_dir)).remove(document)
    click.echo(f"Removed {file} ({removed} chunks)")


@cli.command()
@click.argument("document")
@click.option("--title", help="The document's title.")
@click.option("--type", "doc_type", type=click.Choice(DOC_TYPES), help="Its type.")
@click.option("--town", "towns", multiple=True, help="A town it is about (repeatable; replaces the towns).")
@click.option("--statewide", is_flag=True, help="It is about no town in particular (clears the towns).")
@click.option("--date", help="Date of the original, ISO (YYYY-MM-DD, YYYY-MM or YYYY); '' clears it.")
@click.option("--url", "source_url", help="Where the original can be read; '' clears it.")
@click.option("--publisher", help="Who published the original; '' clears it.")
@index_option
def edit(
    document: str,
    title: str | None,
    doc_type: str | None,
    towns: tuple[str, ...],
    statewide: bool,
    date: str | None,
    source_url: str | None,
    publisher: str | None,
    config_file: Path | None,
    index_dir: Path | None,
) -> None:
    """Correct a document's metadata (by file name or title) without re-ingesting it; nothing is re-embedded."""
    changes: dict[str, Any] = {
        k: v
        for k, v in {
            "title": title,
            "doc_type": doc_type,
            "date": date,
            "source_url": source_url,
            "publisher": publisher,
        }.items()
        if v is not None
    }
    if towns or statewide:
        changes["towns"] = list(towns)
    if not changes:
        raise click.UsageError("Say what to change: --title, --type, --town/--statewide, --date, --url, --publisher.")
    record = make_service(settings_from(config_file, index_dir)).update_metadata(document, changes)
    meta = record.meta
    click.echo(
        f"Updated {record.file}: {meta.title} · {meta.doc_type} · {', '.join(meta.towns) or 'statewide'} · "
        f"{meta.date or 'no date'}" + (f" (still inferred: {', '.join(meta.inferred)})" if meta.inferred else "")
    )


@cli.command()
@click.argument("question")
@click.option(
    "--history", multiple=True, help="An earlier question of the same conversation (repeatable, oldest first)."
)
@filter_options
@click.option(
    "--language",
    type=click.Choice(["en", "es"]),
    default=None,
    help="Language of the reply's own words (default: the question's; a Spanish question gets a Spanish reply).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the answer schema in the README).")
@index_option
def ask(
    question: str,
    history: tuple[str, ...],
    language: str | None,
    towns: tuple[str, ...],
    doc_types: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    as_json: bool,
    config_file: Path | None,
    index_dir: Path | None,
) -> None:
    """Answer a question from the documents, quoting them with numbered citations.

    Without a language model: the answer is made of sentences quoted verbatim from the documents. When the
    documents do not answer it, it says so and lists the closest documents.
    """
    settings = settings_from(config_file, index_dir)
    filters = make_filters(towns, doc_types, date_from, date_to)
    answer = make_service(settings).ask(question, list(history), filters, language)
    if as_json:
        click.echo(json.dumps(answer.as_json(), ensure_ascii=False))
    else:
        print_answer(answer)


@cli.command()
@filter_options
@index_option
def chat(
    towns: tuple[str, ...],
    doc_types: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    config_file: Path | None,
    index_dir: Path | None,
) -> None:
    """Ask questions interactively; follow-ups ("and Everett?") use the conversation so far. Ctrl-D or "exit" quits."""
    settings = settings_from(config_file, index_dir)
    service = make_service(settings)
    filters = make_filters(towns, doc_types, date_from, date_to)
    history: list[str] = []
    click.echo('Ask about Massachusetts police, courts and ICE. Type "new" to start over, "exit" to quit.')
    while True:
        try:
            question = click.prompt("?", prompt_suffix=" ").strip()
        except (EOFError, click.Abort):
            click.echo()
            return
        if question.lower() in {"exit", "quit"}:
            return
        if question.lower() in {"new", "reset"}:
            history.clear()
            click.echo("(new conversation)")
            continue
        print_answer(service.ask(question, history, filters))
        history.append(question)
        click.echo()


def parse_bounds(values: tuple[str, ...]) -> dict[str, float]:
    bounds = {}
    for value in values:
        name, sep, number = value.partition("=")
        try:
            bounds[name.strip()] = float(number)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not METRIC=NUMBER") from None
        if not sep:
            raise click.BadParameter(f"{value!r} is not METRIC=NUMBER")
    return bounds


@cli.command(name="eval")
@click.option(
    "--set",
    "set_paths",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="Eval set (JSON Lines) [default: the starter set shipped in evals/sets/]. Give it twice (dev, then test) "
    "for a report per set under --out and a side-by-side table.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("eval-reports/latest"),
    show_default=True,
    help="Folder for report.json, report.md and the charts.",
)
@click.option(
    "--compare",
    "previous",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A previous report.json: show the change per metric and which items got fixed or broke.",
)
@click.option(
    "--fail-under", multiple=True, metavar="METRIC=VALUE", help="Exit non-zero if METRIC is below VALUE (repeatable)."
)
@click.option(
    "--fail-over", multiple=True, metavar="METRIC=VALUE", help="Exit non-zero if METRIC is above VALUE (repeatable)."
)
@click.option(
    "--gate",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A TOML file of [fail_under] and [fail_over] bounds (CI uses evals/gate.toml).",
)
@click.option(
    "--calibrate",
    is_flag=True,
    help="Fit the reply-kind model on the sets (dev sets, never a test set: every reply answered, then a logistic "
    "regression of 'holds every fact' on the answers' signals, thresholds from cross-validation); writes "
    "calibration.json to --out.",
)
@click.option(
    "--fit-ranker",
    is_flag=True,
    help="Fit the sentence ranker on the sets (dev-side sets, never a test set: a listwise model of which candidate "
    "sentence holds the answer, over every candidate's features); writes ranker.json to --out.",
)
@click.option(
    "--save",
    is_flag=True,
    help="With --calibrate or --fit-ranker: also replace the shipped model (assistant/calibration.json or "
    "assistant/ranker.json).",
)
@click.option(
    "--diagnose",
    is_flag=True,
    help="Also say, for each fact a reply missed, where it was: among the sentences weighed or not, and how high the "
    "hand weights and the sentence ranker put it (a section of report.md, 'diagnosis' in report.json).",
)
@click.option("--sweep", is_flag=True, help="Run named configurations and print one table of their metrics.")
@click.option(
    "--configs",
    "configs_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help='With --sweep: a TOML file of named configurations ([configurations."name".answer] semantic_weight = 0.5) '
    "instead of the built-in ones.",
)
@click.option(
    "--docs",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("corpus/documents"),
    show_default=True,
    help="With --sweep: documents to re-index for the chunk-size configurations.",
)
@click.option(
    "--from-feedback",
    "feedback_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Turn the thumbs-down answers in a feedback file into draft eval items (written to --out).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@index_option
def eval_command(
    set_paths: tuple[Path, ...],
    out: Path,
    previous: Path | None,
    fail_under: tuple[str, ...],
    fail_over: tuple[str, ...],
    gate: Path | None,
    calibrate: bool,
    fit_ranker: bool,
    save: bool,
    diagnose: bool,
    sweep: bool,
    configs_file: Path | None,
    docs: Path,
    feedback_file: Path | None,
    quiet: bool,
    config_file: Path | None,
    index_dir: Path | None,
) -> None:
    """Score answers on a known-answer set: facts, sources, citations, abstention, length, latency.

    Writes report.json, report.md and a chart to --out. With --compare, also the change against an earlier
    report. Exits non-zero when a --fail-under or --fail-over bound is missed.
    """
    from evals.dataset import load_set
    from evals.metrics import shown_in
    from evals.report import build_report, check_bounds, compare, render_side_by_side, write_report
    from evals.runner import aggregate, result_dicts, run_items

    if feedback_file:
        from assistant.service import AssistantService
        from evals.dataset import drafts_from_feedback

        drafts = drafts_from_feedback(AssistantService.read_feedback(feedback_file))
        out.mkdir(parents=True, exist_ok=True)
        target = out / "feedback-drafts.jsonl"
        target.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in drafts))
        click.echo(
            f"{len(drafts)} draft items from thumbs-down feedback written to {target}; complete their facts "
            "and sources from the documents before adding them to a set."
        )
        return
    settings = settings_from(config_file, index_dir)
    paths = list(set_paths) or [Path(__file__).resolve().parent.parent / "evals" / "sets" / "starter.jsonl"]
    under, over = parse_bounds(fail_under), parse_bounds(fail_over)
    if gate:
        import tomllib

        bounds = tomllib.loads(gate.read_text())
        under = {**bounds.get("fail_under", {}), **under}
        over = {**bounds.get("fail_over", {}), **over}
    if sweep:
        from evals.sweep import format_table, run_sweep

        configurations = None
        if configs_file:
            import tomllib

            configurations = tomllib.loads(configs_file.read_text()).get("configurations", {})
        click.echo(
            format_table(
                run_sweep(
                    settings, [item for path in paths for item in load_set(path)], docs, not quiet, configurations
                )
            )
        )
        return
    if fit_ranker:
        _fit_ranker(settings, paths, out, save, quiet)
        return
    if calibrate:
        _calibrate(settings, paths, out, save, quiet)
        return
    service = make_service(settings)
    reports, missed = {}, []
    for path in paths:
        from evals.reliability import reliability

        items = load_set(path)
        results = run_items(service, items, progress=not quiet)
        summary = aggregate(results)
        report = build_report(str(path), settings, summary, result_dicts(results), reliability(results))
        if diagnose:
            from assistant.calibration import load_ranker
            from evals.diagnose import diagnose as where_missed

            report["diagnosis"] = where_missed(service, items, results, load_ranker(settings.answer.ranker))
        comparison = compare(report, json.loads(previous.read_text())) if previous and len(paths) == 1 else None
        written = write_report(out if len(paths) == 1 else out / path.stem, report, comparison)
        reports[path.stem] = report
        overall = summary["overall"]
        if len(paths) > 1:
            click.echo(f"== {path}")
        for name in shown_in("cli"):
            click.echo(f"{name:22} {overall[name]}")
        click.echo(
            f"{'verification':22} kept {overall['verified_kept']}, dropped {overall['verified_dropped']}, "
            f"repaired {overall['verified_repaired']}"
            + (f" (sentences written by {settings.llm.backend}:{settings.llm.model})" if settings.llm.enabled else "")
        )
        if diagnose:
            places = report["diagnosis"]["places"]
            click.echo(f"{'missing facts':22} " + ", ".join(f"{name} {count}" for name, count in places.items()))
        click.echo(
            f"{overall['passed']}/{overall['items']} items passed; report: " + ", ".join(str(p) for p in written)
        )
        if comparison:
            click.echo(
                f"fixed: {', '.join(comparison['fixed']) or 'none'}; broke: {', '.join(comparison['broke']) or 'none'}"
            )
        missed += [(f"{path.name}: " if len(paths) > 1 else "") + line for line in check_bounds(overall, under, over)]
    if len(paths) > 1:
        from evals.reliability import chart_reliability

        (out / "side-by-side.md").write_text(render_side_by_side(reports))
        chart_reliability({name: r["reliability"] for name, r in reports.items()}, out / "reliability.png")
        click.echo(f"side by side: {out / 'side-by-side.md'}, {out / 'reliability.png'}")
    for line in missed:
        click.echo(f"FAILED: {line}", err=True)
    if missed:
        sys.exit(1)


def _calibrate(settings: Settings, paths: list[Path], out: Path, save: bool, quiet: bool) -> None:
    """Fit the reply-kind model on dev sets (answers given with every reply counted as confident) and save it."""
    from assistant.calibration import SHIPPED
    from evals.calibrate import fit_calibration
    from evals.dataset import load_set
    from evals.report import build_report, write_report
    from evals.runner import aggregate, result_dicts, run_items

    if any(p.name.startswith("test") for p in paths):
        raise click.UsageError("--calibrate fits on dev sets, never on a test set.")
    answering = settings.with_changes({"answer": {"confident_above": 0.0, "abstain_below": 0.0}})
    items = [item for path in paths for item in load_set(path)]
    results = run_items(make_service(answering), items, progress=not quiet)
    names = " + ".join(p.name for p in paths)
    fitted = fit_calibration(results, names)
    # The run it was fitted on, every reply answered: what the composer quotes before any reply is held back.
    write_report(out, build_report(names, answering, aggregate(results), result_dicts(results)), None)
    targets = [out / "calibration.json", *([SHIPPED] if save else [])]
    for target in targets:
        fitted.save(target)
    for name, coef in sorted(zip(fitted.features, fitted.coef, strict=True), key=lambda p: -abs(p[1])):
        click.echo(f"{name:14} {coef:+.3f}")
    click.echo(
        f"confident_above = {fitted.confident_above:.2f}, abstain_below = {fitted.abstain_below:.2f}; "
        "out of fold: " + ", ".join(f"{k} {v:g}" for k, v in fitted.report.items())
    )
    click.echo(
        "written: " + ", ".join(str(t) for t in targets) + ". Use a file with ASSISTANT_ANSWER__CALIBRATION=PATH."
    )


def _fit_ranker(settings: Settings, paths: list[Path], out: Path, save: bool, quiet: bool) -> None:
    """Fit the sentence ranker on the given sets' candidate sentences (scored by the hand weights meanwhile)."""
    from assistant.calibration import SHIPPED_RANKER
    from evals.calibrate import fit_ranker, ranker_rows
    from evals.dataset import load_set

    if any(p.name.startswith("test") for p in paths):
        raise click.UsageError("The sentence ranker is never fitted on a test set.")
    service = make_service(settings.with_changes({"answer": {"sentence_ranker": False}}))
    items = [item for path in paths for item in load_set(path)]
    names, x, y, groups, hand = ranker_rows(service, items, progress=not quiet)
    fitted = fit_ranker(names, x, y, groups, hand, " + ".join(p.name for p in paths))
    out.mkdir(parents=True, exist_ok=True)
    targets = [out / "ranker.json", *([SHIPPED_RANKER] if save else [])]
    for target in targets:
        fitted.save(target)
    for name, coef in sorted(zip(fitted.features, fitted.coef, strict=True), key=lambda p: -abs(p[1])):
        click.echo(f"{name:15} {coef:+.3f}")
    click.echo("out of fold: " + ", ".join(f"{k} {v:g}" for k, v in fitted.report.items()))
    click.echo("written: " + ", ".join(str(t) for t in targets) + ". Use a file with ASSISTANT_ANSWER__RANKER=PATH.")


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 exposes it to your network)."
)
@click.option("--port", default=7860, show_default=True, help="Port to listen on.")
@index_option
def serve(host: str, port: int, config_file: Path | None, index_dir: Path | None) -> None:
    """Start the chat in the browser (Gradio) over the index.

    Listens on 127.0.0.1 unless --host says otherwise; set ASSISTANT_UI_USERS="name:password" (or
    ASSISTANT_UI_USERS_FILE) to require a login, which also protects uploads and document links.
    """
    from ui.server import serve as run_server

    run_server(settings_from(config_file, index_dir), host, port)


@cli.command()
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Documents to ingest on both sides (default: the shipped corpus, scored on the starter eval set).",
)
@click.option("--scale", default=0, show_default=True, help="Also a generated policy-prose corpus of about N chunks.")
@click.option(
    "--standin",
    default=0,
    show_default=True,
    help="Also an index of N generated chunks with stand-in vectors, answered for latency (100000, 1000000).",
)
@click.option("--no-compare", is_flag=True, help="Skip the side-by-side corpus run (only --scale / --standin).")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("bench-reports/latest"),
    show_default=True,
    help="Report dir.",
)
@click.option("--embed-only", is_flag=True, help="Only the embedding benchmark: fp32 against bf16 autocast.")
@click.option("--texts", default=512, show_default=True, help="With --embed-only: passages embedded in each mode.")
@click.option("--repeats", default=2, show_default=True, help="With --embed-only: runs per mode; the best is kept.")
@index_option
def bench(
    corpus_dir: Path | None,
    scale: int,
    standin: int,
    no_compare: bool,
    out: Path,
    embed_only: bool,
    texts: int,
    repeats: int,
    config_file: Path | None,
    index_dir: Path | None,
) -> None:
    """Benchmark our ingest and ask against the textbook llama-index pipeline on the same documents.

    Prints ingest time, throughput (pages/s, word pieces embedded/s, share of the text searchable), peak memory,
    retrieval and answer latency, cold start, hit@5 and MRR for both, with ratios ours / baseline, and the raw
    model's speed as the ceiling; writes bench.json and bench.md to --out. Needs the `bench` extra.
    """
    from evals.bench import BenchOptions, embed_bench_lines, run_bench

    if embed_only:
        for line in embed_bench_lines(settings_from(config_file, index_dir), texts, repeats):
            click.echo(line)
        return

    options = BenchOptions(scale_chunks=scale, standin_chunks=standin, compare=not no_compare, out=out, log=click.echo)
    if corpus_dir is not None:
        options.corpus = corpus_dir
    try:
        result = run_bench(options)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo((out / "bench.md").read_text())
    click.echo(f"Wrote {out / 'bench.json'} and {out / 'bench.md'} ({result['cpu']}).")


def main() -> None:
    cli()
