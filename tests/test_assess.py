"""Rule families of the matcher and the assessment, on sentences that must and must not trigger.

Each case is a small contract written to a text file and checked end to end, so the tests
exercise ingest, segmentation, matching and assessment together.
"""

from __future__ import annotations

import pytest

BREACH = "breach_notification_to_agency"


def _finding(checker, write_text, text: str, rid: str):
    result = checker.check(write_text(text))
    return next(f for f in result.findings if f.requirement.id == rid), result


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        (
            "The Provider must notify the Ministry of any actual or suspected Privacy Breach within 24 hours of becoming aware of it.",
            "met",
        ),
        (
            "The Provider must notify the Ministry of any Privacy Breach no later than 2 working days after becoming aware of it.",
            "met",
        ),
        ("The Provider must notify the Ministry of any Privacy Breach within 5 working days.", "weak"),
        (
            "The Provider must notify the Ministry of any Privacy Breach as soon as reasonably practicable.",
            "weak",
        ),
        ("The Provider must promptly notify the Ministry of any Privacy Breach.", "weak"),
        ("The Provider must notify the Ministry of any Privacy Breach without unreasonable delay.", "weak"),
        ("The Provider must notify the Ministry of any Privacy Breach at the earliest opportunity.", "weak"),
        (
            "The Provider must notify the Ministry of any Privacy Breach as quickly as possible and in any event within 24 hours.",
            "met",
        ),
        (
            "The Provider will use reasonable endeavours to notify the Ministry of any Privacy Breach within 24 hours.",
            "weak",
        ),
        ("The Provider must notify the Ministry of any Privacy Breach.", "partial"),
        ("The Provider is not required to notify the Ministry of any Privacy Breach.", "conflict"),
        (
            "The Provider will not be obliged to notify the Ministry of any Privacy Breach within 24 hours.",
            "conflict",
        ),
        (
            "The Provider is under no duty to notify the Ministry of any Privacy Breach within 24 hours.",
            "conflict",
        ),
        (
            "The Provider is not under any obligation to notify the Ministry of any Privacy Breach within 24 hours.",
            "conflict",
        ),
        ("The Provider intends to notify the Ministry of any Privacy Breach within 24 hours.", "weak"),
        (
            "The Provider will, as far as reasonably possible, notify the Ministry of any Privacy Breach within 24 hours.",
            "weak",
        ),
        (
            "The Provider will use good faith efforts to notify the Ministry of any Privacy Breach within 24 hours.",
            "weak",
        ),
        # US drafting and the parties' other names are read the same way
        ("The Supplier shall notify the Buyer of any Privacy Breach within twenty-four (24) hrs.", "met"),
        (
            "Vendor will use commercially reasonable endeavors to notify Customer of any Privacy Breach within 24 hours.",
            "weak",
        ),
        (
            "The Provider must notify the Ministry within 24 hours of any material breach of contract.",
            "missing",
        ),
    ],
)
def test_breach_notice_modality_deadlines_and_negation(nz_checker, write_text, sentence, status):
    finding, _ = _finding(nz_checker, write_text, sentence, BREACH)
    assert finding.status == status, finding.explanation


def test_lead_in_supplies_the_subject_of_a_sub_clause(nz_checker, write_text):
    text = "14.2 If the Provider becomes aware of a Privacy Breach, it must:\n(a) notify the Ministry within 24 hours; and\n(b) keep a record.\n"
    finding, _ = _finding(nz_checker, write_text, text, BREACH)
    assert finding.status == "met"
    assert finding.evidence[0].clause == "14.2(a)"


def test_a_hedged_lead_in_weakens_its_sub_clauses(nz_checker, write_text):
    text = "14.2 The Provider will use reasonable endeavours to:\n(a) notify the Ministry of any Privacy Breach within 24 hours.\n"
    finding, _ = _finding(nz_checker, write_text, text, BREACH)
    assert finding.status == "weak"


def test_agency_may_is_a_right_not_a_hedge(nz_checker, write_text):
    text = "20.1 The Ministry or its nominee may audit the Provider's premises, systems and records to verify compliance with the privacy and security obligations of this Agreement.\n"
    finding, _ = _finding(nz_checker, write_text, text, "audit_and_assurance_rights")
    assert finding.status == "met"


