"""Word automatic numbering: our resolver against LibreOffice's rendering of the same files.

The fixtures and LibreOffice's plain-text rendering of them (`*.lo.txt`, one line per paragraph
with the number LibreOffice draws) are made by tests/fixtures/docx/make_fixtures.py; these tests
need no LibreOffice.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lxml import etree

from checker.ingest.docx_numbering import (
    W_NS,
    ListState,
    Numbering,
    StyleSheet,
    format_number,
    paragraph_numpr,
)
from checker.ingest.docx_reader import _Package, read_docx

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "docx"
W = f"{{{W_NS}}}"


def _lo_lines(name: str) -> list[str]:
    lines = (FIXTURES / f"{name}.lo.txt").read_text(encoding="utf-8-sig").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _our_labels(name: str) -> list[tuple[str, str]]:
    """(our label, paragraph text) for every paragraph of the main story, in document order.

    The label is the rendered number, "<bullet>" for bullet levels and "" for no number. This
    drives the resolver exactly as the reader does, but over every paragraph, empty ones included.
    """
    path = FIXTURES / f"{name}.docx"
    pkg = _Package(str(path), path.read_bytes())
    document = pkg.xml("word/document.xml")
    styles = StyleSheet(pkg.xml("word/styles.xml"))
    state = ListState(Numbering(pkg.xml("word/numbering.xml"), styles))
    out = []
    for p in document.iter(W + "p"):
        ppr = p.find(W + "pPr")
        text = "".join(t.text or "" for t in p.iter(W + "t"))
        if not text and ppr is not None and ppr.find(W + "sectPr") is not None:
            continue  # LibreOffice turns a section-break-only paragraph into a section boundary
        style, num_id, ilvl = paragraph_numpr(ppr)
        label = state.paragraph(styles.effective(style), num_id, ilvl)
        mine = "" if label is None else ("<bullet>" if label.bullet else (label.text or ""))
        out.append((mine, text))
    return out


def _lo_label(line: str, text: str) -> str:
    line = line.strip()
    if not text:
        return line
    assert line.endswith(text), (line, text)
    return line[: len(line) - len(text)].strip()


def _same(mine: str, lo: str) -> bool:
    if mine == "<bullet>":  # LibreOffice draws the bullet glyph; we report no number
        return len(lo) == 1 and not lo.isalnum()
    return mine == lo


def test_numbering_150_matches_libreoffice_paragraph_by_paragraph():
    ours = _our_labels("numbering_150")
    lo = _lo_lines("numbering_150")
    assert len(ours) == len(lo) == 201
    mismatches = [
        (i, mine, _lo_label(line, text), text)
        for i, ((mine, text), line) in enumerate(zip(ours, lo, strict=True))
        if not _same(mine, _lo_label(line, text))
    ]
    assert mismatches == []
    numbered = sum(1 for mine, _ in ours if mine)
    assert numbered >= 150  # 182 numbered paragraphs, 201 paragraphs in all


def test_numbering_150_spot_checks():
    labels = {text.split(" ", 1)[0]: mine for mine, text in _our_labels("numbering_150") if text}
    expected = {
        "P003": "",  # Heading 1 with numId 0
        "P004": "1)",  # two independent lists, interleaved ...
        "P005": "C.",  # ... the second one starting at 3 (C)
        "P010": "4)",  # a second numId on the same abstractNum continues the count
        "P011": "1.",  # numbering from the paragraph style (python-docx's "List Number")
        "P014": "",  # a style based on List Number that switches numbering off
        "P016": "1.",  # Heading 1 numbered through numStyleLink -> styleLink
        "P047": "(dd)",  # 30th definition: letters double after z
        "P051": "(b)",  # "Clause Text" style: numbered by the style at level 3
        "P053": "2.2",  # "Clause Heading", based on Heading 2
        "P056": "(a)",  # direct w:ilvl only; numId from the Heading 2 style
        "P058": "(c)",  # after an empty numbered paragraph (which counted as (b))
        "P059": "<bullet>",
        "P060": "1)",
        "P062": "",  # numFmt none with empty lvlText
        "P079": "4.1.b.ii.B.1",  # %1.%2.%3.%4.%5.%6, each level in its own format
        "P093": "",  # numId that numbering.xml does not define
        "P121": "5)",  # the recitals list continues inside the table
        "P131": "(g)",  # and so does the outline
        "P134": "9.",
        "P136": "08",  # decimalZero from 8
        "P141": "aa)",  # lowerLetter from 24
        "P145": "(l)",  # lowerRoman from 47
        "P148": "1st",
        "P152": "Twenty-one",
        "P155": "Twelfth",
        "P159": "BB.",
        "P160": "Item 98 of the list",
        "P162": "[XXVIII]",  # lvlOverride/lvl redraws the level but keeps the shared count
        "P163": "(i)",  # startOverride restarts the level the first time the numId is used
        "P165": "(iii)",  # the other numId continues after that restart
        "P166": "cc)",
        "P167": "Clause 1:",
        "P170": "1.a",  # a list opening at level 2 shows level 1 at its start value ...
        "P171": "2.",  # ... and counts it
        "P174": "I.1",  # numbered by its paragraph style
        "P175": "I.2",  # by a style based on that one
        "P176": "Part IV",  # startOverride 4
        "P178": "IV.2",
        "P179": "Part V",  # the first numId continues after the restart
        "P193": "10.",
        "P194": "Schedule 1",  # the schedule list restarted
        "P197": "Schedule 2",  # and continued by the original numId
        "P199": "1)",
        "P200": "2)",
    }
    got = {k: labels[k] for k in expected}
    assert got == expected


def test_read_docx_list_numbers_match_libreoffice():
    """The same check on what `read_docx` produces: numbered blocks and numbers inside cells."""
    lo = {}
    for line in _lo_lines("numbering_150"):
        s = line.strip()
        marker = s.find("P")
        while marker >= 0 and not (s[marker + 1 : marker + 4].isdigit() and len(s) > marker + 3):
            marker = s.find("P", marker + 1)
        if marker >= 0:
            lo[s[marker : marker + 4]] = s[:marker].strip()
    doc = read_docx(FIXTURES / "numbering_150.docx", (FIXTURES / "numbering_150.docx").read_bytes(), "x")
    checked = 0
    for block in doc.blocks:
        if block.kind in ("paragraph", "heading"):
            marker = block.text[:4]
            expected = lo[marker]
            if len(expected) == 1 and not expected.isalnum():  # bullet
                assert block.list_number is None and block.list_level == 6
            else:
                assert (block.list_number or "") == expected, block
            checked += 1
        elif block.kind == "table_cell":
            for line in block.text.split("\n"):
                head, _, rest = line.partition(" P")
                label = head if rest else ""
                marker = "P" + rest[:3] if rest else line[:4]
                assert label == lo[marker], (line, lo[marker])
                checked += 1
    assert checked == 200  # every paragraph but the empty numbered one


WORD_EXPECTED = [
    "Article I", "1.1", "1.1.1", "I.1(i)", "1.2", "1.2.1", "I.2(i)",
    "Article II", "2.1", "2.1.1", "II.1(i)", "2.2", "2.2.1", "II.2(i)",
    "1.", "(a)", "(i)", "1.2", "(b)", "(ii)", "2.", "(a)", "(iii)",
    "1.", "1.1", "(a)", "(b)", "2.", "(a)",
    "Clause 1:", "Clause 2:", "Clause 3:",
]  # fmt: skip
# Paragraphs LibreOffice 7.4 draws differently from Word (and the ECMA-376 rules), and why.
LO_DIFFERS = {
    1: ("I.1", "w:isLgl (legal numbering: every level in decimal) is ignored by LibreOffice 7.4"),
    2: ("I.1.a", "w:isLgl"),
    4: ("I.2", "w:isLgl"),
    5: ("I.2.a", "w:isLgl"),
    8: ("II.1", "w:isLgl"),
    9: ("II.1.a", "w:isLgl"),
    11: ("II.2", "w:isLgl"),
    12: ("II.2.a", "w:isLgl"),
    18: ("(a)", "w:lvlRestart=1 (restart only after level 1) is ignored by LibreOffice 7.4"),
    19: ("(i)", "w:lvlRestart=0 (never restart) is ignored by LibreOffice 7.4"),
    22: ("(i)", "w:lvlRestart=0"),
    30: ("1.", "a singleLevel list given w:ilvl 2: Word uses its only level, LibreOffice a default"),
    31: ("Clause 2:", "knock-on of the previous paragraph, which LibreOffice did not count"),
}


def test_word_semantics_where_libreoffice_differs():
    ours = _our_labels("numbering_word")
    lo = _lo_lines("numbering_word")
    assert [mine for mine, _ in ours] == WORD_EXPECTED
    assert len(lo) == len(ours)
    for i, ((mine, text), line) in enumerate(zip(ours, lo, strict=True)):
        lo_label = _lo_label(line, text)
        if i in LO_DIFFERS:
            assert lo_label == LO_DIFFERS[i][0] != mine, (i, text)
        else:
            assert lo_label == mine, (i, text)


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (1, "decimal", "1"),
        (7, "decimalZero", "07"),
        (12, "decimalZero", "12"),
        (1, "lowerLetter", "a"),
        (26, "lowerLetter", "z"),
        (27, "lowerLetter", "aa"),
        (53, "upperLetter", "AAA"),
        (4, "lowerRoman", "iv"),
        (49, "upperRoman", "XLIX"),
        (1994, "upperRoman", "MCMXCIV"),
        (0, "upperRoman", "0"),
        (1, "ordinal", "1st"),
        (12, "ordinal", "12th"),
        (23, "ordinal", "23rd"),
        (21, "cardinalText", "Twenty-one"),
        (101, "cardinalText", "One hundred one"),
        (12, "ordinalText", "Twelfth"),
        (20, "ordinalText", "Twentieth"),
        (23, "ordinalText", "Twenty-third"),
        (5, "chicago", "*" * 2),
        (3, "bullet", ""),
        (3, "none", ""),
        (3, "japaneseCounting", "3"),
    ],
)
def test_format_number(n, fmt, expected):
    assert format_number(n, fmt) == expected


def _state(numbering_xml: str, styles_xml: str = "") -> tuple[ListState, StyleSheet]:
    ns = f'xmlns:w="{W_NS}"'
    styles = StyleSheet(etree.fromstring(f"<w:styles {ns}>{styles_xml}</w:styles>") if styles_xml else None)
    numbering = Numbering(etree.fromstring(f"<w:numbering {ns}>{numbering_xml}</w:numbering>"), styles)
    return ListState(numbering), styles


def _lvl(i: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


def test_custom_format_and_missing_pieces():
    state, _ = _state(
        '<w:abstractNum w:abstractNumId="1">'
        '<w:lvl w:ilvl="0"><w:start w:val="7"/><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
        'markup-compatibility/2006"><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/>'
        '</mc:Choice><mc:Fallback><w:numFmt w:val="decimal"/></mc:Fallback></mc:AlternateContent>'
        '<w:lvlText w:val="%1"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="99"/></w:num>'
    )
    assert state.paragraph(None, 1, 0).text == "007"
    assert state.paragraph(None, 1, 0).text == "008"
    assert state.paragraph(None, 1, 3) is None  # level not defined
    assert state.paragraph(None, 2, 0) is None  # abstractNum not defined
    assert state.paragraph(None, 3, 0) is None  # numId not defined
    assert state.paragraph(None, 0, 0) is None  # numId 0: no numbering
    assert state.paragraph(None, None, None) is None


def test_no_numbering_part():
    state, _ = _state("")
    assert state.paragraph(None, 1, 0) is None


def test_style_chain_numbering_and_num_style_link_loop():
    state, styles = _state(
        '<w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="Loop"/></w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="2">{_lvl(0, "upperLetter", "%1.")}{_lvl(1, "lowerRoman", "%2)")}'
        "</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>',
        '<w:style w:type="numbering" w:styleId="Loop"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="B"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/><w:basedOn w:val="A"/>'
        '<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/></w:numPr><w:outlineLvl w:val="3"/></w:pPr></w:style>',
    )
    assert state.paragraph("A", None, None).text == "i)"  # numbering inherited through a basedOn loop
    # direct ilvl with the style's numId; "B." because the level-2 paragraph counted level 1 as "A"
    assert state.paragraph("A", None, 0).text == "B."
    assert state.paragraph("A", 0, None) is None  # direct numId 0 switches the style's numbering off
    assert state.paragraph("A", 1, 0) is None  # numStyleLink pointing at itself: no levels
    assert styles.heading_level("A") == 4
    assert styles.effective("NoSuchStyle") == "Normal"
    assert styles.display_name("Normal") == "Normal"


def test_resolver_speed():
    """Resolving numbering is a small part of reading a document (~1-2 ms per contract)."""
    path = FIXTURES / "numbering_150.docx"
    pkg = _Package(str(path), path.read_bytes())
    document = pkg.xml("word/document.xml")
    styles_xml, numbering_xml = pkg.xml("word/styles.xml"), pkg.xml("word/numbering.xml")
    pprs = [p.find(W + "pPr") for p in document.iter(W + "p")]
    start = time.perf_counter()
    for _ in range(20):
        styles = StyleSheet(styles_xml)
        state = ListState(Numbering(numbering_xml, styles))
        for ppr in pprs:
            style, num_id, ilvl = paragraph_numpr(ppr)
            state.paragraph(styles.effective(style), num_id, ilvl)
    per_document = (time.perf_counter() - start) / 20
    assert per_document < 0.05  # measured ~2 ms for 201 paragraphs; generous for slow CI
