"""Find deadlines in contract text and turn them into hours, so requirements can test them.

Only bounded deadlines count ("within 24 hours", "no later than two (2) Business Days",
"10 working days after"): a duration without a bounding word ("retain for 7 years") is a
period, not a deadline. Working and business days are counted as 7/5 of a calendar day, the
average span once weekends are included, so "3 working days" (~101 h) exceeds 72 hours while
"2 working days" (~67 h) does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}  # fmt: skip
_UNIT_HOURS = {"hour": 1.0, "day": 24.0, "working day": 24.0 * 7 / 5, "business day": 24.0 * 7 / 5,
               "week": 168.0, "month": 730.0}  # fmt: skip


def _alt(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# A number in words up to 999: "seven", "twenty-four", "thirty six", "one hundred and twenty".
_BELOW_100 = (
    rf"(?:(?:{_alt(_TENS)})(?:[\s-]+(?:{_alt(w for w in _UNITS if _UNITS[w] < 10)}))?|{_alt(_UNITS)})"
)
_IN_WORDS = rf"(?:(?:{_alt(_UNITS)}|a|one)\s+hundred(?:\s+(?:and\s+)?{_BELOW_100})?|{_BELOW_100})"
# The number, optionally repeated in brackets the other way round: "two (2)", "3 (three)".
_NUM = rf"(?P<num>\d{{1,3}}|{_IN_WORDS}|an?)(?:\s*\(\s*(?:\d{{1,3}}|{_IN_WORDS})\s*\))?"
_UNIT = r"(?P<unit>hours?|hrs?|(?:working|business|calendar)\s+days?|days?|weeks?|months?)\b"
_DEADLINE = re.compile(
    r"\b(?P<bound>within|no later than|not later than|no more than|not more than|not exceeding|"
    r"inside|in any event within|at the latest within|by no later than|maximum of|up to)\s+"
    r"(?:(?:the|a)\s+)?(?:period\s+of\s+)?" + _NUM + r"[\s-]*" + _UNIT,
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"\b" + _NUM + r"[\s-]*(?P<unit>hours?|hrs?|(?:working|business|calendar)\s+days?|days?)\s+"
    r"(?:of|after|from)\s+(?:(?:it|the\s+provider|the\s+supplier)\s+)?(?:first\s+)?"
    r"(?:becoming|becomes|became|being\s+made|discover|learn|receiv|the\s+date|request|expiry|termination)",
    re.IGNORECASE,
)


def number_value(raw: str) -> int | None:
    """The value of a number in digits or words ("48", "forty-eight", "one hundred and twenty")."""
    raw = raw.lower()
    if raw.isdigit():
        return int(raw)
    total = 0
    for word in re.split(r"[\s-]+", raw):
        if word in ("a", "an") and total == 0:  # "a day", "a hundred"
            total = 1
        elif word == "hundred":
            total = max(total, 1) * 100
        elif word in _TENS:
            total += _TENS[word]
        elif word in _UNITS:
            total += _UNITS[word]
        elif word != "and":
            return None
    return total or None


@dataclass(frozen=True, slots=True)
class Deadline:
    """A bounded duration found in text: its words, value, unit and the span it came from."""

    text: str
    value: int
    unit: str
    start: int
    end: int

    @property
    def hours(self) -> float:
        return self.value * unit_hours(self.unit)


def unit_hours(unit: str) -> float:
    u = " ".join(unit.lower().split()).rstrip("s")
    u = u.replace("calendar ", "")
    return _UNIT_HOURS[u]


def find_deadlines(text: str) -> list[Deadline]:
    """All bounded deadlines in `text`, in order of appearance, without overlaps."""
    found: list[Deadline] = []
    taken: list[tuple[int, int]] = []
    for rx in (_DEADLINE, _AFTER):
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = number_value(m.group("num"))
            if not value:
                continue
            unit = " ".join(m.group("unit").lower().split())
            if unit.startswith("hr"):
                unit = "hours" if value != 1 else "hour"
            found.append(Deadline(text=m.group(0), value=value, unit=unit, start=m.start(), end=m.end()))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def describe_hours(hours: float) -> str:
    if hours < 48:
        return f"{hours:g} hours"
    return f"{hours / 24:.1f} days".replace(".0 days", " days")
