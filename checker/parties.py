"""Find the provider's name in the parties clause, for report headers and the portfolio.

Contracts name their parties near the top: "Kōwhai Grove Trust, a charitable trust ... (the
Provider)" or "between the Ministry and Kōwhai Grove Trust (Provider)". Only the first part of
the document is read, and only a short, name-like phrase is accepted, so a wrong guess is
unlikely and "unknown" is shown when nothing fits.
"""

from __future__ import annotations

import re

from checker.model import SegmentedDocument

_ROLE = r"(?:the\s+)?[\"“”'‘]?(?:Provider|Supplier|Contractor|Grantee|Service\s+Provider|Processor|Recipient|Vendor|you)[\"“”'’]?"
_DEFINED = re.compile(r"\(\s*" + _ROLE + r"(?:\s+or\s+[^)]{1,30})?\s*\)", re.I)
_NAME = re.compile(r"^[A-Z0-9ĀĒĪŌŪ][\w&'’.\-– ĀĒĪŌŪāēīōū]{2,90}$")
_SKIP = re.compile(r"^(?:the|this|that|parties|between|and|by|from|we|us)\b|agreement|entered", re.I)
_SCAN_CLAUSES = 40


def provider_name(segmented: SegmentedDocument) -> str | None:
    """The provider's name as the parties clause gives it, or None."""
    for clause in segmented.clauses[:_SCAN_CLAUSES]:
        text = " ".join(clause.text.split())
        m = _DEFINED.search(text)
        if not m:
            continue
        before = text[: m.start()]
        for sep in (r"\)\s*,?\s*and\s+", r"\bbetween\s+", r"\bto\s+"):
            parts = re.split(sep, before)
            if len(parts) > 1:
                before = parts[-1]
                break
        before = re.sub(r"^[\w ]{2,20}:\s*", "", before)  # "Supplier: ..."
        name = _clean(
            re.split(
                r",|\(|\bof\s+\d|\bof\s+[A-Z]|\ba\s+(?:charitable|company|trust|registered|limited|society|body)",
                before,
            )[0]
        )
        if name and _NAME.match(name) and not _SKIP.search(name) and len(name.split()) <= 9:
            return name
    return None


def _clean(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" .:;-–—*\"“”'‘’")
    name = re.sub(r"^(?:\(?\d+(?:\.\d+)*[.)]?|\(?[a-z]\))\s+", "", name)
    return name
