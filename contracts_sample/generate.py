#!/usr/bin/env python3
"""Regenerate the sample contract corpus in ``contracts_sample/``.

Run from the repository root::

    .venv/bin/python contracts_sample/generate.py

Each sample is written from a source file in ``contracts_sample/_src/*.src`` (a small line-based markup,
described below).  DOCX samples are written with python-docx and use real Word automatic numbering
(``w:numPr`` paragraphs pointing at ``w:abstractNum`` definitions added to ``numbering.xml``), Heading
styles, tables, headers and footers.  PDF samples are built the same way into a temporary directory and
exported by LibreOffice (``soffice --headless --convert-to pdf``).  Text and Markdown samples type their
clause numbers into the text.  Output is deterministic: the same sources give the same DOCX bytes (fixed
core properties and zip timestamps) and the same text; PDFs carry LibreOffice's own timestamps.

Source markup (one block per line; blank lines and lines starting with ``//`` are ignored)::

    key: value            header lines up to a line '==='
                          (file, numbering, font, margins, header, footer, replace)
    = Title               document title                     ^ text   centred bold line
    ~ text                centred line                       > text   unnumbered continuation at level 1 (>> 2, >>> 3)
    # Heading             Heading 1, numbered at level 0     #: text  Heading 1, not numbered
    ## Heading            Heading 2, not numbered            + text   level-0 numbered paragraph
    - text                level-1 clause (e.g. 12.3)         -- text  level-2 item (e.g. (a))
    --- text              level-3 item (e.g. (i))            @ text   recital (A., B., ...) own list
    | a | b | c           table row (first row is the header)  plain text: ordinary paragraph
    !restart [N]          start a new, independent numbered list (level 0 restarts at N, default 1)
    !pagebreak            page break
    !section landscape|portrait|cols2|cols1   new section (page or continuous for columns)
    !include NAME         insert a block from _src/general_clauses.pool
    {#key} at the start of a numbered item names it; {ref:key} elsewhere prints its number.
    **text** is bold in DOCX/PDF; the asterisks are dropped in plain text and kept in Markdown.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
SRC_DIR = HERE / "_src"
POOL_FILE = SRC_DIR / "general_clauses.pool"
FIXED_TIME = datetime(2024, 7, 1, 9, 0, 0, tzinfo=UTC)
ZIP_TIME = (2024, 7, 1, 9, 0, 0)

# Numbering schemes: per level (numFmt, lvlText).  Levels 0-3.
SCHEMES: dict[str, list[tuple[str, str]]] = {
    "std": [("decimal", "%1."), ("decimal", "%1.%2"), ("lowerLetter", "(%3)"), ("lowerRoman", "(%4)")],
    "nodot": [("decimal", "%1"), ("decimal", "%1.%2"), ("lowerLetter", "(%3)"), ("lowerRoman", "(%4)")],
    "letter": [("decimal", "%1."), ("lowerLetter", "(%2)"), ("lowerRoman", "(%3)"), ("upperLetter", "(%4)")],
}
RECITAL_SCHEME = [("upperLetter", "%1.")]


# --------------------------------------------------------------------------------------------------
# number formatting shared by all outputs


def fmt_number(kind: str, n: int) -> str:
    if kind == "decimal":
        return str(n)
    if kind in ("lowerLetter", "upperLetter"):
        s = ""
        while n:
            n, r = divmod(n - 1, 26)
            s = chr(ord("a") + r) + s
        return s if kind == "lowerLetter" else s.upper()
    if kind == "lowerRoman":
        vals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        s = ""
        for v, r in vals:
            while n >= v:
                s += r
                n -= v
        return s
    raise ValueError(kind)


def render_label(scheme: list[tuple[str, str]], level: int, counters: list[int]) -> str:
    text = scheme[level][1]
    for i in range(level + 1):
        text = text.replace(f"%{i + 1}", fmt_number(scheme[i][0], counters[i]))
    return text


def ref_string(scheme_name: str, level: int, counters: list[int]) -> str:
    """The way a drafter cites an item: 14, 14.2, 14.2(a), 14.2(a)(i) (or 3(a) for letter style)."""
    scheme = SCHEMES[scheme_name]
    if scheme_name == "letter":
        out = str(counters[0])
        for i in range(1, level + 1):
            out += "(" + fmt_number(scheme[i][0], counters[i]) + ")"
        return out
    out = str(counters[0])
    if level >= 1:
        out += "." + str(counters[1])
    for i in range(2, level + 1):
        out += "(" + fmt_number(scheme[i][0], counters[i]) + ")"
    return out


# --------------------------------------------------------------------------------------------------
# parsing


@dataclass
class Block:
    kind: str  # title, centre, centre_bold, h1num, h1, h2, num, recital, para, indent, table, cmd
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)
    key: str | None = None
    # filled in by numbering pass
    label: str = ""  # the visible number, e.g. "12.3" or "(a)"
    list_id: int = 0
    start: int = 1  # first level-0 number of the list this item belongs to


@dataclass
class Source:
    path: Path
    meta: dict[str, str]
    blocks: list[Block]


def load_pool() -> dict[str, list[str]]:
    pool: dict[str, list[str]] = {}
    name = None
    for raw in POOL_FILE.read_text(encoding="utf-8").splitlines():
        if raw.startswith("[[") and raw.rstrip().endswith("]]"):
            name = raw.strip()[2:-2].strip()
            pool[name] = []
        elif name is not None:
            pool[name].append(raw)
    return pool


def apply_replacements(line: str, spec: str) -> str:
    for pair in spec.split(";"):
        if "=>" in pair:
            old, new = (s.strip() for s in pair.split("=>", 1))
            line = line.replace(old, new)
    return line


def parse_source(path: Path, pool: dict[str, list[str]]) -> Source:
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n===\n")
    meta: dict[str, str] = {}
    for line in head.splitlines():
        if line.strip() and not line.startswith("//"):
            k, _, v = line.partition(":")
            meta[k.strip()] = v.strip()
    lines: list[str] = []
    for line in body.splitlines():
        if line.startswith("!include "):
            name = line.split(None, 1)[1].strip()
            if name not in pool:
                raise SystemExit(f"{path.name}: unknown pool block {name!r}")
            for pl in pool[name]:
                lines.append(apply_replacements(pl, meta.get("replace", "")))
        else:
            lines.append(line)
    blocks: list[Block] = []
    for raw in lines:
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
            continue
        if line.startswith("!"):
            blocks.append(Block("cmd", text=line[1:].strip()))
            continue
        for prefix, kind, level in (
            ("--- ", "num", 3),
            ("-- ", "num", 2),
            ("- ", "num", 1),
            ("+ ", "num", 0),
            ("#: ", "h1", 0),
            ("## ", "h2", 0),
            ("# ", "h1num", 0),
            ("= ", "title", 0),
            ("^ ", "centre_bold", 0),
            ("~ ", "centre", 0),
            (">>> ", "indent", 3),
            (">> ", "indent", 2),
            ("> ", "indent", 1),
            ("@ ", "recital", 0),
        ):
            if line.startswith(prefix):
                content = line[len(prefix) :].strip()
                key = None
                m = re.match(r"\{#([\w-]+)\}\s*", content)
                if m:
                    key = m.group(1)
                    content = content[m.end() :]
                blocks.append(Block(kind, text=content, level=level, key=key))
                break
        else:
            blocks.append(Block("para", text=line.strip()))
    return Source(path, meta, blocks)


def number_blocks(src: Source) -> None:
    """Compute visible labels and resolve {ref:key} cross-references."""
    scheme_name = src.meta.get("numbering", "std")
    scheme = SCHEMES[scheme_name]
    counters = [0, 0, 0, 0]
    list_id = 1
    starts: dict[int, int] = {1: 1}
    recital = 0
    refs: dict[str, str] = {}
    for b in src.blocks:
        if b.kind == "cmd" and b.text.split()[0] == "restart":
            parts = b.text.split()
            start = int(parts[1]) if len(parts) > 1 else 1
            counters = [start - 1, 0, 0, 0]
            list_id += 1
            starts[list_id] = start
        elif b.kind in ("h1num", "num"):
            lvl = b.level
            counters[lvl] += 1
            for i in range(lvl + 1, 4):
                counters[i] = 0
            for i in range(lvl):  # an item at a deeper level with no parent yet
                if counters[i] == 0:
                    counters[i] = 1
            b.label = render_label(scheme, lvl, counters)
            b.list_id = list_id
            b.start = starts[list_id]
            if b.key:
                refs[b.key] = ref_string(scheme_name, lvl, counters)
        elif b.kind == "recital":
            recital += 1
            b.label = render_label(RECITAL_SCHEME, 0, [recital])
    missing: list[str] = []

    def sub(m: re.Match) -> str:
        k = m.group(1)
        if k not in refs:
            missing.append(k)
            return "??"
        return refs[k]

    for b in src.blocks:
        b.text = re.sub(r"\{ref:([\w-]+)\}", sub, b.text)
        b.rows = [[re.sub(r"\{ref:([\w-]+)\}", sub, c) for c in row] for row in b.rows]
    if missing:
        raise SystemExit(f"{src.path.name}: unresolved references {sorted(set(missing))}")


# --------------------------------------------------------------------------------------------------
# plain text and Markdown


def strip_bold(text: str) -> str:
    return text.replace("**", "")


def render_text(src: Source, markdown: bool) -> str:
    out: list[str] = []
    md = markdown
    indent = {0: "", 1: "", 2: "    ", 3: "        "}
    if src.meta.get("header") and not md:
        out.append(src.meta["header"])
        out.append("")

    def t(s: str) -> str:
        return s if md else strip_bold(s)

    for b in src.blocks:
        if b.kind == "title":
            out.append(("# " + t(b.text)) if md else t(b.text).upper())
            if not md:
                out.append("=" * len(b.text))
        elif b.kind in ("centre_bold", "centre"):
            out.append(("**" + strip_bold(b.text) + "**") if (md and b.kind == "centre_bold") else t(b.text))
        elif b.kind == "h1num":
            if md:
                out.append(f"## {b.label} {t(b.text)}")
            else:
                out.append(f"{b.label}  {t(b.text).upper()}")
        elif b.kind == "h1":
            out.append(("## " + t(b.text)) if md else t(b.text).upper())
        elif b.kind == "h2":
            out.append(("### " + t(b.text)) if md else t(b.text))
        elif b.kind == "num":
            out.append(f"{indent[b.level]}{b.label} {t(b.text)}")
        elif b.kind == "recital":
            out.append(f"{b.label} {t(b.text)}")
        elif b.kind == "indent":
            pad = {1: "", 2: "    ", 3: "        "}[b.level]
            out.append((pad + "  " + t(b.text)) if not md else (pad + t(b.text)))
        elif b.kind == "para":
            out.append(t(b.text))
        elif b.kind == "table":
            if md:
                head, *rest = b.rows
                out.append("| " + " | ".join(head) + " |")
                out.append("|" + "|".join("---" for _ in head) + "|")
                for r in rest:
                    out.append("| " + " | ".join(r) + " |")
            else:
                head, *rest = b.rows
                for r in rest:
                    parts = [f"{strip_bold(h)}: {strip_bold(c)}" for h, c in zip(head, r, strict=False) if c]
                    out.append("  - " + "; ".join(parts))
        elif b.kind == "cmd":
            if b.text == "pagebreak" and not md:
                out.append("")
            continue
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------------------------------
# DOCX


def _el(tag: str, **attrs: str) -> OxmlElement:
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(k), v)
    return e


class NumberingBuilder:
    """Adds abstractNum / num definitions to the document's numbering part."""

    def __init__(self, doc: Document, bold_level0: bool):
        self.numbering = doc.part.numbering_part.element
        self.bold_level0 = bold_level0
        self.next_abs = 100
        self.next_num = 100

    def _abstract(self, scheme: list[tuple[str, str]], indent_base: int, start: int = 1) -> int:
        abs_id = self.next_abs
        self.next_abs += 1
        an = _el("w:abstractNum", **{"w:abstractNumId": str(abs_id)})
        an.append(_el("w:nsid", **{"w:val": f"{0x5A000000 + abs_id:08X}"}))
        an.append(_el("w:multiLevelType", **{"w:val": "multilevel"}))
        for ilvl, (fmt, text) in enumerate(scheme):
            lvl = _el("w:lvl", **{"w:ilvl": str(ilvl)})
            lvl.append(_el("w:start", **{"w:val": str(start if ilvl == 0 else 1)}))
            lvl.append(_el("w:numFmt", **{"w:val": fmt}))
            lvl.append(_el("w:lvlText", **{"w:val": text}))
            lvl.append(_el("w:lvlJc", **{"w:val": "left"}))
            ppr = _el("w:pPr")
            left = indent_base + 720 * max(ilvl, 1) if len(scheme) > 1 else indent_base + 720
            ppr.append(_el("w:ind", **{"w:left": str(left), "w:hanging": "720"}))
            lvl.append(ppr)
            if ilvl == 0 and self.bold_level0:
                rpr = _el("w:rPr")
                rpr.append(_el("w:b"))
                lvl.append(rpr)
            an.append(lvl)
        # abstractNum elements must precede num elements
        existing_nums = self.numbering.findall(qn("w:num"))
        if existing_nums:
            existing_nums[0].addprevious(an)
        else:
            self.numbering.append(an)
        return abs_id

    def new_list(self, scheme: list[tuple[str, str]], indent_base: int = 0, start: int = 1) -> int:
        abs_id = self._abstract(scheme, indent_base, start)
        num_id = self.next_num
        self.next_num += 1
        num = _el("w:num", **{"w:numId": str(num_id)})
        num.append(_el("w:abstractNumId", **{"w:val": str(abs_id)}))
        for ilvl in range(len(scheme)):
            ov = _el("w:lvlOverride", **{"w:ilvl": str(ilvl)})
            ov.append(_el("w:startOverride", **{"w:val": str(start if ilvl == 0 else 1)}))
            num.append(ov)
        self.numbering.append(num)
        return num_id


