"""`-o html` for list and check: one self-contained page (no request leaves it), counts that
match -o json, hostile names and values inert, and (test_html_in_a_real_browser) the page as
headless Chromium shows it: Debian's package driven by Playwright through executable_path;
screenshots at 1280 and 390 pixels wide go to tests/artifacts/ (gitignored)."""

import json
import os
import re
import shutil
from collections import Counter

import pytest

from tests.conftest import REQUIRE_PROGRAMS
from tests.fleetwire import DENY, FleetServer

HOSTILE_NAME = '<script>window.pwned=1</script>"onmouseover=window.pwned=2 x="'
HOSTILE_VALUE = '"><img src=x onerror="window.pwned=3">'
ARTIFACTS = os.path.join(os.path.dirname(__file__), "artifacts")
# Chromium as root on a closed network: no sandbox (root), and nothing that phones home or waits
# for a GPU, or it hangs; a fresh profile directory per run (launch_persistent_context).
CHROMIUM_FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def fleet():
    server = FleetServer().start()
    server.retry_after = "0"
    # us-west-2: three APIs, one hostile; eu-west-1: one API with X-Ray on; ap-south-1 denied.
    server.add("us-west-2", "aaaa000001", "orders", ("prod", "dev"), tracingEnabled=False)
    server.add("us-west-2", "aaaa000002", HOSTILE_NAME, ("prod",), variables={HOSTILE_NAME: HOSTILE_VALUE},
               description=HOSTILE_VALUE)
    server.add("us-west-2", "aaaa000003", "billing", ("prod",),
               methodSettings={"*/*": {"loggingLevel": "ERROR", "dataTraceEnabled": True}})
    server.add("eu-west-1", "bbbb000001", "search", ("prod",), tracingEnabled=True,
               accessLogSettings={"destinationArn": "arn:aws:logs:eu-west-1:123456789012:log-group:x", "format": "$context.requestId"})
    server.faults["ap-south-1"] = DENY
    yield server
    server.stop()


def _scope(server):
    return ("--region", "us-west-2", "--region", "eu-west-1", "--region", "ap-south-1", "--endpoint-url", server.url)


def _counts(page: str, kind: str) -> dict:
    return {m.group(1): int(m.group(2)) for m in re.finditer(rf'data-count="{kind}:([^"]+)">(\d+)<', page)}


def _fleet_check(invoke, fleet, fmt):
    return invoke("check", *_scope(fleet), "-o", fmt)


def test_fleet_check_html_counts_match_json(invoke, fleet):
    page = _fleet_check(invoke, fleet, "html")
    data = json.loads(_fleet_check(invoke, fleet, "json").stdout)
    assert page.exit_code == 8  # ap-south-1 was not read: the page says so and so does the exit
    html = page.stdout
    assert html.startswith("<!DOCTYPE html>") and html.endswith("</html>\n")
    statuses = Counter(c["status"] for s in data["stages"] for c in s["checks"]["checks"])
    assert _counts(html, "status") == dict(statuses)
    assert _counts(html, "stages") == {"total": len(data["stages"]),
                                       "failing": sum(not s["checks"]["passed"] for s in data["stages"])}
    assert _counts(html, "region") == dict(Counter(s["region"] for s in data["stages"]))
    assert 'id="not-read"' in html and "ap-south-1" in html and _counts(html, "errors") == {"total": 1}
    failing = Counter(c["id"] for s in data["stages"] for c in s["checks"]["checks"] if c["status"] == "fail")
    assert _counts(html, "control") == dict(failing)
    assert "aws apigateway update-stage" in html and 'class="copy"' in html


def test_the_page_needs_no_network(invoke, fleet):
    html = _fleet_check(invoke, fleet, "html").stdout
    assert "default-src 'none'" in html
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html)  # no CDN, no remote anything
    assert not re.search(r"<link\b", html)


def test_hostile_names_and_values_are_inert(invoke, fleet):
    for page in (_fleet_check(invoke, fleet, "html").stdout, invoke("list", *_scope(fleet), "-o", "html").stdout):
        assert page.count("<script") == 1  # ours, at the end
        assert "<img" not in page and 'onmouseover=window' not in page.replace("&quot;onmouseover=", "")
        assert "&lt;script&gt;window.pwned=1&lt;/script&gt;&quot;onmouseover=window.pwned=2" in page


def test_list_html_counts_match_json(invoke, fleet):
    html = invoke("list", *_scope(fleet), "-o", "html").stdout
    data = json.loads(invoke("list", *_scope(fleet), "-o", "json").stdout)
    assert _counts(html, "stages") == {"total": len(data["stages"])} == {"total": 5}
    assert html.count('data-row="stage"') == 5


