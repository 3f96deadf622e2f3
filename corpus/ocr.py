"""Text for scanned PDF pages: find pages with no usable text layer, render them and recognise them with tesseract.

Recognised pages are cached by a hash of the rendered image (and the languages asked for), so re-ingesting a
scanned file, or a copy of it under another name, runs no recognition at all. Tesseract is Debian's
(`tesseract-ocr` with `tesseract-ocr-eng`, `tesseract-ocr-spa`), called through pytesseract.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MISSING_TESSERACT = (
    "it has {n} scanned page(s) ({pages}) and tesseract, which reads them, is not installed; install Debian's "
    "tesseract-ocr and tesseract-ocr-eng (and tesseract-ocr-spa for Spanish): "
    "sudo apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa"
)
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = set("aeiouyáéíóúàèìòùâêîôûäëïöüAEIOUYÁÉÍÓÚ")


class OcrConfig(BaseModel):
    """How scanned pages are read: whether at all, in which languages, at what resolution, with which tesseract."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(True, description="Recognise scanned PDF pages with tesseract (off = leave them out).")
    languages: str = Field(
        "eng+spa", description="Tesseract languages to use, '+'-joined; those not installed are skipped."
    )
    dpi: int = Field(300, ge=72, le=600, description="Resolution scanned pages are rendered at for recognition.")
    threads: int = Field(1, ge=1, le=64, description="Threads tesseract may use per page (OMP_THREAD_LIMIT).")
    max_pages: int = Field(500, ge=1, description="Most scanned pages recognised in one file; the rest are left out.")
    tesseract_cmd: str = Field("tesseract", description="The tesseract program (a name on PATH or a path).")
    cache_dir: Path | None = Field(
        None, description="Where recognised pages are kept by image hash; unset = <index dir>/ocr-cache."
    )


class OcrReport(BaseModel):
    """What recognition did for one file: pages recognised, taken from the cache, left out, and the time it took."""

    recognised: list[int] = Field(default_factory=list)
    cached: list[int] = Field(default_factory=list)
    skipped: list[int] = Field(default_factory=list)
    seconds: float = 0.0

    @property
    def pages_per_second(self) -> float | None:
        return len(self.recognised) / self.seconds if self.recognised and self.seconds > 0 else None

    def as_json(self) -> dict[str, Any]:
        return {
            "recognised": len(self.recognised),
            "cached": len(self.cached),
            "skipped": self.skipped,
            "seconds": round(self.seconds, 2),
            "pages_per_second": round(self.pages_per_second, 2) if self.pages_per_second else None,
        }


class TesseractMissingError(RuntimeError):
    """Tesseract is not installed (or not where the settings say)."""


def needs_ocr(text: str) -> bool:
    """Whether a page's extracted text is too little or too garbled to be its real text (a scan, a broken font)."""
    stripped = "".join(text.split())
    if sum(ch.isalnum() for ch in stripped) < 25 or text.count("(cid:") >= 3:  # glyph ids of a font with no map
        return True
    # Broken font encodings come out as symbols, private-use glyphs or replacement characters.
    ordinary = sum(ch.isalnum() or ch in ".,;:'\"()-–—%$/&?!§" for ch in stripped)
    if ordinary / len(stripped) < 0.8:
        return True
    words = [w for w in _WORD.findall(text) if len(w) > 1]
    if not words:
        return True
    # Real words in Latin-script languages nearly all have a vowel; "xqzt bcdf" runs do not.
    voweled = sum(1 for w in words if any(ch in _VOWELS for ch in w))
    return voweled / len(words) < 0.6


def recognise_pages(
    data: bytes, pages: list[int], config: OcrConfig, on_page: Callable[[int, int], None] | None = None
) -> tuple[dict[int, str], OcrReport]:
    """Text of these (1-based) pages of a PDF, from the cache or recognised now; raises TesseractMissingError.

    Pages are rendered one at a time (a long scan never sits in memory whole); `on_page(done, total)` hears after
    each page (a progress bar, or the heartbeat that tells a worker's supervisor it is not stuck)."""
    import pypdfium2 as pdfium

    report = OcrReport()
    texts: dict[int, str] = {}
    languages: str | None = None
    pdf = pdfium.PdfDocument(data)
    try:
        for done, number in enumerate(pages, start=1):
            started = time.perf_counter()
            image = pdf[number - 1].render(scale=config.dpi / 72, grayscale=True).to_pil()
            cached_path = _cache_path(config, image)
            if cached_path is not None and cached_path.is_file():
                texts[number] = cached_path.read_text(encoding="utf-8")
                report.cached.append(number)
            else:
                languages = languages or available_languages(config)
                texts[number] = _tesseract(image, languages, config)
                report.recognised.append(number)
                report.seconds += time.perf_counter() - started
                if cached_path is not None:
                    _write_atomically(cached_path, texts[number])
            del image
            if on_page:
                on_page(done, len(pages))
    finally:
        pdf.close()
    return texts, report


def available_languages(config: OcrConfig) -> str:
    """The configured languages that this tesseract has, '+'-joined (eng when it has none of them)."""
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = config.tesseract_cmd
    try:
        installed = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, FileNotFoundError, PermissionError) as exc:
        raise TesseractMissingError(str(exc)) from exc
    wanted = [lang for lang in config.languages.split("+") if lang in installed]
    return "+".join(wanted) or "eng"


def _tesseract(image: Any, languages: str, config: OcrConfig) -> str:
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = config.tesseract_cmd
    # pytesseract hands tesseract this process's environment. Tesseract's own OpenMP threads make it slower, not
    # faster, on a small or shared CPU (one page at 300 dpi, eng+spa, on 2 busy cores: 10.2 s with them, 3.1 s
    # with one), so it gets `ocr.threads` for the call.
    previous = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = str(config.threads)
    try:
        return str(pytesseract.image_to_string(image, lang=languages))
    except (pytesseract.TesseractNotFoundError, FileNotFoundError, PermissionError) as exc:
        raise TesseractMissingError(str(exc)) from exc
    finally:
        if previous is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = previous


def _cache_path(config: OcrConfig, image: Any) -> Path | None:
    """Where this page image's text is cached: its pixels' hash and the languages asked for decide it."""
    if config.cache_dir is None:
        return None
    digest = hashlib.sha256(f"{image.mode}{image.size}{config.languages}".encode() + image.tobytes()).hexdigest()
    return config.cache_dir / digest[:2] / f"{digest}.txt"


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
