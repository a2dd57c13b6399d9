"""Verdicts true to the real service (issue 9): method settings as API Gateway applies them, the
deployed methods from the stage's export, checks as AWS evaluates them, fixes the AWS CLI parses."""

import json
import re

import pytest

from tests.docs import wire_stage
from tests.fidelity import API, PETSTORE, ExportServer, aws_cli_parses, cli_examples, export, joined, serve_petstore
from tests.wire import error


@pytest.fixture
def served():
    server = ExportServer()
    server.start()
    yield server
    server.stop()


def effective_json(invoke, doc, *extra):
    result = invoke("settings", "-e", "-f", "-", "-o", "json", *extra, input=json.dumps(doc))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def applied(data, key):
    settings = data["stageDefaults"] if key == "*/*" else next(m for m in data["methods"] if m["key"] == key)["settings"]
    return {field: (v["value"], v["source"]) for field, v in settings.items()}


# --- The model, on the AWS CLI's real answers -------------------------------------------------

def test_cli_example_get_stage_console_entry_repeats_the_stage_values(invoke):
    """get-stage.rst: the console copied */* (INFO, 500/1000) into ~1resource/GET."""
    (doc,) = cli_examples("get-stage")
    data = effective_json(invoke, doc)
    expected = {"loggingLevel": "INFO", "throttlingRateLimit": 500.0, "throttlingBurstLimit": 1000,
                "cachingEnabled": False, "cacheTtlInSeconds": 300, "cacheDataEncrypted": False,
                "requireAuthorizationForCacheControl": True,
                "unauthorizedCacheControlHeaderStrategy": "SUCCEED_WITH_RESPONSE_HEADER"}
    defaults, method = applied(data, "*/*"), applied(data, "~1resource/GET")
    assert {f: defaults[f] for f in expected} == {f: (v, "stage") for f, v in expected.items()}
    assert {f: method[f] for f in expected} == {f: (v, "method") for f, v in expected.items()}


def test_cli_example_get_stages_older_entry_lacks_the_cache_control_fields(invoke):
    """get-stages.rst: an entry without requireAuthorizationForCacheControl and the strategy, no */*."""
    (answer,) = cli_examples("get-stages")
    (doc,) = answer["item"]
    data = effective_json(invoke, doc)
    post = applied(data, "~1resource~1subresource/POST")
    assert post["loggingLevel"] == ("INFO", "method")
    assert post["dataTraceEnabled"] == (True, "method")
    assert (post["throttlingRateLimit"], post["throttlingBurstLimit"]) == ((500.0, "method"), (1000, "method"))
    assert (post["cachingEnabled"], post["cacheTtlInSeconds"]) == ((False, "method"), (300, "method"))
    assert post["requireAuthorizationForCacheControl"] == (True, "service")
    assert post["unauthorizedCacheControlHeaderStrategy"] == ("SUCCEED_WITH_RESPONSE_HEADER", "service")
    defaults = applied(data, "*/*")
    assert defaults["loggingLevel"] == ("OFF", "service")
    assert defaults["throttlingRateLimit"] == (None, "service")


def test_cli_example_update_stage_entries_without_logging_level_log_nothing(invoke):
    """update-stage.rst: a patched entry gets the service's 10000/5000 and no loggingLevel (OFF)."""
    first, second = cli_examples("update-stage")
    method = applied(effective_json(invoke, first), "~1resourceName/GET")
    assert method["loggingLevel"] == ("OFF", "service")
    assert (method["throttlingRateLimit"], method["throttlingBurstLimit"]) == ((10000.0, "method"), (5000, "method"))
    assert (method["cachingEnabled"], method["cacheTtlInSeconds"], method["cacheDataEncrypted"]) == (
        (False, "method"), (300, "method"), (False, "method"))
    defaults = applied(effective_json(invoke, second), "*/*")
    assert defaults["loggingLevel"] == ("OFF", "service")
    assert defaults["dataTraceEnabled"] == (True, "stage")
    assert (defaults["throttlingRateLimit"], defaults["throttlingBurstLimit"]) == ((10000.0, "stage"), (5000, "stage"))