def set_numpr(paragraph, num_id: int, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = _el("w:numPr")
    numpr.append(_el("w:ilvl", **{"w:val": str(ilvl)}))
    numpr.append(_el("w:numId", **{"w:val": str(num_id)}))
    # pStyle must stay first in pPr
    pstyle = ppr.find(qn("w:pStyle"))
    if pstyle is not None:
        pstyle.addnext(numpr)
    else:
        ppr.insert(0, numpr)


def add_runs(paragraph, text: str, bold: bool = False, size: float | None = None) -> None:
    parts = text.split("**")
    for i, part in enumerate(parts):
        if not part:
            continue
        run = paragraph.add_run(part)
        if bold or i % 2 == 1:
            run.bold = True
        if size:
            run.font.size = Pt(size)


def add_field(paragraph, instr: str) -> None:
    run = paragraph.add_run()
    run._r.append(_el("w:fldChar", **{"w:fldCharType": "begin"}))
    run = paragraph.add_run()
    it = _el("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    run._r.append(it)
    run = paragraph.add_run()
    run._r.append(_el("w:fldChar", **{"w:fldCharType": "separate"}))
    paragraph.add_run("1")
    run = paragraph.add_run()
    run._r.append(_el("w:fldChar", **{"w:fldCharType": "end"}))


def set_columns(section, num: int) -> None:
    sect_pr = section._sectPr
    cols = sect_pr.find(qn("w:cols"))
    if cols is None:
        cols = _el("w:cols")
        sect_pr.append(cols)
    cols.set(qn("w:num"), str(num))
    cols.set(qn("w:space"), "567")


def style_document(doc: Document, meta: dict[str, str]) -> tuple[str, float]:
    font_spec = meta.get("font", "Arial 10.5").rsplit(" ", 1)
    font_name, font_size = font_spec[0], float(font_spec[1])
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = font_name
    normal.font.size = Pt(font_size)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = _el("w:rFonts")
        rpr.append(rfonts)
    for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(a), font_name)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.08
    for name, size in (
        ("Heading 1", font_size + 1.5),
        ("Heading 2", font_size + 0.5),
        ("Title", font_size + 7),
    ):
        st = styles[name]
        st.font.name = font_name
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        r = st.element.get_or_add_rPr()
        rf = r.find(qn("w:rFonts"))
        if rf is None:
            rf = _el("w:rFonts")
            r.append(rf)
        for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rf.set(qn(a), font_name)
        for a in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            if rf.get(qn(a)) is not None:
                del rf.attrib[qn(a)]
        st.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        st.paragraph_format.space_after = Pt(6)
    # remove the Title style's bottom border so the export looks like a contract
    tppr = styles["Title"].element.find(qn("w:pPr"))
    if tppr is not None:
        pbdr = tppr.find(qn("w:pBdr"))
        if pbdr is not None:
            tppr.remove(pbdr)
    return font_name, font_size


def build_docx(src: Source) -> bytes:
    meta = src.meta
    doc = Document()
    style_document(doc, meta)
    margins = float(meta.get("margins", "2.54"))
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(margins))
    sec.header_distance = Cm(1.0)
    sec.footer_distance = Cm(1.0)
    if meta.get("header"):
        hp = sec.header.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_runs(hp, meta["header"], bold=True, size=9)
    if meta.get("footer"):
        fp = sec.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = fp.add_run(meta["footer"] + " – Page ")
        r.font.size = Pt(8)
        add_field(fp, "PAGE")
        r = fp.add_run(" of ")
        r.font.size = Pt(8)
        add_field(fp, "NUMPAGES")
        for run in fp.runs:
            run.font.size = Pt(8)

    scheme = SCHEMES[meta.get("numbering", "std")]
    nb = NumberingBuilder(doc, bold_level0=True)
    list_nums: dict[int, int] = {}
    recital_num: int | None = None

    def num_for(b: Block) -> int:
        if b.list_id not in list_nums:
            list_nums[b.list_id] = nb.new_list(scheme, start=b.start)
        return list_nums[b.list_id]

    for b in src.blocks:
        if b.kind == "title":
            p = doc.add_paragraph(style="Title")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_runs(p, b.text)
        elif b.kind in ("centre", "centre_bold"):
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_runs(p, b.text, bold=b.kind == "centre_bold")
        elif b.kind == "h1num":
            p = doc.add_paragraph(style="Heading 1")
            set_numpr(p, num_for(b), 0)
            add_runs(p, b.text)
        elif b.kind == "h1":
            p = doc.add_paragraph(style="Heading 1")
            add_runs(p, b.text)
        elif b.kind == "h2":
            p = doc.add_paragraph(style="Heading 2")
            add_runs(p, b.text)
        elif b.kind == "num":
            p = doc.add_paragraph()
            set_numpr(p, num_for(b), b.level)
            add_runs(p, b.text)
        elif b.kind == "recital":
            if recital_num is None:
                recital_num = nb.new_list(RECITAL_SCHEME)
            p = doc.add_paragraph()
            set_numpr(p, recital_num, 0)
            add_runs(p, b.text)
        elif b.kind == "indent":
            p = doc.add_paragraph()
            p.paragraph_format.left_indent = Pt(36 * b.level)
            add_runs(p, b.text)
        elif b.kind == "para":
            p = doc.add_paragraph()
            add_runs(p, b.text)
        elif b.kind == "table":
            ncols = max(len(r) for r in b.rows)
            table = doc.add_table(rows=0, cols=ncols)
            table.style = doc.styles["Table Grid"]
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for ri, row in enumerate(b.rows):
                cells = table.add_row().cells
                for ci in range(ncols):
                    txt = row[ci] if ci < len(row) else ""
                    cell = cells[ci]
                    pieces = txt.split("<br>")
                    cell.paragraphs[0].text = ""
                    add_runs(cell.paragraphs[0], pieces[0].strip(), bold=ri == 0)
                    for extra in pieces[1:]:
                        add_runs(cell.add_paragraph(), extra.strip(), bold=ri == 0)
            doc.add_paragraph()
        elif b.kind == "cmd":
            cmd = b.text
            if cmd == "pagebreak":
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            elif cmd.startswith("section"):
                what = cmd.split()[1]
                prev = doc.sections[-1]
                if what in ("cols2", "cols1"):
                    new = doc.add_section(WD_SECTION.CONTINUOUS)
                    set_columns(new, 2 if what == "cols2" else 1)
                else:
                    new = doc.add_section(WD_SECTION.NEW_PAGE)
                    want_landscape = what == "landscape"
                    w, h = prev.page_width, prev.page_height
                    if (want_landscape and w < h) or (not want_landscape and w > h):
                        new.page_width, new.page_height = h, w
                    new.orientation = WD_ORIENT.LANDSCAPE if want_landscape else WD_ORIENT.PORTRAIT
                    set_columns(new, 1)
            elif cmd.split()[0] == "restart" or cmd.startswith("include"):
                pass
            else:
                raise SystemExit(f"{src.path.name}: unknown command {cmd!r}")

    cp = doc.core_properties
    cp.author = "contract-check sample corpus"
    cp.last_modified_by = "contract-check sample corpus"
    cp.title = meta.get("doc_title", src.blocks[0].text if src.blocks else "")
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps so the same source gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------------------------------


