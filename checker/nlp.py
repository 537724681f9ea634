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
}  # fmt: skip


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    import spacy
    from spacy.attrs import ORTH
    from spacy.language import Language as _Language
    from spacy.lookups import load_lookups

    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    lemma_of = dict(_LEMMA_OVERRIDES)

    if not _Language.has_factory("lower_lookup_lemmatizer"):

        @_Language.factory("lower_lookup_lemmatizer")
        def _make(nlp: _Language, name: str):
            def lemmatize(doc):
                for token in doc:
                    low = token.lower_
                    lemma = lemma_of.get(low)
                    if lemma is None:
                        lemma = table.get(low, low)
                        lemma_of[low] = lemma
                    token.lemma_ = lemma
                return doc

            return lemmatize

    nlp = spacy.blank("en")
    for abbr in _ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lower_lookup_lemmatizer")
    nlp.max_length = 5_000_000
    return nlp


def lemma_key(text: str) -> str:
    """The lemma string a phrase matches on: used to name inline phrase patterns stably."""
    nlp = get_nlp()
    doc = nlp(text)
    return " ".join(t.lemma_ for t in doc)
