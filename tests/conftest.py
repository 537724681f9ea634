"""Shared fixtures: the sample corpus, compiled checkers (built once per session) and file makers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "contracts_sample"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def nz_checker():
    from checker.api import Checker

    return Checker("nz-privacy-ngo")


@pytest.fixture(scope="session")
def gdpr_checker():
    from checker.api import Checker

    return Checker("gdpr-art28")


@pytest.fixture
def write_text(tmp_path):
    """Write a small text contract and return its path."""

    def make(text: str, name: str = "contract.txt") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    return make
