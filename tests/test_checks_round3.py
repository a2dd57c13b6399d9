"""Issue 22: the controls AWS rates HTTP and WebSocket APIs by (APIGateway.8 routes, APIGateway.10
private integrations), and stage's verdicts where they met AWS Config's reading (APIGateway.1,
.9/Config.AccessLogs, .5 and api-gw-cache-enabled-and-encrypted, .2's applicability), each built
from AWS's documented behaviour (the texts quoted in checks/rest.py, checks/v2.py, checks/v2_parts.py).

Routes and integrations are served in the real wire format (botocore's apigatewayv2 model:
GetRoutes/GetIntegrations `items` + `nextToken`, camelCase members as in the AWS CLI's
get-routes.rst and get-integrations.rst) by tests/test_v2_wire.py's loopback server, paged."""

import json
import re
from urllib.parse import parse_qs

import pytest

from tests.test_v2_wire import HTTP_ID, HTTP_PROD, WS_ID, WS_PROD, V2Wire
from tests.wire import error

_PARTS = re.compile(r"^/v2/apis/([^/]+)/(routes|integrations)$")
ROUTES = [  # get-routes.rst's shape
    {"apiKeyRequired": False, "authorizationType": "NONE", "routeId": "72jz1wk", "routeKey": "ANY /admin",
     "target": "integrations/a1b2c3"},
    {"apiKeyRequired": False, "authorizationType": "JWT", "authorizerId": "au1", "routeId": "go65gqi",
     "routeKey": "GET /pets"},
    {"apiKeyRequired": False, "authorizationType": "AWS_IAM", "routeId": "r3", "routeKey": "POST /pets"},
]
INTEGRATIONS = [  # get-integrations.rst's shape, plus two private ones
    {"connectionType": "INTERNET", "integrationId": "a1b2c3", "integrationType": "AWS_PROXY"},
    {"connectionType": "VPC_LINK", "connectionId": "vl1", "integrationId": "p1", "integrationType": "HTTP_PROXY"},
    {"connectionType": "VPC_LINK", "connectionId": "vl1", "integrationId": "p2", "integrationType": "HTTP_PROXY",
     "tlsConfig": {"serverNameToVerify": "api.internal.example.com"}},
]
WS_ROUTES = [{"authorizationType": "NONE", "routeId": "c1", "routeKey": "$connect"},
             {"authorizationType": "NONE", "routeId": "d1", "routeKey": "$disconnect"},
             {"authorizationType": "NONE", "routeId": "m1", "routeKey": "sendmessage"}]


class PartsWire(V2Wire):
    def __init__(self):
        super().__init__()
        self.parts: dict = {}  # (api id, "routes" | "integrations") -> items
        self.parts_page = 1  # one item a page: every call must follow nextToken
        self.denied: set = set()  # "routes" / "integrations": answered 403 AccessDeniedException

    def answer(self, path):
        route, _, query = path.partition("?")
        match = _PARTS.match(route)
        if match and not self.script and match.group(2) in self.denied:
            return error(403, "AccessDeniedException", "User is not authorized to perform: apigateway:GET")
        if match and not self.script:
            items = self.parts.get(match.groups(), [])
            start = int(parse_qs(query).get("nextToken", ["0"])[0])
            page = {"items": items[start:start + self.parts_page]}
            if start + self.parts_page < len(items):
                page["nextToken"] = str(start + self.parts_page)
            return 200, {}, json.dumps(page).encode()
        return super().answer(path)


@pytest.fixture
def parts(monkeypatch):
    server = PartsWire()
    server.v2apis = [{"apiId": HTTP_ID, "name": "pets", "protocolType": "HTTP"},
                     {"apiId": WS_ID, "name": "chat", "protocolType": "WEBSOCKET"}]
    server.v2stages = {(HTTP_ID, "prod"): dict(HTTP_PROD, accessLogSettings={"destinationArn": "arn:aws:logs:x"}),
                       (WS_ID, "production"): WS_PROD}
    server.parts = {(HTTP_ID, "routes"): ROUTES, (HTTP_ID, "integrations"): INTEGRATIONS,
                    (WS_ID, "routes"): WS_ROUTES, (WS_ID, "integrations"): []}
    server.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    yield server
    server.stop()


def _by_id(result) -> dict:
    return {c["id"]: c for c in json.loads(result.stdout)["checks"]}


