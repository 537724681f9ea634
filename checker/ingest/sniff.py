"""Decide a file's format from its first bytes, and refuse files whose bytes contradict their name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Literal

from checker.errors import InputError
from checker.ingest.xml_safety import ZIP_ERRORS

Kind = Literal["docx", "pdf", "text", "doc", "rtf", "odt"]
CONVERTIBLE = {"doc": "legacy Word (.doc)", "rtf": "RTF", "odt": "OpenDocument text (.odt)"}

_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
_KNOWN = {".docx": "docx", ".pdf": "pdf", ".doc": "doc", ".rtf": "rtf", ".odt": "odt"} | {
    s: "text" for s in _TEXT_SUFFIXES
}

# Formats we recognise by their bytes only to refuse them with a useful reason.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REFUSED_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG", "an image (PNG), not a contract document"),
    (b"\xff\xd8\xff", "an image (JPEG), not a contract document"),
    (b"GIF8", "an image (GIF), not a contract document"),
    (b"II*\x00", "an image (TIFF), not a contract document"),
    (b"MM\x00*", "an image (TIFF), not a contract document"),
]


def sniff(path: Path, data: bytes) -> Kind:
    """Return the format the bytes say this file is.

    A file with a known extension whose bytes are another format is refused naming both;
    a file with no or an unknown extension is read by its bytes.
    """
    name = str(path)
    if not data:
        raise InputError(name, "file is empty")
    claimed = _KNOWN.get(path.suffix.lower())
    actual, why = _kind_from_bytes(data)
    if actual is None:
        raise InputError(name, why)
    if claimed is not None and claimed != actual:
        raise InputError(name, f"file is named {path.suffix.lower()} but its content is {_describe(actual)}")
    return actual


def _describe(kind: str) -> str:
    return {
        "docx": "a Word (.docx) document",
        "pdf": "a PDF",
        "text": "plain text",
        "doc": "a legacy Word (.doc) document",
        "rtf": "an RTF document",
        "odt": "an OpenDocument text (.odt)",
    }[kind]


def _ole2_kind(data: bytes) -> tuple[Kind | None, str]:
    """OLE2 holds legacy .doc files and password-protected (encrypted) .docx files alike."""
    if "EncryptedPackage".encode("utf-16-le") in data[: 1 << 20] or b"EncryptedPackage" in data[: 1 << 20]:
        return None, "password-protected (encrypted) Office file; remove the password and try again"
    if "WordDocument".encode("utf-16-le") in data[: 1 << 20]:
        return "doc", ""
    return None, (
        "legacy Office container that is not a Word document, or a password-protected file; "
        "save it as .docx (or remove the password) and try again"
    )


def _kind_from_bytes(data: bytes) -> tuple[Kind | None, str]:
    head = data[:8]
    if data[:1024].lstrip(b"\x00\t\r\n ").startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf", ""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if head.startswith(_OLE2):
        return _ole2_kind(data)
    if data[:5] == b"{\\rtf":
        return "rtf", ""
    for magic, why in _REFUSED_MAGIC:
        if head.startswith(magic):
            return None, why
    if _looks_like_text(data):
        return "text", ""
    return None, "unsupported binary file (not PDF, DOCX or text)"


def _zip_kind(data: bytes) -> tuple[Kind | None, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except ZIP_ERRORS:
        return None, "damaged or truncated zip package (not a readable .docx)"
    if "word/document.xml" in names:
        return "docx", ""
    if "xl/workbook.xml" in names:
        return None, "a spreadsheet (.xlsx), not a contract document"
    if "ppt/presentation.xml" in names:
        return None, "a presentation (.pptx), not a contract document"
    if "content.xml" in names and "mimetype" in names:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                mimetype = zf.read("mimetype")[:80]
        except (*ZIP_ERRORS, KeyError):
            mimetype = b""
        if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
            return "odt", ""
        return None, "an OpenDocument file that is not a text document; save it as .docx or PDF"
    return None, "a zip archive that is not a Word document"


def _looks_like_text(data: bytes) -> bool:
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a multi-byte character cut by the sample boundary
            return True
    # Windows-1252 and Latin-1 text: mostly printable, few control bytes.
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(sample) // 100
