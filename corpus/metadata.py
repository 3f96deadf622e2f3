"""Where a document's metadata comes from: a sidecar file, Markdown front matter, CLI flags, or inference."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from corpus.errors import LoadError, UnknownTownError
from corpus.inference import type_from_title
from corpus.models import DOC_TYPES, DocumentMeta
from corpus.towns import load_towns

# The fields a sidecar, front matter or flag may set (`inferred` is ours: which fields were read from the text).
META_FIELDS = tuple(name for name in DocumentMeta.model_fields if name != "inferred")
SIDECAR_SUFFIX = ".meta.toml"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def sidecar_paths(path: Path) -> list[Path]:
    """Sidecars that may describe a file: `report.pdf.meta.toml`, then `report.meta.toml`."""
    return [path.with_name(path.name + SIDECAR_SUFFIX), path.with_name(path.stem + SIDECAR_SUFFIX)]


def read_sidecar(path: Path) -> dict[str, Any]:
    """Metadata from the file's sidecar, if it has one."""
    for sidecar in sidecar_paths(path):
        if sidecar.is_file():
            try:
                data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise LoadError(path.name, f"its sidecar {sidecar.name} is not valid TOML: {exc}") from exc
            return _known_fields(path, data, sidecar.name)
    return {}


def split_front_matter(text: str, file: str) -> tuple[dict[str, Any], str, int]:
    """YAML front matter of a Markdown text, the text after it, and the offset where that text starts."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, 0
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise LoadError(file, f"its front matter is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise LoadError(file, "its front matter is not a mapping of field: value")
    # Blog front matter carries keys of its own (layout, author, tags, image): not ours to judge, so ignored.
    known = {k: v for k, v in data.items() if k in META_FIELDS}
    return known, text[match.end() :], match.end()


def merge_layers(layers: list[dict[str, Any]]) -> dict[str, Any]:
    """Metadata layers merged: later ones win where they set a value (an empty value sets nothing)."""
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update({k: v for k, v in layer.items() if v not in (None, "", [], ())})
    return merged


def resolve_meta(file: str, layers: list[dict[str, Any]], inferred: list[str] | None = None) -> DocumentMeta:
    """Merge metadata layers (later ones win where they set a value), fill in title and type, and validate;
    `inferred` names the fields that were read from the text rather than given."""
    merged = merge_layers(layers)
    merged.setdefault("title", Path(file).stem.replace("_", " ").replace("-", " "))
    merged.setdefault("doc_type", type_from_title(str(merged["title"])))
    merged["inferred"] = sorted(inferred or [])
    if isinstance(merged.get("towns"), str):
        merged["towns"] = [merged["towns"]]
    registry = load_towns()
    try:
        merged["towns"] = [registry.canonical(str(t)) for t in merged.get("towns", [])]
    except UnknownTownError as exc:
        raise LoadError(file, str(exc)) from exc
    if merged["doc_type"] not in DOC_TYPES:
        raise LoadError(file, f"doc_type {merged['doc_type']!r} is not one of {', '.join(DOC_TYPES)}")
    try:
        return DocumentMeta(**merged)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise LoadError(file, f"bad metadata: {problems}") from exc


EDITABLE_FIELDS = ("title", "doc_type", "towns", "date", "source_url", "publisher")


def corrected_meta(file: str, meta: DocumentMeta, changes: dict[str, Any]) -> DocumentMeta:
    """A document's metadata with a user's corrections applied and checked (an empty value clears a field; no
    towns means statewide); the corrected fields are no longer listed as inferred."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise LoadError(
            file, f"cannot change {', '.join(unknown)}; these can be corrected: {', '.join(EDITABLE_FIELDS)}"
        )
    values = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in changes.items()}
    if "title" in values and not values["title"]:
        raise LoadError(file, "a document needs a title")
    if isinstance(values.get("towns"), str):
        values["towns"] = [t.strip() for t in str(values["towns"]).split(",")]
    if "towns" in values:
        registry = load_towns()
        try:
            values["towns"] = list(
                dict.fromkeys(registry.canonical(str(t)) for t in values["towns"] or [] if str(t).strip())
            )
        except UnknownTownError as exc:
            raise LoadError(file, str(exc)) from exc
    if "doc_type" in values and values["doc_type"] not in DOC_TYPES:
        raise LoadError(file, f"doc_type {values['doc_type']!r} is not one of {', '.join(DOC_TYPES)}")
    merged = {**meta.model_dump(), **values, "inferred": [f for f in meta.inferred if f not in values]}
    try:
        return DocumentMeta(**merged)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise LoadError(file, f"bad metadata: {problems}") from exc


def _known_fields(path: Path, data: dict[str, Any], origin: str) -> dict[str, Any]:
    unknown = sorted(set(data) - set(META_FIELDS))
    if unknown:
        raise LoadError(
            path.name, f"{origin} has unknown field(s) {', '.join(unknown)}; known: {', '.join(META_FIELDS)}"
        )
    return dict(data)
