"""Read a PDF contract into a `Document`: paragraphs in reading order, each with its page.

Speed is the design constraint: the text layer is read with pypdfium2 (PDFium's text page), which
costs about what `pdftotext` does, and never with pdfplumber's layout model (~60x slower).

Pass 1 (one page at a time, each page closed before the next is opened, so a 500-page file
needs memory for its text only): one `get_text_range()` call per page gives the text with
PDFium's own line breaks; per line, `FPDFText_CountRects/GetRect` give the boxes of its runs,
`GetCharOrigin` the baselines and `GetFontSize` the size; font names (for bold) are asked only
for short lines, which are the only heading candidates. A line whose runs are separated by a
wide gap is cut into pieces there, so two columns written line-by-line come apart again.
Scanned pages (images, no text) go to OCR (`checker.ingest.ocr`).
Ruled tables are found from the page's path objects (`checker.ingest.pdf_tables`; a page
without drawn lines costs one pass over its object list) and their lines are taken out of the
body and kept as cells.

Pass 2 (whole document): running headers and footers (lines repeated near the same height in
the top/bottom band of most pages, and lone page numbers) are taken out of the body and kept
once each as "header"/"footer" blocks; two-column bands are detected and read left column first;
lines are joined into paragraph blocks (breaking at clause numbers, vertical gaps, indentation
changes, font changes and short closing lines, and carrying paragraphs across page and column
breaks); tables are put back where they sit, one `table_cell` block per non-empty cell (a
table continued on the next page keeps its index); headings are recognised by size, bold and capitals; words hyphenated at a line end are
rejoined, using the document's own vocabulary (and spaCy's English lookup tables) to keep real
compounds like "industry-standard" or "Sub-processor" intact.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from checker.errors import InputError
from checker.ingest import pdf_tables
from checker.model import Block, Document, TableCell

MAX_PAGES = 5000
MAX_OCR_PAGES = 200  # ~1.5 s a page: beyond this, OCR the file first with a batch tool

# Hyphen marker: PDFium replaces a hyphen at a line end by U+FFFE (and by 0x02 in some APIs);
# lines ending in "-", soft hyphen or U+2010 are given the same marker when they are joined.
_MARK = "\ufffe"
_LINE_END_HYPHENS = "-\u00ad\u2010"

_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\x02": _MARK,
        "\u00a0": " ",
        "\t": " ",
        "\x00": "",
    }
)

_ROMAN = r"(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_ROMAN_UP = r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_SUB = r"\((?:[a-z]{1,2}|\d{1,2}|" + _ROMAN + r")\)"
# A clause number at the start of a line: a strong signal that a new block starts there.
_STRONG_NUM = re.compile(
    r"^(?:"
    + (r"\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Za-z]?)+\.?(?:" + _SUB + r")*")  # 12.3  12.3.1  12.3(a)
    + r"|\d{1,3}[A-Z]?\."  # 12.  1A.
    + (r"|\d{1,3}(?:" + _SUB + r")+")  # 12(a)
    + (r"|\((?:[a-z]{1,2}|[A-Z]{1,2}|\d{1,3}[a-z]?|" + _ROMAN + r")\)")  # (a) (iv) (A) (12)
    + (r"|(?:[a-z]|\d{1,2}|" + _ROMAN + r")\)")  # a) iv) 1)
    + r")(?=\s|$)"
)
# "Schedule 2", "Part A", "Clause 4": starts a block only where the previous line has ended,
# because "...as required by / Part 6 of the Privacy Act" wraps onto a line in mid-sentence.
_WEAK_NUM = re.compile(
    r"^(?:Schedule|SCHEDULE|Part|PART|Clause|CLAUSE|Section|SECTION|Appendix|APPENDIX|Annex|ANNEX|"
    r"Annexure|ANNEXURE|Attachment|ATTACHMENT|Article|ARTICLE|Exhibit|EXHIBIT)\s+"
    r"(?:\d{1,3}[A-Z]?|[A-Z]|" + _ROMAN_UP + r")(?=[\s.:,\-–—]|$)"
)
# Words that, ending a line, make a number at the start of the next line a reference, not a clause.
_REF_WORDS_TEXT = (
    "clause clauses cl cls section sections s ss schedule schedules part parts paragraph paragraphs para "
    "subclause subclauses sub-clause sub-clauses article articles appendix annex item items page pages "
    "no number rule regulation regulations to of in under see by with per at from than within between"
)
_REF_WORDS = frozenset(_REF_WORDS_TEXT.split())
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|pg\.?|p\.)\s*)?(?:\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]|\[\d{1,4}\]"
    r"|[ivxlc]{1,7}|[-–—]\s*[ivxlc]{1,7}\s*[-–—])$",
    re.I,
)
# Footer text that names the page ("... Page 3 of 12"), and NZ security classification markings:
# running text even when a one-page document gives no repetition to detect it by.
_PAGE_OF = re.compile(r"\bpage\s+\d{1,4}\s*(?:of|/)\s*\d{1,4}\s*$", re.I)
_MARKING = re.compile(
    r"^(?:UNCLASSIFIED|IN[- ]CONFIDENCE|SENSITIVE|RESTRICTED|CONFIDENTIAL|SECRET|TOP SECRET|DRAFT|"
    r"COMMERCIAL[- ]IN[- ]CONFIDENCE|POLICY AND PRIVACY|LEGALLY PRIVILEGED)$"
)
_DIGITS = re.compile(r"\d+")
_HYPHENATED = re.compile(r"(\w+)\ufffe(\w*)")
_LETTERS_HYPHENS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_TERMINAL = ".:;!?"
_CLOSERS = "\"')]’”»"
# Left parts that usually make a real compound ("multi-factor", "non-government", "sub-processor").
_KEEP_PREFIXES = frozenset(
    [
        "e",
        "x",
        "non",
        "sub",
        "self",
        "cross",
        "multi",
        "co",
        "ex",
        "anti",
        "semi",
        "post",
        "pre",
        "inter",
        "intra",
        "pan",
        "quasi",
        "well",
        "part",
        "full",
    ]
)

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_FONTFLAG_FORCEBOLD = 1 << 18


@dataclass(slots=True)
class _Line:
    """One line (or one piece of a line cut at a wide gap) with its geometry, in PDF points."""

    text: str
    page: int
    x0: float
    x1: float  # right end of the widest run
    x1_last: float  # right end of the last visual line (PDFium joins hyphenated lines)
    top: float
    bottom: float
    base_first: float  # baseline of the first visual line
    base_last: float  # baseline of the last visual line
    size: float
    bold: bool
    line_id: int  # pieces cut from one PDFium line share it
    zone: str = ""  # "top"/"bottom" band of the page, or ""
    heading: bool = False  # looks like a heading line (set in pass 2, once the body size is known)


@dataclass(slots=True)
class _Page:
    number: int
    left: float
    bottom: float
    right: float
    top: float
    lines: list[_Line]
    ocr: bool = False
    tables: list[pdf_tables.Table] = field(default_factory=list)  # ruled tables, in reading order


# ----------------------------------------------------------------------------------------------
# entry point
# ----------------------------------------------------------------------------------------------


def read_pdf(path: Path, data: bytes, sha256: str) -> Document:
    """Parse PDF bytes into a `Document`; raise `InputError(str(path), reason)` for any bad input."""
    import pypdfium2 as pdfium

    name = str(path)
    pdf = _open(pdfium, name, data)
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise InputError(name, "PDF has no pages")
        if n_pages > MAX_PAGES:
            raise InputError(name, f"PDF has {n_pages} pages; the limit is {MAX_PAGES}")
        pages, notices = _read_pages(pdfium, pdf, name, n_pages)
    finally:
        pdf.close()
    ocr_pages = sum(1 for p in pages if p.ocr)
    if not any(p.lines for p in pages):
        raise InputError(name, "PDF has no text (blank pages, or text drawn as outlines)")
    blocks = _build_blocks(pages)
    if ocr_pages:
        notices.insert(
            0,
            f"{ocr_pages} page{'s' if ocr_pages != 1 else ''} read by OCR; check quotes against the original",
        )
    return Document(
        path=name,
        sha256=sha256,
        format="pdf",
        blocks=blocks,
        pages=n_pages,
        ocr=ocr_pages > 0,
        notices=notices,
    )


def _open(pdfium, name: str, data: bytes):
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError(name, _open_failure(pdfium.raw, getattr(exc, "err_code", None), data)) from None
    except Exception as exc:  # PDFium is robust, but never let a parser error become a traceback
        raise InputError(name, f"damaged PDF: {exc.__class__.__name__}") from None


def _open_failure(raw, code: int | None, data: bytes) -> str:
    """Why PDFium refused the file. Its error code is stale when it refuses an empty page tree
    (it then repeats the previous failure's code), so that case is checked by structure."""
    if code == raw.FPDF_ERR_PASSWORD and b"/Encrypt" in data:
        return "encrypted PDF; remove the password and try again"
    if code == raw.FPDF_ERR_SECURITY:
        return "encrypted PDF (unsupported security handler); remove the password and try again"
    if re.search(rb"/Count\s+0\b", data) and _page_count_pdfminer(data) == 0:
        return "PDF has no pages"
    if code == raw.FPDF_ERR_PAGE:
        return "damaged PDF: the page tree cannot be read"
    if b"%%EOF" not in data[-2048:]:
        return "damaged PDF: truncated or corrupt file"
    return "damaged PDF: corrupt file structure"


def _page_count_pdfminer(data: bytes) -> int | None:
    """Page count by pdfminer's parser, for the rare file PDFium refuses ambiguously."""
    try:
        import io
        import logging

        # its warnings about a damaged file quote the file's bytes, and must not reach stderr
        logging.getLogger("pdfminer").setLevel(logging.CRITICAL)
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        return sum(1 for _ in PDFPage.create_pages(doc))
    except Exception:
        return None


# ----------------------------------------------------------------------------------------------
# pass 1: lines with geometry, page by page
# ----------------------------------------------------------------------------------------------


def _read_pages(pdfium, pdf, name: str, n_pages: int) -> tuple[list[_Page], list[str]]:
    raw = pdfium.raw
    pages: list[_Page] = []
    notices: list[str] = []
    scanned: list[int] = []
    blank: list[int] = []
    tesseract: str | None = None
    tesseract_checked = False
    ex = _Extractor(raw)
    rect = raw.FS_RECTF()
    doc_handle = pdf.raw
    for i in range(n_pages):
        # Raw handles on the hot path: pypdfium2's page objects cost ~0.1 ms each to set up.
        page = raw.FPDF_LoadPage(doc_handle, i)
        if not page:
            raise InputError(name, f"damaged PDF: page {i + 1} cannot be read")
        try:
            if raw.FPDF_GetPageBoundingBox(page, rect):
                left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
            else:
                left, bottom = 0.0, 0.0
                right, top = raw.FPDF_GetPageWidthF(page), raw.FPDF_GetPageHeightF(page)
            textpage = raw.FPDFText_LoadPage(page)
            if not textpage:
                raise InputError(name, f"damaged PDF: the text of page {i + 1} cannot be read")
            try:
                lines = ex.page_lines(textpage, i + 1)
                tables = _page_tables(raw, page, textpage, lines, bottom, top) if lines else []
            finally:
                raw.FPDFText_ClosePage(textpage)
        finally:
            raw.FPDF_ClosePage(page)
        if tables:
            taken = {id(ln) for t in tables for ln in t.taken}
            lines = [ln for ln in lines if id(ln) not in taken]
        visible = sum(len(ln.text) - ln.text.count(" ") for ln in lines)
        is_ocr = False
        # A scanned page: no text (or a stray word) over images covering much of the page.
        if visible < 20 and _image_cover(raw, pdf, i, left, bottom, right, top) >= (0.5 if visible else 0.2):
            if not tesseract_checked:
                from checker.ingest import ocr

                tesseract, tesseract_checked = ocr.find_tesseract(), True
            scanned.append(i + 1)
            if tesseract is not None:
                if len(scanned) > MAX_OCR_PAGES:
                    raise InputError(
                        name,
                        f"more than {MAX_OCR_PAGES} scanned pages; OCR the file first (e.g. with ocrmypdf)",
                    )
                lines = _ocr_lines(name, pdf, i, tesseract, ex)
                is_ocr = True
        elif not lines:
            blank.append(i + 1)
        pages.append(_Page(i + 1, left, bottom, right, top, lines, is_ocr, tables))
    if scanned and tesseract is None:
        if len(scanned) + len(blank) == n_pages:
            raise InputError(name, "scanned PDF has no text layer; install tesseract-ocr or OCR it first")
        raise InputError(
            name,
            f"{_pages_phrase(scanned)} scanned with no text layer; install tesseract-ocr or OCR it first",
        )
    if blank and len(blank) < n_pages:
        notices.append(f"no text on {_pages_phrase(blank, verb=False)}")
    return pages, notices


def _page_tables(raw, page, textpage, lines: list[_Line], bottom: float, top: float) -> list:
    """Ruled tables of the page with the text lines inside them (a grid drawn wholly in the
    running header or footer band is left to be read as lines, like the rest of that band)."""
    out = []
    for table in pdf_tables.find_tables(raw, page):
        if not (table.bottom < top - 72.0 and table.top > bottom + 72.0):
            continue
        inside = [ln for ln in lines if table.holds((ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2)]
        if not inside:
            continue  # a drawn grid with no text (a form, a frame)
        table.taken = inside
        cells = [pdf_tables.cell_at(table, ln.x0, ln.x1, (ln.base_first + ln.base_last) / 2) for ln in inside]
        if all(cells):
            for ln, cell in sorted(zip(inside, cells, strict=True), key=lambda p: -round(p[0].base_first)):
                cell.lines.append(ln.text)
        else:  # a line runs across a cell border: read the cells by their boxes
            pdf_tables.fill_cells(raw, textpage, table)
        out.append(table)
    return out


def _pages_phrase(numbers: list[int], verb: bool = True) -> str:
    shown = ", ".join(str(n) for n in numbers[:10]) + (", ..." if len(numbers) > 10 else "")
    if len(numbers) == 1:
        return f"page {shown}" + (" is" if verb else "")
    return f"pages {shown}" + (" are" if verb else "")


def _image_cover(raw, pdf, index: int, left: float, bottom: float, right: float, top: float) -> float:
    """Share of the page covered by images (summed, capped at 1; asked only of near-empty pages)."""
    area = max((right - left) * (top - bottom), 1.0)
    covered = 0.0
    page = pdf[index]
    try:
        for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
            try:
                x0, y0, x1, y1 = obj.get_bounds()
            except Exception:
                continue
            covered += max(0.0, x1 - x0) * max(0.0, y1 - y0)
            if covered >= area:
                break
        return min(covered / area, 1.0)
    finally:
        page.close()


def _ocr_lines(name: str, pdf, index: int, tesseract: str, ex: _Extractor) -> list[_Line]:
    from checker.ingest import ocr

    page_no = index + 1
    page = pdf[index]
    try:
        found = ocr.ocr_page(page, tesseract)
    except ocr.OcrError as exc:
        raise InputError(name, f"OCR failed on page {page_no}: {exc}") from None
    finally:
        page.close()
    # Box heights vary with ascenders and descenders, so lines near the usual height get one size
    # (a font size cannot be read off a scan); clearly taller lines (headings) keep their own.
    heights = sorted(max(ol.top - ol.bottom, 1.0) for ol in found)
    usual = heights[len(heights) // 2] if heights else 10.0
    lines = []
    for ol in found:
        text = _clean(ol.text)
        if not text:
            continue
        height = max(ol.top - ol.bottom, 1.0)
        size = round((height if height > 1.25 * usual else usual) * 1.1, 1)
        mid = (ol.top + ol.bottom) / 2
        ex.next_id += 1
        lines.append(
            _Line(text, page_no, ol.x0, ol.x1, ol.x1, ol.top, ol.bottom, mid, mid, size, False, ex.next_id)
        )
    return lines


def _present(*lines: _Line | None) -> list[_Line]:
    return [ln for ln in lines if ln is not None]


def _may_be_heading(text: str) -> bool:
    """Cheap text test before asking PDFium for the font (headings are short, unpunctuated)."""
    return len(text) <= 80 and text.count(" ") < 12 and text[-1] not in ".,;"


def _clean(text: str) -> str:
    return " ".join(text.translate(_LIGATURES).split())


class _Extractor:
    """Reads one PDFium text page into `_Line`s with raw ctypes calls (the wrappers cost 2x)."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.L, self.B, self.R, self.T = (ctypes.c_double() for _ in range(4))
        self.X, self.Y = ctypes.c_double(), ctypes.c_double()
        self.name_buf = ctypes.create_string_buffer(128)
        self.flags = ctypes.c_int()
        self.identity = True
        self.tp = None
        self.next_id = 0  # line ids: pieces of one visual line share one

    def _ci(self, text_index: int) -> int:
        """Char index (PDFium's char list) of a text index (`get_text_range` output)."""
        return (
            text_index if self.identity else self.raw.FPDFText_GetCharIndexFromTextIndex(self.tp, text_index)
        )

    def page_lines(self, textpage, page_no: int) -> list[_Line]:
        raw = self.raw
        tp = self.tp = textpage
        n_chars = raw.FPDFText_CountChars(tp)
        if n_chars <= 0:
            return []
        text = self._page_text(n_chars)
        identity = self.identity = len(text) == n_chars
        L, B, R, T, X, Y = self.L, self.B, self.R, self.T, self.X, self.Y
        count_rects, get_rect = raw.FPDFText_CountRects, raw.FPDFText_GetRect
        font_size, origin = raw.FPDFText_GetFontSize, raw.FPDFText_GetCharOrigin
        to_char = raw.FPDFText_GetCharIndexFromTextIndex
        out: list[_Line] = []
        pos = 0
        for s in text.split("\r\n"):  # PDFium's generated line breaks
            line_start = pos
            pos += len(s) + 2
            stripped = s.strip()
            if not stripped:
                continue
            start = line_start if s[0] == stripped[0] else line_start + len(s) - len(s.lstrip())
            n = len(stripped)
            if identity:
                c_first, c_last = start, start + n - 1
            else:
                c_first, c_last = to_char(tp, start), to_char(tp, start + n - 1)
                if c_first < 0 or c_last < c_first:
                    continue
            k = count_rects(tp, c_first, c_last - c_first + 1)
            if k <= 0:
                out.extend(self._slow(stripped, start, c_first, c_last, 0, page_no))
                continue
            # Fast path: one visual line whose runs follow each other left to right without a
            # wide gap. Anything else (a hyphen join, a column gap) takes the slow path, which
            # fetches the runs again (PDFium keeps them from the last CountRects call).
            size = font_size(tp, c_first) or 10.0
            gap_min = 12.0 if size < 8.0 else 1.5 * size
            get_rect(tp, 0, L, T, R, B)
            x0, x1, top, bottom = L.value, R.value, T.value, B.value
            prev_mid = (top + bottom) / 2
            simple = _MARK not in stripped
            for j in range(1, k if simple else 0):
                get_rect(tp, j, L, T, R, B)
                left, t, b = L.value, T.value, B.value
                if left - x1 >= gap_min or (t < prev_mid and left < x1):
                    simple = False
                    break
                if R.value > x1:
                    x1 = R.value
                if left < x0:
                    x0 = left
                if t > top:
                    top = t
                if b < bottom:
                    bottom = b
            if not simple:
                out.extend(self._slow(stripped, start, c_first, c_last, k, page_no))
                continue
            origin(tp, c_first, X, Y)
            cleaned = _clean(stripped)
            if not cleaned:
                continue
            bold = _may_be_heading(cleaned) and self._is_bold(start, cleaned)
            self.next_id += 1
            base = Y.value
            out.append(_Line(cleaned, page_no, x0, x1, x1, top, bottom, base, base, size, bold, self.next_id))
        return out

    def _page_text(self, n_chars: int) -> str:
        """All text of the page (as `PdfTextPage.get_text_range()`, without the wrapper objects)."""
        raw, tp = self.raw, self.tp
        c_start, c_end = 0, n_chars - 1
        while c_start <= c_end and raw.FPDFText_GetTextIndexFromCharIndex(tp, c_start) == -1:
            c_start += 1
        while c_end >= c_start and raw.FPDFText_GetTextIndexFromCharIndex(tp, c_end) == -1:
            c_end -= 1
        if c_start > c_end:
            return ""
        t_start = raw.FPDFText_GetTextIndexFromCharIndex(tp, c_start)
        t_end = raw.FPDFText_GetTextIndexFromCharIndex(tp, c_end)
        size = t_end + 2 - t_start  # including the terminating NUL
        buf = (ctypes.c_ushort * size)()
        got = raw.FPDFText_GetText(tp, c_start, c_end - c_start + 1, buf)
        if got <= 1:
            return ""
        return bytes(memoryview(buf).cast("B")[: 2 * (min(got, size) - 1)]).decode("utf-16-le", "ignore")

    def _slow(self, text: str, start: int, c_first: int, c_last: int, k: int, page_no: int) -> list[_Line]:
        raw, tp = self.raw, self.tp
        L, B, R, T = self.L, self.B, self.R, self.T
        rects = []
        for j in range(k):
            if raw.FPDFText_GetRect(tp, j, L, T, R, B):
                rects.append((L.value, B.value, R.value, T.value))
        if not rects:  # runs with no boxes (e.g. some Type 3 fonts): fall back to char boxes
            for ci in (c_first, c_last):
                if raw.FPDFText_GetCharBox(tp, ci, L, R, B, T):
                    rects.append((L.value, B.value, R.value, T.value))
            if not rects:
                return []
        return self._visual_lines(text, start, rects, page_no)

    def _is_bold(self, text_index: int, text: str) -> bool:
        return self._bold(text_index, text, first=True) and self._bold(text_index, text, first=False)

    def _visual_lines(self, text: str, start: int, rects, page_no: int) -> list[_Line]:
        """Cut a PDFium line into the lines the eye sees, then into pieces at wide gaps.

        PDFium joins a line that ends in a hyphen to the next one (marking the hyphen U+FFFE), and
        puts runs that share a baseline on one line even when they belong to two columns drawn
        line by line. Runs (`rects`, in text order) that start below the previous one begin a new
        visual line, as does the text after each U+FFFE.
        """
        visual: list[list[tuple[float, float, float, float]]] = [[rects[0]]]
        for r in rects[1:]:
            prev = visual[-1][-1]
            if r[3] < (prev[1] + prev[3]) / 2 and r[0] < prev[2]:
                visual.append([r])
            else:
                visual[-1].append(r)
        offsets = [0]
        if _MARK in text:
            offsets += [i + 1 for i, ch in enumerate(text) if ch == _MARK and i + 1 < len(text)]
        if len(offsets) != len(visual):  # cannot tell which text goes where: keep the line whole
            self.next_id += 1
            return _present(self._make(text, start, 0, len(text), rects, visual, page_no, self.next_id))
        out: list[_Line] = []
        bounds = [*offsets, len(text)]
        for k, group in enumerate(visual):
            self.next_id += 1
            out.extend(self._gap_pieces(text, start, bounds[k], bounds[k + 1], group, page_no, self.next_id))
        return out

    def _gap_pieces(self, text, start, a, b, group, page_no, line_id) -> list[_Line]:
        """One visual line (text[a:b], runs `group`) as one `_Line`, or several if runs are far apart."""
        size = self.raw.FPDFText_GetFontSize(self.tp, self._ci(start + a)) or 10.0
        if len(group) > 1:
            gap_min = max(12.0, 1.5 * size)
            runs = sorted(group)
            pieces = [[runs[0]]]
            offs = [a]
            right = runs[0][2]
            for r in runs[1:]:
                if r[0] - right >= gap_min:
                    off = self._text_index_at(r, start)
                    if a < off < b and off > offs[-1]:
                        pieces.append([r])
                        offs.append(off)
                    else:
                        pieces[-1].append(r)
                else:
                    pieces[-1].append(r)
                right = max(right, r[2])
            if len(pieces) > 1:
                ends = [*offs[1:], b]
                return _present(
                    *(
                        self._make(text, start, pa, pb, pr, [pr], page_no, line_id)
                        for pa, pb, pr in zip(offs, ends, pieces, strict=True)
                    )
                )
        return _present(self._make(text, start, a, b, group, [group], page_no, line_id))

    def _make(self, text, start, a, b, rects, visual, page_no, line_id) -> _Line | None:
        raw, X, Y = self.raw, self.X, self.Y
        piece = text[a:b]
        cleaned = _clean(piece)
        if not cleaned:
            return None
        lead = len(piece) - len(piece.lstrip())
        c0 = self._ci(start + a + lead)
        size = raw.FPDFText_GetFontSize(self.tp, c0) or 10.0
        raw.FPDFText_GetCharOrigin(self.tp, c0, X, Y)
        base_first = Y.value
        if len(visual) > 1:
            raw.FPDFText_GetCharOrigin(self.tp, self._ci(start + len(piece.rstrip()) + a - 1), X, Y)
        base_last = Y.value
        bold = _may_be_heading(cleaned) and self._is_bold(start + a + lead, cleaned)
        return _Line(
            text=cleaned,
            page=page_no,
            x0=min(r[0] for r in rects),
            x1=max(r[2] for r in rects),
            x1_last=max(r[2] for r in visual[-1]),
            top=max(r[3] for r in visual[0]),
            bottom=min(r[1] for r in visual[-1]),
            base_first=base_first,
            base_last=base_last,
            size=size,
            bold=bold,
            line_id=line_id,
        )

    def _bold(self, text_index: int, text: str, first: bool) -> bool:
        """Is the first (or last) letter of the line bold? (asked only for heading-length lines)"""
        raw = self.raw
        order = range(len(text)) if first else range(len(text) - 1, -1, -1)
        off = next((i for i in order if text[i].isalpha()), 0)
        ci = self._ci(text_index + off)
        if raw.FPDFText_GetFontInfo(self.tp, ci, self.name_buf, 128, self.flags) <= 0:
            return False
        name = self.name_buf.value.decode("latin-1")
        return bool(self.flags.value & _FONTFLAG_FORCEBOLD) or bool(_BOLD_NAME.search(name))

    def _text_index_at(self, run, start: int) -> int:
        """Offset (within the line text) of the first character of a run, by hit-testing its box."""
        raw = self.raw
        ci = raw.FPDFText_GetCharIndexAtPos(self.tp, run[0] + 0.5, (run[1] + run[3]) / 2, 2.0, 2.0)
        if ci < 0:
            return -1
        ti = ci if self.identity else raw.FPDFText_GetTextIndexFromCharIndex(self.tp, ci)
        return ti - start


# ----------------------------------------------------------------------------------------------
# pass 2: headers/footers, columns, paragraphs, headings, hyphens
# ----------------------------------------------------------------------------------------------


def _build_blocks(pages: list[_Page]) -> list[Block]:
    _mark_running(pages)
    builder = _Builder(_body_size([ln for p in pages for ln in p.lines if not ln.zone]))
    for page in pages:
        body = [ln for ln in page.lines if not ln.zone]
        _mark_headings(builder, body)
        for ln in page.lines:
            if ln.zone == "top":
                builder.record(ln, "header")
        if page.tables:
            _feed_with_tables(builder, body, page)
        else:
            for run in _reading_order(body):
                builder.feed(run)
        for ln in page.lines:
            if ln.zone == "bottom":
                builder.record(ln, "footer")
    return builder.finish()


def _feed_with_tables(builder: _Builder, body: list[_Line], page: _Page) -> None:
    """Feed a page's body lines with its tables in place: the lines above each table (by the
    middle of the line and of the table) come before it, the rest after it."""
    tables = page.tables
    parts: list[list[_Line]] = [[] for _ in range(len(tables) + 1)]
    for ln in body:
        mid = (ln.top + ln.bottom) / 2
        parts[sum(1 for t in tables if (t.top + t.bottom) / 2 > mid)].append(ln)
    for k, lines in enumerate(parts):
        for run in _reading_order(lines):
            builder.feed(run)
        if k < len(tables):
            builder.table(tables[k], page.number, first_on_page=k == 0 and not parts[0])


def _mark_headings(builder: _Builder, lines: list[_Line]) -> None:
    """Set `heading` on lines that look like headings, judging the pieces of a line together
    ("1." and "Interpretation", cut apart at the tab between them, are one heading line)."""
    i = 0
    while i < len(lines):
        j = i + 1
        while j < len(lines) and lines[j].line_id == lines[i].line_id:
            j += 1
        if j == i + 1:
            lines[i].heading = builder.heading_like(lines[i].text, lines[i].bold, lines[i].size)
        else:
            group = lines[i:j]
            text = " ".join(ln.text for ln in group)
            heading = builder.heading_like(text, any(ln.bold for ln in group), max(ln.size for ln in group))
            for ln in group:
                ln.heading = heading
        i = j


def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[round(ln.size * 2) / 2] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _norm(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def _mark_running(pages: list[_Page]) -> None:
    """Set `zone` ("top"/"bottom") on running header and footer lines.

    Running: in the top or bottom band of the page and repeated (digits normalised, so "Page 3
    of 12" matches "Page 4 of 12") at about the same height on more than half of the pages (on at
    least 2 pages of a document of 2-4 pages); or, on any page, a lone page number, a "... Page 3
    of 12" line or a security classification marking in the outer 72 pt.
    """
    n = len(pages)
    seen: dict[tuple[str, str], list[tuple[int, float, _Line]]] = {}
    for page in pages:
        band = max(72.0, 0.12 * (page.top - page.bottom))
        pieces = Counter(ln.line_id for ln in page.lines)
        for ln in page.lines:
            if ln.top >= page.top - band:
                zone, y = "top", ln.top - page.top
            elif ln.bottom <= page.bottom + band:
                zone, y = "bottom", ln.bottom - page.bottom
            else:
                continue
            outer = ln.top >= page.top - 72.0 if zone == "top" else ln.bottom <= page.bottom + 72.0
            if (
                outer
                and (_PAGE_NUMBER.match(ln.text) or _PAGE_OF.search(ln.text) or _MARKING.match(ln.text))
                and pieces[ln.line_id] == 1
                and _isolated(ln, page.lines)
            ):
                ln.zone = zone
                continue
            seen.setdefault((zone, _norm(ln.text)), []).append((page.number, y, ln))
    if n < 2:
        return
    need = n // 2 + 1 if n >= 5 else 2
    for (zone, _key), hits in seen.items():
        if len(hits) < need:
            continue
        ys = sorted(h[1] for h in hits)
        median = ys[len(ys) // 2]
        close = [h for h in hits if abs(h[1] - median) <= 6.0]
        if len({h[0] for h in close}) >= need:
            for _, _, ln in close:
                ln.zone = zone


def _isolated(ln: _Line, lines: list[_Line]) -> bool:
    """No other line sits just above or below `ln` (a footer stands apart from the body text)."""
    gap = 0.4 * ln.size
    return not any(
        o.line_id != ln.line_id and o.bottom - gap < ln.top and ln.bottom < o.top + gap for o in lines
    )


def _reading_order(lines: list[_Line]) -> list[list[_Line]]:
    """Split a page's body lines into runs in reading order (a page, a band or a column each).

    Lines keep PDFium's (content-stream) order, which is reading order for office exports,
    except in a two-column band: there the left column is read before the right one even when
    the file draws them line by line. A two-column band is recognised by a gutter: a common left
    edge in the middle of the page for the right column, no line crossing it within the band,
    wide lines on both sides, and lines of the two sides beside each other.
    """
    if len(lines) < 6:
        return [lines]
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    width = right - left
    if width < 200:
        return [lines]
    cands = [ln for ln in lines if left + 0.3 * width < ln.x0 < left + 0.7 * width]
    if len(cands) < 3:
        return [lines]
    buckets = Counter(round(ln.x0 / 4) for ln in cands)
    bucket, hits = buckets.most_common(1)[0]
    if hits < 3:
        return [lines]
    g1 = min(ln.x0 for ln in cands if abs(round(ln.x0 / 4) - bucket) <= 1)
    rights = [ln for ln in lines if ln.x0 >= g1 - 2]
    lefts = [ln for ln in lines if ln.x1 <= g1 - 4]
    if len(lefts) < 3 or len(rights) < 3:
        return [lines]
    g0 = max(ln.x1 for ln in lefts)
    if g1 - g0 < 4:
        return [lines]
    # Columns hold real text: lines of both sides are wide, and side by side in height.
    lw = sorted(ln.x1 - ln.x0 for ln in lefts)[len(lefts) // 2]
    rw = sorted(ln.x1 - ln.x0 for ln in rights)[len(rights) // 2]
    if lw < 0.25 * width or rw < 0.25 * width:
        return [lines]
    beside = sum(1 for r in rights if any(lt.bottom < r.top and r.bottom < lt.top for lt in lefts))
    if beside < 3 or beside < len(rights) // 2:
        return [lines]
    # Bands between lines that cross the gutter.
    spanning = sorted((ln for ln in lines if ln.x0 < g1 - 2 and ln.x1 > g1 - 4), key=lambda ln: -ln.top)
    cuts = [ln.top for ln in spanning]

    def band_of(ln: _Line) -> int:
        mid = (ln.top + ln.bottom) / 2
        return sum(1 for c in cuts if c > mid)

    out: list[list[_Line]] = []
    full: list[_Line] = []  # consecutive full-width lines make one run
    for b in range(len(spanning) + 1):
        if b > 0:
            full.append(spanning[b - 1])
        band_left = [ln for ln in lefts if band_of(ln) == b and not _crosses(ln, g1)]
        band_right = [ln for ln in rights if band_of(ln) == b and not _crosses(ln, g1)]
        if band_right and band_left:
            if full:
                out.append(full)
                full = []
            out.append(band_left)
            out.append(band_right)
        else:
            full.extend(band_left or band_right)
    if full:
        out.append(full)
    return out


def _crosses(ln: _Line, g1: float) -> bool:
    return ln.x0 < g1 - 2 and ln.x1 > g1 - 4


def _ends_sentence(text: str) -> bool:
    t = text.rstrip().rstrip(_CLOSERS)
    return bool(t) and t[-1] in _TERMINAL


def _last_word(text: str) -> str:
    parts = text.rsplit(None, 1)
    return parts[-1].strip(_CLOSERS + ",").lower() if parts else ""


def _is_reference_tail(text: str) -> bool:
    """Does the line end so that a number on the next line continues it ("...under clause / 12.3")?"""
    word = _last_word(text)
    if word in _REF_WORDS:
        return True
    if word in ("and", "or"):
        before = text.rstrip()[: -len(word)].rstrip()
        return not before.endswith((";", ","))
    return bool(re.fullmatch(r"\d+(?:\.\d+)*", word))


class _Draft:
    """A block being built: its lines and their texts."""

    __slots__ = ("fixed", "kind", "lines", "page", "parts", "right", "table")

    def __init__(self, ln: _Line | None, kind: str = "paragraph", fixed: bool = False, page: int = 0) -> None:
        self.kind = kind
        self.page = ln.page if ln is not None else page
        self.parts = [ln.text] if ln is not None else []
        self.lines = [ln] if ln is not None else []
        self.right = ln.x1 if ln is not None else 0.0  # right edge of the widest line so far
        self.fixed = fixed  # running header/footer: never extended
        self.table: TableCell | None = None


class _Builder:
    """Joins ordered lines into blocks (paragraphs and headings), across pages and columns."""

    def __init__(self, body_size: float) -> None:
        self.body_size = body_size
        self.blocks: list[_Draft] = []
        self.cur: _Draft | None = None
        self.running_seen: set[str] = set()
        self.n_tables = 0
        # the table just emitted, while no text has followed it: (its index, its column edges,
        # its last row's drafts by column, its rows so far, its last page)
        self.last_table: tuple[int, list[float], dict[int, _Draft], int, int] | None = None

    def record(self, ln: _Line, kind: str) -> None:
        """Keep a running header/footer line once (the first time its normalised text appears)."""
        key = kind + ":" + _norm(ln.text)
        if key not in self.running_seen:
            self.running_seen.add(key)
            self.blocks.append(_Draft(ln, kind, fixed=True))

    def heading_like(self, text: str, bold: bool, size: float) -> bool:
        """Short, unpunctuated, and bold or larger than the body text."""
        if len(text) > 100 or text.endswith((",", ";", ".")) or text.count(" ") > 13:
            return False
        return bold or size >= self.body_size + 1.5

    def table(self, table: pdf_tables.Table, page: int, first_on_page: bool) -> None:
        """Add a table's cells (row-major; empty cells give no block). A table that opens a page
        with the columns of the table that closed the page before is its continuation: a header
        row repeated there is dropped, and a first row whose cells all start in lower case (a row
        broken across the page) is joined to the last row."""
        cells = [(c, _cell_parts(c.lines)) for c in table.cells]
        last = self.last_table
        index, row0 = self.n_tables, 0
        if (
            last is not None
            and first_on_page
            and last[4] == page - 1
            and len(last[1]) == len(table.cols)
            and all(abs(a - b) <= 2.0 for a, b in zip(last[1], table.cols, strict=True))
        ):
            index, prev_row, row0 = last[0], last[2], last[3]
            first = [(c, parts) for c, parts in cells if c.row == 0]
            texts = {c.col: _join_parts(parts) for c, parts in first if parts}
            header = {d.table.col: _join_parts(d.parts) for d in self._rows_of(index, 0) if d.table}
            if texts and texts == header:
                cells = [(c, p) for c, p in cells if c.row > 0]
                row0 -= 1
            elif texts and all(t[:1].islower() for t in texts.values()):
                for c, parts in first:
                    if parts and c.col in prev_row:
                        self._append_parts(prev_row[c.col], parts)
                # cells with nothing to join to in their column stay, as cells of the last row
                cells = [(c, p) for c, p in cells if c.row > 0 or c.col not in prev_row]
                row0 -= 1
        else:
            self.n_tables += 1
        row_drafts: dict[int, _Draft] = {}
        last_row = -1
        for c, parts in cells:
            if c.row != last_row:
                row_drafts, last_row = {}, c.row
            if not parts:
                continue
            d = _Draft(None, "table_cell", page=page)
            d.parts = parts
            d.table = TableCell(index, row0 + c.row, c.col)
            self.blocks.append(d)
            row_drafts[c.col] = d
        if row_drafts:
            self.last_table = (index, table.cols, row_drafts, row0 + last_row + 1, page)
        elif self.last_table is not None and self.last_table[0] == index:
            self.last_table = (*self.last_table[:4], page)
        else:
            self.last_table = None
        self.cur = None

    def _rows_of(self, index: int, row: int) -> list[_Draft]:
        return [
            d for d in self.blocks if d.table is not None and d.table.table == index and d.table.row == row
        ]

    @staticmethod
    def _append_parts(d: _Draft, parts: list[str]) -> None:
        prev = d.parts[-1]
        if len(prev) > 1 and prev[-1] in _LINE_END_HYPHENS and prev[-2].isalpha() and parts[0][:1].isalpha():
            d.parts[-1] = prev[:-1] + _MARK
        d.parts.extend(parts)

    def feed(self, lines: list[_Line]) -> None:
        """Add one run of lines (a page, a band or a column) in reading order."""
        if not lines:
            return
        self.last_table = None
        pitch = self._pitch(lines)
        cur = self.cur
        if cur is not None and self._continues(cur, lines[0]):
            # a paragraph unfinished at the end of the last page or column goes on here
            self._append(cur, lines[0])
        else:
            cur = self._start(lines[0])
        for ln in lines[1:]:
            if self._breaks(cur, ln, pitch):
                cur = self._start(ln)
            else:
                self._append(cur, ln)

    def _pitch(self, lines: list[_Line]) -> float:
        """Line spacing of the run: the smallest frequent baseline step (larger ones are gaps)."""
        steps: Counter[float] = Counter()
        for a, b in itertools.pairwise(lines):
            if a.line_id == b.line_id or abs(a.size - b.size) > 0.5:
                continue
            dy = a.base_last - b.base_first
            if 0.5 * a.size < dy < 3 * a.size:
                steps[round(dy * 2) / 2] += 1
        if not steps:
            return 1.2 * self.body_size
        best, count = steps.most_common(1)[0]
        frequent = [s for s, c in steps.items() if c >= max(2, count // 3)]
        return min(frequent) if frequent else best

    def _start(self, ln: _Line) -> _Draft:
        self.cur = _Draft(ln)
        self.blocks.append(self.cur)
        return self.cur

    @staticmethod
    def _append(cur: _Draft, ln: _Line) -> None:
        prev = cur.parts[-1]
        if len(prev) > 1 and prev[-1] in _LINE_END_HYPHENS and prev[-2].isalpha() and ln.text[:1].isalpha():
            cur.parts[-1] = prev[:-1] + _MARK  # decided later, with the whole document's words
        cur.parts.append(ln.text)
        cur.lines.append(ln)
        if ln.x1 > cur.right:
            cur.right = ln.x1

    @staticmethod
    def _mid_sentence(cur: _Draft, b: _Line) -> bool:
        """Is `b` (bold, short) the end of a sentence that the body line before it began? A bold
        name wrapping onto a last line ("... (the / Provider)") is not a heading."""
        a = cur.lines[-1]
        return (
            not _ends_sentence(cur.parts[-1])
            and a.x1_last + 4 * a.size >= cur.right
            and not (_STRONG_NUM.match(b.text) or _WEAK_NUM.match(b.text))
        )

    def _continues(self, cur: _Draft, ln: _Line) -> bool:
        """Does `ln`, first in a new page or column, carry on the paragraph `cur`?"""
        if cur.fixed or cur.kind != "paragraph":
            return False
        last = cur.lines[-1]
        if last.heading or ln.heading or abs(last.size - ln.size) > 1.0:
            return False
        if _STRONG_NUM.match(ln.text) or _WEAK_NUM.match(ln.text):
            return False
        return not _ends_sentence(cur.parts[-1])

    def _breaks(self, cur: _Draft, b: _Line, pitch: float) -> bool:
        """Does line `b` start a new block after the last line of `cur`?"""
        a = cur.lines[-1]
        if a.line_id == b.line_id:
            return False  # pieces of one line, cut at a wide gap, that stayed together
        text_a = cur.parts[-1]
        if _STRONG_NUM.match(b.text) and not _is_reference_tail(text_a):
            return True
        if abs(a.size - b.size) > 1.0:
            return True
        if a.heading != b.heading and not (b.heading and self._mid_sentence(cur, b)):
            return True
        dy = a.base_last - b.base_first
        if dy < -0.5 * a.size:  # b sits above a: a table cell, or a run drawn out of order
            return True
        limit = pitch * 1.3 if abs(a.size - self.body_size) <= 1.0 else 1.6 * max(a.size, b.size)
        if dy > limit:
            return True
        if a.heading:  # a heading wrapped over two lines, unless a numbered one follows
            return bool(_STRONG_NUM.match(b.text) or _WEAK_NUM.match(b.text))
        # Indentation: after its first line a paragraph keeps one left edge (the first line may be
        # indented, or hang out); a change means a new paragraph.
        first_line = a.line_id == cur.lines[0].line_id
        tol = 0.7 * max(a.size, 6.0)
        if not first_line and abs(b.x0 - a.x0) > tol:
            return True
        # A short line closes a paragraph when the next line's first word would have fitted on
        # it. The right edge is the paragraph's own (its widest line, or the next line), not the
        # column's, since a paragraph may have a right indent.
        first_word = b.text.split(None, 1)[0]
        room = (len(first_word) + 1) * 0.5 * b.size
        short = a.x1_last + room < max(cur.right, b.x1) - 1.0
        ended = _ends_sentence(text_a)
        if _WEAK_NUM.match(b.text) and (ended or short):
            return True
        if short and (ended or b.text[:1].isupper() or b.text[:1].isdigit() or b.text[:1] in "(“\"‘'"):
            return True
        return first_line and short and b.x0 > a.x0 + tol

    # -- finishing
    def finish(self) -> list[Block]:
        texts = [_join_parts(d.parts) for d in self.blocks]
        vocab = _DocVocab(texts)
        kinds: list[tuple[str, float | None]] = []
        for d, text in zip(self.blocks, texts, strict=True):
            kind, size = d.kind, None
            if kind == "paragraph":
                if all(ln.heading for ln in d.lines) and len(text) <= 200:
                    kind, size = "heading", max(ln.size for ln in d.lines)
                elif len({ln.line_id for ln in d.lines}) == 1 and _caps_heading(text):
                    kind, size = "heading", d.lines[0].size
            kinds.append((kind, size))
        # heading levels by size: the largest heading size is level 1, the next 2, the rest 3
        sizes = sorted({round(s * 2) / 2 for _, s in kinds if s is not None}, reverse=True)
        ranks = {s: min(i + 1, 3) for i, s in enumerate(sizes)}
        out: list[Block] = []
        for d, text, (kind, size) in zip(self.blocks, texts, kinds, strict=True):
            text = vocab.resolve(text)
            if text:
                level = ranks[round(size * 2) / 2] if size is not None else None
                out.append(
                    Block(
                        text=text, kind=kind, order=len(out), page=d.page, heading_level=level, table=d.table
                    )
                )
        return out


def _cell_parts(raw_lines: list[str]) -> list[str]:
    """A cell's PDFium lines as parts to join, a hyphen at a line end marked for `_DocVocab`."""
    parts: list[str] = []
    for s in raw_lines:
        text = _clean(s)
        if not text:
            continue
        if parts:
            prev = parts[-1]
            if len(prev) > 1 and prev[-1] in _LINE_END_HYPHENS and prev[-2].isalpha() and text[:1].isalpha():
                parts[-1] = prev[:-1] + _MARK
        parts.append(text)
    return parts


def _join_parts(parts: list[str]) -> str:
    """Join line texts with spaces, except after a line-end hyphen marker."""
    out = [parts[0]]
    for prev, part in itertools.pairwise(parts):
        out.append(part if prev.endswith(_MARK) else " " + part)
    return "".join(out)


def _caps_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4 or any(c.islower() for c in letters):
        return False
    return len(text.split()) <= 12 and text.rstrip(_CLOSERS)[-1:] not in ".,;:"


class _DocVocab:
    """Decides, for each word hyphenated at a line end, whether the hyphen is real.

    Evidence, strongest first: the hyphenated form used elsewhere in the document (keep), the
    joined form used elsewhere (join), the joined form an English word (join), a known compound or
    a compound-forming prefix (keep), both halves words in their own right (keep,
    "industry-standard"); otherwise the break is taken to be hyphenation (join).
    """

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.words: set[str] | None = None
        self.compounds: set[str] = set()
        self.cache: dict[tuple[str, str], bool] = {}

    def _load(self) -> None:
        # Unique whitespace tokens first (C speed), then words from those, leaving out the words
        # broken at line ends.
        words: set[str] = set()
        compounds: set[str] = set()
        for token in set("\n".join(self.texts).lower().split()):
            if _MARK in token:
                continue
            for w in _LETTERS_HYPHENS.findall(token):
                if "-" in w:
                    compounds.add(w)
                    words.update(w.split("-"))
                else:
                    words.add(w)
        self.words, self.compounds = words, compounds

    def resolve(self, text: str) -> str:
        if _MARK not in text:
            return text
        return _HYPHENATED.sub(self._decide, text).replace(_MARK, "-")

    def _decide(self, m: re.Match) -> str:
        left, right = m.group(1), m.group(2)
        if not right:
            return left + "-"
        key = (left, right)
        keep = self.cache.get(key)
        if keep is None:
            keep = self.cache[key] = self.keep_hyphen(left, right)
        return left + ("-" if keep else "") + right

    def keep_hyphen(self, left: str, right: str) -> bool:
        if not left[-1].isalpha() or not right[0].isalpha():
            return True
        if right[0].isupper() and not (left.isupper() and right.isupper()):
            return True  # "non-Government", "Sub-Processor" (but "OP-TIONAL" is decided below)
        ll, rl = left.lower(), right.lower()
        if len(ll) == 1:  # "e-mail", "x-ray": hyphenation never leaves one letter behind
            return True
        if self.words is None:
            self._load()
        words = self.words or set()
        joined, hyphened = ll + rl, ll + "-" + rl
        if hyphened in self.compounds:
            return True
        if joined in words:
            return False
        lexicon = _lexicon()
        if joined in lexicon:
            return False
        if hyphened in lexicon or ll in _KEEP_PREFIXES:
            return True
        return len(ll) >= 3 and (ll in words or ll in lexicon) and (rl in words or rl in lexicon)


@functools.lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """English word forms from spacy-lookups-data (a dependency); empty if it cannot be read."""
    try:
        import gzip
        import json
        from importlib import resources

        base = resources.files("spacy_lookups_data") / "data"
        words: set[str] = set()
        lookup = json.loads(gzip.decompress((base / "en_lemma_lookup.json.gz").read_bytes()))
        words.update(k.lower() for k in lookup)
        words.update(v.lower() for v in lookup.values())
        index = json.loads(gzip.decompress((base / "en_lemma_index.json.gz").read_bytes()))
        for forms in index.values():
            words.update(w.lower() for w in forms)
        return frozenset(words)
    except Exception:
        return frozenset()
