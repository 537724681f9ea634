"""Segment: turn a `Document`'s blocks into the clauses a reader cites.

Numbers come from Word's numbering (`Block.list_number`) for DOCX and from the start of the
text for PDF and plain text; both go through the same parser, so "12.3", "(a)" and "(iv)"
compose into "12.3(a)(iv)" whatever the source. A schedule or annex that restarts the
numbering prefixes its clauses ("Schedule 2, 4.1"), as DESIGN §5 asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checker.model import Block, Clause, Definition, Document, SegmentedDocument

_SCHEDULE = re.compile(
    r"^(?P<kind>schedule|annex|annexure|appendix|attachment|exhibit|part)\s+"
    r"(?P<id>[0-9]{1,3}[A-Z]?|[A-Z]{1,2}|[IVX]{1,5})\b[\s:.\-–—]*(?P<rest>.*)$",
    re.IGNORECASE,
)
_CLAUSE_WORD = re.compile(r"^(?:clause|section)\s+(?P<num>\d+(?:\.\d+)*)\b[\s:.\-–—]*(?P<rest>.*)$", re.I)
_DOTTED = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)(?:\.(?!\d))?(?:\s+|$)(?P<rest>.*)$", re.S)
_PAREN = re.compile(r"^\(\s*(?P<num>[a-zA-Z]{1,4}|\d{1,3})\s*\)\s*(?P<rest>.*)$", re.S)
_LETTER = re.compile(r"^(?P<num>[a-z]{1,2}|[ivxlc]{1,6}|[A-Z])[.)](?:\s+|$)(?P<rest>.*)$", re.S)
_DEFINITION = re.compile(
    r"^\W{0,3}[\"“”'‘’](?P<term>[^\"“”'‘’]{2,60})[\"“”'‘’]\s*(?:\([^)]{0,40}\)\s*)?"
    r"(?:means|includes|has the meaning|shall mean|refers to|is defined)\b",
    re.I,
)
_BARE_DEFINITION = re.compile(
    r"^(?P<term>[A-Z][\w'’\-]*(?:\s+[A-Za-z][\w'’\-]*){0,5}?)\s+(?:means|includes|has the meaning)\b"
)
_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)
_MAX_CONTEXT = 400


@dataclass
class _Item:
    """One level of the current numbering path: dotted ("12.3") or a list item ("a", "iv")."""

    style: str  # dotted | lower | upper | roman | digit
    label: str
    clause: int


@dataclass
class _State:
    path: list[_Item] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text)
    schedule: str | None = None
    schedule_prefix: str | None = None
    schedule_checked: bool = True
    max_top: int = 0
    current: int | None = None  # index of the clause unnumbered text continues


def segment(document: Document) -> SegmentedDocument:
    """Build the clause list (in reading order) and the defined terms of a document."""
    clauses: list[Clause] = []
    state = _State()
    table_rows: dict[tuple[int, int], list[Block]] = {}
    for block in document.blocks:
        if block.kind in ("header", "footer"):
            continue
        if block.table is not None:
            table_rows.setdefault((block.table.table, block.table.row), []).append(block)
        _add_block(block, clauses, state, table_rows)
    definitions = _definitions(clauses)
    return SegmentedDocument(document=document, clauses=clauses, definitions=definitions)


def parse_number(text: str) -> tuple[str, str, str] | None:
    """Split a leading clause number off `text`: (style, label, rest) or None.

    Styles: "dotted" (12 / 12.3), "paren" ((a), (iv), (2)), "letter" (a) / b.), "schedule".
    """
    t = text.strip()
    if m := _SCHEDULE.match(t):
        return "schedule", f"{m['kind'].title()} {m['id'].upper()}", m["rest"]
    if m := _CLAUSE_WORD.match(t):
        return "dotted", m["num"], m["rest"]
    if m := _DOTTED.match(t):
        num = m["num"]
        # "2026 ..." or "30 days" are not clause numbers: a bare integer must be small and
        # followed by a capitalised word or be the whole text.
        if "." not in num and (int(num) > 199 or (m["rest"][:1].islower())):
            return None
        return "dotted", num, m["rest"]
    if m := _PAREN.match(t):
        return "paren", m["num"], m["rest"]
    if m := _LETTER.match(t):
        return "paren", m["num"], m["rest"]
    return None


# Characters that would split a word for the matcher: ones that show nothing (soft hyphens,
# zero-width spaces and joiners, a byte-order mark inside a text) are dropped, and the Unicode
# hyphens (Word's non-breaking hyphen, U+2010) become the plain one the library is typed with.
_NORMALISE = {
    **dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff")),
    **dict.fromkeys(map(ord, "\u2010\u2011"), "-"),
}
_NORMALISE_RX = re.compile("[" + "".join(map(chr, _NORMALISE)) + "]")


def _add_block(block: Block, clauses: list[Clause], state: _State, rows: dict) -> None:
    text = block.text
    if not text.isascii() and _NORMALISE_RX.search(text):  # a scan in C; translate is per character
        text = text.translate(_NORMALISE)
    text = " ".join(text.split())
    if not text:
        return
    parsed = parse_number(block.list_number + " " + text) if block.list_number else parse_number(text)
    is_heading = block.kind == "heading" or (parsed is not None and _heading_like(parsed[2]))
    if parsed and parsed[0] == "schedule" and (is_heading or block.kind == "heading" or len(text) < 120):
        _enter_schedule(parsed[1], parsed[2], block, clauses, state)
        return
    if block.table is not None:
        _add_cell(block, text, parsed, clauses, state, rows)
        return
    if parsed is None or parsed[0] == "schedule":
        if block.kind == "heading":
            _set_heading(block.heading_level or 1, text, state)
            state.path.clear()
            state.current = None
            return
        _add_continuation(block, text, clauses, state)
        return
    style, label, rest = parsed
    number, level, parent = _place(style, label, len(clauses), state)
    if is_heading:
        _set_heading(level, rest or text, state)
    clauses.append(
        Clause(
            index=len(clauses),
            text=rest if rest else text,
            number=_prefixed(number, state),
            heading=_heading_text(state, exclude=rest if is_heading else None),
            page=block.page,
            level=level,
            parent=parent,
            block_order=block.order,
            kind="heading" if is_heading else block.kind,
            context=_context(clauses, parent, state, exclude=rest if is_heading else None),
            schedule=state.schedule,
        )
    )
    state.current = len(clauses) - 1


def _heading_like(rest: str) -> bool:
    """'14. PRIVACY AND SECURITY' or '14. Privacy and Security' (no sentence) is a heading."""
    r = rest.strip()
    if not r or len(r) > 70 or r.endswith((".", ";", ":", ",")):
        return False
    words = r.split()
    if len(words) > 9:
        return False
    letters = [c for c in r if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True
    small = {"and", "of", "the", "to", "for", "in", "on", "or", "a", "an", "with", "by", "at"}
    return all(w[:1].isupper() or w.lower() in small or not w[:1].isalpha() for w in words)


def _enter_schedule(name: str, title: str, block: Block, clauses: list[Clause], state: _State) -> None:
    state.schedule = name
    state.schedule_prefix = None
    state.schedule_checked = False
    state.path.clear()
    state.headings = [(1, f"{name} {title}".strip())]
    clauses.append(
        Clause(
            index=len(clauses),
            text=f"{name} {title}".strip(),
            number=name,
            heading=None,
            page=block.page,
            level=0,
            parent=None,
            block_order=block.order,
            kind="heading",
            context="",
            schedule=name,
        )
    )
    state.current = len(clauses) - 1


def _place(style: str, label: str, index: int, state: _State) -> tuple[str, int, int | None]:
    """Put a numbered item in the path; return its full number, level and parent clause."""
    if style == "dotted":
        top = int(label.split(".")[0])
        if state.schedule and not state.schedule_checked:
            state.schedule_checked = True
            if top <= state.max_top:
                state.schedule_prefix = state.schedule
        if not state.schedule_prefix:
            state.max_top = max(state.max_top, top)
        parts = label.split(".")
        parent = None
        for item in reversed(state.path):
            if (
                item.style == "dotted"
                and parts[: len(item.label.split("."))] == item.label.split(".")
                and (len(item.label.split(".")) < len(parts))
            ):
                parent = item.clause
                break
        state.path = [it for it in state.path if it.style == "dotted" and _is_prefix(it.label, label)]
        state.path.append(_Item("dotted", label, index))
        return label, len(parts), parent
    item_style = _paren_style(label, state.path)
    # Sibling of an existing item of the same style: cut the path back to it.
    for pos in range(len(state.path) - 1, -1, -1):
        if state.path[pos].style == item_style:
            del state.path[pos:]
            break
    parent = state.path[-1].clause if state.path else state.current
    state.path.append(_Item(item_style, label, index))
    return _compose(state.path), len(state.path), parent


def _is_prefix(a: str, b: str) -> bool:
    pa, pb = a.split("."), b.split(".")
    return len(pa) < len(pb) and pb[: len(pa)] == pa


def _paren_style(label: str, path: list[_Item]) -> str:
    if label.isdigit():
        return "digit"
    low = label.lower()
    if _ROMAN.match(low) and low:
        active = {it.style: it.label.lower() for it in path}
        if "roman" in active and _roman_value(low) == _roman_value(active["roman"]) + 1:
            return "roman"
        letter_prev = active.get("upper" if label.isupper() else "lower")
        if letter_prev and len(low) == 1 and ord(low) == ord(letter_prev[-1]) + 1:
            return "upper" if label.isupper() else "lower"
        if low in ("i", "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii") or len(low) > 1:
            return "roman"
        if low in ("v", "x", "l", "c") and "roman" in active:
            return "roman"
    return "upper" if label.isupper() else "lower"


def _roman_value(s: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for i, ch in enumerate(s):
        v = values.get(ch, 0)
        total += -v if i + 1 < len(s) and values.get(s[i + 1], 0) > v else v
    return total


def _compose(path: list[_Item]) -> str:
    """'12.3' + '(a)' + '(iv)' -> '12.3(a)(iv)'; only the deepest dotted number is kept."""
    out = ""
    for item in path:
        out = item.label if item.style == "dotted" else out + f"({item.label})"
    return out


def _prefixed(number: str | None, state: _State) -> str | None:
    if number and state.schedule_prefix and not number.startswith(state.schedule_prefix):
        return f"{state.schedule_prefix}, {number}"
    return number


def _set_heading(level: int, text: str, state: _State) -> None:
    state.headings = [(lv, t) for lv, t in state.headings if lv < level]
    state.headings.append((level, text))


def _heading_text(state: _State, exclude: str | None = None) -> str | None:
    texts = [t for _, t in state.headings if t != exclude]
    return " / ".join(texts) if texts else None


def _context(clauses: list[Clause], parent: int | None, state: _State, exclude: str | None = None) -> str:
    """Headings plus the text of every ancestor clause (lead-ins such as 'The Provider must:')."""
    parts: list[str] = []
    seen = 0
    while parent is not None and seen < 6:
        parts.append(clauses[parent].text[:_MAX_CONTEXT])
        parent = clauses[parent].parent
        seen += 1
    heading = _heading_text(state, exclude)
    if heading and heading not in parts:
        parts.append(heading)
    return " \n".join(reversed(parts))


def _add_continuation(block: Block, text: str, clauses: list[Clause], state: _State) -> None:
    """Unnumbered text: part of the clause above it (cited by that clause's number)."""
    parent = state.current
    number = clauses[parent].number if parent is not None else None
    level = clauses[parent].level + 1 if parent is not None else 1
    clauses.append(
        Clause(
            index=len(clauses),
            text=text,
            number=number,
            heading=_heading_text(state),
            page=block.page,
            level=level,
            parent=parent,
            block_order=block.order,
            kind=block.kind,
            context=_context(clauses, parent, state),
            schedule=state.schedule,
        )
    )


def _add_cell(
    block: Block,
    text: str,
    parsed: tuple[str, str, str] | None,
    clauses: list[Clause],
    state: _State,
    rows: dict,
) -> None:
    """A table cell is a clause of its own; its row label and column header are its context."""
    cell = block.table
    assert cell is not None
    number = None
    if parsed and parsed[0] == "dotted":
        number = _prefixed(parsed[1], state)
    elif state.path:
        number = _prefixed(_compose(state.path), state)
    context_parts = []
    heading = _heading_text(state)
    if heading:
        context_parts.append(heading)
    header_row = rows.get((cell.table, 0), [])
    for other in header_row:
        if other.table and other.table.col == cell.col and cell.row > 0:
            context_parts.append(other.text[:_MAX_CONTEXT])
    for other in rows.get((cell.table, cell.row), []):
        if other.table and other.table.col < cell.col:
            context_parts.append(other.text[:_MAX_CONTEXT])
    clauses.append(
        Clause(
            index=len(clauses),
            text=text,
            number=number,
            heading=heading,
            page=block.page,
            level=(state.path and len(state.path) + 1) or 1,
            parent=state.current,
            block_order=block.order,
            kind="table_cell",
            context=" \n".join(context_parts),
            schedule=state.schedule,
        )
    )


def _definitions(clauses: list[Clause]) -> list[Definition]:
    found: dict[str, Definition] = {}
    for clause in clauses:
        m = _DEFINITION.match(clause.text)
        if not m and clause.heading and re.search(r"definition|interpretation", clause.heading, re.I):
            m = _BARE_DEFINITION.match(clause.text)
        if not m and clause.kind == "table_cell" and clause.context:
            continue
        if m:
            term = " ".join(m["term"].split())
            found.setdefault(term.lower(), Definition(term=term, text=clause.text, clause=clause.index))
    return sorted(found.values(), key=lambda d: d.clause)
