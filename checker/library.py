"""Clause libraries: load, merge (`extends`) and validate the YAML that holds every requirement.

The YAML is the source of truth for requirements, patterns, hedges, severities and model
wording; code only holds mechanisms. Validation runs on load and every error names the file,
the place inside it and the field (`nz-privacy-ngo.yaml: requirements[12].elements[1]: ...`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from checker.errors import LibraryError

DEFAULT_PROFILE = "nz-privacy-ngo"
SCHEMA = "contract-check-library/1"
Severity = Literal["critical", "high", "medium", "low"]
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3, "critical": 4}
Category = Literal[
    "security",
    "retention",
    "disposal",
    "breach",
    "access",
    "disclosure",
    "subcontracting",
    "offshore",
    "audit",
    "training",
    "return",
    "other",
]
_DURATION = re.compile(r"^\s*(\d+)\s*(hour|day|working day|business day|week|month)s?\s*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AllOf(_Strict):
    """Every sub-pattern must match in the same window (a sentence plus its lead-in)."""

    all: list[Pattern] = Field(min_length=2)


class InSentence(_Strict):
    """Every sub-pattern must match in the sentence itself (context lends nothing)."""

    sentence: list[Pattern] = Field(min_length=1)


class AnyOf(_Strict):
    any: list[Pattern] = Field(min_length=1)


class NotIn(_Strict):
    """Used inside `all`: the window must not contain this pattern."""

    none: list[Pattern] = Field(min_length=1)


class Exact(_Strict):
    """A phrase matched word for word (lower-cased, not lemmatised): for names such as
    "Child, Youth and Family", whose lemmas ("children" -> "child") would over-match."""

    exact: str = Field(min_length=2)


class Tokens(_Strict):
    """A raw spaCy `Matcher` token pattern, for the few cues phrases cannot express."""

    tokens: list[dict[str, Any]] = Field(min_length=1)


Pattern = Annotated[
    str | AllOf | InSentence | AnyOf | NotIn | Exact | Tokens, Field(union_mode="left_to_right")
]
AllOf.model_rebuild()
InSentence.model_rebuild()
AnyOf.model_rebuild()
NotIn.model_rebuild()


class TimeLimit(_Strict):
    """The element is a deadline: a fixed duration must appear where the anchor element matched."""

    max: str | None = None  # e.g. "72 hours": longer fixed deadlines make the finding weak
    anchor: str | None = None  # element id whose clauses hold the deadline (default: any element)
    accept: list[str] = Field(default_factory=list)  # unbounded wordings that still satisfy it here

    @field_validator("max")
    @classmethod
    def _max_is_duration(cls, v: str | None) -> str | None:
        if v is not None and not _DURATION.match(v):
            raise ValueError("must look like '72 hours', '2 working days' or '30 days'")
        return v


class Element(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=3)
    required: bool = True
    patterns: list[Pattern] = Field(default_factory=list)
    # Wording that addresses the element only weakly ("protect it with reasonable care"): a
    # match counts as found but hedged, with `weak_label` as the reason.
    weak_patterns: list[Pattern] = Field(default_factory=list)
    weak_label: str | None = None
    time_limit: TimeLimit | None = None

    @model_validator(mode="after")
    def _has_a_test(self) -> Element:
        if self.weak_patterns and not self.weak_label:
            raise ValueError("weak_patterns need a weak_label saying why they are weak")
        if not self.patterns and self.time_limit is None:
            raise ValueError("an element needs patterns or a time_limit")
        return self


class Signal(_Strict):
    """A wording that makes a finding weak or a conflict (or notes outdated law)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=3)
    patterns: list[Pattern] = Field(min_length=1)
    when: str | None = None  # a context flag that must be set for the signal to count
    unless: list[str] = Field(default_factory=list)  # element ids: a firm one found cancels the signal
    # element ids this wording is a weak form of: when it is found they count as present but hedged
    weakens: list[str] = Field(default_factory=list)
    subject_sensitive: bool = False  # only counts when the provider, not the agency, is the subject


class Requirement(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=3)
    category: Category
    severity: Severity
    basis: list[str] = Field(min_length=1)
    summary: str = Field(min_length=10)
    elements: list[Element] = Field(min_length=1)
    weak: list[Signal] = Field(default_factory=list)
    conflict: list[Signal] = Field(default_factory=list)
    false_friends: list[str] = Field(default_factory=list)
    model_clause: str = Field(min_length=20)
    guidance: str = Field(min_length=10)
    examples: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ids_unique(self) -> Requirement:
        _unique([e.id for e in self.elements], "elements")
        _unique([s.id for s in self.weak], "weak")
        _unique([s.id for s in self.conflict], "conflict")
        if not any(e.required for e in self.elements):
            raise ValueError("at least one element must be required")
        ids = {e.id for e in self.elements}
        for s in [*self.weak, *self.conflict]:
            for u in [*s.unless, *s.weakens]:
                if u not in ids:
                    raise ValueError(f"signal {s.id!r}: names {u!r}, which is not an element")
        for e in self.elements:
            if e.time_limit and e.time_limit.anchor and e.time_limit.anchor not in ids:
                raise ValueError(
                    f"element {e.id!r}: time_limit.anchor {e.time_limit.anchor!r} is not an element"
                )
        bad = set(self.examples) - {"meets", "does_not_meet"}
        if bad:
            raise ValueError(f"examples: unknown keys {sorted(bad)}; use 'meets' and 'does_not_meet'")
        return self


