"""OCR for scanned PDF pages: render with pypdfium2, recognise with the `tesseract` binary.

pytesseract is not used: the page is rendered to an 8-bit grey bitmap at 300 dpi, handed to
`tesseract stdin stdout tsv` as a PGM on stdin (no temporary files), and the word boxes of the TSV
are grouped into lines with positions in PDF points, so the PDF reader can build paragraphs from
them exactly as it does from a text layer. `OMP_THREAD_LIMIT=1` keeps tesseract on one core
(a batch runs one worker per core; OpenMP threads only oversubscribe them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

DPI = 300
LANG = "eng"
TIMEOUT_S = 180  # per page; a sane page takes 1-3 s


class OcrError(Exception):
    """Tesseract could not read a page (the reason is one line, fit for `InputError`)."""


@dataclass(slots=True)
class OcrLine:
    """One recognised line; coordinates in PDF points with y growing upwards, like a text layer."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    confidence: float  # mean word confidence, 0-100


def find_tesseract() -> str | None:
    """Path of the tesseract binary, or None when OCR is unavailable."""
    return shutil.which("tesseract")


def ocr_page(page, tesseract: str, *, dpi: int = DPI, lang: str = LANG) -> list[OcrLine]:
    """Recognise one pypdfium2 page; return its lines in tesseract's reading order."""
    left, _bottom, _right, top = page.get_bbox()
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        pgm = _to_pgm(bitmap)
    finally:
        bitmap.close()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(
            [tesseract, "stdin", "stdout", "-l", lang, "--psm", "3", "tsv"],
            input=pgm,
            capture_output=True,
            timeout=TIMEOUT_S,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OcrError(f"tesseract took longer than {TIMEOUT_S} s") from None
    except OSError as exc:
        raise OcrError(f"cannot run tesseract ({exc.strerror or exc.__class__.__name__})") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract failed: {msg[-1] if msg else f'exit code {proc.returncode}'}")
    return _parse_tsv(proc.stdout.decode("utf-8", "replace"), 72 / dpi, left, top)


def _to_pgm(bitmap) -> bytes:
    """An 8-bit grey pdfium bitmap as a binary PGM (tesseract reads it from stdin via Leptonica)."""
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    if bitmap.n_channels != 1:
        raise OcrError("page did not render to a grey bitmap")
    buf = bitmap.buffer
    if stride == width:
        pixels = bytes(buf)
    else:
        mv = memoryview(buf)
        pixels = b"".join(mv[r * stride : r * stride + width] for r in range(height))
    return b"P5\n%d %d\n255\n" % (width, height) + pixels


def _parse_tsv(tsv: str, pt_per_px: float, page_left: float, page_top: float) -> list[OcrLine]:
    """Group tesseract's level-5 (word) rows into lines keyed by (block, paragraph, line)."""
    lines: dict[tuple[int, int, int], list[tuple[int, int, int, int, float, str]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            key = (int(cols[2]), int(cols[3]), int(cols[4]))
            left, top, width, height = (int(c) for c in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        lines.setdefault(key, []).append((left, top, width, height, conf, text))
    out: list[OcrLine] = []
    for words in lines.values():  # dicts keep tesseract's order, which is its reading order
        x0 = min(w[0] for w in words)
        x1 = max(w[0] + w[2] for w in words)
        y0 = min(w[1] for w in words)
        y1 = max(w[1] + w[3] for w in words)
        confs = [w[4] for w in words if w[4] >= 0]
        out.append(
            OcrLine(
                text=" ".join(w[5] for w in words),
                x0=page_left + x0 * pt_per_px,
                x1=page_left + x1 * pt_per_px,
                top=page_top - y0 * pt_per_px,
                bottom=page_top - y1 * pt_per_px,
                confidence=sum(confs) / len(confs) if confs else 0.0,
            )
        )
    return out
