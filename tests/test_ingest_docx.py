"""The DOCX reader on fixtures written by python-docx and by LibreOffice, and on bad input.

features.docx is built by tests/fixtures/docx/make_fixtures.py (python-docx plus hand-written
WordprocessingML for what python-docx cannot write); features_lo.docx is the same document
opened and saved again by LibreOffice; features_accepted.lo.txt is LibreOffice's text of it after
Edit > Track Changes > Accept All.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.ingest import read_document
from checker.ingest.docx_reader import read_docx
from checker.model import Comment, Document, TableCell, TrackedChange

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "docx"
BOTH = ["features.docx", "features_lo.docx"]


def _read(path: Path) -> Document:
    data = path.read_bytes()
    return read_docx(path, data, hashlib.sha256(data).hexdigest())


@pytest.fixture(scope="module", params=BOTH)
def features(request) -> Document:
    return _read(FIXTURES / request.param)


def _body(doc: Document) -> list:
    return [b for b in doc.blocks if b.kind in ("paragraph", "heading")]


# --------------------------------------------------------------------------------------------
# structure


def test_document_facts(features):
    assert features.format == "docx"
    assert features.pages is None
    assert [b.order for b in features.blocks] == list(range(len(features.blocks)))
    assert all(b.text and b.text == b.text.strip() for b in features.blocks)


def test_reading_order_of_kinds(features):
    kinds = [b.kind for b in features.blocks]
    assert kinds[:2] == ["header", "header"]
    first_body = kinds.index("heading")
    assert set(kinds[first_body : kinds.index("footer")]) == {"heading", "paragraph", "textbox", "table_cell"}
    assert kinds[-3:] == ["footnote", "footnote", "endnote"]


def test_headings_and_styles(features):
    body = _body(features)
    assert (body[0].kind, body[0].heading_level, body[0].style, body[0].text) == (
        "heading",
        0,
        "Title",
        "Provider Services Agreement",
    )
    assert (body[1].kind, body[1].heading_level, body[1].style) == ("heading", 1, "Heading 1")
    assert body[2].kind == "paragraph" and body[2].heading_level is None


def test_tracked_changes_read_as_if_accepted(features):
    body = [(b.list_number, b.text) for b in _body(features)]
    assert body[2:10] == [
        ("1.", "The Provider must within 20 working days return or destroy all Personal Information."),
        # the numbered paragraph deleted with its mark is gone, so the inserted one is "2."
        ("2.", "The Provider must store Personal Information only in New Zealand."),
        # two paragraphs joined by deleting the first one's paragraph mark
        ("(a)", "The Provider must report any privacy breach to the Ministry within 24 hours."),
        ("(b)", "The Provider must keep an access log."),
        # a sentence moved from one paragraph to the next
        (None, "Records are kept for seven years."),
        (None, "At the end of the term the Provider returns all records. Disposal is certified in writing."),
        # hidden text is not shown; a field shows its result, not its code
        (None, "Visible text stays, as the Provider Services Agreement says."),
        (None, "Provider: Kia Ora Community Trust"),  # inside a content control
    ]
    everything = "\n".join(b.text for b in features.blocks)
    for gone in ("promptly", "keep copies indefinitely", "hidden drafting note", "REF", "Draft contracts"):
        assert gone not in everything


def test_revisions_are_listed(features):
    assert features.tracked_changes == [
        TrackedChange("deletion", "Alice Reviewer", 2, "promptly"),
        TrackedChange("insertion", "Bob Counsel", 2, "within 20 working days"),
        TrackedChange("deletion", "Alice Reviewer", 3, "The Provider may keep copies indefinitely."),
        TrackedChange("insertion", "Bob Counsel", 4, "The Provider must store Personal Information only in New Zealand."),
        TrackedChange("deletion", "Alice Reviewer", 5, "¶"),
        TrackedChange("move", "Carol Editor", 9, "Disposal is certified in writing."),
        TrackedChange("deletion", "Alice Reviewer", 37, "Draft contracts | 1 year | Delete"),
        TrackedChange("insertion", "Bob Counsel", 40, "Audit logs"),
        TrackedChange("insertion", "Bob Counsel", 41, "2 years"),
        TrackedChange("insertion", "Bob Counsel", 42, "Delete"),
    ]  # fmt: skip
    assert features.notices == [
        "10 unresolved tracked changes (insertions 5, deletions 4, moves 1) by Alice Reviewer, "
        "Bob Counsel and Carol Editor; read as if accepted",
        "1 tracked formatting change (no text changed); read as if accepted",
        "2 comments",
        "1 run of hidden text ignored",
    ]


def test_same_text_as_libreoffice_accept_all(features):
    """Our accepted reading of the body equals LibreOffice's after Accept All, line by line."""
    lo = (FIXTURES / "features_accepted.lo.txt").read_text(encoding="utf-8-sig").split("\n")
    # Two differences of LibreOffice's text export, not of the accepted text: it keeps hidden
    # text and writes footnote/endnote reference marks (1, 2, i) into the text.
    known = {
        "Visible text (hidden drafting note) stays, as the Provider Services Agreement says.": (
            "Visible text stays, as the Provider Services Agreement says."
        ),
        "Personal Information is handled under the Privacy Act.1 Records are public records.2i": (
            "Personal Information is handled under the Privacy Act. Records are public records."
        ),
    }
    expected = [known.get(line.strip(), line.strip()) for line in lo if line.strip()]
    ours = []
    for b in features.blocks:
        if b.kind in ("paragraph", "heading"):
            ours.append(f"{b.list_number} {b.text}" if b.list_number else b.text)
        elif b.kind == "table_cell":
            ours.extend(b.text.split("\n"))
    assert ours == expected


