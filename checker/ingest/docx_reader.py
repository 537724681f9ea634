"""Read a Word .docx into a `Document`: blocks in reading order, with Word's list numbers.

We read the package with `zipfile` and lxml rather than through python-docx, because python-docx
drops text inside tracked insertions, never renders list numbers and parses parts with a parser we
do not control. What we read, and how:

* body paragraphs in order, as Word shows them with every tracked change accepted: text inside
  `w:ins`/`w:moveTo` is kept, `w:del`/`w:moveFrom` is dropped, a paragraph whose mark was deleted
  runs on into the next one, deleted table rows disappear. Every revision is listed in
  `Document.tracked_changes` and summarised in `Document.notices`;
* the number Word draws for automatic numbering (`docx_numbering`), kept apart from the text;
* headings from heading styles (through `w:basedOn`) and outline levels;
* tables cell by cell in row-major order (merged cells once, nested tables after their cell);
* headers and footers of every section (de-duplicated), footnotes and endnotes in the order they
  are referenced, text boxes once (the DrawingML copy, not its VML fallback), comments with the
  text they are anchored to.

`Block.paragraph` is the position of the paragraph among all `w:p` of the main story in document
order (table cells included, text boxes excluded), counted on the file as saved, so it stays
stable whichever revisions are accepted. A table cell's block carries its first paragraph's index.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from checker.errors import InputError
from checker.ingest.docx_numbering import (
    W_NS,
    W_VAL,
    Label,
    ListState,
    Numbering,
    StyleSheet,
    paragraph_numpr,
)
from checker.ingest.xml_safety import PartParser, open_package, read_member
from checker.model import Block, Comment, Document, TableCell, TrackedChange

__all__ = ["read_docx"]

_W = "{" + W_NS + "}"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

_STRICT = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", W_NS.encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", _R_NS.encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/math", _M[1:-1].encode()),
)

_P = _W + "p"
_R = _W + "r"
_T = _W + "t"
_TBL = _W + "tbl"
_TR = _W + "tr"
_TC = _W + "tc"
_PPR = _W + "pPr"
_RPR = _W + "rPr"
_TRPR = _W + "trPr"
_TCPR = _W + "tcPr"
_TBLGRID = _W + "tblGrid"
_GRIDSPAN = _W + "gridSpan"
_GRIDBEFORE = _W + "gridBefore"
_VMERGE = _W + "vMerge"
_SDT = _W + "sdt"
_SDTCONTENT = _W + "sdtContent"
_CUSTOMXML = _W + "customXml"
_SMARTTAG = _W + "smartTag"
_HYPERLINK = _W + "hyperlink"
_FLDSIMPLE = _W + "fldSimple"
_DIR = _W + "dir"
_BDO = _W + "bdo"
_INS = _W + "ins"
_DEL = _W + "del"
_MOVETO = _W + "moveTo"
_MOVEFROM = _W + "moveFrom"
_DELTEXT = _W + "delText"
_TAB = _W + "tab"
_PTAB = _W + "ptab"
_BR = _W + "br"
_CR = _W + "cr"
_NBHYPHEN = _W + "noBreakHyphen"
_SOFTHYPHEN = _W + "softHyphen"
_FLDCHAR = _W + "fldChar"
_FLDCHARTYPE = _W + "fldCharType"
_VANISH = _W + "vanish"
_DRAWING = _W + "drawing"
_PICT = _W + "pict"
_OBJECT = _W + "object"
_TXBX = _W + "txbxContent"
_ALT = _MC + "AlternateContent"
_CHOICE = _MC + "Choice"
_FALLBACK = _MC + "Fallback"
_FOOTNOTEREF = _W + "footnoteReference"
_ENDNOTEREF = _W + "endnoteReference"
_COMMENTREF = _W + "commentReference"
_CR_START = _W + "commentRangeStart"
_CR_END = _W + "commentRangeEnd"
_OUTLINE = _W + "outlineLvl"
_ALTCHUNK = _W + "altChunk"
_SECTPR = _W + "sectPr"
_HEADERREF = _W + "headerReference"
_FOOTERREF = _W + "footerReference"
_BODY = _W + "body"
_ID = _W + "id"
_TYPE = _W + "type"
_AUTHOR = _W + "author"
_R_ID = "{" + _R_NS + "}id"
_OMATH = _M + "oMath"
_RUBY = _W + "ruby"
_RUBYBASE = _W + "rubyBase"
_OMATHPARA = _M + "oMathPara"
_MT = _M + "t"
_FORMAT_CHANGES = tuple(
    _W + t
    for t in (
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "trPrChange",
        "tcPrChange",
        "tblGridChange",
        "numberingChange",
    )
)
_FALSE = {"0", "false", "off"}

# wrappers whose children are read as if they were inline in the paragraph
_TRANSPARENT = frozenset({_HYPERLINK, _SMARTTAG, _CUSTOMXML, _FLDSIMPLE, _DIR, _BDO})
_SKIP_NOTE_TYPES = {"separator", "continuationSeparator", "continuationNotice"}

_REL_SUFFIXES = {
    "styles": "/styles",
    "numbering": "/numbering",
    "footnotes": "/footnotes",
    "endnotes": "/endnotes",
    "comments": "/comments",
    "commentsExtended": "/commentsExtended",
}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _hidden(rpr: etree._Element) -> bool:
    v = rpr.find(_VANISH)
    if v is None:
        return False
    val = v.get(W_VAL)
    return val is None or val.lower() not in _FALSE


# --------------------------------------------------------------------------------------------
# package


class _Package:
    """The parts of one .docx, read lazily and safely."""

    def __init__(self, subject: str, data: bytes) -> None:
        self.subject = subject
        self.zf = open_package(subject, data)
        self.names = {info.filename.lower().lstrip("/"): info.filename for info in self.zf.infolist()}
        self.parser = PartParser(subject)

    def has(self, name: str) -> bool:
        return name.lower() in self.names

    def xml(self, name: str, *, styles: bool = False) -> etree._Element | None:
        real = self.names.get(name.lower())
        if real is None:
            return None
        data = read_member(self.subject, self.zf, real)
        if b"purl.oclc.org/ooxml" in data:  # ISO 29500 Strict: map to the transitional namespaces
            for strict, transitional in _STRICT:
                data = data.replace(strict, transitional)
        if styles:
            lean = _drop_unused_styles(data)
            if lean is not data:
                try:
                    return self.parser.parse(name, lean)
                except InputError:
                    pass  # let the whole part speak for itself
        return self.parser.parse(name, data)

    def rels(self, part: str) -> dict[str, tuple[str, str | None]]:
        """rId -> (relationship type, absolute part name or None if external) for `part`."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        out: dict[str, tuple[str, str | None]] = {}
        if root is None:
            return out
        for rel in root.iter(_PKG_REL):
            rid, rtype, target = rel.get("Id"), rel.get("Type") or "", rel.get("Target") or ""
            if rid is None:
                continue
            if (rel.get("TargetMode") or "").lower() == "external":
                out[rid] = (rtype, None)
                continue
            name = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            out[rid] = (rtype, posixpath.normpath(name))
        return out

    def main_part(self) -> str:
        for rtype, name in self.rels("").values():
            if rtype.endswith("/officeDocument") and name and self.has(name):
                return name
        if self.has("word/document.xml"):
            return "word/document.xml"
        raise InputError(self.subject, "not a Word document: the package has no main document part")


