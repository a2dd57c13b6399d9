"""`stage check`: the stage document against AWS Security Hub's API Gateway stage controls that
need no other data, and a few of our own. Pure: no I/O, no rendering.

Method checks run on the settings that apply (methods.effective). A method that fails only
because it inherits the stage defaults is counted with them, not listed again, and the fix
then patches the stage defaults once.
"""

import shlex
from typing import Callable, NamedTuple

from apigw_stage import methods, views

SECURITY_HUB = "Security Hub"
OURS = "stage"


class Finding(NamedTuple):
    where: str  # "stage defaults (*/*)", a method ("GET /pets"), or "stage"
    reason: str


class Outcome(NamedTuple):
    findings: list
    patch: list  # update-stage patch operations that fix it: [{"op", "path", "value"}]
    other_fix: str | None = None  # a command that is not an update-stage patch, or comes first


class Check(NamedTuple):
    id: str
    source: str
    title: str
    why: str  # one sentence for README and the man page
    evaluate: Callable[[dict], Outcome]


def _op(path: str, value=None, op: str = "replace") -> dict:
    out = {"op": op, "path": path}
    if value is not None:
        out["value"] = value
    return out


def _per_method(fails: Callable[[dict], str | None], fields: tuple, patch: tuple):
    """A check over the stage defaults and every method entry; `patch` is (suffix, value)."""
    suffix, value = patch

    def evaluate(doc: dict) -> Outcome:
        settings = doc.get("methodSettings") or {}
        findings, ops, inheriting = [], [], 0
        stage_reason = fails({f: methods.baseline(settings, f)[0] for f in methods.FIELD_NAMES})
        for method in methods.method_keys(settings):
            applied = methods.effective(settings, method.key)
            reason = fails({f: v for f, (v, _) in applied.items()})
            if not reason:
                continue
            if stage_reason and all(applied[f][1] != "method" for f in fields):
                inheriting += 1
                continue
            findings.append(Finding(method.label, reason))
            ops.append(_op(f"/{method.key}/{suffix}", value))
        if stage_reason:
            if inheriting:
                entries = "entry" if inheriting == 1 else "entries"
                stage_reason += f" (and {inheriting} method {entries} inheriting it)"
            findings.insert(0, Finding(f"stage defaults ({methods.STAGE_DEFAULTS_KEY})", stage_reason))
            ops.insert(0, _op(f"/{methods.STAGE_DEFAULTS_KEY}/{suffix}", value))
        return Outcome(findings, ops)

    return evaluate


def _logging(values: dict) -> str | None:
    level = values["loggingLevel"]
    return None if level in ("ERROR", "INFO") else f"execution logging {level}"


def _unencrypted_cache(values: dict) -> str | None:
    if values["cachingEnabled"] and not values["cacheDataEncrypted"]:
        return "caching on, cache data not encrypted"
    return None


def _data_trace(values: dict) -> str | None:
    return "data trace on: full requests and responses go to CloudWatch Logs" if values["dataTraceEnabled"] else None


def _open_invalidation(values: dict) -> str | None:
    if values["cachingEnabled"] and values["requireAuthorizationForCacheControl"] is False:
        return "caching on and any caller can flush it (Cache-Control: max-age=0)"
    return None


def _stage_field(test: Callable[[dict], bool], reason: str, patch: list, other_fix: str | None = None):
    def evaluate(doc: dict) -> Outcome:
        if test(doc):
            return Outcome([], [])
        return Outcome([Finding("stage", reason)], patch, other_fix)

    return evaluate


def _canary(doc: dict) -> Outcome:
    canary = doc.get("canarySettings")
    if not isinstance(canary, dict):
        return Outcome([], [])
    percent = views.canary_percent(canary)
    deployment = canary.get("deploymentId")
    if percent <= 0:
        reason = "canary gets 0% of traffic: left behind after a promotion?"
        return Outcome([Finding("stage", reason)], [_op("/canarySettings", op="remove")])
    if percent >= 100:
        reason = f"canary gets 100% of traffic: deployment {deployment} is live; promote it"
        ops = [_op("/deploymentId", str(deployment or "CANARY_DEPLOYMENT_ID")), _op("/canarySettings", op="remove")]
        return Outcome([Finding("stage", reason)], ops)
    return Outcome([], [])


def _throttling(doc: dict) -> Outcome:
    settings = doc.get("methodSettings") or {}
    keys = [methods.STAGE_DEFAULTS_KEY, *settings]
    limited = any(
        not methods.is_account_limit(field, (settings.get(key) or {}).get(field))
        for key in keys
        for field in ("throttlingRateLimit", "throttlingBurstLimit")
    )
    if limited:
        return Outcome([], [])
    reason = "no stage default or method sets a throttling limit: every method runs at the account limit"
    ops = [_op("/*/*/throttling/rateLimit", "RATE"), _op("/*/*/throttling/burstLimit", "BURST")]
    return Outcome([Finding("stage", reason)], ops)


