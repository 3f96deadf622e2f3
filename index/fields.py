"""The chunk metadata that filters use, kept as columns beside the keyword index, and Chroma-style `where`
filters evaluated on them — so neither retriever asks Chroma which chunks a filter allows.

A field missing from a chunk's metadata matches nothing, as in Chroma (so a field added later needs no rebuild
of older segments: they read it as missing). A filter on a field not declared here raises
`UnsupportedFilterError`, and the caller lets Chroma evaluate it instead.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

Kind = Literal["text", "list", "bool", "int"]

# Every metadata field a filter may use, one line each: its name in the chunk metadata and its kind.
FILTER_FIELDS: dict[str, Kind] = {
    "file": "text",
    "doc_type": "text",
    "towns": "list",
    "mentions": "list",  # towns a chunk's text names
    "statewide": "bool",
    "date_ord": "int",
}

_SEP = "\x1f"  # list items are stored as "\x1fA\x1fB\x1f", so $contains is one substring search
_MISSING_INT = -1  # an int field the chunk does not have (int fields hold dates, counts: never negative)


class UnsupportedFilterError(ValueError):
    """A metadata filter uses an operator or field the columns do not keep."""


def filter_columns(metas: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """The declared fields of these chunks' (Chroma-style) metadata, as one column per field."""
    return {name: _column(kind, [m.get(name) for m in metas]) for name, kind in FILTER_FIELDS.items()}


def list_items(value: str) -> list[str]:
    """The items of one stored list value."""
    return [item for item in str(value).split(_SEP) if item]


def missing_column(name: str, size: int) -> np.ndarray:
    """A column for chunks that do not have the field (written before it was declared)."""
    return _column(FILTER_FIELDS[name], [None] * size)


def _column(kind: Kind, values: list[Any]) -> np.ndarray:
    if kind == "text":
        return np.array(["" if v is None else str(v) for v in values], dtype=str)
    if kind == "list":
        return np.array([_SEP + _SEP.join(str(x) for x in v or []) + _SEP for v in values], dtype=str)
    if kind == "bool":
        return np.array([2 if v is None else int(bool(v)) for v in values], dtype=np.int8)
    return np.array([_MISSING_INT if v is None else int(v) for v in values], dtype=np.int64)


def filter_mask(where: dict[str, Any], columns: dict[str, np.ndarray]) -> np.ndarray:
    """Which rows a Chroma-style `where` filter allows, evaluated on the columns."""
    size = len(next(iter(columns.values()))) if columns else 0
    if "$and" in where:
        mask = np.ones(size, dtype=bool)
        for clause in where["$and"]:
            mask &= filter_mask(clause, columns)
        return mask
    if "$or" in where:
        mask = np.zeros(size, dtype=bool)
        for clause in where["$or"]:
            mask |= filter_mask(clause, columns)
        return mask
    mask = np.ones(size, dtype=bool)
    for name, condition in where.items():
        if name not in FILTER_FIELDS or name not in columns:
            raise UnsupportedFilterError(f"no filter column {name!r}")
        ops = condition if isinstance(condition, dict) else {"$eq": condition}
        for op, value in ops.items():
            mask &= _compare(FILTER_FIELDS[name], columns[name], op, value)
    return mask


def _compare(kind: Kind, column: np.ndarray, op: str, value: Any) -> np.ndarray:
    if kind == "list":
        if op == "$contains":
            return np.char.find(column, _SEP + str(value) + _SEP) >= 0  # type: ignore[no-any-return]
        raise UnsupportedFilterError(f"a list field supports only $contains, not {op}")
    present = _present(kind, column)
    if kind == "bool":
        value = int(bool(value)) if isinstance(value, bool) else value
        if isinstance(value, list):
            value = [int(bool(v)) for v in value]
    if op in ("$gt", "$gte", "$lt", "$lte") and kind == "int":
        compare = {"$gt": np.greater, "$gte": np.greater_equal, "$lt": np.less, "$lte": np.less_equal}[op]
        return present & compare(column, value)  # type: ignore[no-any-return]
    if op == "$eq":
        return present & (column == value)  # type: ignore[no-any-return]
    if op == "$ne":
        return present & (column != value)  # type: ignore[no-any-return]
    if op == "$in":
        return present & np.isin(column, list(value))  # type: ignore[no-any-return]
    if op == "$nin":
        return present & ~np.isin(column, list(value))  # type: ignore[no-any-return]
    raise UnsupportedFilterError(f"unsupported filter {op} on a {kind} field")


def _present(kind: Kind, column: np.ndarray) -> np.ndarray:
    """Rows that have the field (Chroma leaves rows without it out of every comparison)."""
    if kind == "text":
        return np.ones(len(column), dtype=bool)
    if kind == "bool":
        return column != 2  # type: ignore[no-any-return]
    return column >= 0  # type: ignore[no-any-return]