def test_http_routes_fail_with_authorization_none_one_finding_per_route(invoke, parts):
    result = invoke("check", HTTP_ID, "prod", "--family", "v2", "-o", "json")
    assert result.exit_code == 1, result.stderr
    auth = _by_id(result)["APIGateway.8"]
    assert auth["status"] == "fail"
    assert auth["findings"] == [{"where": "route ANY /admin", "reason": "authorization type NONE: anyone can call it"}]
    assert auth["aws_config_rule"] == "api-gwv2-authorization-type-configured"
    assert auth["resource_types"] == ["AWS::ApiGatewayV2::Route"]
    assert auth["source_url"].endswith("apigateway-controls.html#apigateway-8")
    assert auth["fixCommands"][0][:6] == ["aws", "apigatewayv2", "update-route", "--api-id", HTTP_ID, "--route-id"]
    # Every page of GetRoutes and GetIntegrations was read (one item a page).
    assert parts.requests.count(f"/v2/apis/{HTTP_ID}/routes") == 1
    assert f"/v2/apis/{HTTP_ID}/routes?nextToken=2" in parts.requests
    assert f"/v2/apis/{HTTP_ID}/integrations?nextToken=2" in parts.requests


def test_authorization_type_parameter_passes_only_that_type(invoke, parts):
    result = invoke("check", HTTP_ID, "prod", "--family", "v2", "-o", "json",
                    "--param", "APIGateway.8:authorizationType=JWT")
    auth = _by_id(result)["APIGateway.8"]
    assert [f["where"] for f in auth["findings"]] == ["route ANY /admin", "route POST /pets"]
    assert auth["findings"][1]["reason"] == "authorization type AWS_IAM, not JWT (--param authorizationType)"
    assert auth["parameters"] == {"authorizationType": ["JWT"]}
    assert json.loads(result.stdout)["parameters"] == {"authorizationType": ["JWT"]}
    assert "--authorization-type JWT" in auth["fix"]
    table = invoke("check", HTTP_ID, "prod", "--family", "v2", "-p", "authorizationType=JWT", "--no-color",
                   env={"COLUMNS": "80"})
    assert "authorizationType" in table.stdout and "JWT" in table.stdout  # recorded in the table too
    for fmt in ("sarif", "junit", "yaml"):
        assert invoke("check", HTTP_ID, "prod", "--family", "v2", "-o", fmt, "-p", "authorizationType=JWT").exit_code == 1


def test_websocket_routes_are_judged_by_connect(invoke, parts):
    """AWS: "You can only use a Lambda authorizer function for the $connect route": the other
    routes cannot carry authorization, so they are not applicable, and the note says so."""
    auth = _by_id(invoke("check", WS_ID, "production", "--family", "v2", "-o", "json"))["APIGateway.8"]
    assert auth["status"] == "fail"
    assert auth["findings"] == [{"where": "route $connect", "reason": "authorization type NONE: anyone can call it"}]
    assert "$connect only" in auth["note"] and "other 2 routes are not applicable" in auth["note"]
    parts.parts[(WS_ID, "routes")] = [dict(WS_ROUTES[0], authorizationType="CUSTOM", authorizerId="a"), *WS_ROUTES[1:]]
    fixed = _by_id(invoke("check", WS_ID, "production", "--family", "v2", "-o", "json"))
    assert fixed["APIGateway.8"]["status"] == "pass"
    assert fixed["APIGateway.10"]["status"] == "not_applicable"  # TlsConfig: "Supported only for HTTP APIs"
    parts.parts[(WS_ID, "routes")] = WS_ROUTES[1:]
    none = _by_id(invoke("check", WS_ID, "production", "--family", "v2", "-o", "json"))["APIGateway.8"]
    assert none["status"] == "fail" and none["findings"][0]["where"] == "API"


def test_private_integration_without_tls_fails_and_others_are_not_applicable(invoke, parts):
    https = _by_id(invoke("check", HTTP_ID, "prod", "--family", "v2", "-o", "json"))["APIGateway.10"]
    assert https["status"] == "fail"
    assert https["findings"] == [{"where": "integration p1", "reason": "private integration (VPC_LINK) without "
                                                                       "TlsConfig: traffic to the target is plain HTTP"}]
    assert https["aws_config_rule"] == "apigatewayv2-integration-private-https-enabled"
    assert "--tls-config ServerNameToVerify=SERVER_NAME" in https["fix"]
    parts.parts[(HTTP_ID, "integrations")] = INTEGRATIONS[:1]
    public = _by_id(invoke("check", HTTP_ID, "prod", "--family", "v2", "-o", "json"))["APIGateway.10"]
    assert (public["status"], public["note"]) == ("not_applicable", "no private integration (ConnectionType VPC_LINK)")


