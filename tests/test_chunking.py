import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.chunking import ChunkingConfig, chunk_document, is_quotable_unit, lead_in, split_sentences
from corpus.loaders import load_document
from tests.factories import long_text, make_pdf


def test_sentences_respect_legal_abbreviations():
    text = (
        "In Lunn v. Commonwealth, 477 Mass. 517 (2017), the SJC ruled. U.S. officials disagreed. See G.L. c. 66, § 10."
    )
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "In Lunn v. Commonwealth, 477 Mass. 517 (2017), the SJC ruled.",
        "U.S. officials disagreed.",
        "See G.L. c. 66, § 10.",
    ]


def test_a_tables_rows_are_units_quoted_with_its_header_row():
    text = (
        "## Summary table\n\n| City or town | Main local rule | Year |\n| --- | --- | --- |\n"
        "| Holyoke | Mayoral executive order | 2014 |\n| Somerville | Welcoming Community Ordinance | 2019 |\n\nPage 15"
    )
    spans = split_sentences(text)
    units = [text[a:b] for a, b in spans]
    assert "| Holyoke | Mayoral executive order | 2014 |" in units
    rows = [i for i, unit in enumerate(units) if unit.startswith("| Holyoke") or unit.startswith("| Somerville")]
    assert [lead_in(text, spans, i) for i in rows] == ["| City or town | Main local rule | Year |"] * 2
    assert [is_quotable_unit(u) for u in units] == [
        False,
        False,
        True,
        True,
        False,
    ]  # heading, header and rule, 2 rows, page
    # as an HTML page's table reads (a space after each row, a short rule), with a stop inside a cell
    html = "| Town | Rule | \n|:--|--:| \n| Amherst | Sanctuary bylaw. Town meeting vote. | 2017 | \n|  |  | "
    spans = split_sentences(html)
    units = [html[a:b] for a, b in spans]
    assert units[1] == "| Amherst | Sanctuary bylaw. Town meeting vote. | 2017 |"
    assert lead_in(html, spans, 1) == "| Town | Rule |"
    assert [is_quotable_unit(u) for u in units] == [False, True, False]  # header and rule, the row, an empty row


def test_a_blank_line_ends_a_sentence_even_without_a_period():
    text = "A heading without period\n\nThe body starts here."
    assert [text[a:b] for a, b in split_sentences(text)] == ["A heading without period", "The body starts here."]


@given(st.text(alphabet=st.sampled_from("ab .?!\n"), max_size=200))
@settings(max_examples=200, deadline=None)
def test_sentence_spans_are_ordered_trimmed_and_inside_the_text(text):
    previous_end = 0
    for start, end in split_sentences(text):
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous_end = end


def test_chunks_fit_the_model_window_and_point_back_into_their_block(tmp_path: Path, embedder):
    pages = [long_text(60, seed=f"Page {n} officers") for n in range(1, 4)]
    pdf = make_pdf(tmp_path / "long.pdf", pages)
    doc = load_document(pdf)
    chunks = chunk_document(doc, embedder.tokenize, ChunkingConfig())
    assert len(chunks) > 6
    for chunk in chunks:
        assert embedder.count_tokens(chunk.text) <= 256
        block = doc.blocks[chunk.block]
        assert block.text[chunk.start : chunk.end] == chunk.text
        assert chunk.page == block.page and chunk.file == "long.pdf"
    assert {c.page for c in chunks} == {1, 2, 3}
    assert [c.number for c in chunks] == list(range(len(chunks)))


def test_largest_chunk_setting_is_honoured_with_special_tokens_counted(tmp_path: Path, embedder):
    path = tmp_path / "long.md"
    path.write_text("# Title\n\n" + long_text(80) + "\n\n## Second section\n\n" + long_text(10, seed="Deputies"))
    doc = load_document(path)
    chunks = chunk_document(doc, embedder.tokenize, ChunkingConfig(chunk_tokens=254, overlap_tokens=32))
    assert max(embedder.count_tokens(c.text) for c in chunks) <= 256
    assert all("Deputies" not in c.text for c in chunks if c.section == "Title"), "a chunk crossed a section"


def test_consecutive_chunks_overlap(tmp_path: Path, embedder):
    path = tmp_path / "long.txt"
    path.write_text(long_text(50))
    chunks = chunk_document(load_document(path), embedder.tokenize, ChunkingConfig(chunk_tokens=100, overlap_tokens=30))
    assert len(chunks) > 3
    for first, second in itertools.pairwise(chunks):
        assert second.start < first.end, "no overlap between consecutive chunks"
