"""Batch: check every contract under some paths, in parallel, and write a portfolio.

Each worker process builds its spaCy pipeline once and writes each contract's JSON and HTML
reports as soon as it is checked, so memory stays flat whatever the batch size; the main
process keeps only a small summary per contract for `index.html` and `summary.csv`.

One file never stops the run: a bad file is recorded with its one-line reason, a file that
takes longer than `timeout` seconds has its worker killed and replaced, and a worker that dies
is replaced too. Every file is written atomically (temporary file in the same folder, then a
rename), and a cache keyed by the file's SHA-256, the library's content hash and the tool
version lets a re-run (after Ctrl-C or kill -9) check only what is new or unfinished.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import multiprocessing as mp
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from checker import __version__
from checker.library import SEVERITY_RANK, ClauseLibrary, load_library

CONTRACT_SUFFIXES = {".docx", ".pdf", ".txt", ".md", ".markdown", ".text", ".doc", ".rtf", ".odt"}
_SKIP_STEMS = {"readme", "license", "licence", "changelog", "copying", "notice"}
STATUS_CODE = {"met": "M", "partial": "P", "weak": "W", "conflict": "C", "missing": "–"}
CACHE_DIR = ".cache"
_MAX_STARTUP_FAILURES = 3
_IN_FLIGHT = 2  # files handed to a worker at once


class WorkerStartError(RuntimeError):
    """Workers die before they are ready (broken installation): the batch cannot run at all."""


DEFAULT_TIMEOUT = 60.0


@dataclass(slots=True)
class Outcome:
    """What the portfolio needs of one contract (never the contract's text)."""

    path: str
    report: str  # base name of this contract's reports in the output folder
    name: str = ""  # path relative to the batch's common folder, for display
    sha256: str | None = None
    provider: str | None = None
    error: str | None = None
    statuses: list[str] = field(default_factory=list)  # library order
    rows: list[dict[str, str]] = field(default_factory=list)  # summary.csv rows
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(slots=True)
class BatchResult:
    library: ClauseLibrary
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def results(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]

    def with_gaps(self, min_severity: str) -> list[Outcome]:
        floor = SEVERITY_RANK[min_severity]
        reqs = self.library.requirements
        return [
            o
            for o in self.results
            if any(
                s != "met" and SEVERITY_RANK[r.severity] >= floor
                for s, r in zip(o.statuses, reqs, strict=True)
            )
        ]


# -- discovery ---------------------------------------------------------------------------------


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Contract files under `paths`, sorted. Files named explicitly are always included;
    in folders, hidden and `_`-prefixed folders and README/LICENSE files are skipped, and
    symbolic links to folders are not followed (no loops)."""
    found: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir() and not p.is_symlink():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
                for name in files:
                    if name.startswith(".") or Path(name).stem.lower() in _SKIP_STEMS:
                        continue
                    if Path(name).suffix.lower() in CONTRACT_SUFFIXES:
                        found.add(Path(root) / name)
        else:
            found.add(p)  # a missing or odd path is reported as a failure, not skipped
    return sorted(found, key=str)


def _relative(path: Path, root: Path | None) -> Path | None:
    """`path` relative to the batch's common folder, or None when it is not under it."""
    if root is None:
        return None
    try:
        return path.absolute().relative_to(root)
    except ValueError:
        return None


def report_name(path: Path, root: Path | None) -> str:
    rel = _relative(path, root) or Path(path.name)
    return "__".join(rel.parts).replace(" ", "_")


def display_name(path: Path, root: Path | None) -> str:
    return str(_relative(path, root) or path)


def _common_root(files: list[Path]) -> Path | None:
    if not files:
        return None
    try:
        return Path(os.path.commonpath([str(f.absolute().parent) for f in files]))
    except ValueError:
        return None


# -- files ---------------------------------------------------------------------------------------


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename it into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _file_sha256(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def _cache_key(sha256: str, library: ClauseLibrary) -> str:
    return hashlib.sha256(f"{sha256}:{library.content_hash}:{__version__}".encode()).hexdigest()


# -- the worker ------------------------------------------------------------------------------------


def _check_one(checker: Any, path: str, report: str, out: Path) -> dict[str, Any]:
    """Check one file and write its reports; return the small summary the portfolio needs."""
    from checker.errors import CheckerError
    from checker.report import to_json
    from checker.report.html import contract_html
    from checker.report.tabular import rows

    try:
        result = checker.check(path)
    except CheckerError as exc:
        return {"error": exc.reason}
    write_atomic(out / f"{report}.json", to_json(result))
    write_atomic(out / f"{report}.html", contract_html(result))
    return {
        "sha256": result.document.sha256,
        "provider": result.provider,
        "statuses": [f.status for f in result.findings],
        "rows": rows(result),
    }


def _worker(conn: Connection, library: str, out: str) -> None:
    """Worker process: build the pipeline once, then check files sent over `conn`.

    The library travels as its file name, not as a pickled object: a spawned child reads its
    start-up data from a pipe, and a large payload to a child that dies early would block the
    parent (multiprocessing keeps the pipe's read end open while writing)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from checker.api import Checker

    checker = Checker(library)
    # The pipeline, library and compiled patterns (~120,000 objects) live as long as the worker:
    # keep them out of the cyclic garbage collector, whose full collections walked all of them
    # about every third contract (~15 ms a contract on average, measured).
    gc.freeze()
    conn.send(("ready", None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if task is None:
            return
        path, report = task
        try:
            summary = _check_one(checker, path, report, Path(out))
        except Exception as exc:  # a bug must not kill the worker; the file is recorded as failed
            summary = {"error": f"internal error while checking ({exc.__class__.__name__})"}
        conn.send(("done", summary))


@dataclass
class _Slot:
    """A worker and the files handed to it: the first is being checked (since `started`), the
    next waits in the pipe so the worker never idles between files."""

    process: Any
    conn: Connection
    tasks: list[Outcome] = field(default_factory=list)
    started: float = 0.0
    ready: bool = False
    retired: bool = False  # told to exit: nothing left for it to do


class _Pool:
    """A few worker processes with a per-file deadline; dead or stuck workers are replaced."""

    def __init__(self, jobs: int, library: ClauseLibrary, out: Path) -> None:
        self.ctx = mp.get_context("spawn")
        self.library = library
        self.out = out
        self.slots = [self._start() for _ in range(jobs)]

    def _start(self) -> _Slot:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker, args=(child, self.library.source, str(self.out)), daemon=True)
        proc.start()
        child.close()
        return _Slot(proc, parent)

    def replace(self, slot: _Slot) -> None:
        slot.process.kill()
        slot.process.join(5)
        slot.conn.close()
        fresh = self._start()
        slot.process, slot.conn, slot.tasks, slot.ready = fresh.process, fresh.conn, [], False

    def retire(self, slot: _Slot) -> None:
        """Tell an idle worker to exit now, so it is gone by the time the portfolio is written."""
        slot.retired = True
        with contextlib.suppress(OSError):
            slot.conn.send(None)

    def stop(self) -> None:
        for slot in self.slots:
            if not slot.retired:
                self.retire(slot)

    def join(self) -> None:
        for slot in self.slots:
            slot.process.join(2)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join(2)

    def close(self) -> None:
        self.stop()
        self.join()


def run_batch(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    library: ClauseLibrary | str | Path | None = None,
    *,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[Outcome], None] | None = None,
) -> BatchResult:
    """Check every contract under `paths`; write reports, `index.html` and `summary.csv`."""
    lib = library if isinstance(library, ClauseLibrary) else load_library(library)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / CACHE_DIR).mkdir(exist_ok=True)
    for stale in [*out.glob(".*.tmp"), *(out / CACHE_DIR).glob(".*.tmp")]:  # left by a killed run
        stale.unlink(missing_ok=True)
    files = discover(paths)
    root = _common_root(files)
    outcomes = [Outcome(path=str(p), report=report_name(p, root), name=display_name(p, root)) for p in files]
    todo: list[Outcome] = []
    for o in outcomes:
        if _from_cache(o, out, lib):
            if progress:
                progress(o)
        else:
            todo.append(o)
    pool = _run_pool(todo, out, lib, jobs or os.cpu_count() or 1, timeout, progress) if todo else None
    try:
        batch = BatchResult(lib, outcomes)
        write_portfolio(batch, out)  # while the last worker shuts down
    finally:
        if pool is not None:
            pool.join()
    return batch


def _from_cache(o: Outcome, out: Path, lib: ClauseLibrary) -> bool:
    o.sha256 = _file_sha256(Path(o.path))
    if o.sha256 is None:
        return False
    entry = out / CACHE_DIR / f"{_cache_key(o.sha256, lib)}.json"
    if not (
        entry.is_file() and (out / f"{o.report}.json").is_file() and (out / f"{o.report}.html").is_file()
    ):
        return False
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if data.get("report") != o.report:
        return False
    o.statuses, o.rows, o.provider, o.cached = data["statuses"], data["rows"], data.get("provider"), True
    for row in o.rows:
        row["contract"] = o.path
    return True


def _store(o: Outcome, out: Path, lib: ClauseLibrary) -> None:
    if o.ok and o.sha256:
        entry = out / CACHE_DIR / f"{_cache_key(o.sha256, lib)}.json"
        data = {"report": o.report, "provider": o.provider, "statuses": o.statuses, "rows": o.rows}
        write_atomic(entry, json.dumps(data))


def _run_pool(
    todo: list[Outcome],
    out: Path,
    lib: ClauseLibrary,
    jobs: int,
    timeout: float,
    progress: Callable[[Outcome], None] | None,
) -> _Pool:
    """Check `todo` on a pool of workers; return the pool, told to stop but not yet joined."""
    # Largest files first (a proxy for work), so the batch does not end on one worker still
    # busy with a long contract while the others idle. Outcomes keep their own order.
    queue = sorted(todo, key=_size)
    pool = _Pool(min(jobs, len(todo)), lib, out)
    pending = len(todo)
    startup_failures = 0
    warmed = False

    def finish(o: Outcome, summary: dict[str, Any]) -> None:
        nonlocal pending
        if "error" in summary:
            o.error = summary["error"]
        else:
            o.sha256, o.provider = summary["sha256"], summary["provider"]
            o.statuses, o.rows = summary["statuses"], summary["rows"]
            _store(o, out, lib)
        pending -= 1
        if progress:
            progress(o)

    def lose_worker(slot: _Slot, reason: str) -> None:
        """Replace a dead or stuck worker: its current file fails, files queued behind it go back."""
        tasks = slot.tasks
        pool.replace(slot)
        if tasks:
            finish(tasks[0], {"error": reason})
            queue.extend(reversed(tasks[1:]))

    try:
        while pending:
            for slot in pool.slots:
                while slot.ready and not slot.retired and len(slot.tasks) < _IN_FLIGHT and queue:
                    task = queue.pop()
                    if not slot.tasks:
                        slot.started = time.monotonic()
                    slot.tasks.append(task)
                    slot.conn.send((task.path, task.report))
                if not queue and slot.ready and not slot.tasks and not slot.retired:
                    pool.retire(slot)
            if not warmed and all(s.ready for s in pool.slots):
                warmed = True
                _warm_portfolio()  # the main process is idle while workers check: prepare now
            live = [s for s in pool.slots if not s.retired]
            busy = [s for s in live if s.tasks]
            deadline = min((s.started + timeout for s in busy), default=time.monotonic() + timeout)
            ready = wait([s.conn for s in live], timeout=max(0.05, deadline - time.monotonic()))
            for slot in live:
                if slot.conn in ready:
                    try:
                        kind, summary = slot.conn.recv()
                    except (EOFError, OSError):
                        code = slot.process.exitcode
                        if not slot.ready:
                            startup_failures += 1
                            if startup_failures >= _MAX_STARTUP_FAILURES:
                                raise WorkerStartError(
                                    f"worker processes exit before starting (exit code {code})"
                                ) from None
                        lose_worker(slot, f"the checker crashed on this file (exit code {code})")
                        continue
                    if kind == "ready":
                        slot.ready = True
                    elif slot.tasks:
                        finish(slot.tasks.pop(0), summary)
                        slot.started = time.monotonic()
                elif slot.tasks and time.monotonic() - slot.started > timeout:
                    lose_worker(slot, f"timed out after {timeout:g} s")
    except BaseException:
        pool.close()
        raise
    pool.stop()
    return pool


def _size(o: Outcome) -> int:
    try:
        return os.stat(o.path).st_size
    except OSError:
        return 0


def _warm_portfolio() -> None:
    """Import the portfolio writers and compile the dashboard template ahead of time."""
    from checker.report.excel import portfolio_xlsx  # noqa: F401
    from checker.report.html import environment

    environment().get_template("index.html.j2")


# -- the portfolio ---------------------------------------------------------------------------------


def write_portfolio(batch: BatchResult, out: Path) -> None:
    from checker.report.excel import portfolio_xlsx
    from checker.report.html import portfolio_html
    from checker.report.tabular import failure_row, write_csv

    all_rows: list[dict[str, str]] = []
    for o in batch.outcomes:
        all_rows.extend(o.rows if o.ok else [failure_row(o.path, o.error or "", batch.library.id)])
    view = portfolio_view(batch)
    write_atomic(out / "summary.csv", write_csv(all_rows))
    write_atomic(out / "summary.xlsx", portfolio_xlsx(view, all_rows))
    write_atomic(out / "index.html", portfolio_html(view))


def portfolio_view(batch: BatchResult) -> dict:
    """The dashboard's data: decided here, displayed by `index.html.j2`."""
    reqs = batch.library.requirements
    done = sorted(batch.results, key=lambda o: o.path)
    totals = []
    for i, r in enumerate(reqs):
        counts = dict.fromkeys(STATUS_CODE, 0)
        for o in done:
            counts[o.statuses[i]] += 1
        lacking = len(done) - counts["met"]
        title = r.title[0].lower() + r.title[1:]
        totals.append(
            {
                "n": i + 1,
                "id": r.id,
                "title": r.title,
                "severity": r.severity,
                "severity_rank": SEVERITY_RANK[r.severity],
                "category": r.category,
                "counts": counts,
                "gaps": lacking,
                "sentence": f"{lacking} of {len(done)} contracts fall short on {title}",
            }
        )
    contracts = []
    for o in done:
        gaps = [r for s, r in zip(o.statuses, reqs, strict=True) if s != "met"]
        contracts.append(
            {
                "name": o.name or o.path,
                "path": o.path,
                "provider": o.provider or "",
                "report": f"{o.report}.html",
                "gaps": len(gaps),
                "critical": sum(1 for r in gaps if r.severity == "critical"),
                "cells": [
                    {"status": s, "code": STATUS_CODE[s], "title": r.title, "id": r.id}
                    for s, r in zip(o.statuses, reqs, strict=True)
                ],
            }
        )
    categories = sorted({r.category for r in reqs})
    worst = max(totals, key=lambda t: (t["severity_rank"], t["gaps"]), default=None)
    return {
        "library": {
            "id": batch.library.id,
            "version": batch.library.version,
            "title": batch.library.model.title,
        },
        "tool_version": __version__,
        "checked_on": date.today().isoformat(),
        "columns": [
            {k: t[k] for k in ("n", "id", "title", "severity", "severity_rank", "category")} for t in totals
        ],
        "totals": sorted(totals, key=lambda t: (-t["severity_rank"], -t["gaps"], t["id"])),
        "contracts": contracts,
        "categories": categories,
        "glance": {
            "checked": len(done),
            "failed": len(batch.failures),
            "with_critical": sum(1 for c in contracts if c["critical"]),
            "fully_met": sum(1 for c in contracts if not c["gaps"]),
            "worst": worst["sentence"] if worst and worst["gaps"] else "",
        },
        "failures": [{"path": o.path, "reason": o.error} for o in batch.failures],
    }
