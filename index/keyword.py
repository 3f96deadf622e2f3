"""The BM25 keyword index over the same chunks as Chroma, kept beside it and updated in place.

Chunks are stored as immutable segments of term counts (an inverted index per segment); adding a file writes a
new segment, removing one marks its chunks deleted, and segments are merged when there are many or most of one is
deleted, so no change rebuilds the whole index. IDF and average length are computed at query time over the live
chunks, so scores equal a BM25 index built afresh over the same chunks (bm25s's Lucene variant, k1 1.5, b 0.75).
The metadata filters use (towns, statewide, doc_type, date_ord) are kept in the segments too, so a filtered
search never asks Chroma for the ids a filter allows.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from index.fields import (
    FILTER_FIELDS,
    UnsupportedFilterError,
    filter_columns,
    filter_mask,
    list_items,
    missing_column,
)

__all__ = ["KeywordIndex", "Segment", "UnsupportedFilterError", "tokenize"]

K1 = 1.5
B = 0.75
_MANIFEST = "manifest.json"
_MAX_SEGMENTS = 12  # above this many segments, merge them all
_MAX_DELETED_SHARE = 0.3  # above this share of deleted chunks, merge (which drops them)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


# bm25s's English stop words and word pattern (its `tokenize(stopwords="en")`), kept here so a question is
# tokenized without importing bm25s and scipy; tests/test_keyword_index.py checks both against bm25s.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)
_WORD = re.compile(r"(?u)\b\w\w+\b")
# A statute's subsections as one word, the way people type them: "287(g)", "287 (g)", "287-g" and "1357(g)(10)"
# become "287g" and "1357g10", so a question saying "287g" finds the documents' "287(g)" (one-letter words are not
# indexed); only after a number, so "agency(ies)" stays a word.
_SUBSECTION = re.compile(r"(?<=\d)(?:\s?\(\w{1,3}\))+|(?<=\b\d{3})-[a-z]\b|(?<=\b\d{4})-[a-z]\b", re.IGNORECASE)
# Bumped whenever tokenize changes: a keyword index written by another version is rebuilt from the store on open.
TOKENIZER_VERSION = 2


def join_subsections(text: str) -> str:
    """The text with each statute subsection joined to its number ("287(g)" → "287g"; see _SUBSECTION)."""
    if "(" not in text and "-" not in text:
        return text
    return _SUBSECTION.sub(lambda match: re.sub(r"[\s()-]", "", match.group(0)), text)


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stop-worded, stemmed words, the same way for chunks and for queries (as bm25s.tokenize)."""
    stem = _stemmer().stemWord
    stems: dict[str, str] = {}
    result = []
    for text in texts:
        words = [w for w in _WORD.findall(join_subsections(text.lower())) if w not in STOPWORDS]
        result.append([stems[w] if w in stems else stems.setdefault(w, stem(w)) for w in words])
    return result