CHECKS = (
    Check("APIGateway.1", SECURITY_HUB, "Execution logging at ERROR or INFO for every method",
          "Without execution logs, failed requests leave no trace in CloudWatch.",
          _per_method(_logging, ("loggingLevel",), ("logging/loglevel", "ERROR"))),
    Check("APIGateway.2", SECURITY_HUB, "Client certificate for backend authentication",
          "A client certificate lets the backend tell API Gateway's calls from anyone else's.",
          _stage_field(lambda d: bool(d.get("clientCertificateId")), "no client certificate",
                       [_op("/clientCertificateId", "CERTIFICATE_ID")],
                       "aws apigateway generate-client-certificate, then ")),
    Check("APIGateway.3", SECURITY_HUB, "X-Ray tracing enabled",
          "Tracing shows where a request spends its time across services.",
          _stage_field(lambda d: d.get("tracingEnabled") is True, "X-Ray tracing off",
                       [_op("/tracingEnabled", "true")])),
    Check("APIGateway.4", SECURITY_HUB, "Associated with a WAF web ACL",
          "A web ACL filters common attacks before they reach the API.",
          _stage_field(lambda d: bool(d.get("webAclArn")), "no WAF web ACL", [],
                       "aws wafv2 associate-web-acl --web-acl-arn ACL_ARN --resource-arn "
                       "arn:aws:apigateway:REGION::/restapis/{api}/stages/{stage}")),
    Check("APIGateway.5", SECURITY_HUB, "Cache data encrypted at rest where caching is on",
          "Cached responses can hold personal data; encrypt them.",
          _per_method(_unencrypted_cache, ("cachingEnabled", "cacheDataEncrypted"), ("caching/dataEncrypted", "true"))),
    Check("APIGateway.9", SECURITY_HUB, "Access logging configured",
          "Access logs record who called what, for audits and incident response. (Security Hub states "
          ".9 for HTTP and WebSocket stages; the same rule is applied here to REST stages.)",
          _stage_field(lambda d: bool((d.get("accessLogSettings") or {}).get("destinationArn")),
                       "no access log destination",
                       [_op("/accessLogSettings/destinationArn", "LOG_GROUP_ARN"),
                        _op("/accessLogSettings/format", "FORMAT")])),
    Check("STAGE.1", OURS, "No data-trace logging",
          "Data trace writes full requests and responses, secrets included, to CloudWatch Logs.",
          _per_method(_data_trace, ("dataTraceEnabled",), ("logging/dataTrace", "false"))),
    Check("STAGE.2", OURS, "Cache invalidation needs authorisation",
          "Otherwise any caller can flush the cache with Cache-Control: max-age=0 and load the backend.",
          _per_method(_open_invalidation, ("cachingEnabled", "requireAuthorizationForCacheControl"),
                      ("caching/requireAuthorizationForCacheControl", "true"))),
    Check("STAGE.3", OURS, "No canary left at 0% or 100%",
          "A canary at 0% is a leftover; at 100% the stage's own deployment serves nothing.",
          _canary),
    Check("STAGE.4", OURS, "Throttling limit set somewhere",
          "With no limit anywhere, one client can use the whole account's request quota.",
          _throttling),
)
IDS = {check.id.lower(): check.id for check in CHECKS}


def fix_command(outcome: Outcome, api_id: str, stage: str) -> str | None:
    """The command that fixes a failing check, ready to paste (placeholders in capitals)."""
    first = outcome.other_fix.format(api=api_id, stage=stage) if outcome.other_fix else ""
    if not outcome.patch:
        return first or None
    ops = " ".join(
        shlex.quote(",".join(f"{k}={v}" for k, v in op.items())) for op in outcome.patch
    )
    return (f"{first}aws apigateway update-stage --rest-api-id {shlex.quote(api_id)} "
            f"--stage-name {shlex.quote(stage)} --patch-operations {ops}")


def run(doc: dict, api_id: str | None, ignore: set[str]) -> dict:
    """The documented json/yaml schema: {stageName, passed, checks: [...]}."""
    stage = str(doc.get("stageName") or "STAGE")
    results = []
    for check in CHECKS:
        entry = {"id": check.id, "source": check.source, "title": check.title}
        if check.id in ignore:
            results.append({**entry, "status": "ignored", "findings": [], "fix": None, "patchOperations": []})
            continue
        outcome = check.evaluate(doc)
        failed = bool(outcome.findings)
        results.append({
            **entry,
            "status": "fail" if failed else "pass",
            "findings": [{"where": f.where, "reason": f.reason} for f in outcome.findings],
            "fix": fix_command(outcome, api_id or "API_ID", stage) if failed else None,
            "patchOperations": outcome.patch if failed else [],
        })
    return {
        "stageName": doc.get("stageName"),
        "passed": all(r["status"] != "fail" for r in results),
        "checks": results,
    }