def test_paragraph_indices_count_every_paragraph_as_saved(features):
    body = _body(features)
    indices = [b.paragraph for b in body]
    assert indices == sorted(indices) and len(set(indices)) == len(indices)
    by_text = {b.text: b.paragraph for b in body}
    assert by_text["The Provider must keep an access log."] == 7  # paragraphs 3 and 5 vanished
    assert by_text["The Provider must report any privacy breach to the Ministry within 24 hours."] == 5


def test_comments(features):
    assert features.comments == [
        Comment(
            "Alice Reviewer", "Conflicts with the data sovereignty clause.", "may store data offshore", 14
        ),
        Comment(
            "Bob Counsel",
            "Too slow: make it 24 hours.\nAlso name the Privacy Officer.",
            "Security incidents are reported monthly. Audit rights apply.",
            15,
        ),
    ]


def test_notes_text_box_headers_and_footers(features):
    by_kind: dict[str, list[str]] = {}
    for b in features.blocks:
        by_kind.setdefault(b.kind, []).append(b.text)
    assert by_kind["header"] == [
        "Provider Services Agreement - CONFIDENTIAL",
        "Schedule 1 - Data Handling Requirements",
    ]
    assert by_kind["footnote"] == [
        "Privacy Act 2020, information privacy principle 5.",
        "Public Records Act 2005, section 17.",
    ]
    assert by_kind["endnote"] == ["Retention schedules are agreed with Archives New Zealand."]
    # once, although the file holds it twice (DrawingML and its VML fallback)
    assert by_kind["textbox"] == ["Boxed note: data must stay in New Zealand.\nSecond line of the box."]
    box = features.blocks[[b.kind for b in features.blocks].index("textbox")]
    assert features.blocks[box.order - 1].text == "Anchor paragraph for a text box."
    footers = by_kind["footer"]
    assert footers[0].startswith("Page ") and len(footers) in (1, 2)  # LibreOffice writes one per section


def test_tables(features):
    cells = [(b.table, b.text) for b in features.blocks if b.kind == "table_cell"]
    assert cells == [
        (TableCell(0, 0, 0), "Record"),
        (TableCell(0, 0, 1), "Retention"),
        (TableCell(0, 0, 2), "Disposal"),
        (TableCell(0, 1, 0), "Case notes"),
        (TableCell(0, 1, 1), "7 years"),
        (TableCell(0, 1, 2), "Secure destruction"),
        (TableCell(0, 2, 0), "Financial records (merged across two columns)"),  # spans columns 0-1
        (TableCell(0, 2, 2), "Return to Ministry"),
        (TableCell(0, 3, 0), "Client files (merged down two rows)"),  # not repeated in row 4
        (TableCell(0, 3, 1), "10 years"),
        # numbered paragraphs in a cell keep their numbers (continuing the list above)
        (TableCell(0, 3, 2), "Either:\n(c) return them; or\n(d) destroy them."),
        (TableCell(1, 0, 0), "Nested A"),  # the nested table, right after its cell
        (TableCell(1, 0, 1), "Nested B"),
        (TableCell(0, 4, 1), "Until closure"),
        (TableCell(0, 4, 2), "Archive"),
        # the deleted row is gone; the inserted one is row 5
        (TableCell(0, 5, 0), "Audit logs"),
        (TableCell(0, 5, 1), "2 years"),
        (TableCell(0, 5, 2), "Delete"),
    ]


