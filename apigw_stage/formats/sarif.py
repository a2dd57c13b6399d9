"""`check -o sarif`: SARIF 2.1.0 as GitHub code scanning reads it.

One rule per check (checks.CHECKS: title, why, severity as `security-severity`), one result per
failing check and stage, located at the stage: its snapshot/saved file when it came from one,
else its ARN (arn:PARTITION:apigateway:REGION::/restapis/API/stages/STAGE; API Gateway ARNs carry
no account). GitHub needs a physical location, so the ARN is also the artifact URI. Scopes that
could not be read are tool execution notifications of the invocation, which is then not
successful. GitHub's rules: security-severity > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium,
0.1-3.9 low (docs.github.com, "SARIF support for code scanning").
"""

import json

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "informational": "0.0"}
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "informational": "note"}


class Target:
    """Where a checked stage lives, for locations and names."""

    def __init__(self, stage: str, api_id: str | None = None, region: str | None = None,
                 account: str | None = None, file: str | None = None, partition: str = "aws"):
        self.stage, self.api_id, self.region, self.account, self.file = stage, api_id, region, account, file
        self.partition = partition

    @property
    def arn(self) -> str | None:
        if not self.api_id or not self.region:
            return None
        return f"arn:{self.partition}:apigateway:{self.region}::/restapis/{self.api_id}/stages/{self.stage}"

    @property
    def uri(self) -> str:
        return self.file or self.arn or f"restapis/{self.api_id or 'API'}/stages/{self.stage}"

    @property
    def name(self) -> str:
        parts = [p for p in (self.account, self.region, self.api_id, self.stage) if p]
        return "/".join(parts) if self.api_id else self.file or self.stage


def _rule(check) -> dict:
    help_text = f"{check.title}. {check.why}"
    return {
        "id": check.id,
        "name": check.id.replace(".", ""),
        "shortDescription": {"text": check.title},
        "fullDescription": {"text": check.why},
        "help": {"text": help_text, "markdown": f"**{check.title}**\n\n{check.why}"},
        "defaultConfiguration": {"level": _LEVEL.get(check.severity, "warning")},
        "properties": {
            "security-severity": _SECURITY_SEVERITY.get(check.severity, "5.0"),
            "tags": ["security", "api-gateway", check.source],
            "precision": "very-high",
            "problem.severity": "recommendation" if check.severity == "informational" else "warning",
        },
    }


def _message(entry: dict, target: Target) -> str:
    lines = [f"{entry['title']}: failing on {target.name}"]
    lines += [f"{f['where']}: {f['reason']}" for f in entry.get("findings") or []]
    if entry.get("fix"):
        lines.append("Fix: " + entry["fix"])
    return "\n".join(lines)


def document(checked: list, not_read: list = ()) -> dict:
    """SARIF for `checked` [(Target, checks.run result)] and `not_read` [(scope text, reason)]."""
    from apigw_stage import __version__, checks

    rules = [_rule(c) for c in checks.CHECKS]
    index = {c.id: i for i, c in enumerate(checks.CHECKS)}
    results = []
    for target, outcome in checked:
        for entry in outcome["checks"]:
            if entry["status"] != checks.FAIL:
                continue
            location = {"physicalLocation": {"artifactLocation": {"uri": target.uri}, "region": {"startLine": 1}}}
            if target.arn:
                location["logicalLocations"] = [{"fullyQualifiedName": target.arn, "kind": "resource"}]
            results.append({
                "ruleId": entry["id"],
                "ruleIndex": index.get(entry["id"], 0),
                "level": _LEVEL.get(entry.get("severity"), "warning"),
                "message": {"text": _message(entry, target)},
                "locations": [location],
                # Stable across runs, so code scanning tracks one alert per stage and check.
                "partialFingerprints": {"stageCheck/v1": f"{target.arn or target.uri}#{entry['id']}"},
            })
    notifications = [{"level": "error", "message": {"text": f"not read: {scope}: {reason}"}} for scope, reason in not_read]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "stage", "version": __version__,
                                "rules": rules}},
            "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
            "results": results,
        }],
    }


def dumps(checked: list, not_read: list = ()) -> str:
    from apigw_stage.render.data import plain

    return json.dumps(plain(document(checked, not_read)), indent=2, ensure_ascii=False) + "\n"
