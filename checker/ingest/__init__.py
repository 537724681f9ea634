"""Ingest: turn a contract file into a `Document`, choosing the parser from the file's bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from checker.errors import InputError
from checker.ingest.sniff import CONVERTIBLE, sniff
from checker.model import Document

__all__ = ["read_document", "sniff"]


def read_document(path: str | Path) -> Document:
    """Read any supported contract file; raise `InputError` naming the file for anything else.

    The file is opened read-only and never written. The format comes from the bytes
    (`sniff`), not the name, so a renamed file is either read correctly or refused clearly.
    """
    p = Path(path)
    data = _read_bytes(p)
    kind = sniff(p, data)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        return _parse(p, data, sha256, kind)
    except InputError:
        raise
    except MemoryError:
        raise InputError(str(p), "file too large to read in memory") from None
    except Exception as exc:  # a parser bug or an input no parser anticipated: one line, no traceback
        raise InputError(str(p), f"could not be read as {kind} ({exc.__class__.__name__})") from None


def _parse(p: Path, data: bytes, sha256: str, kind: str) -> Document:
    if kind in CONVERTIBLE:
        from checker.ingest.convert import convert_to_docx
        from checker.ingest.docx_reader import read_docx

        document = read_docx(p, convert_to_docx(p, data, kind), sha256)
        document.notices.insert(
            0, f"Converted from {CONVERTIBLE[kind]} by LibreOffice; check quotes against the original."
        )
        return document
    if kind == "docx":
        from checker.ingest.docx_reader import read_docx

        return read_docx(p, data, sha256)
    if kind == "pdf":
        from checker.ingest.pdf_reader import read_pdf

        return read_pdf(p, data, sha256)
    from checker.ingest.text_reader import read_text

    return read_text(p, data, sha256)


def _read_bytes(p: Path) -> bytes:
    try:
        if p.is_symlink() and not p.exists():
            raise InputError(str(p), "broken or looping symbolic link")
        if p.is_dir():
            raise InputError(str(p), "is a directory, not a contract file")
        if not p.exists():
            raise InputError(str(p), "no such file")
        if not p.is_file():
            raise InputError(str(p), "not a regular file")
        return p.read_bytes()
    except InputError:
        raise
    except PermissionError:
        raise InputError(str(p), "permission denied") from None
    except OSError as exc:
        raise InputError(str(p), f"cannot read file ({exc.strerror or exc.__class__.__name__})") from None