class LibraryModel(_Strict):
    schema_: Literal["contract-check-library/1"] = Field(alias="schema")
    id: str = Field(pattern=r"^[a-z][a-z0-9\-]*$")
    version: str
    title: str
    description: str = ""
    extends: str | None = None
    terms: dict[str, list[str]] = Field(default_factory=dict)
    firm: list[str] = Field(default_factory=list)
    negations: list[str] = Field(default_factory=list)
    hedges: list[Signal] = Field(default_factory=list)
    unbounded_time: list[str] = Field(default_factory=list)
    agency_parties: list[str] = Field(default_factory=list)
    provider_parties: list[str] = Field(default_factory=list)
    # role names read as another: {"ministry": ["buyer", "data controller", ...]} makes every
    # phrase written with "ministry" ("the ministry's prior approval") match "the Buyer's ..."
    role_aliases: dict[str, list[str]] = Field(default_factory=dict)
    incorporation: list[Pattern] = Field(default_factory=list)
    context_flags: dict[str, list[Pattern]] = Field(default_factory=dict)
    outdated: list[Signal] = Field(default_factory=list)
    false_friends: list[str] = Field(default_factory=list)
    requirements: list[Requirement] = Field(min_length=1)
    remove: list[str] = Field(default_factory=list)


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"duplicate id {i!r} in {what}")
        seen.add(i)


@dataclass(frozen=True)
class ClauseLibrary:
    """A validated, merged library: the data the matcher compiles once per process."""

    model: LibraryModel
    source: str  # file the library came from (for messages)
    content_hash: str  # hash of the merged data: part of cache keys and reports

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def version(self) -> str:
        return self.model.version

    @property
    def requirements(self) -> list[Requirement]:
        return self.model.requirements

    def requirement(self, rid: str) -> Requirement:
        for r in self.model.requirements:
            if r.id == rid:
                return r
        raise KeyError(rid)


def builtin_profiles() -> dict[str, Path]:
    """Built-in profile name -> YAML file, from the installed `clause_library/`."""
    root = resources.files("checker.clause_library")
    out = {}
    for entry in root.iterdir():
        if entry.name.endswith(".yaml") and not entry.name.startswith("_"):
            out[entry.name[: -len(".yaml")]] = Path(str(entry))
    return dict(sorted(out.items()))


def load_library(name_or_path: str | Path | None = None) -> ClauseLibrary:
    """Load a built-in profile by name, or a YAML file by path; validate and merge `extends`."""
    data, source = _load_merged(str(name_or_path or DEFAULT_PROFILE), seen=())
    try:
        model = LibraryModel.model_validate(data)
    except ValidationError as exc:
        raise LibraryError(f"{Path(source).name}: {_where(exc)}", _why(exc)) from None
    _check_references(model, Path(source).name)
    blob = json.dumps(model.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False)
    return ClauseLibrary(model=model, source=source, content_hash=hashlib.sha256(blob.encode()).hexdigest())


def _resolve(name_or_path: str) -> Path:
    profiles = builtin_profiles()
    if name_or_path in profiles:
        return profiles[name_or_path]
    shared = resources.files("checker.clause_library") / f"{name_or_path}.yaml"
    if name_or_path.startswith("_") and shared.is_file():  # shared vocabulary, not a profile
        return Path(str(shared))
    p = Path(name_or_path)
    if p.suffix.lower() in (".yaml", ".yml") or p.exists():
        if not p.is_file():
            raise LibraryError(name_or_path, "no such library file")
        return p
    known = ", ".join(profiles) or "none"
    raise LibraryError(
        name_or_path, f"unknown library (built-in profiles: {known}; or give a path to a YAML file)"
    )


