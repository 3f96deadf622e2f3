"""The optional local language model: its settings, and one chat call with a hard deadline, over llama-index's
Ollama and OpenAI-compatible integrations.

Nothing here is imported unless a model is configured; the integrations (and the HTTP clients under them) are
imported inside the functions that need them.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from assistant.errors import ConfigError, ModelError

Backend = Literal["none", "ollama", "openai-like"]
# After a failure, how long the model is left alone before it is asked again.
RETRY_AFTER_S = 30
DEFAULT_URLS = {"ollama": "http://127.0.0.1:11434", "openai-like": "http://127.0.0.1:8080/v1"}


class LLMConfig(BaseModel):
    """An optional local model that writes answers from the retrieved passages; every sentence is verified."""

    model_config = ConfigDict(extra="forbid")

    backend: Backend = Field(
        "none", description="none (quoted answers only), ollama, or openai-like (llama.cpp, vLLM, LM Studio…)."
    )
    url: str | None = Field(
        None, description="Server address [default: http://127.0.0.1:11434 for ollama, http://127.0.0.1:8080/v1]."
    )
    model: str = Field("", description="Model name as the server knows it (required for ollama).")
    api_key: SecretStr | None = Field(None, description="Sent as a bearer token to an OpenAI-compatible server.")
    timeout_s: float = Field(60, gt=0, le=600, description="Longest wait for a whole reply, in seconds.")
    temperature: float = Field(0.1, ge=0, le=2, description="Sampling temperature.")
    max_tokens: int = Field(400, ge=16, le=4096, description="Longest reply, in tokens.")
    context_window: int = Field(8192, ge=1024, description="Context length asked of an Ollama model (num_ctx).")
    passages: int = Field(5, ge=1, le=20, description="Retrieved passages given to the model.")
    support_above: float = Field(
        0.6,
        ge=0,
        le=1,
        description="An uncited sentence is attributed to a passage sentence at least this similar, else dropped.",
    )
    cited_floor: float = Field(
        0.35, ge=0, le=1, description="A cited sentence this unlike every sentence of its passage is dropped."
    )
    rewrite_followups: bool = Field(True, description="Let the model rewrite follow-ups into standalone questions.")
    rewrite_timeout_s: float = Field(15, gt=0, le=600, description="Longest wait for a follow-up's rewrite.")

    @property
    def enabled(self) -> bool:
        return self.backend != "none"

    @property
    def base_url(self) -> str:
        return self.url or DEFAULT_URLS.get(self.backend, "")


class ChatModel:
    """One configured model; `stream` yields its reply's text pieces and raises ModelError on any failure."""

    def __init__(self, config: LLMConfig):
        if not config.enabled:
            raise ConfigError("No language model is configured (llm.backend is none).")
        if config.backend == "ollama" and not config.model:
            raise ConfigError("Name the Ollama model to use: ASSISTANT_LLM_MODEL=<name> (see `ollama list`).")
        self.config = config
        self._llm: Any = None
        # When the server last failed, and how: for a while after, questions get the quoted answer at once rather
        # than each waiting out the timeout again (a follow-up's rewrite and its answer would wait twice).
        self._failure: tuple[float, str] | None = None

    @property
    def name(self) -> str:
        return f"{self.config.backend}:{self.config.model or 'default'}"

    def _client(self) -> Any:
        if self._llm is None:
            self._llm = build_llm(self.config)
        return self._llm

    def stream(self, system: str, user: str, timeout_s: float | None = None) -> Iterator[str]:
        """The reply's text in pieces; ModelError when the server is unreachable, fails, or passes the deadline."""
        if self._failure and time.monotonic() - self._failure[0] < RETRY_AFTER_S:
            raise ModelError(f"the language model {self._failure[1]} (less than {RETRY_AFTER_S} s ago)")
        try:
            yield from self._stream(system, user, timeout_s)
        except ModelError as exc:
            self._failure = (time.monotonic(), str(exc).removeprefix("the language model "))
            raise
        self._failure = None

    def _stream(self, system: str, user: str, timeout_s: float | None) -> Iterator[str]:
        from llama_index.core.llms import ChatMessage

        messages = [ChatMessage(role="system", content=system), ChatMessage(role="user", content=user)]
        client = self._client()  # built (its imports done) before the clock starts: only the server is timed
        limit = timeout_s or self.config.timeout_s
        # The HTTP clients time out per read, so a server that trickles tokens forever would never trip them: the
        # reply is read on a worker thread and the whole of it is held to one deadline here.
        pieces: queue.Queue[tuple[str, Any]] = queue.Queue()
        stop = threading.Event()

        def read() -> None:
            try:
                for response in client.stream_chat(messages):
                    if stop.is_set():
                        return
                    pieces.put(("text", response.delta or ""))
                pieces.put(("end", None))
            except Exception as exc:  # every failure of the model's server becomes one kind of error
                pieces.put(("error", exc))

        threading.Thread(target=read, daemon=True, name="llm-reply").start()
        deadline = time.monotonic() + limit
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ModelError(f"the language model did not finish within {limit:g} s")
                try:
                    kind, value = pieces.get(timeout=remaining)
                except queue.Empty:
                    raise ModelError(f"the language model did not finish within {limit:g} s") from None
                if kind == "end":
                    return
                if kind == "error":
                    raise ModelError(f"the language model failed: {describe_failure(value)}") from value
                if value:
                    yield value
        finally:
            stop.set()

    def complete(self, system: str, user: str, timeout_s: float | None = None) -> str:
        """The whole reply as one text."""
        return "".join(self.stream(system, user, timeout_s))


def build_llm(config: LLMConfig) -> Any:
    """The llama-index LLM for the configured backend (nothing is sent until it is asked something)."""
    if config.backend == "ollama":
        from llama_index.llms.ollama import Ollama

        headers = {"Authorization": f"Bearer {config.api_key.get_secret_value()}"} if config.api_key else None
        return Ollama(
            model=config.model,
            base_url=config.base_url,
            temperature=config.temperature,
            # Given, so the client never asks the server for the model's details before the first question.
            context_window=config.context_window,
            request_timeout=config.timeout_s,
            additional_kwargs={"num_predict": config.max_tokens},
            headers=headers,
        )
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=config.model or "local-model",
        api_base=config.base_url,
        # Always given: the OpenAI client would otherwise read OPENAI_API_KEY and send it to this server.
        api_key=config.api_key.get_secret_value() if config.api_key else "none",
        is_chat_model=True,
        is_function_calling_model=False,
        temperature=config.temperature,
        max_tokens=config.max_tokens,
        context_window=config.context_window,
        timeout=config.timeout_s,
        max_retries=0,  # a retry would only make the user wait longer for the quoted answer
    )


def describe_failure(exc: BaseException) -> str:
    """A short, secret-free description of what went wrong talking to the model's server."""
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    if status:
        return f"HTTP {status}"
    name = type(exc).__name__
    if "Timeout" in name:
        return "timed out"
    if "Connect" in name or isinstance(exc, ConnectionError):
        return "cannot connect"
    return name
