"""HTTP and WebSocket API (apigatewayv2) stages through --file: the AWS CLI's example answers
(PascalCase) and the wire's camelCase, the route-settings rule, checks, canary, family detection
(issue 11). The AWS paths are in tests/test_v2_wire.py."""

import json
import os

import pytest

from apigw_stage.core import families
from apigw_stage.model import v2 as v2doc
from apigw_stage.model import routes


def _example(name: str) -> dict:
    """The `Output::` answer of awscli/examples/apigatewayv2/NAME.rst, read at test time."""
    import awscli

    path = os.path.join(os.path.dirname(awscli.__file__), "examples", "apigatewayv2", name + ".rst")
    text = open(path).read()
    return json.loads(text[text.index("Output::") + len("Output::"):text.index("For more information")])


GET_STAGE = _example("get-stage")
UPDATE_STAGE = _example("update-stage")  # "GET /pets" with throttling only
GET_STAGES = _example("get-stages")

WEBSOCKET = {
    "stageName": "production", "deploymentId": "d1", "autoDeploy": False,
    "createdDate": "2024-05-01T10:00:00Z", "lastUpdatedDate": "2024-05-02T11:00:00.5Z",
    "clientCertificateId": "cert1",
    "accessLogSettings": {"destinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:ws", "format": "$context.requestId"},
    "defaultRouteSettings": {"loggingLevel": "INFO", "dataTraceEnabled": False, "detailedMetricsEnabled": True,
                             "throttlingBurstLimit": 50, "throttlingRateLimit": 100.0},
    "routeSettings": {"$connect": {"throttlingRateLimit": 10.0}, "sendmessage": {"loggingLevel": "OFF"}},
    "stageVariables": {"table": "connections"}, "tags": {},
}


