"""The spaCy pipeline: tokenizer, sentencizer and a lower-case lookup lemmatizer.

No trained English pipeline can be installed here (DESIGN §8), so the pipeline is
`spacy.blank("en")` plus spaCy's own English lemma lookup table (from spacy-lookups-data). The
table is case-sensitive, so lemmas are looked up on the lower-cased word; that makes
"Notified", "notifies" and "notify" one lemma for the matchers. Built once per process.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # spaCy is imported lazily: `contract-check --help` must stay fast
    from spacy.language import Language

# Abbreviations after which the sentencizer must not break ("see cl. 4", "s. 11", "Art. 28").
_ABBREVIATIONS = [
    "cl.", "Cl.", "cls.", "no.", "No.", "nos.", "Art.", "art.", "para.", "paras.", "s.", "ss.", "Sch.",
    "sch.", "Pt.", "pt.", "e.g.", "i.e.", "etc.", "incl.", "approx.", "Ltd.", "Inc.", "Co.", "Reg.",
    "reg.", "Dr.", "Mr.", "Ms.", "Mrs.", "vs.", "cf.", "N.Z.", "U.K.", "U.S.",
]  # fmt: skip


# The lookup table folds some function words together ("as" and "an" both become "a", "those"
# becomes "that"), which would make "as appropriate" match "an appropriate"; keep them apart.
_LEMMA_OVERRIDES = {
    "as": "as", "an": "an", "does": "do", "number": "number", "numbers": "number", "less": "less",
    "those": "those", "these": "these", "ground": "ground", "grounds": "ground", "lest": "lest",
    # contraction pieces the table maps to "have"/"be", which would make "AI" match every "'s"
    "ai": "ai", "'s": "'s", "'d": "'d", "'ve": "'ve", "'re": "'re",
}  # fmt: skip


# Typographic quotes are read as the plain ones: Word's smart quotes turn "the Provider's policy"
# into "the Provider’s policy", and the library (like most people typing a pattern) uses plain ones.
_PLAIN_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"'}
)

# US and British spellings are one lemma, so a library typed in New Zealand English also reads
# US drafting ("authorized", "organization", "commercially reasonable endeavors"): -ize/-yze
# words take -ise/-yse, and a few others their British form. Library phrases are lemmatised the
# same way, so this can only merge spellings, never make a phrase miss.
_IZE = re.compile(r"(?<=[a-z]{3})([iy])z(?=(?:e|ed|es|ing|ation|ations|er|ers|able)$)")
_ISE = re.compile(r"(?<=[a-z]{3})([iy])s(?=(?:e|ed|es|ing|ation|ations|er|ers|able)$)")
_BRITISH = {
    "endeavor": "endeavour", "behavior": "behaviour", "favor": "favour", "honor": "honour",
    "labor": "labour", "color": "colour", "neighbor": "neighbour", "harbor": "harbour",
    "center": "centre", "defense": "defence", "offense": "offence", "judgment": "judgement",
    "acknowledgment": "acknowledgement", "program": "programme", "fulfill": "fulfil",
    "enroll": "enrol", "enrollment": "enrolment", "fulfillment": "fulfilment", "installment": "instalment",
    "practise": "practice", "catalog": "catalogue",
}  # fmt: skip

# Doc.user_data key: token indices where a sentence must start (the first token of each clause
# when a whole document is run as one Doc); without it, a Doc is one passage.
SEGMENT_STARTS = "checker.segment_starts"

# The longest text run through the pipeline at once. A whole contract is cut into runs of clauses
# well under this; a single paragraph longer than this is not contract text (`checker.api`).
MAX_TEXT_CHARS = 5_000_000

# Texts shorter than this many tokens (phrases, headings) skip the array code paths.
SHORT_TEXT_TOKENS = 48


def _lemma(word: str, table: Any) -> str:
    """The lemma of a lower-cased word: plain quotes, then the lookup table (tried on the British
    spelling, the word as written and the US spelling, so that a word the table knows in one
    spelling only still gets its lemma), then the British spelling of the lemma."""
    low = word.translate(_PLAIN_QUOTES)
    if low in _LEMMA_OVERRIDES:
        return _LEMMA_OVERRIDES[low]
    british = _IZE.sub(r"\1s", low)
    for form in (british, low, _ISE.sub(r"\1z", low)):
        lemma = table.get(form)
        if lemma is not None:
            break
    else:
        lemma = british
    lemma = _IZE.sub(r"\1s", lemma)
    return _BRITISH.get(lemma, lemma)


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    import numpy
    import spacy
    from spacy.attrs import IS_PUNCT, LEMMA, LOWER, ORTH, SENT_START
    from spacy.language import Language as _Language
    from spacy.lookups import load_lookups
    from spacy.pipeline.sentencizer import Sentencizer

    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")

    if not _Language.has_factory("lower_lookup_lemmatizer"):

        @_Language.factory("lower_lookup_lemmatizer")
        def _make(nlp: _Language, name: str):
            """Lemmas by table lookup. Word hashes are 64-bit and turning them into Python ints
            costs more than the lookup, so in a long text the words this process has seen are
            found with numpy; short texts (phrases, headings) take the plain loop, because numpy's
            fixed cost per call would dominate there."""
            strings = nlp.vocab.strings
            lemma_of: dict[int, int] = {}  # hash of the lower-cased word -> hash of its lemma
            known = [numpy.zeros(0, dtype="uint64"), numpy.zeros(0, dtype="uint64")]  # sorted keys, lemmas

            def lemma(h: int) -> int:
                got = lemma_of.get(h)
                if got is None:
                    got = lemma_of[h] = strings.add(_lemma(strings[h], table))
                return got

            def lemmatize(doc):
                if len(doc) < SHORT_TEXT_TOKENS:
                    if len(doc):
                        lemmas = [lemma(h) for h in doc.to_array(LOWER).tolist()]
                        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
                    return doc
                lowers, where = numpy.unique(doc.to_array(LOWER), return_inverse=True)
                keys, lemmas = known
                at = numpy.searchsorted(keys, lowers).clip(max=max(len(keys) - 1, 0))
                found = (keys[at] == lowers) if len(keys) else numpy.zeros(len(lowers), dtype=bool)
                if not found.all():
                    new = lowers[~found]
                    fresh = numpy.array([lemma(h) for h in new.tolist()], dtype="uint64")
                    keys = numpy.concatenate([keys, new])
                    order = numpy.argsort(keys, kind="stable")
                    keys = keys[order]
                    lemmas = numpy.concatenate([lemmas, fresh])[order]
                    known[:] = [keys, lemmas]
                    at = numpy.searchsorted(keys, lowers)
                doc.from_array([LEMMA], lemmas[at][where].reshape(-1, 1))
                return doc

            return lemmatize

    if not _Language.has_factory("array_sentencizer"):

        @_Language.factory("array_sentencizer")
        def _make_sentencizer(nlp: _Language, name: str):
            """spaCy's Sentencizer rule (a sentence starts at the first token that is neither
            punctuation nor sentence-final after sentence-final punctuation), computed on arrays:
            the stock component builds a Python Token object per word. Token indices listed in
            `doc.user_data[SEGMENT_STARTS]` always start a sentence, and a full stop before one
            does not carry over it."""
            final_set = {nlp.vocab.strings.add(c) for c in Sentencizer.default_punct_chars}
            finals = numpy.array(sorted(final_set), dtype="uint64")

            def split(doc):
                n = len(doc)
                if not n:
                    return doc
                forced = sorted(doc.user_data.get(SEGMENT_STARTS, ()))
                starts = _short_starts(doc, forced) if n < SHORT_TEXT_TOKENS else _long_starts(doc, forced)
                doc.from_array([SENT_START], starts.view("uint64").reshape(-1, 1))
                return doc

            def _short_starts(doc, forced: list[int]):
                """The rule token by token (the stock component's loop, without Token objects)."""
                starts = [-1] * len(doc)
                starts[0] = 1
                force = set(forced)
                seen = False
                for i, (orth, is_punct) in enumerate(doc.to_array([ORTH, IS_PUNCT]).tolist()):
                    if i in force:
                        starts[i], seen = 1, False
                    final = orth in final_set
                    if seen and not is_punct and not final:
                        starts[i], seen = 1, False
                    elif final:
                        seen = True
                return numpy.array(starts, dtype="int64")

            def _long_starts(doc, forced: list[int]):
                """The same rule on arrays: the first candidate word after each stop starts a
                sentence, unless a forced start comes between them."""
                final = numpy.isin(doc.to_array(ORTH), finals)
                candidates = numpy.flatnonzero(~final & (doc.to_array(IS_PUNCT) == 0))
                after = numpy.flatnonzero(final)
                k = numpy.searchsorted(candidates, after, side="right")
                keep = k < len(candidates)
                after, nxt = after[keep], candidates[k[keep]]
                force = numpy.array(forced, dtype="int64")
                if len(force):
                    g = numpy.searchsorted(force, after, side="right")
                    blocked = numpy.zeros(len(after), dtype=bool)
                    inside = g < len(force)
                    blocked[inside] = force[g[inside]] <= nxt[inside]
                    nxt = nxt[~blocked]
                starts = numpy.full(len(doc), -1, dtype="int64")
                starts[0] = 1
                starts[nxt] = 1
                starts[force] = 1
                return starts

            return split

    nlp = spacy.blank("en")
    for abbr in _ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    nlp.add_pipe("array_sentencizer")
    nlp.add_pipe("lower_lookup_lemmatizer")
    nlp.max_length = MAX_TEXT_CHARS
    return nlp
