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
from dossiercheck.reports import viewmodel as vm
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
    klant = page.locator("#findings tr.f td.klant").all_inner_texts()
    nums = [k.split("\n")[0] for k in klant]
    digits = [int("".join(ch for ch in k if ch.isdigit())) for k in nums if k]
    assert len(nums) == total and digits == sorted(digits) and nums[-1] == ""  # empty last
    assert page.locator("#findings thead th[aria-sort=ascending]").count() == 1
    klant_col.click()
    desc = [k.split("\n")[0] for k in page.locator("#findings tr.f td.klant").all_inner_texts()]
    digits = [int("".join(ch for ch in k if ch.isdigit())) for k in desc if k]
    assert digits == sorted(digits, reverse=True) and desc[-1] == ""
    assert page.locator("#findings tr.gh:visible").count() == 0
    # The flat list's organisation column is filled in as text: the hostile name shows, never runs.
    orgs = page.locator("#findings tr.f td.org").all_inner_texts()
    assert XSS_IMG in orgs and "(zonder organisatie)" in orgs
    assert page.locator("img").count() == 0 and page.locator("script").count() == 2
    # Filters keep working on the sorted list.
    page.uncheck("input[name=sev][value=warning]")
    assert page.locator("#findings tr.f.s-warning:visible").count() == 0
    page.check("input[name=sev][value=warning]")
    page.click("#regroup")
    assert page.locator("#findings tr.gh:visible").count() == len({f["organisatie"] for f in payload["findings"]})
    assert visible_rows(page) == total

    # Sort by severity: errors first.
    page.locator("#findings thead th button.sort", has_text="Ernst").click()
    sevs = page.locator("#findings tr.f").evaluate_all("rs => rs.map(r => r.dataset.s)")
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


def test_english_and_capped_page_loads_cleanly(open_report, monkeypatch):
    payload = make_payload(n=300)
    page, problems = open_report(payload, lang="en", max_rows=50)
    assert visible_rows(page) == 50
    assert page.locator("#cap-notice").is_visible()
    assert page.locator("#count").inner_text() == "50 of 50 rows shown"
    assert not page.locator("nav.pager").first.is_visible()  # one page: no pager
    # the pager speaks English too
    monkeypatch.setattr(html_mod, "PAGE_SIZE", 20)
    paged, more = open_report(payload, lang="en", max_rows=50)
    assert visible_rows(paged) == 20
    assert paged.locator("#count").inner_text() == "rows 1–20 of 50"
    assert paged.locator("#pager-top .page-of").inner_text() == "page 1 of 3"
    paged.locator("#pager-top button", has_text="Next").click()
    assert paged.locator("#count").inner_text() == "rows 21–40 of 50"
    assert paged.locator("#pager-top label").inner_text().startswith("Per page")
    assert not more, more
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
    nums = page.locator("#findings tr.f td.src span.r").all_inner_texts()
    assert [int(x) for x in nums] == sorted(int(x) for x in nums) and len(nums) == len(todo)
    orgs = page.locator("#findings tr.f td.org").all_inner_texts()
    assert "GO! Campus Noord" in orgs and "(zonder organisatie)" in orgs and all(orgs)
    page.locator("#findings thead th button.sort", has_text="Organisatie").click()
    orgs = page.locator("#findings tr.f td.org").all_inner_texts()
    blocks = [o for i, o in enumerate(orgs) if i == 0 or o != orgs[i - 1]]
    assert len(blocks) == len(set(orgs))  # sorted: each organisation one contiguous block
    assert not problems, problems


def _column(page, selector: str) -> list[str]:
    return [t.split("\n")[0] for t in page.locator(selector).all_inner_texts()]


def _all_pages(page, selector: str) -> list[str]:
    """``selector``'s first text line in every row of every page, first page to last."""
    first, nxt = page.locator("#pager-top button[data-go=first]"), page.locator("#pager-top button[data-go=next]")
    if first.is_visible() and first.is_enabled():
        first.click()
    out = _column(page, selector)
    while nxt.is_visible() and nxt.is_enabled():
        nxt.click()
        out += _column(page, selector)
    return out


