"""`check -o sarif`: SARIF 2.1.0 as GitHub code scanning reads it.

One rule per check that ran (its family's registry, checks.registry: title, why, severity as
`security-severity`), one result per failing check and stage, its ruleIndex that rule's place.
A result is located in a file of the repository (model/report.py): the saved or snapshot file
with the line and column of the offending key, one result per finding; a live stage at the path
`stage snapshot` would write for it (line 1, one result per check), its ARN
(arn:PARTITION:apigateway:REGION::/restapis/API/stages/STAGE, .../apis/... for HTTP and
WebSocket) a logical location: GitHub accepts no other scheme than file. Scopes that could not
be read are tool execution notifications of the invocation, which is then not successful, and
the run's properties list them. GitHub's rules: security-severity > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium,
0.1-3.9 low (docs.github.com, "SARIF support for code scanning").
"""

import gzip
import json
import re
from urllib.parse import quote

from apigw_stage.core import families
from apigw_stage.core.plain import plain
from apigw_stage.model.report import FAIL, fails, fix_text, locations
from apigw_stage.output import stream

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT_ID = "%SRCROOT%"
# GitHub's upload limits ("SARIF support for code scanning", its limits table): 25,000 results
# a run, 10 MB after gzip. Cut below them, and say so in the log and on stderr.
MAX_RESULTS = 25_000
MAX_GZIP_BYTES = 10 * 1000 * 1000
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "informational": "0.0"}
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "informational": "note"}


def _rule(variants: list) -> dict:
    """The rule of one check id. `variants`: the distinct checks.Check of that id that ran; two
    when a run holds REST and v2 stages and the id means the same control for both (Security
    Hub's APIGateway.1 covers REST and WebSocket), with a title per family. Rule ids must be
    unique in a run, so they make one rule that names both."""
    first = variants[0]
    title = "; ".join(dict.fromkeys(c.title for c in variants))
    why = " ".join(dict.fromkeys(c.why for c in variants))
    severity = max((c.severity for c in variants), key=lambda s: float(_SECURITY_SEVERITY.get(s, "5.0")))
    return {
        "id": first.id,
        "name": first.id.replace(".", ""),
        "shortDescription": {"text": title},
        "fullDescription": {"text": why},
        "help": {"text": f"{title}. {why}", "markdown": f"**{title}**\n\n{why}"},
        "defaultConfiguration": {"level": _LEVEL.get(severity, "warning")},
        "properties": {
            "security-severity": _SECURITY_SEVERITY.get(severity, "5.0"),
            "tags": ["security", "api-gateway", *dict.fromkeys(c.source for c in variants)],
            "precision": "very-high",
            "problem.severity": "recommendation" if severity == "informational" else "warning",
        },
    }


def _rules(checked: list, registries: dict) -> tuple[list, dict]:
    """(rules, {check id: its index}) of the checks that ran in `checked`, in the order first
    run; each check's description from its target's family registry (`registries`: family key
    -> its checks, the report's rules)."""
    variants: dict = {}
    for target, outcome in checked:
        # The target's family first; then the others, so that a caller that did not name the
        # family still gets each check's own description (an id and its title name one check).
        order = [target.family, *(f for f in families.FAMILIES.values() if f is not target.family)]
        known = {}
        for family in reversed(order):
            known.update({(c.id, c.title): c for c in registries[family.key]})
        for entry in outcome["checks"]:
            found = variants.setdefault(entry["id"], [])
            check = known[(entry["id"], entry["title"])]  # a check that ran is in a registry
            if check not in found:
                found.append(check)
    rules = [_rule(found) for found in variants.values()]
    return rules, {rule["id"]: i for i, rule in enumerate(rules)}


def _message(entry: dict, target, place=None) -> str:
    """The result's text: the check, the stage, the findings (only `place`'s when one is given),
    and what fixes them (model/report.fix_text)."""
    lines = [f"{entry['title']}: failing on {target.name}"]
    findings = entry.get("findings") or []
    index = None if place is None or place.index is None or len(findings) < 2 else place.index
    for finding in findings if index is None else findings[index:index + 1]:
        lines.append(f"{finding['where']}: {finding['reason']}")
    if entry.get("status") != FAIL:
        lines.append(f"not evaluated (fails with --strict): {entry.get('note') or ''}".rstrip(": "))
    fix = fix_text(entry, index)
    if fix:
        lines.append("Fix: " + fix)
    return "\n".join(lines)


def _parameters(checked: list) -> dict:
    """The rule parameters given (--param), the same for every stage of a run."""
    return next((outcome.get("parameters") for _, outcome in checked if outcome.get("parameters")), None) or {}


