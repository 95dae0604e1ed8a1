"""report.html in a real browser: loads offline without errors, scripts work, the screenshot is not blank.

Needs Debian's headless Chromium (``.ci/install_browser.sh``); skipped with the reason when it is absent.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from orgs import engineer, org, person
from PIL import Image

from analyzer.report import write_reports
from analyzer.report.browser import CHROMIUM_CANDIDATES, find_chromium, render_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(find_chromium() is None,
                       reason=f"headless Chromium not installed (looked for {', '.join(CHROMIUM_CANDIDATES)}); "
                              "run .ci/install_browser.sh"),
]

CHECKS = {
    "ready": "document.documentElement.getAttribute('data-ready')",
    "findings": "document.querySelectorAll('tr.finding').length",
    "images": "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length",
    "all_images": "document.images.length",
    "alert_ran": "typeof window.__pwned !== 'undefined'",
    # Filter by kind: only 'dropped' rows stay visible.
    "filtered": "(() => { const s = document.getElementById('kind'); s.value = 'dropped';"
                " s.dispatchEvent(new Event('change'));"
                " return Array.from(document.querySelectorAll('tr.finding')).filter(r => !r.hidden)"
                ".map(r => r.dataset.kind); })()",
    # Sort by team descending (two clicks), after clearing the filter.
    "sorted": "(() => { const s = document.getElementById('kind'); s.value = ''; s.dispatchEvent(new Event('change'));"
              " const b = document.querySelector('th[data-sort=scope] button'); b.click(); b.click();"
              " return Array.from(document.querySelectorAll('tr.finding')).map(r => r.dataset.scope); })()",
    # Following a link to a person opens their collapsed section.
    "opened": "(() => { location.hash = '#person-2'; window.dispatchEvent(new HashChangeEvent('hashchange'));"
              " return document.getElementById('person-2').open; })()",
}


@pytest.fixture(scope="module")
def report(tiny_model, tmp_path_factory):
    hostile = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\">"
    analysis = org(
        tiny_model,
        person("1", name=hostile, team="Search", role="product_owner",
               holds={"backlog_management": "A", "acceptance_criteria": "A"}),
        person("2", name="Bo Roy", team="Search", role="product_owner", holds={"backlog_management": "A"}),
        person("3", name="Cy", team="Search", role="scrum_master", holds={"backlog_management": "A"}),
        engineer("4", team="Search"),
        engineer("5", team="Payments"),
        person("6", name="Di", team="Payments", role="product_manager", holds={"roadmap_prioritization": "A"}),
    )
    out = tmp_path_factory.mktemp("browser")
    write_reports(analysis, out, ("html",))
    result = render_page(out / "report.html", width=1400, height=2000, evaluate=CHECKS)
    (out / "screenshot.png").write_bytes(result.screenshot)
    return analysis, result


def test_report_loads_without_console_errors_or_outside_requests(report):
    _, result = report
    assert result.errors == []
    assert result.external_requests == []
    assert result.values["ready"] == "1"  # the inline script ran (its CSP hash matches)
    assert result.values["alert_ran"] is False  # injected markup in a name did not run


def test_every_image_decodes(report):
    _, result = report
    assert result.values["all_images"] >= 3
    assert result.values["images"] == result.values["all_images"]


def test_filter_and_sort_work_without_a_server(report):
    analysis, result = report
    assert result.values["findings"] == len(analysis.findings)
    dropped = [f.kind.value for f in analysis.findings if f.kind.value == "dropped"]
    assert dropped and result.values["filtered"] == dropped
    scopes = result.values["sorted"]
    assert scopes == sorted(scopes, reverse=True) and len(set(scopes)) > 1
    assert result.values["opened"] is True


def test_screenshot_is_a_desktop_page_with_content(report):
    _, result = report
    image = Image.open(io.BytesIO(result.screenshot)).convert("RGB")
    assert image.size == (1400, 2000)
    pixels = np.asarray(image).astype(int)
    colours = np.unique((pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2])
    assert len(colours) > 50  # text, colours and pictures, not a flat page
    non_white = (pixels.sum(axis=2) < 720).mean()
    assert 0.02 < non_white < 0.9
    header = pixels[:60].mean(axis=(0, 1))
    assert header.max() < 80  # the dark title band rendered, so the CSS applied


def test_render_page_reports_errors_and_outside_requests(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text("<p>x</p><img src='https://example.invalid/a.png'>"
                    "<script>console.error('bad thing'); undefinedFunction();</script>", encoding="utf-8")
    result = render_page(page, width=400, height=300)
    assert "console.error: bad thing" in result.errors
    assert any("undefinedFunction" in error for error in result.errors)
    assert result.external_requests == ["https://example.invalid/a.png"]
