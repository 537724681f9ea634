"""Assess: decide each requirement's status from what the matcher found, and say why.

Precedence follows DESIGN §3: `conflict` (the contract says the opposite, or a firm duty is
cancelled elsewhere), then `partial` (a required element is absent), then `weak` (everything
is there but hedged, or a deadline is unbounded or too long), then `met`. `missing` means no
element of the requirement was found at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.library import ClauseLibrary, Element, Requirement, Signal, parse_duration_hours
from checker.match import Candidates, Hit, MatchResult
from checker.model import SegmentedDocument
from checker.timelimits import describe_hours

STATUSES = ("met", "partial", "weak", "conflict", "missing")
_MAX_EVIDENCE = 6


@dataclass(frozen=True, slots=True)
class Evidence:
    """The contract's own words: a sentence, where it is, and why it was quoted."""

    clause: str | None
    page: int | None
    text: str
    role: str  # "element:<id>", "weak:<id>", "conflict:<id>", "negated:<id>", "hedge"
    highlights: tuple[tuple[int, int], ...] = ()
    order: tuple[int, int] = (0, 0)  # (clause index, sentence index): document position


@dataclass(slots=True)
class ElementResult:
    id: str
    label: str
    required: bool
    found: bool
    hedged: bool = False
    note: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class Issue:
    """A hedge or conflict, with its label and where it was found."""

    id: str
    label: str
    evidence: list[Evidence]


@dataclass(slots=True)
class Finding:
    requirement: Requirement
    status: str
    elements: list[ElementResult]
    evidence: list[Evidence]
    explanation: str
    weaknesses: list[Issue] = field(default_factory=list)
    conflicts: list[Issue] = field(default_factory=list)
    incorporated_by_reference: bool = False

    @property
    def is_gap(self) -> bool:
        return self.status != "met"


def assess(result: MatchResult, library: ClauseLibrary) -> list[Finding]:
    seg = result.segmented
    incorporated = bool(result.incorporation)
    return [_assess_one(c, seg, incorporated) for c in result.candidates]


def _assess_one(c: Candidates, seg: SegmentedDocument, incorporated: bool) -> Finding:
    r = c.requirement
    elements = [_element(e, c, seg) for e in r.elements]
    firm = {er.id for er in elements if er.found and not er.hedged}
    weak_signals = _signals(r.weak, c.weak, firm)
    weak = [Issue(s.id, s.label, _evidence(c.weak[s.id], seg, f"weak:{s.id}")) for s in weak_signals]
    conflicts = [
        Issue(s.id, s.label, _evidence(c.conflict[s.id], seg, f"conflict:{s.id}"))
        for s in _signals(r.conflict, c.conflict, firm)
    ]
    for e in r.elements:
        if e.required and e.id in c.negated:
            label = f"a clause negates the duty: {e.label[0].lower()}{e.label[1:]}"
            conflicts.append(
                Issue(f"negated_{e.id}", label, _evidence(c.negated[e.id], seg, f"negated:{e.id}"))
            )
    for signal, issue in zip(weak_signals, weak, strict=True):
        for er in elements:
            if er.id in signal.weakens and not er.found:
                er.found = er.hedged = True
                er.note = signal.label
                er.evidence = issue.evidence[:1]
    required = [er for er in elements if er.required]
    any_found = any(er.found for er in required)  # recommended elements alone do not address it
    if conflicts:
        status = "conflict"
    elif not any_found:
        status = "missing"
    elif any(not er.found for er in required):
        status = "partial"
    elif weak or any(er.hedged for er in required):
        status = "weak"
    else:
        status = "met"
    evidence = _pick_evidence(elements, weak, conflicts)
    finding = Finding(r, status, elements, evidence, "", weak, conflicts, incorporated and status != "met")
    finding.explanation = explain(finding)
    return finding


def _signals(signals: list[Signal], hits: dict[str, list[Hit]], firm: set[str]) -> list[Signal]:
    """Signals that matched and are not cancelled by a firmly present `unless` element."""
    return [s for s in signals if s.id in hits and not firm.intersection(s.unless)]


def _element(e: Element, c: Candidates, seg: SegmentedDocument) -> ElementResult:
    hits = c.elements.get(e.id, [])
    result = ElementResult(e.id, e.label, e.required, found=bool(hits))
    if not hits and e.id in c.weakly:
        result.found = result.hedged = True
        result.note = e.weak_label
        result.evidence = _evidence(_best(c.weakly[e.id]), seg, f"element:{e.id}")
        return result
    if not hits:
        return result
    if e.time_limit is not None:
        return _time_element(e, hits, seg, result)
    firm = [h for h in hits if not h.hedges]
    if firm:
        result.evidence = _evidence(_best(firm), seg, f"element:{e.id}")
    else:
        result.hedged = True
        words = sorted({w.lower() for h in hits for w in h.hedge_words})
        result.note = "hedged: " + ", ".join(f"“{w}”" for w in words)
        result.evidence = _evidence(_best(hits), seg, f"element:{e.id}")
    return result