def _invocation(report, notifications: list) -> dict:
    invocation = {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
    parameters = _parameters(report.stages)
    if parameters:  # the --param rule parameters the run judged by (a SARIF property bag)
        invocation["properties"] = {"parameters": parameters}
    return invocation


def _uri(path: str) -> str:
    """A relative URI reference for a repository path: percent-encoded, so that a space, `#` or
    `?` in a file name is part of the path, not a fragment or query (RFC 3986)."""
    return quote(path, safe="/")


def _location(target, place) -> dict:
    region = {"startLine": place.line}
    if target.on_disk:
        region["startColumn"] = place.column
    location = {"physicalLocation": {"artifactLocation": {"uri": _uri(target.path), "uriBaseId": ROOT_ID},
                                     "region": region}}
    if target.arn:
        location["logicalLocations"] = [{"fullyQualifiedName": target.arn, "kind": "resource"}]
    return location


def _results(report, index) -> list:
    results = []
    for target, outcome in report.stages:
        for entry in outcome["checks"]:
            if not fails(entry, report.strict):
                continue
            places = locations(target, entry)
            if not target.on_disk:  # one alert per stage and control: every place is line 1 of the same path
                places = places[:1]
            for place in places:
                results.append({
                    "ruleId": entry["id"],
                    "ruleIndex": index[entry["id"]],
                    "level": _LEVEL.get(entry.get("severity"), "warning"),
                    "message": {"text": _message(entry, target, place if target.on_disk else None)},
                    "locations": [_location(target, place)],
                    # Stable across runs, so code scanning tracks one alert per stage, control and
                    # place; GitHub adds primaryLocationLineHash itself from the file.
                    "partialFingerprints": {"stageCheck/v2": target.fingerprint(entry["id"], place.at if target.on_disk else ())},
                })
    return results


def _automation_id(scope: str) -> str:
    """runAutomationDetails.id: the category (everything before the last `/`) names the scope, so
    uploads of different accounts, regions or files never close each other's alerts."""
    return "stage-check/" + re.sub(r"[^A-Za-z0-9._+-]+", "_", scope) + "/"


def _within_limits(run: dict, total: int) -> dict:
    """Cut results to GitHub's upload limits (25,000 a run, 10 MB gzip), saying so in the log."""
    results = run["results"]
    keep = min(len(results), MAX_RESULTS)
    while True:
        run["results"] = results[:keep]
        size = len(gzip.compress(json.dumps(plain(run), ensure_ascii=False).encode("utf-8", "surrogatepass")))
        if size <= MAX_GZIP_BYTES or keep == 0:
            break
        keep = keep * MAX_GZIP_BYTES // size * 9 // 10
    if keep < total:
        note = f"results cut to GitHub's upload limits: {keep} of {total} written"
        run["invocations"][0]["toolExecutionNotifications"].append({"level": "warning", "message": {"text": note}})
        run.setdefault("properties", {})["resultsCut"] = {"written": keep, "total": total}
    return run


def cut_note(document: dict) -> str | None:
    cut = document["runs"][0].get("properties", {}).get("resultsCut")
    return None if cut is None else f"sarif: results cut to GitHub's upload limits: {cut['written']} of {cut['total']} written"


def document(report) -> dict:
    """SARIF for a model/report.Checked: its stages [(StageRef, checks.run result)], the scopes
    not read [(scope text, reason)] and the rules of each family."""
    from apigw_stage import __version__

    rules, index = _rules(report.stages, report.rules)
    results = _results(report, index)
    notifications = [{"level": "error", "message": {"text": f"not read: {scope}: {reason}"}}
                     for scope, reason in report.not_read]
    run = {
        "tool": {"driver": {"name": "stage", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "automationDetails": {"id": _automation_id(report.scope)},
        "originalUriBaseIds": {ROOT_ID: {"description": {"text": "The repository root (--sarif-root)."}}},
        "invocations": [_invocation(report, notifications)],
        "results": results,
    }
    if report.not_read:
        # An incomplete scan says so inside the report (issue 19): which scopes are missing.
        run["properties"] = {"incomplete": True, "notRead": [{"scope": s, "reason": r} for s, r in report.not_read]}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [_within_limits(run, len(results))]}


def dumps(report, env=None) -> str:
    log = document(report)
    note = cut_note(log)
    if note and env is not None and env.stderr is not None:
        print(note, file=env.stderr)
    return json.dumps(plain(log), indent=2, ensure_ascii=False) + "\n"


def write(report, env) -> None:
    stream.write(env, dumps(report.checked, env))