def test_both_writers_give_the_same_contract_text():
    a, b = _read(FIXTURES / "features.docx"), _read(FIXTURES / "features_lo.docx")

    def key(doc):
        return [
            (x.kind, x.text, x.list_number, x.heading_level, x.table)
            for x in doc.blocks
            if x.kind != "footer"
        ]

    assert key(a) == key(b)
    assert a.tracked_changes == b.tracked_changes and a.comments == b.comments


def test_numbered_contract_blocks():
    doc = _read(FIXTURES / "numbering_150.docx")
    by_marker = {b.text[:4]: b for b in doc.blocks if b.kind in ("paragraph", "heading")}
    b = by_marker["P053"]
    assert (b.kind, b.heading_level, b.style, b.list_number, b.list_level, b.text) == (
        "heading",
        2,
        "Clause Heading",  # based on Heading 2: heading level and numbering inherited
        "2.2",
        1,
        "P053 Services sub-heading",
    )
    b = by_marker["P059"]  # a bullet level: no number, but its level
    assert (b.list_number, b.list_level) == (None, 6)
    assert by_marker["P047"].list_number == "(dd)"
    assert by_marker["P197"].list_number == "Schedule 2"
    assert doc.notices == [] and doc.tracked_changes == [] and doc.comments == []
    cells = [b for b in doc.blocks if b.kind == "table_cell"]
    assert cells[0].table == TableCell(0, 0, 0)
    assert cells[0].text == "P118 row 0\n(a) P119 obligation in a cell\n(b) P120 further obligation in a cell"
    assert cells[1].text == "5) P121 numbered cell text"


def test_iso_strict_namespaces(tmp_path):
    """ISO/IEC 29500 Strict files use other namespace URIs; they read the same."""
    src = zipfile.ZipFile(FIXTURES / "numbering_150.docx")
    out = tmp_path / "strict.docx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            data = data.replace(
                b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                b"http://purl.oclc.org/ooxml/wordprocessingml/main",
            ).replace(
                b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                b"http://purl.oclc.org/ooxml/officeDocument/relationships",
            )
            z.writestr(info.filename, data)
    strict, normal = _read(out), _read(FIXTURES / "numbering_150.docx")
    assert [(b.text, b.list_number) for b in strict.blocks] == [
        (b.text, b.list_number) for b in normal.blocks
    ]


def test_read_document_dispatches_docx():
    doc = read_document(FIXTURES / "features.docx")
    assert (
        doc.format == "docx"
        and doc.sha256 == hashlib.sha256((FIXTURES / "features.docx").read_bytes()).hexdigest()
    )
    assert doc.words > 100


def test_resolved_comment_is_noted(tmp_path):
    """Word 2013+ marks a comment done in commentsExtended.xml, keyed by its last paragraph's id."""
    src = zipfile.ZipFile(FIXTURES / "features.docx")
    comments = src.read("word/comments.xml")
    first_p = comments.index(b"<w:p>")
    comments = comments[:first_p] + b'<w:p w14:paraId="0A0B0C0D">' + comments[first_p + 5 :]
    extended = (
        b'<w15:commentsEx xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
        b'<w15:commentEx w15:paraId="0A0B0C0D" w15:done="1"/></w15:commentsEx>'
    )
    rels = src.read("word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2011/relationships/'
        b'commentsExtended" Target="commentsExtended.xml"/></Relationships>',
    )
    path = _rezip(
        tmp_path,
        "resolved.docx",
        {"word/comments.xml": comments, "word/_rels/document.xml.rels": rels},
        extra={"word/commentsExtended.xml": extended},
    )
    doc = _read(path)
    assert len(doc.comments) == 2
    assert "2 comments (1 marked resolved)" in doc.notices


# --------------------------------------------------------------------------------------------
# bad input: always InputError naming the file, with a one-line reason


def _refused(path: Path, *, direct: bool = True) -> list[str]:
    """Reasons from read_document and (unless the sniffer already refuses) read_docx itself."""
    reasons = []
    readers = [lambda: read_document(path)]
    if direct:
        readers.append(lambda: read_docx(path, path.read_bytes(), "0" * 64))
    for reader in readers:
        with pytest.raises(InputError) as info:
            reader()
        err = info.value
        assert err.subject == str(path)
        assert "\n" not in err.one_line() and err.reason
        reasons.append(err.reason)
    return reasons


def _rezip(
    tmp_path: Path,
    name: str,
    replace: dict[str, bytes],
    drop: tuple[str, ...] = (),
    extra: dict[str, bytes] | None = None,
) -> Path:
    """features.docx with some parts replaced, dropped or added."""
    src = zipfile.ZipFile(FIXTURES / "features.docx")
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename in drop:
                continue
            z.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for part, data in (extra or {}).items():
            z.writestr(part, data)
    return out


