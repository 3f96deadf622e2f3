"""Verification, run on every reply whatever composed it: markers point at given citations, quotes are verbatim
at their offsets, and the reply's kind and confidence are set here, in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.compose import Draft
from assistant.plan import Plan
from assistant.types import CITATION_MARKER, Citation, ReplyKind

_LINK = re.compile(
    r"!?\[([^\]]*)\]\(([^\s()]*(?:\([^\s()]*\)[^\s()]*)*)\)|(?:https?|ftp|javascript|data):[^\s<>\"')\]]+",
    re.IGNORECASE,
)


@dataclass
class Verified:
    """A draft after verification, with what verification did to it."""

    text: str
    citations: list[Citation]
    kind: ReplyKind
    confidence: float | None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def verify(plan: Plan, draft: Draft) -> Verified:
    """Drop citations whose quote is not verbatim in their passage, strip markers that point at no kept citation,
    drop citations the text never refers to; then decide the reply's kind and confidence."""
    problems: list[str] = []
    kept: list[Citation] = []
    for citation in draft.citations:
        if citation.is_verbatim():
            kept.append(citation)
        else:
            problems.append(f"quote [{citation.n}] is not verbatim at its offsets in its passage")
    numbers = {c.n for c in kept}
    unknown = sorted({int(n) for n in CITATION_MARKER.findall(draft.text)} - numbers)
    problems += [f"[{n}] points at no citation" for n in unknown]
    text = strip_foreign_links(strip_unknown_markers(draft.text, numbers), {c.source_url for c in kept if c.source_url})
    referred = {int(n) for n in CITATION_MARKER.findall(text)}
    cited = [c for c in kept if c.n in referred]
    dropped = len(draft.citations) - len(cited)
    if plan.kind == "which_town":
        kind: ReplyKind = "which_town"
    else:
        kind = draft.kind if cited and not draft.abstained and draft.kind != "none" else "none"  # type: ignore[assignment]
    # The reply abstains only when every request held to the threshold fell under it, so its confidence is the
    # best of theirs (a comparison answered for one town of two is an answer).
    confidence = round(max(draft.confidences), 4) if draft.confidences else None
    return Verified(text, cited, kind, confidence, {"kept": len(cited), "dropped": dropped, "repaired": 0}, problems)


def strip_foreign_links(text: str, allowed: set[str]) -> str:
    """Links and images that point anywhere but a cited document's own source URL are taken out (their words kept)."""

    def replace(match: re.Match[str]) -> str:
        if match.group(2) is not None:  # [words](target) or ![words](target)
            return match.group(0) if match.group(2) in allowed else match.group(1)
        url = match.group(0).rstrip(".,;:")
        trailing = match.group(0)[len(url) :]
        return match.group(0) if url in allowed else "(link removed)" + trailing

    return _LINK.sub(replace, text)


def strip_unknown_markers(text: str, numbers: set[int]) -> str:
    """Remove [n] markers that point at no citation (and the space before them)."""
    return CITATION_MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in numbers else "", text).replace(" \n", "\n")
