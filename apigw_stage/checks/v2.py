"""`stage check` for HTTP and WebSocket API stages: the registry of checks for the v2 family, in
the same Check shape as checks/engine.py (id, source, title, why, severity, evaluate). Pure: no I/O.

Every setting is read with the route-settings rule of model/routes.py: a field a route entry lacks
follows defaultRouteSettings, so a route is judged on its own entry only where it sets the field.

Evaluated on v2 stages:
- APIGateway.1 (Security Hub, resource types AWS::ApiGateway::Stage and AWS::ApiGatewayV2::Stage):
  WebSocket stages log at ERROR or INFO in the default route settings and in every route that
  sets a level. HTTP APIs have no execution logging (loggingLevel is "Supported only for WebSocket
  APIs", botocore's RouteSettings): not applicable.
  Security Hub: https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html
- APIGateway.9 "Access logging should be configured for API Gateway V2 Stages" (AWS Config's
  api-gwv2-access-logs-enabled: "NON_COMPLIANT if 'accessLogSettings' is not present in Stage
  configuration"): accessLogSettings present, HTTP and WebSocket alike. STAGE.8 (ours): the
  settings name a destination (without one nothing is logged).
- APIGateway.8 (routes) and APIGateway.10 (private integrations): checks/v2_parts.py.
- STAGE.1 data trace: dataTraceEnabled, WebSocket only (as loggingLevel); not applicable to HTTP.
- STAGE.4 throttling set somewhere: RouteSettings' throttling fields, HTTP and WebSocket alike.
- STAGE.5 secrets in stageVariables.
Not applicable, with the reason each states (botocore's apigatewayv2 Stage has no such setting,
or AWS's control covers REST stages only): APIGateway.2, .3, .4, .5, STAGE.2, .3, .6.

Fixes are `aws apigatewayv2 update-stage` commands. A settings object is always sent whole (its
other fields kept, _corrected says why), since neither the model nor the AWS CLI's examples tell
whether UpdateStage merges a settings object into the stored one or replaces it; each fix
changes only what its own check asks for.
"""

import json

from apigw_stage.checks import engine as checks
from apigw_stage.checks import rest, v2_parts
from apigw_stage.model import methods
from apigw_stage.views import secrets
from apigw_stage.checks.engine import NOT_APPLICABLE, NOT_EVALUATED, SECURITY_HUB, Check, Finding, Outcome, _Template
from apigw_stage.model import routes

_UPDATE = ("aws", "apigatewayv2", "update-stage", "--api-id", _Template("{api}"), "--stage-name", _Template("{stage}"))
_PASCAL = {"dataTraceEnabled": "DataTraceEnabled", "detailedMetricsEnabled": "DetailedMetricsEnabled",
           "loggingLevel": "LoggingLevel", "throttlingBurstLimit": "ThrottlingBurstLimit",
           "throttlingRateLimit": "ThrottlingRateLimit"}
_THROTTLING = ("throttlingRateLimit", "throttlingBurstLimit")
# The fix of STAGE.4 needs numbers (the AWS CLI rejects a placeholder where a number goes): an
# example well under the account's 10,000 requests/s, burst 5,000, which the note says to adjust.
_EXAMPLE_RATE, _EXAMPLE_BURST = 1000.0, 500


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def _pascal(entry) -> dict:
    return {_PASCAL.get(f, f): v for f, v in (entry.items() if isinstance(entry, dict) else ())}


def _levels(ctx: checks.Context) -> tuple:
    return ctx.params.get("loggingLevel") or ("ERROR", "INFO")


def _level_ok(level, levels) -> bool:
    return isinstance(level, str) and level in levels


def _corrected(ctx: checks.Context, entry, fix: str) -> dict:
    """A settings object, whole and in PascalCase, with only what check `fix` asks for corrected
    ("logging": a LoggingLevel the rule refuses; "trace": DataTraceEnabled on). A fix changes
    nothing another check asks for (issue 19: the data-trace fix turned logging OFF into ERROR):
    a user who ignores APIGateway.1 keeps the level chosen. Every fix starts from the stored
    settings, so after one fix of an object run the check again for the next (the note says so):
    neither the model nor the AWS CLI's examples tell whether UpdateStage merges the object."""
    out = _pascal(entry)
    if fix == "trace" and isinstance(entry, dict) and entry.get("dataTraceEnabled") is True:
        out["DataTraceEnabled"] = False
    if fix == "logging" and ctx.protocol == routes.WEBSOCKET:
        out["LoggingLevel"] = _levels(ctx)[0]
    return out


