"""Legacy and odd formats (.doc, .rtf, .odt) are converted to .docx by LibreOffice, then read.

The input is copied into a private temporary folder first, so the original is never touched,
and LibreOffice runs with a throwaway profile and a time limit. Without `soffice` on PATH the
file is refused with the fix in the message.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from checker.errors import InputError
from checker.ingest.sniff import CONVERTIBLE

_TIMEOUT = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, data: bytes, kind: str) -> bytes:
    """The .docx bytes LibreOffice makes of a .doc, .rtf or .odt file."""
    exe = soffice()
    what = CONVERTIBLE[kind]
    if exe is None:
        raise InputError(
            str(path),
            f"{what} files need LibreOffice to convert them; install it (soffice) or save the file as .docx",
        )
    with tempfile.TemporaryDirectory(prefix="contract-check-") as tmp:
        work = Path(tmp)
        source = work / f"input.{kind}"
        source.write_bytes(data)
        cmd = [
            exe,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=_TIMEOUT, check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise InputError(
                str(path), f"LibreOffice did not convert this {what} file within {_TIMEOUT} s"
            ) from None
        result = work / "out" / "input.docx"
        if not result.is_file() or result.stat().st_size == 0:
            raise InputError(
                str(path), f"LibreOffice could not convert this {what} file (damaged or protected?)"
            )
        return result.read_bytes()
