"""Reports: contract text is escaped everywhere, pages are self-contained, exports open."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

from checker.batch import run_batch
from checker.report import render

HOSTILE = """AGREEMENT between the Ministry and Evil <script>alert(1)</script> Trust (the Provider).

14. PRIVACY
14.1 The Provider must notify the Ministry of any Privacy Breach <script>alert("x")</script> within 24 hours.
14.2 The Provider must protect Personal Information against loss and unauthorised access "><img src=x onerror=alert(2)> {{ 7*7 }} {% raw %}.
14.3 The Provider must not keep Personal Information for longer than needed =HYPERLINK("http://evil.example","x").
"""


@pytest.fixture
def hostile(write_text):
    return write_text(HOSTILE, name="hostile <b>contract.txt")


def _no_live_markup(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert "<b>contract" not in html
    assert "49" not in re.findall(r"\d+", html.split("{{ 7*7 }}")[0][-5:])  # template syntax stays literal


def test_contract_html_escapes_contract_text(nz_checker, hostile):
    html = render(nz_checker.check(hostile), "html")
    _no_live_markup(html)
    assert "&lt;script&gt;alert(" in html
    assert "{{ 7*7 }}" in html and "{% raw %}" in html
    assert html.count("<script") == 0  # the contract report needs no script at all


def test_reports_are_self_contained(nz_checker, hostile):
    html = render(nz_checker.check(hostile), "html")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert "Content-Security-Policy" in html


def test_markdown_and_csv_keep_text_inert(nz_checker, hostile):
    result = nz_checker.check(hostile)
    md = render(result, "md")
    assert "| " in md and "\n|---" in md
    for line in md.splitlines()[4:]:
        assert line.count("|") - line.count("\\|") == 6  # table cells never broken by contract text
    data = json.loads(render(result, "json"))
    assert any(
        "<script>" in ev["text"] for f in data["findings"] for ev in f["evidence"]
    )  # JSON keeps the words


def test_batch_outputs_escape_and_excel_is_inert(hostile, tmp_path):
    out = tmp_path / "out"
    batch = run_batch([hostile], out, jobs=1)
    assert not batch.failures
    index = (out / "index.html").read_text(encoding="utf-8")
    _no_live_markup(index)
    assert "hostile &lt;b&gt;contract.txt" in index
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", index)
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    assert wb.sheetnames == ["Contracts", "Requirements", "Gaps"]
    values = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [v for v in values if v.startswith("=")], "no cell may hold a formula"
    assert wb["Contracts"].freeze_panes == "B2" and wb["Gaps"].auto_filter.ref
    for sheet in ("Contracts", "Gaps"):  # status cells coloured by rule, one rule per status word
        rules = {r.formula[0] for cf in wb[sheet].conditional_formatting for r in cf.rules}
        assert {'"met"', '"partial"', '"weak"', '"conflict"', '"missing"', '"error"'} <= rules


@pytest.mark.skipif(
    __import__("shutil").which("soffice") is None, reason="LibreOffice (soffice, with Calc) is not installed"
)
def test_summary_xlsx_opens_in_libreoffice(hostile, tmp_path):
    import subprocess

    out = tmp_path / "out"
    run_batch([hostile], out, jobs=1)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "csv"), str(out / "summary.xlsx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = (tmp_path / "csv" / "summary.csv").read_text(encoding="utf-8")
    assert text.startswith("Contract,Provider,Gaps,Critical gaps,1. ")
    assert "hostile <b>contract.txt" in text
