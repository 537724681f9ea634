"""Match: find, sentence by sentence, where the library's patterns occur in a contract.

Every phrase of the library (term sets, inline phrases, cues for firm duties, hedges, negation,
parties, false friends) is compiled once into one spaCy `PhraseMatcher` on lemmas; the few
token patterns go to a `Matcher`. A clause is run through the pipeline once and its matches
become labels per sentence. False-friend matches ("security deposit", "breach of contract")
mask the words they cover, so the "security" inside "security deposit" never counts, while a
real cue elsewhere in the same sentence still does.

Patterns are then evaluated per sentence with the clause's context (headings, lead-ins such
as "The Provider must:", definitions of the terms it uses, clauses it cross-references), so a
sub-clause "(a) notify the Ministry within 24 hours" under "If a Privacy Breach occurs" is
read as a whole. The output is `Candidates` for the assess stage; nothing is judged here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from checker.library import AllOf, AnyOf, ClauseLibrary, Exact, InSentence, NotIn, Requirement, Signal, Tokens
from checker.model import Clause, SegmentedDocument
from checker.nlp import SEGMENT_STARTS, SHORT_TEXT_TOKENS, get_nlp
from checker.timelimits import Deadline, find_deadlines

FF = "!ff"
FIRM = "+firm"
NEG = "-neg"
AGENCY = "%agency"
PROVIDER = "%provider"
IT = "%it"
WE = "%we"
YOU = "%you"
_WE_DEFINED = re.compile(r"\((?:[^()]{0,40},\s*)?[\"“]?we\b[\"”]?(?:\s*,\s*[\"“]?us[\"”]?)?", re.I)
UNBOUNDED = "?unbounded_time"
_NEG_REACH = 4  # tokens after a negation cue within which the duty's anchor word must start
_PARTY_REACH = 10  # tokens before a subject-sensitive hedge searched for its subject
_XREF = re.compile(
    r"\b(?:clauses?|cl\.|sub-?clauses?|paragraphs?)\s+(\d{1,3}(?:\.\d{1,3})*(?:\([a-z0-9]{1,4}\))*)", re.I
)

Spans = list[tuple[int, int]]
CHUNK_CHARS = 1_000_000  # text run through the pipeline as one Doc (about 500 pages)
_NO_SPANS: Spans = []  # satisfied by context only (never mutated)
_NO_CONTEXT: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Hit:
    """A sentence where a pattern matched: where it is and how it is worded."""

    clause: int
    sentence: int
    text: str
    start: int  # character offsets of the sentence in the clause text
    end: int
    terms: tuple[tuple[int, int], ...]  # character spans (in `text`) of the matched words
    firm: bool
    hedges: tuple[str, ...]  # ids of hedge cues that govern the sentence
    hedge_words: tuple[str, ...]
    negated: bool
    deadlines: tuple[Deadline, ...] = ()
    unbounded: tuple[str, ...] = ()


@dataclass(slots=True)
class Candidates:
    """What the matcher found for one requirement; the assess stage decides the status."""

    requirement: Requirement
    elements: dict[str, list[Hit]] = field(default_factory=dict)
    weakly: dict[str, list[Hit]] = field(default_factory=dict)  # matched only by weak_patterns
    negated: dict[str, list[Hit]] = field(default_factory=dict)
    weak: dict[str, list[Hit]] = field(default_factory=dict)
    conflict: dict[str, list[Hit]] = field(default_factory=dict)


@dataclass(slots=True)
class MatchResult:
    segmented: SegmentedDocument
    candidates: list[Candidates]
    flags: dict[str, list[Hit]]  # context flags that are set (e.g. care_services)
    incorporation: list[Hit]
    outdated: dict[str, list[Hit]]


@dataclass(slots=True)
class _Sentence:
    index: int
    start: int  # char offsets in the clause text
    end: int
    tok_start: int  # first token, counted from the clause's first token
    labels: dict[str, Spans]  # label -> token spans (clause-relative)
    doc: Any = None  # the document's spaCy Doc, for token patterns run only where needed
    doc_start: int = 0  # the sentence's tokens in `doc`
    doc_end: int = 0
    tokens_done: bool = False


@dataclass(slots=True)
class _DocIndex:
    """One document's matches: per clause, their inherited context, and label -> sentences."""

    per_clause: list[_ClauseMatches]
    contexts: list[frozenset[str]]
    index: dict[str, list[tuple[int, int]]]


@dataclass(slots=True)
class _ClauseMatches:
    clause: Clause
    whole: Any  # the spaCy Doc of the run of clauses this one was matched in
    first: int  # the clause's tokens in `whole`
    last: int
    base: int  # char offset of the clause's text in `whole`
    starts: list[int]  # char offsets in `whole` where each of its tokens starts and ends
    ends: list[int]
    sentences: list[_Sentence]
    labels: set[str]
    lead_in: _Sentence | None
    _span: Any = None

    @property
    def doc(self) -> Any:
        """The clause's tokens, indexed from the clause start (made only for clauses quoted)."""
        if self._span is None:
            self._span = self.whole[self.first : self.last]
        return self._span


