"""Errors a user can cause at the assistant layer, and the set of all user-facing error types."""

from corpus.errors import CorpusError
from index.errors import DocumentNotFoundError, IndexStoreError


class AssistantError(Exception):
    """Base for assistant errors a user can fix; the message says how."""


class ConfigError(AssistantError):
    """A settings file or value that cannot be used."""


class ModelError(AssistantError):
    """The configured language model could not give a reply (unreachable, failing, too slow)."""


class TranslationUnavailableError(AssistantError):
    """Apertium, which translates Spanish questions, is missing or failed (answered from the question as asked)."""

    def __init__(self, message: str, missing: bool = True):
        super().__init__(message)
        self.missing = missing


# Everything the CLI reports as a message rather than a traceback.
USER_ERRORS: tuple[type[Exception], ...] = (AssistantError, CorpusError, IndexStoreError)
# Among them, the ones that mean "no such thing" (an HTTP 404 rather than a 400).
NOT_FOUND_ERRORS: tuple[type[Exception], ...] = (DocumentNotFoundError,)
