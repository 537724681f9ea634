"""The spaCy pipeline: lower-case lookup lemmas, kept-apart function words, sentence splitting."""

from __future__ import annotations

import pytest

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


def test_typographic_quotes_get_the_lemmas_of_plain_ones():
    """Word turns "Provider's" into "Provider’s"; the library's phrases are typed with plain quotes."""
    assert _lemmas("the Ministry’s approval") == _lemmas("the Ministry's approval")
    assert _lemmas("individuals’ rights and ‘Records’") == _lemmas("individuals' rights and 'Records'")
    assert _lemmas("it doesn’t") == _lemmas("it doesn't")
    assert _lemmas("“Personal Information”") == _lemmas('"Personal Information"')


@pytest.mark.parametrize(
    ("us", "british"),
    [
        ("authorized organizations", "authorised organisations"),
        ("Unauthorized", "unauthorised"),
        ("anonymized, minimizes, analyzed, sanitizing", "anonymised, minimises, analysed, sanitising"),
        ("commercially reasonable endeavors", "commercially reasonable endeavours"),
        ("judgment, fulfills, enrollment, programs", "judgement, fulfils, enrolment, programmes"),
    ],
)
def test_us_and_british_spellings_get_one_lemma(us, british):
    assert _lemmas(us) == _lemmas(british)


def test_words_that_only_look_like_ize_spellings_keep_their_lemmas():
    assert _lemmas("size seize citizens horizon promises") == [
        "size",
        "seize",
        "citizen",
        "horizon",
        "promise",
    ]


def test_sentences_do_not_break_after_legal_abbreviations():
    doc = get_nlp()(
        "As set out in cl. 4.2 and s. 11 of the Act, the Provider must comply. It must also report."
    )
    assert [s.text for s in doc.sents] == [
        "As set out in cl. 4.2 and s. 11 of the Act, the Provider must comply.",
        "It must also report.",
    ]


def test_sentence_splitting_follows_spacys_sentencizer_rule():
    """Our array sentencizer must split exactly where spaCy's stock Sentencizer does."""
    import spacy

    stock = spacy.blank("en")
    stock.add_pipe("sentencizer")
    texts = [
        "The Provider must notify the Ministry. It must do so within 24 hours!",
        'Is this a breach?! "Yes." he said. (a) notify; (b) contain... then report.',
        "Records must be kept for 7 years . . . and then destroyed. Done",
        "No stop at the end of this one",
        '"Quoted." Next sentence. ) Odd bracket. 1. Numbered item. 2. Another.',
    ]
    for text in [*texts, " ".join(texts * 3)]:  # short texts and a long one take different code paths
        ours = [s.text for s in get_nlp()(text).sents]
        theirs = [s.text for s in stock(stock.make_doc(text)).sents]
        assert ours == theirs, text


@pytest.mark.parametrize("padding", [0, 60])  # short and long texts take different code paths
def test_segment_starts_begin_a_sentence_and_stop_a_full_stop_carrying_over(padding):
    from checker.nlp import SEGMENT_STARTS

    nlp = get_nlp()
    lead = "word " * padding
    doc = nlp.make_doc(lead + "It ends here. (a) the first item and no stop here then the next clause")
    paren = [t.text for t in doc].index("(")
    nxt = [t.text for t in doc].index("then")
    doc.user_data[SEGMENT_STARTS] = [paren, nxt]
    sents = [s.text for s in nlp(doc).sents]
    # "(a) ..." starts where the segment starts, not at "a" (the full stop before it is spent)
    assert sents == [lead + "It ends here.", "(a) the first item and no stop here", "then the next clause"]


def test_long_and_short_texts_get_the_same_lemmas():
    words = "Notified notifies records destroyed as an AI the Ministry's approval Data data subjects"
    short = _lemmas(words)
    long = _lemmas(" ".join([words] * 10))
    assert long == short * 10