def _default_fix(ctx: checks.Context, fix: str, **changes) -> tuple:
    settings = {**_corrected(ctx, routes.default_settings(ctx.doc), fix), **changes}
    return _UPDATE + ("--default-route-settings", _json(settings))


def _route_fix(ctx: checks.Context, key: str, fix: str) -> tuple:
    entry = routes.route_settings(ctx.doc).get(key)
    return _UPDATE + ("--route-settings", _json({key: _corrected(ctx, entry, fix)}))


def _logging(ctx: checks.Context) -> Outcome:
    if ctx.protocol == routes.HTTP:
        return Outcome([], status=NOT_APPLICABLE, note="HTTP APIs have no execution logging (WebSocket stages only)")
    if ctx.protocol != routes.WEBSOCKET:
        return Outcome([], status=NOT_EVALUATED,
                       note="HTTP or WebSocket is not known from this document: give API STAGE (GetApi tells)")
    levels = _levels(ctx)
    findings, before = [], []
    level, _ = routes.effective(ctx.doc, None, ctx.protocol)["loggingLevel"]
    if not _level_ok(level, levels):
        findings.append(Finding("default route settings", f"execution logging {level if isinstance(level, str) else json.dumps(level)}",
                                ("defaultRouteSettings", "loggingLevel")))
        before.append(_default_fix(ctx, "logging"))
    for key in routes.route_keys(ctx.doc):
        entry = routes.route_settings(ctx.doc).get(key)
        if isinstance(entry, dict) and "loggingLevel" in entry and not _level_ok(entry["loggingLevel"], levels):
            findings.append(Finding(f"route {key}", f"execution logging {entry['loggingLevel']} set on the route",
                                    ("routeSettings", key, "loggingLevel")))
            before.append(_route_fix(ctx, key, "logging"))
    return Outcome(findings, before=tuple(list(words) for words in before))


_ACCESS_FIX = _UPDATE + ("--access-log-settings", "DestinationArn=LOG_GROUP_ARN,Format=FORMAT")


def _access_logs(ctx: checks.Context) -> Outcome:
    """APIGateway.9 as AWS Config reads the configuration item: "NON_COMPLIANT if
    'accessLogSettings' is not present in Stage configuration"; a destination is STAGE.8's."""
    if isinstance(ctx.doc.get("accessLogSettings"), dict):
        return Outcome([])
    return Outcome([Finding("stage", "no access log settings", ("accessLogSettings",))], before=(list(_ACCESS_FIX),))


def _access_destination(ctx: checks.Context) -> Outcome:
    settings = ctx.doc.get("accessLogSettings")
    if not isinstance(settings, dict):
        return Outcome([], status=NOT_APPLICABLE, note="no access log settings: APIGateway.9 fails the stage")
    if settings.get("destinationArn"):
        return Outcome([])
    return Outcome([Finding("stage", "access log settings without a destination: nothing is logged",
                            ("accessLogSettings",))],
                   before=(list(_ACCESS_FIX),))


def _data_trace(ctx: checks.Context) -> Outcome:
    """Data trace in the default route settings (which every route without a value of its own
    follows) and in each route entry that turns it on. A document that does not tell HTTP from
    WebSocket sets dataTraceEnabled nowhere (routes.protocol_of), so it is off either way."""
    if ctx.protocol == routes.HTTP:
        return Outcome([], status=NOT_APPLICABLE, note="HTTP APIs have no data trace (WebSocket stages only)")
    findings, before = [], []
    if routes.effective(ctx.doc, None, routes.WEBSOCKET)["dataTraceEnabled"][0] is True:
        findings.append(Finding("default route settings", "data trace on: full messages go to CloudWatch Logs "
                                                          "(every route without a value of its own follows it)",
                                ("defaultRouteSettings", "dataTraceEnabled")))
        before.append(_default_fix(ctx, "trace"))
    for key in routes.route_keys(ctx.doc):
        entry = routes.route_settings(ctx.doc).get(key)
        if isinstance(entry, dict) and entry.get("dataTraceEnabled") is True:
            findings.append(Finding(f"route {key}", "data trace on, set on the route", ("routeSettings", key, "dataTraceEnabled")))
            before.append(_route_fix(ctx, key, "trace"))
    return Outcome(findings, before=tuple(list(words) for words in before))