def convert_to_pdf(docx_paths: list[Path], outdir: Path) -> bool:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("soffice (LibreOffice) not found: PDF samples were NOT regenerated", file=sys.stderr)
        return False
    with tempfile.TemporaryDirectory(prefix="cc-lo-profile-") as prof:
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{prof}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *[str(p) for p in docx_paths],
        ]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if res.returncode != 0:
            print(res.stdout, res.stderr, file=sys.stderr)
            raise SystemExit("soffice failed")
    return True


def main(argv: list[str]) -> int:
    only = set(argv[1:])
    pool = load_pool()
    sources = [parse_source(p, pool) for p in sorted(SRC_DIR.glob("*.src"))]
    seen: set[str] = set()
    pdf_jobs: list[tuple[str, bytes]] = []
    for src in sources:
        name = src.meta["file"]
        if name in seen:
            raise SystemExit(f"duplicate output {name}")
        seen.add(name)
        if only and name not in only:
            continue
        number_blocks(src)
        suffix = Path(name).suffix
        target = HERE / name
        if suffix == ".docx":
            target.write_bytes(build_docx(src))
        elif suffix == ".pdf":
            pdf_jobs.append((name, build_docx(src)))
        elif suffix in (".txt", ".md"):
            target.write_text(render_text(src, markdown=suffix == ".md"), encoding="utf-8")
        else:
            raise SystemExit(f"{src.path.name}: unsupported output {name}")
        print(f"wrote {name}" if suffix != ".pdf" else f"built {name} (DOCX for export)")
    if pdf_jobs:
        with tempfile.TemporaryDirectory(prefix="cc-samples-") as tmp:
            tmpdir = Path(tmp)
            paths = []
            for name, data in pdf_jobs:
                p = tmpdir / (Path(name).stem + ".docx")
                p.write_bytes(data)
                paths.append(p)
            if convert_to_pdf(paths, tmpdir):
                for name, _ in pdf_jobs:
                    produced = tmpdir / name
                    if not produced.exists():
                        raise SystemExit(f"soffice did not produce {name}")
                    shutil.copyfile(produced, HERE / name)
                    print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