def test_one_stage_html(invoke, tmp_path):
    result = invoke("check", "--file", "examples/prod-stage.json", "-o", "html")
    assert result.exit_code == 1  # STAGE.1 fails in the example
    assert _counts(result.stdout, "stages") == {"total": 1, "failing": 1}
    listed = invoke("list", "--file", "examples/prod-stage.json", "-o", "html")
    assert listed.exit_code == 0 and _counts(listed.stdout, "stages") == {"total": 1}


@pytest.mark.parametrize("args", [("show", "--file", "examples/prod-stage.json"),
                                  ("settings", "--file", "examples/prod-stage.json")])
def test_only_list_and_check_write_html(invoke, args):
    result = invoke(*args, "-o", "html")
    assert result.exit_code == 2 and result.stdout == "" and "'html' is not one of" in result.stderr


def test_query_does_not_apply_to_html(invoke):
    result = invoke("check", "--file", "examples/prod-stage.json", "-o", "html", "--query", "checks")
    assert result.exit_code == 2 and result.stdout == "" and "--query applies to json and yaml" in result.stderr


def _browser():
    """(playwright's sync_playwright, chromium's path); a reason to skip (fail in CI) without them."""
    reasons = []
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        reasons.append("chromium is not installed (apt-get install chromium; .ci/run does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
        reasons.append("playwright is not installed (pip install -e '.[test]')")
    if reasons:
        if REQUIRE_PROGRAMS:
            pytest.fail("; ".join(reasons))
        pytest.skip("; ".join(reasons))
    return sync_playwright, path


def test_html_in_a_real_browser(invoke, fleet, tmp_path):
    sync_playwright, chromium = _browser()
    html = _fleet_check(invoke, fleet, "html").stdout
    data = json.loads(_fleet_check(invoke, fleet, "json").stdout)
    page_file = tmp_path / "stage.html"
    page_file.write_text(html, encoding="utf-8")
    os.makedirs(ARTIFACTS, exist_ok=True)
    requests, problems = [], []
    with sync_playwright() as p:
        try:
            context = p.chromium.launch_persistent_context(
                str(tmp_path / "profile"), executable_path=chromium, headless=True, args=CHROMIUM_FLAGS,
                viewport={"width": 1280, "height": 900}, timeout=60_000)
        except Exception as exc:  # the browser did not start: fail with its reason, never pass
            pytest.fail(f"chromium did not start: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        try:
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda err: problems.append(str(err)))
            page.goto(page_file.as_uri())
            stages = len(data["stages"])
            failing = sum(not s["checks"]["passed"] for s in data["stages"])
            assert page.locator('[data-count="stages:total"]').first.text_content() == str(stages)
            assert page.locator('[data-count="stages:failing"]').first.text_content() == str(failing)
            for status, n in Counter(c["status"] for s in data["stages"] for c in s["checks"]["checks"]).items():
                assert page.locator(f'[data-count="status:{status}"]').text_content() == str(n)
            matrix = page.locator('#matrix tr[data-row="stage"]')
            assert matrix.count() == stages
            page.screenshot(path=os.path.join(ARTIFACTS, "check-1280.png"), full_page=True)
            # A filter hides rows: only failing stages stay in the matrix.
            page.select_option('select[data-key="status"]', "fail")
            assert page.locator('#matrix tr[data-row="stage"]:visible').count() == failing
            findings = page.locator("article.finding:visible").count()
            page.select_option('select[data-key="status"]', "")
            page.select_option('select[data-key="region"]', "eu-west-1")
            assert page.locator('#matrix tr[data-row="stage"]:visible').count() == 1 < stages
            assert page.locator("article.finding:visible").count() < findings
            page.select_option('select[data-key="region"]', "")
            # Sortable: the stage column sorted descending puts "prod" rows before "dev".
            header = page.locator("#matrix thead th").nth(3)  # Account, Region, API, Stage
            header.click()
            header.click()
            assert page.locator("#matrix tbody tr").first.locator("td").nth(3).text_content() == "prod"
            # The hostile API ran nothing and added no element.
            assert page.evaluate("window.pwned") is None
            assert page.locator("img").count() == 0
            page.set_viewport_size({"width": 390, "height": 844})
            page.screenshot(path=os.path.join(ARTIFACTS, "check-390.png"), full_page=True)
        finally:
            context.close()
    outside = [url for url in requests if not url.startswith(("file:", "data:", "about:"))]
    assert outside == [] and problems == []
    assert requests == [page_file.as_uri()]


def test_html_without_javascript(invoke, fleet, tmp_path):
    sync_playwright, chromium = _browser()
    html = _fleet_check(invoke, fleet, "html").stdout
    page_file = tmp_path / "stage.html"
    page_file.write_text(html, encoding="utf-8")
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS, timeout=60_000)
        except Exception as exc:
            pytest.fail(f"chromium did not start: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        try:
            context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(page_file.as_uri())
            assert page.locator('#matrix tr[data-row="stage"]:visible').count() == 5
            assert page.locator(".filters").is_hidden()  # no controls that would not work
            assert page.locator("article.finding:visible").count() > 0
        finally:
            browser.close()