def _time_element(
    e: Element, hits: list[Hit], seg: SegmentedDocument, result: ElementResult
) -> ElementResult:
    assert e.time_limit is not None
    limit = parse_duration_hours(e.time_limit.max) if e.time_limit.max else None
    bounded = [(min(d.hours for d in h.deadlines), h) for h in hits if h.deadlines]
    if bounded:
        hours, hit = min(bounded, key=lambda x: (x[0], x[1].clause, x[1].sentence))
        words = next(d.text for d in hit.deadlines if d.hours == hours)
        result.evidence = _evidence([hit], seg, f"element:{e.id}")
        if limit is not None and hours > limit:
            result.hedged = True
            result.note = (
                f"deadline “{words}” (about {describe_hours(hours)}) exceeds the {e.time_limit.max} maximum"
            )
        else:
            result.note = f"deadline: “{words}”"
        return result
    words = sorted({" ".join(w.lower().split()) for h in hits for w in h.unbounded})
    accepted = [w for w in words if w in {a.lower() for a in e.time_limit.accept}]
    result.evidence = _evidence(_best(hits), seg, f"element:{e.id}")
    if accepted:
        result.note = "timing: " + ", ".join(f"“{w}”" for w in accepted)
        return result
    result.hedged = True
    result.note = "no fixed maximum: " + ", ".join(f"“{w}”" for w in words)
    return result


def _best(hits: list[Hit]) -> list[Hit]:
    """The most telling sentence: firm before unmarked, then earliest in the document."""
    return [min(hits, key=lambda h: (not h.firm, h.clause, h.sentence))]


def _evidence(hits: list[Hit], seg: SegmentedDocument, role: str) -> list[Evidence]:
    out = []
    for h in hits[:3]:
        clause = seg.clauses[h.clause]
        out.append(
            Evidence(clause.number, clause.page, h.text.strip(), role, h.terms, (h.clause, h.sentence))
        )
    return out


def _pick_evidence(
    elements: list[ElementResult], weak: list[Issue], conflicts: list[Issue]
) -> list[Evidence]:
    chosen: dict[tuple[int, int], Evidence] = {}
    for group in ([i.evidence[0] for i in conflicts if i.evidence],
                  [er.evidence[0] for er in elements if er.evidence],
                  [i.evidence[0] for i in weak if i.evidence]):  # fmt: skip
        for ev in group:
            if len(chosen) < _MAX_EVIDENCE and ev.order not in chosen:
                chosen[ev.order] = ev
    return sorted(chosen.values(), key=lambda ev: ev.order)


def _where(evs: list[Evidence]) -> str:
    places = []
    for ev in evs:
        if ev.clause:
            place = f"clause {ev.clause}" if not ev.clause[:1].isalpha() else ev.clause
        else:
            place = "an unnumbered paragraph"
        if ev.page:
            place += f" (p. {ev.page})"
        if place not in places:
            places.append(place)
    if not places:
        return "the contract"
    return ", ".join(places[:-1]) + (" and " if len(places) > 1 else "") + places[-1]


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def explain(f: Finding) -> str:
    """One or two sentences a lawyer can check against the quoted evidence."""
    found = [er for er in f.elements if er.found]
    missing_req = [er for er in f.elements if er.required and not er.found]
    hedged = [er for er in f.elements if er.required and er.hedged]
    if f.status == "missing":
        text = "Nothing in this document addresses this requirement."
        if f.incorporated_by_reference:
            text += " Not found in this document; it may be incorporated by reference from other terms the contract cites."
        return text
    if f.status == "conflict":
        parts = [f"{_where(i.evidence)} {_lower_first(i.label)}" for i in f.conflicts]
        text = "The contract works against this requirement: " + "; ".join(parts) + "."
        if found:
            text += f" Other wording does address it ({_where([e for er in found for e in er.evidence[:1]])}), so the clauses contradict each other."
        return text
    where = _where([e for er in found for e in er.evidence[:1]])
    if f.status == "partial":
        text = (
            f"Addressed in {where}, but the contract does not provide: "
            + "; ".join(_lower_first(er.label) for er in missing_req)
            + "."
        )
        if f.incorporated_by_reference:
            text += " The missing terms may be incorporated by reference from other terms the contract cites."
        return text
    if f.status == "weak":
        reasons = [f"{_lower_first(er.label)} is {er.note}" if er.note and not er.note.startswith("deadline")
                   else f"{_lower_first(er.label)}: {er.note}" for er in hedged]  # fmt: skip
        reasons += [f"{_lower_first(i.label)} ({_where(i.evidence)})" for i in f.weaknesses]
        return (
            f"Every required element is present ({where}), but the wording is weak: "
            + "; ".join(reasons)
            + "."
        )
    return f"Met in {where}: every required element is present as a firm obligation."