@pytest.mark.parametrize(
    ("text", "rid"),
    [
        (
            "The Provider must pay a security deposit and protect the premises against unauthorised entry.",
            "security_safeguards",
        ),
        (
            "The Provider will arrange supervised access visits and limit access to those who need it for the child's safety.",
            "access_control_need_to_know",
        ),
        (
            "The Provider will support the rangatahi's return to whānau at the end of the placement.",
            "return_or_transfer_on_exit",
        ),
        (
            "The Provider must arrange waste disposal and keep the premises at the disposal of the Ministry.",
            "secure_destruction_with_certification",
        ),
        (
            "The Ministry may withhold a retention payment, and staff retention will be reported annually.",
            "retention_limits",
        ),
        (
            "The Provider must supply audited financial statements to the Ministry each year.",
            "audit_and_assurance_rights",
        ),
        (
            "The Provider will deliver a parenting training programme to whānau every year.",
            "privacy_training",
        ),
        (
            "The Provider will also deliver services on the Chatham Islands and other offshore islands.",
            "offshore_storage_and_transfer",
        ),
    ],
)
def test_false_friends_never_satisfy_a_requirement(nz_checker, write_text, text, rid):
    finding, _ = _finding(nz_checker, write_text, text, rid)
    assert finding.status == "missing", finding.explanation


def test_a_false_friend_does_not_hide_a_real_cue_in_the_same_sentence(nz_checker, write_text):
    text = "The Provider must pay the security deposit and must protect Personal Information against loss and unauthorised access."
    finding, _ = _finding(nz_checker, write_text, text, "security_safeguards")
    assert finding.status == "met"


@pytest.mark.parametrize(
    ("text", "rid", "status"),
    [
        (
            "The Provider may retain copies of Client Information indefinitely.",
            "retention_limits",
            "conflict",
        ),
        (
            "Client Information may be stored in any country at the Provider's discretion.",
            "offshore_storage_and_transfer",
            "conflict",
        ),
        (
            "The Provider owns all client records it creates in delivering the Services.",
            "capacity_and_purpose_limitation",
            "conflict",
        ),
        ("The Provider must not keep Personal Information indefinitely.", "retention_limits", "missing"),
    ],
)
def test_conflicts(nz_checker, write_text, text, rid, status):
    finding, _ = _finding(nz_checker, write_text, text, rid)
    assert finding.status == status, finding.explanation


def test_a_later_carve_out_contradicts_a_firm_duty(nz_checker, write_text):
    text = (
        "10.1 The Provider must securely destroy all copies of the Personal Information and provide a certificate of destruction within 10 days.\n"
        "10.2 Notwithstanding clause 10.1, the Provider is not required to destroy any Personal Information held in backups.\n"
    )
    finding, _ = _finding(nz_checker, write_text, text, "secure_destruction_with_certification")
    assert finding.status in ("conflict", "weak")
    assert any(ev.clause == "10.2" for ev in finding.evidence)


def test_blanket_destruction_is_a_defect_only_in_care_contracts(nz_checker, write_text):
    clause = "On expiry of this Agreement the Provider must destroy all client records and provide a certificate of destruction."
    care, result = _finding(
        nz_checker,
        write_text,
        "The Provider provides residential care for tamariki in the custody of the Chief Executive.\n"
        + clause,
        "care_and_public_records_preservation",
    )
    assert "care_services" in result.flags
    assert care.status == "conflict"
    other, result = _finding(
        nz_checker,
        write_text,
        "The Provider delivers a budgeting course.\n" + clause,
        "care_and_public_records_preservation",
    )
    assert "care_services" not in result.flags
    assert other.status == "missing"


def test_incorporation_by_reference_is_noted_on_missing_findings(nz_checker, write_text):
    text = "The Framework Terms and Conditions apply to this Outcome Agreement and form part of it.\nThe Provider will deliver 40 sessions a year."
    finding, result = _finding(nz_checker, write_text, text, "retention_limits")
    assert finding.status == "missing"
    assert finding.incorporated_by_reference
    assert "incorporated by reference" in finding.explanation
    assert result.incorporation


def test_outdated_law_is_reported(nz_checker, write_text):
    text = "The Provider must comply with the Privacy Act 1993 and the Children, Young Persons, and Their Families Act 1989."
    finding, result = _finding(nz_checker, write_text, text, "privacy_law_compliance")
    assert finding.status == "weak"
    assert any("Privacy Act 1993" in n for n in result.notices)
    assert any("former name" in n for n in result.notices)


def test_services_for_children_youth_and_families_is_not_the_old_agency(nz_checker, write_text):
    _, result = _finding(
        nz_checker,
        write_text,
        "The Provider delivers services for children, youth and families in Porirua.",
        BREACH,
    )
    assert not any("predecessor agency" in n for n in result.notices)


def test_explanations_name_what_is_missing(nz_checker, write_text):
    finding, _ = _finding(
        nz_checker, write_text, "12.1 The Provider must notify the Ministry of any Privacy Breach.", BREACH
    )
    assert finding.status == "partial"
    assert "clause 12.1" in finding.explanation
    assert "fixed maximum time" in finding.explanation
