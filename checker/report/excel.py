"""`summary.xlsx` for procurement: one sheet per view (contracts, requirements, gaps).

Built from the same portfolio view and CSV rows as `index.html` and `summary.csv`, with frozen
header rows, filters and status colours (a conditional fill on the status word, never colour alone).
Cells are written as values, never formulas, so contract text cannot become a formula.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

_FILL = {
    "met": "DAFBE1",
    "partial": "FFF1C2",
    "weak": "FFF1C2",
    "conflict": "FFD8D3",
    "missing": "FFEBE9",
    "error": "E1E4E8",
}
_HEADER = Font(bold=True)


def _safe(value: Any) -> Any:
    """Text that would start a formula is written as text (CSV/Excel injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


class _Styles:
    """Cell styles made once per workbook (a write-only sheet takes styled cells)."""

    def __init__(self) -> None:
        self.fills = {status: PatternFill("solid", bgColor=rgb) for status, rgb in _FILL.items()}
        self.wrap = Alignment(wrap_text=True, vertical="bottom")


def _sheet(
    wb: Workbook,
    styles: _Styles,
    title: str,
    header: list[str],
    rows: list[list[Any]],
    widths: list[int],
    coloured: range = range(0),
    wrap_header_from: int | None = None,
) -> None:
    """One sheet: bold header (frozen, filtered), then rows. Status columns (`coloured`,
    0-based) are coloured by conditional formatting on the status word: one rule per status
    instead of a style on each of thousands of cells, and the colour follows an edited cell."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = "B2"
    last_row = max(1, len(rows) + 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{last_row}"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    if len(coloured) and rows:
        area = f"{get_column_letter(coloured[0] + 1)}2:{get_column_letter(coloured[-1] + 1)}{last_row}"
        for status, fill in styles.fills.items():
            ws.conditional_formatting.add(
                area, CellIsRule(operator="equal", formula=[f'"{status}"'], fill=fill)
            )
    head = []
    for i, text in enumerate(header):
        cell = WriteOnlyCell(ws, value=_safe(text))
        cell.font = _HEADER
        if wrap_header_from is not None and i >= wrap_header_from:
            cell.alignment = styles.wrap
        head.append(cell)
    ws.append(head)
    for row in rows:
        ws.append([_safe(v) for v in row])


def portfolio_xlsx(view: dict[str, Any], rows: list[dict[str, str]]) -> bytes:
    wb = Workbook(write_only=True)
    styles = _Styles()
    cols = view["columns"]
    _sheet(
        wb,
        styles,
        "Contracts",
        ["Contract", "Provider", "Gaps", "Critical gaps", *[f"{c['n']}. {c['title']}" for c in cols]],
        [
            [c["name"], c["provider"], c["gaps"], c["critical"], *[cell["status"] for cell in c["cells"]]]
            for c in view["contracts"]
        ]
        + [[f["path"], "", "", "", *(["error"] * len(cols))] for f in view["failures"]],
        [48, 30, 8, 12, *([14] * len(cols))],
        coloured=range(4, 4 + len(cols)),
        wrap_header_from=4,
    )
    _sheet(
        wb,
        styles,
        "Requirements",
        [
            "#",
            "Requirement",
            "Id",
            "Severity",
            "Category",
            "Falling short",
            "Met",
            "Partial",
            "Weak",
            "Conflict",
            "Missing",
        ],
        [
            [t["n"], t["title"], t["id"], t["severity"], t["category"], t["gaps"], *t["counts"].values()]
            for t in sorted(view["totals"], key=lambda t: t["n"])
        ],
        [5, 50, 40, 10, 14, 14, 7, 8, 7, 9, 9],
    )
    _sheet(
        wb,
        styles,
        "Gaps",
        [
            "Contract",
            "Provider",
            "Requirement",
            "Severity",
            "Status",
            "Clauses",
            "Pages",
            "Missing elements",
            "Explanation",
        ],
        [
            [
                r["contract"],
                r["provider"],
                r["title"],
                r["severity"],
                r["status"],
                r["clauses"],
                r["pages"],
                r["missing_elements"],
                r["explanation"] or r["error"],
            ]
            for r in rows
            if r["status"] != "met"
        ],
        [40, 28, 44, 10, 10, 16, 8, 50, 90],
        coloured=range(4, 5),
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
