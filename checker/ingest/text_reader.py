"""Plain text and Markdown contracts: decode, then split into paragraph blocks.

Numbers stay inside the text (the segmenter reads them). A line that starts with a clause
number starts a new block even without a blank line before it, because many text exports put
one clause per line.
"""

from __future__ import annotations

import re
from pathlib import Path

from checker.errors import InputError
from checker.model import Block, Document, TableCell

# A line that opens a new clause: "12.", "12.3", "(a)", "a)", "iv.", "Schedule 2", "Clause 4".
NUMBER_START = re.compile(
    r"""^\s*(?:
        \d+(?:\.\d+)*\.?\s |            # 12. / 12.3 / 12.3.1
        \(\s*[a-zA-Z0-9]{1,5}\s*\)\s |  # (a) / (iv) / (12)
        [a-z]{1,2}[.)]\s |              # a) / b.
        [ivxlc]{1,6}[.)]\s |            # iv)
        (?:schedule|annex|appendix|part|attachment|clause|section)\s+[0-9A-Z]{1,4}\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^\s*[-*+•]\s+")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")


def decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8/UTF-16 (with BOM) or Windows-1252 text; refuse binary content."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(str(path), "damaged UTF-16 text") from None
    if b"\x00" in data[:8192]:
        raise InputError(str(path), "binary content, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_text(path: Path, data: bytes, sha256: str) -> Document:
    text = decode_text(path, data).replace("\r\n", "\n").replace("\r", "\n")
    markdown = path.suffix.lower() in (".md", ".markdown") or bool(re.search(r"(?m)^#{1,6} \S", text))
    if markdown:
        text = _html_to_text(text)
    blocks = _blocks(text, markdown)
    if not blocks:
        raise InputError(str(path), "no text found in file")
    return Document(path=str(path), sha256=sha256, format="text", blocks=blocks, pages=None)


def _blocks(text: str, markdown: bool) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    table_index = -1
    table_row = 0
    in_table = False

    def flush() -> None:
        if para:
            joined = " ".join(s.strip() for s in para if s.strip())
            if joined:
                blocks.append(_block(joined, len(blocks), markdown))
            para.clear()

    for raw in text.split("\n"):
        line = raw.replace("\f", "").rstrip()
        if markdown and line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            flush()
            if not in_table:
                in_table, table_index, table_row = True, table_index + 1, 0
            if _MD_TABLE_RULE.match(line):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            for col, cell in enumerate(cells):
                if cell := _clean_md(cell):
                    _append(blocks, cell, kind="table_cell", table=TableCell(table_index, table_row, col))
            table_row += 1
            continue
        in_table = False
        if not line.strip():
            flush()
            continue
        if markdown and (m := _MD_HEADING.match(line)):
            flush()
            if title := _clean_md(m.group(2)):
                _append(blocks, title, kind="heading", heading_level=len(m.group(1)))
            continue
        if markdown and _MD_BULLET.match(line):
            flush()
            line = _MD_BULLET.sub("", line)
        elif NUMBER_START.match(line) or (para and _ends_paragraph(para[-1], line)):
            flush()
        para.append(line)
    flush()
    return blocks


def _append(blocks: list[Block], text: str, **where) -> None:
    blocks.append(Block(text=text, order=len(blocks), paragraph=len(blocks), **where))


def _ends_paragraph(previous: str, line: str) -> bool:
    """Hard-wrapped text continues mid-sentence; a finished sentence followed by a capital,
    quote or bullet starts a new paragraph (one clause per line is common in text exports)."""
    prev = previous.rstrip()
    nxt = line.lstrip()[:1]
    return prev.endswith((".", ";", ":", "?", "!", '"', "”")) and (nxt.isupper() or nxt in "\"“'‘•-–")


def _block(text: str, order: int, markdown: bool) -> Block:
    if markdown:
        text = _clean_md(text.lstrip("> "))
    kind = "heading" if _looks_like_heading(text) else "paragraph"
    return Block(
        text=text, kind=kind, order=order, paragraph=order, heading_level=1 if kind == "heading" else None
    )


_HTML_BREAK = re.compile(r"</?(?:li|p|br|ol|ul|div|tr|h[1-6]|blockquote)\b[^>]*>", re.I)
_HTML_TAG = re.compile(r"</?[a-zA-Z][\w:-]*(?:\s[^<>]*)?/?>")


def _html_to_text(text: str) -> str:
    """Markdown often carries inline HTML lists and paragraphs: each item becomes its own block."""
    text = _HTML_BREAK.sub("\n\n", text)
    text = _HTML_TAG.sub("", text)
    return text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def _clean_md(text: str) -> str:
    text = _MD_EMPHASIS.sub("", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links: keep the words
    return text.replace("\\", "").strip()


def _looks_like_heading(text: str) -> bool:
    """Short unnumbered lines in capitals ("PRIVACY AND SECURITY") are headings."""
    if NUMBER_START.match(text + " ") or len(text) > 80 or text.endswith((".", ";", ",", ":")):
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)