# libyaml's loader is ~8x faster than the pure-Python one (each batch worker loads the library).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LibraryError(str(path), f"cannot read library ({exc.__class__.__name__})") from None
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "YAML"
        raise LibraryError(f"{path.name}: {where}", f"invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise LibraryError(path.name, "a library must be a YAML mapping with 'requirements'")
    return data


def _load_merged(name_or_path: str, seen: tuple[str, ...]) -> tuple[dict[str, Any], str]:
    path = _resolve(name_or_path)
    key = str(path.resolve())
    if key in seen:
        raise LibraryError(path.name, "extends itself (circular 'extends')")
    data = _read_yaml(path)
    base_name = data.get("extends")
    if not base_name:
        return data, str(path)
    if not isinstance(base_name, str):
        raise LibraryError(f"{path.name}: extends", "must be a profile name or a path")
    builtin = (
        base_name in builtin_profiles()
        or (resources.files("checker.clause_library") / f"{base_name}.yaml").is_file()
    )
    base_ref = base_name if builtin else str(path.parent / base_name)
    base, _ = _load_merged(base_ref, (*seen, key))
    return _merge(base, data), str(path)


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Child keys replace the base's; requirements merge by id (replace or append); `remove` drops ids."""
    merged = {**base, **{k: v for k, v in child.items() if k not in ("requirements", "terms", "remove")}}
    merged["terms"] = {**base.get("terms", {}), **child.get("terms", {})}
    reqs = {r.get("id"): r for r in base.get("requirements", []) if isinstance(r, dict)}
    order = [r.get("id") for r in base.get("requirements", []) if isinstance(r, dict)]
    for r in child.get("requirements", []) or []:
        if isinstance(r, dict) and r.get("id") in reqs:
            reqs[r["id"]] = {**reqs[r["id"]], **r}
        elif isinstance(r, dict):
            reqs[r.get("id")] = r
            order.append(r.get("id"))
    removed = set(child.get("remove", []) or [])
    merged["requirements"] = [reqs[i] for i in order if i not in removed]
    merged["remove"] = []
    return merged


def _check_references(model: LibraryModel, name: str) -> None:
    """Every '@term' must name a term set, every `when` a context flag."""

    def walk(patterns: list[Any], where: str) -> None:
        for i, p in enumerate(patterns):
            here = f"{where}[{i}]"
            if isinstance(p, str):
                for ref in re.findall(r"@([\w\-]+)", p):
                    if ref not in model.terms:
                        raise LibraryError(f"{name}: {here}", f"unknown term set '@{ref}'")
                if not p.strip():
                    raise LibraryError(f"{name}: {here}", "empty pattern")
            elif isinstance(p, AllOf):
                walk(p.all, f"{here}.all")
            elif isinstance(p, InSentence):
                walk(p.sentence, f"{here}.sentence")
            elif isinstance(p, AnyOf):
                walk(p.any, f"{here}.any")
            elif isinstance(p, NotIn):
                walk(p.none, f"{here}.none")

    seen_alias: dict[str, str] = {}
    for canonical, aliases in model.role_aliases.items():
        for word in [canonical, *aliases]:
            if not re.fullmatch(r"[^\W\d_][\w\-]*(?: [^\W\d_][\w\-]*)*", word) or word != word.lower():
                raise LibraryError(
                    f"{name}: role_aliases.{canonical}",
                    f"{word!r} is not lower-case words separated by single spaces",
                )
        for word in aliases:
            if word in model.role_aliases or seen_alias.setdefault(word, canonical) != canonical:
                raise LibraryError(f"{name}: role_aliases.{canonical}", f"{word!r} is an alias twice")
    for key, terms in model.terms.items():
        if not terms:
            raise LibraryError(f"{name}: terms.{key}", "a term set needs at least one phrase")
    walk(model.incorporation, "incorporation")
    for flag, pats in model.context_flags.items():
        walk(pats, f"context_flags.{flag}")
    for i, s in enumerate(model.hedges):
        walk(s.patterns, f"hedges[{i}].patterns")
    for i, s in enumerate(model.outdated):
        walk(s.patterns, f"outdated[{i}].patterns")
    _unique_or_raise([r.id for r in model.requirements], f"{name}: requirements")
    for ri, r in enumerate(model.requirements):
        for ei, e in enumerate(r.elements):
            walk(e.patterns, f"requirements[{ri}] ({r.id}).elements[{ei}] ({e.id}).patterns")
            walk(e.weak_patterns, f"requirements[{ri}] ({r.id}).elements[{ei}] ({e.id}).weak_patterns")
        for kind in ("weak", "conflict"):
            for si, s in enumerate(getattr(r, kind)):
                walk(s.patterns, f"requirements[{ri}] ({r.id}).{kind}[{si}] ({s.id}).patterns")
                if s.when and s.when not in model.context_flags:
                    raise LibraryError(
                        f"{name}: requirements[{ri}] ({r.id}).{kind}[{si}].when",
                        f"unknown context flag {s.when!r}",
                    )


def _unique_or_raise(ids: list[str], where: str) -> None:
    try:
        _unique(ids, "requirements")
    except ValueError as exc:
        raise LibraryError(where, str(exc)) from None


def _where(exc: ValidationError) -> str:
    err = exc.errors()[0]
    out = ""
    for part in err["loc"]:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in (
            "str",
            "AllOf",
            "AnyOf",
            "NotIn",
            "Exact",
            "Tokens",
            "function-after[_has_a_test(), Element]",
        ):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out or "library"


def _why(exc: ValidationError) -> str:
    err = exc.errors()[0]
    msg = err["msg"].removeprefix("Value error, ")
    n = exc.error_count()
    return msg + (f" (and {n - 1} more problem{'s' if n > 2 else ''})" if n > 1 else "")


def parse_duration_hours(text: str) -> float:
    """'72 hours' -> 72.0; working and business days span weekends (7/5 of a day each)."""
    m = _DURATION.match(text)
    if not m:
        raise ValueError(text)
    from checker.timelimits import unit_hours

    return int(m.group(1)) * unit_hours(m.group(2))
