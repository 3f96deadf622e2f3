"""Errors a user can cause by what they feed the corpus layer."""


class CorpusError(Exception):
    """Base for errors about documents or metadata a user supplied."""


class LoadError(CorpusError):
    """A file could not be read as a document; the message says why, and names the file."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


class UnknownTownError(CorpusError):
    """A name that is not a Massachusetts city or town, nor an alias of one."""