def _throttling(ctx: checks.Context) -> Outcome:
    entries = [routes.default_settings(ctx.doc), *routes.route_settings(ctx.doc).values()]
    if any(isinstance(entry, dict) and field in entry and not methods.is_account_limit(field, entry[field])
           for entry in entries for field in _THROTTLING):
        return Outcome([])
    reason = "neither the default route settings nor a route sets a throttling limit: every route runs at the account limit"
    fix = _default_fix(ctx, "throttling", ThrottlingRateLimit=_EXAMPLE_RATE, ThrottlingBurstLimit=_EXAMPLE_BURST)
    return Outcome([Finding("stage", reason, ("defaultRouteSettings",))], before=(list(fix),),
                   note=f"the fix's {_EXAMPLE_RATE:g} requests/s, burst {_EXAMPLE_BURST}, are an example: choose your own")


def _secrets(ctx: checks.Context) -> Outcome:
    found = secrets.scan(ctx.doc, "stageVariables")
    if not found:
        return Outcome([])
    # UpdateStage removes a stage variable that is given the empty value (terraform-provider-aws,
    # internal/service/apigatewayv2/stage.go: "Variables are removed by setting the associated
    # value to \"\"").
    fix = _UPDATE + ("--stage-variables", _json({s.name: "" for s in found}))
    return Outcome([Finding(s.where, s.reason, ("stageVariables", s.name)) for s in found], before=(list(fix),))


def _not_applicable(note: str):
    def evaluate(ctx: checks.Context) -> Outcome:
        return Outcome([], status=NOT_APPLICABLE, note=note)

    evaluate.never_applies = True  # --list-controls leaves this family out of the control's reach
    return evaluate


_NO_CACHE = "v2 stages have no cache (apigatewayv2's Stage has no cache settings)"
_OWN = {
    "APIGateway.1": _logging,
    "STAGE.1": _data_trace,
    "STAGE.4": _throttling,
    "STAGE.8": _access_destination,
    "STAGE.5": _secrets,
    "APIGateway.2": _not_applicable("Security Hub's control covers REST API stages only (a WebSocket stage's "
                                    "clientCertificateId is not evaluated by it; HTTP stages have none)"),
    "APIGateway.3": _not_applicable("X-Ray tracing is a REST API feature: v2 stages have no tracing setting"),
    "APIGateway.4": _not_applicable("AWS WAF web ACLs attach to REST API stages only"),
    "APIGateway.5": _not_applicable(_NO_CACHE),
    "STAGE.2": _not_applicable(_NO_CACHE),
    "STAGE.3": _not_applicable("HTTP and WebSocket APIs have no canary releases"),
    "STAGE.6": _not_applicable("v2 stages have routes, not methods; a route's authorization is set on the route "
                               "and judged by APIGateway.8"),
}
CHECKS = (
    Check("APIGateway.1", SECURITY_HUB, "WebSocket execution logging at ERROR or INFO (default route and routes)",
          "Without execution logs, failed WebSocket messages leave no trace in CloudWatch; a route with a logging "
          "level of its own must log too. Not applicable to HTTP APIs.", "medium", _logging, ("loggingLevel",),
          config_rule="api-gw-execution-logging-enabled", resource_types=("AWS::ApiGatewayV2::Stage",)),
    Check("APIGateway.8", SECURITY_HUB, "Routes specify an authorization type",
          "A route with authorization NONE can be called by anyone. WebSocket APIs are judged by $connect, "
          "the only route that takes authorization.", "medium", v2_parts.authorization, ("authorizationType",),
          config_rule="api-gwv2-authorization-type-configured", resource_types=("AWS::ApiGatewayV2::Route",),
          reading="one finding per route whose AuthorizationType is NONE (or not the authorizationType "
                  "parameter); on WebSocket APIs only $connect is judged, the other routes are not applicable"),
    Check("APIGateway.9", SECURITY_HUB, "Access logging configured for HTTP and WebSocket stages",
          "Access logs record who called what, for audits and incident response.", "medium", _access_logs,
          config_rule="api-gwv2-access-logs-enabled", resource_types=("AWS::ApiGatewayV2::Stage",),
          reading="passes when accessLogSettings is present, as AWS Config's rule reads it; STAGE.8 asks for "
                  "a destination"),
    Check("APIGateway.10", SECURITY_HUB, "Private integrations use HTTPS",
          "A VPC link connects privately but does not encrypt: TlsConfig makes the traffic HTTPS.", "medium",
          v2_parts.private_https, config_rule="apigatewayv2-integration-private-https-enabled",
          resource_types=("AWS::ApiGatewayV2::Integration",),
          reading="HTTP API integrations with ConnectionType VPC_LINK fail without TlsConfig; other "
                  "integrations, and WebSocket APIs, are not applicable"),
    *(check._replace(evaluate=_OWN[check.id], params=(), aliases=(), resource_types=("AWS::ApiGatewayV2::Stage",))
      for check in rest.CHECKS if check.id in _OWN and check.id != "APIGateway.1"),
)
