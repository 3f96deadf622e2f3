"""Answer and citation formatting: text from documents is always inert; quotes are highlighted at their offsets."""

from assistant.types import Answer
from ui.format import STRINGS, answer_message, citation_cards, document_link, safe_url

EVIL = 'Read this <script>alert(1)</script><img src=x onerror="alert(2)"> and [click](javascript:alert(3))'


def citation(**changes):
    passage = "Before. " + EVIL + " After."
    start = passage.index("Read")
    value = {
        "n": 1,
        "title": "<b>Bad</b> title",
        "doc_type": "news",
        "date": "2025-01-01",
        "page": 2,
        "section": "<i>S</i>",
        "file": "evil.pdf",
        "source_url": "javascript:alert(4)",
        "towns": [],
        "quote": EVIL,
        "quote_start": start,
        "quote_end": start + len(EVIL),
        "passage": passage,
        "score": 0.5,
    }
    value.update(changes)
    return value


def reply(**values):
    return Answer.model_validate(
        {"question": "q", "standalone_question": "q", "answer": EVIL + " [1]", "abstained": False, **values}
    )


def test_a_summary_says_what_it_summarizes_on_its_card():
    cards = citation_cards(reply(citations=[citation(summary_of="GBH News reporting, 2026-04-27")]), 0)
    assert "Summary of: GBH News reporting, 2026-04-27" in cards
    assert "Summary of" not in citation_cards(reply(citations=[citation()]), 0)


def test_markup_in_documents_is_escaped_everywhere():
    answer = reply(citations=[citation()], question="q <script>", standalone_question="q <script>")
    message = answer_message(answer, 0)
    cards = citation_cards(answer, 0)
    for rendered in (message, cards):
        assert "<script>" not in rendered and "<img" not in rendered
        assert 'href="javascript' not in rendered
    assert "&lt;script&gt;" in cards and "&lt;b&gt;Bad&lt;/b&gt;" in cards
    assert '<a class="cite-ref" href="#cite-0-1">[1]</a>' in message


def test_the_quote_is_highlighted_exactly_at_its_offsets():
    cards = citation_cards(reply(citations=[citation()]), 3)
    assert 'id="cite-3-1"' in cards
    marked = cards.split("<mark>")[1].split("</mark>")[0]
    assert marked.startswith("Read this &lt;script&gt;") and marked.endswith("alert(3))")


def test_links_only_for_http_and_pdf_pages():
    assert safe_url("javascript:alert(1)") is None and safe_url("https://example.org/x") == "https://example.org/x"
    assert document_link("a b.pdf", 3) == "/doc/a%20b.pdf#page=3"
    assert document_link("a.md", 3) == "/doc/a.md"


def test_every_interface_string_exists_in_english_and_spanish():
    assert set(STRINGS["en"]) == set(STRINGS["es"])
    assert all(value.strip() for language in STRINGS.values() for value in language.values())
