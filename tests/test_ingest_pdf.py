"""PDF reader: real PDFs made by LibreOffice, poppler, qpdf and pypdfium2 (tests/fixtures/pdf)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from checker.errors import InputError
from checker.ingest import ocr, read_document
from checker.ingest.pdf_reader import _PAGE_NUMBER, _STRONG_NUM, _WEAK_NUM, _DocVocab, read_pdf
from checker.model import Block, Document

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
NO_TESSERACT = shutil.which("tesseract") is None
NEEDS_TESSERACT = pytest.mark.skipif(
    NO_TESSERACT, reason="tesseract is not installed (apt-get install tesseract-ocr); OCR path not exercised"
)


def _read(path: Path) -> Document:
    data = path.read_bytes()
    return read_pdf(path, data, hashlib.sha256(data).hexdigest())


def _body(doc: Document) -> list[Block]:
    return [b for b in doc.blocks if b.kind not in ("header", "footer")]


def _starting(doc: Document, prefix: str) -> Block:
    found = [b for b in doc.blocks if b.text.startswith(prefix)]
    assert len(found) == 1, f"{len(found)} blocks start with {prefix!r}: {[b.text[:60] for b in found]}"
    return found[0]


def _reason(exc: pytest.ExceptionInfo[InputError]) -> str:
    return exc.value.reason


@pytest.fixture(scope="module")
def contract() -> Document:
    return _read(FIXTURES / "contract.pdf")


@pytest.fixture(scope="module")
def columns() -> Document:
    return _read(FIXTURES / "columns.pdf")


@pytest.fixture(scope="module")
def letter() -> Document:
    return _read(FIXTURES / "letter.pdf")


# ---------------------------------------------------------------------------------------------
# the document and its blocks
# ---------------------------------------------------------------------------------------------


def test_document_facts(contract: Document) -> None:
    data = (FIXTURES / "contract.pdf").read_bytes()
    assert contract.format == "pdf"
    assert contract.pages == 3
    assert contract.sha256 == hashlib.sha256(data).hexdigest()
    assert contract.path == str(FIXTURES / "contract.pdf")
    assert contract.ocr is False
    assert contract.notices == []
    assert [b.order for b in contract.blocks] == list(range(len(contract.blocks)))
    assert all(b.page is not None and 1 <= b.page <= 3 for b in contract.blocks)
    pages = [b.page for b in contract.blocks]
    assert pages == sorted(pages), "blocks are in page order"
    assert all(b.text == " ".join(b.text.split()) and b.text for b in contract.blocks)


@pytest.mark.parametrize(
    ("prefix", "page"),
    [
        ("1.1 In this Agreement", 1),
        ("(c) “Sub-processor” means", 1),
        ("12.3 The Provider must ensure", 1),  # continues onto page 2; the block keeps its first page
        ("12.4 The Provider acknowledges", 2),
        ("12.6 The Provider must not store", 2),
        ("14.2 Within 20 Business Days", 2),
        ("Schedule 2 Security Requirements", 3),
        ("8. Review.", 3),
    ],
)
def test_clause_pages(contract: Document, prefix: str, page: int) -> None:
    assert _starting(contract, prefix).page == page


def test_wrapped_lines_joined_into_one_block_with_its_number(contract: Document) -> None:
    # 12.2 wraps over three lines in the PDF (pdftotext shows the breaks).
    layout = subprocess.run(
        ["pdftotext", "-layout", str(FIXTURES / "contract.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert (
        "12.2 The Provider must appoint a privacy officer and must ensure that every person who has access to\n"
        in (layout)
    )
    block = _starting(contract, "12.2 ")
    assert block.kind == "paragraph"
    assert block.text == (
        "12.2 The Provider must appoint a privacy officer and must ensure that every person who has access "
        "to Client Records is trained in the Provider’s privacy and information security policies before "
        "being given access, and at least once in every twelve months after that."
    )


def test_paragraph_carried_over_a_page_break(contract: Document) -> None:
    block = _starting(contract, "12.3 ")
    assert block.page == 1
    assert block.text.endswith(
        "including role-based access controls, encryption of Client Records at rest and in transit, and "
        "multi-factor authentication for remote access to any system that holds Client Records."
    )
    assert not any(b.text.startswith("encryption of Client Records") for b in contract.blocks)


def test_bold_name_wrapping_onto_a_short_line_is_not_a_heading(contract: Document) -> None:
    block = _starting(contract, "Te Whānau Tautoko Trust, a charitable trust board")
    assert block.kind == "paragraph"
    assert block.text.endswith("of 12 Fenton Street, Rotorua (the Provider)")


def test_sub_items_and_word_numbering_are_separate_blocks(contract: Document) -> None:
    texts = [b.text for b in _body(contract)]
    i = texts.index("1.1 In this Agreement, unless the context requires otherwise:")
    assert [t[:4] for t in texts[i + 1 : i + 5]] == ["(a) ", "(b) ", "(c) ", "(d) "]
    # Word automatic numbering rendered by LibreOffice: "1." then a tab, then the text
    j = texts.index("The Provider must give the Agency, each quarter:")
    assert texts[j + 1] == "1. a report on the number of Clients who received the Services in the quarter;"
    assert texts[j + 2].startswith("2. a summary of any complaints")
    assert texts[j + 3].startswith("3. any other information")


def test_running_header_and_footer_kept_once_and_out_of_the_body(contract: Document) -> None:
    headers = [b for b in contract.blocks if b.kind == "header"]
    footers = [b for b in contract.blocks if b.kind == "footer"]
    assert [(b.text, b.page) for b in headers] == [("IN CONFIDENCE", 1)]
    assert [(b.text, b.page) for b in footers] == [
        ("Outcome Agreement – Te Whānau Tautoko Trust Page 1 of 3", 1)
    ]
    for b in _body(contract):
        assert "IN CONFIDENCE" not in b.text
        assert not re.search(r"Page \d of 3", b.text), b.text
    assert contract.words == sum(len(b.text.split()) for b in _body(contract))


def test_hyphenated_line_breaks_rejoined(contract: Document) -> None:
    # The fixture really has words hyphenated at line ends (LibreOffice broke them at soft hyphens):
    raw = pdfium.PdfDocument(FIXTURES / "contract.pdf")
    page2 = raw[1].get_textpage().get_text_range()
    assert "infor\ufffemation" in page2 and "unauthor\ufffeised" in page2
    block = _starting(contract, "12.4 ")
    for word in (
        "information about Clients",
        "administrative responsibilities",
        "to disclose information",
        "suspected unauthorised disclosure",
        "implementation of recommendations",
    ):
        assert word in block.text
    assert "\ufffe" not in block.text and "infor-" not in block.text and "re-" not in block.text
    # a real compound broken at its hyphen stays hyphenated
    assert "current industry-standard algorithms" in _starting(contract, "3. Encryption.").text
    assert all("\ufffe" not in b.text for b in contract.blocks)


def test_headings(contract: Document) -> None:
    title = _starting(contract, "OUTCOME AGREEMENT")
    assert (title.kind, title.heading_level) == ("heading", 1)
    for text in (
        "1. Interpretation",
        "12. Privacy and Information Security",
        "14. Retention and Disposal",
        "Schedule 2 Security Requirements",
    ):
        block = _starting(contract, text)
        assert (block.text, block.kind, block.heading_level) == (text, "heading", 2)
    assert _starting(contract, "12.1 ").kind == "paragraph"
    assert sum(b.kind == "heading" for b in contract.blocks) == 7


def test_two_column_section_read_left_then_right(contract: Document) -> None:
    page3 = [b.text for b in _body(contract) if b.page == 3]
    numbers = [t.split(".", 1)[0] for t in page3[1:9]]
    assert numbers == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert page3[4] == (
        "4. Backups. Backups of Client Records are made daily, are encrypted, are stored in New Zealand and "
        "are tested for restoration at least once every six months."
    )
    assert page3[-1].startswith("Signed for and on behalf of the Agency")


def test_owner_password_only_pdf_reads_like_the_original(contract: Document) -> None:
    doc = _read(FIXTURES / "owner_only.pdf")
    assert [(b.text, b.kind, b.page) for b in doc.blocks] == [
        (b.text, b.kind, b.page) for b in contract.blocks
    ]


# ---------------------------------------------------------------------------------------------
# a PDF drawn line by line across two columns (not by an office suite)
# ---------------------------------------------------------------------------------------------


def test_interleaved_columns_read_in_column_order(columns: Document) -> None:
    # PDFium itself puts each left-column line and the right-column line beside it on one line:
    raw = pdfium.PdfDocument(FIXTURES / "columns.pdf")[0].get_textpage().get_text_range()
    assert "1. Collection. The Provider collects only 5. Subcontracting." in raw
    body = [b.text for b in _body(columns)]
    assert body[0] == "SCHEDULE 3 DATA HANDLING"
    assert [t.split(".", 1)[0] for t in body[1:9]] == [str(n) for n in range(1, 9)]
    assert (
        body[1]
        == "1. Collection. The Provider collects only the information about Clients that it needs to deliver the Services."
    )
    assert (
        body[3]
        == "3. Access. Only staff who need to see Client Records for their work may see them, and every request for information is logged."
    )
    assert body[9].startswith("The parties agree") and body[9].endswith("handling of Client Records.")
    assert body[10].startswith("9. Review.")
    assert _starting(columns, "9. Review.").page == 2


def test_real_hyphens_at_line_ends_kept(columns: Document) -> None:
    text = {b.text.split(".", 1)[0]: b.text for b in _body(columns)}
    assert "may be sent by e-mail to the addresses" in text["6"]
    assert "held by any third-party service provider." in text["8"]
    assert re.search(r"let any sub-?contractor hold", text["5"])


def test_lone_page_numbers_and_repeated_header(columns: Document) -> None:
    assert [(b.kind, b.text) for b in columns.blocks if b.kind in ("header", "footer")] == [
        ("header", "DRAFT - Schedule 3"),
        ("footer", "- 1 -"),
    ]
    heading = _starting(columns, "SCHEDULE 3")
    assert (heading.kind, heading.heading_level) == ("heading", 1)


# ---------------------------------------------------------------------------------------------
# paragraphs marked only by a first-line indent; a bare page number footer
# ---------------------------------------------------------------------------------------------


def test_indented_paragraphs_without_spacing(letter: Document) -> None:
    body = _body(letter)
    assert (body[0].text, body[0].kind) == ("Letter of Variation", "heading")
    assert body[1].text.startswith("The Agency and the Provider agree to vary")
    assert body[1].text.endswith("the parties confirm their obligations under it.")
    assert body[2].text.startswith("The Provider will hold all information about Clients")
    assert body[2].text.endswith("The Provider will keep that list up to date at all times.")
    assert body[3].text.startswith("When the Outcome Agreement ends")
    assert (body[4].text, body[4].kind) == ("Information Management", "heading")
    paras = [b for b in body if b.text.startswith("Paragraph ")]
    assert [b.text.split()[1] for b in paras] == [str(n) for n in range(1, 10)]
    assert all(b.text.endswith("may be destroyed under that authority.") for b in paras)


def test_bare_page_number_footer(letter: Document) -> None:
    assert [(b.kind, b.text, b.page) for b in letter.blocks if b.kind == "footer"] == [("footer", "1", 1)]
    assert all(b.text not in ("1", "2") for b in _body(letter))
    assert letter.pages == 2


# ---------------------------------------------------------------------------------------------
# ruled tables (python-docx "Table Grid" tables exported by LibreOffice)
# ---------------------------------------------------------------------------------------------

RETENTION = [
    ["Record", "Retention period", "At the end of the Agreement"],
    ["Referral forms", "Until the Client's service ends", "Returned to the Ministry with the closing report"],
    [
        "Case notes and assessments",
        "Ten years after the last contact with the Client",
        "Client records must be returned to the Ministry within 20 working days",
    ],
    ["Attendance sheets", "Seven years", "Securely destroyed"],
    ["Incident reports", "Ten years", "Returned to the Ministry"],
]


@pytest.fixture(scope="module")
def tables() -> Document:
    return _read(FIXTURES / "tables.pdf")


def _cells(doc: Document, table: int) -> list[Block]:
    return [
        b for b in doc.blocks if b.kind == "table_cell" and b.table is not None and b.table.table == table
    ]


def _grid(cells: list[Block]) -> list[list[str]]:
    rows: dict[int, dict[int, str]] = {}
    for b in cells:
        assert b.table is not None
        rows.setdefault(b.table.row, {})[b.table.col] = b.text
    return [[row[c] for c in sorted(row)] for _, row in sorted(rows.items())]


def test_table_cells_row_major_with_rows_cols_and_page(tables: Document) -> None:
    cells = _cells(tables, 0)
    assert _grid(cells) == RETENTION
    assert [(b.table.row, b.table.col) for b in cells if b.table] == [
        (r, c) for r in range(5) for c in range(3)
    ]
    assert all(b.page == 1 and b.kind == "table_cell" for b in cells)
    # the clause in the narrow third column really wraps over three lines in the PDF
    layout = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(FIXTURES / "tables.pdf"), "-"],
        capture_output=True,
        text=True,
    ).stdout
    assert "Client records must be returned\n" in layout and "working days\n" in layout
    assert "Client records must be returned to the Ministry within 20 working days" in [b.text for b in cells]


def test_table_sits_in_reading_order_between_its_paragraphs(tables: Document) -> None:
    body = _body(tables)
    kinds = [b.kind for b in body]
    first, last = kinds.index("table_cell"), len(kinds) - 1 - kinds[::-1].index("table_cell")
    assert body[first - 1].text.startswith("5.1 The Provider must keep the records")
    assert body[first].text == "Record"
    after_first_table = body[first + 15]
    assert after_first_table.text.startswith("5.2 The Provider must tell the Ministry")
    assert body[first + 16].text == "6. Contacts" and body[first + 17].text == "Role"
    assert body[last + 1].text.startswith("6.1 Either party may change its contacts")
    assert [b.order for b in tables.blocks] == list(range(len(tables.blocks)))


def test_table_words_are_not_also_paragraphs(tables: Document) -> None:
    others = " ".join(b.text for b in tables.blocks if b.kind != "table_cell")
    for phrase in (
        "Retention period",
        "Referral forms",
        "within 20 working days",
        "Securely destroyed",
        "Regional contact",
        "msd.govt.nz",
        "Contact Person",
    ):
        assert phrase not in others, phrase
    cell_texts = [b.text for b in tables.blocks if b.kind == "table_cell"]
    assert (
        sum(t == "Client records must be returned to the Ministry within 20 working days" for t in cell_texts)
        == 1
    )


def test_table_continued_on_the_next_page_keeps_its_index_and_drops_the_repeated_header(
    tables: Document,
) -> None:
    # LibreOffice repeats the header row at the top of page 2 ("repeat as header row").
    page2 = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(FIXTURES / "tables.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert page2.startswith("Role\nName\nEmail\n")
    cells = _cells(tables, 1)
    grid = _grid(cells)
    assert grid[0] == ["Role", "Name", "Email"]
    assert grid[1:] == [
        [f"Regional contact {i}", f"Contact Person {i}", f"contact{i}@msd.govt.nz"] for i in range(1, 61)
    ]
    assert {b.page for b in cells} == {1, 2}
    assert sum(b.text == "Role" for b in tables.blocks) == 1
    assert {b.table.table for b in tables.blocks if b.table} == {0, 1}


def test_table_cells_match_pdfplumber(tables: Document) -> None:
    # pdfplumber (pdfminer layout + its "lines" table finder) is the reference, used here only.
    import pdfplumber

    with pdfplumber.open(FIXTURES / "tables.pdf") as pdf:
        found = pdf.pages[0].find_tables()
        assert len(found) == 2
        expected = [[" ".join((c or "").split()) for c in row] for row in found[0].extract()]
    assert _grid(_cells(tables, 0)) == expected


def test_table_cells_segment_with_row_and_column_context(tables: Document) -> None:
    from checker.segment import segment

    clauses = segment(tables).clauses
    clause = next(c for c in clauses if c.text.startswith("Client records must be returned"))
    assert clause.kind == "table_cell" and clause.page == 1
    assert "At the end of the Agreement" in clause.context
    assert "Case notes and assessments" in clause.context
    assert "Ten years after the last contact with the Client" in clause.context


def test_pages_without_drawn_lines_never_build_a_grid_nor_call_pdfplumber(monkeypatch) -> None:
    import pdfplumber

    from checker.ingest import pdf_tables

    def refuse(*args, **kwargs):
        raise AssertionError("pdfplumber must not be called by the reader")

    edges_seen: list[bool] = []  # per page: were path edges collected (a grid looked for)?
    real_edges = pdf_tables._edges

    def spy(raw, page):
        found = real_edges(raw, page)
        edges_seen.append(found is not None)
        return found

    monkeypatch.setattr(pdfplumber, "open", refuse)
    monkeypatch.setattr(pdf_tables, "_edges", spy)
    for name in ("contract.pdf", "letter.pdf", "columns.pdf"):
        edges_seen.clear()
        doc = _read(FIXTURES / name)
        assert doc.blocks and not any(b.kind == "table_cell" or b.table for b in doc.blocks)
        assert edges_seen == [False] * doc.pages  # only the object count was asked
    # pdfplumber is not needed on table pages either: the grid comes from PDFium's path objects
    edges_seen.clear()
    doc = _read(FIXTURES / "tables.pdf")
    assert edges_seen == [True, True, False]
    assert _grid(_cells(doc, 0)) == RETENTION


def test_table_free_page_of_a_table_document_reads_as_before(tables: Document) -> None:
    page3 = [b for b in _body(tables) if b.page == 3]
    assert [(b.kind, b.text[:12]) for b in page3] == [("heading", "7. Term"), ("paragraph", "7.1 This Agr")]


# ---------------------------------------------------------------------------------------------
# errors: one line each, never a traceback
# ---------------------------------------------------------------------------------------------


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = FIXTURES / "encrypted.pdf"
    with pytest.raises(InputError) as exc:
        _read(path)
    assert _reason(exc) == "encrypted PDF; remove the password and try again"
    assert exc.value.subject == str(path)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.999])
def test_truncated_pdf(tmp_path: Path, fraction: float) -> None:
    data = (FIXTURES / "contract.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(InputError) as exc:
        read_document(path)
    assert _reason(exc) == "damaged PDF: truncated or corrupt file"
    assert exc.value.one_line() == f"{path}: damaged PDF: truncated or corrupt file"


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    with pytest.raises(InputError) as exc:
        read_document(path)
    assert _reason(exc) == "damaged PDF: corrupt file structure"


def test_pdf_with_no_pages() -> None:
    with pytest.raises(InputError) as exc:
        _read(FIXTURES / "no_pages.pdf")
    assert _reason(exc) == "PDF has no pages"


def test_pdf_with_no_text() -> None:
    with pytest.raises(InputError) as exc:
        _read(FIXTURES / "blank.pdf")
    assert _reason(exc) == "PDF has no text (blank pages, or text drawn as outlines)"


def test_scanned_pdf_without_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "find_tesseract", lambda: None)
    with pytest.raises(InputError) as exc:
        _read(FIXTURES / "scanned.pdf")
    assert _reason(exc) == "scanned PDF has no text layer; install tesseract-ocr or OCR it first"


def test_partly_scanned_pdf_without_tesseract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _mixed_pdf(tmp_path)
    monkeypatch.setattr(ocr, "find_tesseract", lambda: None)
    with pytest.raises(InputError) as exc:
        _read(path)
    assert _reason(exc) == "page 2 is scanned with no text layer; install tesseract-ocr or OCR it first"


def _mixed_pdf(tmp_path: Path) -> Path:
    """Page 1 of the contract (text) followed by the scanned page."""
    out = pdfium.PdfDocument.new()
    out.import_pages(pdfium.PdfDocument(FIXTURES / "contract.pdf"), [0])
    out.import_pages(pdfium.PdfDocument(FIXTURES / "scanned.pdf"), [0])
    path = tmp_path / "mixed.pdf"
    out.save(path)
    return path


# ---------------------------------------------------------------------------------------------
# OCR
# ---------------------------------------------------------------------------------------------


@NEEDS_TESSERACT
def test_scanned_pdf_is_read_by_ocr() -> None:
    start = time.perf_counter()
    doc = _read(FIXTURES / "scanned.pdf")
    elapsed = time.perf_counter() - start
    assert doc.ocr is True
    assert doc.notices == ["1 page read by OCR; check quotes against the original"]
    assert doc.pages == 1
    block = _starting(doc, "12.4 ")
    assert "confidentiality of information about Clients is essential" in block.text
    assert "administrative responsibilities" in block.text  # "re-" / "sponsibilities" rejoined
    assert _starting(doc, "14.2 ").text.endswith("signed by a senior manager of the Provider.")
    assert _starting(doc, "14. Retention and Disposal").kind == "heading"
    # the running header and footer are recognised on a single page by their form
    assert [b.kind for b in doc.blocks if "IN CONFIDENCE" in b.text or "Page 2 of 3" in b.text] == [
        "header",
        "footer",
    ]
    assert elapsed < 60


@NEEDS_TESSERACT
def test_partly_scanned_pdf_ocrs_only_the_scanned_page(tmp_path: Path) -> None:
    doc = _read(_mixed_pdf(tmp_path))
    assert doc.ocr is True
    assert doc.notices == ["1 page read by OCR; check quotes against the original"]
    assert _starting(doc, "12.1 ").page == 1
    assert _starting(doc, "14.1 ").page == 2


def test_ocr_tsv_parsing() -> None:
    tsv = "\n".join(
        [
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
            "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t",
            "5\t1\t1\t1\t1\t1\t300\t600\t100\t40\t96.0\t12.3",
            "5\t1\t1\t1\t1\t2\t420\t600\t200\t40\t90.0\tProvider",
            "5\t1\t1\t1\t2\t1\t300\t660\t150\t40\t80.0\tmust",
        ]
    )
    lines = ocr._parse_tsv(tsv, 72 / 300, 0.0, 842.0)
    assert [ln.text for ln in lines] == ["12.3 Provider", "must"]
    first = lines[0]
    assert first.x0 == pytest.approx(72.0) and first.x1 == pytest.approx(148.8)
    assert first.top == pytest.approx(842 - 144.0) and first.bottom == pytest.approx(842 - 153.6)
    assert first.confidence == pytest.approx(93.0)


# ---------------------------------------------------------------------------------------------
# rules
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "12. Privacy",
        "12.3 The Provider",
        "12.3.1 Each",
        "(a) the",
        "(iv) any",
        "(A) Agency",
        "a) the",
        "iv) any",
        "1A. Inserted",
        "12.3(a) the",
        "7.",
    ],
)
def test_clause_numbers_start_blocks(line: str) -> None:
    assert _STRONG_NUM.match(line)


@pytest.mark.parametrize(
    "line", ["Schedule 2 Security", "Part A", "Clause 4.", "SCHEDULE 3 DATA", "Appendix IV"]
)
def test_headings_words_with_numbers(line: str) -> None:
    assert _WEAK_NUM.match(line)


@pytest.mark.parametrize(
    "line",
    ["2020 and the", "24 hours of", "1.5million", "(the Agency)", "Provider", "Part of the", "Parties 2"],
)
def test_not_clause_numbers(line: str) -> None:
    assert not _STRONG_NUM.match(line) and not _WEAK_NUM.match(line)


@pytest.mark.parametrize(
    "line", ["3", "Page 3", "Page 3 of 12", "3 of 12", "- 3 -", "– 3 –", "[3]", "iv", "- iv -"]
)
def test_page_number_forms(line: str) -> None:
    assert _PAGE_NUMBER.match(line)


@pytest.mark.parametrize("line", ["(c)", "(iv)", "3.", "12.3", "Page", "cc) x"])
def test_not_page_numbers(line: str) -> None:
    assert not _PAGE_NUMBER.match(line)


@pytest.mark.parametrize(
    ("left", "right", "keep"),
    [
        ("infor", "mation", False),
        ("re", "sponsibilities", False),
        ("dis", "close", False),
        ("unauthor", "ised", False),
        ("sub", "stantial", False),
        ("e", "mail", True),
        ("Sub", "processor", True),
        ("sub", "processor", True),
        ("multi", "factor", True),
        ("industry", "standard", True),
        ("third", "party", True),
        ("non", "Government", True),
        ("OP", "TIONAL", False),
        ("role", "based", True),
    ],
)
def test_line_end_hyphen_decisions(left: str, right: str, keep: bool) -> None:
    assert _DocVocab(["The Provider"]).keep_hyphen(left, right) is keep


def test_document_usage_decides_hyphens() -> None:
    vocab = _DocVocab(["Each sub-processor signs.", "the wellbeing of Clients"])
    assert vocab.keep_hyphen("sub", "processor") is True
    assert vocab.keep_hyphen("well", "being") is False  # the document writes "wellbeing"
    vocab = _DocVocab(["A subprocessor signs."])
    assert vocab.keep_hyphen("sub", "processor") is False


# ---------------------------------------------------------------------------------------------
# size: a 500-page PDF in bounded time and memory
# ---------------------------------------------------------------------------------------------


def test_five_hundred_pages_bounded_time_and_memory(tmp_path: Path, contract: Document) -> None:
    src = pdfium.PdfDocument(FIXTURES / "contract.pdf")
    big = pdfium.PdfDocument.new()
    for _ in range(167):
        big.import_pages(src)
    path = tmp_path / "big.pdf"
    big.save(path)
    assert len(big) == 501
    script = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        "from checker.ingest.pdf_reader import read_pdf\n"
        "p = Path(sys.argv[1]); data = p.read_bytes()\n"
        "t = time.perf_counter(); doc = read_pdf(p, data, 'x'); t = time.perf_counter() - t\n"
        "print(json.dumps({'s': t, 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,\n"
        "  'pages': doc.pages, 'blocks': len(doc.blocks), 'last': max(b.page for b in doc.blocks),\n"
        "  'headers': sum(b.kind == 'header' for b in doc.blocks)}))\n"
    )
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    result = json.loads(out.stdout)
    assert result["pages"] == 501 and result["last"] == 501
    assert result["headers"] == 1
    assert (
        result["blocks"] == 167 * len(_body(contract)) + 2
    )  # body blocks of each copy, one header, one footer
    assert result["s"] < 20, result  # ~1 s here
    assert result["rss_mb"] < 400, result  # ~120 MB here, 7 MB of it the file itself


def test_a_damaged_pdf_gives_one_line_on_stderr_and_nothing_from_pdfminer(tmp_path: Path) -> None:
    """pdfminer, asked for the page count of a file PDFium refused, logs warnings that quote the
    file's bytes; the command line must still print exactly one line."""
    import subprocess
    import sys

    data = (FIXTURES / "no_pages.pdf").read_bytes()
    bad = data.replace(b"0000000115 00000 n", b"000\xd1000115 00000 n")
    assert bad != data
    path = tmp_path / "odd_xref.pdf"
    path.write_bytes(bad)
    run = subprocess.run(
        [sys.executable, "-m", "checker", "check", str(path)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr == f"error: {path}: PDF has no pages\n"
