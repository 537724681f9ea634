"""HTML gap reports and the portfolio dashboard, from Jinja2 templates with autoescape on.

The view model is built here (class names, badge text, ordering); templates only display it.
The one place that builds markup in Python is `highlight`, which escapes the contract's words
before wrapping matched spans in <mark>. Pages are self-contained: inline CSS and script, no
external fonts, images or links, so they work offline and from a file share.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from checker import __version__
from checker.assess import Evidence, Finding
from checker.report.data import STATUS_TEXT, gap_order, place

CATEGORY_TITLES = {
    "security": "Security",
    "access": "Access",
    "audit": "Audit and monitoring",
    "training": "Training",
    "breach": "Breaches and incidents",
    "retention": "Retention and records",
    "return": "Return at exit",
    "disposal": "Disposal and destruction",
    "subcontracting": "Subcontracting",
    "offshore": "Offshore storage",
    "disclosure": "Use and disclosure",
    "other": "Scope, law and governance",
}


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("checker.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def highlight(text: str, spans: tuple[tuple[int, int], ...] | list) -> Markup:
    """Escape `text`, then wrap each matched span in <mark> (overlapping spans merged)."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if s < 0 or e > len(text) or s >= e:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out = []
    pos = 0
    for s, e in merged:
        out.append(str(escape(text[pos:s])))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _evidence_view(ev: Evidence) -> dict[str, Any]:
    return {"place": place(ev), "html": highlight(ev.text, ev.highlights), "role": ev.role}


def _finding_view(f: Finding) -> dict[str, Any]:
    r = f.requirement
    quoted_in_issues = {ev.order for i in [*f.conflicts, *f.weaknesses] for ev in i.evidence}
    return {
        "id": r.id,
        "title": r.title,
        "severity": r.severity,
        "status": f.status,
        "status_text": STATUS_TEXT[f.status],
        "category": r.category,
        "summary": r.summary,
        "explanation": f.explanation,
        "evidence": [_evidence_view(ev) for ev in f.evidence if ev.order not in quoted_in_issues],
        "elements": [
            {
                "label": er.label,
                "required": er.required,
                "state": ("hedged" if er.hedged else "found") if er.found else "absent",
                "state_text": ("Hedged" if er.hedged else "Present") if er.found else "Missing",
                "note": er.note or "",
            }
            for er in f.elements
        ],
        "issues": [
            {"kind": "Conflict", "label": i.label, "evidence": [_evidence_view(ev) for ev in i.evidence]}
            for i in f.conflicts
        ]
        + [
            {"kind": "Weakness", "label": i.label, "evidence": [_evidence_view(ev) for ev in i.evidence]}
            for i in f.weaknesses
        ],
        "basis": list(r.basis),
        "model_clause": r.model_clause.strip(),
        "guidance": r.guidance.strip(),
        "incorporated": f.incorporated_by_reference,
        "show_model": f.is_gap,
    }


def contract_view(result: Any) -> dict[str, Any]:
    doc = result.document
    findings = result.findings
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        groups.setdefault(f.requirement.category, []).append(_finding_view(f))
    gaps = gap_order(findings)
    critical = [f for f in gaps if f.requirement.severity == "critical"]
    s = result.summary
    if not gaps:
        verdict = "Every requirement of the library is met."
    else:
        verdict = (
            f"{len(gaps)} of {len(findings)} requirements are not met"
            + (f", {len(critical)} of them critical" if critical else "")
            + (f"; {s['conflict']} conflict with the requirement" if s["conflict"] else "")
            + "."
        )
    return {
        "title": f"Data-handling gap report: {doc.path}",
        "contract": {
            "path": doc.path,
            "provider": result.provider or "not detected",
            "format": doc.format.upper() if doc.format != "text" else "Text",
            "pages": doc.pages,
            "words": doc.words,
            "sha256": doc.sha256,
        },
        "library": {
            "id": result.library.id,
            "version": result.library.version,
            "title": result.library.model.title,
        },
        "tool_version": __version__,
        "checked_on": date.today().isoformat(),
        "summary": [
            {"status": k, "text": STATUS_TEXT[k], "count": s[k]}
            for k in ("met", "partial", "weak", "conflict", "missing")
        ],
        "verdict": verdict,
        "verdict_class": "bad" if critical or s["conflict"] else ("warn" if gaps else "good"),
        "top_gaps": [
            {
                "id": f.requirement.id,
                "title": f.requirement.title,
                "status": f.status,
                "status_text": STATUS_TEXT[f.status],
                "severity": f.requirement.severity,
            }
            for f in gaps
            if f.requirement.severity in ("critical", "high")
        ],
        "notices": list(result.notices),
        "groups": [
            {"id": cat, "title": CATEGORY_TITLES.get(cat, cat.title()), "findings": items}
            for cat, items in groups.items()
        ],
    }


def contract_html(result: Any) -> str:
    return environment().get_template("contract.html.j2").render(**contract_view(result))


def portfolio_html(view: dict[str, Any]) -> str:
    return environment().get_template("index.html.j2").render(**view)
