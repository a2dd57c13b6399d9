"""`stage history` (issue 24, items 4 to 6): every call in its wire format (tests/stubwire.py;
shapes from botocore's models and awscli/examples/apigateway/get-deployments.rst,
get-deployment.rst, apigatewayv2/get-deployments.rst), moto's REST deployments for the real
HTTP path, what each deployment changed (apiSummary, which moto does not model), --diff, the
way back parsed by the AWS CLI, hostile text, TAB of deployment ids from the cache."""

import json
import shlex

import pytest
import yaml

from tests.fidelity import aws_cli_parses, joined
from tests.stubwire import StubWire

API, V2_API = "r3st4p1abc", "h77p4p1abc"
HOSTILE = "deploy\x1b]0;pwned\x07[red]x[/red]\u202e"


def summary(**methods):
    """apiSummary as GetDeployment embed=apisummary sends it: {path: {METHOD: MethodSnapshot}}."""
    out = {}
    for key, (auth, key_required) in methods.items():
        verb, path = key.split(" ", 1)
        out.setdefault(path, {})[verb] = {"authorizationType": auth, "apiKeyRequired": key_required}
    return out


DEPLOYMENTS = {  # oldest first; epoch seconds on the wire
    "d1a1": (1700000000, "first", summary(**{"GET /": ("NONE", False)})),
    "d2b2": (1700100000, HOSTILE, summary(**{"GET /": ("NONE", False), "POST /pets": ("AWS_IAM", True)})),
    "d3c3": (1700200000, "tighten", summary(**{"GET /": ("COGNITO_USER_POOLS", False)})),
}


@pytest.fixture
def stub(monkeypatch):
    with StubWire() as server:
        items = [{"id": i, "createdDate": when, "description": about} for i, (when, about, _) in DEPLOYMENTS.items()]
        server.answers.update({
            f"/restapis/{API}/stages": {"item": [
                {"stageName": "prod", "deploymentId": "d3c3",
                 "canarySettings": {"percentTraffic": 10.0, "deploymentId": "d2b2"}},
                {"stageName": "staging", "deploymentId": "d2b2"}]},
            f"/restapis/{API}/deployments?limit=500": {"item": items[2:], "position": "p2"},
            f"/restapis/{API}/deployments?limit=500&position=p2": {"item": items[:2]},
            **{f"/restapis/{API}/deployments/{i}?embed=apisummary": {"id": i, "createdDate": when, "description": about,
                                                                      "apiSummary": api}
               for i, (when, about, api) in DEPLOYMENTS.items()},
            f"/restapis/{V2_API}/stages": (404, {"x-amzn-ErrorType": "NotFoundException"}, {"message": "Invalid API identifier specified"}),
            f"/v2/apis/{V2_API}/stages": {"items": [{"stageName": "live", "deploymentId": "v2new", "autoDeploy": True}]},
            f"/v2/apis/{V2_API}/deployments": {"items": [
                {"autoDeployed": True, "createdDate": "2020-04-07T23:58:40Z", "deploymentId": "v2new",
                 "deploymentStatus": "DEPLOYED", "description": "Automatic deployment triggered by changes to the Api configuration"}],
                "nextToken": "t2"},
            f"/v2/apis/{V2_API}/deployments?nextToken=t2": {"items": [
                {"autoDeployed": False, "createdDate": "2020-04-06T00:33:00Z", "deploymentId": "v2old",
                 "deploymentStatus": "FAILED", "deploymentStatusMessage": "no routes"}]},
        })
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
        yield server


