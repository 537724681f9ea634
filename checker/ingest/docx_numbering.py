"""Recover the numbers Word renders for automatic numbering ("12.3", "(a)", "Schedule 2").

Word keeps list numbers out of the text: a paragraph only says "list `numId`, level `ilvl`" (directly
or through its paragraph style), and `numbering.xml` says how each level is counted and drawn. This
module reads `numbering.xml` and `styles.xml` and replays the counters in document order.

Model (checked paragraph by paragraph against LibreOffice 7.4, the reference renderer of the tests):

* `w:num` (numId) -> `w:abstractNum`; an abstractNum with `w:numStyleLink` is replaced by the one
  the linked numbering style points at (its `w:styleLink` twin).
* Counters belong to the abstractNum, so every numId on one abstractNum continues one sequence.
  A numId whose `w:lvlOverride` carries `w:startOverride` restarts that level at the override the
  first time the numId is used at that level; later paragraphs of any numId on the same abstractNum
  continue from there. `w:lvlOverride/w:lvl` redraws the level for that numId but does not restart it.
* Using a level restarts every deeper level (unless the deeper level's `w:lvlRestart` says otherwise)
  and sets any higher level that was never used to its start value (so a list that opens at level
  2 renders "1.1", and the next level-1 paragraph renders "2.").
* `w:lvlText` is a template: `%N` is the current value of level N, drawn in level N's `w:numFmt`,
  or in decimal for every level when the paragraph's level has `w:isLgl`.
* Numbering comes from the paragraph's own `w:numPr`, else from its style chain (`w:basedOn`, each of
  numId and ilvl separately); `numId` 0 switches numbering off; a missing `w:ilvl` means level 0
  (as LibreOffice and Open-XML-PowerTools read it; ECMA-376 would take the level whose `w:pStyle`
  names the style, which Word-written files make the same level); a `singleLevel` list always uses
  level 0.
* The reader (`docx_reader`) numbers each story (body, each header, note, text box) separately and
  does not number an empty paragraph that only carries a section break.

Where LibreOffice 7.4 does not render what Word does, we follow Word (the authoring tool) and the
standard: LibreOffice ignores `w:isLgl` ("I.1" where Word shows "1.1") and `w:lvlRestart`, and
draws a default level for a singleLevel list given `w:ilvl` > 0. `tests/test_docx_numbering.py`
pins each of these differences.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + W_NS + "}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

W_VAL = _W + "val"
_STYLE = _W + "style"
_STYLE_ID = _W + "styleId"
_TYPE = _W + "type"
_DEFAULT = _W + "default"
_NAME = _W + "name"
_BASED_ON = _W + "basedOn"
_PPR = _W + "pPr"
_PSTYLE = _W + "pStyle"
_NUMPR = _W + "numPr"
_NUMID = _W + "numId"
_ILVL = _W + "ilvl"
_OUTLINE = _W + "outlineLvl"
_ABSTRACT = _W + "abstractNum"
_ABSTRACT_ID = _W + "abstractNumId"
_NUM = _W + "num"
_LVL = _W + "lvl"
_START = _W + "start"
_NUMFMT = _W + "numFmt"
_FORMAT = _W + "format"
_LVLTEXT = _W + "lvlText"
_ISLGL = _W + "isLgl"
_LVLRESTART = _W + "lvlRestart"
_SUFF = _W + "suff"
_MULTI = _W + "multiLevelType"
_NUM_STYLE_LINK = _W + "numStyleLink"
_LVL_OVERRIDE = _W + "lvlOverride"
_START_OVERRIDE = _W + "startOverride"
_ALT = _MC + "AlternateContent"
_FALLBACK = _MC + "Fallback"
_CHOICE = _MC + "Choice"

MAX_LEVELS = 9
_FALSE = {"0", "false", "off"}

# python-docx shows these built-in style names (stored lower-case in styles.xml) capitalised.
_UI_NAMES = {f"heading {i}": f"Heading {i}" for i in range(1, 10)} | {
    "caption": "Caption",
    "footer": "Footer",
    "header": "Header",
    "title": "Title",
    "subtitle": "Subtitle",
    "normal": "Normal",
}
_HEADING_NAME = re.compile(r"heading\s*([1-9])$", re.IGNORECASE)
_TEMPLATE = re.compile(r"%([1-9])")


def _int(value: str | None, default: int | None = None) -> int | None:
    if value is None:
        return default
    try:
        return int(value.strip())
    except ValueError:
        return default


def _on(el: etree._Element | None) -> bool:
    """A Word boolean property (`<w:isLgl/>`, `<w:vanish w:val="0"/>`)."""
    if el is None:
        return False
    v = el.get(W_VAL)
    return v is None or v.lower() not in _FALSE


# --------------------------------------------------------------------------------------------
# Number formats


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, sym in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        q, n = divmod(n, value)
        out.append(sym * q)
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter after z: ..., y, z, aa, bb, ..., zz, aaa
    if n <= 0:
        return str(n)
    q, r = divmod(n - 1, 26)
    return chr(97 + r) * (q + 1)


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORD_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def _words(n: int) -> str:
    if n < 0:
        return "minus " + _words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        return _TENS[t] + ("-" + _ONES[o] if o else "")
    for size, word in (
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
        (1000, "thousand"),
        (100, "hundred"),
    ):
        if n >= size:
            q, r = divmod(n, size)
            return _words(q) + " " + word + (" " + _words(r) if r else "")
    return str(n)  # pragma: no cover


def _ordinal_words(n: int) -> str:
    w = _words(n)
    head, sep, last = w.rpartition("-") if "-" in w.split(" ")[-1] else w.rpartition(" ")
    if last in _ORD_WORDS:
        last = _ORD_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_CHICAGO = ("*", "†", "‡", "§")


def format_number(n: int, fmt: str, width: int = 0) -> str:
    """Draw counter value `n` in Word number format `fmt` (`width`: zero padding of custom formats)."""
    if fmt == "decimal":
        return str(n).zfill(width) if width else str(n)
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"0{n}" if 0 <= n < 10 else str(n)
    if fmt in ("none", "bullet"):
        return ""
    if fmt == "ordinal":
        return _ordinal(n)
    if fmt == "cardinalText":
        return _words(n).capitalize()
    if fmt == "ordinalText":
        return _ordinal_words(n).capitalize()
    if fmt == "chicago" and n > 0:
        q, r = divmod(n - 1, 4)
        return _CHICAGO[r] * (q + 1)
    if fmt in ("decimalEnclosedParen", "decimalEnclosedFullstop"):
        return str(n)
    return str(n)  # decimalEnclosedCircle, hex, east-Asian formats, ...: decimal is the honest fallback


# --------------------------------------------------------------------------------------------
# styles.xml


class StyleInfo:
    """One `w:style` with the properties numbering and headings need (not inherited yet)."""

    __slots__ = ("based_on", "ilvl", "kind", "name", "num_id", "outline", "style_id")

    def __init__(self, el: etree._Element) -> None:
        self.style_id: str = el.get(_STYLE_ID) or ""
        self.kind: str = el.get(_TYPE) or "paragraph"
        name_el = el.find(_NAME)
        self.name: str | None = name_el.get(W_VAL) if name_el is not None else None
        based = el.find(_BASED_ON)
        self.based_on: str | None = based.get(W_VAL) if based is not None else None
        self.num_id: int | None = None
        self.ilvl: int | None = None
        self.outline: int | None = None
        ppr = el.find(_PPR)
        if ppr is not None:
            numpr = ppr.find(_NUMPR)
            if numpr is not None:
                e = numpr.find(_NUMID)
                if e is not None:
                    self.num_id = _int(e.get(W_VAL))
                e = numpr.find(_ILVL)
                if e is not None:
                    self.ilvl = _int(e.get(W_VAL))
            e = ppr.find(_OUTLINE)
            if e is not None:
                self.outline = _int(e.get(W_VAL))


class StyleSheet:
    """Paragraph styles with `w:basedOn` inheritance, each style read only when first needed.

    (python-docx's template alone carries 160 styles in 350 KB; a document uses a handful.)
    """

    def __init__(self, root: etree._Element | None) -> None:
        self._elements: dict[str, etree._Element] = {}
        self._infos: dict[str, StyleInfo | None] = {}
        self.default_paragraph: str | None = None
        self._chains: dict[str | None, tuple[StyleInfo, ...]] = {}
        self._numbering: dict[str | None, tuple[int | None, int | None]] = {}
        self._heading: dict[str | None, int | None] = {}
        if root is None:
            return
        elements = self._elements
        for el in root.iterchildren(_STYLE):
            sid = el.get(_STYLE_ID)
            if sid and sid not in elements:
                elements[sid] = el
                default = el.get(_DEFAULT)
                if (
                    default is not None
                    and self.default_paragraph is None
                    and default.lower() not in _FALSE
                    and (el.get(_TYPE) or "paragraph") == "paragraph"
                ):
                    self.default_paragraph = sid

    def info(self, style_id: str | None) -> StyleInfo | None:
        """The style's own properties (nothing inherited), None if there is no such style."""
        if style_id is None:
            return None
        try:
            return self._infos[style_id]
        except KeyError:
            el = self._elements.get(style_id)
            info = StyleInfo(el) if el is not None else None
            self._infos[style_id] = info
            return info

    def effective(self, style_id: str | None) -> str | None:
        """The style a paragraph with `w:pStyle` = `style_id` really has (the default if unknown)."""
        if style_id is not None and style_id in self._elements:
            return style_id
        return self.default_paragraph

    def chain(self, style_id: str | None) -> tuple[StyleInfo, ...]:
        """The style and its `basedOn` ancestors, nearest first."""
        cached = self._chains.get(style_id)
        if cached is not None:
            return cached
        out: list[StyleInfo] = []
        seen: set[str] = set()
        sid = style_id
        while sid is not None and sid not in seen and len(out) < 32:
            info = self.info(sid)
            if info is None:
                break
            seen.add(sid)
            out.append(info)
            sid = info.based_on
        result = tuple(out)
        self._chains[style_id] = result
        return result

    def display_name(self, style_id: str | None) -> str | None:
        info = self.info(style_id)
        if info is None:
            return None
        name = info.name or info.style_id
        return _UI_NAMES.get(name.lower(), name) if name.islower() else name

    def numbering(self, style_id: str | None) -> tuple[int | None, int | None]:
        """(numId, ilvl) a paragraph of this style inherits, each None if no style in the chain sets it."""
        cached = self._numbering.get(style_id, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        num_id = ilvl = None
        for info in self.chain(style_id):
            if num_id is None and info.num_id is not None:
                num_id = info.num_id
            if ilvl is None and info.ilvl is not None:
                ilvl = info.ilvl
        result = (num_id, ilvl)
        self._numbering[style_id] = result
        return result

    def heading_level(self, style_id: str | None) -> int | None:
        """Outline level of the style as a heading level (1-9; Title is 0), None for body text."""
        if style_id in self._heading:
            return self._heading[style_id]
        level = None
        for info in self.chain(style_id):
            name = (info.name or "").strip()
            m = _HEADING_NAME.match(name)
            if m:
                level = int(m.group(1))
                break
            if name.lower() == "title":
                level = 0
                break
            if info.outline is not None:
                level = info.outline + 1 if 0 <= info.outline < MAX_LEVELS else None
                break
        self._heading[style_id] = level
        return level


# --------------------------------------------------------------------------------------------
# numbering.xml


class Level:
    """One `w:lvl`: how a list level is counted and drawn."""

    __slots__ = ("fmt", "is_lgl", "pstyle", "restart", "start", "text", "tokens", "width")

    def __init__(self, el: etree._Element) -> None:
        e = el.find(_START)
        self.start: int = _int(e.get(W_VAL), 0) if e is not None else 0  # type: ignore[assignment]
        fmt_el = el.find(_NUMFMT)
        if fmt_el is None:  # Word 2010+ may wrap custom formats in mc:AlternateContent
            alt = el.find(_ALT)
            if alt is not None:
                fmt_el = alt.find(f"{_FALLBACK}/{_NUMFMT}")
                choice = alt.find(f"{_CHOICE}/{_NUMFMT}")
                if choice is not None and choice.get(W_VAL) == "custom":
                    fmt_el = choice
        self.fmt: str = (fmt_el.get(W_VAL) if fmt_el is not None else None) or "decimal"
        self.width = 0
        if self.fmt == "custom":  # e.g. w:format="001, 002, 003, ..." -> zero-padded decimal
            sample = (fmt_el.get(_FORMAT) or "").split(",")[0].strip() if fmt_el is not None else ""
            self.width = len(sample) if sample.isdigit() else 0
            self.fmt = "decimal"
        e = el.find(_LVLTEXT)
        self.text: str | None = e.get(W_VAL) if e is not None else None
        self.is_lgl: bool = _on(el.find(_ISLGL))
        e = el.find(_LVLRESTART)
        self.restart: int | None = _int(e.get(W_VAL)) if e is not None else None
        e = el.find(_PSTYLE)
        self.pstyle: str | None = e.get(W_VAL) if e is not None else None
        # lvlText split into literal strings and 0-based level references
        tokens: list[str | int] = []
        if self.text:
            pos = 0
            for m in _TEMPLATE.finditer(self.text):
                if m.start() > pos:
                    tokens.append(self.text[pos : m.start()])
                tokens.append(int(m.group(1)) - 1)
                pos = m.end()
            if pos < len(self.text):
                tokens.append(self.text[pos:])
        self.tokens: tuple[str | int, ...] = tuple(tokens)


def _levels(el: etree._Element) -> list[Level | None]:
    levels: list[Level | None] = [None] * MAX_LEVELS
    for lvl in el.iterchildren(_LVL):
        i = _int(lvl.get(_ILVL))
        if i is not None and 0 <= i < MAX_LEVELS and levels[i] is None:
            levels[i] = Level(lvl)
    return levels


class AbstractNum:
    __slots__ = ("abstract_id", "levels", "num_style_link", "single")

    def __init__(self, el: etree._Element) -> None:
        self.abstract_id = _int(el.get(_ABSTRACT_ID), -1)
        self.levels = _levels(el)
        e = el.find(_NUM_STYLE_LINK)
        self.num_style_link: str | None = e.get(W_VAL) if e is not None else None
        e = el.find(_MULTI)
        self.single = e is not None and e.get(W_VAL) == "singleLevel"  # Word uses level 0 only


class Num:
    """A `w:num` resolved to its abstractNum, with overrides applied."""

    __slots__ = ("abstract", "key", "levels", "num_id", "start_overrides")

    def __init__(self, num_id: int, abstract: AbstractNum, el: etree._Element) -> None:
        self.num_id = num_id
        self.abstract = abstract
        self.key = abstract.abstract_id  # counters are shared per abstractNum
        levels = list(abstract.levels)
        self.start_overrides: dict[int, int] = {}
        for ov in el.iterchildren(_LVL_OVERRIDE):
            i = _int(ov.get(_ILVL))
            if i is None or not 0 <= i < MAX_LEVELS:
                continue
            so = ov.find(_START_OVERRIDE)
            if so is not None:
                v = _int(so.get(W_VAL))
                if v is not None:
                    self.start_overrides[i] = v
            lvl = ov.find(_LVL)
            if lvl is not None:
                levels[i] = Level(lvl)
        self.levels: list[Level | None] = levels


class Numbering:
    """The list definitions of one document (`numbering.xml` plus the style sheet).

    Definitions are read when a paragraph first uses them: templates carry dozens of lists that a
    document never uses.
    """

    def __init__(self, root: etree._Element | None, styles: StyleSheet) -> None:
        self.styles = styles
        self._nums: dict[int, Num | None] = {}
        self._num_elements: dict[int, tuple[int, etree._Element]] = {}
        self._abstract_elements: dict[int, etree._Element] = {}
        self._abstracts: dict[int, AbstractNum] = {}
        if root is None:
            return
        for el in root.iterchildren(_ABSTRACT):
            aid = _int(el.get(_ABSTRACT_ID))
            if aid is not None:
                self._abstract_elements.setdefault(aid, el)
        for el in root.iterchildren(_NUM):
            num_id = _int(el.get(_W + "numId"))
            e = el.find(_ABSTRACT_ID)
            aid = _int(e.get(W_VAL)) if e is not None else None
            if num_id is not None and aid is not None and num_id not in self._num_elements:
                self._num_elements[num_id] = (aid, el)

    def num(self, num_id: int) -> Num | None:
        """The list instance `numId`, or None when numbering.xml does not define it."""
        try:
            return self._nums[num_id]
        except KeyError:
            pass
        found = None
        raw = self._num_elements.get(num_id)
        if raw is not None:
            a = self._abstract(raw[0])
            if a is not None:
                found = Num(num_id, self._follow_style_link(a), raw[1])
        self._nums[num_id] = found
        return found

    def _abstract(self, aid: int) -> AbstractNum | None:
        a = self._abstracts.get(aid)
        if a is None:
            el = self._abstract_elements.get(aid)
            if el is None:
                return None
            a = self._abstracts[aid] = AbstractNum(el)
        return a

    def _follow_style_link(self, a: AbstractNum) -> AbstractNum:
        """An abstractNum with `w:numStyleLink` takes its levels from the linked numbering style."""
        seen = {a.abstract_id}
        while a.num_style_link:
            info = self.styles.info(a.num_style_link)
            if info is None or info.num_id is None or info.num_id not in self._num_elements:
                break
            target = self._abstract(self._num_elements[info.num_id][0])
            if target is None or target.abstract_id in seen:
                break
            seen.add(target.abstract_id)
            a = target
        return a


class Label(NamedTuple):
    """What Word draws before a list paragraph: `text` (None for bullets and empty labels), level."""

    text: str | None
    level: int
    bullet: bool


class ListState:
    """Counters for one story (the body; each header, note or text box story gets its own)."""

    __slots__ = ("_counters", "_started", "numbering")

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self._counters: dict[int, list[int | None]] = {}
        self._started: set[tuple[int, int]] = set()

    def paragraph(self, style_id: str | None, num_id: int | None, ilvl: int | None) -> Label | None:
        """Count one paragraph and return its label, or None when it is not a list paragraph.

        `style_id` is the paragraph's effective style (see `StyleSheet.effective`); `num_id` and
        `ilvl` are its direct `w:numPr` values (None when absent).
        """
        numbering = self.numbering
        if num_id is None or ilvl is None:
            s_num, s_ilvl = numbering.styles.numbering(style_id)
            if num_id is None:
                num_id = s_num
            if ilvl is None:
                ilvl = s_ilvl
        if not num_id:  # None, or 0 = numbering switched off
            return None
        num = numbering.num(num_id)
        if num is None:
            return None
        if ilvl is None or num.abstract.single:
            ilvl = 0
        elif not 0 <= ilvl < MAX_LEVELS:
            ilvl = 0 if ilvl < 0 else MAX_LEVELS - 1
        levels = num.levels
        lvl = levels[ilvl]
        if lvl is None:
            return None
        counters = self._counters.get(num.key)
        if counters is None:
            counters = self._counters[num.key] = [None] * MAX_LEVELS
        key = (num_id, ilvl)
        override = None
        if key not in self._started:
            self._started.add(key)
            override = num.start_overrides.get(ilvl)
        if override is not None:
            value = override
        else:
            cur = counters[ilvl]
            value = lvl.start if cur is None else cur + 1
        counters[ilvl] = value
        for j in range(ilvl):  # higher levels never used count as their start value
            if counters[j] is None:
                lj = levels[j]
                counters[j] = lj.start if lj is not None else 0
        for m in range(ilvl + 1, MAX_LEVELS):  # deeper levels restart
            if counters[m] is None:
                continue
            lm = levels[m]
            restart = lm.restart if lm is not None else None
            if restart is None or restart > m or (restart != 0 and ilvl < restart):
                counters[m] = None
        if lvl.fmt == "bullet":
            return Label(None, ilvl, True)
        parts: list[str] = []
        legal = lvl.is_lgl
        for tok in lvl.tokens:
            if tok.__class__ is str:
                parts.append(tok)  # type: ignore[arg-type]
                continue
            k: int = tok  # type: ignore[assignment]
            lk = levels[k] if k != ilvl else lvl
            v = counters[k]
            if v is None:
                v = lk.start if lk is not None else 0
            if lk is None:
                parts.append(str(v))
            elif legal and lk.fmt not in ("none", "bullet"):
                parts.append(str(v).zfill(lk.width) if lk.width else str(v))
            else:
                parts.append(format_number(v, lk.fmt, lk.width))
        text = "".join(parts).strip()
        return Label(text or None, ilvl, False)


def paragraph_numpr(ppr: etree._Element | None) -> tuple[str | None, int | None, int | None]:
    """(pStyle, numId, ilvl) written directly on a paragraph's `w:pPr` (None where absent)."""
    if ppr is None:
        return None, None, None
    style = num_id = ilvl = None
    e = ppr.find(_PSTYLE)
    if e is not None:
        style = e.get(W_VAL)
    numpr = ppr.find(_NUMPR)
    if numpr is not None:
        e = numpr.find(_NUMID)
        if e is not None:
            num_id = _int(e.get(W_VAL))
        e = numpr.find(_ILVL)
        if e is not None:
            ilvl = _int(e.get(W_VAL))
    return style, num_id, ilvl