class Matcher:
    """A clause library compiled for one process; reuse it for every contract."""

    def __init__(self, library: ClauseLibrary) -> None:
        from spacy.matcher import Matcher as TokenMatcher
        from spacy.matcher import PhraseMatcher

        self.library = library
        self.nlp = get_nlp()
        self._phrase = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self._exact = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._exact_phrases: set[str] = set()
        self._tokens = TokenMatcher(self.nlp.vocab, validate=True)
        self._phrases: dict[str, set[str]] = {}
        self._token_keys: dict[int, str] = {}
        self._lazy_tokens = TokenMatcher(self.nlp.vocab, validate=True)
        self._triggers: dict[str, str] = {}  # token-pattern label -> label of its trigger words
        self._eager_tokens = False
        m = library.model
        for name, phrases in m.terms.items():
            self._add(f"@{name}", phrases)
        self._add(FIRM, m.firm)
        self._add(NEG, m.negations)
        self._add(UNBOUNDED, m.unbounded_time)
        self._add(AGENCY, m.agency_parties)
        self._add(PROVIDER, m.provider_parties)
        self._add(IT, ["it", "they"])  # resolved to the party named before them in the sentence
        self._add(WE, ["we", "us"])  # resolved per document from "(we, us)" in the parties clause
        self._add(YOU, ["you"])
        self._we: str | None = None
        false_friends = list(m.false_friends)
        for r in m.requirements:
            false_friends.extend(r.false_friends)
        self._add(FF, false_friends)
        self._hedge_sensitive = {f"?{h.id}": h.subject_sensitive for h in m.hedges}
        self._hedge_labels = {f"?{h.id}": h for h in m.hedges}
        for h in m.hedges:
            self._collect(h.patterns, label=f"?{h.id}")
        for p in m.incorporation:
            self._collect([p])
        for pats in m.context_flags.values():
            self._collect(pats)
        for s in m.outdated:
            self._collect(s.patterns)
        for r in m.requirements:
            for e in r.elements:
                self._collect(e.patterns)
                self._collect(e.weak_patterns)
            for s in [*r.weak, *r.conflict]:
                self._collect(s.patterns)
        # One match key per distinct lemma sequence, standing for every label that holds it:
        # "records" is in a dozen term sets, and one match instead of a dozen keeps the
        # per-match work (a few thousand matches per contract) small.
        self._aliases = self._role_aliases(m.role_aliases)
        grouped: dict[str, tuple[Any, set[str]]] = {}
        for label, phrases in sorted(self._phrases.items()):
            for phrase_doc in map(self._process, sorted(phrases)):
                lemmas = "\x1f".join(t.lemma_ for t in phrase_doc)
                grouped.setdefault(lemmas, (phrase_doc, set()))[1].add(label)
        self._labels_of_key: dict[int, tuple[str, ...]] = {}
        for lemmas, (phrase_doc, labels) in sorted(grouped.items()):
            name = "L\x1f" + lemmas
            self._phrase.add(name, [phrase_doc])
            self._labels_of_key[self.nlp.vocab.strings[name]] = tuple(sorted(labels))
        for phrase in sorted(self._exact_phrases):
            self._exact.add(exact_label(phrase), [self.nlp.make_doc(phrase)])
        self._ff_labels = {k for k, labels in self._labels_of_key.items() if FF in labels}
        self._need_cache: dict[int, frozenset[str]] = {}
        self._compiled: dict[tuple[int, bool], Any] = {}
        self._groups_cache: dict[int, list[tuple[frozenset[str], bool]]] = {}
        self._labels_cache: dict[str, frozenset[str]] = {}

    # -- compilation -------------------------------------------------------------------------

    def _role_aliases(self, aliases: dict[str, list[str]]) -> dict[int, int]:
        """Lemma hash of each alias -> lemma hash of the name it is read as (also kept as two
        sorted arrays, for long texts). A name the tokenizer splits ("service provider",
        "sub-processor") is first made one token (`_merged`), whose lemma is then aliased like
        any other."""
        import numpy
        from spacy.matcher import PhraseMatcher

        names = {w for canonical, words in aliases.items() for w in (canonical, *words)}
        several = sorted(w for w in names if len(self.nlp.make_doc(w)) > 1)
        self._names = PhraseMatcher(self.nlp.vocab, attr="LOWER") if several else None
        for name in several:
            self._names.add("N\x1f" + name, [self.nlp.make_doc(name)])

        def lemma(name: str) -> int:
            return self.nlp(self._merged(self.nlp.make_doc(name)))[0].lemma

        out = {lemma(w): lemma(canonical) for canonical, words in aliases.items() for w in words}
        keys = sorted(out)
        self._alias_keys = numpy.array(keys, dtype="uint64")
        self._alias_targets = numpy.array([out[k] for k in keys], dtype="uint64")
        return out

    def _merged(self, doc: Any, borders: list[int] | None = None) -> Any:
        """The tokenised Doc with each multi-word role name ("Service Provider", "Oranga
        Tamariki") merged into one token, so that a phrase written with "the provider" also
        reads "the Service Provider". `borders` are character offsets where clauses start: a
        name is never merged across one."""
        if self._names is None:
            return doc
        from bisect import bisect_right

        from spacy.util import filter_spans

        spans = [doc[s:e] for _, s, e in self._names(doc)]
        if borders:
            spans = [
                sp
                for sp in spans
                if (i := bisect_right(borders, sp.start_char)) == len(borders) or borders[i] >= sp.end_char
            ]
        spans = filter_spans(spans)
        if spans:
            with doc.retokenize() as retokenizer:
                for sp in spans:
                    retokenizer.merge(sp)
        return doc

    def _process(self, text: str) -> Any:
        """A short text (a library phrase, a heading) through the same steps as a contract."""
        return self._aliased(self.nlp(self._merged(self.nlp.make_doc(text))))

    def _aliased(self, doc: Any) -> Any:
        """The Doc with role names replaced by the name they are read as, in its lemmas only
        (the text, and so every quote, is untouched), so phrases match under any role name."""
        if not self._aliases:
            return doc
        import numpy
        from spacy.attrs import LEMMA

        lemmas = doc.to_array(LEMMA)
        if len(doc) < SHORT_TEXT_TOKENS:  # phrases, headings: numpy's cost per call would dominate
            values = lemmas.tolist()
            if not any(v in self._aliases for v in values):
                return doc
            lemmas = numpy.array([self._aliases.get(v, v) for v in values], dtype="uint64")
        else:
            at = numpy.searchsorted(self._alias_keys, lemmas).clip(max=len(self._alias_keys) - 1)
            hit = self._alias_keys[at] == lemmas
            if not hit.any():
                return doc
            lemmas = numpy.where(hit, self._alias_targets[at], lemmas)
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc

    def _add(self, label: str, phrases: list[str]) -> None:
        if phrases:
            self._phrases.setdefault(label, set()).update(p.strip() for p in phrases if p.strip())

    def _collect(self, patterns: list[Any], label: str | None = None) -> None:
        for p in patterns:
            if isinstance(p, str):
                if not p.startswith("@"):
                    self._add(label or phrase_label(p), [p])
            elif isinstance(p, AllOf):
                self._collect(p.all)
            elif isinstance(p, InSentence):
                self._collect(p.sentence)
            elif isinstance(p, AnyOf):
                self._collect(p.any)
            elif isinstance(p, NotIn):
                self._collect(p.none)
            elif isinstance(p, Exact):
                self._exact_phrases.add(p.exact.strip())
            elif isinstance(p, Tokens):
                key = token_label(p)
                if key in self._token_keys.values():
                    continue
                self._token_keys[len(self._token_keys)] = key
                triggers = _first_token_words(p.tokens)
                if triggers:  # run it only on sentences holding its first word (Matcher is slow)
                    self._lazy_tokens.add(key, [p.tokens])
                    self._triggers[key] = f"^{key}"
                    self._add(f"^{key}", triggers)
                else:
                    self._tokens.add(key, [p.tokens])
                    self._eager_tokens = True

    # -- matching ------------------------------------------------------------------------------

    def match(self, segmented: SegmentedDocument) -> MatchResult:
        clauses = segmented.clauses
        self._we = self._who_is_we(clauses)
        per_clause = self._clause_matches(clauses)
        index: dict[str, list[tuple[int, int]]] = {}
        for ci, cm in enumerate(per_clause):
            for si, sent in enumerate(cm.sentences):
                for label in sent.labels:
                    index.setdefault(label, []).append((ci, si))
        doc = _DocIndex(per_clause, self._contexts(segmented, per_clause), index)
        m = self.library.model
        flags = {}
        for name, pats in m.context_flags.items():
            hits = self._scan(pats, doc, limit=3)
            if hits:
                flags[name] = hits
        incorporation = self._scan(m.incorporation, doc, limit=3) if m.incorporation else []
        outdated = {}
        for s in m.outdated:
            hits = self._scan(s.patterns, doc, limit=3)
            if hits:
                outdated[s.id] = hits
        candidates = [self._requirement(r, doc, flags) for r in m.requirements]
        return MatchResult(segmented, candidates, flags, incorporation, outdated)

    def _raw_matches(
        self, doc: Any, part_of: list[int] | None = None
    ) -> list[tuple[tuple[str, ...], int, int]]:
        """(labels, start, end) of every match not covered by a false friend: a phrase stands for
        every label that holds it. With `part_of` (token -> clause), matches that run across two
        clauses are dropped. A contract gives thousands of matches, so this is kept lean."""
        found = self._phrase(doc)
        if self._exact_phrases:
            found += self._exact(doc)
        if self._eager_tokens:
            found += self._tokens(doc)
        if part_of is not None:
            found = [m for m in found if part_of[m[1]] == part_of[m[2] - 1] >= 0]
        labels_of = self._labels_of_key
        ff = self._ff_labels
        masked = None
        for k, s, e in found:
            if k in ff:
                if masked is None:
                    masked = bytearray(len(doc))
                masked[s:e] = b"\x01" * (e - s)
        out = []
        for k, s, e in found:
            if masked is not None and masked.find(1, s, e) >= 0:
                continue
            labels = labels_of.get(k)
            if labels is None:
                labels = labels_of[k] = (self.nlp.vocab.strings[k],)
            out.append((labels, s, e))
        return out

    def _clause_matches(self, clauses: list[Clause]) -> list[_ClauseMatches]:
        """Labels per sentence of every clause, the document run through the pipeline in runs
        of whole clauses of up to `CHUNK_CHARS` (clauses are matched independently, so the cut
        changes nothing; it bounds the memory of one Doc and stays under spaCy's `max_length`)."""
        out: list[_ClauseMatches] = []
        start, size = 0, 0
        for i, clause in enumerate(clauses):
            if i > start and size + len(clause.text) + 1 > CHUNK_CHARS:
                out += self._run_matches(clauses[start:i])
                start, size = i, 0
            size += len(clause.text) + 1
        if start < len(clauses):
            out += self._run_matches(clauses[start:])
        return out

    def _run_matches(self, clauses: list[Clause]) -> list[_ClauseMatches]:
        """Labels per sentence of a run of clauses, from one pass of the pipeline.

        The clauses are joined by a space, which the tokenizer splits on anyway, so each clause
        is tokenised exactly as it would be alone; the sentencizer is told where clauses start
        (a sentence never runs from one into the next) and matches across a clause border are
        dropped. One Doc instead of one per clause removes spaCy's fixed cost per Doc and per
        matcher call, which was a third of the matching time."""
        import numpy
        from spacy.attrs import IDX, LENGTH, SENT_START

        bases, pos = [], 0
        for c in clauses:
            bases.append(pos)
            pos += len(c.text) + 1
        doc = self._merged(self.nlp.make_doc(" ".join(c.text for c in clauses)), bases[1:])
        geometry = doc.to_array([IDX, LENGTH])
        idx, length = geometry[:, 0], geometry[:, 1]
        firsts = numpy.searchsorted(idx, bases).tolist()
        lasts = numpy.searchsorted(
            idx, [b + len(c.text) for b, c in zip(bases, clauses, strict=True)]
        ).tolist()
        doc.user_data[SEGMENT_STARTS] = [a for a, b in zip(firsts, lasts, strict=True) if a < b]
        doc = self._aliased(self.nlp(doc))
        part_of = numpy.full(len(doc), -1, dtype="int64")
        for ci, (a, b) in enumerate(zip(firsts, lasts, strict=True)):
            part_of[a:b] = ci
        sent_starts = numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist()
        sent_of = numpy.searchsorted(sent_starts, numpy.arange(len(doc)), side="right") - 1
        idx_l, ends_l, sent_of_l, part_of_l = (
            idx.tolist(),
            (idx + length).tolist(),
            sent_of.tolist(),
            part_of.tolist(),
        )
        sentences: dict[int, _Sentence] = {}  # by index of its first token's sentence in the Doc
        per_clause: list[_ClauseMatches] = []
        for clause, a, b, base in zip(clauses, firsts, lasts, bases, strict=True):
            mine: list[_Sentence] = []
            if a < b:
                j = sent_of_l[a]
                while j < len(sent_starts) and sent_starts[j] < b:
                    s0 = sent_starts[j]
                    s1 = min(sent_starts[j + 1], b) if j + 1 < len(sent_starts) else b
                    sent = _Sentence(len(mine), idx_l[s0] - base, ends_l[s1 - 1] - base,
                                     s0 - a, {}, doc, s0, s1)  # fmt: skip
                    sentences[j] = sent
                    mine.append(sent)
                    j += 1
            per_clause.append(
                _ClauseMatches(
                    clause, doc, a, b, base, idx_l, ends_l, mine, set(), mine[-1] if mine else None
                )
            )
        for labels, s, e in self._raw_matches(doc, part_of_l):
            ci = part_of_l[s]
            a = firsts[ci]
            span = (s - a, e - a)
            where = sentences[sent_of_l[s]].labels
            for label in labels:
                spans = where.get(label)
                if spans is None:
                    where[label] = [span]
                else:
                    spans.append(span)
            per_clause[ci].labels.update(labels)
        return per_clause

    def _contexts(
        self, segmented: SegmentedDocument, per_clause: list[_ClauseMatches]
    ) -> list[frozenset[str]]:
        """Labels a clause inherits: ancestors (lead-ins, headings), definitions, cross-references."""
        clauses = segmented.clauses
        by_number: dict[str, list[int]] = {}
        for c in clauses:
            if c.number:
                by_number.setdefault(c.number, []).append(c.index)
        defs = {d.term: d.clause for d in segmented.definitions}
        def_rx = (
            re.compile(r"\b(" + "|".join(sorted(map(re.escape, defs), key=len, reverse=True)) + r")\b")
            if defs
            else None
        )
        out: list[frozenset[str]] = []
        for c in clauses:
            ctx: set[str] = set()
            parent, depth = c.parent, 0
            while parent is not None and depth < 6:
                ctx |= per_clause[parent].labels
                parent, depth = clauses[parent].parent, depth + 1
            if c.heading:
                ctx |= self._labels_of(c.heading)
            if c.kind == "table_cell" and c.context:
                ctx |= self._labels_of(c.context)
            if def_rx is not None:
                for term in set(def_rx.findall(c.text)):
                    if defs[term] != c.index:
                        ctx |= per_clause[defs[term]].labels
            for ref in _XREF.findall(c.text):
                for target in by_number.get(ref, [])[:2]:
                    if target != c.index:
                        ctx |= per_clause[target].labels
            out.append(frozenset(ctx))
        return out

    def _labels_of(self, text: str) -> frozenset[str]:
        """Labels found in a heading or table-context string (the same strings recur: cached)."""
        got = self._labels_cache.get(text)
        if got is None:
            got = frozenset(
                label for labels, _, _ in self._raw_matches(self._process(text)) for label in labels
            )
            if len(self._labels_cache) > 20_000:
                self._labels_cache.clear()
            self._labels_cache[text] = got
        return got

    # -- evaluation ------------------------------------------------------------------------------

    def _requirement(self, r: Requirement, doc: _DocIndex, flags: dict) -> Candidates:
        cand = Candidates(requirement=r)
        for e in r.elements:
            if e.patterns:
                found, negated = self._element_hits(e.patterns, doc)
                if found:
                    cand.elements[e.id] = found
                if negated:
                    cand.negated[e.id] = negated
            if e.weak_patterns and e.id not in cand.elements:
                weakly, _ = self._element_hits(e.weak_patterns, doc)
                if weakly:
                    cand.weakly[e.id] = weakly
        for e in r.elements:
            if e.time_limit is None:
                continue
            anchors = (
                cand.elements.get(e.time_limit.anchor, [])
                if e.time_limit.anchor
                else [h for eid, hits in cand.elements.items() if eid != e.id for h in hits]
            )
            timed = [
                h
                for h in (self._with_deadlines(h, doc.per_clause) for h in anchors)
                if h.deadlines or h.unbounded
            ]
            if e.patterns:
                own = (
                    self._with_deadlines(h, doc.per_clause, clause_level=False)
                    for h in cand.elements.get(e.id, [])
                )
                timed += [h for h in own if h.deadlines or h.unbounded]
            if timed:
                cand.elements[e.id] = _dedupe(timed)
            else:
                cand.elements.pop(e.id, None)
        for kind in ("weak", "conflict"):
            for s in getattr(r, kind):
                if s.when and s.when not in flags:
                    continue
                hits = self._signal_hits(s, doc)
                if hits:
                    getattr(cand, kind)[s.id] = hits
        return cand

    def _sentences_for(self, patterns: list[Any], doc: _DocIndex, strict: bool) -> list[tuple[int, int]]:
        """(clause, sentence) positions, in document order, that can match one of `patterns`:
        they hold the anchor's labels, and every other part's labels in the sentence (or, where
        context may lend them, in the clause's context). Only these are evaluated in full."""
        positions: set[tuple[int, int]] = set()
        for p in patterns:
            groups = self._groups(p)
            first, rest = groups[0], groups[1:]
            for label in first[0]:
                for ci, si in doc.index.get(label, ()):
                    if (ci, si) in positions:
                        continue
                    labels = doc.per_clause[ci].sentences[si].labels
                    ctx = doc.contexts[ci]
                    for need, lend in rest:  # set operations, not generators: this is the hot loop
                        if need.isdisjoint(labels) and (strict or not lend or need.isdisjoint(ctx)):
                            break
                    else:
                        positions.add((ci, si))
        return sorted(positions)

    def _groups(self, p: Any) -> list[tuple[frozenset[str], bool]]:
        """Label sets a sentence must meet for `p`: [(any of these labels, may come from context)]."""
        key = id(p)
        got = self._groups_cache.get(key)
        if got is None:
            if isinstance(p, AllOf):
                parts = _parts(p)
                got = [(self._need(parts[0]), False)] + [(self._need(q), True) for q in parts[1:]]
            elif isinstance(p, InSentence):
                got = [(self._need(q), False) for q in _parts(p)]
            else:
                got = [(self._need(p), False)]
            got = [g for g in got if g[0]] or [(frozenset(), False)]
            self._groups_cache[key] = got
        return got

    def _matches(self, patterns: list[Any], doc: _DocIndex, strict: bool = False):
        """Yield a `Hit` for every sentence where one of `patterns` matches."""
        for ci, si in self._sentences_for(patterns, doc, strict):
            cm = doc.per_clause[ci]
            sent = cm.sentences[si]
            got = self._eval_any(patterns, sent, doc.contexts[ci], strict=strict)
            if got is not None:
                yield self._hit(cm, sent, *got, doc.per_clause)

    def _element_hits(self, patterns: list[Any], doc: _DocIndex) -> tuple[list[Hit], list[Hit]]:
        found, negated = [], []
        for hit in self._matches(patterns, doc):
            (negated if hit.negated else found).append(hit)
        return found, negated

    def _signal_hits(self, s: Signal, doc: _DocIndex) -> list[Hit]:
        return [hit for hit in self._matches(s.patterns, doc, strict=True) if not hit.negated]

    def _scan(self, patterns: list[Any], doc: _DocIndex, limit: int) -> list[Hit]:
        hits = []
        for hit in self._matches(patterns, doc):
            hits.append(hit)
            if len(hits) >= limit:
                break
        return hits

    def _eval_any(
        self, patterns: list[Any], sent: _Sentence, ctx: frozenset[str], strict: bool = False
    ) -> tuple[Spans, Spans] | None:
        """(spans, anchor spans) of the first pattern that matches this sentence. With `strict`, context lends nothing
        (weak and conflict wordings must stand in one sentence)."""
        for p in patterns:
            need = self._need(p)
            if need and not any(label in sent.labels for label in need):
                continue
            spans = self._eval(p, sent, frozenset() if strict else ctx, top=True)
            if spans:
                return spans, self._anchor(p, sent)
        return None

    def _anchor(self, p: Any, sent: _Sentence) -> Spans:
        """The spans of a pattern's anchor (first part): what a negation must govern."""
        if isinstance(p, (str, Tokens, Exact)):
            return sent.labels.get(_label(p), [])
        if isinstance(p, (AllOf, InSentence)):
            return self._anchor(_parts(p)[0], sent)
        if isinstance(p, AnyOf):
            for q in p.any:
                got = self._anchor(q, sent)
                if got:
                    return got
        return []

    def _need(self, p: Any) -> frozenset[str]:
        """Labels of which at least one must occur in a sentence for `p` to match there."""
        key = id(p)
        got = self._need_cache.get(key)
        if got is None:
            if isinstance(p, str):
                got = frozenset([_label(p)])
            elif isinstance(p, (AllOf, InSentence)):
                got = self._need(_parts(p)[0])
            elif isinstance(p, AnyOf):
                got = frozenset().union(*(self._need(q) for q in p.any))
            elif isinstance(p, Tokens):
                got = frozenset([self._triggers.get(_label(p), _label(p))])
            elif isinstance(p, Exact):
                got = frozenset([_label(p)])
            else:
                got = frozenset()
            self._need_cache[key] = got
        return got

    def _eval(self, p: Any, sent: _Sentence, ctx: frozenset[str], top: bool = False) -> Spans | None:
        """Spans of `p` in the sentence, [] when satisfied by context only, None when absent.

        In a top-level `all`, the first pattern is the anchor and must occur in the sentence
        itself (a nested `all` in that place must occur there whole); the others may be supplied
        by the clause's context (headings, lead-in, definitions, cross-references). That keeps
        "(a) notify the Ministry within 24 hours" under "If a Privacy Breach occurs:" a breach
        notice, without letting a heading lend its topic to every sentence beneath it.
        """
        key = (id(p), top)
        fn = self._compiled.get(key)
        if fn is None:
            fn = self._compiled[key] = self._compile(p, top)
        return fn(sent, ctx)

    def _compile(self, p: Any, top: bool):
        """Turn a pattern into a function (sentence, context) -> spans | [] | None, once."""
        if isinstance(p, (str, Tokens, Exact)):
            label = _label(p)
            trigger = self._triggers.get(label) if isinstance(p, Tokens) else None

            def leaf(sent: _Sentence, ctx: frozenset[str]) -> Spans | None:
                if trigger is not None and not sent.tokens_done and trigger in sent.labels:
                    self._run_lazy_tokens(sent)
                got = sent.labels.get(label)
                if got is not None:
                    return got
                return _NO_SPANS if label in ctx else None

            return leaf
        if isinstance(p, AnyOf):
            options = [self._compile(q, top) for q in p.any]

            def any_of(sent: _Sentence, ctx: frozenset[str]) -> Spans | None:
                fallback = None
                for option in options:
                    got = option(sent, ctx)
                    if got:
                        return got
                    if got is not None:
                        fallback = got
                return fallback

            return any_of
        if isinstance(p, InSentence):
            inner = self._compile_all(p.sentence, top=False)
            return lambda sent, ctx: inner(sent, _NO_CONTEXT)
        if isinstance(p, AllOf):
            return self._compile_all(p.all, top)
        return lambda sent, ctx: None

    def _compile_all(self, parts: list[Any], top: bool):
        steps = [
            ("none", [self._compile(x, False) for x in q.none])
            if isinstance(q, NotIn)
            else ("part", self._compile(q, False))
            for q in parts
        ]

        def all_of(sent: _Sentence, ctx: frozenset[str]) -> Spans | None:
            spans: Spans = []
            anchor = True
            for kind, fn in steps:
                if kind == "none":
                    if any(g(sent, _NO_CONTEXT) for g in fn):
                        return None
                    continue
                got = fn(sent, _NO_CONTEXT if (anchor and top) else ctx)
                if got is None or (anchor and top and not got):
                    return None
                anchor = False
                spans.extend(got)
            return spans

        return all_of

    def _run_lazy_tokens(self, sent: _Sentence) -> None:
        sent.tokens_done = True
        vocab = self.nlp.vocab.strings
        for key, s, e in self._lazy_tokens(sent.doc[sent.doc_start : sent.doc_end]):
            sent.labels.setdefault(vocab[key], []).append((s + sent.tok_start, e + sent.tok_start))

    # -- describing a hit -------------------------------------------------------------------------

    def _hit(self, cm: _ClauseMatches, sent: _Sentence, spans: Spans, anchor: Spans, per_clause) -> Hit:
        doc = cm.doc
        at = cm.base + sent.start  # token offsets count from the start of the run's Doc
        text = cm.clause.text[sent.start : sent.end]
        starts, ends, f = cm.starts, cm.ends, cm.first
        terms = tuple(sorted({(starts[f + s] - at, ends[f + e - 1] - at) for s, e in spans}))
        firm, hedges, words = self._modality(sent, doc)
        if not firm and not hedges:
            firm, hedges, words = self._inherited_modality(cm, per_clause)
        negated = _negated(sent, anchor or spans)
        unbounded = tuple(doc[s:e].text for s, e in sent.labels.get(UNBOUNDED, []))
        return Hit(cm.clause.index, sent.index, text, sent.start, sent.end, terms, firm, hedges, words,
                   negated, (), unbounded)  # fmt: skip

    def _modality(self, sent: _Sentence, doc: Any) -> tuple[bool, tuple[str, ...], tuple[str, ...]]:
        firm_spans = sent.labels.get(FIRM, [])
        hedges: list[str] = []
        words: list[str] = []
        for label, spans in sent.labels.items():
            if label not in self._hedge_labels:
                continue
            for s, e in spans:
                if any(fs <= s < fe for fs, fe in firm_spans):  # "may only", "may not": firm
                    continue
                if self._hedge_sensitive.get(label) and (
                    self._governed_elsewhere(sent, s, firm_spans) or _restrictive(doc, sent, s, e)
                ):
                    continue
                hedges.append(label[1:])
                words.append(doc[s:e].text)
                break
        return bool(firm_spans), tuple(sorted(set(hedges))), tuple(words)

    def _governed_elsewhere(self, sent: _Sentence, start: int, firm_spans: Spans) -> bool:
        """A discretionary word ('may') is not a hedge on the provider's duty when the agency is
        its subject ('the Ministry may audit', '... it may suspend' after 'If the Ministry
        believes', '... and may inspect' after 'the Ministry may visit') or a firm duty governs
        the sentence before it."""
        if any(fe <= start for _, fe in firm_spans):
            return True
        subject = self._subject_before(sent, start, _PARTY_REACH)
        if subject is None:  # coordinated: "the Ministry may visit ... and may inspect"
            for label, spans in sent.labels.items():
                if self._hedge_sensitive.get(label):
                    earlier = [s for s, _ in spans if s < start]
                    if earlier and self._subject_before(sent, earlier[-1], _PARTY_REACH) == AGENCY:
                        return True
        return subject == AGENCY

    def _subject_before(self, sent: _Sentence, start: int, reach: int | None) -> str | None:
        """The party (AGENCY or PROVIDER) named nearest before token `start` in the sentence."""
        nearest = None
        for label in (AGENCY, PROVIDER, IT, WE, YOU):
            for s, e in sent.labels.get(label, []):
                if (
                    e <= start
                    and (reach is None or start - e <= reach)
                    and (nearest is None or e > nearest[2])
                ):
                    nearest = (label, s, e)
        if nearest is None:
            return None
        label, s, _ = nearest
        if label == IT:
            return self._subject_before(sent, s, None) or PROVIDER
        if label == WE:
            return self._we
        if label == YOU:
            return {AGENCY: PROVIDER, PROVIDER: AGENCY}.get(self._we or "")
        return label

    def _who_is_we(self, clauses: list[Clause]) -> str | None:
        """Letters and vendor terms say who "we" are in the parties clause: "Oranga Tamariki
        (we, us)" or "Nimbus Limited (Nimbus, we, us)"."""
        agency = {w.lower() for w in self.library.model.agency_parties}
        for clause in clauses[:40]:
            m = _WE_DEFINED.search(clause.text)
            if m:
                before = re.split(r"[.;)]", clause.text[: m.start()])[-1].lower()
                return AGENCY if any(re.search(rf"\b{re.escape(a)}\b", before) for a in agency) else PROVIDER
        return None

    def _inherited_modality(
        self, cm: _ClauseMatches, per_clause
    ) -> tuple[bool, tuple[str, ...], tuple[str, ...]]:
        parent, depth = cm.clause.parent, 0
        while parent is not None and depth < 4:
            pm = per_clause[parent]
            if pm.lead_in is not None:
                firm, hedges, words = self._modality(pm.lead_in, pm.doc)
                if firm or hedges:
                    return firm, hedges, words
            parent, depth = pm.clause.parent, depth + 1
        return False, (), ()

    def _with_deadlines(self, hit: Hit, per_clause: list[_ClauseMatches], clause_level: bool = True) -> Hit:
        """Deadlines are looked for (only for time elements) in the anchor's sentence, then, with
        `clause_level`, anywhere in the same clause."""
        deadlines = _deadlines(hit.text)
        unbounded = hit.unbounded
        if not deadlines and not unbounded and clause_level:
            cm = per_clause[hit.clause]
            deadlines = _deadlines(cm.clause.text)
            unbounded = tuple(
                cm.doc[s:e].text for sent in cm.sentences for s, e in sent.labels.get(UNBOUNDED, [])
            )
        if not deadlines and not unbounded:
            return hit
        return Hit(hit.clause, hit.sentence, hit.text, hit.start, hit.end, hit.terms, hit.firm, hit.hedges,
                   hit.hedge_words, hit.negated, deadlines, unbounded)  # fmt: skip


