"""The BM25 keyword index over the same chunks as Chroma, persisted beside it and rebuilt when stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

_STATE = "state.json"


def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stop-worded, stemmed words, the same way for chunks and for queries."""
    import bm25s

    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)  # type: ignore[no-any-return]


class KeywordIndex:
    """BM25 scores for chunk ids; `search` can be limited to a set of allowed ids (a metadata filter)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.ids: list[str] = []
        self.fingerprint: str | None = None
        self._retriever: Any = None
        self._load()

    def _load(self) -> None:
        state_file = self.directory / _STATE
        if not state_file.is_file():
            return
        import bm25s

        state = json.loads(state_file.read_text())
        self.ids, self.fingerprint = state["ids"], state["fingerprint"]
        self._retriever = bm25s.BM25.load(str(self.directory / "bm25")) if self.ids else None

    def rebuild(self, ids: list[str], texts: list[str], fingerprint: str) -> None:
        """Index these chunks afresh and save; written to a temp folder first so a crash leaves the old one."""
        import bm25s

        tmp = self.directory.with_name(self.directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        retriever = None
        if ids:
            retriever = bm25s.BM25()
            retriever.index(tokenize(texts), show_progress=False)
            retriever.save(str(tmp / "bm25"))
        (tmp / _STATE).write_text(json.dumps({"ids": ids, "fingerprint": fingerprint}))
        shutil.rmtree(self.directory, ignore_errors=True)
        tmp.rename(self.directory)
        self.ids, self.fingerprint, self._retriever = ids, fingerprint, retriever

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """The top-k (chunk id, BM25 score) pairs with a positive score, best first."""
        if self._retriever is None:
            return []
        vocab = self._retriever.vocab_dict
        tokens = [t for t in tokenize([query])[0] if t in vocab]
        if not tokens:
            return []
        scores = np.asarray(self._retriever.get_scores(tokens), dtype=np.float64)
        if allowed is not None:
            mask = np.fromiter((i in allowed for i in self.ids), dtype=bool, count=len(self.ids))
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[:k]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
