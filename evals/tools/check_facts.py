"""Check an eval set against the documents: every fact of an answerable item is stated in one of its sources.

    python evals/tools/check_facts.py evals/sets/dev.jsonl evals/sets/test.jsonl [--suggest]

Documents are read the way ingest reads them (`corpus.loaders.load_document`, so boilerplate an HTML extractor drops
does not count), from corpus/documents and evals/fixtures/realworld unless --docs names other folders. The
"About this document" and "Sources" sections are left out: the assistant never quotes them. A fact "a|b" is stated
when any alternative appears, case-insensitive, as whole words. With --suggest, also lists documents not named as
sources that state every fact of an item (candidates to add). Spanish items (`es-`) must name their English item in
`note`, in the same set, with the same facts and sources. Exits 1 on any problem.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from corpus.loaders import is_supported, load_document

SKIPPED_SECTIONS = re.compile(r"^(\d+\.\s*)?(about this document|sources)$", re.IGNORECASE)
DEFAULT_DOCS = ["corpus/documents", "evals/fixtures/realworld"]


def normalize(text: str) -> str:
    """Curly quotes straightened and runs of whitespace made one space."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text)


def read_texts(folders: list[str]) -> dict[str, str]:
    """File name → quotable text of every supported document under the folders."""
    texts: dict[str, str] = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if not path.is_file() or not is_supported(path) or path.name.startswith("."):
                continue
            document = load_document(path)
            kept = [b.text for b in document.blocks if not (b.section and SKIPPED_SECTIONS.match(b.section.strip()))]
            texts[document.file] = normalize("\n".join(kept))
    return texts


def states(text: str, fact: str) -> bool:
    """Whether the text states the fact (any "|" alternative, case-insensitive, whole words)."""
    return any(
        re.search(rf"(?<!\w){re.escape(normalize(alt.strip()))}(?!\w)", text, re.IGNORECASE) for alt in fact.split("|")
    )


def check_set(path: Path, texts: dict[str, str], suggest: bool) -> list[str]:
    """Problems found in one set (and, with suggest, candidate sources as notes)."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_id = {item["id"]: item for item in items}
    problems: list[str] = []
    for item in items:
        where = f"{path.name} {item['id']}"
        for source in item.get("sources", []):
            if source not in texts:
                problems.append(f"{where}: source {source!r} is not a document")
        for fact in item.get("facts", []):
            if not any(states(texts.get(source, ""), fact) for source in item.get("sources", [])):
                problems.append(f"{where}: fact {fact!r} is in none of {item.get('sources')}")
        if item["id"].startswith("es-"):
            english = by_id.get(item.get("note") or "")
            if english is None:
                problems.append(f"{where}: note does not name an English item of this set")
            elif english["facts"] != item["facts"] or english["sources"] != item["sources"]:
                problems.append(f"{where}: facts or sources differ from {english['id']}")
        if suggest and item.get("facts"):
            others = [
                name
                for name, text in texts.items()
                if name not in item["sources"] and all(states(text, fact) for fact in item["facts"])
            ]
            if others:
                print(f"note {where}: also stated in {others}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--docs", nargs="+", default=DEFAULT_DOCS, help="folders of documents the sets are run on")
    parser.add_argument("--suggest", action="store_true", help="list other documents that state every fact")
    args = parser.parse_args()
    texts = read_texts(args.docs)
    problems = [problem for path in args.sets for problem in check_set(path, texts, args.suggest)]
    for problem in problems:
        print(problem)
    total = sum(1 for path in args.sets for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    print(f"{total} items in {len(args.sets)} set(s), {len(texts)} documents: {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
