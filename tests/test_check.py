"""`stage check`: each control passes and fails, findings name methods, fixes are exact commands."""

import json

import pytest
import yaml

from tests.conftest import EXAMPLE
from tests.docs import wire_stage

IDS = ["APIGateway.1", "APIGateway.2", "APIGateway.3", "APIGateway.4", "APIGateway.5", "Config.AccessLogs",
       "STAGE.1", "STAGE.2", "STAGE.3", "STAGE.4", "STAGE.5", "STAGE.6",
       # issue 22: AWS Config's stricter cache rule (info), and the stricter truths kept beside AWS's verdicts.
       "Config.Caching", "STAGE.7", "STAGE.8"]
LIMITS = ["STAGE.20", "STAGE.21", "STAGE.22", "STAGE.23"]  # issue 23: not applicable from a lone file
IDS += LIMITS


def check_json(invoke, doc, tmp_path, *extra):
    path = tmp_path / "stage.json"
    path.write_text(json.dumps(doc))
    result = invoke("check", "-f", str(path), "-o", "json", *extra)
    return result, json.loads(result.stdout)


def by_id(data):
    return {c["id"]: c for c in data["checks"]}


def test_example_fails_only_data_trace(invoke):
    result = invoke("check", "-f", EXAMPLE)
    assert result.exit_code == 1
    assert result.stderr == ""
    # Issue 19 item 11: the table says the json status words (was PASS/FAIL/UNKNOWN).
    rows = {p[0]: p[1] for p in (line.replace("│", " ").split() for line in result.stdout.splitlines())
            if len(p) > 1 and p[0] in IDS}
    # A file holds no deployed methods: the open-methods finding cannot be judged, and says so.
    # Issue 22: STAGE.7 is not applicable with a */* entry; the example caches nowhere, which AWS
    # Config's api-gw-cache-enabled-and-encrypted reports (Config.Caching, information).
    assert rows == {i: {"STAGE.1": "fail", "STAGE.6": "not_evaluated", "STAGE.7": "not_applicable", "Config.Caching": "info",
                        **dict.fromkeys(LIMITS, "not_applicable")}.get(i, "pass") for i in IDS}
    assert "DELETE /pets/{petId}: data trace on" in result.stdout
    assert " ".join(result.stdout.strip().splitlines()[-2:]) == (
        "11 passed · 1 failed · 5 not applicable · 1 not evaluated · 1 informational finding")


def test_json_schema_and_exact_fix(invoke, tmp_path):
    result, data = check_json(invoke, wire_stage(), tmp_path)
    assert result.exit_code == 1
    assert data["stageName"] == "prod" and data["passed"] is False
    assert [c["id"] for c in data["checks"]] == IDS
    trace = by_id(data)["STAGE.1"]
    assert trace["status"] == "fail"
    assert trace["findings"] == [{"where": "DELETE /pets/{petId}", "reason": "data trace on: full requests and responses go to CloudWatch Logs"}]
    assert trace["patchOperations"] == [{"op": "replace", "path": "/~1pets~1{petId}/DELETE/logging/dataTrace", "value": "false"}]
    # The JSON form: the shorthand cannot hold the braces of {petId} (awscli: "Expected: ',', received: '}'").
    assert trace["fix"] == ("aws apigateway update-stage --rest-api-id API_ID --stage-name prod --patch-operations "
                            """'{"op":"replace","path":"/~1pets~1{petId}/DELETE/logging/dataTrace","value":"false"}'""")
    passing = by_id(data)["APIGateway.1"]
    assert (passing["status"], passing["findings"], passing["fix"], passing["patchOperations"]) == ("pass", [], None, [])
    assert yaml.safe_load(invoke("check", "-f", EXAMPLE, "-o", "yaml").stdout)["checks"][6]["status"] == "fail"


