"""The matcher runs one spaCy Doc per contract; it must find exactly what a clause-by-clause
run finds, and nothing that straddles two clauses."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.api import Checker
from checker.ingest import read_document
from checker.segment import segment

SAMPLES = Path(__file__).resolve().parent.parent / "contracts_sample"


@pytest.fixture(scope="module")
def matcher():
    return Checker().matcher


@pytest.mark.parametrize(
    "name",
    [
        "oa_awatea_rangatahi_residential_care.docx",
        "oa_kahurangi_whanau_navigator.pdf",
        "oa_ara_ako_school_engagement.txt",
    ],
)
def test_document_pass_labels_each_sentence_as_a_clause_by_clause_run_would(matcher, name):
    clauses = segment(read_document(SAMPLES / name)).clauses
    per_clause = matcher._clause_matches(clauses)
    assert len(per_clause) == len(clauses)
    compared = 0
    for cm in per_clause:
        alone = matcher._process(cm.clause.text)
        want_sents = [(s.start_char, s.end_char) for s in alone.sents]
        assert [(s.start, s.end) for s in cm.sentences] == want_sents, cm.clause.number
        want = sorted((label, s, e) for labels, s, e in matcher._raw_matches(alone) for label in labels)
        got = sorted(
            (label, s, e) for sent in cm.sentences for label, spans in sent.labels.items() for s, e in spans
        )
        assert got == want, cm.clause.number
        compared += len(want)
    assert compared > 500  # a real contract: many labels compared


def _two_clauses(tmp_path, first: str, second: str):
    """The clauses of a text file holding clause 1 `first` and clause 2 `second`."""
    path = tmp_path / "split.txt"
    path.write_text(f"1. {first}\n\n2. {second}\n", encoding="utf-8")
    clauses = segment(read_document(path)).clauses
    assert [c.text for c in clauses][-2:] == [first, second]
    return clauses


def test_no_phrase_is_matched_across_two_clauses(matcher, tmp_path):
    clauses = _two_clauses(
        tmp_path, "The Provider must keep all personal", "Information about its premises tidy."
    )
    labels = [lb for cm in matcher._clause_matches(clauses) for sent in cm.sentences for lb in sent.labels]
    assert "=personal information" not in labels and not any("personal information" in lb for lb in labels)
    joined = matcher.nlp("The Provider must keep all personal information about its premises tidy.")
    assert any("personal information" in lb for lbs, _, _ in matcher._raw_matches(joined) for lb in lbs)


def test_a_long_document_cut_into_runs_of_clauses_gives_the_same_findings(matcher, monkeypatch):
    """Long contracts go through spaCy in runs of whole clauses; where the cut falls changes nothing."""
    import checker.match as match_mod
    from checker.assess import assess

    segmented = segment(read_document(SAMPLES / "oa_awatea_rangatahi_residential_care.docx"))
    whole = assess(matcher.match(segmented), matcher.library)
    monkeypatch.setattr(match_mod, "CHUNK_CHARS", 400)  # dozens of runs instead of one
    runs = []
    real = matcher._run_matches
    monkeypatch.setattr(matcher, "_run_matches", lambda clauses: runs.append(len(clauses)) or real(clauses))
    cut = assess(matcher.match(segmented), matcher.library)
    assert len(runs) > 10 and sum(runs) == len(segmented.clauses)
    assert any(f.evidence for f in whole)
    assert cut == whole  # statuses, evidence (clause, page, words, highlights), explanations


def test_phrases_with_an_apostrophe_match_text_with_smart_quotes(matcher):
    """Word writes "Provider’s": a hedge typed as "at the provider's discretion" must still be found."""

    def labels(text: str) -> set[str]:
        return {label for labels, _, _ in matcher._raw_matches(matcher.nlp(text)) for label in labels}

    plain = labels("Records are destroyed at the Provider's discretion, with the Ministry's approval.")
    smart = labels("Records are destroyed at the Provider’s discretion, with the Ministry’s approval.")
    assert smart == plain
    assert {"?discretion", "@approval"} <= plain


def test_library_typed_in_nz_english_matches_us_drafting(matcher):
    def labels(text: str) -> set[str]:
        return {label for labels, _, _ in matcher._raw_matches(matcher.nlp(text)) for label in labels}

    british = labels(
        "Only authorised personnel may access the anonymised records, and the Provider will use "
        "commercially reasonable endeavours to minimise the information it holds."
    )
    us = labels(
        "Only authorized personnel may access the anonymized records, and the Provider will use "
        "commercially reasonable endeavors to minimize the information it holds."
    )
    assert us == british
    assert len(british) > 10


@pytest.mark.parametrize(
    ("agency", "provider"),
    [
        ("Buyer", "Supplier"),
        ("Funder", "Grantee"),
        ("Customer", "Processor"),
        ("Agency", "Vendor"),
        ("Data Controller", "Service Provider"),
        ("Disclosing Party", "Receiving Party"),
    ],
)
def test_findings_do_not_depend_on_what_the_parties_are_called(matcher, tmp_path, agency, provider):
    """The Government Model Contract for Services says "the Buyer" and "the Supplier", a DPA
    "Customer" and "Processor": phrases typed with "the Ministry" and "the Provider" must read
    them the same (the library's `role_aliases`), and the quotes keep the contract's own words."""
    import re

    from checker.api import Checker

    checker = Checker(matcher.library)
    compared = 0
    for name in ("oa_ara_ako_school_engagement.txt", "oa_otaki_home_support_provider_owns_records.txt",
                 "oa_manaaki_tamariki_wellbeing_hub.md"):  # fmt: skip
        source = SAMPLES / name
        text = source.read_text(encoding="utf-8")
        for old, new in (("Ministry", agency), ("Provider", provider)):
            text = re.sub(rf"\b{old}\b", new, text)
            text = re.sub(rf"\b{old.upper()}\b", new.upper(), text)
            text = re.sub(rf"\b{old.lower()}\b", new.lower(), text)
        renamed = tmp_path / name
        renamed.write_text(text, encoding="utf-8")
        want = checker.check(source)
        got = checker.check(renamed)
        assert [(f.requirement.id, f.status) for f in got.findings] == [
            (f.requirement.id, f.status) for f in want.findings
        ], name
        quotes = [e.text for f in got.findings for e in f.evidence]
        assert any(provider in q for q in quotes) and not any(re.search(r"\bMinistry\b", q) for q in quotes)
        compared += len(want.findings)
    assert compared >= 75


def test_a_name_of_several_words_is_not_merged_across_two_clauses(matcher, tmp_path):
    clauses = _two_clauses(
        tmp_path, "The Provider must keep the records of the Service", "Provider staff are trained each year."
    )
    for cm in matcher._clause_matches(clauses):
        alone = matcher._process(cm.clause.text)
        assert cm.last - cm.first == len(alone)
        assert cm.whole[cm.first : cm.last].text == cm.clause.text
    joined = matcher._process("the records of the Service Provider")
    assert [t.text for t in joined][-1] == "Service Provider"  # merged within one clause


def test_a_role_alias_the_tokenizer_splits_is_read_as_one_name(tmp_path):
    """ "sub-contractor" is three tokens, like "service provider" is two: both are merged first."""
    from checker.library import load_library
    from checker.match import Matcher

    path = tmp_path / "mine.yaml"
    path.write_text(
        'schema: contract-check-library/1\nid: mine\nversion: "1"\ntitle: Mine\nextends: nz-privacy-ngo\n'
        "role_aliases: {ministry: [buyer], provider: [sub-contractor, service provider]}\nrequirements: []\n",
        encoding="utf-8",
    )
    m = Matcher(load_library(path))

    def labels(text: str) -> set[str]:
        return {label for labels, _, _ in m._raw_matches(m._process(text)) for label in labels}

    plain = labels("Records are destroyed at the Provider's discretion, with the Buyer's approval.")
    assert {"?discretion", "@approval"} <= plain
    assert (
        labels("Records are destroyed at the Sub-Contractor's discretion, with the Buyer's approval.")
        == plain
    )
    assert (
        labels("Records are destroyed at the Service Provider's discretion, with the Buyer's approval.")
        == plain
    )