def _file(tmp_path, doc, name="stage.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return str(path)


def test_member_tables_match_botocore_model():
    from botocore.loaders import Loader

    shapes = Loader().load_service_model("apigatewayv2", "service-2")["shapes"]
    for shape, table in (("Stage", v2doc.STAGE_MEMBERS), ("AccessLogSettings", v2doc.ACCESS_LOG_MEMBERS),
                         ("RouteSettings", v2doc.ROUTE_SETTINGS_MEMBERS)):
        assert {k: m["locationName"] for k, m in shapes[shape]["members"].items()} == table
    # GetStages/GetApis page by NextToken; MaxResults is a string in the model.
    for request in ("GetStagesRequest", "GetApisRequest"):
        assert shapes[shapes[request]["members"]["MaxResults"]["shape"]]["type"] == "string"
        assert "NextToken" in shapes[request]["members"]
    assert shapes["ProtocolType"]["enum"] == ["WEBSOCKET", "HTTP"]


@pytest.mark.parametrize("doc", [GET_STAGE, UPDATE_STAGE], ids=["get-stage", "update-stage"])
def test_pascal_and_camel_give_the_same_json(invoke, tmp_path, doc):
    camel = json.loads(invoke("show", "-f", _file(tmp_path, doc), "-o", "json").stdout)
    again = invoke("show", "-f", _file(tmp_path, camel, "camel.json"), "-o", "json")
    assert again.exit_code == 0 and json.loads(again.stdout) == camel
    assert "StageName" not in camel and camel["stageName"] == doc["StageName"]


def test_show_json_is_camel_case_with_utc_timestamps(invoke, tmp_path):
    result = invoke("show", "-f", _file(tmp_path, UPDATE_STAGE), "-o", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "createdDate": "2020-04-05T16:21:16Z", "defaultRouteSettings": {"detailedMetricsEnabled": False},
        "deploymentId": "shktxb", "lastUpdatedDate": "2020-04-08T22:23:17Z",
        "routeSettings": {"GET /pets": {"throttlingBurstLimit": 100, "throttlingRateLimit": 2000.0}},
        "stageName": "dev", "stageVariables": {}, "tags": {}}


def test_show_table(invoke, tmp_path):
    result = invoke("show", "-f", _file(tmp_path, WEBSOCKET), "--no-color")
    out = result.stdout
    assert result.exit_code == 0
    assert "API type" in out and "WebSocket API" in out
    assert "Client certificate  cert1" in out
    assert "arn:aws:logs:us-east-1:123456789012:log-group:ws" in out
    assert "2 route entries, 2 changing something" in out
    assert "table = connections" in out
    assert "no canary releases" in out


def test_route_entry_absent_field_follows_default_route_settings(tmp_path, invoke):
    """The rule (v2/routes.py, README): update-stage.rst stores only the fields set on the route;
    a field the entry lacks is the default route settings' value, then the service default."""
    doc = v2doc.normalise(UPDATE_STAGE)
    assert doc["routeSettings"]["GET /pets"] == {"throttlingBurstLimit": 100, "throttlingRateLimit": 2000.0}
    applied = routes.effective(doc, "GET /pets", routes.HTTP)
    assert applied == {"detailedMetricsEnabled": (False, routes.DEFAULT), "throttlingRateLimit": (2000.0, routes.ROUTE),
                       "throttlingBurstLimit": (100, routes.ROUTE)}
    ws = v2doc.normalise(WEBSOCKET)
    connect = routes.effective(ws, "$connect", routes.WEBSOCKET)
    assert connect["loggingLevel"] == ("INFO", routes.DEFAULT)  # not the service's OFF
    assert connect["throttlingRateLimit"] == (10.0, routes.ROUTE)
    assert connect["throttlingBurstLimit"] == (50, routes.DEFAULT)
    result = invoke("settings", "-f", _file(tmp_path, WEBSOCKET), "--effective", "-o", "json")
    data = json.loads(result.stdout)
    assert data["protocolType"] == "WEBSOCKET"
    assert [r["routeKey"] for r in data["routes"]] == ["$connect", "sendmessage"]
    assert data["routes"][0]["settings"]["loggingLevel"] == {"value": "INFO", "source": "defaultRoute"}
    assert data["routes"][1]["settings"]["loggingLevel"] == {"value": "OFF", "source": "route"}
    assert data["defaultRouteSettings"]["throttlingRateLimit"] == {"value": 100.0, "source": "defaultRoute"}


def test_settings_tree(invoke, tmp_path):
    result = invoke("settings", "-f", _file(tmp_path, WEBSOCKET), "--no-color")
    out = result.stdout
    assert result.exit_code == 0
    assert out.index("Default route settings") < out.index("$connect") < out.index("sendmessage")
    assert "$connect  changes 1 setting" in out
    assert "without the entry: INFO" in out
    effective = invoke("settings", "-f", _file(tmp_path, WEBSOCKET), "--effective", "--no-color").stdout
    assert "default route settings" in effective and "route entry" in effective
    raw = invoke("settings", "-f", _file(tmp_path, WEBSOCKET), "-o", "json")
    assert json.loads(raw.stdout) == WEBSOCKET["routeSettings"]


def test_vars_and_canary(invoke, tmp_path):
    path = _file(tmp_path, GET_STAGE)
    assert json.loads(invoke("vars", "-f", path, "-o", "json").stdout) == {"function": "my-prod-function"}
    assert " function │ my-prod-function" in invoke("vars", "-f", path, "--no-color").stdout
    canary = invoke("canary", "-f", path, "--no-color")
    assert (canary.exit_code, canary.stderr) == (0, "")
    assert canary.stdout == "Stage prod: HTTP and WebSocket APIs have no canary releases.\n"
    assert invoke("canary", "-f", path, "-o", "json").stdout == "null\n"


def _checks(invoke, path, *extra):
    result = invoke("check", "-f", path, "-o", "json", *extra)
    return result, {c["id"]: c for c in json.loads(result.stdout)["checks"]}


def test_check_websocket(invoke, tmp_path):
    result, found = _checks(invoke, _file(tmp_path, WEBSOCKET))
    assert result.exit_code == 1
    assert found["APIGateway.9"]["status"] == "pass"
    logging = found["APIGateway.1"]
    assert logging["status"] == "fail"
    assert logging["findings"] == [{"where": "route sendmessage", "reason": "execution logging OFF set on the route"}]
    assert logging["fixCommands"] == [["aws", "apigatewayv2", "update-stage", "--api-id", "API_ID", "--stage-name",
                                       "production", "--route-settings", '{"sendmessage":{"LoggingLevel":"ERROR"}}']]
    assert {found[i]["status"] for i in ("APIGateway.2", "APIGateway.3", "STAGE.3")} == {"not_applicable"}
    fixed = dict(WEBSOCKET, routeSettings={"$connect": {"throttlingRateLimit": 10.0}})
    # APIGateway.8 (issue 22) judges the API's routes, which a stage file does not hold: not evaluated.
    result, found = _checks(invoke, _file(tmp_path, fixed, "fixed.json"), "--ignore", "APIGateway.8")
    assert result.exit_code == 0 and found["APIGateway.1"]["status"] == "pass"
    # A WebSocket stage without a default logging level logs nothing (service default OFF).
    quiet = dict(WEBSOCKET, defaultRouteSettings={"dataTraceEnabled": False}, routeSettings={})
    _, found = _checks(invoke, _file(tmp_path, quiet, "quiet.json"))
    assert found["APIGateway.1"]["findings"] == [{"where": "default route settings", "reason": "execution logging OFF"}]


def test_check_http_and_unknown(invoke, tmp_path):
    result, found = _checks(invoke, _file(tmp_path, UPDATE_STAGE))  # GET /pets: an HTTP API
    assert result.exit_code == 1
    assert found["APIGateway.1"]["status"] == "not_applicable"
    assert found["APIGateway.9"]["status"] == "fail"
    assert found["APIGateway.9"]["fix"] == ("aws apigatewayv2 update-stage --api-id API_ID --stage-name dev "
                                            "--access-log-settings DestinationArn=LOG_GROUP_ARN,Format=FORMAT")
    _, found = _checks(invoke, _file(tmp_path, GET_STAGE, "unknown.json"))  # nothing tells HTTP from WebSocket
    assert found["APIGateway.1"]["status"] == "not_evaluated"
    # --ignore takes v2's own APIGateway.9, and still rejects a word that is no check.
    # APIGateway.8 and .10 (issue 22) judge routes and integrations, which a stage file does not hold.
    result, found = _checks(invoke, _file(tmp_path, UPDATE_STAGE, "i.json"), "--ignore", "APIGateway.9",
                            "--ignore", "APIGateway.8", "--ignore", "APIGateway.10")
    assert result.exit_code == 0 and found["APIGateway.9"]["status"] == "ignored"
    bad = invoke("check", "-f", _file(tmp_path, UPDATE_STAGE, "b.json"), "--ignore", "APIGateway.99")
    assert bad.exit_code == 2 and bad.stderr.startswith("stage: error: no check 'APIGateway.99'")


def test_family_detection_from_documents():
    assert families.of_document(GET_STAGE) is families.V2  # PascalCase from the AWS CLI
    assert families.of_document({"stageName": "$default", "autoDeploy": True}) is families.V2
    assert families.of_document({"stageName": "prod", "methodSettings": {}, "variables": {}}) is families.REST
    assert families.of_document({"stageName": "prod", "ResponseMetadata": {}}) is families.REST


def test_family_option_reads_a_file_as_told(invoke, tmp_path):
    """--family v2 reads a document that has nothing v2-only in it as a v2 stage."""
    path = _file(tmp_path, {"stageName": "$default", "deploymentId": "abc"})
    assert "Route settings" in invoke("show", "-f", path, "--family", "v2", "--no-color").stdout
    assert "Method settings" in invoke("show", "-f", path, "--no-color").stdout
    assert invoke("show", "-f", path, "--family", "graphql").exit_code == 2


def test_bad_v2_documents_are_exit_2(invoke, tmp_path):
    for doc, says in (({"StageName": "a", "stageName": "b"}, "both 'stageName' and its PascalCase form"),
                      ({"StageName": "a", "RouteSettings": {"$connect": 5}}, "routeSettings['$connect'] is not an object"),
                      ({"StageName": "a", "CreatedDate": "yesterday"}, "createdDate: unreadable timestamp"),
                      ({"autoDeploy": True}, "no stageName (StageName)")):
        result = invoke("show", "-f", _file(tmp_path, doc))
        assert (result.exit_code, result.stdout) == (2, "")
        assert says in result.stderr and result.stderr.count("\n") == 1


def test_hostile_route_keys_are_escaped(invoke, tmp_path):
    doc = dict(WEBSOCKET, routeSettings={"\x1b[31mred\x07": {"loggingLevel": "[bold]x[/bold]"}})
    out = invoke("settings", "-f", _file(tmp_path, doc), "--effective").stdout
    assert "\x1b" not in out and "\x07" not in out and "[bold]x[/bold]" in out


def test_list_file_reads_v2_get_stages(invoke, tmp_path):
    from apigw_stage.sources import files as document

    path = _file(tmp_path, GET_STAGES)
    assert [d["stageName"] for d in document.stages_from_file(path)] == ["$default", "dev", "prod"]
    one = invoke("show", "-f", path)
    assert one.exit_code == 2 and "an HTTP/WebSocket GetStages answer with 3 stages" in one.stderr
