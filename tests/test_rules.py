"""Every requirement's own example sentences: one that meets it and one that must not.

The examples live in the clause library next to the patterns, so adding a requirement adds its
tests. A "meets" sentence on its own must give `met`; a "does_not_meet" sentence (usually a
false friend) must not produce any finding but `missing` for that requirement.
"""

from __future__ import annotations

import pytest

from checker.api import Checker
from checker.library import load_library

CASES = [
    (profile, r.id, kind, sentence)
    for profile in ("nz-privacy-ngo", "gdpr-art28")
    for r in load_library(profile).requirements
    for kind in ("meets", "does_not_meet")
    for sentence in r.examples.get(kind, [])
]
_CHECKERS: dict[str, Checker] = {}


def _status(profile: str, rid: str, text: str, tmp_path) -> str:
    if profile not in _CHECKERS:
        _CHECKERS[profile] = Checker(profile)
    checker = _CHECKERS[profile]
    path = tmp_path / "one.txt"
    path.write_text(text + "\n", encoding="utf-8")
    result = checker.check(path)
    return next(f.status for f in result.findings if f.requirement.id == rid)


@pytest.mark.parametrize(("profile", "rid", "kind", "sentence"), CASES)
def test_library_examples(profile, rid, kind, sentence, tmp_path):
    status = _status(profile, rid, sentence, tmp_path)
    if kind == "meets":
        assert status == "met", f"{rid}: {sentence!r} gave {status}"
    else:
        assert status == "missing", f"{rid}: {sentence!r} gave {status}"


def test_every_requirement_has_both_kinds_of_example():
    for profile in ("nz-privacy-ngo", "gdpr-art28"):
        for r in load_library(profile).requirements:
            assert r.examples.get("meets") and r.examples.get("does_not_meet"), f"{profile}: {r.id}"
