"""Accuracy of the checker against gold labels, per requirement and overall.

    python bench/accuracy.py                          # contracts_sample/expected.yaml
    python bench/accuracy.py --corpus ../shared/realworld   # real contracts (labels/*.yaml)
    python bench/accuracy.py --errors                 # also list every disagreement

Metrics, per profile:
  status accuracy  share of (contract, requirement) pairs whose status equals the gold status;
  gap recall       share of gold gaps (any status but met) that the checker reports as a gap;
  false alarms     share of gold `met` that the checker reports as a gap.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.api import Checker  # noqa: E402
from checker.errors import CheckerError  # noqa: E402

PROFILES = {"nz": "nz-privacy-ngo", "gdpr": "gdpr-art28"}


@dataclass
class Pair:
    contract: str
    requirement: str
    gold: str
    got: str


def load_gold(corpus: Path) -> dict[str, dict[str, dict[str, str]]]:
    """{profile: {file: {requirement: status}}} from either corpus layout."""
    gold: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    expected = corpus / "expected.yaml"
    if expected.is_file():
        data = yaml.safe_load(expected.read_text(encoding="utf-8"))
        for name, entry in data["contracts"].items():
            for profile in PROFILES.values():
                if profile in entry:
                    gold[profile][name] = dict(entry[profile])
        return gold
    labels = corpus / "labels"
    if not labels.is_dir():
        raise SystemExit(f"error: {corpus}: no expected.yaml and no labels/ folder")
    files = {
        p.stem: p.name
        for p in corpus.iterdir()
        if p.is_file() and p.suffix != ".yaml" and p.name != "README.md"
    }
    for label_file in sorted(labels.glob("*.yaml")):
        data = yaml.safe_load(label_file.read_text(encoding="utf-8"))
        doc = data.get("doc", label_file.stem)
        if doc not in files:
            continue
        for short, profile in PROFILES.items():
            for rid, value in (data.get(short) or {}).items():
                gold[profile].setdefault(files[doc], {})[rid] = (
                    value["status"] if isinstance(value, dict) else value
                )
    return gold


def evaluate(
    corpus: Path, profiles: list[str], libraries: dict[str, str] | None = None
) -> tuple[dict[str, list[Pair]], list[str]]:
    gold = load_gold(corpus)
    pairs: dict[str, list[Pair]] = {}
    failures: list[str] = []
    for profile in profiles:
        if profile not in gold:
            continue
        checker = Checker((libraries or {}).get(profile, profile))
        out: list[Pair] = []
        for name, statuses in sorted(gold[profile].items()):
            try:
                result = checker.check(corpus / name)
            except CheckerError as exc:
                failures.append(f"{profile}: {exc.one_line()}")
                continue
            got = {f.requirement.id: f.status for f in result.findings}
            for rid, status in statuses.items():
                if rid in got:
                    out.append(Pair(name, rid, status, got[rid]))
        pairs[profile] = out
    return pairs, failures


def metrics(pairs: list[Pair]) -> tuple[float, float | None, float | None, int]:
    n = len(pairs)
    acc = sum(p.gold == p.got for p in pairs) / n if n else 0.0
    gaps = [p for p in pairs if p.gold != "met"]
    mets = [p for p in pairs if p.gold == "met"]
    recall = sum(p.got != "met" for p in gaps) / len(gaps) if gaps else None
    false_alarm = sum(p.got != "met" for p in mets) / len(mets) if mets else None
    return acc, recall, false_alarm, n


def _fmt(x: float | None) -> str:
    return "   –" if x is None else f"{x:.2f}"


def print_table(profile: str, pairs: list[Pair]) -> None:
    by_req: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        by_req[p.requirement].append(p)
    print(f"\n{profile}: {len({p.contract for p in pairs})} contracts, {len(pairs)} labelled pairs")
    print(f"  {'requirement':<44} {'n':>3} {'acc':>5} {'recall':>6} {'f.alarm':>7}")
    for rid, rp in by_req.items():
        acc, rec, fa, n = metrics(rp)
        print(f"  {rid:<44} {n:>3} {acc:>5.2f} {_fmt(rec):>6} {_fmt(fa):>7}")
    acc, rec, fa, n = metrics(pairs)
    print(f"  {'OVERALL':<44} {n:>3} {acc:>5.2f} {_fmt(rec):>6} {_fmt(fa):>7}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "contracts_sample")
    ap.add_argument("--profile", choices=["nz", "gdpr", "all"], default="all")
    ap.add_argument("--errors", action="store_true", help="list every disagreement")
    ap.add_argument(
        "--library",
        action="append",
        default=[],
        metavar="PROFILE=PATH",
        help="score PROFILE's gold labels with the library at PATH (e.g. nz-privacy-ngo=mine.yaml)",
    )
    args = ap.parse_args()
    profiles = list(PROFILES.values()) if args.profile == "all" else [PROFILES[args.profile]]
    libraries = dict(item.split("=", 1) for item in args.library)
    pairs, failures = evaluate(args.corpus, profiles, libraries)
    for profile, ps in pairs.items():
        if args.errors:
            for p in ps:
                if p.gold != p.got:
                    print(f"  {profile}  {p.contract:<48} {p.requirement:<44} gold={p.gold:<8} got={p.got}")
        print_table(profile, ps)
    for f in failures:
        print(f"  could not read: {f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
