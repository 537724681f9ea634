"""Format detection from bytes, and the one-line errors for files that are not contracts."""

from __future__ import annotations

import io
import zipfile

import pytest

from checker.errors import InputError
from checker.ingest import read_document


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.pdf", b"", "file is empty"),
        (
            "notes.docx",
            b"The Provider must keep records secure.\n",
            "named .docx but its content is plain text",
        ),
        ("scan.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "an image (PNG)"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "legacy Office container"),
        (
            "sheet.docx",
            _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}),
            "a spreadsheet (.xlsx)",
        ),
        ("blob.txt", bytes(range(256)) * 8, "binary"),
        (
            "contract.pdf",
            _zip({"word/document.xml": b"<w/>"}),
            "named .pdf but its content is a Word (.docx) document",
        ),
        ("cut.docx", _zip({"word/document.xml": b"<w/>"})[:40], "damaged or truncated zip"),
    ],
)
def test_bad_input_is_refused_with_one_line_naming_the_file(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_document(path)
    message = info.value.one_line()
    assert message.startswith(str(path) + ": ")
    assert reason in message
    assert "\n" not in message


def test_directory_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "absent.pdf")


def test_input_is_never_modified(write_text):
    path = write_text("1. The Provider must keep Client Information secure.\n")
    before = (path.stat().st_mtime_ns, path.read_bytes())
    read_document(path)
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


@pytest.mark.parametrize(
    ("encoded", "suffix"),
    [
        (
            "\ufeff1. The Provider must protect Personal Information – whānau data.".encode("utf-16-le"),
            ".txt",
        ),
        (
            "1. The Provider must protect Personal Information – whānau data.".encode("cp1252", "replace"),
            ".txt",
        ),
        ("1. The Provider must protect Personal Information – whānau data.".encode(), ""),
    ],
)
def test_text_in_other_encodings_is_read(tmp_path, encoded, suffix):
    path = tmp_path / f"contract{suffix}"
    path.write_bytes(encoded)
    doc = read_document(path)
    assert doc.format == "text"
    assert "The Provider must protect Personal Information" in doc.blocks[0].text
