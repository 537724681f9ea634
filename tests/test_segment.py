"""Segmentation: the numbers a reader cites, headings, schedules, definitions and lead-ins."""

from __future__ import annotations

from checker.ingest import read_document
from checker.model import Block, Document
from checker.segment import parse_number, segment

TEXT = """OUTCOME AGREEMENT

1. Definitions
1.1 In this Agreement:
"Personal Information" means information about an identifiable individual.
"Privacy Breach" means any unauthorised access to or disclosure of Personal Information.

14. PRIVACY AND SECURITY
14.1 The Provider must comply with the Privacy Act 2020.
14.2 If the Provider becomes aware of a Privacy Breach it must:
(a) notify the Ministry within 24 hours; and
(b) take all steps to contain it, including:
(i) preserving evidence; and
(ii) cooperating with the Ministry;
(c) provide a written report.

SCHEDULE 2 PRIVACY REQUIREMENTS
1. The Provider must keep records secure.
1.1 Records must be encrypted.
"""


def _clauses(write_text):
    return segment(read_document(write_text(TEXT))).clauses


def test_numbers_compose_into_the_reference_a_reader_cites(write_text):
    numbers = [c.number for c in _clauses(write_text)]
    for expected in ["14.2", "14.2(a)", "14.2(b)", "14.2(b)(i)", "14.2(b)(ii)", "14.2(c)"]:
        assert expected in numbers
    # "(i)" after "(b)" is a roman sub-item, not the letter after (h)
    assert "14.2(i)" not in numbers


def test_schedule_that_restarts_numbering_prefixes_its_clauses(write_text):
    numbers = [c.number for c in _clauses(write_text)]
    assert "Schedule 2, 1" in numbers and "Schedule 2, 1.1" in numbers


def test_lead_in_and_heading_are_the_context_of_sub_clauses(write_text):
    clause = next(c for c in _clauses(write_text) if c.number == "14.2(a)")
    assert clause.text == "notify the Ministry within 24 hours; and"
    assert "becomes aware of a Privacy Breach" in clause.context
    assert "PRIVACY AND SECURITY" in clause.context


def test_definitions_are_found(write_text):
    seg = segment(read_document(write_text(TEXT)))
    assert [d.term for d in seg.definitions] == ["Personal Information", "Privacy Breach"]


def test_word_numbers_and_text_numbers_are_parsed_alike():
    doc = Document(
        path="x.docx",
        sha256="0",
        format="docx",
        blocks=[
            Block("PRIVACY", kind="heading", order=0, heading_level=1, list_number="12."),
            Block("The Provider must:", order=1, list_number="12.3"),
            Block("notify the Ministry;", order=2, list_number="(a)"),
            Block("keep a register.", order=3, list_number="(b)"),
        ],
    )
    assert [c.number for c in segment(doc).clauses] == ["12", "12.3", "12.3(a)", "12.3(b)"]


def test_parse_number_ignores_years_and_quantities():
    assert parse_number("2026 was a good year") is None
    assert parse_number("30 days after expiry") is None
    assert parse_number("12.3 The Provider") == ("dotted", "12.3", "The Provider")
    assert parse_number("(iv) keep copies") == ("paren", "iv", "keep copies")
    assert parse_number("Schedule 3: Privacy") == ("schedule", "Schedule 3", "Privacy")


def test_invisible_characters_inside_words_change_no_finding(tmp_path):
    """Soft hyphens and zero-width characters (from web pages, PDFs and some editors) are not
    shown, but would split "infor\u00admation" into two words the matcher does not know."""
    import re
    from pathlib import Path

    from docx import Document as Docx

    from checker.api import Checker

    source = Path(__file__).resolve().parent.parent / "contracts_sample" / "oa_ara_ako_school_engagement.txt"
    text = source.read_text(encoding="utf-8")
    spiked, k = re.subn(r"(?<=[a-z])-(?=[a-z])", "\u2011", text)  # Word's non-breaking hyphen
    spiked, n = re.subn(r"\b([a-z]{3})([a-z]{3,})\b", "\\1\u00ad\\2", spiked)
    spiked, m = re.subn(r"\b(Minis|Provi)", "\\1\u200b", spiked)
    assert n > 300 and m > 10 and k > 3
    as_text = tmp_path / "spiked.txt"
    as_text.write_text(spiked, encoding="utf-8")
    as_docx = tmp_path / "spiked.docx"
    doc = Docx()
    for para in spiked.split("\n\n"):
        doc.add_paragraph(para)
    doc.save(as_docx)
    checker = Checker()

    def statuses(path):
        return [(f.requirement.id, f.status) for f in checker.check(path).findings]

    want = statuses(source)
    assert any(s != "missing" for _, s in want)
    assert statuses(as_text) == want
    assert statuses(as_docx) == want
    clauses = segment(read_document(as_docx)).clauses
    assert not any(ch in c.text for c in clauses for ch in "\u00ad\u200b\u2011")