@dataclass
class Segment:
    """Chunks indexed together: their ids, lengths, filter fields and a term → (chunk, count) inverted index."""

    name: str
    ids: np.ndarray  # str, one per chunk
    lengths: np.ndarray  # int64 tokens per chunk
    terms: np.ndarray  # str, sorted
    term_ptr: np.ndarray  # int64, postings of terms[i] are [term_ptr[i], term_ptr[i+1])
    post_doc: np.ndarray  # int32 chunk index within the segment
    post_tf: np.ndarray  # float64 term count
    fields: dict[str, np.ndarray]  # the filter columns (`index.fields`), one row per chunk
    live: np.ndarray  # bool, False once deleted
    masks: dict[str, np.ndarray] = field(default_factory=dict)  # filter → chunks it allows (fields never change)

    def filter_mask(self, key: str, where: dict[str, Any]) -> np.ndarray:
        """Which chunks of this segment the filter allows, computed once per filter."""
        if key not in self.masks:
            if len(self.masks) >= 64:
                self.masks.clear()
            self.masks[key] = filter_mask(where, self.fields)
        return self.masks[key]

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The chunk indexes and counts of one term (empty when the segment lacks it)."""
        i = int(np.searchsorted(self.terms, term))
        if i >= len(self.terms) or self.terms[i] != term:
            return _EMPTY_INT, _EMPTY_FLOAT
        lo, hi = self.term_ptr[i], self.term_ptr[i + 1]
        return self.post_doc[lo:hi], self.post_tf[lo:hi]

    def save(self, directory: Path) -> None:
        arrays = {"ids": self.ids, "lengths": self.lengths, "terms": self.terms, "term_ptr": self.term_ptr}
        arrays |= {"post_doc": self.post_doc, "post_tf": self.post_tf}
        arrays |= {f"field_{k}": v for k, v in self.fields.items()}
        tmp = directory / (self.name + ".tmp.npz")
        np.savez(tmp, **arrays)  # type: ignore[arg-type]
        os.replace(tmp, directory / (self.name + ".npz"))

    @classmethod
    def load(cls, directory: Path, name: str, deleted: list[int]) -> Segment:
        with np.load(directory / (name + ".npz"), allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
        live = np.ones(len(arrays["ids"]), dtype=bool)
        live[np.asarray(deleted, dtype=np.int64)] = False
        fields = {key.removeprefix("field_"): arrays[key] for key in arrays if key.startswith("field_")}
        for name in FILTER_FIELDS.keys() - fields.keys():  # declared after this segment was written
            fields[name] = missing_column(name, len(arrays["ids"]))
        return cls(
            name,
            arrays["ids"],
            arrays["lengths"],
            arrays["terms"],
            arrays["term_ptr"],
            arrays["post_doc"],
            arrays["post_tf"],
            fields,
            live,
        )


_EMPTY_INT = np.zeros(0, dtype=np.int32)
_EMPTY_FLOAT = np.zeros(0, dtype=np.float64)


def build_segment(name: str, ids: list[str], tokens: list[list[str]], metas: list[dict[str, Any]]) -> Segment:
    """An inverted index over these chunks' tokens, with their filter fields."""
    vocab: dict[str, int] = {}
    term_ids: list[int] = []
    doc_ids: list[int] = []
    for doc, words in enumerate(tokens):
        for word in words:
            term_ids.append(vocab.setdefault(word, len(vocab)))
        doc_ids.extend([doc] * len(words))
    words_sorted = np.array(sorted(vocab), dtype=str) if vocab else np.zeros(0, dtype="<U1")
    rank = np.zeros(len(vocab), dtype=np.int64)
    rank[[vocab[w] for w in words_sorted]] = np.arange(len(vocab))
    n = max(len(ids), 1)
    keys, counts = np.unique(rank[np.asarray(term_ids, dtype=np.int64)] * n + np.asarray(doc_ids), return_counts=True)
    term_col = keys // n
    return Segment(
        name=name,
        ids=np.array(ids, dtype=str),
        lengths=np.array([len(t) for t in tokens], dtype=np.int64),
        terms=words_sorted,
        term_ptr=np.searchsorted(term_col, np.arange(len(vocab) + 1)).astype(np.int64),
        post_doc=(keys % n).astype(np.int32),
        post_tf=counts.astype(np.float64),
        fields=filter_columns(metas),
        live=np.ones(len(ids), dtype=bool),
    )


def merge_segments(name: str, segments: list[Segment]) -> Segment:
    """One segment holding the live chunks of several (deleted ones dropped), without re-tokenizing."""
    offsets, ids, lengths, fields = [], [], [], []
    term_parts, doc_parts, tf_parts = [], [], []
    total = 0
    for seg in segments:
        new_index = np.cumsum(seg.live) - 1 + total
        keep = seg.live[seg.post_doc]
        seg_terms = np.repeat(seg.terms, np.diff(seg.term_ptr))
        term_parts.append(seg_terms[keep])
        doc_parts.append(new_index[seg.post_doc[keep]])
        tf_parts.append(seg.post_tf[keep])
        ids.append(seg.ids[seg.live])
        lengths.append(seg.lengths[seg.live])
        fields.append({k: v[seg.live] for k, v in seg.fields.items()})
        offsets.append(total)
        total += int(seg.live.sum())
    all_terms = np.concatenate(term_parts) if term_parts else np.zeros(0, dtype="<U1")
    vocab, term_col = np.unique(all_terms, return_inverse=True)
    docs = np.concatenate(doc_parts) if doc_parts else _EMPTY_INT
    order = np.lexsort((docs, term_col))
    term_col = term_col[order]
    return Segment(
        name=name,
        ids=np.concatenate(ids) if ids else np.zeros(0, dtype="<U1"),
        lengths=np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64),
        terms=vocab,
        term_ptr=np.searchsorted(term_col, np.arange(len(vocab) + 1)).astype(np.int64),
        post_doc=docs[order].astype(np.int32),
        post_tf=(np.concatenate(tf_parts) if tf_parts else _EMPTY_FLOAT)[order],
        fields={k: np.concatenate([f[k] for f in fields]) for k in fields[0]} if fields else filter_columns([]),
        live=np.ones(total, dtype=bool),
    )


