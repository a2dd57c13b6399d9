"""HTTP and WebSocket (v2) stages over AWS (issue 11): moto for what it models (CreateApi,
CreateStage, GetStage, GetStages, GetApis) and a loopback v2 wire server for what it lacks
(NextToken pages, WebSocket route settings with logging, autoDeploy and its status message,
10-character ids, exact call counts). The --file paths are in tests/test_v2.py."""

import json
import re
from urllib.parse import parse_qs

import pytest

from tests.docs import wire_stage
from tests.wire import WireServer, error

# The wire's shape (botocore's apigatewayv2 model, locationName): camelCase, ISO 8601 timestamps,
# GetStages/GetApis `items` + `nextToken`, NotFoundException 404.
HTTP_ID, WS_ID, REST_ID = "h77p4p1abc", "w5s0ck3tab", "r3st4p1abc"
HTTP_PROD = {
    "stageName": "prod", "deploymentId": "dep123", "autoDeploy": True,
    "lastDeploymentStatusMessage": "Successfully deployed stage with deployment ID 'dep123'",
    "createdDate": "2024-05-01T10:00:00Z", "lastUpdatedDate": "2024-05-02T11:30:00.250Z",
    "defaultRouteSettings": {"detailedMetricsEnabled": False},
    "routeSettings": {"GET /pets": {"throttlingBurstLimit": 100, "throttlingRateLimit": 2000.0}},
    "stageVariables": {"table": "pets"}, "tags": {"team": "pets"},
}
WS_PROD = {
    "stageName": "production", "deploymentId": "wsdep1", "autoDeploy": False,
    "createdDate": "2024-05-01T10:00:00Z", "lastUpdatedDate": "2024-05-02T11:00:00Z",
    "defaultRouteSettings": {"loggingLevel": "INFO", "dataTraceEnabled": False, "detailedMetricsEnabled": True},
    "routeSettings": {"$connect": {"throttlingRateLimit": 10.0}, "sendmessage": {"loggingLevel": "OFF"}},
    "stageVariables": {}, "tags": {},
}
_V2 = re.compile(r"^/v2/apis(?:/([^/]+)(?:/stages(?:/([^/]+))?)?)?$")


class V2Wire(WireServer):
    """tests/wire.py's REST stand-in plus apigatewayv2 paths: `v2apis` ([{apiId, name,
    protocolType}]), `v2stages` {(api id, stage): doc}, pages of `v2_page_size` by nextToken."""

    def __init__(self):
        super().__init__()
        self.v2apis: list[dict] = []
        self.v2stages: dict[tuple[str, str], dict] = {}
        self.v2_page_size: int | None = None

    def answer(self, path):
        route, _, query = path.partition("?")
        match = _V2.match(route)
        if route == "/v2/domainnames" and not self.script:  # no custom domains (show's table asks: issue 24)
            return 200, {}, json.dumps({"items": []}).encode()
        if self.script or match is None:
            return super().answer(path)
        api, stage = match.groups()
        if api is None:
            return self._v2_page(self.v2apis, query)
        found = [a for a in self.v2apis if a["apiId"] == api]
        if not found:
            return error(404, "NotFoundException", "Invalid API identifier specified")
        if route.endswith("/stages"):
            return self._v2_page([d for (a, _), d in self.v2stages.items() if a == api], query)
        if stage is None:
            return 200, {}, json.dumps(found[0]).encode()
        doc = self.v2stages.get((api, stage))
        if doc is None:
            return error(404, "NotFoundException", "Invalid stage identifier specified")
        return 200, {}, json.dumps(doc).encode()

    def _v2_page(self, items: list, query: str):
        start = int(parse_qs(query).get("nextToken", ["0"])[0])
        size = self.v2_page_size or len(items) or 1
        page = {"items": items[start:start + size]}
        if start + size < len(items):
            page["nextToken"] = str(start + size)
        return 200, {}, json.dumps(page).encode()


@pytest.fixture
def v2wire(monkeypatch):
    server = V2Wire()
    server.v2apis = [{"apiId": HTTP_ID, "name": "pets", "protocolType": "HTTP"},
                     {"apiId": WS_ID, "name": "chat", "protocolType": "WEBSOCKET"}]
    server.v2stages = {(HTTP_ID, "prod"): HTTP_PROD, (HTTP_ID, "dev"): {**HTTP_PROD, "stageName": "dev"},
                       (WS_ID, "production"): WS_PROD}
    server.stages[(REST_ID, "prod")] = wire_stage()
    server.apis = [{"id": REST_ID, "name": "orders"}]
    server.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    yield server
    server.stop()


