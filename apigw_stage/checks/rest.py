"""The controls of REST API stages: AWS's own (Security Hub, AWS Config), evaluated as AWS
evaluates them, and a few of ours. Pure: no I/O, no rendering.

Method checks read the settings that apply to each method (methods.effective: an entry is
self-contained, a method without one follows `*/*`). They judge `*/*` and every entry, deployed
or not, as AWS Config judges a stage's methodSettings; that covers every deployed method (each
has an entry or follows `*/*`), so a pass is never a guess. With the deployed methods known (the
stage's export) a finding says whom it concerns now: how many deployed methods follow `*/*`, or
that an entry's method is not deployed.
"""

import json

from apigw_stage.checks.engine import (
    CONFIG, INFO, NOT_APPLICABLE, NOT_EVALUATED, OURS, PASS, SECURITY_HUB, Check, Context, Finding, Outcome,
    _op, _per_method, _Template,
)
from apigw_stage.model import methods
from apigw_stage.model import rest as views
from apigw_stage.views import secrets

_HTTP_INTEGRATIONS = ("HTTP", "HTTP_PROXY")
_LEVELS = ("ERROR", "INFO")


def _levels(ctx: Context) -> tuple:
    return ctx.params.get("loggingLevel") or _LEVELS


def _logging(values: dict, ctx: Context) -> str | None:
    level = values["loggingLevel"]
    if isinstance(level, str) and level in _levels(ctx):
        return None
    return f"execution logging {level if isinstance(level, str) else json.dumps(level)}"


def _unencrypted_cache(values: dict, ctx: Context) -> str | None:
    if values["cachingEnabled"] is True and values["cacheDataEncrypted"] is not True:
        return "caching on, cache data not encrypted"
    return None


def _data_trace(values: dict, ctx: Context) -> str | None:
    if values["dataTraceEnabled"] is not True:
        return None
    if values["loggingLevel"] in (None, "OFF"):  # nothing is written while logging is off
        return "data trace on: logging is OFF, so nothing is written yet; full requests and responses go to CloudWatch Logs once it is on"
    return "data trace on: full requests and responses go to CloudWatch Logs"


def _open_invalidation(values: dict, ctx: Context) -> str | None:
    if values["cachingEnabled"] is True and values["requireAuthorizationForCacheControl"] is False:
        return "caching on and any caller can flush it (Cache-Control: max-age=0)"
    return None


def _certificate(ctx: Context) -> Outcome:
    """APIGateway.2 as AWS Config's api-gw-ssl-enabled: not applicable unless a deployed method
    calls an HTTP backend (HTTP or HTTP_PROXY integration)."""
    cert = ctx.doc.get("clientCertificateId")
    allowed = ctx.params.get("CertificateIDs")
    ok = isinstance(cert, str) and bool(cert) and (not allowed or cert in allowed)
    found = ctx.deployed.methods
    http = [m for m in found or () if m.integration in _HTTP_INTEGRATIONS]
    if not http and ctx.deployed.integrations_known:
        return Outcome([], status=NOT_APPLICABLE,
                       note="no deployed method has an HTTP or HTTP_PROXY integration")
    if ok:
        return Outcome([])
    if not http:
        return Outcome([], status=NOT_EVALUATED,
                       note="no client certificate, and the integrations of the deployed methods are unknown: "
                            + ctx.deployed.note)
    if isinstance(cert, str) and cert:
        reason = f"client certificate {cert} is not one of CertificateIDs"
    else:
        reason = "no client certificate"
    names = ", ".join(m.label for m in http[:3]) + (f" and {len(http) - 3} more" if len(http) > 3 else "")
    reason += f" (HTTP backends: {names})"
    patch = [_op("/clientCertificateId", allowed[0] if allowed else "CERTIFICATE_ID")]
    before = () if allowed else (["aws", "apigateway", "generate-client-certificate", "--description",
                                  _Template("backend authentication of {api} {stage}")],)
    return Outcome([Finding("stage", reason, ("clientCertificateId",))], patch, before)


