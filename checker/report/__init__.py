"""Report: render a `ContractResult` (or a batch of them) as text, JSON, HTML, CSV or Markdown."""

from __future__ import annotations

import json
from typing import Any

from checker.report.data import report_dict

FORMATS = ("text", "json", "html", "csv", "md")


def to_json(result: Any) -> str:
    """Deterministic JSON: fixed key order, UTF-8 text, trailing newline."""
    return json.dumps(report_dict(result), indent=2, ensure_ascii=False) + "\n"


def render(result: Any, fmt: str, *, color: bool = False) -> str:
    if fmt == "json":
        return to_json(result)
    if fmt == "html":
        from checker.report.html import contract_html

        return contract_html(result)
    if fmt == "csv":
        from checker.report.tabular import contract_csv

        return contract_csv(result)
    if fmt == "md":
        from checker.report.tabular import contract_markdown

        return contract_markdown(result)
    from checker.report.text import contract_text

    return contract_text(result, color=color)
