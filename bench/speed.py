"""Speed and memory benchmark: ratios against baselines measured in the same run.

    python bench/speed.py                 # builds bench/.corpus once (needs soffice), then measures
    python bench/speed.py --contracts 200 --memory 1000

Corpus: 10-30 page contracts made by joining sample sources (contracts_sample/_src) with the
sample generator until a length drawn from 10-30 pages (by word count) is reached, half DOCX and
half PDF exported by LibreOffice (the PDFs come out at 8-31 pages, 18.6 on average). Measured:

  A. PDF ingest+segment vs `pdftotext` on the same files            target <= 2x
  B. DOCX ingest+segment, documents per second on one core          target >= 40/s
     DOCX full check (ingest..assess) on ~10-page contracts, per second  target >= 20/s
  C. batch with 2 workers vs 1 worker                                target >= 1.8x (issue) / 1.7x (design)
     (with, in the same run, what 2 processes of pure CPU work gain: the machine's ceiling)
  D. batch per core vs (pdftotext + python-docx bare load)           target <= 2x
     (with the milliseconds per contract of each stage, to show where the time goes)
  E. peak RSS of a batch of N contracts (main + workers)             target <= 600 MB
  F. `contract-check --help`                                         target <= 0.3 s
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "bench" / ".corpus"


def _generator():
    spec = importlib.util.spec_from_file_location(
        "sample_generate", ROOT / "contracts_sample" / "generate.py"
    )
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules["sample_generate"] = mod  # dataclasses look their module up while the class is built
    spec.loader.exec_module(mod)
    return mod


# Words on a page of the generated contracts as LibreOffice lays them out (measured on the PDFs).
_WORDS_PER_PAGE = 345


def _words(src) -> int:
    return sum(len(b.text.split()) + sum(len(c.split()) for row in b.rows for c in row) for b in src.blocks)


def build_corpus(n: int) -> list[Path]:
    """n contracts of 10-30 pages (half DOCX, half PDF), made once and reused."""
    CORPUS.mkdir(parents=True, exist_ok=True)
    want_docx = [CORPUS / f"bench_{i:04d}.docx" for i in range(0, n, 2)]
    want_pdf = [CORPUS / f"bench_{i:04d}.pdf" for i in range(1, n, 2)]
    if all(p.exists() for p in want_docx + want_pdf):
        return sorted(want_docx + want_pdf)
    gen = _generator()
    pool = gen.load_pool()
    sources = sorted((ROOT / "contracts_sample" / "_src").glob("*.src"))
    parsed = [gen.parse_source(p, pool) for p in sources]
    rng = random.Random(20261201)
    staging = Path(tempfile.mkdtemp(prefix="bench-src-"))
    pdf_sources = []
    for i in range(n):
        target = CORPUS / f"bench_{i:04d}.{'docx' if i % 2 == 0 else 'pdf'}"
        if target.exists():
            continue
        # sources joined until the contract reaches a length drawn from 10-30 pages
        want = rng.randint(
            round(10.5 * _WORDS_PER_PAGE), round(28.5 * _WORDS_PER_PAGE)
        )  # a margin: layouts vary
        parts, words = [], 0
        for part in rng.sample(parsed, len(parsed)):
            if not parts or words + _words(part) <= want:  # never overshoot the drawn length
                parts.append(part)
                words += _words(part)
        src = parts[0]
        merged = type(src)(**{**src.__dict__, "blocks": [b for p in parts for b in p.blocks]})
        gen.number_blocks(merged)
        data = gen.build_docx(merged)
        if i % 2 == 0:
            target.write_bytes(data)
        else:
            path = staging / f"{target.stem}.docx"
            path.write_bytes(data)
            pdf_sources.append(path)
    if pdf_sources and not gen.convert_to_pdf(pdf_sources, CORPUS):
        raise SystemExit("soffice is needed once to build the PDF half of the corpus")
    shutil.rmtree(staging, ignore_errors=True)
    return sorted(want_docx + want_pdf)


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _tree_rss(root: int) -> dict[int, int]:
    """VmRSS (kB) of `root` and all its descendants, read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
            parents[int(entry)] = int(fields["PPid"])
            rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
        except (OSError, KeyError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return {pid: rss.get(pid, 0) for pid in tree}


def _spin_one(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def _spin(jobs: int, n: int = 12_000_000) -> float:
    """Two equal pieces of pure-Python CPU work in `jobs` processes: what 2 cores give here."""
    import multiprocessing as mp

    with mp.get_context("spawn").Pool(jobs) as pool:
        pool.apply(_spin_one, (1,))  # started and warm before the clock starts
        t = time.perf_counter()
        pool.map(_spin_one, [n, n], chunksize=1)
        return time.perf_counter() - t


def _stage_costs(checker, files: list[Path]) -> dict[str, float]:
    """Milliseconds per contract spent in each stage of one worker's job."""
    from checker import match
    from checker.assess import assess
    from checker.ingest import read_document
    from checker.report import to_json
    from checker.report.html import contract_html
    from checker.segment import segment

    match._deadlines.cache_clear()  # measure each contract as if seen for the first time
    spent = dict.fromkeys(("ingest", "segment", "match", "assess", "reports"), 0.0)
    for p in files:
        t0 = time.perf_counter()
        document = read_document(p)
        t1 = time.perf_counter()
        segmented = segment(document)
        t2 = time.perf_counter()
        matched = checker.matcher.match(segmented)
        t3 = time.perf_counter()
        assess(matched, checker.library)
        t4 = time.perf_counter()
        result = checker.check(p)
        t5 = time.perf_counter()
        to_json(result), contract_html(result)
        t6 = time.perf_counter()
        for key, dt in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t6 - t5), strict=True):
            spent[key] += dt
    return {k: 1000 * v / len(files) for k, v in spent.items()}


