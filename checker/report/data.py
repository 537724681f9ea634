"""The report data model: one plain structure built from a `ContractResult`.

Every output (JSON, CSV, Markdown, text, HTML) is rendered from this structure, so they cannot
disagree. The JSON contract of DESIGN §5 is its public subset; keys are only ever added.
Nothing here depends on the clock or the machine, so the same contract and library give
byte-identical JSON (the date of the check is added by the HTML report only).
"""

from __future__ import annotations

from typing import Any

from checker import __version__
from checker.assess import Evidence, Finding
from checker.library import SEVERITY_RANK

SCHEMA = "contract-check/1"
STATUS_ORDER = ("conflict", "missing", "partial", "weak", "met")
STATUS_TEXT = {
    "met": "Met",
    "partial": "Partial",
    "weak": "Weak",
    "conflict": "Conflict",
    "missing": "Missing",
}


def evidence_dict(ev: Evidence) -> dict[str, Any]:
    return {"clause": ev.clause, "page": ev.page, "text": ev.text, "role": ev.role}


def finding_dict(f: Finding) -> dict[str, Any]:
    r = f.requirement
    return {
        "requirement": r.id,
        "title": r.title,
        "category": r.category,
        "severity": r.severity,
        "status": f.status,
        "elements": [
            {
                "id": er.id,
                "found": er.found,
                "label": er.label,
                "required": er.required,
                "hedged": er.hedged,
                "note": er.note,
                "evidence": [evidence_dict(ev) for ev in er.evidence],
            }
            for er in f.elements
        ],
        "evidence": [evidence_dict(ev) for ev in f.evidence],
        "explanation": f.explanation,
        "weaknesses": [
            {"id": i.id, "label": i.label, "evidence": [evidence_dict(ev) for ev in i.evidence]}
            for i in f.weaknesses
        ],
        "conflicts": [
            {"id": i.id, "label": i.label, "evidence": [evidence_dict(ev) for ev in i.evidence]}
            for i in f.conflicts
        ],
        "incorporated_by_reference": f.incorporated_by_reference,
        "basis": list(r.basis),
    }


def report_dict(result: Any) -> dict[str, Any]:
    """The JSON report (DESIGN §5) of one `ContractResult`."""
    doc = result.document
    return {
        "schema": SCHEMA,
        "tool": {"name": "contract-check", "version": __version__},
        "library": {"id": result.library.id, "version": result.library.version},
        "contract": {
            "path": doc.path,
            "provider": result.provider,
            "sha256": doc.sha256,
            "format": doc.format,
            "pages": doc.pages,
            "words": doc.words,
            "tracked_changes": len(doc.tracked_changes),
            "comments": len(doc.comments),
            "ocr": doc.ocr,
            "notices": list(result.notices),
        },
        "summary": result.summary,
        "findings": [finding_dict(f) for f in result.findings],
    }


def gap_order(findings: list[Finding]) -> list[Finding]:
    """Gaps first by severity (critical first), then by status seriousness, then library order."""
    index = {id(f): i for i, f in enumerate(findings)}
    return sorted(
        (f for f in findings if f.is_gap),
        key=lambda f: (-SEVERITY_RANK[f.requirement.severity], STATUS_ORDER.index(f.status), index[id(f)]),
    )


def place(ev: dict[str, Any] | Evidence) -> str:
    """'cl. 14.2, p. 7' / 'Schedule 2, 4.1' / 'unnumbered' for a piece of evidence."""
    clause = ev["clause"] if isinstance(ev, dict) else ev.clause
    page = ev["page"] if isinstance(ev, dict) else ev.page
    text = (clause if clause and clause[:1].isalpha() else f"cl. {clause}") if clause else "unnumbered"
    return f"{text}, p. {page}" if page else text
