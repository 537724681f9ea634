"""The public API: check one contract or many. The CLI is a thin layer over these functions.

`check_file` runs the whole chain (ingest -> segment -> match -> assess) and returns a
`ContractResult`; reports are rendered from it by `checker.report`. A `Checker` compiles the
clause library once and is reused for every file, which is what makes batches fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from checker import __version__
from checker.assess import Finding, assess
from checker.errors import CheckerError, InputError, InternalError
from checker.ingest import read_document
from checker.library import ClauseLibrary, load_library
from checker.model import Document, SegmentedDocument
from checker.nlp import MAX_TEXT_CHARS
from checker.parties import provider_name
from checker.segment import segment


@dataclass(slots=True)
class ContractResult:
    """Everything known about one checked contract."""

    document: Document
    segmented: SegmentedDocument
    library: ClauseLibrary
    findings: list[Finding]
    notices: list[str] = field(default_factory=list)
    incorporation: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    provider: str | None = None
    tool_version: str = __version__
    checked_on: str = field(default_factory=lambda: date.today().isoformat())

    @property
    def summary(self) -> dict[str, int]:
        counts = {s: 0 for s in ("met", "partial", "weak", "conflict", "missing")}
        for f in self.findings:
            counts[f.status] += 1
        return counts

    def gaps(self, min_severity: str = "low") -> list[Finding]:
        from checker.library import SEVERITY_RANK

        floor = SEVERITY_RANK[min_severity]
        return [f for f in self.findings if f.is_gap and SEVERITY_RANK[f.requirement.severity] >= floor]


class Checker:
    """A clause library compiled once; call `check` for each contract."""

    def __init__(self, library: ClauseLibrary | str | Path | None = None) -> None:
        from checker.match import Matcher

        self.library = library if isinstance(library, ClauseLibrary) else load_library(library)
        self.matcher = Matcher(self.library)

    def check(self, path: str | Path) -> ContractResult:
        """Check one contract. Anything but a `CheckerError` escaping the chain is a fault of
        ours or of a library on input nobody foresaw: it becomes an `InternalError` naming the
        file and the exception's class (never its message, which may quote the contract), so
        the command line still prints one line, and the original stays chained as its cause."""
        try:
            return self._check(path)
        except CheckerError:
            raise
        except Exception as exc:
            raise InternalError(
                str(path), f"internal error while checking ({exc.__class__.__name__}); please report it"
            ) from exc

    def _check(self, path: str | Path) -> ContractResult:
        document = read_document(path)
        segmented = segment(document)
        longest = max((len(c.text) for c in segmented.clauses), default=0)
        if longest > MAX_TEXT_CHARS:
            raise InputError(
                str(path),
                f"a paragraph of {longest:,} characters (over {MAX_TEXT_CHARS:,}) is not contract text",
            )
        matched = self.matcher.match(segmented)
        findings = assess(matched, self.library)
        notices = list(document.notices)
        outdated_labels = {s.id: s.label for s in self.library.model.outdated}
        for sid, hits in matched.outdated.items():
            where = segmented.clauses[hits[0].clause].number
            notices.append(f"Outdated law: {outdated_labels[sid]}" + (f" (clause {where})" if where else ""))
        incorporation = [h.text.strip() for h in matched.incorporation]
        if incorporation:
            notices.append("The contract incorporates other terms by reference; missing terms may be there.")
        return ContractResult(
            document=document,
            segmented=segmented,
            library=self.library,
            findings=findings,
            notices=notices,
            incorporation=incorporation,
            flags=sorted(matched.flags),
            provider=provider_name(segmented),
        )


def check_file(path: str | Path, library: ClauseLibrary | str | Path | None = None) -> ContractResult:
    """Check one contract against a library (default: the built-in `nz-privacy-ngo`)."""
    return Checker(library).check(path)
