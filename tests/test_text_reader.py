"""Plain text and Markdown become paragraph blocks with numbers left in the text."""

from __future__ import annotations

from checker.ingest import read_document


def test_lines_that_start_with_numbers_start_blocks_and_wrapped_lines_join(write_text):
    path = write_text(
        "14. PRIVACY\n"
        "14.1 The Provider must protect Personal Information against loss and\n"
        "unauthorised access.\n"
        "(a) notify the Ministry within 24 hours;\n"
        "(b) keep a register.\n"
    )
    texts = [b.text for b in read_document(path).blocks]
    assert texts == [
        "14. PRIVACY",
        "14.1 The Provider must protect Personal Information against loss and unauthorised access.",
        "(a) notify the Ministry within 24 hours;",
        "(b) keep a register.",
    ]


def test_markdown_headings_tables_and_emphasis(write_text):
    path = write_text(
        "# Schedule 2\n\n## Privacy\n\n**1.** The Provider *must* comply.\n\n"
        "| Item | Requirement |\n|---|---|\n| Breach notice | within 24 hours |\n",
        name="c.md",
    )
    blocks = read_document(path).blocks
    assert [(b.kind, b.heading_level) for b in blocks[:2]] == [("heading", 1), ("heading", 2)]
    assert blocks[2].text == "1. The Provider must comply."
    cells = [b for b in blocks if b.kind == "table_cell"]
    assert [(c.text, c.table.row, c.table.col) for c in cells][-2:] == [
        ("Breach notice", 1, 0),
        ("within 24 hours", 1, 1),
    ]


def test_inline_html_lists_in_markdown_become_separate_blocks(write_text):
    path = write_text(
        "## Clause 10\n\n<ol><li>The importer shall notify the exporter.</li><li>It shall assist the exporter.</li></ol>\n",
        name="c.md",
    )
    texts = [b.text for b in read_document(path).blocks]
    assert texts == ["Clause 10", "The importer shall notify the exporter.", "It shall assist the exporter."]
