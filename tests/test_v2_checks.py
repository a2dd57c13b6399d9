"""`check` of HTTP and WebSocket (v2) stages: the checks that apply to v2 are evaluated on v2's own
fields (STAGE.1 data trace, STAGE.4 throttling, STAGE.5 secrets in stageVariables), the others say
why they do not apply, and every fix is an `aws apigatewayv2 update-stage` the AWS CLI parses."""

import copy
import json

import pytest

from tests.fidelity import aws_cli_parses
from tests.test_v2 import UPDATE_STAGE, WEBSOCKET

SECRET_VARIABLES = {"key": "AKIAIOSFODNN7EXAMPLE", "dbPassword": "hunter2hunter2xyz"}
SECRET_VALUES = tuple(SECRET_VARIABLES.values())


def _check(invoke, doc, *extra, fmt="json"):
    result = invoke("check", "-f", "-", "-o", fmt, *extra, input=json.dumps(doc))
    if fmt != "json":
        return result, None
    return result, {c["id"]: c for c in json.loads(result.stdout)["checks"]}


def test_secrets_and_data_trace_of_a_v2_file_are_checked_as_on_a_rest_stage(invoke):
    """The issue's case: these reported STAGE.5 and STAGE.1 not_applicable on a v2 stage, while
    the same variables on a REST stage fail STAGE.5."""
    v2 = {"StageName": "prod", "StageVariables": SECRET_VARIABLES, "DefaultRouteSettings": {"DataTraceEnabled": True}}
    result, found = _check(invoke, v2)
    assert result.exit_code == 1
    assert (found["STAGE.5"]["status"], found["STAGE.1"]["status"]) == ("fail", "fail")
    _, rest = _check(invoke, {"stageName": "prod", "deploymentId": "d1", "variables": SECRET_VARIABLES})
    assert found["STAGE.5"]["findings"] == rest["STAGE.5"]["findings"] == [
        {"where": "variable key", "reason": "value looks like an AWS access key id"},
        {"where": "variable dbPassword",
         "reason": "named like a secret and holds a value, not a reference to where it is kept"}]
    assert found["STAGE.1"]["findings"][0]["where"] == "default route settings"
    # UpdateStage removes a v2 stage variable given the empty value.
    assert aws_cli_parses(found["STAGE.5"]["fix"])["StageVariables"] == {"key": "", "dbPassword": ""}
    for fmt in ("json", "yaml", "table", "sarif", "junit"):
        shown, _ = _check(invoke, v2, fmt=fmt)
        assert shown.exit_code == 1
        assert not any(value in shown.stdout + shown.stderr for value in SECRET_VALUES), fmt


def test_websocket_data_trace_follows_the_route_settings_rule(invoke):
    """A route without dataTraceEnabled follows the default route settings (reported once, there);
    a route that turns it on is reported on its own; one that turns it off is fine."""
    doc = dict(WEBSOCKET, defaultRouteSettings=dict(WEBSOCKET["defaultRouteSettings"], dataTraceEnabled=True),
               routeSettings={"$connect": {"throttlingRateLimit": 10.0}, "quiet": {"dataTraceEnabled": False},
                              "sendmessage": {"dataTraceEnabled": True, "loggingLevel": "INFO"}})
    _, found = _check(invoke, doc)
    trace = found["STAGE.1"]
    assert trace["status"] == "fail"
    assert [f["where"] for f in trace["findings"]] == ["default route settings", "route sendmessage"]
    default_fix, route_fix = (aws_cli_parses(line) for line in trace["fix"].splitlines())
    # Sent whole: the entry's other settings stay as they were.
    assert default_fix["DefaultRouteSettings"] == {
        "LoggingLevel": "INFO", "DataTraceEnabled": False, "DetailedMetricsEnabled": True,
        "ThrottlingBurstLimit": 50, "ThrottlingRateLimit": 100.0}
    assert route_fix["RouteSettings"] == {"sendmessage": {"DataTraceEnabled": False, "LoggingLevel": "INFO"}}
    off = dict(doc, defaultRouteSettings=WEBSOCKET["defaultRouteSettings"], routeSettings={"quiet": {"dataTraceEnabled": False}})
    assert _check(invoke, off)[1]["STAGE.1"]["status"] == "pass"


def test_http_stage_has_no_data_trace_and_throttling_counts_on_a_route(invoke):
    """HTTP APIs: dataTraceEnabled and loggingLevel are "Supported only for WebSocket APIs"
    (botocore); throttling applies to both (update-stage.rst throttles `GET /pets`)."""
    _, found = _check(invoke, UPDATE_STAGE)
    assert found["STAGE.1"]["status"] == "not_applicable" and "WebSocket" in found["STAGE.1"]["note"]
    assert found["STAGE.4"]["status"] == "pass"  # GET /pets has a limit of its own


@pytest.mark.parametrize("settings", [{}, {"throttlingRateLimit": -1.0, "throttlingBurstLimit": -1}],
                         ids=["absent", "minus-one"])
