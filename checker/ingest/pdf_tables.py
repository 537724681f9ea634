"""Ruled tables on a PDF page, found from PDFium's path objects (no layout model needed).

Word and LibreOffice draw a table's borders as short straight paths (one per border line, or
thin filled rectangles); a page without path objects cannot hold a ruled table, so the check
on an ordinary page is one pass over its object list (~1 µs an object). On a page with paths the
grid is built the way pdfplumber's "lines" strategy builds it (snap and join the edges, find
their crossings, take the smallest rectangle from each crossing whose four sides are drawn,
group cells that share corners) and the page's text lines are put into the cells (a line that runs across a cell border
sends the reader to `FPDFText_GetBoundedText` for that table's cells).
pdfplumber itself is never called: it parses the page again with pdfminer (~65 ms a page) and
in generated contracts a third of the pages hold a table.

Coordinates are PDF points with y upwards, as PDFium gives them.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

SNAP = 3.0  # edges this close are one edge; crossings this close to an edge's end still count
THIN = 3.0  # a path this thin in one direction is a rule line
MIN_PATHS = 2  # fewer path objects than this: no table on the page


@dataclass(slots=True)
class Cell:
    row: int
    col: int
    x0: float
    bottom: float
    x1: float
    top: float
    lines: list[str] = field(default_factory=list)  # the cell's text, line by line


@dataclass(slots=True)
class Table:
    x0: float
    bottom: float
    x1: float
    top: float
    cols: list[float]  # left edges of the grid's columns (to join a table continued on the next page)
    cells: list[Cell]  # row-major
    taken: list = field(default_factory=list)  # the page's text lines that lie in the table

    def holds(self, x: float, y: float) -> bool:
        return self.x0 - 1.0 <= x <= self.x1 + 1.0 and self.bottom - 1.0 <= y <= self.top + 1.0


def find_tables(raw, page) -> list[Table]:
    """The ruled grids of a page (a raw PDFium page handle), top first, with empty cells: the
    caller puts its text lines into them, or reads the text of a cell with `fill_cells`."""
    edges = _edges(raw, page)
    if edges is None:
        return []
    h, v = edges
    if len(h) < 2 or len(v) < 2:
        return []
    tables = [_table(cells) for cells in _tables(_cells(_merge(h), _merge(v)))]
    tables.sort(key=lambda t: (-t.top, t.x0))
    return tables


def fill_cells(raw, textpage, table: Table) -> None:
    """Read each cell's text from the page by its box (for a table whose text lines run across
    cell borders; ~40 µs a cell, so not the first choice)."""
    for c in table.cells:
        c.lines = _bounded_lines(raw, textpage, c.x0, c.top, c.x1, c.bottom)


def cell_at(table: Table, x0: float, x1: float, y: float) -> Cell | None:
    """The cell holding a line from x0 to x1 at height y, or None when the line crosses a border."""
    for c in table.cells:
        if c.bottom - 1.0 <= y <= c.top + 1.0 and c.x0 - 1.0 <= x0 and x1 <= c.x1 + 1.0:
            return c
    return None


# ----------------------------------------------------------------------------------------------
# edges from path objects
# ----------------------------------------------------------------------------------------------


def _edges(raw, page) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]] | None:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) edges drawn on the page, or None when
    the page has fewer than `MIN_PATHS` path objects (the cheap test every page goes through)."""
    n = raw.FPDFPage_CountObjects(page)
    get, kind, path_type = raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType, raw.FPDF_PAGEOBJ_PATH
    paths = [o for o in (get(page, j) for j in range(n)) if kind(o) == path_type]
    if len(paths) < MIN_PATHS:
        return None
    h: list[tuple[float, float, float]] = []
    v: list[tuple[float, float, float]] = []
    L, B, R, T = (ctypes.c_float() for _ in range(4))
    for obj in paths:
        if not raw.FPDFPageObj_GetBounds(obj, L, B, R, T):
            continue
        left, bottom, right, top = L.value, B.value, R.value, T.value
        width, height = right - left, top - bottom
        if height <= THIN and width > THIN:
            h.append(((top + bottom) / 2, left, right))
        elif width <= THIN and height > THIN:
            v.append(((left + right) / 2, bottom, top))
        elif width > THIN and height > THIN:
            n_seg = raw.FPDFPath_CountSegments(obj)
            if 0 < n_seg <= 5:  # a rectangle: its four sides
                h.extend(((bottom, left, right), (top, left, right)))
                v.extend(((left, bottom, top), (right, bottom, top)))
            elif n_seg > 5:
                _segment_edges(raw, obj, n_seg, h, v)
    return h, v


