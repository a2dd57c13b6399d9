"""`-o html` for list and check (one stage or a fleet): one self-contained page, CSS and script
inline (html_assets.py) and a Content-Security-Policy that allows no request, so it opens with
no network. Summary first (counts by status, severity, control, region and account), then the
stages × controls matrix coloured by status, then each finding with its evidence and its fix
commands (a copy button each), and what could not be read. Filters and sorting come from the
script; without it every table is there, in order.

Every value from the service is escaped (html.escape, quotes too) after control characters are
made visible (core/text.visible), so a hostile name is inert in the page and in a terminal;
the script never turns data into markup. Counts carry data-count="KIND:VALUE" so that a test
can hold them against -o json."""

from collections import Counter
from html import escape

from apigw_stage.core.plain import plain
from apigw_stage.core.text import visible
from apigw_stage.model.report import FAIL, INFO
from apigw_stage.output import stream
from apigw_stage.output.html_assets import CSP, CSS, JS

_MARK = {"pass": "✓ pass", "fail": "✗ fail", "info": "i info", "not_applicable": "– n/a",
         "not_evaluated": "? not evaluated", "ignored": "· ignored"}
_SEVERITIES = ("critical", "high", "medium", "low", "informational")


def e(value) -> str:
    """Text for the page: control characters shown as escapes, then HTML-escaped (quotes too)."""
    return escape(visible("" if value is None else value), quote=True)


def _attr(value) -> str:
    """A data-* attribute value: words split by spaces, so each must be one word."""
    return e(str(value or "-").replace(" ", "_"))


def _counts(title: str, kind: str, counter: Counter, order=None) -> str:
    keys = [k for k in (order or ()) if k in counter] + sorted(k for k in counter if k not in (order or ()))
    rows = "".join(f'<tr><td class="id">{e(k)}</td><td class="n" data-count="{e(kind)}:{_attr(k)}">{counter[k]}</td></tr>'
                   for k in keys)
    return (f'<table class="sortable-table" data-summary="{e(kind)}"><thead><tr><th>{e(title)}</th><th>Count</th></tr>'
            f"</thead><tbody>{rows}</tbody></table>")


def _select(key: str, label: str, values) -> str:
    options = "".join(f'<option value="{_attr(v)}">{e(v)}</option>' for v in values)
    return f'<label>{e(label)} <select data-key="{e(key)}"><option value="">all</option>{options}</select></label>'


