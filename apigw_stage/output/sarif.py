"""`check -o sarif`: SARIF 2.1.0 as GitHub code scanning reads it.

One rule per check that ran (its family's registry, checks.registry: title, why, severity as
`security-severity`), one result per failing check and stage, its ruleIndex that rule's place.
A result is located at the stage: its snapshot/saved file when it came from one, else its ARN
(arn:PARTITION:apigateway:REGION::/restapis/API/stages/STAGE for REST, .../apis/API/stages/STAGE
for HTTP and WebSocket: API Gateway's ARN formats; they carry no account). GitHub needs a physical location, so the ARN is also the artifact URI. Scopes that
could not be read are tool execution notifications of the invocation, which is then not
successful. GitHub's rules: security-severity > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium,
0.1-3.9 low (docs.github.com, "SARIF support for code scanning").
"""

import json

from apigw_stage.core import families
from apigw_stage.core.plain import plain
from apigw_stage.model.report import FAIL
from apigw_stage.output import stream

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
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


def _message(entry: dict, target) -> str:
    lines = [f"{entry['title']}: failing on {target.name}"]
    lines += [f"{f['where']}: {f['reason']}" for f in entry.get("findings") or []]
    if entry.get("fix"):
        lines.append("Fix: " + entry["fix"])
    return "\n".join(lines)


def _parameters(checked: list) -> dict:
    """The rule parameters given (--param), the same for every stage of a run."""
    return next((outcome.get("parameters") for _, outcome in checked if outcome.get("parameters")), None) or {}


def document(report) -> dict:
    """SARIF for a model/report.Checked: its stages [(StageRef, checks.run result)], the scopes
    not read [(scope text, reason)] and the rules of each family."""
    from apigw_stage import __version__

    checked, not_read = report.stages, report.not_read
    rules, index = _rules(checked, report.rules)
    results = []
    for target, outcome in checked:
        for entry in outcome["checks"]:
            if entry["status"] != FAIL:
                continue
            location = {"physicalLocation": {"artifactLocation": {"uri": target.uri}, "region": {"startLine": 1}}}
            if target.arn:
                location["logicalLocations"] = [{"fullyQualifiedName": target.arn, "kind": "resource"}]
            results.append({
                "ruleId": entry["id"],
                "ruleIndex": index[entry["id"]],
                "level": _LEVEL.get(entry.get("severity"), "warning"),
                "message": {"text": _message(entry, target)},
                "locations": [location],
                # Stable across runs, so code scanning tracks one alert per stage and check.
                "partialFingerprints": {"stageCheck/v1": f"{target.arn or target.uri}#{entry['id']}"},
            })
    notifications = [{"level": "error", "message": {"text": f"not read: {scope}: {reason}"}} for scope, reason in not_read]
    invocation = {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
    parameters = _parameters(checked)
    if parameters:  # the --param rule parameters the run judged by (a SARIF property bag)
        invocation["properties"] = {"parameters": parameters}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "stage", "version": __version__,
                                "rules": rules}},
            "invocations": [invocation],
            "results": results,
        }],
    }


def dumps(report) -> str:
    return json.dumps(plain(document(report)), indent=2, ensure_ascii=False) + "\n"


def write(report, env) -> None:
    stream.write(env, dumps(report.checked))
