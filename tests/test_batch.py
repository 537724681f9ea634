"""Batch at scale: isolation of bad, slow and crashing files, resumability, no network, no leaks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from checker.batch import discover, run_batch

SAMPLES = Path(__file__).resolve().parent.parent / "contracts_sample"
SOME = [
    "oa_ara_ako_school_engagement.txt",
    "schedule_tui_valley_rangatahi_mentoring.docx",
    "oa_kahurangi_whanau_navigator.pdf",
    "letter_of_agreement_tuhono_youth_space.md",
    "lease_harbourlight_office_premises.docx",
    "grant_letter_kotare_holiday_programme.txt",
]


def _copy(names: list[str], where: Path) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    for n in names:
        (where / n).write_bytes((SAMPLES / n).read_bytes())
    return where


def _huge_text(path: Path, mb: int) -> Path:
    clause = "1.1 The Provider must notify the Ministry of any Privacy Breach within 24 hours of becoming aware of it.\n"
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(mb * 1024 * 1024 // len(clause)):
            fh.write(clause)
    return path


def test_discovery_skips_readme_and_private_folders(tmp_path):
    d = _copy(SOME[:2], tmp_path / "in")
    (d / "README.md").write_text("# notes")
    (d / "_src").mkdir()
    (d / "_src" / "draft.txt").write_text("draft")
    (d / ".hidden.txt").write_text("x")
    (d / "licence_agreement.txt").write_text("1. This licence ...")  # a contract, not a LICENSE file
    names = [p.name for p in discover([d])]
    assert names == sorted([*SOME[:2], "licence_agreement.txt"])


def test_one_bad_file_never_stops_the_batch(tmp_path):
    d = _copy(SOME, tmp_path / "in")
    (d / "broken.docx").write_bytes(b"PK\x03\x04 broken")
    (d / "empty.pdf").write_bytes(b"")
    result = run_batch([d], tmp_path / "out", jobs=2)
    assert len(result.results) == len(SOME)
    assert sorted(Path(o.path).name for o in result.failures) == ["broken.docx", "empty.pdf"]
    csv = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8")
    assert csv.count(",error,") == 2


def test_a_file_that_takes_too_long_is_stopped_and_recorded(tmp_path):
    d = _copy(SOME[:2], tmp_path / "in")
    _huge_text(d / "enormous.txt", 40)
    t = time.monotonic()
    result = run_batch([d], tmp_path / "out", jobs=1, timeout=2)
    assert time.monotonic() - t < 60
    failed = {Path(o.path).name: o.error for o in result.failures}
    assert failed == {"enormous.txt": "timed out after 2 s"}
    assert len(result.results) == 2  # the worker was replaced and the rest were checked


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    kids.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return kids


class _SpyConnection:
    """Forwards to a worker's pipe, noting when a given file is handed to the worker."""

    def __init__(self, conn, name: str, event: threading.Event) -> None:
        self._conn, self._name, self._event = conn, name, event

    def __getattr__(self, attr):
        return getattr(self._conn, attr)

    def send(self, obj) -> None:
        self._conn.send(obj)
        if isinstance(obj, tuple) and obj[0].endswith(self._name):
            self._event.set()


def _batch_with_a_slow_file(tmp_path, monkeypatch) -> tuple[Path, threading.Event, list]:
    """Three samples and a 12 MB text, the largest file, so it is dispatched first. Every worker's
    pipe is watched: returns the folder, an event set once the slow file is handed to a worker,
    and the pool's slots as they start (to find and kill that worker)."""
    import checker.batch as batch_mod

    d = _copy(SOME[:3], tmp_path / "in")
    _huge_text(d / "aaa_slow.txt", 12)
    handed_over = threading.Event()
    slots = []
    real_start = batch_mod._Pool._start

    def spy_start(self):
        slot = real_start(self)
        slot.conn = _SpyConnection(slot.conn, "aaa_slow.txt", handed_over)
        slots.append(slot)
        return slot

    monkeypatch.setattr(batch_mod._Pool, "_start", spy_start)
    return d, handed_over, slots


def test_a_worker_that_dies_is_replaced(tmp_path, monkeypatch):
    d, handed_over, slots = _batch_with_a_slow_file(tmp_path, monkeypatch)

    def kill_when_busy():
        assert handed_over.wait(60)
        time.sleep(1.0)  # the worker is now parsing the 12 MB file
        os.kill(slots[0].process.pid, signal.SIGKILL)

    threading.Thread(target=kill_when_busy, daemon=True).start()
    result = run_batch([d], tmp_path / "out", jobs=1, timeout=120)
    failed = {Path(o.path).name: o.error for o in result.failures}
    assert list(failed) == ["aaa_slow.txt"] and "crashed" in failed["aaa_slow.txt"]
    assert len(result.results) == 3  # a new worker checked the rest


