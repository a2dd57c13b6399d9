"""`stage check` for HTTP and WebSocket API stages: the registry of checks for the v2 family, in
the same Check shape as checks.py (id, source, title, why, severity, evaluate). Pure: no I/O.

Security Hub's controls for v2 stages:
- APIGateway.1 covers WebSocket stages too: the logging level must be ERROR or INFO in the default
  route settings and, where a route sets a logging level of its own, in that route (a route
  without one follows the default route settings: v2/routes.py). HTTP APIs have no execution
  logging (loggingLevel is "Supported only for WebSocket APIs", botocore's model): not applicable.
- APIGateway.9 "Access logging should be configured for API Gateway V2 Stages" (AWS Config's
  api-gwv2-access-logs-enabled): accessLogSettings with a destination, HTTP and WebSocket alike.
The REST checks (client certificate for HTTP backends, X-Ray, WAF, cache, canary, method
settings, ...) are not applicable: v2 stages have none of those settings.
"""

import json

from apigw_stage import checks
from apigw_stage.checks import NOT_APPLICABLE, NOT_EVALUATED, SECURITY_HUB, Check, Finding, Outcome, _Template
from apigw_stage.v2 import routes

_UPDATE = ("aws", "apigatewayv2", "update-stage", "--api-id", _Template("{api}"), "--stage-name", _Template("{stage}"))
_PASCAL = {"dataTraceEnabled": "DataTraceEnabled", "detailedMetricsEnabled": "DetailedMetricsEnabled",
           "loggingLevel": "LoggingLevel", "throttlingBurstLimit": "ThrottlingBurstLimit",
           "throttlingRateLimit": "ThrottlingRateLimit"}


def _level_ok(level, levels) -> bool:
    return isinstance(level, str) and level in levels


def _logging(ctx: checks.Context) -> Outcome:
    if ctx.protocol == routes.HTTP:
        return Outcome([], status=NOT_APPLICABLE, note="HTTP APIs have no execution logging (WebSocket stages only)")
    if ctx.protocol != routes.WEBSOCKET:
        return Outcome([], status=NOT_EVALUATED,
                       note="HTTP or WebSocket is not known from this document: give API STAGE (GetApi tells)")
    levels = ctx.params.get("loggingLevel") or ("ERROR", "INFO")
    findings, before = [], []
    level, _ = routes.effective(ctx.doc, None, ctx.protocol)["loggingLevel"]
    if not _level_ok(level, levels):
        findings.append(Finding("default route settings", f"execution logging {level if isinstance(level, str) else json.dumps(level)}"))
        before.append(_UPDATE + ("--default-route-settings", f"LoggingLevel={levels[0]}"))
    for key in routes.route_keys(ctx.doc):
        entry = routes.route_settings(ctx.doc).get(key)
        if isinstance(entry, dict) and "loggingLevel" in entry and not _level_ok(entry["loggingLevel"], levels):
            findings.append(Finding(f"route {key}", f"execution logging {entry['loggingLevel']} set on the route"))
            # The whole entry again, its other settings kept, with the logging level fixed.
            fixed = {_PASCAL.get(f, f): v for f, v in entry.items()}
            fixed["LoggingLevel"] = levels[0]
            before.append(_UPDATE + ("--route-settings", json.dumps({key: fixed}, separators=(",", ":"))))
    return Outcome(findings, before=tuple(list(words) for words in before))


def _access_logs(ctx: checks.Context) -> Outcome:
    settings = ctx.doc.get("accessLogSettings")
    if isinstance(settings, dict) and settings.get("destinationArn"):
        return Outcome([])
    reason = "access log settings without a destination" if isinstance(settings, dict) else "no access log destination"
    fix = _UPDATE + ("--access-log-settings", "DestinationArn=LOG_GROUP_ARN,Format=FORMAT")
    return Outcome([Finding("stage", reason)], before=(list(fix),))


def _rest_only(ctx: checks.Context) -> Outcome:
    return Outcome([], status=NOT_APPLICABLE, note="REST API stages only")


_REPLACED = {"APIGateway.1", "Config.AccessLogs"}
CHECKS = (
    Check("APIGateway.1", SECURITY_HUB, "WebSocket execution logging at ERROR or INFO (default route and routes)",
          "Without execution logs, failed WebSocket messages leave no trace in CloudWatch; a route with a logging "
          "level of its own must log too. Not applicable to HTTP APIs.", "medium", _logging, ("loggingLevel",)),
    Check("APIGateway.9", SECURITY_HUB, "Access logging configured for HTTP and WebSocket stages",
          "Access logs record who called what, for audits and incident response.", "medium", _access_logs),
    *(check._replace(evaluate=_rest_only, params=(), aliases=()) for check in checks.CHECKS if check.id not in _REPLACED),
)