def _pages(pdfs: list[Path]) -> int:
    import pypdfium2

    total = 0
    for p in pdfs:
        doc = pypdfium2.PdfDocument(str(p))
        total += len(doc)
        doc.close()
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--contracts", type=int, default=200)
    ap.add_argument("--memory", type=int, default=1000, help="contracts in the memory run (0 to skip)")
    args = ap.parse_args()

    from docx import Document as DocxDocument

    from checker.api import Checker
    from checker.batch import run_batch
    from checker.ingest import read_document
    from checker.segment import segment

    files = build_corpus(args.contracts)
    pdfs = [p for p in files if p.suffix == ".pdf"]
    docxs = [p for p in files if p.suffix == ".docx"]
    words = [read_document(p).words for p in files[:20]]
    print(
        f"corpus: {len(docxs)} DOCX + {len(pdfs)} PDF ({_pages(pdfs)} PDF pages), ~{statistics.mean(words):.0f} words each"
    )
    results: list[tuple[str, str, str, bool]] = []

    # A. PDF ingest+segment vs pdftotext
    if shutil.which("pdftotext"):
        t_pdftotext = _best(
            lambda: [
                subprocess.run(["pdftotext", str(p), "-"], capture_output=True, check=True) for p in pdfs
            ]
        )
        t_ingest = _best(lambda: [segment(read_document(p)) for p in pdfs])
        ratio = t_ingest / t_pdftotext
        results.append(
            (
                "A",
                "PDF ingest+segment / pdftotext",
                f"{ratio:.2f}x ({t_ingest:.2f}s vs {t_pdftotext:.2f}s)",
                ratio <= 2,
            )
        )
    else:
        t_pdftotext = None
        results.append(("A", "PDF ingest+segment / pdftotext", "skipped: pdftotext not installed", False))

    # B. DOCX per core
    t_docx_bare = _best(lambda: [DocxDocument(str(p)) for p in docxs])
    t_docx_seg = _best(lambda: [segment(read_document(p)) for p in docxs])
    rate_seg = len(docxs) / t_docx_seg
    results.append(
        (
            "B",
            "DOCX ingest+segment per core",
            f"{rate_seg:.0f} docs/s (python-docx bare load: {len(docxs) / t_docx_bare:.0f}/s)",
            rate_seg >= 40,
        )
    )
    # Full checks: each document checked once, as in a real batch (repeating the same files
    # would let per-text caches answer), in a process first warmed up on the PDFs.
    checker = Checker()
    for p in pdfs[:10]:
        checker.check(p)
    gc.freeze()  # as a batch worker does once its pipeline is built
    # DESIGN's bar is for 10-page contracts: the DOCX within 10 % of 10 pages, at the words per
    # page measured on the PDF half of the same corpus (Word's layout, exported by LibreOffice)
    per_page = sum(read_document(p).words for p in pdfs) / _pages(pdfs)
    ten = [p for p in docxs if 9 * per_page <= read_document(p).words <= 11 * per_page]
    others = [p for p in docxs if p not in ten]
    t_ten = _best(lambda: [checker.check(p) for p in ten], repeat=1)
    t_others = _best(lambda: [checker.check(p) for p in others], repeat=1)
    rate_ten = len(ten) / t_ten
    rate_all = len(docxs) / (t_ten + t_others)
    results.append(
        (
            "B",
            f"DOCX full check per core, 10-page contracts (n={len(ten)})",
            f"{rate_ten:.0f} docs/s ({9 * per_page:.0f}-{11 * per_page:.0f} words)",
            rate_ten >= 20,
        )
    )
    results.append(
        ("B", "DOCX full check per core, all sizes", f"{rate_all:.0f} docs/s (for reference)", True)
    )

    # C + D. batch with 1 and 2 workers, runs interleaved (this VM's speed drifts by 10-20 %
    # over a minute, so back-to-back runs of one kind would measure the drift), best of 3 each
    def batch(jobs: int) -> float:
        out = Path(tempfile.mkdtemp(prefix="bench-out-"))
        t = time.perf_counter()
        res = run_batch(files, out, jobs=jobs)
        elapsed = time.perf_counter() - t
        assert not res.failures, res.failures[:3]
        shutil.rmtree(out, ignore_errors=True)
        return elapsed

    runs: dict[int, list[float]] = {1: [], 2: []}
    ceiling_runs: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(3):
        for jobs in (1, 2):
            runs[jobs].append(batch(jobs))
            ceiling_runs[jobs].append(_spin(jobs))
    t1, t2 = min(runs[1]), min(runs[2])
    speedup = t1 / t2
    ceiling = min(ceiling_runs[1]) / min(ceiling_runs[2])
    results.append(
        (
            "C",
            "batch speed-up, 2 workers vs 1",
            f"{speedup:.2f}x ({t1:.1f}s vs {t2:.1f}s for {len(files)})",
            speedup >= 1.8,
        )
    )
    results.append(
        (
            "C",
            "  same run: 2 vs 1 processes of pure CPU work",
            f"{ceiling:.2f}x (this machine's ceiling; batch reaches {speedup / ceiling:.0%} of it)",
            True,
        )
    )
    if t_pdftotext is not None:
        floor = t_pdftotext + t_docx_bare
        per_core = t1 / floor
        results.append(
            (
                "D",
                "batch (1 worker) / (pdftotext + python-docx load)",
                f"{per_core:.2f}x ({t1:.1f}s vs {floor:.1f}s)",
                per_core <= 2,
            )
        )
        fresh = Checker()
        gc.freeze()
        stages = _stage_costs(fresh, files)
        results.append(
            (
                "D",
                "  where one worker's time goes, ms per contract",
                ", ".join(f"{k} {v:.0f}" for k, v in stages.items())
                + f"; floor {1000 * floor / len(files):.0f}",
                True,
            )
        )

    # E. memory over a large batch: RSS of the batch's whole process tree, sampled while it runs
    if args.memory:
        many = Path(tempfile.mkdtemp(prefix="bench-many-"))
        for i in range(args.memory):
            src = files[i % len(files)]
            os.link(src, many / f"c{i:05d}{src.suffix}")
        out = Path(tempfile.mkdtemp(prefix="bench-out-"))
        cmd = [sys.executable, "-m", "checker", "batch", str(many), "--out", str(out), "--jobs", "2"]
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        peak = peak_main = 0
        while proc.poll() is None:
            tree = _tree_rss(proc.pid)
            peak = max(peak, sum(tree.values()))
            peak_main = max(peak_main, tree.get(proc.pid, 0))
            time.sleep(0.1)
        elapsed = time.perf_counter() - t
        summary = proc.stderr.read().strip().splitlines()[-1]
        peak_mb = peak / 1024
        results.append(
            (
                "E",
                f"peak RSS, batch of {args.memory} (main + 2 workers)",
                f"{peak_mb:.0f} MB (main alone {peak_main / 1024:.0f} MB; {elapsed:.0f}s; {summary[:60]})",
                peak_mb <= 600,
            )
        )
        shutil.rmtree(many, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)

    # F. --help
    exe = Path(sys.executable).with_name("contract-check")
    cmd = [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "checker", "--help"]
    helps = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        helps.append(time.perf_counter() - t)
    h = statistics.median(helps)
    results.append(("F", "contract-check --help", f"{h:.3f} s", h <= 0.3))

    print()
    for key, what, value, ok in results:
        print(f"  {key}  {what:<52} {value:<60} {'ok' if ok else 'MISSES TARGET'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