def test_rest_history_newest_first_with_changes_and_the_way_back(invoke, stub):
    result = invoke("history", API, "prod", "-o", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    assert stub.paths() == [f"/restapis/{API}/stages", f"/restapis/{API}/deployments?limit=500",
                            f"/restapis/{API}/deployments?limit=500&position=p2",
                            *(f"/restapis/{API}/deployments/{i}?embed=apisummary" for i in ("d3c3", "d2b2", "d1a1"))]
    rows = data["deployments"]
    assert [r["id"] for r in rows] == ["d3c3", "d2b2", "d1a1"]
    assert rows[0]["createdDate"] == "2023-11-17T05:46:40Z"  # RFC 3339 Z
    assert (rows[0]["servesStage"], rows[0]["servesCanary"], rows[0]["stages"]) == (True, False, ["prod"])
    assert (rows[1]["servesStage"], rows[1]["servesCanary"], rows[1]["stages"], rows[1]["canaries"]) == (
        False, True, ["staging"], ["prod"])
    assert rows[1]["description"] == HOSTILE  # exact in json
    assert rows[0]["changes"] == {"added": [], "removed": ["POST /pets"], "changed": [
        {"method": "GET /", "field": "authorizationType", "before": "NONE", "after": "COGNITO_USER_POOLS"}]}
    assert rows[1]["changes"] == {"added": ["POST /pets"], "removed": [], "changed": []}
    assert rows[2]["previous"] is None and rows[2]["changes"] is None
    assert (data["stageDeployment"], data["canaryDeployment"], data["total"]) == ("d3c3", "d2b2", 3)
    back = data["rollback"]
    assert back["to"] == "d2b2"
    assert aws_cli_parses(shlex.join(back["command"])) == {
        "restApiId": API, "stageName": "prod",
        "patchOperations": [{"op": "replace", "path": "/deploymentId", "value": "d2b2"}]}


def test_limit_reads_one_summary_more_than_it_shows(invoke, stub):
    data = json.loads(invoke("history", API, "prod", "--limit", "1", "-o", "json").stdout)
    assert [r["id"] for r in data["deployments"]] == ["d3c3"] and data["shown"] == 1
    assert data["deployments"][0]["changes"]["removed"] == ["POST /pets"]
    assert [p for p in stub.paths() if "embed" in p] == [f"/restapis/{API}/deployments/{i}?embed=apisummary"
                                                         for i in ("d3c3", "d2b2")]
    assert invoke("history", API, "prod", "--limit", "0").exit_code == 2


def test_table_marks_stage_and_canary_and_pastes_the_way_back(invoke, stub):
    result = invoke("history", API, "prod", "--no-color", env={"COLUMNS": "80"})
    assert (result.exit_code, result.stderr) == (0, "")
    out = result.stdout
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "◀ stage" in out and "◀ canary" in out and "- POST /pets" in out and "+ POST /pets" in out
    assert "2023-11-17 05:46Z" in out and "Changes of d3c3  against d2b2" in out and "+0 -1 ~1" in out
    [command] = joined(out[out.index("Back to d2b2"):])
    assert aws_cli_parses(command)["patchOperations"][0]["value"] == "d2b2"
    assert yaml.safe_load(invoke("history", API, "prod", "-o", "yaml").stdout)["deployments"][1]["description"] == HOSTILE


def test_diff_between_two_deployments_exits_1_when_they_differ(invoke, stub):
    result = invoke("history", API, "prod", "--diff", "d1a1", "d3c3", "-o", "json")
    assert result.exit_code == 1, result.stderr
    assert json.loads(result.stdout) == {"from": "d1a1", "to": "d3c3", "same": False, "added": [], "removed": [],
                                         "changed": [{"method": "GET /", "field": "authorizationType",
                                                      "before": "NONE", "after": "COGNITO_USER_POOLS"}]}
    same = invoke("history", API, "prod", "--diff", "d3c3", "d3c3", "--no-color")
    assert same.exit_code == 0 and "Same methods" in same.stdout
    missing = invoke("history", API, "prod", "--diff", "d1a1", "zzzz")
    assert (missing.exit_code, missing.stdout) == (3, "") and missing.stderr.count("\n") == 1
    bad = invoke("history", API, "prod", "--diff", "d1a1", "a b")
    assert (bad.exit_code, bad.stdout) == (2, "") and "not a deployment id" in bad.stderr


def test_missing_stage_is_exit_3_naming_the_stages(invoke, stub):
    result = invoke("history", API, "prdo")
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == f"stage: error: no stage 'prdo' in API {API} (stages: prod, staging)\n"


def test_v2_history_status_auto_deploy_and_way_back(invoke, stub):
    result = invoke("history", V2_API, "live", "-o", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert f"/v2/apis/{V2_API}/deployments?nextToken=t2" in stub.paths()
    assert [(r["id"], r["deploymentStatus"], r["autoDeployed"], r["servesStage"]) for r in data["deployments"]] == [
        ("v2new", "DEPLOYED", True, True), ("v2old", "FAILED", False, False)]
    assert data["deployments"][0]["createdDate"] == "2020-04-07T23:58:40Z"
    back = data["rollback"]
    assert back["to"] == "v2old" and "automatically" in back["note"]
    assert aws_cli_parses(shlex.join(back["command"])) == {
        "ApiId": V2_API, "StageName": "live", "DeploymentId": "v2old", "AutoDeploy": False}
    assert invoke("history", V2_API, "live", "--diff", "v2new", "v2old").exit_code == 2


def test_tab_offers_deployment_ids_for_both_diff_values_from_the_cache(invoke, stub):
    from apigw_stage.completion import fast

    assert invoke("history", API, "prod", "-o", "json").exit_code == 0
    stub.requests.clear()
    first = fast.candidates(["history", API, "prod", "--diff"], "d")
    assert first == [["d3c3", "tighten"], ["d2b2", HOSTILE], ["d1a1", "first"]]
    assert fast.candidates(["history", API, "prod", "--diff", "d1a1"], "d3") == [["d3c3", "tighten"]]
    assert fast.candidates(["history", API, "prod", "--diff", "d1a1", "d3c3"], "") == []  # no third positional
    assert stub.requests == []


def test_moto_rest_deployments(invoke, moto_server, monkeypatch):
    import boto3

    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    client = boto3.client("apigateway", endpoint_url=moto_server, region_name="ca-central-1")
    api = client.create_rest_api(name="history-moto")["id"]
    root = client.get_resources(restApiId=api)["items"][0]["id"]
    client.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    client.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    first = client.create_deployment(restApiId=api, stageName="prod", description="one")["id"]
    second = client.create_deployment(restApiId=api, stageName="prod", description="two")["id"]
    result = invoke("history", api, "prod", "--region", "ca-central-1", "-o", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [r["id"] for r in data["deployments"]] == [second, first]
    assert data["rollback"]["to"] == first
    assert aws_cli_parses(shlex.join(data["rollback"]["command"]))["patchOperations"][0]["value"] == first
