"""Legacy and odd formats: converted by LibreOffice when it is installed, refused clearly when not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.ingest import read_document

HERE = Path(__file__).resolve().parent
LEGACY = HERE / "fixtures" / "legacy"
ORIGINAL = HERE.parent / "contracts_sample" / "schedule_tui_valley_rangatahi_mentoring.docx"
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed; .doc/.rtf/.odt conversion cannot be tested",
)


@needs_soffice
@pytest.mark.parametrize("suffix", [".doc", ".rtf", ".odt"])
def test_legacy_file_is_converted_and_checked_like_the_original(suffix, nz_checker):
    path = LEGACY / f"schedule_tui_valley_rangatahi_mentoring{suffix}"
    before = path.read_bytes()
    converted = nz_checker.check(path)
    original = nz_checker.check(ORIGINAL)
    assert path.read_bytes() == before, "the input must not be modified"
    assert any("Converted from" in n for n in converted.notices)
    assert [f.status for f in converted.findings] == [f.status for f in original.findings]
    numbers = {ev.clause for f in converted.findings for ev in f.evidence}
    if suffix == ".doc":
        # LibreOffice's own .doc export numbers the unnumbered first heading ("1. Service details"),
        # shifting later clauses by one, and renders them so: we cite what its rendering shows.
        assert numbers and all(n and n[0].isdigit() for n in numbers)
    else:
        assert numbers == {ev.clause for f in original.findings for ev in f.evidence}, (
            "Word numbering survives"
        )


@pytest.mark.parametrize("suffix", [".doc", ".rtf", ".odt"])
def test_without_libreoffice_the_error_names_the_fix(suffix, monkeypatch):
    import checker.ingest.convert as convert

    monkeypatch.setattr(convert, "soffice", lambda: None)
    path = LEGACY / f"schedule_tui_valley_rangatahi_mentoring{suffix}"
    with pytest.raises(InputError) as info:
        read_document(path)
    assert "install it (soffice) or save the file as .docx" in info.value.reason


def test_encrypted_office_file_is_refused(tmp_path):
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 200
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 300
    )
    path = tmp_path / "locked.docx"
    path.write_bytes(data)
    with pytest.raises(InputError, match="password-protected"):
        read_document(path)
