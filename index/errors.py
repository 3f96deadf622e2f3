"""Errors about the index a user can cause or fix."""


class IndexStoreError(Exception):
    """Base for index problems a user can fix; the message says how."""


class IndexConfigError(IndexStoreError):
    """The configuration points at something unusable (a missing model, an unreachable server)."""


class IndexMismatchError(IndexStoreError):
    """The index was built with another embedding model or dimension than the one configured."""


class DocumentNotFoundError(IndexStoreError):
    """No document with that file name or title is in the index."""


class IndexLockedError(IndexStoreError):
    """Another process is writing the index; one writer at a time keeps it whole."""


class IndexVersionError(IndexStoreError):
    """The index was made by a newer Chroma than the one installed."""