def _tracing(ctx: Context) -> Outcome:
    if ctx.doc.get("tracingEnabled") is True:
        return Outcome([])
    return Outcome([Finding("stage", "X-Ray tracing off", ("tracingEnabled",))], [_op("/tracingEnabled", "true")])


def _waf(ctx: Context) -> Outcome:
    arn = ctx.doc.get("webAclArn")
    allowed = ctx.params.get("WebAclArns")
    if isinstance(arn, str) and arn and (not allowed or arn in allowed):
        return Outcome([])
    reason = f"web ACL {arn} is not one of WebAclArns" if isinstance(arn, str) and arn else "no WAF web ACL"
    command = ["aws", "wafv2", "associate-web-acl", "--web-acl-arn", allowed[0] if allowed else "ACL_ARN",
               "--resource-arn", _Template("arn:{partition}:apigateway:{region}::/restapis/{api}/stages/{stage}")]
    return Outcome([Finding("stage", reason, ("webAclArn",))], [], (command,))


def _access_logs(ctx: Context) -> Outcome:
    settings = ctx.doc.get("accessLogSettings")
    if isinstance(settings, dict) and settings.get("destinationArn"):
        return Outcome([])
    # AWS Config passes a stage whose accessLogSettings merely exists; without a destination
    # nothing is logged, so here that fails too.
    reason = "access log settings without a destination" if isinstance(settings, dict) else "no access log destination"
    return Outcome([Finding("stage", reason, ("accessLogSettings",))], [_op("/accessLogSettings/destinationArn", "LOG_GROUP_ARN"),
                                                _op("/accessLogSettings/format", "FORMAT")])


def _canary(ctx: Context) -> Outcome:
    canary = ctx.doc.get("canarySettings")
    if not isinstance(canary, dict):
        return Outcome([])
    percent = views.canary_percent(canary)
    deployment = canary.get("deploymentId")
    if percent <= 0:
        reason = "canary gets 0% of traffic: left behind after a promotion?"
        return Outcome([Finding("stage", reason, ("canarySettings", "percentTraffic"))], [_op("/canarySettings", op="remove")])
    if percent >= 100:
        reason = f"canary gets 100% of traffic: deployment {deployment} is live; promote it"
        # Promotion as AWS documents it (API Gateway developer guide, "Promote a canary release",
        # the REST API example): copy the canary's deployment and its variable overrides onto the
        # stage, so that the stage keeps serving what the canary served; then the canary goes.
        ops = [{"op": "copy", "from": "/canarySettings/deploymentId", "path": "/deploymentId"}]
        if canary.get("stageVariableOverrides"):
            ops.append({"op": "copy", "from": "/canarySettings/stageVariableOverrides", "path": "/variables"})
        return Outcome([Finding("stage", reason, ("canarySettings", "percentTraffic"))], ops + [_op("/canarySettings", op="remove")])
    return Outcome([])


def _throttling(ctx: Context) -> Outcome:
    settings = ctx.settings
    limited = any(
        not methods.is_account_limit(name, value)
        for key in settings
        for name, (value, _) in methods.effective(settings, key).items()
        if name in ("throttlingRateLimit", "throttlingBurstLimit")
    )
    if limited:
        return Outcome([])
    reason = "no stage default or method sets a throttling limit: every method runs at the account limit"
    ops = [_op("/*/*/throttling/rateLimit", "RATE"), _op("/*/*/throttling/burstLimit", "BURST")]
    return Outcome([Finding("stage", reason, ("methodSettings",))], ops)


def _variable_at(secret) -> tuple:
    if secret.where.startswith("canary"):
        return ("canarySettings", "stageVariableOverrides", secret.name)
    return ("variables", secret.name)


def _secrets(ctx: Context) -> Outcome:
    found = secrets.scan(ctx.doc)
    return Outcome([Finding(s.where, s.reason, _variable_at(s)) for s in found],
                   [_op(s.path, op="remove") for s in found])


def _open_methods(ctx: Context) -> Outcome:
    if ctx.deployed.methods is None:
        return Outcome([], status=NOT_EVALUATED, note="the deployed methods are unknown: " + ctx.deployed.note)
    # OPTIONS is left out: a CORS preflight must be callable without credentials.
    open_ = [m for m in ctx.deployed.methods if m.is_open and m.http_method != "OPTIONS"]
    findings = [Finding(m.label, "authorization NONE and no API key: anyone can call it", ("methodSettings", m.key))
                for m in open_]
    return Outcome(findings, status=INFO if findings else PASS)