def _one_line(result):
    assert result.stdout == ""
    assert result.stderr.startswith("stage: error: ") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


# --- one stage: show, settings, vars, canary, check -------------------------------------------

def test_http_stage_by_id_probes_rest_first_then_costs_two_v2_calls(invoke, v2wire):
    result = invoke("show", HTTP_ID, "prod", "-o", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == HTTP_PROD  # RFC 3339 UTC, the milliseconds kept
    # README "HTTP and WebSocket APIs": REST GetStage and GetStages say not found, then v2
    # GetStage and GetApi (the protocol).
    assert v2wire.requests == [f"/restapis/{HTTP_ID}/stages/prod", f"/restapis/{HTTP_ID}/stages",
                               f"/v2/apis/{HTTP_ID}/stages/prod", f"/v2/apis/{HTTP_ID}"]


def test_family_v2_skips_the_rest_probe(invoke, v2wire):
    result = invoke("show", HTTP_ID, "prod", "--family", "v2", "--no-color", env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    assert "HTTP API" in result.stdout and "automatic" in result.stdout
    assert "Successfully deployed stage with deployment ID 'dep123'" in result.stdout
    # The table ends with the custom-domain URLs of the stage: one apigatewayv2 GetDomainNames (issue 24).
    assert v2wire.requests == [f"/v2/apis/{HTTP_ID}/stages/prod", f"/v2/apis/{HTTP_ID}", "/v2/domainnames"]


def test_rest_stage_by_id_costs_one_call_as_before(invoke, v2wire):
    assert invoke("show", REST_ID, "prod", "-o", "json").exit_code == 0
    assert v2wire.requests == [f"/restapis/{REST_ID}/stages/prod"]


def test_websocket_stage_by_name_reads_every_getapis_page(invoke, v2wire):
    v2wire.v2_page_size = 1
    result = invoke("settings", "chat", "production", "-e", "-o", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["protocolType"] == "WEBSOCKET"
    assert data["defaultRouteSettings"]["loggingLevel"] == {"value": "INFO", "source": "defaultRoute"}
    routes = {r["routeKey"]: r["settings"] for r in data["routes"]}
    assert routes["sendmessage"]["loggingLevel"] == {"value": "OFF", "source": "route"}
    assert routes["$connect"]["loggingLevel"] == {"value": "INFO", "source": "defaultRoute"}
    assert v2wire.requests == ["/restapis?limit=500", "/v2/apis", "/v2/apis?nextToken=1",
                               f"/v2/apis/{WS_ID}/stages/production", f"/v2/apis/{WS_ID}"]


def test_websocket_check_fails_the_route_that_turns_logging_off(invoke, v2wire):
    result = invoke("check", WS_ID, "production", "--family", "v2", "-o", "json")
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    by_id = {c["id"]: c for c in data["checks"]}
    assert by_id["APIGateway.1"]["status"] == "fail"
    assert "route sendmessage" in json.dumps(by_id["APIGateway.1"])
    assert by_id["APIGateway.9"]["status"] == "fail"
    assert by_id["APIGateway.3"]["status"] == "not_applicable"


def test_vars_and_canary_of_an_http_stage(invoke, v2wire):
    assert json.loads(invoke("vars", HTTP_ID, "prod", "--family", "v2", "-o", "json").stdout) == {"table": "pets"}
    result = invoke("canary", HTTP_ID, "prod", "--family", "v2")
    assert result.exit_code == 0
    assert "have no canary releases" in result.stdout
    assert invoke("canary", HTTP_ID, "prod", "--family", "v2", "-o", "json").stdout.strip() == "null"


def test_missing_v2_stage_names_the_stages(invoke, v2wire):
    result = invoke("show", HTTP_ID, "prdo")
    assert result.exit_code == 3
    line = _one_line(result)
    assert f"no stage 'prdo' in API {HTTP_ID}" in line and "stages: prod, dev" in line


def test_missing_v2_stage_by_name_and_with_family(invoke, v2wire):
    for args in (("pets", "qa"), ("pets", "qa", "--family", "v2"), (HTTP_ID, "qa", "--family", "v2")):
        result = invoke("show", *args)
        assert result.exit_code == 3, args
        assert f"no stage 'qa' in API {HTTP_ID}" in _one_line(result)


def test_missing_api_in_both_families(invoke, v2wire):
    result = invoke("show", "zzzzzzzzzz", "prod")
    assert result.exit_code == 3
    line = _one_line(result)
    assert "no API 'zzzzzzzzzz' in us-east-1" in line
    result = invoke("show", "nosuch", "prod", "--family", "v2")
    assert result.exit_code == 3
    assert "no HTTP or WebSocket API 'nosuch' in us-east-1" in _one_line(result)


# --- a name in both families ------------------------------------------------------------------

def test_name_shared_across_families_is_ambiguous_unless_family(invoke, v2wire):
    v2wire.v2apis.append({"apiId": "h77p4p1xyz", "name": "orders", "protocolType": "HTTP"})
    v2wire.v2stages[("h77p4p1xyz", "prod")] = {**HTTP_PROD, "description": "the HTTP one"}
    result = invoke("show", "orders", "prod")
    assert result.exit_code == 2
    line = _one_line(result)
    assert "2 APIs are named 'orders' in us-east-1" in line
    assert f"orders ({REST_ID}, REST API)" in line and "orders (h77p4p1xyz, HTTP API)" in line
    assert "--family rest|v2" in line
    v2 = invoke("show", "orders", "prod", "--family", "v2", "-o", "json")
    assert json.loads(v2.stdout)["description"] == "the HTTP one"
    rest = invoke("show", "orders", "prod", "--family", "rest", "-o", "json")
    assert json.loads(rest.stdout)["description"] == wire_stage()["description"]



def test_diff_takes_family_as_the_ambiguity_error_tells_it_to(invoke, v2wire):
    v2wire.v2apis.append({"apiId": "h77p4p1xyz", "name": "orders", "protocolType": "HTTP"})
    v2wire.v2stages[("h77p4p1xyz", "prod")] = {**HTTP_PROD, "description": "the HTTP one"}
    v2wire.v2stages[("h77p4p1xyz", "dev")] = {**HTTP_PROD, "stageName": "dev", "description": "dev"}
    ambiguous = invoke("diff", "orders", "prod", "dev")
    assert ambiguous.exit_code == 2 and "--family rest|v2" in _one_line(ambiguous)
    result = invoke("diff", "orders", "prod", "dev", "--family", "v2", "-o", "json")
    assert result.exit_code == 1, result.stderr
    changes = json.loads(result.stdout)
    assert {"group": "settings", "path": ["description"], "change": "changed", "left": "the HTTP one",
            "right": "dev"} in changes


# --- list ---------------------------------------------------------------------------------------

def test_list_of_a_v2_api_reads_every_getstages_page(invoke, v2wire):
    v2wire.v2_page_size = 1
    result = invoke("list", HTTP_ID, "--family", "v2", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert [d["stageName"] for d in json.loads(result.stdout)] == ["dev", "prod"]
    assert v2wire.requests == [f"/v2/apis/{HTTP_ID}/stages", f"/v2/apis/{HTTP_ID}/stages?nextToken=1"]


def test_list_table_of_a_v2_api_without_family(invoke, v2wire):
    result = invoke("list", HTTP_ID, "--no-color")
    assert result.exit_code == 0, result.stderr
    header = result.stdout.splitlines()[1]
    for column in ("Stage", "Deployment", "Deploys", "Route entries"):
        assert column in header
    assert "X-Ray" not in header and "Canary" not in header
    assert v2wire.requests[0] == f"/restapis/{HTTP_ID}/stages"


# --- moto: the real HTTP path of boto3's apigatewayv2 client --------------------------------------

@pytest.fixture(scope="module")
def moto_v2(moto_server):
    import boto3

    client = boto3.client("apigatewayv2", endpoint_url=moto_server, region_name="ap-south-1",
                          aws_access_key_id="AKIAFAKEFAKEFAKE1234", aws_secret_access_key="fake-secret-never-printed")
    http = client.create_api(Name="catalog", ProtocolType="HTTP")["ApiId"]
    client.create_stage(ApiId=http, StageName="prod", StageVariables={"tier": "gold"},
                        DefaultRouteSettings={"DetailedMetricsEnabled": True},
                        RouteSettings={"GET /items": {"ThrottlingRateLimit": 5.0}})
    client.create_stage(ApiId=http, StageName="beta")
    ws = client.create_api(Name="notify", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    client.create_stage(ApiId=ws, StageName="live", DefaultRouteSettings={"LoggingLevel": "ERROR", "ThrottlingRateLimit": 50.0,
                                                                      "ThrottlingBurstLimit": 20},
                        AccessLogSettings={"DestinationArn": "arn:aws:logs:ap-south-1:123456789012:log-group:ws",
                                           "Format": "$context.requestId"})
    return {"endpoint": moto_server, "http": http, "ws": ws}


def _moto(moto_v2, *args):
    return (*args, "--endpoint-url", moto_v2["endpoint"], "--region", "ap-south-1")


def test_moto_http_stage_by_id_and_by_name(invoke, moto_v2):
    for api in (moto_v2["http"], "catalog"):
        result = invoke("show", *_moto(moto_v2, api, "prod", "-o", "json"))
        assert result.exit_code == 0, result.stderr
        doc = json.loads(result.stdout)
        assert doc["stageVariables"] == {"tier": "gold"}
        assert doc["routeSettings"] == {"GET /items": {"throttlingRateLimit": 5.0}}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["createdDate"])
    table = invoke("settings", *_moto(moto_v2, "catalog", "prod", "--no-color")).stdout
    assert "HTTP API" in table and "GET /items" in table


def test_moto_websocket_check_passes_and_settings_effective(invoke, moto_v2):
    result = invoke("check", *_moto(moto_v2, "notify", "live", "-o", "json"))
    assert result.exit_code == 0, result.stdout
    by_id = {c["id"]: c["status"] for c in json.loads(result.stdout)["checks"]}
    assert by_id["APIGateway.1"] == "pass" and by_id["APIGateway.9"] == "pass"
    assert by_id["STAGE.1"] == by_id["STAGE.4"] == by_id["STAGE.5"] == "pass"  # v2's own evaluators
    data = json.loads(invoke("settings", *_moto(moto_v2, moto_v2["ws"], "live", "-e", "-o", "json")).stdout)
    assert data["protocolType"] == "WEBSOCKET"
    assert data["defaultRouteSettings"]["loggingLevel"] == {"value": "ERROR", "source": "defaultRoute"}


def test_moto_missing_stage_and_list(invoke, moto_v2):
    result = invoke("vars", *_moto(moto_v2, "catalog", "qa"))
    assert result.exit_code == 3
    assert "stages: beta, prod" in _one_line(result) or "stages: prod, beta" in result.stderr
    listed = invoke("list", *_moto(moto_v2, "catalog", "-o", "json"))
    assert [d["stageName"] for d in json.loads(listed.stdout)] == ["beta", "prod"]


# --- diff -----------------------------------------------------------------------------------------

def test_diff_of_two_v2_stages_groups_route_settings_and_variables(invoke, v2wire):
    v2wire.v2stages[(HTTP_ID, "dev")] = {
        **HTTP_PROD, "stageName": "dev", "autoDeploy": False, "stageVariables": {"table": "pets-dev"},
        "defaultRouteSettings": {"detailedMetricsEnabled": True},
        "routeSettings": {"GET /pets": {"throttlingBurstLimit": 100, "throttlingRateLimit": 50.0}},
    }
    result = invoke("diff", HTTP_ID, "prod", "dev", "-o", "json")
    assert result.exit_code == 1, result.stderr
    changes = [(c["group"], c["path"], c["left"], c["right"]) for c in json.loads(result.stdout)]
    assert changes == [
        ("settings", ["autoDeploy"], True, False),
        ("routeSettings", ["defaultRouteSettings", "detailedMetricsEnabled"], False, True),
        ("routeSettings", ["routeSettings", "GET /pets", "throttlingRateLimit"], 2000.0, 50.0),
        ("variables", ["stageVariables", "table"], "pets", "pets-dev"),
    ]
    table = invoke("diff", HTTP_ID, "prod", "dev", "--no-color", env={"COLUMNS": "160"}).stdout
    assert table.index("Settings") < table.index("Route settings") < table.index("Variables")


def test_diff_of_rest_and_v2_is_a_usage_error(invoke, v2wire):
    result = invoke("diff", f"{REST_ID}:prod", f"{HTTP_ID}:prod")
    assert result.exit_code == 2
    line = _one_line(result)
    assert (f"cannot compare stages of two API families: {REST_ID}:prod is of a REST API, "
            f"{HTTP_ID}:prod of an HTTP or WebSocket API") in line
    result = invoke("diff", f"{HTTP_ID}:prod", f"{REST_ID}:prod")
    assert result.exit_code == 2
    assert f"{HTTP_ID}:prod is of an HTTP or WebSocket API, {REST_ID}:prod of a REST API" in _one_line(result)