class KeywordIndex:
    """BM25 scores for chunk ids, optionally within a metadata filter; changed by adding and deleting chunks."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.segments: list[Segment] = []
        self._next = 1
        self._cached_stats: tuple[int, float] | None = None
        self._allowed: dict[str, np.ndarray] = {}  # filter → ids of the live chunks it allows, until a change
        self._allowed_sets: dict[str, frozenset[str]] = {}
        self._load()

    def _load(self) -> None:
        manifest = self.directory / _MANIFEST
        if not manifest.is_file():
            return  # no index yet, or one from an older version: the next sync fills it from Chroma
        state = json.loads(manifest.read_text())
        if state.get("tokenizer", 1) != TOKENIZER_VERSION:
            return  # words cut another way: rebuilt from the store on open, its files replaced at the next save
        self._next = int(state["next"])
        self.segments = [Segment.load(self.directory, s["name"], s["deleted"]) for s in state["segments"]]

    @property
    def count(self) -> int:
        """Live chunks."""
        return self._stats()[0]

    @property
    def ids(self) -> list[str]:
        """Ids of the live chunks, in the order they were added."""
        return [str(i) for s in self.segments for i in s.ids[s.live]]

    def add(self, ids: list[str], texts: list[str], metas: list[dict[str, Any]]) -> None:
        """Index these chunks (text as keyword-indexed, Chroma-style metadata); an id already present is replaced."""
        if not ids:
            return
        self._mark_deleted(ids)
        segment = build_segment(f"seg-{self._next:06d}", ids, tokenize(texts), metas)
        self._next += 1
        self.directory.mkdir(parents=True, exist_ok=True)
        segment.save(self.directory)
        self.segments.append(segment)
        self._changed()
        self._maybe_merge()
        self._save_manifest()

    def delete(self, ids: Iterable[str]) -> int:
        """Mark these chunks deleted; returns how many were present."""
        removed = self._mark_deleted(ids)
        if removed:
            self._maybe_merge()
            self._save_manifest()
        return removed

    def clear(self) -> None:
        self.segments = []
        self._changed()
        self._save_manifest()

    def _mark_deleted(self, ids: Iterable[str]) -> int:
        wanted = np.array(list(ids), dtype=str)
        removed = 0
        if len(wanted):
            for seg in self.segments:
                hit = seg.live & np.isin(seg.ids, wanted)
                removed += int(hit.sum())
                seg.live[hit] = False
        self._changed()
        return removed

    def _maybe_merge(self) -> None:
        total = sum(len(s.ids) for s in self.segments)
        deleted = total - self.count
        if len(self.segments) > _MAX_SEGMENTS or (total and deleted / total > _MAX_DELETED_SHARE):
            merged = merge_segments(f"seg-{self._next:06d}", self.segments)
            self._next += 1
            merged.save(self.directory)
            self.segments = [merged] if len(merged.ids) else []
            self._changed()

    def _save_manifest(self) -> None:
        """Point at the current segments (atomically), then delete segment files no longer pointed at."""
        self.directory.mkdir(parents=True, exist_ok=True)
        state = {
            "next": self._next,
            "tokenizer": TOKENIZER_VERSION,
            "segments": [{"name": s.name, "deleted": np.flatnonzero(~s.live).tolist()} for s in self.segments],
        }
        tmp = self.directory / (_MANIFEST + ".tmp")
        tmp.write_text(json.dumps(state))
        os.replace(tmp, self.directory / _MANIFEST)
        keep = {s.name + ".npz" for s in self.segments} | {_MANIFEST}
        for path in self.directory.iterdir():
            if path.name in keep:
                continue
            if path.is_dir():  # the whole-index bm25s folder of older versions
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def _changed(self) -> None:
        """Forget what was computed over the live chunks."""
        self._cached_stats = None
        self._allowed = {}
        self._allowed_sets = {}

    def allowed_ids(self, where: dict[str, Any]) -> np.ndarray:
        """Ids of the live chunks a Chroma-style `where` filter allows (computed once per filter until the next
        change); `UnsupportedFilterError` for a field the columns do not keep."""
        key = json.dumps(where, sort_keys=True)
        if key not in self._allowed:
            if len(self._allowed) >= 64:
                self._allowed.clear()
            parts = [seg.ids[seg.live & seg.filter_mask(key, where)] for seg in self.segments]
            self._allowed[key] = np.concatenate(parts) if parts else np.zeros(0, dtype=str)
        return self._allowed[key]

    def allowed_set(self, where: dict[str, Any]) -> frozenset[str]:
        """`allowed_ids` as a set, for membership tests (kept alike)."""
        key = json.dumps(where, sort_keys=True)
        if key not in self._allowed_sets:
            if len(self._allowed_sets) >= 16:
                self._allowed_sets.clear()
            self._allowed_sets[key] = frozenset(self.allowed_ids(where).tolist())
        return self._allowed_sets[key]

    def _stats(self) -> tuple[int, float]:
        """Live chunks and their average length (kept until the next change)."""
        if self._cached_stats is None:
            count = sum(int(s.live.sum()) for s in self.segments)
            total = sum(float(s.lengths[s.live].sum()) for s in self.segments)
            self._cached_stats = (count, total / count if count else 0.0)
        return self._cached_stats

    def document_towns(self) -> dict[str, tuple[set[str], set[str]]]:
        """For each file: the towns its chunks are tagged with and the towns their text names, from the filter
        columns (no pass over the vector store, however many chunks there are)."""
        found: dict[str, tuple[set[str], set[str]]] = {}
        for seg in self.segments:
            live = seg.live
            rows = zip(
                seg.fields["file"][live].tolist(),
                seg.fields["towns"][live].tolist(),
                seg.fields["mentions"][live].tolist(),
                strict=True,
            )
            for file, towns, mentions in set(rows):
                tagged, named = found.setdefault(file, (set(), set()))
                tagged.update(list_items(towns))
                named.update(list_items(mentions))
        return found

    def terms_starting(self, prefix: str) -> list[str]:
        """The terms (stemmed words) beginning with `prefix` in any segment, sorted, deleted chunks' words included
        (`idf` tells which a live chunk holds): where a misspelled name's right spelling is looked for ("heally" →
        "healey")."""
        found: set[str] = set()
        for segment in self.segments:
            lo = int(np.searchsorted(segment.terms, prefix))
            hi = int(np.searchsorted(segment.terms, prefix + "\uffff"))
            found.update(segment.terms[lo:hi].tolist())
        return sorted(found)

    def idf(self, terms: list[str]) -> dict[str, float]:
        """Each term's BM25 inverse document frequency over the live chunks (0 for a term no chunk has)."""
        live_count, _ = self._stats()
        return self._idf({t: [seg.postings(t) for seg in self.segments] for t in set(terms)}, live_count)

    def _idf(self, postings: dict[str, list[tuple[np.ndarray, np.ndarray]]], live_count: int) -> dict[str, float]:
        idf = {}
        for term, per_segment in postings.items():
            df = sum(int(seg.live[docs].sum()) for seg, (docs, _) in zip(self.segments, per_segment, strict=True))
            idf[term] = float(np.log(1 + (live_count - df + 0.5) / (df + 0.5))) if df else 0.0
        return idf

    def search(
        self, query: str, k: int, where: dict[str, Any] | None = None, allowed: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """The top-k (chunk id, BM25 score) pairs with a positive score, best first, within the filter (a `where`
        on the kept fields, or a set of allowed ids) if given."""
        live_count, avg_length = self._stats()
        if not live_count:
            return []
        tokens = tokenize([query])[0]
        if not tokens:
            return []
        postings = {t: [seg.postings(t) for seg in self.segments] for t in set(tokens)}
        idf = self._idf(postings, live_count)
        key = json.dumps(where, sort_keys=True) if where else ""
        found_scores, found_segment, found_row = [], [], []
        for s, seg in enumerate(self.segments):
            scores = np.zeros(len(seg.ids), dtype=np.float64)
            for term in tokens:  # a repeated query word counts again, as in bm25s
                docs, tf = postings[term][s]
                if len(docs):
                    norm = K1 * ((1 - B) + B * seg.lengths[docs] / avg_length)
                    scores[docs] += idf[term] * tf / (norm + tf)
            mask = seg.live if where is None else seg.live & seg.filter_mask(key, where)
            if allowed is not None:
                mask = mask & np.isin(seg.ids, list(allowed))
            rows = np.flatnonzero(mask & (scores > 0))
            if len(rows) > k:  # the k best of this segment (ties at the cut kept, sorted below)
                cut = np.partition(scores[rows], len(rows) - k)[len(rows) - k]
                rows = rows[scores[rows] >= cut]
            found_scores.append(scores[rows])
            found_segment.append(np.full(len(rows), s))
            found_row.append(rows)
        if not found_scores:
            return []
        all_scores, segment_of, row_of = (np.concatenate(a) for a in (found_scores, found_segment, found_row))
        order = np.lexsort((row_of, segment_of, -all_scores))[:k]
        return [(str(self.segments[segment_of[i]].ids[row_of[i]]), float(all_scores[i])) for i in order]