def test_cli_example_create_stage_has_no_answer_to_learn_from():
    """create-stage.rst shows commands only: nothing to assert about settings, and we say so."""
    assert cli_examples("create-stage") == []


def test_entry_without_logging_level_fails_apigateway_1_under_error_defaults(invoke):
    doc = {"stageName": "prod", "methodSettings": {
        "*/*": {"loggingLevel": "ERROR", "throttlingRateLimit": 100.0},
        "~1pets/GET": {"cachingEnabled": False, "throttlingRateLimit": 100.0}}}
    result = invoke("check", "-f", "-", "-o", "json", input=json.dumps(doc))
    checks = {c["id"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["APIGateway.1"]["status"] == "fail"
    assert checks["APIGateway.1"]["findings"] == [{"where": "GET /pets", "reason": "execution logging OFF"}]
    assert checks["APIGateway.1"]["patchOperations"] == [
        {"op": "replace", "path": "/~1pets/GET/logging/loglevel", "value": "ERROR"}]
    tree = invoke("settings", "-f", "-", input=json.dumps(doc)).stdout
    assert "Logging  OFF  stage default: ERROR · absent from the entry" in tree


# --- Deployed methods ---------------------------------------------------------------------------

def test_check_reads_the_deployed_methods_from_the_export(invoke, served):
    serve_petstore(served)
    result = invoke("check", API, "prod", "--endpoint-url", served.url, "-o", "json")
    data = json.loads(result.stdout)
    assert data["deployedMethods"] == {"source": "export", "count": 8,
                                       # the canary (p8r3vz) serves a deployment no call reads
                                       "note": "from the stage's export (GetExport oas30); not those of the "
                                               "canary's deployment p8r3vz"}
    assert served.requests == [f"/restapis/{API}/stages/prod",
                               f"/restapis/{API}/stages/prod/exports/oas30?extensions=integrations%2Cauthorizers",
                               "/account"]  # issue 23: the limits checks; this stub has none (404), so N/A
    assert served.headers[1]["Accept"] == "application/json"
    checks = {c["id"]: c for c in data["checks"]}
    # Two methods with HTTP backends, and the stage has a certificate.
    assert checks["APIGateway.2"]["status"] == "pass"
    assert checks["STAGE.6"]["status"] == "info"
    assert checks["STAGE.6"]["findings"] == [
        {"where": "GET /", "reason": "authorization NONE and no API key: anyone can call it"},
        {"where": "GET /health", "reason": "authorization NONE and no API key: anyone can call it"},
        {"where": "GET /pets/{petId}", "reason": "authorization NONE and no API key: anyone can call it"}]
    # Only STAGE.1 fails: informational findings do not change the exit status.
    assert [c["id"] for c in data["checks"] if c["status"] == "fail"] == ["STAGE.1"]
    assert result.exit_code == 1


def test_stage_defaults_and_stale_entries_are_judged_even_when_no_deployed_method_uses_them(invoke, served):
    """AWS Config judges the stage's methodSettings (its configuration item has no deployment):
    a */* that logs nothing fails though every deployed method has an entry of its own, and so
    does an entry for a method no longer deployed. Before, both passed once the export was read,
    and the same stage failed from a file."""
    served.stages[(API, "prod")] = wire_stage(methodSettings={
        "*/*": {"loggingLevel": "OFF"},
        "~1pets/GET": {"loggingLevel": "INFO"},
        "~1old/GET": {"loggingLevel": "OFF"}})
    served.exports[(API, "prod")] = export([("/pets", "GET", ["sigv4"], "AWS_PROXY")])
    live = json.loads(invoke("check", API, "prod", "--endpoint-url", served.url, "-o", "json").stdout)
    logging = next(c for c in live["checks"] if c["id"] == "APIGateway.1")
    assert logging["status"] == "fail"
    assert logging["findings"] == [
        {"where": "stage defaults (*/*)",
         "reason": "execution logging OFF (no deployed method follows it now; one deployed without an entry would)"},
        {"where": "GET /old", "reason": "execution logging OFF (an entry for a method not deployed on this stage)"}]
    from_file = json.loads(invoke("check", "-f", "-", "-o", "json",
                                  input=json.dumps(served.stages[(API, "prod")])).stdout)
    assert next(c for c in from_file["checks"] if c["id"] == "APIGateway.1")["patchOperations"] == \
        logging["patchOperations"]


@pytest.mark.parametrize("canary", [None, {"percentTraffic": 10.0, "deploymentId": "k2xq9d"}])
def test_no_canary_note_without_a_canary_of_another_deployment(invoke, served, canary):
    serve_petstore(served)
    served.stages[(API, "prod")]["canarySettings"] = canary
    if canary is None:
        del served.stages[(API, "prod")]["canarySettings"]
    assert served.stages[(API, "prod")]["deploymentId"] == "k2xq9d"
    data = json.loads(invoke("check", API, "prod", "--endpoint-url", served.url, "-o", "json").stdout)
    assert data["deployedMethods"]["note"] == "from the stage's export (GetExport oas30)"


def test_lambda_proxy_only_stage_is_not_applicable_for_apigateway_2(invoke, served):
    served.stages[(API, "prod")] = wire_stage(clientCertificateId=None)
    served.exports[(API, "prod")] = export([("/pets", "GET", ["sigv4"], "AWS_PROXY"),
                                            ("/pets", "POST", ["sigv4"], "AWS_PROXY")])
    data = json.loads(invoke("check", API, "prod", "--endpoint-url", served.url, "-o", "json").stdout)
    cert = next(c for c in data["checks"] if c["id"] == "APIGateway.2")
    assert (cert["status"], cert["fix"]) == ("not_applicable", None)
    assert cert["note"] == "no deployed method has an HTTP or HTTP_PROXY integration"
    table = invoke("check", API, "prod", "--endpoint-url", served.url).stdout
    assert re.search(r"APIGateway\.2 +│? *not_applicable", table)  # issue 19 item 11: the json word (was N/A)
    assert "6 not applicable" in table.splitlines()[-1]  # APIGateway.5 (nothing caches, issue 22), STAGE.20-23 (no GetAccount here)


def test_http_integration_without_certificate_fails_apigateway_2(invoke, served):
    served.stages[(API, "prod")] = wire_stage(clientCertificateId=None)
    served.exports[(API, "prod")] = export([("/pets", "GET", [], "HTTP"), ("/pets", "POST", ["sigv4"], "AWS_PROXY")])
    result = invoke("check", API, "prod", "--endpoint-url", served.url, "--region", "eu-west-1", "-o", "json")
    assert result.exit_code == 1
    cert = next(c for c in json.loads(result.stdout)["checks"] if c["id"] == "APIGateway.2")
    assert cert["status"] == "fail"
    assert cert["findings"] == [{"where": "stage", "reason": "no client certificate (HTTP backends: GET /pets)"}]
    first, second = cert["fix"].splitlines()
    assert aws_cli_parses(first) == {"description": f"backend authentication of {API} prod"}
    assert aws_cli_parses(second)["patchOperations"] == [
        {"op": "replace", "path": "/clientCertificateId", "value": "CERTIFICATE_ID"}]


def test_certificate_ids_parameter(invoke, served):
    serve_petstore(served)
    args = ("check", API, "prod", "--endpoint-url", served.url, "-o", "json")
    ok = json.loads(invoke(*args, "--param", "CertificateIDs=h7n2pq,other").stdout)
    assert next(c for c in ok["checks"] if c["id"] == "APIGateway.2")["status"] == "pass"
    other = json.loads(invoke(*args, "--param", "CertificateIDs=zzz").stdout)
    cert = next(c for c in other["checks"] if c["id"] == "APIGateway.2")
    assert cert["status"] == "fail"
    assert cert["findings"][0]["reason"].startswith("client certificate h7n2pq is not one of CertificateIDs")
    assert cert["fixCommands"] == [["aws", "apigateway", "update-stage", "--rest-api-id", API, "--stage-name", "prod",
                                    "--region", "us-east-1", "--patch-operations",
                                    '{"op":"replace","path":"/clientCertificateId","value":"zzz"}']]
    assert other["parameters"] == {"CertificateIDs": ["zzz"]}


def test_export_without_json_models_falls_back_to_the_deployment(invoke, served):
    serve_petstore(served)
    served.exports[(API, "prod")] = error(400, "BadRequestException", "JSON body models are not found")
    served.deployments[(API, "k2xq9d")] = {"id": "k2xq9d", "createdDate": 1700000000, "apiSummary": {
        "/pets": {"GET": {"authorizationType": "NONE", "apiKeyRequired": False},
                  "POST": {"authorizationType": "AWS_IAM", "apiKeyRequired": False}}}}
    served.stages[(API, "prod")]["clientCertificateId"] = None
    result = invoke("check", API, "prod", "--endpoint-url", served.url, "-o", "json")
    data = json.loads(result.stdout)
    assert served.requests[-2:] == [f"/restapis/{API}/deployments/k2xq9d?embed=apisummary", "/account"]
    assert data["deployedMethods"]["source"] == "deployment"
    assert data["deployedMethods"]["note"] == (
        "GetExport failed: rejected by API Gateway: JSON body models are not found; methods from the "
        "deployment's API summary (GetDeployment), integrations unknown; not those of the canary's deployment p8r3vz")
    checks = {c["id"]: c for c in data["checks"]}
    # Integrations unknown: APIGateway.2 is not guessed; open methods come from the summary.
    assert checks["APIGateway.2"]["status"] == "not_evaluated"
    assert checks["STAGE.6"]["findings"] == [{"where": "GET /pets", "reason": "authorization NONE and no API key: anyone can call it"}]
    assert data["passed"] is False and result.exit_code == 1
    table = invoke("check", API, "prod", "--endpoint-url", served.url).stdout
    assert re.search(r"APIGateway\.2 +│? *not_evaluated", table)  # issue 19 item 11: the json word (was UNKNOWN)
    assert "JSON body models are not found" in " ".join(table.split())


def test_export_and_deployment_both_fail_methods_unknown(invoke, served):
    serve_petstore(served)
    served.exports[(API, "prod")] = error(403, "AccessDeniedException", "not allowed to export")
    result = invoke("check", API, "prod", "--endpoint-url", served.url, "-o", "json")
    data = json.loads(result.stdout)
    assert data["deployedMethods"]["source"] is None and data["deployedMethods"]["count"] is None
    assert "GetExport failed: not authorised: not allowed to export" in data["deployedMethods"]["note"]
    assert "GetDeployment failed" in data["deployedMethods"]["note"]
    assert {c["id"]: c["status"] for c in data["checks"]}["STAGE.6"] == "not_evaluated"


def test_file_says_the_deployed_methods_are_unknown(invoke):
    doc = wire_stage(clientCertificateId=None)
    result = invoke("check", "-f", "-", "-o", "json", input=json.dumps(doc))
    data = json.loads(result.stdout)
    assert data["deployedMethods"] == {"source": None, "count": None, "note":
                                       "read from a file; they come from the stage's export, so give API STAGE"}
    statuses = {c["id"]: c["status"] for c in data["checks"]}
    assert (statuses["APIGateway.2"], statuses["STAGE.6"]) == ("not_evaluated", "not_evaluated")
    assert data["passed"] is False
    tree = invoke("settings", "-e", "-a", "-f", "-", input=json.dumps(doc)).stdout
    assert "Deployed methods unknown: read from a file" in tree
    listed = effective_json(invoke, doc, "--all-methods")
    assert listed["deployedMethods"]["source"] is None
    assert {m["deployed"] for m in listed["methods"]} == {None}


def test_settings_all_methods_lists_every_deployed_method(invoke, served):
    doc = serve_petstore(served)
    doc["methodSettings"]["~1old/GET"] = {"loggingLevel": "INFO"}  # an entry left from an earlier deployment
    data = json.loads(invoke("settings", API, "prod", "--all-methods", "--endpoint-url", served.url, "-o", "json").stdout)
    rows = {m["key"]: m for m in data["methods"]}
    assert len(rows) == 9  # the 8 deployed methods and the entry of one that is not deployed
    assert (rows["~1old/GET"]["hasEntry"], rows["~1old/GET"]["deployed"]) == (True, False)
    health = rows["~1health/GET"]
    assert (health["hasEntry"], health["deployed"], health["authorizationType"], health["integrationType"]) == (
        False, True, "NONE", "MOCK")
    assert health["settings"]["loggingLevel"] == {"value": "ERROR", "source": "stage"}
    pets = rows["~1pets/GET"]
    assert (pets["apiKeyRequired"], pets["integrationType"], pets["settings"]["cacheTtlInSeconds"]) == (
        True, "HTTP_PROXY", {"value": 60, "source": "method"})
    assert rows["~1pets/POST"]["authorizationType"] == "COGNITO_USER_POOLS"
    assert rows["~1pets~1{petId}~1photos/PUT"]["authorizationType"] == "CUSTOM"
    assert rows["~1pets~1{petId}/DELETE"]["authorizationType"] == "AWS_IAM"
    tree = invoke("settings", API, "prod", "-a", "--endpoint-url", served.url).stdout
    assert "GET  NONE · MOCK · no entry: follows the stage defaults" in tree
    assert "GET  NONE · API key · HTTP_PROXY" in tree
    assert "8 deployed methods, from the stage's export (GetExport oas30)" in tree
    assert "GET  not deployed on this stage" in tree


# --- Checks as AWS evaluates them ---------------------------------------------------------------

def test_logging_level_parameter_narrows_the_accepted_levels(invoke):
    doc = {"stageName": "prod", "methodSettings": {"*/*": {"loggingLevel": "ERROR"},
                                                   "~1pets/GET": {"loggingLevel": "INFO"}}}
    plain = json.loads(invoke("check", "-f", "-", "-o", "json", input=json.dumps(doc)).stdout)
    assert plain["checks"][0]["status"] == "pass"
    narrowed = json.loads(invoke("check", "-f", "-", "-o", "json", "-p", "loggingLevel=ERROR", input=json.dumps(doc)).stdout)
    assert narrowed["checks"][0]["findings"] == [{"where": "GET /pets", "reason": "execution logging INFO"}]
    bad = invoke("check", "-f", "-", "--param", "loggingLevel=DEBUG", input=json.dumps(doc))
    assert bad.exit_code == 2 and bad.stderr.startswith("stage: error: loggingLevel takes ERROR and/or INFO")
    unknown = invoke("check", "-f", "-", "--param", "colour=red", input=json.dumps(doc))
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("stage: error: no rule parameter 'colour=red' (parameters: CertificateIDs, WebAclArns, loggingLevel")


def test_waf_fix_names_the_region_and_web_acl_arns(invoke, served):
    serve_petstore(served, webAclArn=None)
    result = invoke("check", API, "prod", "--endpoint-url", served.url, "--region", "eu-west-1", "-o", "json")
    waf = next(c for c in json.loads(result.stdout)["checks"] if c["id"] == "APIGateway.4")
    assert waf["fix"] == ("aws wafv2 associate-web-acl --web-acl-arn ACL_ARN --resource-arn "
                          f"arn:aws:apigateway:eu-west-1::/restapis/{API}/stages/prod --region eu-west-1")
    assert aws_cli_parses(waf["fix"]) == {"WebACLArn": "ACL_ARN",
                                          "ResourceArn": f"arn:aws:apigateway:eu-west-1::/restapis/{API}/stages/prod"}
    acl = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/other/1"
    served.stages[(API, "prod")]["webAclArn"] = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/petstore-prod/3"
    wrong = invoke("check", API, "prod", "--endpoint-url", served.url, "--param", f"WebAclArns={acl}", "-o", "json")
    waf = next(c for c in json.loads(wrong.stdout)["checks"] if c["id"] == "APIGateway.4")
    assert waf["status"] == "fail" and f"--web-acl-arn {acl}" in waf["fix"]


def test_every_fix_is_one_quoted_command_the_aws_cli_parses(invoke):
    """A stage failing every check, with a stage name and paths that need quoting (13.5)."""
    doc = {"stageName": "p$(id)", "deploymentId": "d1", "variables": {"dbPassword": "hunter2hunter2",
           "key": "AKIAIOSFODNN7EXAMPLE"},
           "canarySettings": {"percentTraffic": 100.0, "deploymentId": "c1", "stageVariableOverrides": {"v": "2"}},
           "methodSettings": {"*/*": {"cachingEnabled": True, "dataTraceEnabled": True,
                                      "requireAuthorizationForCacheControl": False},
                              "~1pets~1{petId}/GET": {"cachingEnabled": True, "dataTraceEnabled": True,
                                                      "requireAuthorizationForCacheControl": False}}}
    data = json.loads(invoke("check", "-f", "-", "-o", "json", input=json.dumps(doc)).stdout)
    failed = [c for c in data["checks"] if c["status"] == "fail"]
    # APIGateway.2 needs the deployed methods (not in a file); its fix is parsed in the HTTP test.
    assert {c["id"] for c in failed} == {"APIGateway.1", "APIGateway.3", "APIGateway.4", "APIGateway.5",
                                         "Config.AccessLogs", "STAGE.1", "STAGE.2", "STAGE.3", "STAGE.4", "STAGE.5"}
    for check in failed:
        for line, words in zip(check["fix"].splitlines(), check["fixCommands"], strict=True):
            params = aws_cli_parses(line)
            if "update-stage" in words:
                assert params["stageName"] == "p$(id)"
                assert params["patchOperations"] == check["patchOperations"]
    waf = next(c for c in failed if c["id"] == "APIGateway.4")
    assert "'arn:aws:apigateway:REGION::/restapis/API_ID/stages/p$(id)'" in waf["fix"]
    table = invoke("check", "-f", "-", input=json.dumps(doc), env={"COLUMNS": "100"}).stdout
    fixes = table[table.index("To fix"):]
    assert joined(fixes) == [line for c in failed for line in c["fix"].splitlines()]


def test_secrets_are_found_and_never_printed(invoke):
    secret = "AKIAIOSFODNN7EXAMPLE"
    doc = wire_stage(variables={"awsKey": secret, "dbUrl": "postgres://app:s3cr3tpass@db.internal:5432/pets",
                                "apiToken": "tok-12345678", "region": "eu-west-1", "tokenSecretArn":
                                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pets"})
    doc["canarySettings"]["stageVariableOverrides"]["hmac"] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    for fmt in ("json", "table", "yaml"):
        result = invoke("check", "-f", "-", "-o", fmt, input=json.dumps(doc))
        for value in (secret, "s3cr3tpass", "tok-12345678", "9f86d081884c7d659a2f"):
            assert value not in result.stdout + result.stderr
    data = json.loads(invoke("check", "-f", "-", "-o", "json", input=json.dumps(doc)).stdout)
    found = next(c for c in data["checks"] if c["id"] == "STAGE.5")
    assert (found["status"], found["severity"]) == ("fail", "high")
    assert found["findings"] == [
        {"where": "variable awsKey", "reason": "value looks like an AWS access key id"},
        {"where": "variable dbUrl", "reason": "value looks like a password in a URL"},
        {"where": "variable apiToken", "reason": "named like a secret and holds a value, not a reference to where it is kept"},
        {"where": "canary variable hmac", "reason": "value is a long random-looking hex string"}]
    assert found["patchOperations"][-1] == {"op": "remove", "path": "/canarySettings/stageVariableOverrides/hmac"}


def test_access_logging_is_aws_configs_rule_and_keeps_its_former_id(invoke):
    doc = wire_stage(accessLogSettings=None)
    data = json.loads(invoke("check", "-f", "-", "-o", "json", input=json.dumps(doc)).stdout)
    logs = next(c for c in data["checks"] if c["id"] == "Config.AccessLogs")
    assert (logs["source"], logs["status"], logs["severity"]) == ("AWS Config", "fail", "medium")
    assert "apigateway-stage-access-logs-enabled" in logs["title"]
    ignored = json.loads(invoke("check", "-f", "-", "-o", "json", "--ignore", "APIGateway.9", input=json.dumps(doc)).stdout)
    assert next(c for c in ignored["checks"] if c["id"] == "Config.AccessLogs")["status"] == "ignored"


def test_severities_are_aws_own(invoke):
    data = json.loads(invoke("check", "-f", "-", "-o", "json", input=json.dumps(wire_stage())).stdout)
    severity = {c["id"]: c["severity"] for c in data["checks"]}
    assert severity == {"APIGateway.1": "medium", "APIGateway.2": "medium", "APIGateway.3": "low",
                        "APIGateway.4": "medium", "APIGateway.5": "medium", "Config.AccessLogs": "medium",
                        "STAGE.1": "medium", "STAGE.2": "medium", "STAGE.3": "low", "STAGE.4": "low",
                        "STAGE.5": "high", "STAGE.6": "informational",
                        "STAGE.20": "medium", "STAGE.21": "low", "STAGE.22": "low", "STAGE.23": "low",  # ours, issue 23
                        # issue 22: Config's stricter cache rule as information; ours beside AWS's verdicts
                        "Config.Caching": "informational", "STAGE.7": "medium", "STAGE.8": "medium"}


def test_petstore_export_methods_match_the_fixture():
    from apigw_stage.model import deployed

    found = deployed.from_export(export(PETSTORE))
    assert [(m.label, m.authorization, m.api_key_required, m.integration) for m in found.methods] == [
        ("GET /", "NONE", False, "MOCK"), ("GET /health", "NONE", False, "MOCK"),
        ("GET /pets", "NONE", True, "HTTP_PROXY"), ("OPTIONS /pets", "NONE", False, "MOCK"),
        ("POST /pets", "COGNITO_USER_POOLS", False, "AWS_PROXY"), ("DELETE /pets/{petId}", "AWS_IAM", False, "AWS_PROXY"),
        ("GET /pets/{petId}", "NONE", False, "HTTP"), ("PUT /pets/{petId}/photos", "CUSTOM", False, "AWS")]
    with pytest.raises(deployed.ExportError):
        deployed.from_export({"swagger": "2.0", "paths": {}})  # what moto answers for oas30


# --- Any value anywhere, hostile text anywhere, any width --------------------------------------

ODD_VALUES = [[], {}, ["x"], {"a": 1}, "text", 7, -1, 2.5, True, False, None]
UNSAFE = ["\x1b", "\x07", "\u202e", "\x9b", "\u200b"]


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_any_value_in_any_setting_is_shown_not_a_crash(invoke, value):
    """12.2: `unauthorizedCacheControlHeaderStrategy: []` was exit 70 (an unhashable dict key)."""
    from apigw_stage.model import methods

    entry = {field: value for field in methods.FIELD_NAMES} | {"futureField": value}
    doc = {"stageName": "prod", "methodSettings": {"*/*": entry, "~1a/GET": entry, "~1b/POST": value,
                                                   "odd key": {"loggingLevel": value}}}
    for args in (("settings",), ("settings", "-e"), ("settings", "-e", "-o", "json"), ("check",), ("check", "-o", "json")):
        result = invoke(*args, "-f", "-", input=json.dumps(doc))
        assert result.exit_code in (0, 1, 2), (args, result.stderr)
        assert "internal error" not in result.stderr
        if result.exit_code == 2:  # rejected as bad input, in one line
            assert result.stderr.count("\n") == 1


HOSTILE_KEY = "~1a/\x1b]0;PWNED\x1b\\\x1b[2JGET"
HOSTILE_FIELD = "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\\u202e"


@pytest.mark.parametrize("args", [("settings",), ("settings", "-e"), ("check",)])
def test_service_text_never_reaches_the_terminal_raw(invoke, args):
    """13.2: the method part of a key, field names and values, odd keys, */* unknown fields."""
    entry = {"loggingLevel": "\x1b[31mERR\u202e", HOSTILE_FIELD: "\x07v\x9b", "dataTraceEnabled": True}
    doc = {"stageName": "prod", "methodSettings": {
        "*/*": {"loggingLevel": "OFF", HOSTILE_FIELD: "\x1b[2J"}, HOSTILE_KEY: entry,
        "~1\u202epets/GET": entry, "odd\x1b[2J/key/\x07": entry, "\x1b]0;x\x07": entry},
        "variables": {"tok\x1b[2Jen": "AKIAIOSFODNN7EXAMPLE"}}
    result = invoke(*args, "-f", "-", input=json.dumps(doc), env={"COLUMNS": "200"})
    assert result.exit_code in (0, 1), result.stderr
    for char in UNSAFE:
        assert char not in result.stdout, (args, repr(char))
    assert "\\e]0;PWNED\\e\\\\e[2JGET" in result.stdout  # the method part, shown escaped
    assert "\\e]8;;http://evil.example" in result.stdout or args == ("check",)


TREE_WORDS = ["/pets/{petId}/photos", "/pets/{petId}", "/health", "DELETE", "OPTIONS", "HTTP_PROXY", "AWS_PROXY",
              "COGNITO_USER_POOLS", "AWS_IAM", "stage defaults (*/*)", "method entry", "account limit"]
CHECK_WORDS = ["APIGateway.1", "APIGateway.2", "APIGateway.4", "Config.AccessLogs", "STAGE.6", "fail", "info",
               "POST /pets", "GET /pets/{petId}", "GET /health"]


@pytest.mark.parametrize("columns", [60, 80, 100, 160])
def test_widths_never_split_an_identifier_or_a_fix(invoke, served, columns):
    """12.5: fixes broken only between words with a continuation, and equal to the json `fix`."""
    serve_petstore(served, clientCertificateId=None, webAclArn=None)
    served.stages[(API, "prod")]["methodSettings"]["~1pets/POST"]["loggingLevel"] = "OFF"
    env = {"COLUMNS": str(columns)}
    base = (API, "prod", "--endpoint-url", served.url, "--region", "eu-west-1")
    check = invoke("check", *base, env=env)
    data = json.loads(invoke("check", *base, "-o", "json").stdout)
    fixes = check.stdout[check.stdout.index("To fix"):]
    assert joined(fixes) == [line for c in data["checks"] if c["fix"] for line in c["fix"].splitlines()]
    assert len(joined(fixes)) == 5  # APIGateway.1, .2 (two commands), .4, STAGE.1
    for line in fixes.splitlines():
        # Only a word wider than the terminal makes a line wider, and then it is alone on its line.
        assert len(line) <= columns or len(line.strip().removesuffix(" \\").split()) == 1, (columns, line)
    for word in CHECK_WORDS:
        assert word in check.stdout, (columns, word)
    tree = invoke("settings", *base, "-e", "-a", env=env).stdout
    for word in TREE_WORDS:
        assert word in tree, (columns, word)
    assert max(len(line) for line in tree.splitlines()) <= columns


def test_singular_and_plural(invoke, served):
    doc = {"stageName": "prod", "methodSettings": {"*/*": {"loggingLevel": "ERROR"},
                                                   "~1a/GET": {"loggingLevel": "INFO"},
                                                   "~1b/GET": {"loggingLevel": "INFO", "metricsEnabled": True}}}
    tree = invoke("settings", "-f", "-", input=json.dumps(doc)).stdout
    assert "GET  overrides 1 setting\n" in tree and "GET  overrides 2 settings\n" in tree
    served.stages[(API, "one")] = wire_stage(stageName="one")
    served.exports[(API, "one")] = export([("/pets", "GET", ["sigv4"], "AWS_PROXY")])
    table = invoke("check", API, "one", "--endpoint-url", served.url).stdout
    assert "1 deployed method from the stage's export" in table
