"""The Gradio chat: `build_app` makes the Blocks over an `AssistantService` (ui/server.py serves them)."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any, Literal

from assistant.errors import USER_ERRORS
from assistant.service import AssistantService
from assistant.types import Answer, Filters
from ui.format import (
    DOCUMENT_HEADERS,
    EXAMPLES,
    answer_message,
    citation_cards,
    document_rows,
    ingest_rows,
    safe_text,
    text,
)

ALL = "All"
INFER = "(from the text)"  # an upload type left for ingest to infer
STREAM_EVERY_S = 0.25  # a growing reply is redrawn at most this often
UPLOAD_TYPES = [".pdf", ".html", ".htm", ".md", ".markdown", ".txt", ".docx"]
CSS = """
.cards { display: flex; flex-direction: column; gap: .6rem; }
.card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .6rem .8rem; }
.card:focus, .card.flash { outline: 3px solid #f0b400; }
.card h4 { margin: 0 0 .2rem 0; font-size: 1rem; }
.card .meta, .card .file, .card .links { margin: .1rem 0; font-size: .85rem; }
.card .passage { margin: .4rem 0; font-size: .9rem; white-space: pre-wrap; }
.card mark { background: #fff2a8; color: inherit; }
.filters { font-size: .85rem; opacity: .8; }
.reply-kind { display: inline-block; font-size: .8rem; font-weight: 600; padding: .05rem .45rem; border-radius: 4px; }
.reply-answer { background: #dff3e4; color: #14532d; }
.reply-closest { background: #fff2c6; color: #6b4e00; }
.reply-none { background: #ececec; color: #333; }
@media (max-width: 700px) { .gradio-container { padding: .3rem !important; } }
"""
# Clicking [n] in an answer brings its citation card into view and gives it focus (for keyboard users too).
HEAD = """
<script>
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a.cite-ref');
  if (!link) return;
  const card = document.getElementById(link.getAttribute('href').slice(1));
  if (!card) return;
  event.preventDefault();
  card.scrollIntoView({behavior: 'smooth', block: 'center'});
  card.focus({preventScroll: true});
  card.classList.add('flash');
  setTimeout(() => card.classList.remove('flash'), 1500);
});
</script>
"""


def messages(turns: list[dict[str, Any]], language: str, partial: str | None = None) -> list[dict[str, str]]:
    """Chat messages for the turns; the last answer may be shown partly, as it streams."""
    shown: list[dict[str, str]] = []
    for index, turn in enumerate(turns):
        shown.append({"role": "user", "content": safe_text(turn["question"])})
        if partial is not None and index == len(turns) - 1:
            shown.append({"role": "assistant", "content": safe_text(partial)})
        else:
            shown.append({"role": "assistant", "content": answer_message(answer_of(turn), index, language)})
    return shown


def answer_of(turn: dict[str, Any]) -> Answer:
    """The answer of a turn kept in the chat's state (as JSON, so Gradio can copy it)."""
    return Answer.model_validate(turn["answer"])


def chosen_filters(town: str | None, doc_type: str | None) -> Filters:
    return Filters(
        towns=[town] if town and town != ALL else [], doc_types=[doc_type] if doc_type and doc_type != ALL else []
    )


def build_app(service: AssistantService) -> Any:
    """The Blocks: a chat tab (filters, answers, citation cards, feedback) and a documents tab."""
    import gradio as gr

    towns = [ALL, *service.towns()]
    types = [ALL, *service.doc_type_names()]
    with gr.Blocks(title="policy-assistant", analytics_enabled=False) as app:
        language = gr.State("en")
        turns = gr.State([])
        heading = gr.Markdown(f"## {text('title')}\n{text('intro')}")
        chooser = gr.Radio(["English", "Español"], value="English", label=text("language"), elem_id="language")
        with gr.Tabs():
            with gr.Tab(text("chat_tab"), id="chat") as chat_tab:
                with gr.Row():
                    town = gr.Dropdown(towns, value=ALL, label=text("town"), filterable=True, elem_id="town-filter")
                    doc_type = gr.Dropdown(types, value=ALL, label=text("type"), elem_id="type-filter")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=320):
                        chatbot = gr.Chatbot(label="Chat", height=460, sanitize_html=True, elem_id="chat")
                        question = gr.Textbox(
                            label=text("question"), placeholder=text("placeholder"), elem_id="question", lines=1
                        )
                        with gr.Row():
                            ask = gr.Button(text("ask"), variant="primary", elem_id="ask")
                            new = gr.Button(text("new"), elem_id="new-conversation")
                        examples = gr.Examples(EXAMPLES["en"], inputs=question, label=text("examples"))
                        with gr.Row():
                            up = gr.Button(text("helpful"), elem_id="thumbs-up", size="sm")
                            down = gr.Button(text("not_helpful"), elem_id="thumbs-down", size="sm")
                        comment = gr.Textbox(label=text("comment"), elem_id="feedback-comment", lines=1)
                        status = gr.Markdown("", elem_id="feedback-status")
                    with gr.Column(scale=2, min_width=280):
                        sources_heading = gr.Markdown(f"### {text('sources')}")
                        cards = gr.HTML(citation_cards(None, 0), elem_id="citations")
            with gr.Tab(text("documents_tab"), id="documents") as documents_tab:
                table = gr.Dataframe(
                    headers=DOCUMENT_HEADERS,
                    value=lambda: document_rows([r.as_json() for r in service.documents()]),
                    label=text("documents"),
                    interactive=False,
                    elem_id="documents-table",
                    wrap=True,
                )
                upload = gr.File(label=text("upload"), file_count="multiple", file_types=UPLOAD_TYPES, elem_id="upload")
                with gr.Row():
                    up_type = gr.Dropdown(
                        [INFER, *service.doc_type_names()], value=INFER, label=text("type"), elem_id="upload-type"
                    )
                    up_town = gr.Dropdown(
                        ["", *towns[1:]], value="", label=text("town"), filterable=True, elem_id="upload-town"
                    )
                    up_date = gr.Textbox(label=text("date"), elem_id="upload-date")
                    up_url = gr.Textbox(label=text("url"), elem_id="upload-url")
                add = gr.Button(text("add"), variant="primary", elem_id="add-documents")
                results = gr.Dataframe(
                    headers=["file", "result", "detail"],
                    label=text("results"),
                    interactive=False,
                    elem_id="upload-results",
                )
                with gr.Row():
                    to_remove = gr.Dropdown(choices=[], label=text("remove"), elem_id="remove-choice")
                    remove = gr.Button(text("remove_button"), variant="stop", elem_id="remove-document")
                edit_heading = gr.Markdown(f"#### {text('edit')}")
                with gr.Row():
                    to_edit = gr.Dropdown(choices=[], label=text("edit_choice"), elem_id="edit-choice")
                    edit_title = gr.Textbox(label=text("edit_title"), elem_id="edit-title")
                    edit_type = gr.Dropdown(list(service.doc_type_names()), label=text("type"), elem_id="edit-type")
                with gr.Row():
                    edit_towns = gr.Textbox(label=text("edit_towns"), elem_id="edit-towns")
                    edit_date = gr.Textbox(label=text("date"), elem_id="edit-date")
                    edit_url = gr.Textbox(label=text("url"), elem_id="edit-url")
                save = gr.Button(text("save"), elem_id="save-metadata")
                edit_status = gr.Markdown("", elem_id="edit-status")

        def respond(q: str, state: list, town_value: str, type_value: str, lang: str):  # type: ignore[no-untyped-def]
            if not q or not q.strip():
                yield gr.skip(), state, gr.skip(), gr.skip(), gr.skip()
                return
            question = q.strip()
            history = [t["question"] for t in state]
            pending = [*state, {"question": question, "answer": None}]
            try:
                # The switch is the interface's language: a hint for the reply's, which follows the question's own.
                # The question is checked (length, emptiness) here, before anything is shown.
                items = service.stream(question, history, chosen_filters(town_value, type_value), hint=lang)
            except USER_ERRORS as exc:
                raise gr.Error(str(exc)) from exc
            # The question shows at once, with a placeholder for its reply.
            yield messages(pending, lang, text("searching", lang)), state, gr.skip(), "", ""
            shown = None  # when the reply was last shown growing
            try:
                for item in items:
                    if isinstance(item, Answer):
                        state = [*state, {"question": question, "answer": item.as_json()}]
                        yield messages(state, lang), state, citation_cards(item, len(state) - 1, lang), gr.skip(), ""
                    elif shown is None or time.monotonic() - shown >= STREAM_EVERY_S:
                        # Each update is redrawn by the server's event loop; pieces that come faster than this
                        # (the extractive reply's all at once) wait for the next one, or for the answer.
                        if shown is not None:
                            yield messages(pending, lang, item), state, gr.skip(), gr.skip(), gr.skip()
                        shown = time.monotonic()
            except Exception as exc:
                # No placeholder is left behind, and the question goes back in its box to be asked again.
                yield messages(state, lang), state, gr.skip(), q, gr.skip()
                if isinstance(exc, USER_ERRORS):
                    raise gr.Error(str(exc)) from exc
                raise

        ask_inputs = [question, turns, town, doc_type, language]
        ask_outputs = [chatbot, turns, cards, question, status]
        ask.click(respond, ask_inputs, ask_outputs)
        question.submit(respond, ask_inputs, ask_outputs)

        def restart(lang: str):  # type: ignore[no-untyped-def]
            return [], [], citation_cards(None, 0, lang), "", ""

        new.click(restart, [language], [chatbot, turns, cards, question, status])

        def give_feedback(verdict: Literal["up", "down"]):  # type: ignore[no-untyped-def]
            def handler(state: list, note: str, lang: str):  # type: ignore[no-untyped-def]
                if not state:
                    return text("no_answer_yet", lang), note
                history = [t["question"] for t in state[:-1]]
                service.feedback(answer_of(state[-1]), history, verdict, note or "")
                return text("thanks", lang), ""

            return handler

        up.click(give_feedback("up"), [turns, comment, language], [status, comment])
        down.click(give_feedback("down"), [turns, comment, language], [status, comment])

        def listing(**update: Any):  # type: ignore[no-untyped-def]
            """The documents table and the remove and correct dropdowns' choices, read once from the index."""
            documents = [r.as_json() for r in service.documents()]
            files = [d["file"] for d in documents]
            return document_rows(documents), gr.update(choices=files, **update), gr.update(choices=files)

        def show_metadata(file: str | None):  # type: ignore[no-untyped-def]
            record = next((r for r in service.documents() if r.file == file), None)
            if record is None:
                return "", gr.update(value=None), "", "", "", ""
            meta = record.meta
            inferred = f"{text('inferred')}: {', '.join(meta.inferred)}" if meta.inferred else ""
            return (
                meta.title,
                gr.update(value=meta.doc_type),
                ", ".join(meta.towns),
                meta.date or "",
                meta.source_url or "",
                safe_text(inferred),
            )

        to_edit.change(show_metadata, [to_edit], [edit_title, edit_type, edit_towns, edit_date, edit_url, edit_status])

        def save_metadata(
            file: str | None, title: str, kind: str | None, towns_value: str, date: str, url: str, lang: str
        ):  # type: ignore[no-untyped-def]
            if not file:
                return gr.skip(), gr.skip(), gr.skip(), gr.skip()
            changes = {"title": title, "towns": towns_value, "date": date, "source_url": url}
            if kind:
                changes["doc_type"] = kind
            try:
                record = service.update_metadata(file, changes)
            except USER_ERRORS as exc:
                raise gr.Error(str(exc)) from exc
            return (*listing(), safe_text(f"{text('saved', lang)}: {record.file}"))

        save.click(
            save_metadata,
            [to_edit, edit_title, edit_type, edit_towns, edit_date, edit_url, language],
            [table, to_remove, to_edit, edit_status],
        )

        def add_documents(  # type: ignore[no-untyped-def]
            files: list | None,
            kind: str,
            town_value: str,
            date: str,
            url: str,
            progress=gr.Progress(track_tqdm=True),  # noqa: B008 (Gradio finds its progress tracker as a default)
        ):
            # track_tqdm: the ingest's own progress bar (one step per file) shows in the page
            if not files:
                return gr.skip(), gr.skip(), gr.skip(), gr.skip()
            paths = [Path(f if isinstance(f, str) else f.name) for f in files]
            overrides = {
                "doc_type": None if kind == INFER else kind,
                "towns": [town_value] if town_value else [],
                "date": date.strip() or None,
                "source_url": url.strip() or None,
            }
            try:
                report = service.ingest(paths, overrides).as_json()
            finally:
                for path in paths:  # the upload cache is cleared once the files are in the index
                    path.unlink(missing_ok=True)
                    with contextlib.suppress(OSError):
                        path.parent.rmdir()  # the upload's own folder, once empty
            return (ingest_rows(report), *listing(value=None))

        add.click(
            add_documents, [upload, up_type, up_town, up_date, up_url], [results, table, to_remove, to_edit]
        ).then(lambda: None, None, upload)

        def remove_selected(file: str | None):  # type: ignore[no-untyped-def]
            if file:
                service.remove(file)
            return listing(value=None)

        remove.click(remove_selected, [to_remove], [table, to_remove, to_edit])
        documents_tab.select(listing, None, [table, to_remove, to_edit])

        def switch_language(choice: str):  # type: ignore[no-untyped-def]
            lang = "es" if choice == "Español" else "en"
            return (
                lang,
                f"## {text('title', lang)}\n{text('intro', lang)}",
                gr.update(label=text("language", lang)),
                gr.update(label=text("question", lang), placeholder=text("placeholder", lang)),
                gr.update(value=text("ask", lang)),
                gr.update(value=text("new", lang)),
                gr.update(label=text("town", lang)),
                gr.update(label=text("type", lang)),
                gr.update(value=text("helpful", lang)),
                gr.update(value=text("not_helpful", lang)),
                gr.update(label=text("comment", lang)),
                f"### {text('sources', lang)}",
                gr.update(label=text("chat_tab", lang)),
                gr.update(label=text("documents_tab", lang)),
                gr.update(label=text("upload", lang)),
                gr.update(value=text("add", lang)),
                gr.update(value=text("remove_button", lang)),
                gr.Dataset(samples=[[q] for q in EXAMPLES[lang]], label=text("examples", lang)),
                f"#### {text('edit', lang)}",
                gr.update(value=text("save", lang)),
            )

        chooser.change(
            switch_language,
            [chooser],
            [
                language,
                heading,
                chooser,
                question,
                ask,
                new,
                town,
                doc_type,
                up,
                down,
                comment,
                sources_heading,
                chat_tab,
                documents_tab,
                upload,
                add,
                remove,
                examples.dataset,
                edit_heading,
                save,
            ],
        )
    return app
