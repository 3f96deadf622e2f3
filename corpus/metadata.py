"""Where a document's metadata comes from: a sidecar file, Markdown front matter, CLI flags, or inference."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from corpus.errors import LoadError, UnknownTownError
from corpus.models import DOC_TYPES, DocumentMeta
from corpus.towns import load_towns

META_FIELDS = tuple(DocumentMeta.model_fields)
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


def infer_doc_type(title: str) -> str:
    """A guess from the title, used only when no type is given: a ruling, a law, a policy, or a report."""
    lowered = title.lower()
    if re.search(r"\bv\.?\s", lowered) or "decision" in lowered or "ruling" in lowered:
        return "ruling"
    if re.search(r"\b(act|ordinance|bylaw|statute|general laws?)\b", lowered):
        return "law"
    if re.search(r"\b(policy|procedure|general order|directive)\b", lowered):
        return "policy"
    return "report"


def resolve_meta(file: str, layers: list[dict[str, Any]]) -> DocumentMeta:
    """Merge metadata layers (later ones win where they set a value), fill in the type, and validate."""
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update({k: v for k, v in layer.items() if v not in (None, "", [], ())})
    merged.setdefault("title", Path(file).stem.replace("_", " ").replace("-", " "))
    merged.setdefault("doc_type", infer_doc_type(str(merged["title"])))
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


def _known_fields(path: Path, data: dict[str, Any], origin: str) -> dict[str, Any]:
    unknown = sorted(set(data) - set(META_FIELDS))
    if unknown:
        raise LoadError(
            path.name, f"{origin} has unknown field(s) {', '.join(unknown)}; known: {', '.join(META_FIELDS)}"
        )
    return dict(data)
