"""Batch: check every contract under some paths and write a report per contract plus a portfolio.

One unreadable file never stops the run: it is recorded with its one-line reason and shows in
the dashboard, `summary.csv` and the exit code. Every file is written atomically (a temporary
file in the same folder, then a rename), so an interrupted run never leaves half a report.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from checker import __version__
from checker.api import Checker, ContractResult
from checker.errors import CheckerError
from checker.library import SEVERITY_RANK, ClauseLibrary

CONTRACT_SUFFIXES = {".docx", ".pdf", ".txt", ".md", ".markdown", ".text", ".doc", ".rtf", ".odt"}
_SKIP_NAMES = ("readme", "license", "licence", "changelog")
STATUS_CODE = {"met": "M", "partial": "P", "weak": "W", "conflict": "C", "missing": "–"}


@dataclass(slots=True)
class Outcome:
    path: str
    report: str  # base name of this contract's reports in the output folder
    result: ContractResult | None = None
    error: str | None = None


@dataclass(slots=True)
class BatchResult:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error is not None]

    @property
    def results(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.result is not None]


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Contract files under `paths`, sorted. Files named explicitly are always included;
    in folders, hidden and `_`-prefixed folders and README/LICENSE files are skipped."""
    found: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
                for name in files:
                    if name.startswith(".") or name.lower().startswith(_SKIP_NAMES):
                        continue
                    if Path(name).suffix.lower() in CONTRACT_SUFFIXES:
                        found.add(Path(root) / name)
        else:
            found.add(p)  # a missing or odd path is reported as a failure, not skipped
    return sorted(found, key=lambda q: str(q))


def report_name(path: Path, root: Path | None) -> str:
    try:
        rel = path.resolve().relative_to(root.resolve()) if root else Path(path.name)
    except ValueError:
        rel = Path(path.name)
    return "__".join(rel.parts).replace(" ", "_")


def run_batch(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    library: ClauseLibrary | str | Path | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> BatchResult:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    checker = Checker(library)
    files = discover(paths)
    root = _common_root(files)
    batch = BatchResult()
    from checker.report import to_json
    from checker.report.html import contract_html

    for path in files:
        outcome = Outcome(path=str(path), report=report_name(path, root))
        try:
            outcome.result = checker.check(path)
            write_atomic(out / f"{outcome.report}.json", to_json(outcome.result))
            write_atomic(out / f"{outcome.report}.html", contract_html(outcome.result))
        except CheckerError as exc:
            outcome.result, outcome.error = None, exc.reason
        batch.outcomes.append(outcome)
        if progress:
            progress(outcome)
    write_portfolio(batch, out, checker.library)
    return batch


def _common_root(files: list[Path]) -> Path | None:
    if not files:
        return None
    try:
        return Path(os.path.commonpath([str(f.resolve().parent) for f in files]))
    except ValueError:
        return None


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename it into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_portfolio(batch: BatchResult, out: Path, library: ClauseLibrary) -> None:
    from checker.report.html import portfolio_html
    from checker.report.tabular import failure_row, rows, write_csv

    all_rows: list[dict[str, str]] = []
    for o in batch.outcomes:
        if o.result is not None:
            all_rows.extend(rows(o.result))
        else:
            all_rows.append(failure_row(o.path, o.error or "", library.id))
    write_atomic(out / "summary.csv", write_csv(all_rows))
    write_atomic(out / "index.html", portfolio_html(portfolio_view(batch, library)))


def portfolio_view(batch: BatchResult, library: ClauseLibrary) -> dict:
    reqs = library.requirements
    done = batch.results
    totals = []
    for i, r in enumerate(reqs):
        counts = dict.fromkeys(STATUS_CODE, 0)
        for o in done:
            assert o.result is not None
            counts[o.result.findings[i].status] += 1
        lacking = len(done) - counts["met"]
        totals.append(
            {
                "id": r.id,
                "title": r.title,
                "severity": r.severity,
                "counts": counts,
                "gaps": lacking,
                "sentence": f"{lacking} of {len(done)} contracts fall short on {r.title[0].lower()}{r.title[1:]}",
            }
        )
    contracts = []
    for o in done:
        assert o.result is not None
        contracts.append(
            {
                "name": o.path,
                "report": f"{o.report}.html",
                "gaps": sum(1 for f in o.result.findings if f.is_gap),
                "critical": sum(
                    1 for f in o.result.findings if f.is_gap and f.requirement.severity == "critical"
                ),
                "cells": [
                    {"status": f.status, "code": STATUS_CODE[f.status], "title": f.requirement.title}
                    for f in o.result.findings
                ],
            }
        )
    return {
        "library": {"id": library.id, "version": library.version},
        "tool_version": __version__,
        "checked_on": date.today().isoformat(),
        "columns": [{"id": r.id, "title": r.title} for r in reqs],
        "totals": sorted(totals, key=lambda t: (-SEVERITY_RANK[t["severity"]], -t["gaps"], t["id"])),
        "contracts": contracts,
        "failures": [{"path": o.path, "reason": o.error} for o in batch.failures],
    }
