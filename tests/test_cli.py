"""The command line through click's runner: formats, the JSON contract, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import cli, main
from checker.library import load_library

SAMPLES = Path(__file__).resolve().parent.parent / "contracts_sample"
STATUSES = {"met", "partial", "weak", "conflict", "missing"}


# a well-drafted sample of each format (many clauses to cite)
_GOOD = {
    ".pdf": "oa_te_rito_ora_kaupapa_maori_early_intervention.pdf",
    ".docx": "oa_kowhai_grove_intensive_whanau_support.docx",
    ".txt": "oa_ara_ako_school_engagement.txt",
}


def _sample(suffix: str) -> Path:
    return SAMPLES / _GOOD[suffix]


def _run(args: list[str]):
    return CliRunner().invoke(cli, args, catch_exceptions=False, standalone_mode=False)


def _invoke_main(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["contract-check", *args])
    with pytest.raises(SystemExit) as info:
        main()
    out, err = capsys.readouterr()
    return info.value.code, out, err


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".txt"])
def test_json_report_follows_the_contract(suffix, monkeypatch, capsys):
    path = _sample(suffix)
    code, out, _ = _invoke_main(["check", str(path), "--format", "json"], monkeypatch, capsys)
    assert code in (0, 1)
    report = json.loads(out)
    assert report["schema"] == "contract-check/1"
    assert report["tool"]["name"] == "contract-check"
    assert report["library"]["id"] == "nz-privacy-ngo"
    contract = report["contract"]
    assert contract["format"] == {".pdf": "pdf", ".docx": "docx", ".txt": "text"}[suffix]
    assert len(contract["sha256"]) == 64 and contract["words"] > 300
    assert (contract["pages"] or 0) >= (1 if suffix == ".pdf" else 0)
    ids = [r.id for r in load_library("nz-privacy-ngo").requirements]
    assert [f["requirement"] for f in report["findings"]] == ids
    assert sum(report["summary"].values()) == len(ids)
    for f in report["findings"]:
        assert f["status"] in STATUSES
        assert {"title", "category", "severity", "elements", "evidence", "explanation"} <= set(f)
        assert all({"id", "found"} <= set(e) for e in f["elements"])
        for ev in f["evidence"]:
            assert set(ev) >= {"clause", "page", "text"} and ev["text"]
            if suffix == ".pdf":
                assert isinstance(ev["page"], int) and ev["page"] >= 1
            else:
                assert ev["page"] is None
    cited = [ev["clause"] for f in report["findings"] for ev in f["evidence"] if ev["clause"]]
    assert len(cited) >= 10, "evidence should carry the clause numbers a reader sees"
    assert any("." in c for c in cited), "sub-clause numbers such as 8.3 should be cited"
    assert code == (
        1
        if any(f["status"] != "met" and f["severity"] in ("critical", "high") for f in report["findings"])
        else 0
    )


def test_json_is_byte_identical_on_a_second_run(monkeypatch, capsys):
    path = _sample(".docx")
    first = _invoke_main(["check", str(path), "--format", "json"], monkeypatch, capsys)[1]
    second = _invoke_main(["check", str(path), "--format", "json"], monkeypatch, capsys)[1]
    assert first == second


@pytest.mark.parametrize("fmt", ["text", "html", "csv", "md"])
def test_every_format_renders(fmt):
    result = _run(["check", str(_sample(".docx")), "--format", fmt])
    out = result.output
    assert out.strip()
    if fmt == "html":
        assert out.startswith("<!DOCTYPE html>") and "Model wording" in out
    if fmt == "csv":
        assert out.splitlines()[0].startswith("contract,provider,sha256,library,requirement")
        assert len(out.splitlines()) == 26


def test_fail_on_controls_the_exit_code(monkeypatch, capsys):
    path = str(_sample(".docx"))
    code_low, _, _ = _invoke_main(["check", path, "--fail-on", "low"], monkeypatch, capsys)
    assert code_low == 1  # every sample has at least one gap of some severity


def test_out_writes_a_file(tmp_path, monkeypatch, capsys):
    out = tmp_path / "r" / "report.html"
    _invoke_main(["check", str(_sample(".pdf")), "--format", "html", "--out", str(out)], monkeypatch, capsys)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda d: d / "missing.docx", "no such file"),
        (
            lambda d: ((d / "empty.pdf").write_bytes(b"") and d / "empty.pdf") or d / "empty.pdf",
            "file is empty",
        ),
        (lambda d: d, "is a directory"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, monkeypatch, capsys, make, reason):
    path = make(tmp_path)
    code, out, err = _invoke_main(["check", str(path)], monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {path}: ") and reason in err
    assert "Traceback" not in err


def test_unknown_library_and_bad_option(monkeypatch, capsys):
    code, _, err = _invoke_main(["check", str(_sample(".txt")), "--library", "nope"], monkeypatch, capsys)
    assert code == 2 and err.startswith("error: nope: unknown library")
    code, _, err = _invoke_main(["check", str(_sample(".txt")), "--format", "xml"], monkeypatch, capsys)
    assert code == 2 and "Traceback" not in err


def test_library_commands(tmp_path, monkeypatch, capsys):
    code, out, _ = _invoke_main(["library", "list"], monkeypatch, capsys)
    assert code == 0 and "nz-privacy-ngo" in out and "gdpr-art28" in out
    code, out, _ = _invoke_main(["library", "show", "gdpr-art28"], monkeypatch, capsys)
    assert code == 0 and "gdpr_breach_notification" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: contract-check-library/1\nid: x\nversion: '1'\ntitle: X\nrequirements: []\n")
    code, _, err = _invoke_main(["library", "validate", str(bad)], monkeypatch, capsys)
    assert code == 2 and err.startswith("error: bad.yaml: requirements")


def test_batch_writes_reports_and_records_failures(tmp_path, monkeypatch, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for p in (_sample(".docx"), _sample(".pdf"), _sample(".txt")):
        (inputs / p.name).write_bytes(p.read_bytes())
    (inputs / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "out"
    code, _, err = _invoke_main(["batch", str(inputs), "--out", str(out)], monkeypatch, capsys)
    assert code == 3
    assert f"error: {inputs / 'broken.docx'}: " in err
    names = sorted(p.name for p in out.iterdir())
    assert "index.html" in names and "summary.csv" in names
    assert sum(n.endswith(".json") for n in names) == 3 and sum(n.endswith(".html") for n in names) == 4
    csv_text = (out / "summary.csv").read_text(encoding="utf-8")
    assert len(csv_text.splitlines()) == 1 + 3 * 25 + 1
    assert "broken.docx" in csv_text and ",error," in csv_text
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "broken.docx" in index and "Files that could not be read" in index
    assert not [n for n in names if n.endswith(".tmp")]


def test_an_unforeseen_error_is_one_line_naming_the_file_with_exit_4(monkeypatch, capsys):
    """The safety net under every stage: a fault nobody foresaw (simulated here in the assess
    stage, after the real parsers have read a real file) is not a traceback."""

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a message that might quote the contract")

    monkeypatch.setattr("checker.api.assess", broken)
    path = _sample(".docx")
    code, out, err = _invoke_main(["check", str(path), "--format", "json"], monkeypatch, capsys)
    assert code == 4
    assert out == ""
    assert err == f"error: {path}: internal error while checking (ZeroDivisionError); please report it\n"
