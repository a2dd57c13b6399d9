"""HTTP and WebSocket (v2) APIs in the fleet scope (issue 11 with issue 10): list, check,
snapshot and diff DIR with no API read both families. The loopback fleet server
(tests/fleetwire.py) for GetApis/GetStages pages by nextToken, a v2-only denial and v2
throttling; moto (its apigatewayv2 CreateApi/CreateStage/GetApis/GetStages) for the real
HTTP path in an account of its own."""

import json
import os
import re

import boto3
import pytest

from tests.fleetwire import DENY, THROTTLE, FleetServer

REGION = "us-west-2"
WS_ROUTES = {"sendmessage": {"loggingLevel": "OFF"}}


@pytest.fixture
def server():
    fleet = FleetServer().start()
    fleet.retry_after = "0"
    fleet.add(REGION, "r3st000001", "orders", ("prod", "dev"))
    fleet.add_v2(REGION, "w5s0000001", "chat", "WEBSOCKET", ("live",),
                 defaultRouteSettings={"loggingLevel": "INFO", "dataTraceEnabled": False}, routeSettings=WS_ROUTES)
    fleet.add_v2(REGION, "h77p000001", "web", "HTTP", ("$default", "beta"), stageVariables={"table": "pets"})
    yield fleet
    fleet.stop()


def _scope(server, *args):
    return (*args, "--region", REGION, "--endpoint-url", server.url)