def test_routes_not_read_are_not_evaluated_and_from_a_file_too(invoke, parts):
    """A caller not allowed GetRoutes still gets the stage's own checks; the two that need the
    routes and integrations say why they were not evaluated (exit 0 under issue 21's exit rule:
    not evaluated alone is skipped; exit 1 with --strict)."""
    parts.denied = {"routes"}
    strict = invoke("check", HTTP_ID, "prod", "--family", "v2", "-o", "json", "--strict")
    assert strict.exit_code == 1 and strict.stderr == ""
    result = invoke("check", HTTP_ID, "prod", "--family", "v2", "-o", "json")
    assert result.exit_code == 0 and result.stderr == ""
    found = _by_id(result)
    assert found["APIGateway.8"]["status"] == "not_evaluated"
    assert found["APIGateway.8"]["note"].startswith("routes and integrations not read: ")
    assert found["APIGateway.9"]["status"] == "pass"
    result = invoke("check", "-f", "-", "-o", "json", input=json.dumps(HTTP_PROD))
    found = _by_id(result)
    assert found["APIGateway.8"]["status"] == found["APIGateway.10"]["status"] == "not_evaluated"
    assert "give API STAGE" in found["APIGateway.8"]["note"]


def test_http_stage_execution_logging_not_applicable_access_logging_applies(invoke, parts):
    """Item 3: HTTP APIs have no execution logging (RouteSettings.LoggingLevel: "Supported only
    for WebSocket APIs"); APIGateway.9 is what applies."""
    found = _by_id(invoke("check", HTTP_ID, "prod", "--family", "v2", "-o", "json"))
    assert found["APIGateway.1"]["status"] == "not_applicable" and "HTTP APIs" in found["APIGateway.1"]["note"]
    assert found["APIGateway.9"]["status"] == "pass"


@pytest.mark.parametrize("settings, aws, ours", [
    (None, "fail", "not_applicable"),
    ({"format": "$context.requestId"}, "pass", "fail"),  # AWS Config: present is compliant
    ({"format": "$context.requestId", "destinationArn": "arn:aws:logs:us-east-1:1:log-group:a"}, "pass", "pass"),
], ids=["absent", "no-destination", "complete"])
def test_access_logging_as_aws_config_reads_it_and_the_destination_as_stage_own(invoke, settings, aws, ours):
    rest = {"stageName": "prod", "methodSettings": {"*/*": {"loggingLevel": "ERROR"}}}
    v2 = {"stageName": "prod", "routeSettings": {"GET /pets": {}}}
    if settings:
        rest["accessLogSettings"] = v2["accessLogSettings"] = settings
    rest_found = _by_id(invoke("check", "-f", "-", "-o", "json", input=json.dumps(rest)))
    v2_found = _by_id(invoke("check", "-f", "-", "-o", "json", input=json.dumps(v2)))
    assert (rest_found["Config.AccessLogs"]["status"], rest_found["STAGE.8"]["status"]) == (aws, ours)
    assert (v2_found["APIGateway.9"]["status"], v2_found["STAGE.8"]["status"]) == (aws, ours)