def _segment_edges(raw, obj, n_seg: int, h: list, v: list) -> None:
    """Axis-parallel straight segments of a path drawn as one object (a whole grid in one path)."""
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return
    x, y = ctypes.c_float(), ctypes.c_float()
    start = prev = None
    for s in range(n_seg):
        seg = raw.FPDFPath_GetPathSegment(obj, s)
        if not seg or not raw.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        pt = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = prev = pt
            continue
        if kind == raw.FPDF_SEGMENT_LINETO and prev is not None:
            _add_segment(prev, pt, h, v)
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_segment(pt, start, h, v)
        prev = pt


def _add_segment(a: tuple[float, float], b: tuple[float, float], h: list, v: list) -> None:
    if abs(a[1] - b[1]) <= 0.5 and abs(a[0] - b[0]) > THIN:
        h.append(((a[1] + b[1]) / 2, min(a[0], b[0]), max(a[0], b[0])))
    elif abs(a[0] - b[0]) <= 0.5 and abs(a[1] - b[1]) > THIN:
        v.append(((a[0] + b[0]) / 2, min(a[1], b[1]), max(a[1], b[1])))


def _merge(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Snap edges at nearly the same position to one position, then join overlapping ones."""
    edges = sorted(edges)
    groups: list[list[tuple[float, float, float]]] = []
    for e in edges:
        if groups and e[0] - groups[-1][0][0] <= SNAP:
            groups[-1].append(e)
        else:
            groups.append([e])
    out = []
    for g in groups:
        pos = sum(e[0] for e in g) / len(g)
        spans = sorted((e[1], e[2]) for e in g)
        a, b = spans[0]
        for c, d in spans[1:]:
            if c <= b + SNAP:
                b = max(b, d)
            else:
                out.append((pos, a, b))
                a, b = c, d
        out.append((pos, a, b))
    return out


# ----------------------------------------------------------------------------------------------
# cells and tables
# ----------------------------------------------------------------------------------------------


def _cells(h: list[tuple[float, float, float]], v: list[tuple[float, float, float]]):
    """Smallest drawn rectangles (x0, bottom, x1, top), one from each crossing at a top-left corner."""
    # crossing point -> (ids of horizontal edges, ids of vertical edges) through it
    points: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for hi, (y, hx0, hx1) in enumerate(h):
        for vi, (x, vy0, vy1) in enumerate(v):
            if hx0 - SNAP <= x <= hx1 + SNAP and vy0 - SNAP <= y <= vy1 + SNAP:
                hs, vs = points.setdefault((x, y), (set(), set()))
                hs.add(hi)
                vs.add(vi)
    if len(points) < 4:
        return []
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in points:
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    cells = []
    for (x, y), (hs, vs) in points.items():
        below = sorted((yy for yy in by_x[x] if yy < y and points[(x, yy)][1] & vs), reverse=True)
        right = sorted(xx for xx in by_y[y] if xx > x and points[(xx, y)][0] & hs)
        found = None
        for yb in below:
            hb = points[(x, yb)][0]
            for xr in right:
                corner = points.get((xr, yb))
                if corner is not None and corner[0] & hb and corner[1] & points[(xr, y)][1]:
                    found = (x, yb, xr, y)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _tables(cells: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
    """Group cells that share a corner."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, b, x1, t) in enumerate(cells):
        for corner in ((x0, b), (x0, t), (x1, b), (x1, t)):
            j = owner.setdefault(corner, i)
            if j != i:
                parent[root(i)] = root(j)
    groups: dict[int, list[tuple[float, float, float, float]]] = {}
    for i, c in enumerate(cells):
        groups.setdefault(root(i), []).append(c)
    return [g for g in groups.values() if len(g) >= 2]


def _table(cells: list[tuple[float, float, float, float]]) -> Table:
    cols = sorted({c[0] for c in cells})
    tops = sorted({c[3] for c in cells}, reverse=True)
    out = [
        Cell(tops.index(t), cols.index(x0), x0, b, x1, t)
        for x0, b, x1, t in sorted(cells, key=lambda c: (-c[3], c[0]))
    ]
    return Table(
        min(c[0] for c in cells),
        min(c[1] for c in cells),
        max(c[2] for c in cells),
        max(c[3] for c in cells),
        cols,
        out,
    )


def _bounded_lines(raw, textpage, left: float, top: float, right: float, bottom: float) -> list[str]:
    n = raw.FPDFText_GetBoundedText(textpage, left, top, right, bottom, None, 0)
    if n <= 0:
        return []
    buf = (ctypes.c_ushort * (n + 1))()
    got = raw.FPDFText_GetBoundedText(textpage, left, top, right, bottom, buf, n + 1)
    text = bytes(memoryview(buf).cast("B")[: 2 * max(got, 0)]).decode("utf-16-le", "ignore")
    return [s for s in text.replace("\x00", "").split("\r\n") if s.strip()]
