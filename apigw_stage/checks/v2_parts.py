"""Security Hub's controls of the parts of an HTTP or WebSocket API that are not its stage: its
routes (APIGateway.8) and integrations (APIGateway.10). Each stage of the API reports them, since
stage checks stages; the findings name the route or integration. Pure: no I/O.

APIGateway.8, "API Gateway routes should specify an authorization type" (AWS Config's
api-gwv2-authorization-type-configured, resource AWS::ApiGatewayV2::Route): "This rule is
NON_COMPLIANT if the authorization type is NONE"; with the rule parameter authorizationType
(CUSTOM, AWS_IAM, JWT) "the control [passes] only if the route uses the authorization type
specified". A route without AuthorizationType is open: the service's own word for that is NONE
(botocore: "NONE for open access").
WebSocket APIs carry authorization on `$connect` only (developer guide, WebSocket Lambda
authorizers: "You can only use a Lambda authorizer function for the $connect route"; the service
refuses authorization on another route). A connection authorized at `$connect` is authorized for
every message after it, so stage judges a WebSocket API by its `$connect` route, and its other
routes are not applicable, as the note says: failing them, as a literal reading of AWS's control
would, reports what no one can fix. A WebSocket API without `$connect` accepts every connection:
that fails.

APIGateway.10, "API Gateway V2 integrations should use HTTPS for private connections" (AWS
Config's apigatewayv2-integration-private-https-enabled, resource AWS::ApiGatewayV2::Integration):
"Checks if Amazon API Gateway V2 private integration traffic for HTTP APIs uses the HTTPS
protocol. The rule is NON_COMPLIANT if configuration.TlsConfig does not exist." Private means
ConnectionType VPC_LINK; other integrations are not applicable, and so are WebSocket APIs
(botocore's Integration.TlsConfig: "Supported only for HTTP APIs"). A TlsConfig that is present
passes, empty or not, as the rule asks only that it exists.
"""

from apigw_stage.checks.engine import NOT_APPLICABLE, NOT_EVALUATED, Context, Finding, Outcome, _Template
from apigw_stage.model import routes

AUTHORIZATION_TYPES = ("CUSTOM", "AWS_IAM", "JWT")  # the rule parameter's values (Config and Security Hub)
CONNECT = "$connect"
_API = ("--api-id", _Template("{api}"))


def _unknown(ctx: Context, what: str) -> Outcome | None:
    parts = ctx.parts
    if parts is None or getattr(parts, what) is None:
        note = getattr(parts, "note", "") or f"the API's {what} are not in a stage document: give API STAGE"
        return Outcome([], status=NOT_EVALUATED, note=note)
    return None


def _route_fix(route, wanted: tuple) -> list:
    kind = wanted[0] if wanted else "JWT"
    words = ["aws", "apigatewayv2", "update-route", *_API, "--route-id", route.route_id or "ROUTE_ID",
             "--authorization-type", kind]
    if kind != "AWS_IAM":  # IAM needs no authorizer; JWT and CUSTOM name one (create-authorizer makes it)
        words += ["--authorizer-id", "AUTHORIZER_ID"]
    return words


def _judge(route, wanted: tuple) -> str | None:
    kind = route.authorization
    shown = kind if isinstance(kind, str) and kind else "NONE"
    if shown == "NONE":
        return "authorization type NONE: anyone can call it"
    if wanted and shown not in wanted:
        return f"authorization type {shown}, not {' or '.join(wanted)} (--param authorizationType)"
    return None


def authorization(ctx: Context) -> Outcome:
    unknown = _unknown(ctx, "routes")
    if unknown:
        return unknown
    wanted = ctx.params.get("authorizationType") or ()
    found = ctx.parts.routes
    if not found:
        return Outcome([], status=NOT_APPLICABLE, note="the API has no routes")
    judged, note = found, None
    if ctx.protocol == routes.WEBSOCKET:
        judged = [r for r in found if r.key == CONNECT]
        others = len(found) - len(judged)
        note = (f"WebSocket API: authorization is set on {CONNECT} only (AWS allows it on no other route), so "
                f"{CONNECT} is judged and the other {others} route{'s are' if others != 1 else ' is'} not applicable")
        if not judged:
            return Outcome([Finding("API", f"no {CONNECT} route: every connection is accepted without authorization")],
                           before=(["aws", "apigatewayv2", "create-route", *_API, "--route-key", CONNECT,
                                    "--authorization-type", (wanted or ("CUSTOM",))[0], "--target",
                                    "integrations/INTEGRATION_ID"],), note=note)
    elif ctx.protocol != routes.HTTP:
        note = "HTTP or WebSocket is not known: every route judged on its own"
    findings, before = [], []
    for route in sorted(judged, key=lambda r: r.key):
        reason = _judge(route, wanted)
        if reason:
            findings.append(Finding(f"route {route.key}", reason))
            before.append(_route_fix(route, wanted))
    return Outcome(findings, before=tuple(before), note=note)


def private_https(ctx: Context) -> Outcome:
    if ctx.protocol == routes.WEBSOCKET:
        return Outcome([], status=NOT_APPLICABLE,
                       note="AWS Config's rule judges HTTP APIs; TlsConfig is supported only for HTTP APIs (botocore)")
    unknown = _unknown(ctx, "integrations")
    if unknown:
        return unknown
    private = [i for i in ctx.parts.integrations if i.connection_type == "VPC_LINK"]
    if not private:
        return Outcome([], status=NOT_APPLICABLE, note="no private integration (ConnectionType VPC_LINK)")
    findings, before = [], []
    for integration in sorted(private, key=lambda i: i.integration_id or ""):
        if integration.has_tls:
            continue
        name = integration.integration_id or "(no id)"
        findings.append(Finding(f"integration {name}",
                                "private integration (VPC_LINK) without TlsConfig: traffic to the target is plain HTTP"))
        before.append(["aws", "apigatewayv2", "update-integration", *_API, "--integration-id",
                       integration.integration_id or "INTEGRATION_ID", "--tls-config",
                       "ServerNameToVerify=SERVER_NAME"])
    return Outcome(findings, before=tuple(before))