CHECKS = (
    Check("APIGateway.1", SECURITY_HUB, "Execution logging at ERROR or INFO for every method",
          "Without execution logs, failed requests leave no trace in CloudWatch. An entry without "
          "loggingLevel logs nothing, whatever */* says.", "medium",
          _per_method(_logging, "logging/loglevel", lambda ctx: _levels(ctx)[0]), ("loggingLevel",),
          config_rule="api-gw-execution-logging-enabled", resource_types=("AWS::ApiGateway::Stage",)),
    Check("APIGateway.2", SECURITY_HUB, "Client certificate for backend authentication",
          "A client certificate lets an HTTP backend tell API Gateway's calls from anyone else's; "
          "not applicable when no deployed method has an HTTP or HTTP_PROXY integration.", "medium",
          _certificate, ("CertificateIDs",),
          config_rule="api-gw-ssl-enabled", resource_types=("AWS::ApiGateway::Stage",)),
    Check("APIGateway.3", SECURITY_HUB, "X-Ray tracing enabled",
          "Tracing shows where a request spends its time across services.", "low", _tracing,
          config_rule="api-gw-xray-enabled", resource_types=("AWS::ApiGateway::Stage",)),
    Check("APIGateway.4", SECURITY_HUB, "Associated with a WAF web ACL",
          "A web ACL filters common attacks before they reach the API.", "medium", _waf, ("WebAclArns",),
          config_rule="api-gw-associated-with-waf", resource_types=("AWS::ApiGateway::Stage",)),
    Check("APIGateway.5", SECURITY_HUB, "Cache data encrypted at rest where caching is on",
          "Cached responses can hold personal data; encrypt them.", "medium",
          _per_method(_unencrypted_cache, "caching/dataEncrypted", lambda ctx: "true"),
          config_rule="api-gw-cache-encrypted", resource_types=("AWS::ApiGateway::Stage",)),
    Check("Config.AccessLogs", CONFIG, "Access logging configured (apigateway-stage-access-logs-enabled)",
          "Access logs record who called what, for audits and incident response. Medium, as Security "
          "Hub rates the same control for HTTP and WebSocket stages (APIGateway.9).", "medium",
          _access_logs, (), ("APIGateway.9",),
          config_rule="apigateway-stage-access-logs-enabled", resource_types=("AWS::ApiGateway::Stage",)),
    Check("STAGE.1", OURS, "No data-trace logging",
          "Data trace writes full requests and responses, secrets included, to CloudWatch Logs: medium, "
          "as for missing logs.", "medium",
          _per_method(_data_trace, "logging/dataTrace", lambda ctx: "false")),
    Check("STAGE.2", OURS, "Cache invalidation needs authorisation",
          "Otherwise any caller can flush the cache with Cache-Control: max-age=0 and load the backend: "
          "medium, a denial of service within reach of anyone.", "medium",
          _per_method(_open_invalidation, "caching/requireAuthorizationForCacheControl", lambda ctx: "true")),
    Check("STAGE.3", OURS, "No canary left at 0% or 100%",
          "A canary at 0% is a leftover; at 100% the stage's own deployment serves nothing: low, "
          "untidy rather than unsafe.", "low", _canary),
    Check("STAGE.4", OURS, "Throttling limit set somewhere",
          "With no limit anywhere, one client can use the whole account's request quota: low, the "
          "account limit still applies.", "low", _throttling),
    Check("STAGE.5", OURS, "No secrets in stage variables",
          "Stage variables are readable by anyone allowed to read the stage and land in execution "
          "logs: high, a credential exposed. Only where it is is shown, never the value.", "high", _secrets),
    Check("STAGE.6", OURS, "Methods open to anyone (authorization NONE, no API key)",
          "Informational: a public API is fine, an unintended one is not; OPTIONS (CORS preflight) is "
          "left out.", "informational", _open_methods),
)