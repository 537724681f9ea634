"""The document model every parser produces and every later stage reads.

Parsers stop at `Document`: a flat list of `Block`s in reading order, each carrying where it came
from (page, paragraph, table cell, heading level, Word list number). Segmentation is a pure
function of blocks, so a new input format only has to produce blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal[
    "paragraph",  # ordinary body text (numbered or not)
    "heading",  # a heading (Word heading style, PDF bold/short line, Markdown '#')
    "table_cell",  # text of one table cell
    "header",  # running header text (kept for the record, never a clause)
    "footer",  # running footer text (kept for the record, never a clause)
    "footnote",
    "endnote",
    "textbox",
]

Format = Literal["pdf", "docx", "text"]


@dataclass(frozen=True, slots=True)
class TableCell:
    """Where a table cell sits: table index in the document, row and column (0-based)."""

    table: int
    row: int
    col: int


@dataclass(frozen=True, slots=True)
class Block:
    """One run of text with its location.

    `list_number` is the number Word renders for automatic numbering (e.g. "12.3" or "(a)");
    it is kept apart from `text` because python-docx never includes it and PDF/text parsers
    leave numbers inside `text` for the segmenter to find.
    """

    text: str
    kind: BlockKind = "paragraph"
    order: int = 0
    page: int | None = None
    paragraph: int | None = None
    heading_level: int | None = None
    list_number: str | None = None
    list_level: int | None = None
    table: TableCell | None = None
    style: str | None = None


@dataclass(frozen=True, slots=True)
class TrackedChange:
    """An unresolved revision in a Word file (text is read as if it were accepted)."""

    kind: Literal["insertion", "deletion", "move"]
    author: str | None
    paragraph: int | None
    text: str


@dataclass(frozen=True, slots=True)
class Comment:
    """A reviewer comment, kept so the report can show that one was left unresolved."""

    author: str | None
    text: str
    anchor: str | None = None
    paragraph: int | None = None


@dataclass(slots=True)
class Document:
    """A parsed contract: blocks in reading order plus facts about the file."""

    path: str
    sha256: str
    format: Format
    blocks: list[Block]
    pages: int | None = None
    tracked_changes: list[TrackedChange] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    ocr: bool = False
    notices: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        """Words of contract text (running headers and footers excluded)."""
        return sum(len(b.text.split()) for b in self.blocks if b.kind not in ("header", "footer"))


@dataclass(frozen=True, slots=True)
class Clause:
    """A unit of the contract a reader can cite: a numbered clause, sub-clause or paragraph.

    `number` is the full reference a reader would write ("12.3(a)", "Schedule 2, 4.1");
    `context` holds the text of the headings and lead-ins above it ("The Provider must:"),
    which the matcher reads with the clause because sub-clauses rarely repeat their subject.
    """

    index: int
    text: str
    number: str | None
    heading: str | None
    page: int | None
    level: int
    parent: int | None
    block_order: int
    kind: BlockKind = "paragraph"
    context: str = ""
    schedule: str | None = None


@dataclass(frozen=True, slots=True)
class Definition:
    """A defined term ("Personal Information" means ...) and the clause that defines it."""

    term: str
    text: str
    clause: int


@dataclass(slots=True)
class SegmentedDocument:
    """The clause tree of one document, with its defined terms."""

    document: Document
    clauses: list[Clause]
    definitions: list[Definition] = field(default_factory=list)
