"""Deadlines are parsed into hours; only bounded durations count."""

from __future__ import annotations

import pytest

from checker.timelimits import find_deadlines


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("must notify the Ministry within 24 hours of becoming aware", 24),
        ("no later than two (2) Business Days after", 2 * 24 * 7 / 5),
        ("within 10 working days", 10 * 24 * 7 / 5),
        ("in any event within 72 hours", 72),
        ("not later than forty-eight hours", 48),
        ("within one month of expiry", 730),
        ("5 working days after becoming aware", 5 * 24 * 7 / 5),
        # numbers in words beyond a fixed list, abbreviations and the other bracket order
        ("notify within twenty four hours", 24),
        ("within thirty-six (36) hours of discovery", 36),
        ("within twenty-eight days", 28 * 24),
        ("within one hundred and twenty days", 120 * 24),
        ("within a hundred days", 100 * 24),
        ("within seventy two hours", 72),
        ("within 3 (three) days", 72),
        ("report within 24 hrs", 24),
        ("report within 72hrs", 72),
        ("within a 24-hour period", 24),
        ("twenty-four (24) hours after becoming aware", 24),
    ],
)
def test_bounded_deadlines(text, hours):
    found = find_deadlines(text)
    assert len(found) == 1
    assert found[0].hours == pytest.approx(hours)


@pytest.mark.parametrize(
    "text",
    [
        "retain records for 7 years",
        "as soon as reasonably practicable",
        "promptly after becoming aware",
        "a term of 3 years",
    ],
)
def test_periods_and_unbounded_words_are_not_deadlines(text):
    assert find_deadlines(text) == []


def test_two_working_days_is_within_72_hours_but_three_is_not():
    assert find_deadlines("within 2 working days")[0].hours <= 72
    assert find_deadlines("within 3 working days")[0].hours > 72
