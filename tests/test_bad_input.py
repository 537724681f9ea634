"""Every kind of bad input: exit code 2, one line naming the file, no traceback (DESIGN §7).

Fixtures are generated here (or made by real tools in tests/fixtures/); nothing is downloaded.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from checker.cli import main

PDF_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
SAMPLE_DOCX = (
    Path(__file__).resolve().parent.parent / "contracts_sample" / "oa_ara_whakamua_transition_support.docx"
)
SAMPLE_PDF = Path(__file__).resolve().parent.parent / "contracts_sample" / "oa_kahurangi_whanau_navigator.pdf"


def _docx_with(document_xml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        zf.writestr("word/document.xml", document_xml)
    return buf.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"""


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document>" + b" " * (20 * 1024 * 1024) + b"</w:document>")
    return buf.getvalue()


def _make(tmp: Path, kind: str) -> Path:
    """Build the bad input `kind` under `tmp` and return its path."""
    if kind == "empty":
        (p := tmp / "empty.docx").write_bytes(b"")
    elif kind == "truncated pdf":
        (p := tmp / "cut.pdf").write_bytes(SAMPLE_PDF.read_bytes()[:1500])
    elif kind == "truncated docx":
        (p := tmp / "cut.docx").write_bytes(SAMPLE_DOCX.read_bytes()[:3000])
    elif kind == "encrypted pdf":
        p = PDF_FIXTURES / "encrypted.pdf"
    elif kind == "password docx":  # Word saves password-protected files as an OLE2 container
        (p := tmp / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096))
    elif kind == "txt renamed docx":
        (p := tmp / "notes.docx").write_text("1. The Provider must keep records secure.\n", encoding="utf-8")
    elif kind == "docx renamed txt":
        (p := tmp / "contract.txt").write_bytes(SAMPLE_DOCX.read_bytes())
    elif kind == "docx from a newer zip":  # zipfile raises NotImplementedError, not BadZipFile
        data = bytearray(SAMPLE_DOCX.read_bytes())
        at = data.find(b"PK\x01\x02")
        assert at > 0
        data[at + 6 : at + 8] = (138).to_bytes(2, "little")  # "version needed to extract": 13.8
        (p := tmp / "future.docx").write_bytes(bytes(data))
    elif kind == "zip bomb":
        (p := tmp / "bomb.docx").write_bytes(_zip_bomb())
    elif kind == "billion laughs":
        (p := tmp / "laughs.docx").write_bytes(_docx_with(BILLION_LAUGHS))
    elif kind == "external entity":
        (p := tmp / "xxe.docx").write_bytes(_docx_with(XXE))
    elif kind == "binary txt":
        (p := tmp / "blob.txt").write_bytes(os.urandom(8192))
    elif kind == "directory":
        (p := tmp / "folder.pdf").mkdir()
    elif kind == "device":
        p = Path("/dev/null")
    elif kind == "symlink loop":
        (p := tmp / "loop.pdf").symlink_to(tmp / "loop2.pdf")
        (tmp / "loop2.pdf").symlink_to(p)
    elif kind == "image":
        (p := tmp / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(256))
    elif kind == "spreadsheet":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("xl/workbook.xml", "<workbook/>")
        (p := tmp / "budget.xlsx").write_bytes(buf.getvalue())
    elif kind == "missing":
        p = tmp / "nowhere.pdf"
    elif kind == "one giant paragraph":  # 5.5 million characters without a paragraph break
        (p := tmp / "wall.txt").write_text(
            "The Provider must keep records secure and " * 130_000, encoding="utf-8"
        )
    else:  # pragma: no cover
        raise AssertionError(kind)
    return p


CASES = {
    "empty": "file is empty",
    "truncated pdf": "damaged PDF",
    "truncated docx": "damaged or truncated",
    "encrypted pdf": "encrypted PDF",
    "password docx": "password-protected",
    "txt renamed docx": "named .docx but its content is plain text",
    "docx renamed txt": "named .txt but its content is a Word (.docx) document",
    "docx from a newer zip": "damaged or truncated zip package",
    "zip bomb": "zip bomb",
    "billion laughs": "DOCTYPE",
    "external entity": "DOCTYPE",
    "binary txt": "binary",
    "directory": "is a directory",
    "device": "not a regular file",
    "symlink loop": "symbolic link",
    "image": "an image (PNG)",
    "spreadsheet": "a spreadsheet",
    "missing": "no such file",
    "one giant paragraph": "is not contract text",
}


@pytest.mark.parametrize("kind", list(CASES))
def test_bad_input_gives_exit_2_and_one_line(kind, tmp_path, monkeypatch, capsys):
    path = _make(tmp_path, kind)
    monkeypatch.setattr("sys.argv", ["contract-check", "check", str(path), "--format", "json"])
    with pytest.raises(SystemExit) as info:
        main()
    out, err = capsys.readouterr()
    assert info.value.code == 2
    assert out == "", "no partial report on stdout"
    assert err.count("\n") == 1 and err.startswith(f"error: {path}: "), err
    assert CASES[kind].lower() in err.lower()
    assert "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path, monkeypatch, capsys):
    path = tmp_path / "secret.pdf"
    path.write_bytes(SAMPLE_PDF.read_bytes())
    path.chmod(0)
    monkeypatch.setattr("sys.argv", ["contract-check", "check", str(path)])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    assert capsys.readouterr().err == f"error: {path}: permission denied\n"
