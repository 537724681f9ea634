"""CSV and Markdown: one row per requirement, for spreadsheets, emails and tickets."""

from __future__ import annotations

import csv
import io
from typing import Any

from checker.report.data import STATUS_TEXT, place, report_dict

CSV_COLUMNS = [
    "contract",
    "provider",
    "sha256",
    "library",
    "requirement",
    "title",
    "category",
    "severity",
    "status",
    "clauses",
    "pages",
    "missing_elements",
    "explanation",
    "error",
]


def rows(result: Any) -> list[dict[str, str]]:
    data = report_dict(result)
    out = []
    for f in data["findings"]:
        clauses = sorted({e["clause"] for e in f["evidence"] if e["clause"]}, key=str)
        pages = sorted({e["page"] for e in f["evidence"] if e["page"]})
        out.append(
            {
                "contract": data["contract"]["path"],
                "provider": data["contract"]["provider"] or "",
                "sha256": data["contract"]["sha256"],
                "library": data["library"]["id"],
                "requirement": f["requirement"],
                "title": f["title"],
                "category": f["category"],
                "severity": f["severity"],
                "status": f["status"],
                "clauses": "; ".join(clauses),
                "pages": "; ".join(str(p) for p in pages),
                "missing_elements": "; ".join(
                    e["label"] for e in f["elements"] if e["required"] and not e["found"]
                ),
                "explanation": f["explanation"],
                "error": "",
            }
        )
    return out


def failure_row(path: str, reason: str, library: str) -> dict[str, str]:
    row = dict.fromkeys(CSV_COLUMNS, "")
    row.update(contract=path, library=library, status="error", error=reason)
    return row


def write_csv(all_rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(all_rows)
    return buf.getvalue()


def contract_csv(result: Any) -> str:
    return write_csv(rows(result))


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def contract_markdown(result: Any) -> str:
    data = report_dict(result)
    c = data["contract"]
    s = data["summary"]
    lines = [
        f"## Data-handling check: {_md(c['path'])}",
        "",
        f"Library `{data['library']['id']}` {data['library']['version']} · {c['format']} · {c['words']} words · "
        + " · ".join(f"{s[k]} {k}" for k in ("met", "partial", "weak", "conflict", "missing")),
        "",
        "| Requirement | Severity | Status | Where | Why |",
        "|---|---|---|---|---|",
    ]
    for f in data["findings"]:
        where = "; ".join(place(e) for e in f["evidence"][:2]) or "—"
        lines.append(
            f"| {_md(f['title'])} (`{f['requirement']}`) | {f['severity']} | **{STATUS_TEXT[f['status']]}** "
            f"| {_md(where)} | {_md(f['explanation'])} |"
        )
    return "\n".join(lines) + "\n"
