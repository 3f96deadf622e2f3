"""End to end in a real browser: Debian's Chromium driven by Playwright against `assistant serve`.

Screenshots of the chat and the documents tab are saved to test-artifacts/ (CI keeps them).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.factories import make_pdf
from tests.servers import build_index, start_server, status

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
UPLOAD_CACHE = Path(os.environ.get("TMPDIR", "/tmp")) / f"assistant-ui-test-uploads-{os.getpid()}"
EVIL_DOC = """---
title: Harbortown markup test note
doc_type: news
towns: [Chelsea]
date: 2032-03-03
publisher: Test fixture (fictional)
source_url: "javascript:alert('url')"
summary_of: Nothing real
---
# Harbortown markup test note

## Body

The fictional Harbortown lighthouse keeper counted <script>window.__pwned = 1; alert('x')</script> seventeen boats. <img src=x onerror="window.__pwned = 2"> She logged them in a blue book.
"""


@pytest.fixture(scope="module")
def ui_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory, "ui", ROOT / "corpus" / "documents", {"harbortown-markup-note.md": EVIL_DOC})


@pytest.fixture(scope="module")
def server(ui_index: Path):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (scripts/test installs it)")
    process, url = start_server(ui_index, {"GRADIO_TEMP_DIR": str(UPLOAD_CACHE)})
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


# While a question is answered, the chat shows it with this placeholder reply (ui.format "searching").
ANSWERED = """() => {
    const bots = document.querySelectorAll("#chat [data-testid='bot']");
    const last = bots.length ? bots[bots.length - 1].innerText : "";
    return document.querySelector('#question textarea').value === ''
        && !last.includes('Searching the documents') && !last.includes('Buscando en los documentos');
}"""


def ask(page, question: str) -> None:
    before = page.locator("#chat .message-row, #chat [data-testid='bot']").count()
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_function(
        "n => document.querySelectorAll(\"#chat .message-row, #chat [data-testid='bot']\").length > n",
        arg=before,
        timeout=60000,
    )
    page.wait_for_function(ANSWERED, timeout=60000)
    page.wait_for_timeout(300)


def choose(page, element: str, value: str) -> None:
    """Pick a value in a Gradio dropdown by typing it and clicking the matching option."""
    field = page.locator(f"#{element} input")
    field.click()
    field.fill(value)
    page.locator(f"#{element} [role='option']", has_text=value).first.click()


def last_answer(page) -> str:
    return page.locator("#chat [data-testid='bot']").last.inner_text()


def test_chat_follow_up_filter_upload_feedback_in_a_real_browser(server, browser, ui_index, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server + "/")
    page.wait_for_selector("#question textarea", timeout=60000)

    # A question: an answer with [n] markers and citation cards whose highlighted quote is in the passage.
    ask(page, "What did the court decide in Lunn v. Commonwealth?")
    page.wait_for_selector("#citations .card", timeout=30000)
    assert "[1]" in last_answer(page)
    card = page.locator("#citations .card").first
    quote = card.locator("mark").inner_text()
    passage = card.locator("blockquote").inner_text()
    assert quote and quote in passage
    # Clicking [1] brings its card into view and focuses it.
    page.locator("#chat a.cite-ref").last.click()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.classList.contains('card')", timeout=5000
    )
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)

    # A follow-up, rewritten from the conversation.
    ask(page, "When was it decided?")
    assert "July 24, 2017" in last_answer(page)
    assert "Understood as" in last_answer(page)

    # Filter by a town: the answer names the filter and cites only that town or statewide documents.
    page.click("#new-conversation")
    choose(page, "town-filter", "Chelsea")
    ask(page, "Are people fingerprinted after misdemeanor arrests?")
    answer = last_answer(page)
    assert "town: Chelsea" in answer and "misdemeanor" in answer
    for meta in page.locator("#citations .card .meta").all_inner_texts():
        assert "Chelsea" in meta or "statewide" in meta

    # A document with markup shows it as text and runs nothing.
    ask(page, "How many boats did the Harbortown lighthouse keeper count?")
    assert "seventeen" in last_answer(page)
    assert "<script>" in page.locator("#citations").inner_text()
    assert page.evaluate("() => window.__pwned === undefined") and not dialogs

    # Thumbs down with a comment lands in the feedback file under the index.
    page.fill("#feedback-comment textarea", "test comment from the browser")
    page.click("#thumbs-down")
    page.wait_for_function(
        "() => document.querySelector('#feedback-status').innerText.includes('Thanks')", timeout=15000
    )
    entries = [json.loads(line) for line in (ui_index / "feedback.jsonl").read_text().splitlines()]
    assert entries[-1]["verdict"] == "down" and entries[-1]["comment"] == "test comment from the browser"
    assert entries[-1]["question"] == "How many boats did the Harbortown lighthouse keeper count?"

    # Upload a PDF made here; it is listed, searchable at once, and cited at the right page.
    pdf = make_pdf(
        tmp_path / "marlow-county-audit.pdf",
        [
            "1. Scope\nThis fictional audit covers the imaginary Marlow County jail.",
            "2. Staff\nThe imaginary Marlow County jail employed forty wardens.",
            "3. Findings\nThe fictional auditors counted 4,321 booking photos sent to a federal office by the Marlow County jail.",
        ],
        title="Fictional Marlow County jail audit",
    )
    page.get_by_role("tab", name="Documents").click()
    page.set_input_files("#upload input[type='file']", str(pdf))
    page.wait_for_timeout(1500)
    page.click("#add-documents")
    page.wait_for_function(
        "() => document.querySelector('#upload-results').innerText.includes('added')", timeout=120000
    )
    page.wait_for_function(
        "() => document.querySelector('#documents-table').innerText.includes('marlow-county-audit.pdf')", timeout=30000
    )
    page.screenshot(path=str(ARTIFACTS / "documents.png"), full_page=True)
    assert not list(UPLOAD_CACHE.rglob("marlow-county-audit.pdf")), "the upload stayed in Gradio's cache"
    page.get_by_role("tab", name="Chat").click()
    page.click("#new-conversation")
    choose(page, "town-filter", "All")
    ask(page, "How many booking photos did the Marlow County jail send to a federal office?")
    assert "4,321" in last_answer(page)
    cited = page.locator("#citations .card", has_text="marlow-county-audit.pdf").first
    assert "page 3" in cited.locator(".meta").inner_text()
    href = cited.locator("a", has_text="Open at page").get_attribute("href")
    assert href == "/doc/marlow-county-audit.pdf#page=3"
    assert status(server + href.split("#")[0]) == 200

    # Readable on a phone: nothing wider than the screen, and the question box is reachable by keyboard.
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 391
    page.screenshot(path=str(ARTIFACTS / "chat-phone.png"))
    page.close()


def test_gradio_file_routes_refuse_the_index_and_system_files(server, ui_index):
    chroma_db = next((ui_index / "chroma").glob("*.sqlite3"))
    for target in (chroma_db, Path("/etc/passwd"), ui_index / "feedback.jsonl"):
        code = status(f"{server}/gradio_api/file={target}")
        assert code in (403, 404), f"{target} was served ({code})"
    assert status(f"{server}/doc/..%2F..%2Fetc%2Fpasswd") == 404
    assert status(f"{server}/doc/chroma.sqlite3") == 404


def test_a_documents_details_are_corrected_in_the_documents_tab(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(server + "/")
    page.wait_for_selector("#question textarea", timeout=60000)
    page.get_by_role("tab", name="Documents").click()
    page.wait_for_timeout(1500)  # the tab's listing fills the document choices
    choose(page, "edit-choice", "harbortown-markup-note.md")
    page.wait_for_function("() => document.querySelector('#edit-title textarea').value !== ''", timeout=30000)
    page.fill("#edit-title textarea", "Harbortown lighthouse log (corrected)")
    page.fill("#edit-towns textarea", "salem")
    page.click("#save-metadata")
    page.wait_for_function(
        "() => document.querySelector('#edit-status').innerText.includes('harbortown-markup-note.md')", timeout=30000
    )
    page.screenshot(path=str(ARTIFACTS / "documents-corrected.png"), full_page=True)
    with urllib.request.urlopen(f"{server}/api/documents", timeout=10) as response:
        listed = {d["file"]: d for d in json.loads(response.read())}
    assert listed["harbortown-markup-note.md"]["towns"] == ["Salem"]
    assert listed["harbortown-markup-note.md"]["title"] == "Harbortown lighthouse log (corrected)"
    page.close()
    # A question filtered to its corrected town finds it at once.
    request = urllib.request.Request(
        f"{server}/api/ask",
        data=json.dumps(
            {
                "question": "How many boats did the Harbortown lighthouse keeper count?",
                "towns": ["Salem"],
                "types": ["news"],
            }
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read())
    # (Whether the reply quotes it is the reply-kind model's call; the filter finding it is the correction's. Among
    # all types, the county pages that name Salem can outrank it; among news, it is the only one about Salem.)
    assert "harbortown-markup-note.md" in answer["retrieved"], answer["retrieved"]
    cited = [c for c in answer["citations"] if c["file"] == "harbortown-markup-note.md"]
    assert all(c["title"] == "Harbortown lighthouse log (corrected)" and c["towns"] == ["Salem"] for c in cited)


def test_a_login_protects_the_chat_and_the_document_route(ui_index):
    process, url = start_server(ui_index, {"ASSISTANT_UI_USERS": "reviewer:s3cret-pass"})
    try:
        assert status(f"{url}/doc/lunn-v-commonwealth-2017.pdf") == 401
        assert status(f"{url}/config") in (401, 403)
        request = urllib.request.Request(
            f"{url}/login",
            data=b"username=reviewer&password=s3cret-pass",
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            cookie = response.headers.get("set-cookie", "").split(";")[0]
        authed = urllib.request.Request(f"{url}/doc/lunn-v-commonwealth-2017.pdf", headers={"Cookie": cookie})
        assert urllib.request.urlopen(authed, timeout=10).status == 200
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_spanish_interface_offers_spanish_examples_and_replies_in_the_question_language(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(server + "/")
    page.wait_for_selector("#question textarea", timeout=60000)
    page.locator("#language").get_by_text("Español").click()
    example = "¿Cuál es la política de la policía de Quincy sobre ICE?"
    page.wait_for_function(f"() => document.body.innerText.includes({json.dumps(example)})", timeout=15000)
    assert "What is Quincy's police policy on ICE?" not in page.locator("body").inner_text()
    # A Spanish example, asked: a reply framed in Spanish around verbatim quotes, with the filter line in Spanish.
    page.get_by_text(example).first.click()
    page.wait_for_function(
        f"() => document.querySelector('#question textarea').value === {json.dumps(example)}", timeout=15000
    )
    before = page.locator("#chat [data-testid='bot']").count()
    page.click("#ask")
    page.wait_for_function(
        "n => document.querySelectorAll(\"#chat [data-testid='bot']\").length > n", arg=before, timeout=60000
    )
    page.wait_for_function(ANSWERED, timeout=60000)
    answer = last_answer(page)
    # The text is framed in Spanish, an answer ("Según el documento …") or the closest passages, under the reply's
    # kind label in Spanish once the reply is complete.
    labels = ("Respuesta de los documentos", "Pasajes más cercanos — puede que no respondan exactamente")
    body = answer.split("\n", 1)[1].strip() if answer.startswith(labels) else answer
    assert body.startswith(("Según el documento", "Según los documentos", "Estos son los pasajes")) and "[1]" in body, (
        answer
    )
    assert "municipio: Quincy" in answer
    # An English question with the switch on Español: the reply follows the question.
    ask(page, "What did the court decide in Lunn v. Commonwealth?")
    assert "Según" not in last_answer(page) and "[1]" in last_answer(page)
    page.screenshot(path=str(ARTIFACTS / "chat-spanish.png"), full_page=True)
    page.close()