def test_method_entries_without_stage_defaults_pass_aws_and_fail_stage_own(invoke):
    """Item 4: no */* entry, every method entry at ERROR or INFO: AWS Config judges the entries
    that exist (compliant); STAGE.7 says the methods without an entry log nothing."""
    doc = {"stageName": "prod", "methodSettings": {"~1pets/GET": {"loggingLevel": "ERROR"},
                                                   "~1pets/POST": {"loggingLevel": "INFO"}}}
    result = invoke("check", "-f", "-", "-o", "json", input=json.dumps(doc))
    found = _by_id(result)
    assert found["APIGateway.1"]["status"] == "pass" and found["APIGateway.1"]["source"] == "Security Hub"
    assert found["STAGE.7"]["status"] == "fail" and found["STAGE.7"]["source"] == "stage"
    assert "no */* entry" in found["STAGE.7"]["findings"][0]["reason"]
    assert found["STAGE.7"]["patchOperations"] == [{"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"}]
    table = invoke("check", "-f", "-", "--no-color", input=json.dumps(doc), env={"COLUMNS": "80"}).stdout
    # issue 19 item 11 (merged after this test was written): the json status words
    assert re.search(r"STAGE\.7 +(│ )?fail", table) and re.search(r"APIGateway\.1 +(│ )?pass", table)
    # The table says whose verdict each is: AWS's (Security Hub) or stage's own (the severity has
    # a column of its own since issue 19 item 11).
    assert "(Security Hub)" in table and "(stage)" in table
    # With a */* entry at OFF, APIGateway.1 fails it and STAGE.7 has nothing to add.
    doc["methodSettings"]["*/*"] = {"metricsEnabled": False}
    found = _by_id(invoke("check", "-f", "-", "-o", "json", input=json.dumps(doc)))
    assert found["APIGateway.1"]["findings"][0]["where"] == "stage defaults (*/*)"
    assert found["STAGE.7"]["status"] == "not_applicable"


def test_cache_rules_security_hub_and_config(invoke):
    """Item 6: Security Hub's APIGateway.5 judges only methods that cache (none: not applicable);
    AWS Config's api-gw-cache-enabled-and-encrypted asks every method to cache and encrypt, and
    is offered as Config.Caching, information only."""
    none = _by_id(invoke("check", "-f", "-", "-o", "json", input=json.dumps({"stageName": "p", "methodSettings": {}})))
    assert none["APIGateway.5"]["status"] == "not_applicable"
    assert none["Config.Caching"]["status"] == "info"
    assert none["Config.Caching"]["aws_config_rule"] == "api-gw-cache-enabled-and-encrypted"
    cached = {"stageName": "p", "methodSettings": {"*/*": {"cachingEnabled": True, "cacheDataEncrypted": True},
                                                   "~1a/GET": {"cachingEnabled": True}}}
    found = _by_id(invoke("check", "-f", "-", "-o", "json", input=json.dumps(cached)))
    assert found["APIGateway.5"]["findings"] == [{"where": "GET /a", "reason": "caching on, cache data not encrypted"}]
    assert found["Config.Caching"]["status"] == "info"


def test_integration_types_parameter_switches_apigateway_2_applicability(invoke):
    """Item 7: a file's deployed methods are unknown: by default not evaluated; judging every
    stage (all five integration types, as Security Hub's findings do) needs no methods."""
    doc = {"stageName": "p"}
    default = _by_id(invoke("check", "-f", "-", "-o", "json", input=json.dumps(doc)))["APIGateway.2"]
    assert default["status"] == "not_evaluated"
    assert "HTTP or HTTP_PROXY" in default["reading"]
    every = invoke("check", "-f", "-", "-o", "json", "-p", "APIGateway.2:integrationTypes=HTTP,HTTP_PROXY,AWS,AWS_PROXY,MOCK",
                   input=json.dumps(doc))
    cert = _by_id(every)["APIGateway.2"]
    assert cert["status"] == "fail" and "every stage" in cert["note"]
    assert cert["parameters"] == {"integrationTypes": ["HTTP", "HTTP_PROXY", "AWS", "AWS_PROXY", "MOCK"]}


@pytest.mark.parametrize("param, message", [
    ("colour=red", "no rule parameter 'colour=red'"),
    ("APIGateway.1:authorizationType=JWT", "no rule parameter 'APIGateway.1:authorizationType=JWT'"),
    ("authorizationType=NONE", "authorizationType takes CUSTOM, AWS_IAM and/or JWT, not 'NONE'"),
    ("integrationTypes=SOAP", "integrationTypes takes HTTP, HTTP_PROXY, AWS, AWS_PROXY and/or MOCK"),
])
def test_unknown_or_bad_parameter_is_exit_2_with_the_valid_ones(invoke, param, message):
    result = invoke("check", "-f", "-", "-p", param, input="{}")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"stage: error: {message}") and result.stderr.count("\n") == 1
    if "no rule parameter" in message:
        for name in ("loggingLevel", "CertificateIDs", "WebAclArns", "authorizationType", "integrationTypes"):
            assert name in result.stderr


