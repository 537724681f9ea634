"""The terminal summary: a few lines a procurement officer can read before signing."""

from __future__ import annotations

from typing import Any

import click

from checker.report.data import STATUS_TEXT, gap_order, place

_COLOURS = {"met": "green", "partial": "yellow", "weak": "yellow", "conflict": "red", "missing": "red"}


def contract_text(result: Any, *, color: bool = False) -> str:
    doc = result.document
    s = result.summary
    pages = f", {doc.pages} pages" if doc.pages else ""
    lines = [
        f"{doc.path}  ({doc.format}{pages}, {doc.words} words)  library {result.library.id} {result.library.version}",
        "  " + " · ".join(f"{s[k]} {k}" for k in ("met", "partial", "weak", "conflict", "missing")),
    ]
    for notice in result.notices:
        lines.append(f"  ! {notice}")
    gaps = gap_order(result.findings)
    if not gaps:
        lines.append("  Every requirement is met.")
        return "\n".join(lines) + "\n"
    critical = sum(1 for f in gaps if f.requirement.severity == "critical")
    lines.append(f"  {len(gaps)} gaps ({critical} critical):")
    width = max(len(f.requirement.id) for f in gaps)
    for f in gaps:
        status = STATUS_TEXT[f.status].upper().ljust(8)
        if color:
            status = click.style(status, fg=_COLOURS[f.status], bold=f.status == "conflict")
        where = place(f.evidence[0]) if f.evidence else ""
        lines.append(f"  {status} {f.requirement.severity:<8} {f.requirement.id:<{width}}  {where}")
    lines.append("  Details: --format html (gap report with evidence and model wording) or --format json.")
    return "\n".join(lines) + "\n"