_LABELS: dict[int, tuple[Any, str]] = {}


def _parts(p: AllOf | InSentence) -> list[Any]:
    """The positive parts of an `all` or `sentence` pattern (its `none` filters left out)."""
    return [q for q in (p.all if isinstance(p, AllOf) else p.sentence) if not isinstance(q, NotIn)]


def _label(p: str | Tokens | Exact) -> str:
    """The match label of a leaf pattern (memoised: patterns live as long as their library)."""
    got = _LABELS.get(id(p))
    if got is not None and got[0] is p:
        return got[1]
    label = _compute_label(p)
    _LABELS[id(p)] = (p, label)
    return label


def _compute_label(p: str | Tokens | Exact) -> str:
    if isinstance(p, Tokens):
        return token_label(p)
    if isinstance(p, Exact):
        return exact_label(p.exact)
    return p if p.startswith("@") else phrase_label(p)


def exact_label(phrase: str) -> str:
    return "~" + " ".join(phrase.lower().split())


def phrase_label(phrase: str) -> str:
    return "=" + " ".join(phrase.lower().split())


def token_label(p: Tokens) -> str:
    import json

    return "#" + json.dumps(p.tokens, sort_keys=True)


@lru_cache(maxsize=8192)
def _deadlines(text: str) -> tuple[Deadline, ...]:
    return tuple(find_deadlines(text))