def test_ignore_makes_it_pass(invoke):
    result = invoke("check", "-f", EXAMPLE, "--ignore", "stage.1", "-o", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["passed"] is True
    assert by_id(data)["STAGE.1"]["status"] == "ignored"
    table = invoke("check", "-f", EXAMPLE, "-i", "STAGE.1")
    assert table.exit_code == 0
    assert " ".join(table.stdout.strip().splitlines()[-2:]) == (
        "11 passed · 0 failed · 5 not applicable · 1 not evaluated · 1 informational finding · 1 ignored")


def test_unknown_ignore_is_usage_error(invoke):
    result = invoke("check", "-f", EXAMPLE, "--ignore", "APIGateway.7")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("stage: error: no check 'APIGateway.7' (checks: APIGateway.1, APIGateway.2,")


def test_a_bare_stage_fails_every_control(invoke, tmp_path):
    doc = {"stageName": "bare", "deploymentId": "d1"}
    result, data = check_json(invoke, doc, tmp_path)
    assert result.exit_code == 1
    status = {c["id"]: c["status"] for c in data["checks"]}
    # Nothing set: logging OFF, no X-Ray/WAF/access logs, no throttling; no cache or canary. The
    # certificate matters only for HTTP backends, unknown from a file: not evaluated, not passed.
    assert [i for i, s in status.items() if s == "fail"] == [
        "APIGateway.1", "APIGateway.3", "APIGateway.4", "Config.AccessLogs", "STAGE.4"]
    assert status["APIGateway.2"] == "not_evaluated"
    checks = by_id(data)
    # Issue 22: no methodSettings at all is "logging not enabled" in AWS Config's words.
    assert checks["APIGateway.1"]["findings"] == [
        {"where": "stage defaults (*/*)", "reason": "no method settings: execution logging is not enabled"}]
    assert checks["APIGateway.3"]["patchOperations"] == [{"op": "replace", "path": "/tracingEnabled", "value": "true"}]
    assert checks["APIGateway.4"]["fix"] == ("aws wafv2 associate-web-acl --web-acl-arn ACL_ARN --resource-arn "
                                             "arn:aws:apigateway:REGION::/restapis/API_ID/stages/bare")
    assert checks["APIGateway.2"]["fix"] is None
    assert checks["STAGE.4"]["patchOperations"] == [
        {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "RATE"},
        {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "BURST"},
    ]


def test_each_entry_is_judged_on_its_own_settings(invoke, tmp_path):
    """An entry is self-contained: a field it lacks is the service default, not the */* value."""
    settings = {
        "*/*": {"loggingLevel": "OFF", "cachingEnabled": True, "cacheDataEncrypted": False,
                "requireAuthorizationForCacheControl": False},
        "~1a/GET": {"loggingLevel": "OFF", "cachingEnabled": True, "cacheDataEncrypted": False},
        "~1b/GET": {"loggingLevel": "OFF"},
        "~1c/GET": {"loggingLevel": "INFO", "cacheDataEncrypted": True},
    }
    _, data = check_json(invoke, {"stageName": "s", "methodSettings": settings}, tmp_path)
    checks = by_id(data)
    assert checks["APIGateway.1"]["findings"] == [
        {"where": "stage defaults (*/*)", "reason": "execution logging OFF (applies to every method without an entry)"},
        {"where": "GET /a", "reason": "execution logging OFF"}, {"where": "GET /b", "reason": "execution logging OFF"}]
    assert [op["path"] for op in checks["APIGateway.1"]["patchOperations"]] == [
        "/*/*/logging/loglevel", "/~1a/GET/logging/loglevel", "/~1b/GET/logging/loglevel"]
    # GET /b and GET /c have no cachingEnabled: caching is off for them (service default).
    assert checks["APIGateway.5"]["findings"] == [
        {"where": "stage defaults (*/*)", "reason": "caching on, cache data not encrypted (applies to every method without an entry)"},
        {"where": "GET /a", "reason": "caching on, cache data not encrypted"}]
    # GET /a caches but has no requireAuthorizationForCacheControl: the service default (true) applies.
    assert checks["STAGE.2"]["findings"] == [{"where": "stage defaults (*/*)", "reason":
        "caching on and any caller can flush it (Cache-Control: max-age=0) (applies to every method without an entry)"}]


def test_a_method_overriding_good_defaults_is_named(invoke, tmp_path):
    settings = {"*/*": {"loggingLevel": "ERROR", "throttlingRateLimit": 10.0},
                "~1pets/POST": {"loggingLevel": "OFF"},
                "~1pets/GET": {"loggingLevel": "INFO", "cachingEnabled": True, "cacheDataEncrypted": False}}
    _, data = check_json(invoke, {"stageName": "s", "methodSettings": settings}, tmp_path)
    checks = by_id(data)
    assert checks["APIGateway.1"]["findings"] == [{"where": "POST /pets", "reason": "execution logging OFF"}]
    assert checks["APIGateway.1"]["patchOperations"] == [{"op": "replace", "path": "/~1pets/POST/logging/loglevel", "value": "ERROR"}]
    assert checks["APIGateway.5"]["findings"] == [{"where": "GET /pets", "reason": "caching on, cache data not encrypted"}]
    assert checks["STAGE.4"]["status"] == "pass"


PROMOTE = [{"op": "copy", "from": "/canarySettings/deploymentId", "path": "/deploymentId"},
           {"op": "copy", "from": "/canarySettings/stageVariableOverrides", "path": "/variables"}]


@pytest.mark.parametrize("percent, overrides, ops", [
    (0, True, [{"op": "remove", "path": "/canarySettings"}]),
    # Promotion as the developer guide's "Promote a canary release" does it: the canary's variable
    # overrides go with its deployment, or the stage would serve it with the old variables.
    (100, True, [*PROMOTE, {"op": "remove", "path": "/canarySettings"}]),
    (100, False, [PROMOTE[0], {"op": "remove", "path": "/canarySettings"}]),
])
def test_canary_left_behind(invoke, tmp_path, percent, overrides, ops):
    doc = wire_stage()
    doc["canarySettings"]["percentTraffic"] = percent
    if not overrides:
        doc["canarySettings"].pop("stageVariableOverrides", None)
    else:
        assert doc["canarySettings"]["stageVariableOverrides"]
    _, data = check_json(invoke, doc, tmp_path)
    canary = by_id(data)["STAGE.3"]
    assert canary["status"] == "fail"
    assert canary["patchOperations"] == ops
    assert f"canary gets {percent}% of traffic" in canary["findings"][0]["reason"]


def test_check_on_moto_uses_the_resolved_id(invoke, fleet):
    result = invoke("check", "inventory", "prod", "--endpoint-url", fleet["endpoint"], "--region", "us-west-2", "-o", "json")
    assert result.exit_code == 1, result.stderr
    checks = by_id(json.loads(result.stdout))
    assert checks["APIGateway.3"]["status"] == "pass"  # X-Ray on
    # The dataTrace patch made an entry for GET /items without loggingLevel: it logs nothing,
    # whatever */* says (update-stage.rst example 1; moto answers the same way).
    assert checks["APIGateway.1"]["findings"] == [{"where": "GET /items", "reason": "execution logging OFF"}]
    assert checks["STAGE.4"]["status"] == "pass"  # rate limit 100 on */*
    assert checks["STAGE.1"]["findings"][0]["where"] == "GET /items"
    assert f"--rest-api-id {fleet['inventory']} --stage-name prod" in checks["STAGE.1"]["fix"]


def test_data_trace_under_logging_off_says_nothing_is_written_yet(invoke):
    """update-stage.rst example 2: */* with dataTraceEnabled and no loggingLevel (OFF)."""
    doc = {"stageName": "prod", "methodSettings": {"*/*": {"dataTraceEnabled": True},
                                                   "~1pets/GET": {"dataTraceEnabled": True, "loggingLevel": "INFO"}}}
    data = json.loads(invoke("check", "-f", "-", "-o", "json", input=json.dumps(doc)).stdout)
    trace = by_id(data)["STAGE.1"]
    assert trace["status"] == "fail"
    assert trace["findings"] == [
        {"where": "stage defaults (*/*)", "reason": "data trace on: logging is OFF, so nothing is written yet; full "
         "requests and responses go to CloudWatch Logs once it is on (applies to every method without an entry)"},
        {"where": "GET /pets", "reason": "data trace on: full requests and responses go to CloudWatch Logs"}]