def _cut(data: bytes, start: bytes, end: bytes) -> bytes:
    parts: list[bytes] = []
    pos = 0
    while True:
        i = data.find(start, pos)
        if i < 0:
            break
        gt = data.find(b">", i)
        if gt < 0:
            return data
        if data[gt - 1] == 0x2F:  # <... /> has no content
            parts.append(data[pos:i])
            pos = gt + 1
            continue
        j = data.find(end, gt)
        if j < 0:
            return data
        parts.append(data[pos:i])
        pos = j + len(end)
    if not parts:
        return data
    parts.append(data[pos:])
    return b"".join(parts)


def _drop_unused_styles(data: bytes) -> bytes:
    """styles.xml without table styles and latent-style lists, which we never read.

    python-docx's template carries 350 KB of them (parsing them would be a third of the time of
    reading a whole contract). Elements are cut only where Word's own spelling is found; the
    result is parsed like any part, and the original is parsed instead if that fails.
    """
    data = _cut(data, b"<w:latentStyles", b"</w:latentStyles>")
    return _cut(data, b'<w:style w:type="table"', b"</w:style>")


# --------------------------------------------------------------------------------------------
# reader


class _Reader:
    def __init__(self, styles: StyleSheet, numbering: Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.state = ListState(numbering)
        self.raw: list[tuple] = []  # (kind, text, paragraph, heading, label, style, cell)
        self.para = -1  # index of the current main-story paragraph
        self.tables = -1
        self.main = True  # reading the main story (not a header, note, text box or comment)
        self.changes: list[TrackedChange] = []
        self.fields: list[bool] = []  # complex-field stack: True while in a field's instruction
        self.textboxes: list[etree._Element] = []
        self.hidden_runs = 0
        self.alt_chunks = 0
        self.note_refs: list[tuple[str, str]] = []
        # comment anchoring: id -> collected text / start offset in the paragraph buffer / paragraph
        self.c_text: dict[str, list[str]] = {}
        self.c_start: dict[str, int] = {}
        self.c_para: dict[str, int] = {}
        self.c_anchor: dict[str, str] = {}
        self.c_seen: set[str] = set()  # comments referenced from any story

    # ---- text of one paragraph ------------------------------------------------------------

    def _record(self, kind: str, el: etree._Element, text: str) -> None:
        text = _norm(text)
        if text:
            self.changes.append(
                TrackedChange(kind, el.get(_AUTHOR), self.para if self.main else None, text)  # type: ignore[arg-type]
            )

    def _collect(self, el: etree._Element, out: list[str]) -> None:
        """Append the accepted text of the inline content of `el` (a paragraph or wrapper) to `out`."""
        for ch in el:
            tag = ch.tag
            if tag == _R:
                self._run(ch, out)
            elif tag in _TRANSPARENT:
                self._collect(ch, out)
            elif tag in (_INS, _MOVETO):
                start = len(out)
                self._collect(ch, out)
                self._record("insertion" if tag == _INS else "move", ch, "".join(out[start:]))
            elif tag == _DEL:
                self._record("deletion", ch, "".join(t.text or "" for t in ch.iter(_DELTEXT, _T)))
            elif tag == _MOVEFROM:
                pass  # the moved text is read (and recorded) where it was moved to
            elif tag == _SDT:
                content = ch.find(_SDTCONTENT)
                if content is not None:
                    self._collect(content, out)
            elif tag == _CR_START:
                cid = ch.get(_ID) or ""
                self.c_seen.add(cid)
                if self.main:
                    self.c_text[cid] = []
                    self.c_start[cid] = len(out)
                    self.c_para.setdefault(cid, self.para)
            elif tag == _CR_END:
                if self.main:
                    cid = ch.get(_ID) or ""
                    if cid in self.c_start:
                        done = self.c_text.pop(cid)
                        done.append("".join(out[self.c_start.pop(cid) :]))
                        self.c_anchor[cid] = "".join(done)
            elif tag == _ALT:
                choice = ch.find(_CHOICE)
                if choice is None:
                    choice = ch.find(_FALLBACK)
                if choice is not None:
                    self._collect(choice, out)
            elif tag == _RUBY:
                base = ch.find(_RUBYBASE)
                if base is not None:
                    self._collect(base, out)
            elif tag in (_OMATHPARA, _OMATH):
                out.append("".join(t.text or "" for t in ch.iter(_MT)))

    def _run(self, r: etree._Element, out: list[str]) -> None:
        fields = self.fields
        shown = True  # hidden runs still count for field structure, but show no text
        for c in r:
            tag = c.tag
            if tag == _T:
                if shown and (not fields or True not in fields):
                    out.append(c.text or "")
            elif tag == _RPR:
                if _hidden(c):
                    self.hidden_runs += 1
                    shown = False
            elif tag in (_TAB, _BR, _CR, _PTAB):
                if shown:
                    out.append(" ")
            elif tag == _FLDCHAR:
                kind = c.get(_FLDCHARTYPE)
                if kind == "begin":
                    fields.append(True)
                elif kind == "separate":
                    if fields:
                        fields[-1] = False
                elif kind == "end" and fields:
                    fields.pop()
            elif tag == _NBHYPHEN:
                if shown:
                    out.append("-")
            elif tag in (_FOOTNOTEREF, _ENDNOTEREF):
                self.note_refs.append(("footnote" if tag == _FOOTNOTEREF else "endnote", c.get(_ID) or ""))
            elif tag == _COMMENTREF:
                cid = c.get(_ID) or ""
                self.c_seen.add(cid)
                if self.main:
                    self.c_para.setdefault(cid, self.para)
            elif tag in (_DRAWING, _PICT, _OBJECT):
                self._find_textboxes(c)
            elif tag == _ALT:
                choice = c.find(_CHOICE)
                self._find_textboxes(choice if choice is not None else c)

    def _find_textboxes(self, el: etree._Element) -> None:
        found = list(el.iter(_TXBX))
        if len(found) > 1:  # keep the outermost ones; nested boxes are found when those are read
            inner = {id(x) for f in found for x in f.iter(_TXBX) if x is not f}
            found = [f for f in found if id(f) not in inner]
        self.textboxes.extend(found)

    def _paragraph_text(self, p: etree._Element) -> tuple[str, bool]:
        """(accepted text, paragraph mark deleted?) of one `w:p`."""
        out: list[str] = []
        before = len(self.changes)
        self._collect(p, out)
        if self.fields:  # an instruction never spans paragraphs; drop unbalanced field starts
            self.fields = [f for f in self.fields if not f]
        if self.c_start and self.main:  # comment ranges still open at the end of the paragraph
            for cid, start in self.c_start.items():
                self.c_text[cid].append("".join(out[start:]) + " ")
                self.c_start[cid] = 0
        deleted = False
        ppr = p.find(_PPR)
        if ppr is not None:
            rpr = ppr.find(_RPR)
            if rpr is not None and (rpr.find(_DEL) is not None or rpr.find(_MOVEFROM) is not None):
                deleted = True
                mark = rpr.find(_DEL)
                if mark is not None and not any(c.kind == "deletion" for c in self.changes[before:]):
                    # only the paragraph break was deleted: two paragraphs become one
                    self.changes.append(
                        TrackedChange("deletion", mark.get(_AUTHOR), self.para if self.main else None, "¶")
                    )
        return "".join(out), deleted

    # ---- block structure --------------------------------------------------------------------

    @staticmethod
    def _blocks(container: etree._Element) -> Iterator[etree._Element]:
        """Block-level children (paragraphs, tables, comment range marks), through content controls."""
        for ch in container:
            tag = ch.tag
            if tag == _SDT:
                content = ch.find(_SDTCONTENT)
                if content is not None:
                    yield from _Reader._blocks(content)
            elif tag in (_CUSTOMXML, _INS, _MOVETO):
                yield from _Reader._blocks(ch)
            elif tag == _ALT:
                choice = ch.find(_CHOICE)
                if choice is not None:
                    yield from _Reader._blocks(choice)
            else:
                yield ch

    def container(self, el: etree._Element, sink: list[str] | None) -> None:
        """Read paragraphs and tables of `el`; body blocks go to `self.raw`, else lines to `sink`."""
        carry: tuple[str, int, etree._Element] | None = None  # paragraph whose mark was deleted
        for ch in self._blocks(el):
            tag = ch.tag
            if tag == _P:
                if self.main:
                    self.para += 1
                index = self.para
                props = ch
                text, deleted = self._paragraph_text(ch)
                if carry is not None:
                    # Accepting a deleted paragraph mark joins the paragraph to the next one. Like
                    # LibreOffice's Accept All, the joined paragraph keeps the first one's
                    # properties (numbering, style), unless nothing of the first one survives.
                    if carry[0]:
                        text = carry[0] + text
                        index, props = carry[1], carry[2]
                    carry = None
                if deleted:
                    carry = (text, index, props)
                    continue
                self._emit(props, text, index, sink)
            elif tag == _TBL:
                if carry is not None:
                    self._emit(carry[2], carry[0], carry[1], sink)
                    carry = None
                self._table(ch, sink)
            elif tag == _CR_START and self.main:
                cid = ch.get(_ID) or ""
                self.c_seen.add(cid)
                self.c_text[cid] = []
                self.c_start[cid] = 0
                self.c_para.setdefault(cid, self.para + 1)
            elif tag == _CR_END and self.main:
                cid = ch.get(_ID) or ""
                if cid in self.c_start:
                    del self.c_start[cid]
                    self.c_anchor[cid] = "".join(self.c_text.pop(cid))
            elif tag == _ALTCHUNK:
                self.alt_chunks += 1
        if carry is not None:
            self._emit(carry[2], carry[0], carry[1], sink)

    def _emit(self, p: etree._Element, text: str, index: int, sink: list[str] | None) -> None:
        ppr = p.find(_PPR)
        style_id, num_id, ilvl = paragraph_numpr(ppr)
        style_id = self.styles.effective(style_id)
        if not text and ppr is not None and ppr.find(_SECTPR) is not None:
            label = None  # an empty paragraph that only carries a section break is never numbered
        else:
            label = self.state.paragraph(style_id, num_id, ilvl)
        text = _norm(text)
        if sink is not None:
            if text:
                sink.append(f"{label.text} {text}" if label is not None and label.text else text)
            if self.textboxes and not self.main:  # main-story cells flush theirs after the cell
                self._flush_textboxes(sink)
            return
        if text:
            heading = None
            outline = ppr.find(_OUTLINE) if ppr is not None else None
            if outline is not None:
                v = outline.get(W_VAL)
                if v is not None and v.isdigit() and int(v) < 9:
                    heading = int(v) + 1
            else:
                heading = self.styles.heading_level(style_id)
            self.raw.append(
                (
                    "heading" if heading is not None else "paragraph",
                    text,
                    index,
                    heading,
                    label,
                    self.styles.display_name(style_id),
                    None,
                )
            )
        if self.textboxes:
            self._flush_textboxes(None)

    def _table(self, tbl: etree._Element, sink: list[str] | None) -> None:
        if self.main:
            self.tables += 1
        table = self.tables
        row = -1
        for tr in self._rows(tbl):
            trpr = tr.find(_TRPR)
            if trpr is not None:
                gone = trpr.find(_DEL)
                if gone is not None:  # a deleted row disappears when changes are accepted
                    first = self.para + 1
                    if self.main:
                        self.para += _count_paragraphs(tr)
                    text = " | ".join(
                        _norm("".join(t.text or "" for t in tc.iter(_T, _DELTEXT))) for tc in tr.iter(_TC)
                    )
                    if _norm(text.replace("|", "")):
                        self.changes.append(
                            TrackedChange("deletion", gone.get(_AUTHOR), first if self.main else None, text)
                        )
                    continue
            row += 1
            col = 0
            if trpr is not None:
                gb = trpr.find(_GRIDBEFORE)
                if gb is not None and (gb.get(W_VAL) or "").isdigit():
                    col = int(gb.get(W_VAL))  # type: ignore[arg-type]
            for tc in self._cells(tr):
                span = 1
                tcpr = tc.find(_TCPR)
                if tcpr is not None:
                    gs = tcpr.find(_GRIDSPAN)
                    if gs is not None and (gs.get(W_VAL) or "").isdigit():
                        span = max(1, int(gs.get(W_VAL)))  # type: ignore[arg-type]
                    vm = tcpr.find(_VMERGE)
                    if vm is not None and (vm.get(W_VAL) or "continue") != "restart":
                        # continuation of a vertically merged cell: shown once, in its first row
                        if self.main:
                            self.para += _count_paragraphs(tc)
                        col += span
                        continue
                if not self.main:  # tables outside the main story become lines of their story
                    self.container(tc, sink)
                else:
                    lines: list[str] = []
                    at = len(self.raw)
                    first = self.para + 1
                    self.container(tc, lines)
                    text = "\n".join(lines)
                    if text:
                        self.raw.insert(at, ("table_cell", text, first, None, None, None, (table, row, col)))
                    if self.textboxes:
                        self._flush_textboxes(None)
                col += span

    @staticmethod
    def _rows(tbl: etree._Element) -> Iterator[etree._Element]:
        return _Reader._children(tbl, _TR)

    @staticmethod
    def _cells(tr: etree._Element) -> Iterator[etree._Element]:
        return _Reader._children(tr, _TC)

    @staticmethod
    def _children(parent: etree._Element, wanted: str) -> Iterator[etree._Element]:
        """Rows of a table or cells of a row, looking through content controls and custom XML."""
        for ch in parent:
            tag = ch.tag
            if tag == wanted:
                yield ch
            elif tag in (_SDT, _CUSTOMXML):
                inner = ch.find(_SDTCONTENT) if tag == _SDT else ch
                if inner is not None:
                    yield from _Reader._children(inner, wanted)

    # ---- other stories ----------------------------------------------------------------------

    def story(self, el: etree._Element) -> str:
        """Text of a story outside the main one (header, note, text box, comment), one line a paragraph."""
        saved = (self.main, self.state, self.fields)
        self.main, self.state, self.fields = False, ListState(self.numbering), []
        lines: list[str] = []
        try:
            self.container(el, lines)
        finally:
            self.main, self.state, self.fields = saved
        return "\n".join(lines)

    def _flush_textboxes(self, sink: list[str] | None) -> None:
        boxes, self.textboxes = self.textboxes, []
        for box in boxes:  # boxes nested in these are flushed inside `story`
            text = self.story(box)
            if not text:
                continue
            if sink is not None:
                sink.append(text)
            else:
                self.raw.append(("textbox", text, None, None, None, None, None))


def _count_paragraphs(el: etree._Element) -> int:
    """Main-story paragraphs under `el` (text-box paragraphs are a story of their own)."""
    n = 0
    for p in el.iter(_P):
        for anc in p.iterancestors():
            if anc is el:
                n += 1
                break
            if anc.tag == _TXBX:
                break
    return n


def _join(names: list[str]) -> str:
    if len(names) > 3:
        return f"{', '.join(names[:3])} and {len(names) - 3} other{'s' if len(names) > 4 else ''}"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def read_docx(path: Path, data: bytes, sha256: str) -> Document:
    """Read a .docx (bytes already loaded) into a `Document`; `InputError` for anything unreadable."""
    subject = str(path)
    pkg = _Package(subject, data)
    main = pkg.main_part()
    root = pkg.xml(main)
    if root is None or root.tag != _W + "document":
        raise InputError(subject, f"not a Word document: main part {main} is not a WordprocessingML document")
    body = root.find(_BODY)
    rels = pkg.rels(main)
    by_kind: dict[str, str] = {}
    for rtype, name in rels.values():
        if name is None:
            continue
        for kind, suffix in _REL_SUFFIXES.items():
            if rtype.endswith(suffix) and kind not in by_kind:
                by_kind[kind] = name

    def part(kind: str, default: str) -> etree._Element | None:
        return pkg.xml(by_kind.get(kind, default))

    styles = StyleSheet(pkg.xml(by_kind.get("styles", "word/styles.xml"), styles=True))
    numbering = Numbering(part("numbering", "word/numbering.xml"), styles)
    reader = _Reader(styles, numbering)
    if body is not None:
        reader.container(body, None)
    body_raw = reader.raw
    reader.raw = []

    # headers and footers of every section, in section order, each part once
    headers: list[str] = []
    footers: list[str] = []
    seen_parts: set[str] = set()
    if body is not None:
        for sect in body.iter(_SECTPR):
            if sect.getparent().tag == _W + "sectPrChange":
                continue
            for ref in sect:
                if ref.tag not in (_HEADERREF, _FOOTERREF):
                    continue
                target = rels.get(ref.get(_R_ID) or "")
                if target is None or target[1] is None or target[1] in seen_parts:
                    continue
                seen_parts.add(target[1])
                story_root = pkg.xml(target[1])
                if story_root is not None:
                    text = reader.story(story_root)
                    (headers if ref.tag == _HEADERREF else footers).append(text)

    # notes in the order they are referenced from the text
    notes: dict[str, dict[str, etree._Element]] = {}
    for kind in ("footnote", "endnote"):
        notes[kind] = {}
        if any(k == kind for k, _ in reader.note_refs):
            nroot = part(kind + "s", f"word/{kind}s.xml")
            if nroot is not None:
                for note in nroot.iterchildren(_W + kind):
                    if (note.get(_TYPE) or "normal") not in _SKIP_NOTE_TYPES:
                        notes[kind].setdefault(note.get(_ID) or "", note)
    note_blocks: list[tuple[str, str]] = []
    done_notes: set[tuple[str, str]] = set()
    i = 0
    while i < len(reader.note_refs):  # a note may reference another note
        key = reader.note_refs[i]
        i += 1
        if key in done_notes or key[1] not in notes[key[0]]:
            continue
        done_notes.add(key)
        text = reader.story(notes[key[0]][key[1]])
        if text:
            note_blocks.append((key[0], text))

    # comments
    comments: list[Comment] = []
    resolved = 0
    croot = part("comments", "word/comments.xml") if "comments" in by_kind else None
    if croot is not None:
        done_ids: set[str] = set()
        if "commentsExtended" in by_kind:
            xroot = pkg.xml(by_kind["commentsExtended"])
            if xroot is not None:
                for ex in xroot.iter(_W15 + "commentEx"):
                    if (ex.get(_W15 + "done") or "0") in ("1", "true"):
                        done_ids.add(ex.get(_W15 + "paraId") or "")
        for c in croot.iterchildren(_W + "comment"):
            cid = c.get(_ID) or ""
            if cid not in reader.c_seen:
                continue  # not referenced from the (accepted) text: Word does not show it
            anchor = reader.c_anchor.get(cid)
            anchor = _norm(anchor) if anchor else None
            comments.append(Comment(c.get(_AUTHOR), reader.story(c), anchor or None, reader.c_para.get(cid)))
            if done_ids:
                paras = c.findall(_P)
                if paras and (paras[-1].get(_W14 + "paraId") or "") in done_ids:
                    resolved += 1

    # assemble blocks in reading order
    blocks: list[Block] = []

    def add(kind, text, paragraph=None, heading=None, label=None, style=None, cell=None) -> None:
        lab: Label | None = label
        blocks.append(
            Block(
                text=text,
                kind=kind,
                order=len(blocks),
                paragraph=paragraph,
                heading_level=heading,
                list_number=lab.text if lab is not None else None,
                list_level=lab.level if lab is not None else None,
                table=TableCell(*cell) if cell is not None else None,
                style=style,
            )
        )

    seen_text: set[tuple[str, str]] = set()
    for text in headers:
        if text and ("header", text) not in seen_text:
            seen_text.add(("header", text))
            add("header", text)
    for raw in body_raw:
        add(*raw)
    for text in footers:
        if text and ("footer", text) not in seen_text:
            seen_text.add(("footer", text))
            add("footer", text)
    for kind, text in note_blocks:
        add(kind, text)

    notices = _notices(reader, comments, resolved, body)
    return Document(
        path=subject,
        sha256=sha256,
        format="docx",
        blocks=blocks,
        pages=None,
        tracked_changes=reader.changes,
        comments=comments,
        notices=notices,
    )


def _notices(
    reader: _Reader, comments: list[Comment], resolved: int, body: etree._Element | None
) -> list[str]:
    notices: list[str] = []
    changes = reader.changes
    if changes:
        counts = {"insertion": 0, "deletion": 0, "move": 0}
        authors: list[str] = []
        for ch in changes:
            counts[ch.kind] += 1
            who = ch.author or "an unknown author"
            if who not in authors:
                authors.append(who)
        parts = ", ".join(f"{k}s {n}" for k, n in counts.items() if n)
        notices.append(
            f"{len(changes)} unresolved tracked change{'' if len(changes) == 1 else 's'} ({parts}) "
            f"by {_join(authors)}; read as if accepted"
        )
    if body is not None:
        fmt = sum(1 for _ in body.iter(*_FORMAT_CHANGES))
        if fmt:
            notices.append(
                f"{_plural(fmt, 'tracked formatting change')} (no text changed); read as if accepted"
            )
    if comments:
        extra = f" ({resolved} marked resolved)" if resolved else ""
        notices.append(f"{_plural(len(comments), 'comment')}{extra}")
    if reader.hidden_runs:
        notices.append(f"{_plural(reader.hidden_runs, 'run')} of hidden text ignored")
    if reader.alt_chunks:
        notices.append(f"{_plural(reader.alt_chunks, 'embedded document chunk')} (w:altChunk) not read")
    return notices