def _first_token_words(tokens: list[dict[str, Any]]) -> list[str]:
    """The words a token pattern's first token must be (LEMMA/LOWER/ORTH), if it names them."""
    first = tokens[0] if tokens else {}
    if first.get("OP") in ("?", "*"):
        return []
    for attr in ("LEMMA", "LOWER", "ORTH"):
        value = first.get(attr)
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict) and isinstance(value.get("IN"), list):
            return [str(v) for v in value["IN"]]
    return []


_LIMITERS = {"only", "not", "never", "solely"}
_PROHIBITING_OPENERS = {"only", "no", "none", "neither", "nobody", "nothing"}


def _restrictive(doc: Any, sent: _Sentence, start: int, end: int) -> bool:
    """A "may" that restricts or merely describes is not a hedge on a duty:
    - limited by "only"/"not" later in the same clause: "may be used by the Provider only to ...";
    - in a sentence that opens with a limiter: "Only staff who ... may access", "No member of
      staff may access ...";
    - epistemic: "may have been lost", "may be public records" (not a permission to act)."""
    stop = min(len(doc), end + 25)
    for t in doc[end:stop]:
        if t.text in (";", ":") or t.is_sent_start:
            break
        if t.lower_ in _LIMITERS:
            return True
    opener = next((t for t in doc[sent.tok_start : start] if not t.is_punct and not t.like_num), None)
    if opener is not None and opener.lower_ in _PROHIBITING_OPENERS:
        return True
    following = [t.lower_ for t in doc[end : end + 2]]
    if following[:1] == ["have"]:
        return True
    participle = ("ed", "en", "wn", "ld", "ht")  # "may be stored/given/shown/held/sought": a permission
    return following[:1] == ["be"] and len(following) > 1 and not following[1].endswith(participle)


def _negated(sent: _Sentence, spans: Spans) -> bool:
    for ns, ne in sent.labels.get(NEG, []):
        for s, _ in spans:
            if ne <= s <= ne + _NEG_REACH or ns <= s < ne:
                return True
    return False


def _dedupe(hits: list[Hit]) -> list[Hit]:
    seen, out = set(), []
    for h in hits:
        if (h.clause, h.sentence) not in seen:
            seen.add((h.clause, h.sentence))
            out.append(h)
    return out
