"""The spaCy pipeline: lower-case lookup lemmas, kept-apart function words, sentence splitting."""

from __future__ import annotations

from checker.nlp import get_nlp


def _lemmas(text: str) -> list[str]:
    return [t.lemma_ for t in get_nlp()(text)]


def test_lemmas_are_case_insensitive():
    assert _lemmas("Notified notifies NOTIFY") == ["notify", "notify", "notify"]
    assert _lemmas("Records destroyed") == ["record", "destroy"]


def test_function_words_are_not_folded_together():
    assert _lemmas("as appropriate")[0] != _lemmas("an appropriate")[0]
    assert _lemmas("the Ministry's approval")[2] == "'s"  # not "have", which "AI" also became
    assert _lemmas("AI training")[0] == "ai"


def test_sentences_do_not_break_after_legal_abbreviations():
    doc = get_nlp()(
        "As set out in cl. 4.2 and s. 11 of the Act, the Provider must comply. It must also report."
    )
    assert [s.text for s in doc.sents] == [
        "As set out in cl. 4.2 and s. 11 of the Act, the Provider must comply.",
        "It must also report.",
    ]