def test_a_crash_after_idle_workers_have_exited_still_checks_what_was_queued_behind_it(tmp_path, monkeypatch):
    """Idle workers exit once the queue is empty; a file queued behind a file that then crashes
    its worker must still be checked (by the replacement), not lost."""
    d, handed_over, slots = _batch_with_a_slow_file(tmp_path, monkeypatch)
    seen_retired = threading.Event()

    def kill_once_the_other_worker_has_exited():
        assert handed_over.wait(60)
        busy = next(s for s in list(slots) if any(t.path.endswith("aaa_slow.txt") for t in s.tasks))
        assert len(busy.tasks) == 2  # the slow file, and one waiting behind it
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(s.retired for s in list(slots) if s is not busy):
                seen_retired.set()
                break
            time.sleep(0.05)
        os.kill(busy.process.pid, signal.SIGKILL)

    threading.Thread(target=kill_once_the_other_worker_has_exited, daemon=True).start()
    result = run_batch([d], tmp_path / "out", jobs=2, timeout=120)
    assert seen_retired.is_set(), "the idle worker should have been told to exit before the crash"
    failed = {Path(o.path).name: o.error for o in result.failures}
    assert list(failed) == ["aaa_slow.txt"] and "crashed" in failed["aaa_slow.txt"]
    assert sorted(Path(o.path).name for o in result.results) == sorted(SOME[:3])


def test_interrupted_batch_resumes_with_only_the_remainder(tmp_path):
    names = [n for n in os.listdir(SAMPLES) if n.endswith((".txt", ".md", ".docx")) and n != "README.md"]
    d = _copy(sorted(names), tmp_path / "in")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "checker", "batch", str(d), "--out", str(out), "--jobs", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.json"))) < 4:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # like kill -9 of the whole batch, workers included
    proc.wait()
    done_before = {p.name for p in out.glob("*.json")}
    assert 4 <= len(done_before) < len(names), "the batch should have been killed part-way"
    for p in out.glob("*.json"):
        json.loads(p.read_text(encoding="utf-8"))  # every report that exists is complete
    for p in out.glob("*.html"):
        assert p.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not (out / "index.html").exists()

    rerun = subprocess.run(cmd, capture_output=True, text=True)
    assert rerun.returncode in (0, 1), rerun.stderr
    cached = len(list((out / ".cache").glob("*.json")))
    summary_line = rerun.stderr.strip().splitlines()[-1]
    unchanged = int(summary_line.split("(")[1].split(" unchanged")[0])
    assert unchanged >= len(done_before) - 1  # at most the one being written when killed is redone
    assert unchanged < len(names)
    assert cached == len(names)
    assert len(list(out.glob("*.json"))) == len(names)
    assert not list(out.rglob("*.tmp"))
    assert (out / "index.html").exists() and (out / "summary.xlsx").exists()


GUARD = """
import os, socket
LOCAL = ("127.0.0.1", "::1", "localhost", "")
def _log(what):
    with open(os.environ["NET_GUARD_LOG"], "a") as fh:
        fh.write(f"{os.getpid()} {what}\\n")
    raise OSError("network use is forbidden")
def _wrap(name):
    real = getattr(socket.socket, name)
    def guarded(self, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            address = args[-1] if args else None
            host = address[0] if isinstance(address, tuple) else address
            if name != "bind" or host not in LOCAL:
                _log(f"{name} {address!r}")
        return real(self, *args, **kwargs)
    setattr(socket.socket, name, guarded)
for _name in ("connect", "connect_ex", "sendto", "bind"):
    _wrap(_name)
_real_getaddrinfo = socket.getaddrinfo
def _getaddrinfo(host, *args, **kwargs):
    if host not in LOCAL:
        _log(f"getaddrinfo {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = _getaddrinfo
"""


def test_no_process_of_a_batch_uses_the_network(tmp_path):
    """Every process of the batch (main and spawned workers) runs with a guard that logs and
    refuses any connection, datagram, non-loopback bind or name lookup; the batch must succeed
    and the log stay empty. (urllib3, imported by spaCy, probes IPv6 by binding ::1: local only.)"""
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "net.log"
    d = _copy(SOME, tmp_path / "in")
    env = {**os.environ, "PYTHONPATH": str(guard_dir), "NET_GUARD_LOG": str(log)}
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 80), timeout=1)"],
        env=env,
        capture_output=True,
    )
    assert probe.returncode != 0 and log.read_text().strip(), "the guard itself must work"
    log.unlink()
    run = subprocess.run(
        [sys.executable, "-m", "checker", "batch", str(d), "--out", str(tmp_path / "out"), "--jobs", "2"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode in (0, 1), run.stderr
    assert f"checked {len(SOME)} contracts" in run.stderr
    assert not log.exists() or log.read_text() == ""


def test_workers_that_cannot_start_end_the_batch_promptly(tmp_path):
    """A script read from standard input cannot be re-imported by spawned workers: every worker
    dies at start-up. The batch must stop with a clear error, not wait for ever."""
    d = _copy(SOME[:2], tmp_path / "in")
    script = (
        "from checker.batch import run_batch, WorkerStartError\n"
        f"try:\n    run_batch([{str(d)!r}], {str(tmp_path / 'out')!r}, jobs=2)\n"
        "except WorkerStartError as exc:\n    print('stopped:', exc)\n"
    )
    run = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=120)
    assert "stopped: worker processes exit before starting" in run.stdout