def test_pages_of_a_long_list(open_report, tmp_path):
    """More rows than one page: the table holds one page (PAGE_SIZE rows) at a time; paging covers
    every finding exactly once; filters and sorts work on all rows, not just the page shown."""
    payload = make_payload(n=450)
    findings = payload["findings"]
    total, size = len(findings), html_mod.PAGE_SIZE
    assert total > 2 * size
    page, problems = open_report(payload)
    top = page.locator("#pager-top")
    assert visible_rows(page) == size
    assert page.locator("#count").inner_text() == f"rijen 1–{size} van {total}"
    assert top.locator(".page-of").inner_text() == "pagina 1 van 3"
    assert top.locator("button[data-go=prev]").is_disabled() and top.locator("button[data-go=first]").is_disabled()
    assert page.locator("#pager-bottom").is_visible()

    # Every finding once over the pages, each page grouped under its own headers.
    messages = _all_pages(page, "#findings tr.f td.msg")
    mask = vm.make_masker()
    assert sorted(messages) == sorted(mask(f["message"]) for f in findings)
    assert page.locator("#count").inner_text() == f"rijen {2 * size + 1}–{total} van {total}"
    assert top.locator("button[data-go=next]").is_disabled() and top.locator("button[data-go=last]").is_disabled()
    assert page.locator("#view tr").first.get_attribute("class") == "gh"
    assert page.locator("#view tr").nth(1).get_attribute("class") == "ch"
    page.locator("#pager-bottom button[data-go=first]").click()
    assert page.locator("#count").inner_text() == f"rijen 1–{size} van {total}"

    # A text filter searches every row, not just this page; clearing it shows page 1 again.
    last = messages[-1]
    page.fill("#q", last)
    sync_api.expect(page.locator("#findings tr.f:visible")).to_have_count(1)
    assert page.locator("#findings tr.f td.msg").inner_text() == last
    assert not top.locator("button[data-go=next]").is_visible() and not page.locator("#pager-bottom").is_visible()
    page.fill("#q", "")
    sync_api.expect(page.locator("#findings tr.f:visible")).to_have_count(size)
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "info")}
    sev = min((c, s) for s, c in counts.items() if c)[1]
    left = total - counts[sev]
    assert left > size
    page.uncheck(f"input[name=sev][value={sev}]")
    assert page.locator("#count").inner_text() == f"rijen 1–{size} van {left} gevonden (van {total})"
    assert len(_all_pages(page, "#findings tr.f td.msg")) == left
    assert page.locator(f"#findings tr.f.s-{sev}").count() == 0
    page.check(f"input[name=sev][value={sev}]")

    # Sorting orders all rows, across the pages; empty cells last either way.
    page.locator("#findings thead th button.sort", has_text="Klant").click()
    klant = _all_pages(page, "#findings tr.f td.klant")
    digits = [int("".join(ch for ch in k if ch.isdigit())) for k in klant if k]
    assert len(klant) == total and digits == sorted(digits) and klant[-1] == ""
    page.locator("#findings thead th button.sort", has_text="Klant").click()
    klant = _all_pages(page, "#findings tr.f td.klant")
    digits = [int("".join(ch for ch in k if ch.isdigit())) for k in klant if k]
    assert digits == sorted(digits, reverse=True) and klant[-1] == ""
    assert page.locator("#findings tr.gh").count() == 0
    page.locator("#findings thead th button.sort", has_text="Bron").click()
    rows = [int(r) for r in _all_pages(page, "#findings tr.f td.src span.r")]
    assert rows == sorted(rows) and len(rows) == total
    page.click("#regroup")
    assert page.locator("#count").inner_text() == f"rijen 1–{size} van {total}"
    assert page.locator("#view tr").first.get_attribute("class") == "gh"

    # More rows per page: everything on one page, no pager.
    page.select_option("#pager-top select.page-size", "500")
    assert visible_rows(page) == total and not page.locator("#pager-bottom").is_visible()
    assert not top.locator(".page-of").is_visible() and not top.locator("button[data-go=prev]").is_visible()
    assert page.locator("#count").inner_text() == f"{total} van {total} rijen zichtbaar"
    page.select_option("#pager-top select.page-size", str(size))
    assert visible_rows(page) == size

    # Printing prints the page shown, and says so.
    page.emulate_media(media="print")
    note = page.locator("#print-note")
    assert note.is_visible() and f"rijen 1–{size} van {total}" in note.inner_text() and "rapport.xlsx" in note.inner_text()
    assert not top.is_visible() and not page.locator("#pager-bottom").is_visible()
    assert page.pdf(path=str(tmp_path / "pages.pdf"))[:4] == b"%PDF"
    page.emulate_media(media="screen")
    assert not note.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#bevindingen h2").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "rapport-pagina.png"))
    assert not problems, problems


def test_without_scripting_every_row_is_a_table(browser, tmp_path):
    """A reader that runs no script (a mail preview) gets every row as an ordinary table."""
    payload = make_payload(n=250)
    path = tmp_path / "rapport.html"
    write_html(payload, path)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(path.as_uri())
    assert page.locator("#findings-all tr.f").count() == len(payload["findings"])
    assert page.locator("#findings-all tr.f").first.is_visible()
    assert not page.locator("#findings").is_visible() and not page.locator("#controls").is_visible()
    assert page.locator("img").count() == 0
    context.close()


def test_twenty_thousand_rows_open_filter_sort_and_page(open_report):
    """At the cap (report.max_html_rows = 20,000) the page opens and every action works. Timings
    are recorded in tests/artifacts/report-speed.json for a human to read, never asserted: speed
    is measured by bench/, not by unit tests (developers' guide)."""
    import json
    import time

    payload = make_payload(n=25000, hostile=True, history=True)
    t0 = time.perf_counter()
    page, problems = open_report(payload, max_rows=20000)
    ready = time.perf_counter() - t0  # includes writing the file
    nav = page.evaluate("() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    act = """async ([what, arg]) => {
      const t0 = performance.now();
      if (what === 'q') { const q = document.getElementById('q'); q.value = arg;
        q.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'})); }
      else if (what === 'sort') { [...document.querySelectorAll('#findings thead button.sort')]
        .find(b => b.textContent.includes(arg)).click(); }
      else { document.querySelector(arg).click(); }
      document.body.offsetHeight;
      await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t0;
    }"""
    steps = [("filter", "q", "61000007"), ("clear", "q", ""), ("severity", "click", "input[name=sev][value=error]"),
             ("severity back", "click", "input[name=sev][value=error]"), ("sort klant", "sort", "Klant"),
             ("sort message", "sort", "Bevinding"), ("filter sorted", "q", "nummer 12"), ("clear sorted", "q", ""),
             ("next page", "click", "#pager-top button[data-go=next]"), ("regroup", "click", "#regroup")]
    ms = {name: page.evaluate(act, [what, arg]) for name, what, arg in steps}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-speed.json").write_text(json.dumps(
        {"rows": 20000, "write_and_ready_s": round(ready, 2), "dom_content_loaded_ms": round(nav), "actions_ms":
         {k: round(v) for k, v in ms.items()}}, indent=2), encoding="utf-8")
    assert page.locator("#count").inner_text() == "rijen 1–200 van 20.000"
    assert visible_rows(page) == 200
    assert all(v >= 0 for v in ms.values())
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
