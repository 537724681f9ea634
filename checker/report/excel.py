"""`summary.xlsx` for procurement: one sheet per view (contracts, requirements, gaps).

Built from the same portfolio view and CSV rows as `index.html` and `summary.csv`, with frozen
header rows, filters and status colours (a fill plus the status word, never colour alone).
Cells are written as values, never formulas, so contract text cannot become a formula.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
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


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]], widths: list[int]) -> Any:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = _HEADER
    for row in rows:
        ws.append([_safe(v) for v in row])
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    return ws


def _colour(ws: Any, first_col: int, last_col: int) -> None:
    for row in ws.iter_rows(min_row=2, min_col=first_col, max_col=last_col):
        for cell in row:
            fill = _FILL.get(str(cell.value))
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)


def portfolio_xlsx(view: dict[str, Any], rows: list[dict[str, str]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    cols = view["columns"]
    contracts = _sheet(
        wb,
        "Contracts",
        ["Contract", "Provider", "Gaps", "Critical gaps", *[f"{c['n']}. {c['title']}" for c in cols]],
        [
            [c["name"], c["provider"], c["gaps"], c["critical"], *[cell["status"] for cell in c["cells"]]]
            for c in view["contracts"]
        ]
        + [[f["path"], "", "", "", *(["error"] * len(cols))] for f in view["failures"]],
        [48, 30, 8, 12, *([14] * len(cols))],
    )
    for cell in contracts[1][4:]:
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    _colour(contracts, 5, 4 + len(cols))
    _sheet(
        wb,
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
    gaps = _sheet(
        wb,
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
    )
    _colour(gaps, 5, 5)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