def test_list_controls(invoke):
    result = invoke("check", "--list-controls", "-o", "json")
    assert result.exit_code == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    ids = [c["id"] for c in data["controls"]]
    assert {"APIGateway.1", "APIGateway.2", "APIGateway.3", "APIGateway.4", "APIGateway.5", "APIGateway.8",
            "APIGateway.9", "APIGateway.10", "Config.AccessLogs", "Config.Caching", "STAGE.7", "STAGE.8"} <= set(ids)
    assert len(ids) == len(set(ids))
    one = {c["id"]: c for c in data["controls"]}
    assert one["APIGateway.1"]["resource_types"] == ["AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage"]
    assert one["APIGateway.2"]["resource_types"] == ["AWS::ApiGateway::Stage"]  # v2's entry never applies
    assert one["APIGateway.8"]["parameters"] == [{"name": "authorizationType", "values": ["CUSTOM", "AWS_IAM", "JWT"],
                                                  "aws": True}]
    assert [c["id"] for c in data["notImplemented"]] == ["APIGateway.11"]
    table = invoke("check", "--list-controls", "--no-color", env={"COLUMNS": "80"}).stdout
    for control in data["controls"]:
        assert control["id"] in table and (control["source_url"] is None or control["source_url"] in table)
    rows = [line for line in table.splitlines() if line.startswith("│")]
    assert max(len(line) for line in rows) <= 80
    assert "AWS::ApiGatewayV2::Integration" in table and "APIGateway.11" in table
    bad = invoke("check", "--list-controls", "-o", "sarif")
    assert bad.exit_code == 2 and bad.stdout == ""
    assert invoke("check", "a1b2c3d4e5", "prod", "--list-controls").exit_code == 2


def test_fleet_reads_routes_and_integrations_once_per_api(invoke, parts):
    parts.v2stages[(HTTP_ID, "dev")] = dict(HTTP_PROD, stageName="dev")
    result = invoke("check", "--region", "us-east-1", "--endpoint-url", parts.url, "-o", "json")
    assert result.exit_code == 1, result.stderr
    stages = {(s["restApiId"], s["stage"]["stageName"]): s["checks"] for s in json.loads(result.stdout)["stages"]}
    for stage in ("prod", "dev"):
        found = {c["id"]: c for c in stages[(HTTP_ID, stage)]["checks"]}
        assert found["APIGateway.8"]["status"] == "fail" and found["APIGateway.10"]["status"] == "fail"
    # Two stages of one API, one read of its routes and integrations (every page of each).
    assert parts.requests.count(f"/v2/apis/{HTTP_ID}/routes") == 1
    assert parts.requests.count(f"/v2/apis/{HTTP_ID}/integrations") == 1


def test_parameters_are_recorded_in_every_format(invoke):
    """Item 8: the rule parameters given are in json/yaml (`parameters`, and each check's own), the
    table's heading, SARIF (the invocation's property bag) and JUnit (testsuite properties)."""
    import xml.etree.ElementTree as ET

    import yaml

    doc = json.dumps({"stageName": "p", "methodSettings": {"*/*": {"loggingLevel": "INFO"}}})
    args = ("check", "-f", "-", "-p", "loggingLevel=ERROR", "-p", "APIGateway.2:CertificateIDs=c1,c2")
    given = {"loggingLevel": ["ERROR"], "CertificateIDs": ["c1", "c2"]}
    assert json.loads(invoke(*args, "-o", "json", input=doc).stdout)["parameters"] == given
    data = yaml.safe_load(invoke(*args, "-o", "yaml", input=doc).stdout)
    assert data["parameters"] == given
    assert {c["id"]: c["parameters"] for c in data["checks"] if c["parameters"]} == {
        "APIGateway.1": {"loggingLevel": ["ERROR"]}, "APIGateway.2": {"CertificateIDs": ["c1", "c2"]}}
    table = invoke(*args, "--no-color", input=doc, env={"COLUMNS": "80"}).stdout
    assert "loggingLevel" in table and "CertificateIDs" in table
    sarif = json.loads(invoke(*args, "-o", "sarif", input=doc).stdout)
    assert sarif["runs"][0]["invocations"][0]["properties"]["parameters"] == given
    junit = ET.fromstring(invoke(*args, "-o", "junit", input=doc).stdout)
    assert {p.get("name"): p.get("value") for p in junit.iter("property")} == {
        "param.loggingLevel": "ERROR", "param.CertificateIDs": "c1,c2"}