def test_list_reads_rest_and_v2_apis_each_row_with_its_api_type(invoke, server):
    server.v2_page_max = 1  # GetApis and GetStages follow nextToken
    result = invoke("list", *_scope(server, "-o", "json"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    rows = [(s["apiName"], s["restApiId"], s["apiType"], s["stage"]["stageName"]) for s in data["stages"]]
    assert rows == [("chat", "w5s0000001", "WEBSOCKET", "live"), ("orders", "r3st000001", "REST", "dev"),
                    ("orders", "r3st000001", "REST", "prod"), ("web", "h77p000001", "HTTP", "$default"),
                    ("web", "h77p000001", "HTTP", "beta")]
    web = data["stages"][3]["stage"]  # the v2 GetStage document, camelCase, RFC 3339 UTC
    assert web["stageVariables"] == {"table": "pets"} and web["autoDeploy"] is True
    assert web["lastUpdatedDate"] == "2023-11-14T23:13:20Z"
    assert data["errors"] == [] and data["skipped"] == []
    # Cost: the GetApis pages, then GetStages pages per v2 API; nothing per stage.
    v2 = sorted(p for _, p in server.requests if p.startswith("/v2/"))
    assert v2 == sorted(["/v2/apis", "/v2/apis?nextToken=1", "/v2/apis/w5s0000001/stages",
                         "/v2/apis/h77p000001/stages", "/v2/apis/h77p000001/stages?nextToken=1"])


def test_fleet_table_shows_v2_rows_with_dashes_for_rest_only_settings(invoke, server):
    result = invoke("list", *_scope(server, "--no-color"), env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.stderr
    [chat] = [line for line in result.stdout.splitlines() if "chat" in line]
    cells = [c.strip() for c in chat.split("│")]
    assert cells[2] == "chat w5s0000001 WEBSOCKET" and cells[3] == "live"
    # Canary, Cache, X-Ray, WAF: v2 stages have none; Logging: the default route's level.
    assert cells[6:10] == ["—", "—", "—", "—"] and cells[10] == "INFO" and cells[11] == "1"
    [orders] = [line for line in result.stdout.splitlines() if "prod" in line]
    assert [c.strip() for c in orders.split("│")][2] == "orders r3st000001"  # REST rows unmarked
    assert "Stages 5 stages in 3 APIs, 1 region" in result.stdout


def test_a_caller_denied_v2_gets_the_rest_stages_and_a_skip_not_an_error(invoke, server):
    server.v2_faults[REGION] = DENY
    result = invoke("list", *_scope(server, "-o", "json"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {s["apiType"] for s in data["stages"]} == {"REST"} and len(data["stages"]) == 2
    [skip] = data["skipped"]
    assert skip["region"] == REGION and skip["exitCode"] == 4
    assert skip["reason"].startswith("HTTP/WebSocket APIs not read: not authorised")
    assert "aws sso login" not in skip["reason"]  # the credentials work: REST answered
    assert data["errors"] == []
    table = invoke("list", *_scope(server, "--no-color"), env={"COLUMNS": "300"})
    assert table.exit_code == 0
    assert f"Skipped in {REGION} (profile default): HTTP/WebSocket APIs not read" in table.stdout


def test_v2_throttled_past_the_retries_is_incomplete_and_keeps_the_rest_stages(invoke, server):
    server.v2_faults[REGION] = THROTTLE
    result = invoke("list", *_scope(server, "-o", "json"))
    assert result.exit_code == 8, result.stderr  # not the one-region error: the REST part was read
    data = json.loads(result.stdout)
    assert [s["stage"]["stageName"] for s in data["stages"]] == ["dev", "prod"]
    [error] = data["errors"]
    assert error["reason"].startswith("HTTP/WebSocket APIs not read: ") and error["exitCode"] == 5
    assert result.stderr.startswith("stage: error: incomplete: 1 part of the scope not read")


def test_fleet_check_runs_each_stage_against_its_family_checks(invoke, server):
    result = invoke("check", *_scope(server, "-o", "json", "--ignore", "APIGateway.9"))
    assert result.exit_code == 1, result.stderr
    stages = {(s["apiName"], s["stage"]["stageName"]): s["checks"] for s in json.loads(result.stdout)["stages"]}
    statuses = {key: {c["id"]: c["status"] for c in value["checks"]} for key, value in stages.items()}
    # WebSocket: a route turns logging OFF (v2's APIGateway.1); HTTP: no execution logs to check.
    assert statuses[("chat", "live")]["APIGateway.1"] == "fail"
    assert statuses[("web", "beta")]["APIGateway.1"] == "not_applicable"
    assert statuses[("web", "beta")]["APIGateway.3"] == "not_applicable"  # no X-Ray on v2 stages
    # --ignore maps per family: v2's APIGateway.9, REST's Config.AccessLogs (its former id).
    assert statuses[("web", "beta")]["APIGateway.9"] == "ignored"
    assert statuses[("orders", "prod")]["Config.AccessLogs"] == "ignored"
    assert statuses[("orders", "prod")]["APIGateway.3"] == "fail"
    assert stages[("chat", "live")]["deployedMethods"] is None


def test_fleet_check_sarif_locates_v2_stages_by_their_own_arn(invoke, server):
    result = invoke("check", *_scope(server, "-o", "sarif"))
    assert result.exit_code == 1, result.stderr
    # Issue 21: the ARN is a logical location (GitHub takes only file URIs).
    uris = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
            for r in json.loads(result.stdout)["runs"][0]["results"]}
    assert f"arn:aws:apigateway:{REGION}::/apis/w5s0000001/stages/live" in uris
    assert f"arn:aws:apigateway:{REGION}::/restapis/r3st000001/stages/prod" in uris
    assert not any("/restapis/w5s" in uri or "/restapis/h77p" in uri for uri in uris)


def test_fleet_check_details_and_counts_name_both_families(invoke, server):
    result = invoke("check", *_scope(server, "--details", "--no-color"), env={"COLUMNS": "250"})
    assert result.exit_code == 1
    assert "chat (w5s0000001) WEBSOCKET" in result.stdout
    assert "HTTP or WebSocket API stage: routes, no deployed methods" in result.stdout
    # The counts table: one APIGateway.1 row naming REST's control and WebSocket's.
    [counts] = [line for line in result.stdout.splitlines()
                if line.lstrip().startswith("APIGateway.1 ") and "; " in line]
    assert re.search(r"APIGateway\.1\s+│\s+3\s+│", counts), counts  # chat live, orders prod and dev
    assert "WebSocket execution logging" in counts and "Execution logging" in counts


def _files(root):
    return sorted(os.path.relpath(os.path.join(d, n), root) for d, _, names in os.walk(root) for n in names
                  if not n.startswith("."))


def test_snapshot_writes_v2_stages_reads_them_back_and_diffs_like_with_like(invoke, server, tmp_path):
    tree = tmp_path / "fleet"
    first = invoke("snapshot", str(tree), *_scope(server))
    assert first.exit_code == 0, first.stderr
    account = "default"  # the profile: no account id without STS (--endpoint-url)
    assert _files(tree) == [f"{account}/{REGION}/chat--w5s0000001/live.json",
                            f"{account}/{REGION}/orders--r3st000001/dev.json",
                            f"{account}/{REGION}/orders--r3st000001/prod.json",
                            f"{account}/{REGION}/web--h77p000001/%24default.json",
                            f"{account}/{REGION}/web--h77p000001/beta.json"]
    saved = tree / account / REGION / "web--h77p000001" / "beta.json"
    assert json.loads(saved.read_text())["stageVariables"] == {"table": "pets"}
    shown = invoke("vars", "--file", str(saved), "-o", "json")  # read back as a v2 stage
    assert (shown.exit_code, json.loads(shown.stdout)) == (0, {"table": "pets"})
    same = invoke("diff", str(tree), *_scope(server))
    assert same.exit_code == 0, same.stdout + same.stderr
    server.v2_stages[(REGION, "h77p000001")][1]["stageVariables"] = {"table": "pets-v2"}
    changed = invoke("diff", str(tree), *_scope(server, "-o", "json"))
    assert changed.exit_code == 1
    data = json.loads(changed.stdout)
    assert data["added"] == [] and data["removed"] == []
    [entry] = data["changed"]
    assert (entry["restApiId"], entry["stage"]) == ("h77p000001", "beta")
    assert [(c["path"], c["left"], c["right"]) for c in entry["changes"]] == [
        (["stageVariables", "table"], "pets", "pets-v2")]


def test_a_snapshot_without_v2_rights_keeps_the_v2_files_and_replaces_the_rest(invoke, server, tmp_path):
    tree = tmp_path / "fleet"
    assert invoke("snapshot", str(tree), *_scope(server)).exit_code == 0
    server.v2_faults[REGION] = DENY
    server.stages[(REGION, "r3st000001")].pop()  # REST stage dev deleted
    again = invoke("snapshot", str(tree), *_scope(server))
    assert again.exit_code == 0, again.stderr
    files = _files(tree)
    assert "default/us-west-2/orders--r3st000001/dev.json" not in files
    assert "default/us-west-2/chat--w5s0000001/live.json" in files  # not read: kept
    assert "default/us-west-2/web--h77p000001/beta.json" in files
    # Against the live fleet, the unread v2 stages are neither removed nor unchanged.
    compared = invoke("diff", str(tree), *_scope(server, "-o", "json"))
    assert compared.exit_code == 0, compared.stdout
    data = json.loads(compared.stdout)
    assert (data["added"], data["removed"], data["changed"], data["errors"]) == ([], [], [], [])
    assert [s["reason"].split(":")[0] for s in data["skipped"]] == ["HTTP/WebSocket APIs not read"]
    # The table says so after the comparison, as list does.
    table = invoke("diff", str(tree), *_scope(server, "--no-color"), env={"COLUMNS": "200"}).stdout
    assert table.startswith("No differences between")
    assert f"Skipped in {REGION} (profile default): HTTP/WebSocket APIs not read" in table


def test_a_caller_denied_rest_but_allowed_v2_gets_the_v2_stages_and_the_rest_part_skipped(invoke, server, tmp_path):
    tree = tmp_path / "fleet"
    assert invoke("snapshot", str(tree), *_scope(server)).exit_code == 0
    server.rest_faults[REGION] = DENY
    result = invoke("list", *_scope(server, "-o", "json"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {s["apiType"] for s in data["stages"]} == {"HTTP", "WEBSOCKET"} and len(data["stages"]) == 3
    [skip] = data["skipped"]
    assert skip["region"] == REGION and skip["exitCode"] == 4
    assert skip["reason"].startswith("REST APIs not read: not authorised")
    assert "aws sso login" not in skip["reason"]  # the credentials work: GetApis answered
    assert data["errors"] == []
    # The snapshot keeps the REST files it could not read and still drops a deleted v2 stage.
    server.v2_stages[(REGION, "h77p000001")].pop()  # v2 stage beta deleted
    again = invoke("snapshot", str(tree), *_scope(server))
    assert again.exit_code == 0, again.stderr
    files = _files(tree)
    assert "default/us-west-2/orders--r3st000001/dev.json" in files
    assert "default/us-west-2/web--h77p000001/beta.json" not in files


def test_a_caller_denied_both_families_is_the_region_s_error(invoke, server):
    server.rest_faults[REGION] = DENY
    server.v2_faults[REGION] = DENY
    result = invoke("list", *_scope(server, "-o", "json"))
    assert result.exit_code == 4, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("stage: error: not authorised")


def test_rest_denied_and_v2_throttled_is_a_rest_skip_and_a_v2_error_not_a_login_hint(invoke, server):
    server.rest_faults[REGION] = DENY
    server.v2_faults[REGION] = THROTTLE
    result = invoke("list", *_scope(server, "-o", "json"))
    assert result.exit_code == 8, result.stderr
    data = json.loads(result.stdout)
    assert data["stages"] == []
    [skip] = data["skipped"]
    assert skip["reason"].startswith("REST APIs not read: not authorised") and "sso login" not in skip["reason"]
    [error] = data["errors"]
    assert error["reason"].startswith("HTTP/WebSocket APIs not read: ") and error["exitCode"] == 5


def test_a_v2_stage_the_service_garbled_is_the_service_s_fault_not_an_internal_error(invoke, server):
    server.v2_stages[(REGION, "h77p000001")][1]["createdDate"] = "yesterday"
    result = invoke("list", *_scope(server, "-o", "json"))
    assert result.exit_code == 8, result.stderr
    [error] = json.loads(result.stdout)["errors"]
    assert error["exitCode"] == 5 and error["restApiId"] == "h77p000001"
    assert "not a stage: createdDate" in error["reason"] and "internal" not in error["reason"]


def test_an_api_listed_without_an_id_is_reported_not_dropped(invoke, server):
    server.apis[REGION].append({"name": "ghost"})
    result = invoke("list", *_scope(server, "-o", "json"))
    assert result.exit_code == 8, result.stderr
    data = json.loads(result.stdout)
    assert len(data["stages"]) == 5  # everything else is read
    [error] = data["errors"]
    assert error["apiName"] == "ghost" and error["exitCode"] == 5 and "without an id" in error["reason"]


# --- single stage and file cleanups that the fleet work touched -------------------------------------

def test_single_v2_stage_check_as_sarif_is_located_at_its_v2_arn(invoke, monkeypatch):
    from tests.test_v2_wire import V2Wire, WS_ID, WS_PROD

    wire = V2Wire()
    wire.v2apis = [{"apiId": WS_ID, "name": "chat", "protocolType": "WEBSOCKET"}]
    wire.v2stages = {(WS_ID, "production"): WS_PROD}
    wire.start()
    try:
        monkeypatch.setenv("AWS_ENDPOINT_URL", wire.url)
        result = invoke("check", WS_ID, "production", "--family", "v2", "--region", REGION, "-o", "sarif")
        table = invoke("check", WS_ID, "production", "--family", "v2", "--region", REGION, "--no-color",
                       env={"COLUMNS": "200"})
    finally:
        wire.stop()
    assert result.exit_code == 1, result.stderr
    [location] = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                  for r in json.loads(result.stdout)["runs"][0]["results"]}
    assert location == f"arn:aws:apigateway:{REGION}::/apis/{WS_ID}/stages/production"
    assert ("HTTP or WebSocket API stage: routes, no deployed methods; checks of settings v2 stages lack "
            "are not applicable") in table.stdout
    assert "the REST checks do not apply" not in table.stdout


def test_list_of_a_saved_v2_getstages_answer_is_stages_from_the_file(invoke, tmp_path):
    saved = tmp_path / "stages.json"
    saved.write_text(json.dumps({"Items": [{"StageName": "prod", "AutoDeploy": True, "DeploymentId": "d1"}]}))
    result = invoke("list", "--file", str(saved), "--no-color", env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("Stages from ") and "Stages of" not in first


# --- moto: the real HTTP path, an account of its own -----------------------------------------------

MOTO_ACCOUNT, MOTO_REGION = "444444444444", "ca-central-1"


@pytest.fixture
def moto_fleet(moto_server, fake_aws, monkeypatch):
    (fake_aws / "aws-config").write_text(
        "[profile base]\nregion = us-east-1\n"
        f"[profile mixed]\nregion = {MOTO_REGION}\nrole_arn = arn:aws:iam::{MOTO_ACCOUNT}:role/audit\n"
        "source_profile = base\n")
    (fake_aws / "aws-credentials").write_text(
        "[base]\naws_access_key_id = AKIAFAKEFAKEFAKE1234\naws_secret_access_key = fake-secret-never-printed\n")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    sts = boto3.client("sts", endpoint_url=moto_server, region_name="us-east-1",
                       aws_access_key_id="AKIAFAKEFAKEFAKE1234", aws_secret_access_key="x")
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{MOTO_ACCOUNT}:role/seed", RoleSessionName="seed")["Credentials"]
    keys = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"], "endpoint_url": moto_server, "region_name": MOTO_REGION}
    rest, v2 = boto3.client("apigateway", **keys), boto3.client("apigatewayv2", **keys)
    if not v2.get_apis()["Items"]:  # seeded once per moto server
        api = rest.create_rest_api(name="ledger")["id"]
        root = rest.get_resources(restApiId=api)["items"][0]["id"]
        rest.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
        rest.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
        rest.create_stage(restApiId=api, stageName="prod", deploymentId=rest.create_deployment(restApiId=api)["id"])
        http = v2.create_api(Name="catalog", ProtocolType="HTTP")["ApiId"]
        v2.create_stage(ApiId=http, StageName="prod", StageVariables={"tier": "gold"})
    return moto_server


def test_moto_fleet_lists_and_checks_rest_and_http_apis_of_one_account(invoke, moto_fleet):
    listed = invoke("list", "--profile", "mixed", "--region", MOTO_REGION, "-o", "json")
    assert listed.exit_code == 0, listed.stderr
    rows = {(s["apiName"], s["apiType"], s["account"]): s["stage"] for s in json.loads(listed.stdout)["stages"]}
    assert set(rows) == {("catalog", "HTTP", MOTO_ACCOUNT), ("ledger", "REST", MOTO_ACCOUNT)}
    assert rows[("catalog", "HTTP", MOTO_ACCOUNT)]["stageVariables"] == {"tier": "gold"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rows[("catalog", "HTTP", MOTO_ACCOUNT)]["createdDate"])
    checked = invoke("check", "--profile", "mixed", "--region", MOTO_REGION, "-o", "json")
    assert checked.exit_code == 1, checked.stderr
    ids = {s["apiType"]: {c["id"] for c in s["checks"]["checks"]} for s in json.loads(checked.stdout)["stages"]}
    assert "APIGateway.9" in ids["HTTP"] and "Config.AccessLogs" in ids["REST"]


def test_a_fleet_check_never_prints_a_secret_value_of_either_family(invoke, server):
    """Each stage of `check -o json` carries its whole document: the values STAGE.5 flags are
    hidden there, as the single-stage check (which prints no document) never shows them."""
    server.add(REGION, "s3cr000001", "vault", ("prod",), variables={"dbUrl": "postgres://app:s3cr3tpass@db:5432/x",
                                                                    "db/password": "hunter2hunter2", "region": "eu-west-1"},
               canarySettings={"percentTraffic": 5.0, "deploymentId": "c1",
                               "stageVariableOverrides": {"awsKey": "AKIAIOSFODNN7EXAMPLE"}})
    server.add_v2(REGION, "h77p000002", "api2", "HTTP", ("$default",), stageVariables={"apiToken": "tok-12345678"})
    for fmt in ("json", "yaml", "sarif", "junit", "table"):
        result = invoke("check", *_scope(server, "-o", fmt), env={"COLUMNS": "200"})
        assert result.exit_code == 1, (fmt, result.stderr)
        for value in ("s3cr3tpass", "AKIAIOSFODNN7EXAMPLE", "tok-12345678", "hunter2hunter2"):
            assert value not in result.stdout + result.stderr, (fmt, value)
    stages = {s["apiName"]: s["stage"] for s in json.loads(invoke("check", *_scope(server, "-o", "json")).stdout)["stages"]}
    from apigw_stage.views.secrets import NOT_PRINTED

    # a variable's name may hold a '/' (the service allows it)
    assert stages["vault"]["variables"] == {"dbUrl": NOT_PRINTED, "db/password": NOT_PRINTED, "region": "eu-west-1"}
    assert stages["vault"]["canarySettings"]["stageVariableOverrides"] == {"awsKey": NOT_PRINTED}
    assert stages["api2"]["stageVariables"] == {"apiToken": NOT_PRINTED}