def test_throttling_nowhere_fails_with_a_fix_the_aws_cli_parses(invoke, settings):
    doc = {"stageName": "p$(id)", "defaultRouteSettings": dict(settings, detailedMetricsEnabled=True), "routeSettings": {}}
    _, found = _check(invoke, doc)
    throttle = found["STAGE.4"]
    assert throttle["status"] == "fail" and "account limit" in throttle["findings"][0]["reason"]
    assert "example" in throttle["note"]
    parsed = aws_cli_parses(throttle["fix"])
    assert parsed["StageName"] == "p$(id)"
    assert parsed["DefaultRouteSettings"]["DetailedMetricsEnabled"] is True
    assert parsed["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0 < parsed["DefaultRouteSettings"]["ThrottlingBurstLimit"]


@pytest.mark.parametrize("protocol_doc, applicable", [
    # APIGateway.8 and .10 (issue 22) judge the API's routes and integrations: not in a file
    # (not evaluated, not "not applicable"); .10 does not apply to WebSocket APIs; STAGE.8 needs
    # access log settings to judge their destination.
    (UPDATE_STAGE, {"APIGateway.9", "STAGE.4", "STAGE.5", "APIGateway.8", "APIGateway.10"}),
    (WEBSOCKET, {"APIGateway.1", "APIGateway.9", "STAGE.1", "STAGE.4", "STAGE.5", "APIGateway.8", "STAGE.8"}),
], ids=["http", "websocket"])
def test_only_settings_v2_lacks_are_not_applicable_and_each_says_why(invoke, protocol_doc, applicable):
    _, found = _check(invoke, protocol_doc)
    assert {i for i, c in found.items() if c["status"] != "not_applicable"} == applicable
    for check in found.values():
        if check["status"] == "not_applicable":
            assert check["note"], check["id"]


def _apply(doc: dict, params: dict, merge: bool) -> dict:
    """What UpdateStage would store, merging each settings object given into the stored one or
    replacing it (which of the two the service does is not documented: the fixes must work for both)."""
    out = copy.deepcopy(doc)
    camel = {"DataTraceEnabled": "dataTraceEnabled", "DetailedMetricsEnabled": "detailedMetricsEnabled",
             "LoggingLevel": "loggingLevel", "ThrottlingBurstLimit": "throttlingBurstLimit",
             "ThrottlingRateLimit": "throttlingRateLimit"}

    def put(old, new):
        new = {camel[k]: v for k, v in new.items()}
        return {**(old or {}), **new} if merge else new

    if "DefaultRouteSettings" in params:
        out["defaultRouteSettings"] = put(out.get("defaultRouteSettings"), params["DefaultRouteSettings"])
    for key, entry in (params.get("RouteSettings") or {}).items():
        out.setdefault("routeSettings", {})[key] = put(out["routeSettings"].get(key), entry)
    for name, value in (params.get("StageVariables") or {}).items():
        if value == "":
            out["stageVariables"].pop(name)
    return out


@pytest.mark.parametrize("merge", [True, False], ids=["merge", "replace"])
def test_fixes_one_check_at_a_time_fix_every_check(invoke, merge):
    """Each fix changes only what its own check asks for (issue 19 item 18), starting from the
    stored settings; so fixes of one settings object are run one check at a time, checking again
    in between (README). Whether UpdateStage merges or replaces, that ends with every check passed."""
    doc = dict(WEBSOCKET, stageVariables=SECRET_VARIABLES,
               defaultRouteSettings={"loggingLevel": "OFF", "dataTraceEnabled": True, "detailedMetricsEnabled": True},
               routeSettings={"sendmessage": {"loggingLevel": "OFF", "dataTraceEnabled": True}})
    ignore = ("--ignore", "APIGateway.9", "--ignore", "APIGateway.8")  # APIGateway.8: routes are not in a file
    result = invoke("check", "-f", "-", "-o", "json", *ignore, input=json.dumps(doc))
    failed = [c for c in json.loads(result.stdout)["checks"] if c["status"] == "fail"]
    assert [c["id"] for c in failed] == ["APIGateway.1", "STAGE.1", "STAGE.4", "STAGE.5"]
    fixed = doc
    for _ in range(len(failed)):
        _, found = _check(invoke, fixed, *ignore)
        first = next((c for c in found.values() if c["status"] == "fail"), None)
        if first is None:
            break
        for line in first["fix"].splitlines():
            fixed = _apply(fixed, aws_cli_parses(line), merge)
    result, found = _check(invoke, fixed, *ignore)
    assert result.exit_code == 0, [(c["id"], c["findings"]) for c in found.values() if c["status"] == "fail"]
    assert fixed["defaultRouteSettings"]["detailedMetricsEnabled"] is True  # untouched by every fix


def test_a_fix_changes_only_what_its_check_asks_for(invoke):
    """Issue 19 item 18: the data-trace fix (STAGE.1) turned LoggingLevel OFF into ERROR. Now it
    changes DataTraceEnabled alone; logging is APIGateway.1's fix, which leaves data trace be."""
    doc = dict(WEBSOCKET, defaultRouteSettings={"loggingLevel": "OFF", "dataTraceEnabled": True},
               routeSettings={"sendmessage": {"loggingLevel": "OFF", "dataTraceEnabled": True}})
    _, found = _check(invoke, doc)
    trace = [aws_cli_parses(line) for line in found["STAGE.1"]["fix"].splitlines()]
    assert trace[0]["DefaultRouteSettings"] == {"LoggingLevel": "OFF", "DataTraceEnabled": False}
    assert trace[1]["RouteSettings"] == {"sendmessage": {"LoggingLevel": "OFF", "DataTraceEnabled": False}}
    logging = [aws_cli_parses(line) for line in found["APIGateway.1"]["fix"].splitlines()]
    assert logging[0]["DefaultRouteSettings"] == {"LoggingLevel": "ERROR", "DataTraceEnabled": True}
    assert logging[1]["RouteSettings"] == {"sendmessage": {"LoggingLevel": "ERROR", "DataTraceEnabled": True}}
    throttle = aws_cli_parses(found["STAGE.4"]["fix"])["DefaultRouteSettings"]
    assert (throttle["LoggingLevel"], throttle["DataTraceEnabled"]) == ("OFF", True)
