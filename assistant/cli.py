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
from corpus.models import DOC_TYPES

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


def open_index(settings: Settings, create: bool = False) -> Any:
    from index.search import SearchIndex

    return SearchIndex(settings.index_config(), create=create)


def make_assistant(settings: Settings) -> Any:
    from assistant.pipeline import Assistant

    return Assistant(open_index(settings), settings.answer_config(), settings.retrieval_config())


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
    from corpus.towns import load_towns

    registry = load_towns()
    return Filters(
        towns=[registry.canonical(t) for t in towns], doc_types=list(doc_types), date_from=date_from, date_to=date_to
    )


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


def open_store(settings: Settings) -> Any:
    """The Chroma store alone, for listing and removing: no embedding model is loaded."""
    from index.store import ChunkStore

    return ChunkStore(settings.index_config(), settings.embedding_model, create=False)


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
    from index.build import ingest as run_ingest

    settings = settings_from(config_file, index_dir)
    overrides = {
        "doc_type": doc_type,
        "towns": list(towns),
        "title": title,
        "date": date,
        "source_url": source_url,
        "publisher": publisher,
    }
    index = open_index(settings, create=True)
    report = run_ingest(index, list(paths), overrides, settings.chunking_config(), progress=not quiet and not as_json)
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2))
    else:
        for result in report.results:
            line = f"{result.status:9} {result.file}"
            line += f"  ({result.reason})" if result.reason else f"  ({result.chunks} chunks)"
            click.echo(line, err=result.status == "failed")
        click.echo(report.summary())
    if not report.succeeded:
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@index_option
def sources(as_json: bool, config_file: Path | None, index_dir: Path | None) -> None:
    """List the documents in the index: title, type, towns, date, chunks, file."""
    store = open_store(settings_from(config_file, index_dir))
    records = store.documents()
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
        )
        for r in records
    ]
    header = ("TITLE", "TYPE", "TOWNS", "DATE", "CHUNKS", "FILE")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    click.echo(f"{len(records)} documents, {sum(r.chunks for r in records)} chunks")


@cli.command()
@click.argument("document")
@index_option
def remove(document: str, config_file: Path | None, index_dir: Path | None) -> None:
    """Delete a document (by file name or title) from the index."""
    from index.build import remove as run_remove

    index = open_index(settings_from(config_file, index_dir))
    file, removed = run_remove(index, document)
    click.echo(f"Removed {file} ({removed} chunks)")


@cli.command()
@click.argument("question")
@click.option(
    "--history", multiple=True, help="An earlier question of the same conversation (repeatable, oldest first)."
)
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the answer schema in the README).")
@index_option
def ask(
    question: str,
    history: tuple[str, ...],
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
    answer = make_assistant(settings).ask(question, list(history), make_filters(towns, doc_types, date_from, date_to))
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
    assistant = make_assistant(settings)
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
        print_answer(assistant.ask(question, history, filters))
        history.append(question)
        click.echo()


@cli.command()
@click.option("--texts", default=512, show_default=True, help="How many passages to embed in each mode.")
@click.option("--repeats", default=2, show_default=True, help="Runs per mode; the best is kept.")
@index_option
def bench(texts: int, repeats: int, config_file: Path | None, index_dir: Path | None) -> None:
    """Benchmark embedding: fp32 (baseline) against bf16 autocast, in one process; prints speed and agreement."""
    from index.bench import run_embed_bench
    from index.embedder import Embedder

    settings = settings_from(config_file, index_dir)
    embedder = Embedder(settings.embedding_model, "off", settings.batch_size)
    for line in run_embed_bench(embedder, texts, repeats).lines():
        click.echo(line)


def main() -> None:
    cli()
