"""rapport.html in a real headless browser (Debian's chromium driven by Playwright).

Never downloads a browser: it uses /usr/bin/chromium, and is skipped (with the reason) only when
that or the playwright package is missing. The screenshots land in tests/artifacts/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dossiercheck.checks.registry import BY_CODE
from dossiercheck.reports import html as html_mod
from dossiercheck.reports.html import write_html
from report_fixtures import XSS_IMG, make_payload

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install playwright)")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def open_report(browser, tmp_path):
    pages = []

    def go(payload: dict, **kw):
        path = tmp_path / "rapport.html"
        write_html(payload, path, **kw)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("request", lambda r: problems.append(f"request: {r.url}") if not r.url.startswith(("file:", "data:")) else None)
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_selector("#count:not(:empty)")
        pages.append(page)
        return page, problems

    yield go
    for page in pages:
        page.close()


def visible_rows(page) -> int:
    return page.locator("#findings tr.f:visible").count()


def test_filters_sort_and_screenshot(open_report):
    payload = make_payload(n=60, history=True)
    total = len(payload["findings"])
    page, problems = open_report(payload)
    assert visible_rows(page) == total
    assert page.locator("#controls").is_visible()

    # Text filter: hides and shows rows.
    page.fill("#q", "61000007")
    sync_api.expect(page.locator("#findings tr.f:visible")).not_to_have_count(total)
    rows = page.locator("#findings tr.f:visible")
    assert rows.count() >= 1
    assert all("61000007" in t for t in rows.all_inner_texts())
    assert page.locator("#findings tr.ch:visible").count() == 1  # only that client's header
    page.fill("#q", "")
    sync_api.expect(page.locator("#findings tr.f:visible")).to_have_count(total)

    # Hostile text is searchable as text and never ran.
    page.fill("#q", "onerror=alert")
    sync_api.expect(page.locator("#findings tr.f:visible")).not_to_have_count(total)
    assert visible_rows(page) >= 1
    assert page.locator("img").count() == 0
    page.fill("#q", "")
    sync_api.expect(page.locator("#findings tr.f:visible")).to_have_count(total)

    # Severity filter.
    page.uncheck("input[name=sev][value=error]")
    errors = sum(1 for f in payload["findings"] if f["severity"] == "error")
    assert visible_rows(page) == total - errors
    assert page.locator("#findings tr.f.s-error:visible").count() == 0
    page.check("input[name=sev][value=error]")
    assert visible_rows(page) == total

    # Rule, organisation and status filters.
    code = payload["findings"][0]["rule"]
    page.select_option("#f-rule", code)
    assert visible_rows(page) == sum(1 for f in payload["findings"] if f["rule"] == code)
    page.select_option("#f-rule", "")
    page.select_option("#f-org", label=next(o for o in page.locator("#f-org option").all_inner_texts() if "Centrum Oost" in o))
    assert visible_rows(page) == sum(1 for f in payload["findings"] if f["organisatie"] == "Centrum Oost")
    page.select_option("#f-org", "")
    page.select_option("#f-status", "nieuw")
    assert visible_rows(page) == sum(1 for f in payload["findings"] if f.get("status") == "nieuw")
    page.click("#reset")
    assert visible_rows(page) == total
    assert page.locator("#count").inner_text() == f"{total} van {total} rijen zichtbaar"

    # Sort by client number (ascending, then descending), then back to the grouped view.
    klant_col = page.locator("#findings thead th button.sort", has_text="Klant")
    klant_col.click()
    klant = page.locator("#findings tbody#flat tr.f td.klant").all_inner_texts()
    nums = [k.split("\n")[0] for k in klant]
    digits = [int("".join(ch for ch in k if ch.isdigit())) for k in nums if k]
    assert len(nums) == total and digits == sorted(digits) and nums[-1] == ""  # empty last
    assert page.locator("#findings thead th[aria-sort=ascending]").count() == 1
    klant_col.click()
    desc = [k.split("\n")[0] for k in page.locator("#findings tbody#flat tr.f td.klant").all_inner_texts()]
    digits = [int("".join(ch for ch in k if ch.isdigit())) for k in desc if k]
    assert digits == sorted(digits, reverse=True) and desc[-1] == ""
    assert page.locator("#findings tr.gh:visible").count() == 0
    # Filters keep working on the sorted list.
    page.uncheck("input[name=sev][value=warning]")
    assert page.locator("#findings tr.f.s-warning:visible").count() == 0
    page.check("input[name=sev][value=warning]")
    page.click("#regroup")
    assert page.locator("#findings tr.gh:visible").count() == len({f["organisatie"] for f in payload["findings"]})
    assert visible_rows(page) == total

    # Sort by severity: errors first.
    page.locator("#findings thead th button.sort", has_text="Ernst").click()
    sevs = page.locator("#findings tbody#flat tr.f").evaluate_all("rs => rs.map(r => r.dataset.s)")
    rank = {"error": 0, "warning": 1, "info": 2}
    assert [rank[s] for s in sevs] == sorted(rank[s] for s in sevs)
    page.click("#regroup")

    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("header.top").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "rapport.png"))
    page.locator("#bevindingen h2").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "rapport-bevindingen.png"))
    assert (ARTIFACTS / "rapport.png").stat().st_size > 10_000
    assert not problems, problems
    assert XSS_IMG not in page.title()


def test_english_and_capped_page_loads_cleanly(open_report):
    payload = make_payload(n=300)
    page, problems = open_report(payload, lang="en", max_rows=50)
    assert visible_rows(page) == 50
    assert page.locator("#cap-notice").is_visible()
    assert page.locator("#count").inner_text() == "50 of 50 rows shown"
    page.fill("#q", "no such text anywhere")
    sync_api.expect(page.locator("#nomatch")).to_be_visible()
    assert visible_rows(page) == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "rapport-en.png"))
    assert not problems, problems


def test_large_page_fills_in_hints_and_sorts_sources(open_report, monkeypatch):
    """Above INLINE_HINTS_MAX rows the page script fills in each row's hint; the flat list gets its
    organisation column, and the source column sorts row numbers as numbers."""
    monkeypatch.setattr(html_mod, "INLINE_HINTS_MAX", 10)
    payload = make_payload(n=40, hostile=False)
    page, problems = open_report(payload)
    todo = page.locator("#findings tr.f td.todo").all_inner_texts()
    codes = page.locator("#findings tr.f").evaluate_all("rs => rs.map(r => r.dataset.r)")
    assert len(todo) == len(payload["findings"])
    for code, text in zip(codes, todo):
        assert text.startswith(BY_CODE[code].hint_nl)
    # hints are searchable like any text
    word = BY_CODE[codes[0]].hint_nl.split()[-1].strip(".")
    page.fill("#q", word)
    sync_api.expect(page.locator("#findings tr.f:visible")).not_to_have_count(len(todo))
    page.fill("#q", "")
    page.locator("#findings thead th button.sort", has_text="Bron").click()
    nums = page.locator("#findings tbody#flat tr.f td.src span.r").all_inner_texts()
    assert [int(x) for x in nums] == sorted(int(x) for x in nums) and len(nums) == len(todo)
    orgs = page.locator("#findings tbody#flat tr.f td.org").all_inner_texts()
    assert "GO! Campus Noord" in orgs and "(zonder organisatie)" in orgs and all(orgs)
    page.locator("#findings thead th button.sort", has_text="Organisatie").click()
    orgs = page.locator("#findings tbody#flat tr.f td.org").all_inner_texts()
    blocks = [o for i, o in enumerate(orgs) if i == 0 or o != orgs[i - 1]]
    assert len(blocks) == len(set(orgs))  # sorted: each organisation one contiguous block
    assert not problems, problems


def test_print_layout_hides_controls(open_report, tmp_path):
    page, problems = open_report(make_payload(n=20))
    page.emulate_media(media="print")
    assert not page.locator("#controls").is_visible()
    pdf = page.pdf(path=str(tmp_path / "rapport.pdf"))
    assert pdf[:4] == b"%PDF"
    assert not problems, problems


@pytest.fixture(autouse=True, scope="module")
def _artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    yield
    shutil.rmtree(ARTIFACTS / "tmp", ignore_errors=True)
