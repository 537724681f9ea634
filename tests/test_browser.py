"""The HTML reports in a real browser (headless Chromium through Playwright).

Checks that pages load with no console errors and no network requests, that the dashboard's
filters and sorting work, and saves a screenshot of each page in `test-artifacts/`.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SAMPLES = ROOT / "contracts_sample"
PICK = [
    "oa_kowhai_grove_intensive_whanau_support.docx",
    "oa_otaki_home_support_provider_owns_records.txt",
    "schedule_te_puna_korero_counselling.pdf",
    "lease_harbourlight_office_premises.docx",
]
_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic", "--disable-extensions"]  # fmt: skip


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    from checker.batch import run_batch

    out = tmp_path_factory.mktemp("reports")
    broken = tmp_path_factory.mktemp("in") / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage")
    result = run_batch([SAMPLES / name for name in PICK] + [broken], out, jobs=1)
    assert len(result.results) == len(PICK) and len(result.failures) == 1
    return out, {Path(o.path).name: f"{o.report}.html" for o in result.results}


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=_ARGS)
        yield b
        b.close()


def _open(browser, path: Path, shot: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    return page, errors, requests


def test_contract_report_loads_cleanly(browser, reports):
    out, names = reports
    page, errors, requests = _open(browser, out / names[PICK[1]], "contract-report.png")
    assert errors == []
    assert [u for u in requests if not u.startswith("file://")] == []
    assert page.locator("h1").inner_text() == "Data-handling gap report"
    assert page.locator("article.card").count() == 25
    badges = page.locator("article.card .badge").all_inner_texts()
    assert {b.strip().lower() for b in badges} <= {"met", "partial", "weak", "conflict", "missing"}
    headings = [int(h.evaluate("e => e.tagName")[1]) for h in page.locator("h1, h2, h3").all()]
    assert all(b - a <= 1 for a, b in itertools.pairwise(headings)), "heading levels must not skip"
    page.close()


def test_dashboard_filters_and_sorts(browser, reports):
    out, names = reports
    page, errors, requests = _open(browser, out / "index.html", "dashboard.png")
    assert errors == []
    assert [u for u in requests if not u.startswith("file://")] == []
    rows = page.locator("#heat tbody tr")
    assert rows.count() == len(PICK)
    assert page.locator("#shown").inner_text() == f"{len(PICK)} of {len(PICK)} contracts shown"
    assert "broken.pdf" in page.locator("#fail-h + table").inner_text()

    page.fill("#f-text", "lease")
    visible = page.locator("#heat tbody tr:visible")
    assert visible.count() == 1 and "lease" in visible.inner_text()
    page.fill("#f-text", "")

    page.select_option("#f-sev", "4")  # critical requirements only
    shown_cols = page.locator("#heat thead th.req:visible").count()
    assert 0 < shown_cols < 25
    assert page.locator("#heat tbody tr:first-child td.cell:visible").count() == shown_cols
    page.select_option("#f-sev", "0")

    page.select_option("#f-status", "conflict")
    with_conflict = page.locator("#heat tbody tr:visible")
    assert 1 <= with_conflict.count() < len(PICK)
    for i in range(with_conflict.count()):
        assert with_conflict.nth(i).locator("td.cell.conflict").count() >= 1
    page.select_option("#f-status", "")

    page.click("#heat thead button[data-key=gaps]")
    gaps = [int(t) for t in page.locator("#heat tbody tr td:nth-of-type(2)").all_inner_texts()]
    assert gaps == sorted(gaps, reverse=True)
    page.click("#heat thead button[data-key=gaps]")
    gaps = [int(t) for t in page.locator("#heat tbody tr td:nth-of-type(2)").all_inner_texts()]
    assert gaps == sorted(gaps)

    cell_link = page.locator(f"#heat tbody td.cell a[href='{names[PICK[0]]}#security_safeguards']")
    assert cell_link.count() == 1  # each cell opens that requirement's card in the contract report
    page.click(f"#heat tbody th a[href='{names[PICK[0]]}']")
    page.wait_for_load_state("load")
    assert page.url.endswith(names[PICK[0]])
    page.close()


def test_dashboard_without_javascript_still_lists_everything(reports):
    html = (reports[0] / "index.html").read_text(encoding="utf-8")
    assert html.count("<tr data-name=") == len(PICK)
    assert ".filters { display: none;" in html  # filters only appear when the script runs