def test_truncated(tmp_path):
    data = (FIXTURES / "features.docx").read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    for reason in _refused(path):
        assert "truncated" in reason


def test_damaged_member(tmp_path):
    data = bytearray((FIXTURES / "features.docx").read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 100, start + 400):
        data[i] ^= 0x55
    path = tmp_path / "damaged.docx"
    path.write_bytes(bytes(data))
    for reason in _refused(path):
        assert "word/document.xml" in reason and ("damaged" in reason or "malformed" in reason)


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 10))
    + "]>"
)


@pytest.mark.parametrize(
    ("part", "doctype", "entity"),
    [
        ("word/document.xml", BILLION_LAUGHS, "&lol9;"),
        ("word/document.xml", '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
        ("word/styles.xml", '<!DOCTYPE w:styles [<!ENTITY x "x">]>', ""),
    ],
)
def test_doctype_refused(tmp_path, part, doctype, entity):
    original = zipfile.ZipFile(FIXTURES / "features.docx").read(part).decode()
    head, rest = original.split("?>", 1)
    if entity:
        rest = rest.replace("Information handling", entity, 1)
    path = _rezip(tmp_path, "entities.docx", {part: (head + "?>" + doctype + rest).encode()})
    for reason in _refused(path):
        assert "DOCTYPE" in reason and part in reason


def test_utf16_doctype_refused(tmp_path):
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w:document [<!ENTITY a "b">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = _rezip(tmp_path, "utf16.docx", {"word/document.xml": xml.encode("utf-16")})
    for reason in _refused(path):
        assert "DOCTYPE" in reason


def test_malformed_xml(tmp_path):
    path = _rezip(tmp_path, "malformed.docx", {"word/document.xml": b"<w:document><w:body><w:p>"})
    for reason in _refused(path):
        assert reason.startswith("malformed XML in part word/document.xml")


def test_main_part_is_not_a_word_document(tmp_path):
    path = _rezip(tmp_path, "notword.docx", {"word/document.xml": b"<html><body>hello</body></html>"})
    for reason in _refused(path):
        assert "not a Word document" in reason


def test_zip_without_main_part(tmp_path):
    path = _rezip(tmp_path, "nomain.docx", {}, drop=("word/document.xml",))
    sniffed, direct = _refused(path)
    assert "not a Word document" in sniffed
    assert "no main document part" in direct


def test_zip_bomb_member_ratio(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("word/document.xml", b"<w:document/>")
        z.writestr("word/media/image1.bin", bytes(20 * 1024 * 1024))  # 20 MB of zeros, ~1000:1
    assert path.stat().st_size < 100_000
    for reason in _refused(path):
        assert "zip bomb" in reason and "word/media/image1.bin" in reason


def test_zip_bomb_total_size(tmp_path):
    """Many members, each plausible, that together would inflate past the limit."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("word/document.xml", b"<w:document/>")
        for i in range(30):
            z.writestr(f"word/media/part{i}.bin", b"x" * 1000)
    data = bytearray(buf.getvalue())
    # declare each media member as 9 MB (ratio under the per-member rule; 270 MB in all)
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        name = bytes(data[pos + 46 : pos + 46 + name_len])
        if name.startswith(b"word/media/"):
            struct.pack_into("<I", data, pos + 24, 9 * 1024 * 1024)
        pos = data.find(b"PK\x01\x02", pos + 46 + name_len + extra_len + comment_len)
    path = tmp_path / "total.docx"
    path.write_bytes(bytes(data))
    for reason in _refused(path):
        assert "would inflate to" in reason and "zip bomb" in reason


def test_zip_member_lying_about_its_size(tmp_path):
    """A member that declares 1 KB but inflates to 50 MB is cut off at 1 KB and fails its CRC."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<x/>" + bytes(50 * 1024 * 1024))
    data = bytearray(buf.getvalue())
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        struct.pack_into("<I", data, data.find(signature) + offset, 1024)
    path = tmp_path / "liar.docx"
    path.write_bytes(bytes(data))
    for reason in _refused(path):
        assert "damaged" in reason and "CRC" in reason


def test_encrypted_office_file(tmp_path):
    path = tmp_path / "protected.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    for reason in _refused(path):
        assert "password-protected" in reason


def test_empty_body_is_not_an_error(tmp_path):
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p/><w:sectPr/></w:body></w:document>"
    )
    path = _rezip(tmp_path, "empty.docx", {"word/document.xml": xml})
    doc = _read(path)
    assert [b.kind for b in doc.blocks] == []  # no body text; headers and footers went with sectPr
    assert doc.tracked_changes == [] and doc.comments == []