def _page(title: str, verdict: str, body: list[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{e(title)}</h1>{verdict}</header>" + "".join(body)
            + f"<script>{JS}</script></body></html>\n")


def _not_read(items: list[tuple[str, str]]) -> str:
    if not items:
        return ""
    rows = "".join(f"<li><span class=\"id\">{e(where)}</span>: {e(reason)}</li>" for where, reason in items)
    return (f'<section id="not-read"><h2>Not read ({len(items)}): the scan is incomplete</h2>'
            f'<ul class="errors">{rows}</ul></section>')


def _fix(command: str) -> str:
    return (f'<div class="fix"><pre><code>{e(command)}</code></pre>'
            '<button type="button" class="copy" hidden>Copy</button></div>')


# check


def _where(ref) -> dict:
    account = ref.account or ""
    name = getattr(ref, "account_name", None)
    api_name = getattr(ref, "api_name", None)
    api = f"{api_name} ({ref.api_id})" if api_name and ref.api_id else ref.api_id or ""
    return {"account": f"{account} {name}".strip() if name else account, "region": ref.region or "",
            "api": api, "stage": ref.stage, "file": ref.file}


def check_page(checked) -> str:
    stages = checked.stages
    controls: dict = {}  # id -> (title, severity), in order of first appearance
    status_count, severity_count, control_count = Counter(), Counter(), Counter()
    region_count, account_count = Counter(), Counter()
    matrix, findings = [], []
    failing = 0
    for ref, result in stages:
        where = _where(ref)
        statuses = {}
        for check in result.get("checks", []):
            controls.setdefault(check["id"], (check.get("title"), check.get("severity")))
            statuses[check["id"]] = check["status"]
            status_count[check["status"]] += 1
            if check["status"] == FAIL:
                severity_count[check.get("severity")] += 1
                control_count[check["id"]] += 1
            if check["status"] == FAIL or (check["status"] == INFO and check.get("findings")):
                findings.append((where, check))
        failed = any(s == FAIL for s in statuses.values())
        failing += failed
        region_count[where["region"] or "(file)"] += 1
        account_count[where["account"] or "(none)"] += 1
        matrix.append((where, statuses, result))
    title = "stage check: " + (f"{len(stages)} stages" if len(stages) != 1 else "1 stage")
    verdict_class = "fail" if failing or checked.not_read else "pass"
    verdict = (f'<p class="verdict {verdict_class}"><span data-count="stages:total">{len(stages)}</span> checked, '
               f'<span data-count="stages:failing">{failing}</span> failing'
               + (f', <span data-count="errors:total">{len(checked.not_read)}</span> parts not read'
                  if checked.not_read else "") + "</p>")
    body = ['<section id="summary"><h2>Summary</h2><div class="summary">',
            _counts("Status", "status", status_count, list(_MARK)),
            _counts("Failing by severity", "severity", severity_count, _SEVERITIES),
            _counts("Failing by control", "control", control_count, list(controls)),
            _counts("Region", "region", region_count), _counts("Account", "account", account_count),
            "</div></section>", _not_read(checked.not_read)]
    regions = sorted({w["region"] for w, _s, _r in matrix if w["region"]})
    accounts = sorted({w["account"] for w, _s, _r in matrix if w["account"]})
    body.append('<div class="filters" hidden>' + _select("status", "Status", [s for s in _MARK if status_count[s]])
                + _select("severity", "Severity", [s for s in _SEVERITIES if severity_count[s]])
                + _select("region", "Region", regions) + _select("account", "Account", accounts)
                + ' <span class="muted"><span id="shown"></span> rows shown</span></div>')
    head = "".join(f'<th title="{e(t)}" class="id">{e(cid)}</th>' for cid, (t, _s) in controls.items())
    rows = []
    for where, statuses, result in matrix:
        cells = "".join(f'<td class="cell s-{_attr(statuses.get(cid))}" title="{e(cid)}: {e(statuses.get(cid, "not run"))}">'
                        f'{e(_MARK.get(statuses.get(cid), "–"))}</td>' for cid in controls)
        severities = {c.get("severity") for c in result.get("checks", []) if c["status"] == FAIL}
        rows.append(f'<tr data-row="stage" data-status="{" ".join(_attr(s) for s in set(statuses.values()))}" '
                    f'data-severity="{" ".join(_attr(s) for s in severities)}" data-region="{_attr(where["region"])}" '
                    f'data-account="{_attr(where["account"])}"><td class="id">{e(where["account"])}</td>'
                    f'<td class="id">{e(where["region"])}</td><td class="id">{e(where["api"] or where["file"])}</td>'
                    f'<td class="id">{e(where["stage"])}</td>{cells}</tr>')
    body.append('<section id="matrix"><h2>Stages × controls</h2><div class="scroll"><table class="sortable-table">'
                f"<thead><tr><th>Account</th><th>Region</th><th>API</th><th>Stage</th>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table></div></section>")
    body.append(f'<section id="findings"><h2>Findings ({len(findings)})</h2>')
    for where, check in findings:
        evidence = "".join(f"<li><code>{e(f.get('where'))}</code>: {e(f.get('reason'))}</li>"
                           for f in check.get("findings") or [])
        note = f"<p>{e(check['note'])}</p>" if check.get("note") else ""
        fixes = "".join(_fix(command) for command in _commands(check))
        label = " ".join(p for p in (where["account"], where["region"], where["api"] or where["file"], where["stage"]) if p)
        body.append(f'<article class="finding" data-row="finding" data-status="{_attr(check["status"])}" '
                    f'data-severity="{_attr(check.get("severity"))}" data-region="{_attr(where["region"])}" '
                    f'data-account="{_attr(where["account"])}"><h3><span class="s-{_attr(check["status"])}">'
                    f'{e(check["id"])}</span> {e(check.get("title"))} <span class="muted">({e(check.get("severity"))})'
                    f'</span></h3><p class="id">{e(label)}</p>{note}<ul>{evidence}</ul>{fixes}</article>')
    body.append("</section>")
    return _page(title, verdict, body)


def _commands(check: dict) -> list[str]:
    if check.get("fix"):
        return [line for line in str(check["fix"]).split("\n") if line.strip()]
    return []


# list


def list_page(data) -> str:
    data = plain(data)
    if isinstance(data, list):  # one API's stages: the documents
        entries = [{"account": "", "region": "", "restApiId": "", "apiName": "", "apiType": "", "stage": d} for d in data]
        errors, skipped = [], []
    else:
        entries, errors, skipped = data.get("stages", []), data.get("errors", []), data.get("skipped", [])
    region_count, account_count, type_count = Counter(), Counter(), Counter()
    rows = []
    for entry in entries:
        doc = entry.get("stage") or {}
        account = " ".join(str(p) for p in (entry.get("account"), entry.get("accountName")) if p) or entry.get("profile") or ""
        region_count[entry.get("region") or "(given)"] += 1
        account_count[account or "(none)"] += 1
        type_count[entry.get("apiType") or "(one API)"] += 1
        rows.append(f'<tr data-row="stage" data-region="{_attr(entry.get("region"))}" data-account="{_attr(account)}" '
                    f'data-type="{_attr(entry.get("apiType"))}"><td class="id">{e(account)}</td>'
                    f'<td class="id">{e(entry.get("region"))}</td><td>{e(entry.get("apiName"))} '
                    f'<span class="id muted">{e(entry.get("restApiId"))}</span></td><td>{e(entry.get("apiType"))}</td>'
                    f'<td class="id">{e(doc.get("stageName"))}</td><td class="id">{e(doc.get("deploymentId"))}</td>'
                    f'<td class="id">{e(doc.get("lastUpdatedDate"))}</td><td>{e(doc.get("description"))}</td></tr>')
    not_read = [(" ".join(str(p) for p in (f.get("account") or f.get("profile"), f.get("accountName"), f.get("region"),
                                           f.get("apiName"), f.get("restApiId")) if p), f.get("reason")) for f in errors]
    title = f"stage list: {len(entries)} stage{'s' if len(entries) != 1 else ''}"
    verdict = (f'<p class="verdict"><span data-count="stages:total">{len(entries)}</span> stages'
               + (f', <span data-count="errors:total">{len(errors)}</span> parts not read' if errors else "") + "</p>")
    body = ['<section id="summary"><h2>Summary</h2><div class="summary">',
            _counts("Region", "region", region_count), _counts("Account", "account", account_count),
            _counts("API type", "type", type_count), "</div></section>", _not_read(not_read)]
    if skipped:
        body.append("<p class=\"muted\">Skipped: " + "; ".join(
            e(f"{f.get('account') or f.get('profile')} {f.get('region')}: {f.get('reason')}") for f in skipped) + "</p>")
    body.append('<div class="filters" hidden>' + _select("region", "Region", sorted(k for k in region_count))
                + _select("account", "Account", sorted(account_count)) + _select("type", "API type", sorted(type_count))
                + ' <span class="muted"><span id="shown"></span> rows shown</span></div>')
    body.append('<section id="stages"><h2>Stages</h2><div class="scroll"><table class="sortable-table"><thead><tr>'
                "<th>Account</th><th>Region</th><th>API</th><th>Type</th><th>Stage</th><th>Deployment</th>"
                f"<th>Last updated</th><th>Description</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>")
    return _page(title, verdict, body)


def write(report, env) -> None:
    page = check_page(report.checked) if report.checked is not None else list_page(report.data)
    if not stream.unicode_stdout(env):  # a stream that cannot encode ✓: character references instead
        page = page.encode("ascii", "xmlcharrefreplace").decode("ascii")
    stream.write(env, page)
