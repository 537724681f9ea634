"""Clause libraries: the built-in profiles match the catalogue; bad libraries are refused clearly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.errors import LibraryError
from checker.library import builtin_profiles, load_library

CATALOGUE = Path(__file__).resolve().parent.parent.parent / "shared" / "REQUIREMENTS.md"
NZ_IDS = [
    "pi_scope_definition", "capacity_and_purpose_limitation", "privacy_law_compliance", "security_safeguards",
    "access_control_need_to_know", "access_logging_and_monitoring", "personal_device_and_paper_handling",
    "personnel_vetting_and_confidentiality", "privacy_training", "privacy_officer_and_contacts",
    "breach_notification_to_agency", "breach_response_cooperation", "incident_register_and_reporting",
    "retention_limits", "care_and_public_records_preservation", "return_or_transfer_on_exit",
    "secure_destruction_with_certification", "media_and_device_sanitisation", "subcontractor_flowdown",
    "offshore_storage_and_transfer", "disclosure_limits_and_compelled_disclosure",
    "individual_access_and_correction_support", "audit_and_assurance_rights", "security_standard_and_evidence",
    "termination_and_survival",
]  # fmt: skip
GDPR_IDS = [
    "gdpr_processing_details", "gdpr_documented_instructions", "gdpr_personnel_confidentiality",
    "gdpr_security_measures", "gdpr_subprocessors", "gdpr_data_subject_rights", "gdpr_controller_assistance",
    "gdpr_breach_notification", "gdpr_deletion_or_return", "gdpr_audit_rights", "gdpr_international_transfers",
]  # fmt: skip


def test_builtin_profiles():
    assert list(builtin_profiles()) == ["gdpr-art28", "nz-privacy-ngo"]


@pytest.mark.parametrize(("profile", "ids"), [("nz-privacy-ngo", NZ_IDS), ("gdpr-art28", GDPR_IDS)])
def test_profiles_have_every_catalogue_id_in_order(profile, ids):
    lib = load_library(profile)
    assert [r.id for r in lib.requirements] == ids
    for r in lib.requirements:
        assert r.title and r.basis and r.model_clause and r.guidance
        assert any(e.required for e in r.elements)


@pytest.mark.skipif(
    not CATALOGUE.exists(), reason="../shared/REQUIREMENTS.md is only beside a development clone"
)
def test_nz_ids_are_those_of_the_catalogue():
    text = CATALOGUE.read_text(encoding="utf-8")
    nz_part = text.split("## Profile `gdpr-art28`")[0]
    ids = re.findall(r"^\| `([a-z_]+)` \|", nz_part, flags=re.M)
    assert ids == NZ_IDS


def test_library_content_hash_is_stable():
    assert load_library("nz-privacy-ngo").content_hash == load_library("nz-privacy-ngo").content_hash


def _write(tmp_path: Path, text: str, name: str = "mine.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_a_user_library_can_extend_a_profile_and_override_or_remove(tmp_path):
    path = _write(
        tmp_path,
        """schema: contract-check-library/1
id: my-agency
version: "1"
title: My agency's profile
extends: nz-privacy-ngo
remove: [privacy_officer_and_contacts]
requirements:
  - id: breach_notification_to_agency
    severity: high
""",
    )
    lib = load_library(path)
    assert lib.id == "my-agency"
    assert "privacy_officer_and_contacts" not in [r.id for r in lib.requirements]
    assert lib.requirement("breach_notification_to_agency").severity == "high"
    assert len(lib.requirements) == 24


@pytest.mark.parametrize(
    ("body", "where", "why"),
    [
        (
            "  - id: security_safeguards\n    severity: urgent\n",
            "requirements[3].severity",
            "Input should be",
        ),
        ("  - id: my_extra\n    title: Extra\n", "requirements[25].category", "Field required"),
        ("  - id: security_safeguards\n    elements: []\n", "requirements[3].elements", "at least 1 item"),
        (
            "  - id: privacy_officer_and_contacts\n    elements:\n      - {id: a, label: abc, patterns: ['@nosuchterm']}\n",
            "requirements[9] (privacy_officer_and_contacts).elements[0] (a).patterns[0]",
            "unknown term set '@nosuchterm'",
        ),
        (
            "  - id: breach_notification_to_agency\n    elements:\n"
            "      - {id: t, label: deadline, time_limit: {max: soon}}\n",
            "requirements[10].elements[0].time_limit.max",
            "must look like",
        ),
    ],
)
def test_validation_errors_name_file_place_and_field(tmp_path, body, where, why):
    path = _write(
        tmp_path,
        'schema: contract-check-library/1\nid: bad\nversion: "1"\ntitle: Bad\nextends: nz-privacy-ngo\nrequirements:\n'
        + body,
    )
    with pytest.raises(LibraryError) as info:
        load_library(path)
    assert info.value.subject.startswith("mine.yaml: ")
    assert where in info.value.subject
    assert why in info.value.reason


def test_unknown_profile_and_broken_yaml(tmp_path):
    with pytest.raises(LibraryError, match="unknown library"):
        load_library("no-such-profile")
    with pytest.raises(LibraryError, match="invalid YAML"):
        load_library(_write(tmp_path, "requirements: [\n"))


@pytest.mark.parametrize(
    ("aliases", "why"),
    [
        ("{ministry: [b@d]}", "'b@d' is not lower-case words separated by single spaces"),
        ("{ministry: [Buyer]}", "'Buyer' is not lower-case words separated by single spaces"),
        ("{ministry: [buyer], provider: [buyer]}", "'buyer' is an alias twice"),
        ("{ministry: [provider], provider: [supplier]}", "'provider' is an alias twice"),
    ],
)
def test_role_aliases_are_lower_case_names_each_read_as_one_other(tmp_path, aliases, why):
    path = _write(
        tmp_path,
        'schema: contract-check-library/1\nid: bad\nversion: "1"\ntitle: Bad\nextends: nz-privacy-ngo\n'
        f"role_aliases: {aliases}\nrequirements: []\n",
    )
    with pytest.raises(LibraryError) as info:
        load_library(path)
    assert info.value.subject.startswith("mine.yaml: role_aliases.")
    assert why in info.value.reason
