"""`AssistantService`: the one face the CLI, the chat UI, the HTTP API and the evals hold.

It opens the index and the assistant lazily (listing documents loads no model), serialises writes with one lock,
and refreshes what the assistant caches about the index after every write. Nothing above this module reaches
into the index layer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from assistant.errors import AssistantError
from assistant.feedback import feedback_path, read_feedback, record_feedback
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.types import DOC_TYPES, Answer, Filters
from index.build import FileResult, IngestReport
from index.search import SearchIndex
from index.store import ChunkStore, DocumentRecord


class AssistantService:
    """Ask, stream, list, ingest, remove, feedback and files, over one index and one settings object."""

    def __init__(self, settings: Settings, assistant: Assistant | None = None):
        self.settings = settings
        self._write_lock = threading.Lock()
        self._open_lock = threading.Lock()
        if assistant is not None:
            self.__dict__["assistant"] = assistant

    # -- opening -----------------------------------------------------------------------------------------------
    @cached_property
    def assistant(self) -> Assistant:
        with self._open_lock:
            assistant = Assistant(
                self._open_index(),
                self.settings.answer,
                self.settings.retrieval,
                translation_config=self.settings.translation,
            )
            if self.settings.llm.enabled:
                use_model(assistant, self.settings)
            return assistant

    def _open_index(self, create: bool = False) -> SearchIndex:
        return SearchIndex(self.settings.index, create=create)

    @property
    def is_open(self) -> bool:
        return "assistant" in self.__dict__

    # -- answering ---------------------------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: Iterable[str] = (),
        filters: Filters | None = None,
        language: str | None = None,
        hint: str = "en",
    ) -> Answer:
        """Answer one question (a follow-up to `history`, oldest first) within the filters. The reply's own words
        are in `language` when given, else in the question's language (`hint`, the interface's, when it does not
        tell); a Spanish question is searched in both languages either way."""
        return self.assistant.ask(question, list(history), self._prepare(question, filters), language, hint)

    def stream(
        self,
        question: str,
        history: Iterable[str] = (),
        filters: Filters | None = None,
        language: str | None = None,
        hint: str = "en",
    ) -> Iterator[str | Answer]:
        """The reply's text in growing pieces, then the verified answer (always last)."""
        return self.assistant.stream(question, list(history), self._prepare(question, filters), language, hint)

    def candidates(
        self, question: str, history: Iterable[str] = (), filters: Filters | None = None
    ) -> list[dict[str, Any]]:
        """The sentences weighed for a question, with their features (for fitting the sentence ranker)."""
        return self.assistant.candidates(question, list(history), self._prepare(question, filters))

    def _prepare(self, question: str, filters: Filters | None) -> Filters:
        """Before answering: refuse an empty or over-long question, see documents another process added meanwhile,
        and name the filter's towns officially."""
        limit = self.settings.ui.max_question_chars
        if len(question) > limit:
            raise AssistantError(f"The question is {len(question):,} characters long; ask in at most {limit:,}.")
        if not question.strip():
            raise AssistantError("Ask a question.")
        if self.assistant.index.reopen_if_changed():
            self.assistant.refresh()
        filters = filters or Filters()
        if not filters.towns:
            return filters
        return filters.model_copy(update={"towns": [self.assistant.registry.canonical(t) for t in filters.towns]})

    # -- documents ---------------------------------------------------------------------------------------------
    def documents(self) -> list[DocumentRecord]:
        """The documents in the index: from the open index, else from the store alone (no model loaded)."""
        if self.is_open:
            return self.assistant.index.store.documents()
        return ChunkStore(self.settings.index, self.settings.index.embedding_model, create=False).documents()

    def doc_types(self) -> dict[str, str]:
        """Each document's file name → its type."""
        return {r.file: r.meta.doc_type for r in self.documents()}

    def ingest(
        self,
        paths: Iterable[Path],
        overrides: dict[str, Any] | None = None,
        progress: bool = True,
        on_result: Callable[[FileResult], None] | None = None,
    ) -> IngestReport:
        """Add files and folders to the index (created if missing); unchanged files are left alone.
        `on_result` hears each file as soon as it is stored."""
        from index.build import ingest

        with self._write_lock:
            index = self.assistant.index if self.is_open else self._open_index(create=True)
            report = ingest(
                index, list(paths), overrides, self.settings.chunking, progress, on_result, self.settings.ocr
            )
            if self.is_open:
                self.assistant.refresh()
        return report

    def update_metadata(self, name: str, changes: dict[str, Any]) -> DocumentRecord:
        """Correct a document's title, type, towns, date, source URL or publisher without re-uploading it (nothing
        is embedded again); returns the document as now stored."""
        from index.build import update_metadata

        with self._write_lock:
            record = update_metadata(self.assistant.index, name, changes)
            self.assistant.refresh()
        return record

    def remove(self, name: str) -> tuple[str, int]:
        """Delete a document (by file name or title); returns its file name and how many chunks went."""
        from index.build import remove

        with self._write_lock:
            result = remove(self.assistant.index, name)
            self.assistant.refresh()
        return result

    def file_path(self, name: str) -> Path | None:
        """The stored copy of an indexed file, only from the index's own file store (no other path, ever)."""
        root = (self.settings.index.dir / "files").resolve()
        path = (root / name).resolve()
        return path if path.parent == root and path.is_file() else None

    # -- vocabularies ------------------------------------------------------------------------------------------
    @staticmethod
    def towns() -> list[str]:
        """The 351 Massachusetts municipalities, sorted."""
        from corpus.towns import load_towns

        return sorted(load_towns().towns)

    @staticmethod
    def doc_type_names() -> tuple[str, ...]:
        return DOC_TYPES

    # -- feedback ----------------------------------------------------------------------------------------------
    @property
    def feedback_file(self) -> Path:
        return feedback_path(self.settings.index.dir)

    def feedback(
        self, answer: Answer, history: list[str], verdict: Literal["up", "down"], comment: str = ""
    ) -> dict[str, Any]:
        """Save a verdict on an answer (with its question, history and citations) to the feedback file."""
        return record_feedback(self.feedback_file, answer, history, verdict, comment)

    @staticmethod
    def read_feedback(path: Path) -> list[dict[str, Any]]:
        return read_feedback(path)


def use_model(assistant: Assistant, settings: Settings) -> None:
    """Have the configured language model write the answers (and rewrite follow-ups); the extractive composer stays
    underneath as the source of the reply's kind and the answer whenever the model's cannot be used."""
    from assistant.compose import ExtractiveComposer
    from assistant.llm import ChatModel
    from assistant.model_composer import LLMComposer
    from assistant.rewrite import ModelRewriter

    config = settings.llm
    model = ChatModel(config)
    extractive = assistant.composer
    assert isinstance(extractive, ExtractiveComposer)
    embed = assistant.index.embedder.embed
    assistant.composer = LLMComposer(
        extractive, model, embed, assistant.registry, config, settings.answer.max_sentences
    )
    if config.rewrite_followups:
        assistant.planner.rewrite = ModelRewriter(model, assistant.registry, config.rewrite_timeout_s)
