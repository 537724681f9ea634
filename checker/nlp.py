"""The spaCy pipeline: tokenizer, sentencizer and a lower-case lookup lemmatizer.

No trained English pipeline can be installed here (DESIGN §8), so the pipeline is
`spacy.blank("en")` plus spaCy's own English lemma lookup table (from spacy-lookups-data). The
table is case-sensitive, so lemmas are looked up on the lower-cased word; that makes
"Notified", "notifies" and "notify" one lemma for the matchers. Built once per process.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

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
    "ai": "ai", "'s": "'s", "’s": "’s", "'d": "'d", "’d": "’d", "'ve": "'ve", "'re": "'re",
}  # fmt: skip


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
            strings = nlp.vocab.strings
            lemma_of: dict[int, int] = {}  # hash of the lower-cased word -> hash of its lemma

            def lemmatize(doc):
                if not len(doc):
                    return doc
                lemmas = []
                for h in doc.to_array(LOWER).tolist():
                    lemma = lemma_of.get(h)
                    if lemma is None:
                        low = strings[h]
                        lemma = strings.add(_LEMMA_OVERRIDES.get(low) or table.get(low, low))
                        lemma_of[h] = lemma
                    lemmas.append(lemma)
                doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
                return doc

            return lemmatize

    if not _Language.has_factory("array_sentencizer"):

        @_Language.factory("array_sentencizer")
        def _make_sentencizer(nlp: _Language, name: str):
            """spaCy's Sentencizer rule (a sentence starts at the first non-punctuation token
            after sentence-final punctuation), computed on token arrays: the stock component
            builds a Python Token object per word, which was a third of the matching time."""
            finals = {nlp.vocab.strings.add(c) for c in Sentencizer.default_punct_chars}

            def split(doc):
                n = len(doc)
                if not n:
                    return doc
                starts = [-1] * n
                starts[0] = 1
                seen = False
                for i, (orth, is_punct) in enumerate(doc.to_array([ORTH, IS_PUNCT]).tolist()):
                    final = orth in finals
                    if seen and not is_punct and not final:
                        starts[i] = 1
                        seen = False
                    elif final:
                        seen = True
                doc.from_array([SENT_START], numpy.array(starts, dtype="int64").view("uint64").reshape(-1, 1))
                return doc

            return split

    nlp = spacy.blank("en")
    for abbr in _ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    nlp.add_pipe("array_sentencizer")
    nlp.add_pipe("lower_lookup_lemmatizer")
    nlp.max_length = 5_000_000
    return nlp
