"""`stage limits` (issue 23): which throttle a request meets. The one-stage paths run against
tests/limitswire.py, a loopback stub in the real wire format (UsagePlan {id, name, apiStages:
[{apiId, stage, throttle: {"/path/METHOD": ThrottleSettings}}], throttle, quota {limit, offset,
period}}, UsagePlanKey {id, type, value, name}, Account {throttleSettings}), since moto serves no
stage export (so no deployed methods); the fleet path runs against moto, which models GetAccount
and usage plans. The precedence is API Gateway's, cited in views/limits.py."""

import json

import pytest
import yaml

from tests.conftest import _client
from tests.fidelity import API
from tests.limitswire import LimitsServer, serve

REGION = "ap-southeast-2"  # the fleet test's own region: no other fixture's stages or plans
KEY_VALUE = "secret-key-value-never-printed-1234"
GOLD = {"id": "gold01", "name": "gold", "throttle": {"rateLimit": 50.0, "burstLimit": 100},
        "quota": {"limit": 1000, "offset": 0, "period": "DAY"},
        "apiStages": [{"apiId": API, "stage": "prod", "throttle": {"/pets/GET": {"rateLimit": 2.0, "burstLimit": 4},
                                                                     "/pet/GET": {"rateLimit": 1.0, "burstLimit": 1}}}]}
FREE = {"id": "free01", "name": "free", "quota": {"limit": 100, "offset": 0, "period": "MONTH"},
        "apiStages": [{"apiId": API, "stage": "prod"}, {"apiId": "otherapi01", "stage": "prod"}]}
OTHER = {"id": "other1", "name": "other", "apiStages": [{"apiId": "otherapi01", "stage": "prod"}]}


@pytest.fixture
def shop():
    server = LimitsServer()
    serve(server, "prod", {"methodSettings": {"*/*": {"throttlingRateLimit": 20000.0, "throttlingBurstLimit": 300}}})
    serve(server, "bare", {})
    server.plans = [GOLD, OTHER, FREE]
    server.keys = {"gold01": [{"id": "key0000001", "type": "API_KEY", "name": "partner", "value": KEY_VALUE}]}
    server.start()
    yield {"api": API, "gold": "gold01", "free": "free01", "key": "key0000001", "endpoint": server.url, "server": server}
    server.stop()


def _args(shop, *more):
    return (*more, "--endpoint-url", shop["endpoint"], "--region", "eu-west-1")


def _json(invoke, shop, *args):
    result = invoke("limits", *_args(shop, *args, "-o", "json"))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _row(data, method):
    return next(r for r in data["methods"] if r["method"] == method)


def test_every_layer_and_the_binding_one(invoke, shop):
    data = _json(invoke, shop, shop["api"], "prod")
    assert data["account"] == {"burstLimit": 1000, "rateLimit": 500.0}  # read from GetAccount, never assumed
    assert {p["name"] for p in data["plans"]} == {"gold", "free"}  # "other" covers another API
    get = _row(data, "GET /pets")
    assert get["apiKeyRequired"] is True
    layers = {(l["layer"], (l.get("plan") or {}).get("name")): l for l in get["layers"]}
    assert [l["layer"] for l in get["layers"]] == ["usagePlan", "usagePlan", "stage", "account"]  # AWS's order
    assert layers[("usagePlan", "gold")]["source"] == "plan method /pets/GET"
    assert (layers[("usagePlan", "gold")]["rate"], layers[("usagePlan", "gold")]["burst"]) == (2.0, 4)
    assert layers[("usagePlan", "gold")]["quota"] == {"limit": 1000, "period": "DAY", "offset": 0}
    assert layers[("usagePlan", "free")]["rate"] is None  # no throttle
    assert (layers[("stage", None)]["rate"], layers[("stage", None)]["burst"]) == (20000.0, 300)
    # Without --key: the method's ceiling for any key is stage and account; byPlan gives each plan's.
    assert get["effective"]["rate"] == 500.0 and get["effective"]["binding"] == "account"
    assert get["effective"]["burst"] == 300 and get["effective"]["burstBinding"] == "stage"
    by_plan = {b["plan"]: b for b in get["byPlan"]}
    assert (by_plan["gold01"]["rate"], by_plan["gold01"]["binding"]) == (2.0, "usagePlan")
    assert by_plan["free01"]["binding"] == "account"
    root = _row(data, "GET /")  # no method throttle of its own in gold: the plan's throttle
    assert {l["source"] for l in root["layers"] if l["layer"] == "usagePlan"} == {"plan throttle", "plan has no throttle"}
    post = _row(data, "POST /pets")  # no key needed: the plans do not apply
    assert post["apiKeyRequired"] is False and post["byPlan"] == []
    assert all(l["applies"] is False for l in post["layers"] if l["layer"] == "usagePlan")
    ids = sorted((f["id"], f["where"]) for f in data["findings"])
    assert ("STAGE.21", "stage defaults (*/*)") in ids  # 20000 above the account's 500
    assert ("STAGE.22", "plan free (free01)") in ids
    stray = [f for f in data["findings"] if f["id"] == "STAGE.23"]
    assert [f["reason"] for f in stray] == ["method throttle /pet/GET matches no deployed method: a typo that protects nothing"]
    # One GetAccount, the plans' pages (one plan a page here), no GetUsagePlanKeys without --key.
    asked = [r.partition("?")[0] for r in shop["server"].requests]
    assert asked.count("/account") == 1 and asked.count("/usageplans") == 3
    assert not any("/keys" in r for r in asked)


@pytest.mark.parametrize("word", ["id", "name"])
def test_key_by_id_or_name(invoke, shop, word):
    key = shop["key"] if word == "id" else "partner"
    data = _json(invoke, shop, shop["api"], "prod", "--key", key, "--method", "GET /pets")
    assert data["key"]["plans"] == ["gold01"] and data["key"]["id"] == shop["key"]
    assert [p["name"] for p in data["plans"]] == ["gold"]
    (row,) = data["methods"]
    assert row["effective"]["rate"] == 2.0 and row["effective"]["binding"] == "usagePlan"
    assert row["effective"]["plan"] == "gold01"
    assert KEY_VALUE not in json.dumps(data)
    keys_asked = [r for r in shop["server"].requests if "/keys" in r]
    assert len(keys_asked) == (0 if word == "id" else 2)  # by name: each covering plan, by nameQuery


def test_key_in_no_plan_of_the_stage_is_403(invoke, shop):
    data = _json(invoke, shop, shop["api"], "prod", "--key", "nobody")
    assert data["key"]["plans"] == []
    assert _row(data, "GET /pets")["effective"]["blocked"].startswith("403 Forbidden")
    assert _row(data, "POST /pets")["effective"]["blocked"] is None


def test_key_required_and_no_plan_covers_the_stage(invoke, shop):
    data = _json(invoke, shop, shop["api"], "bare")
    assert sorted(f["where"] for f in data["findings"] if f["id"] == "STAGE.20") == ["GET /", "GET /pets"]
    table = invoke("limits", *_args(shop, shop["api"], "bare"))
    assert table.exit_code == 0 and table.stderr == ""
    assert "STAGE.20 GET /pets: every request gets 403 Forbidden" in " ".join(table.stdout.split())
    assert max(len(line) for line in table.stdout.splitlines()) <= 80


def test_table_marks_the_binding_cell_at_80_columns(invoke, shop):
    result = invoke("limits", *_args(shop, shop["api"], "prod", "--key", "partner"))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    get = next(line for line in lines if line.lstrip().startswith("GET /pets"))
    assert "2/4*^" in get  # the plan's method throttle binds both
    assert get.rstrip().endswith("2/4 (plan)")  # the Effective cell names the binding layer
    # At 80 columns without --key the lowest-priority layer column goes first; the answer stays.
    narrow = invoke("limits", *_args(shop, shop["api"], "prod")).stdout
    assert "500/300 (account/stage)" in narrow and "not shown at this width: Stage, Account" in narrow
    assert KEY_VALUE not in result.stdout


def test_yaml_is_the_same_data(invoke, shop):
    result = invoke("limits", *_args(shop, shop["api"], "prod", "-o", "yaml"))
    assert yaml.safe_load(result.stdout) == _json(invoke, shop, shop["api"], "prod")


def test_unknown_method_is_one_line_exit_2(invoke, shop):
    result = invoke("limits", *_args(shop, shop["api"], "prod", "--method", "DELETE /pets"))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("stage: error: no method or route 'DELETE /pets'") and result.stderr.count("\n") == 1


def test_bad_sort_and_key_without_stage_are_usage_errors(invoke, shop):
    assert invoke("limits", "--sort", "size").exit_code == 2
    result = invoke("limits", "--key", "k")
    assert result.exit_code == 2 and "need API STAGE" in result.stderr


@pytest.fixture(scope="module")
def moto_shop(moto_server):
    client = _client(moto_server, REGION)
    api_id = client.create_rest_api(name="shop")["id"]
    root = client.get_resources(restApiId=api_id)["items"][0]["id"]
    client.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    client.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
    client.create_deployment(restApiId=api_id, stageName="prod")
    client.create_deployment(restApiId=api_id, stageName="bare")
    client.update_stage(restApiId=api_id, stageName="prod", patchOperations=[
        {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "20000"},
        {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "300"}])
    for name in ("gold", "free"):
        client.create_usage_plan(name=name, apiStages=[{"apiId": api_id, "stage": "prod"}])
    return {"api": api_id, "endpoint": moto_server}


def test_fleet_reads_plans_once_per_region(invoke, moto_shop):
    shop = moto_shop
    _args = lambda *more: (*more, "--endpoint-url", shop["endpoint"], "--region", REGION)  # noqa: E731
    result = invoke("limits", *_args("-o", "json"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    rows = {(s["apiId"], s["stage"]): s for s in data["stages"]}
    prod = rows[(shop["api"], "prod")]
    # moto's account limit is AWS's default, 10,000 rps / 5,000 burst
    assert (prod["rate"], prod["burst"], prod["binding"], prod["plans"]) == (10000.0, 300, "account", 2)
    assert rows[(shop["api"], "bare")]["plans"] == 0
    # One GetAccount and one GetUsagePlans page for the region, whatever the number of stages.
    assert data["calls"]["limits"] == 2
    assert [s["rate"] for s in data["stages"]] == sorted(s["rate"] for s in data["stages"])
    table = invoke("limits", *_args("--sort", "stage"))
    assert table.exit_code == 0 and "bare" in table.stdout


def test_a_file_outside_a_snapshot_says_what_is_unknown(invoke, tmp_path):
    doc = {"stageName": "prod", "methodSettings": {"*/*": {"throttlingRateLimit": 5.0, "throttlingBurstLimit": 2}}}
    path = tmp_path / "prod.json"
    path.write_text(json.dumps(doc))
    result = invoke("limits", "--file", path, "-o", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["account"] is None and data["plans"] is None
    assert data["methods"][0]["effective"] == {"rate": 5.0, "burst": 2, "binding": "stage", "burstBinding": "stage",
                                               "plan": None, "blocked": None}


def test_v2_routes_and_the_account(invoke, tmp_path):
    doc = {"StageName": "$default", "DefaultRouteSettings": {"ThrottlingRateLimit": 50.0, "ThrottlingBurstLimit": 20},
           "RouteSettings": {"GET /pets": {"ThrottlingBurstLimit": 5}}}
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(doc))
    data = json.loads(invoke("limits", "--file", path, "-o", "json").stdout)
    assert [r["method"] for r in data["methods"]] == ["(default route)", "GET /pets"]
    assert data["methods"][1]["effective"]["rate"] == 50.0 and data["methods"][1]["effective"]["burst"] == 5
    assert invoke("limits", "--file", path, "--key", "k").exit_code == 2


def test_hostile_plan_names_are_escaped_in_the_table_and_exact_in_json(invoke, moto_server):
    client = _client(moto_server, "ca-central-1")
    api_id = client.create_rest_api(name="hostile")["id"]
    root = client.get_resources(restApiId=api_id)["items"][0]["id"]
    client.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE", apiKeyRequired=True)
    client.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
    client.create_deployment(restApiId=api_id, stageName="prod")
    name = "evil\x1b[31m[bold]x"
    client.create_usage_plan(name=name, apiStages=[{"apiId": api_id, "stage": "prod"}])
    args = (api_id, "prod", "--endpoint-url", moto_server, "--region", "ca-central-1")
    table = invoke("limits", *args)
    assert table.exit_code == 0, table.stderr
    assert "\x1b" not in table.stdout and "\\e[31m" in table.stdout
    data = json.loads(invoke("limits", *args, "-o", "json").stdout)
    assert data["plans"][0]["name"] == name


def test_check_judges_the_same_cases(invoke, shop):
    result = invoke("check", *_args(shop, shop["api"], "bare", "-o", "json"))
    assert result.exit_code == 1, result.stderr
    found = {c["id"]: c for c in json.loads(result.stdout)["checks"]}
    assert found["STAGE.20"]["status"] == "fail" and found["STAGE.20"]["severity"] == "medium"
    assert [f["where"] for f in found["STAGE.20"]["findings"]] == ["GET /", "GET /pets"]
    prod = {c["id"]: c for c in json.loads(invoke("check", *_args(shop, shop["api"], "prod", "-o", "json")).stdout)["checks"]}
    assert {i: prod[i]["status"] for i in ("STAGE.20", "STAGE.21", "STAGE.22", "STAGE.23")} == {
        "STAGE.20": "pass", "STAGE.21": "fail", "STAGE.22": "fail", "STAGE.23": "fail"}
    assert KEY_VALUE not in json.dumps(prod)


def test_snapshot_records_limits_and_limits_reads_them_back(invoke, moto_shop, tmp_path):
    shop, tree = moto_shop, tmp_path / "fleet"
    scope = ("--endpoint-url", shop["endpoint"], "--region", REGION)
    result = invoke("snapshot", tree, *scope)
    assert result.exit_code == 0, result.stderr
    (sidecar,) = list(tree.glob("*/*/.limits.json"))
    record = json.loads(sidecar.read_text())
    assert record["account"] == {"burstLimit": 5000, "rateLimit": 10000.0}
    assert sorted(p["name"] for p in record["usagePlans"]) == ["free", "gold"]
    (prod,) = [p for p in tree.glob(f"*/*/*--{shop['api']}/prod.json")]
    data = json.loads(invoke("limits", "--file", prod, "-o", "json").stdout)
    assert data["account"] == record["account"] and data["apiId"] == shop["api"]
    assert sorted(p["name"] for p in data["plans"]) == ["free", "gold"]
    assert data["methods"][0]["effective"]["binding"] == "account"
    fleet = json.loads(invoke("limits", "--file", tree, "-o", "json").stdout)
    rows = {(s["apiId"], s["stage"]): s for s in fleet["stages"]}
    assert rows[(shop["api"], "prod")]["plans"] == 2 and rows[(shop["api"], "prod")]["rate"] == 10000.0
    assert invoke("diff", tree, tree).exit_code == 0  # the sidecar is no stage


def test_check_fixes_are_commands_the_aws_cli_parses(invoke, shop):
    from tests.fidelity import aws_cli_parses

    data = json.loads(invoke("check", *_args(shop, shop["api"], "prod", "-o", "json")).stdout)
    found = {c["id"]: c for c in data["checks"]}
    # Capped: the stage defaults patched down to the account's limit.
    assert found["STAGE.21"]["patchOperations"] == [
        {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "500"}]
    stray = found["STAGE.23"]["fixCommands"]
    assert stray == [["aws", "apigateway", "update-usage-plan", "--usage-plan-id", "gold01", "--patch-operations",
                      '{"op":"remove","path":"/apiStages/a1b2c3d4e5:prod/throttle/pet/GET"}', "--region", "eu-west-1"]]
    for check in found.values():
        for line in (check["fix"] or "").splitlines():
            aws_cli_parses(line)  # every printed fix is a command the AWS CLI accepts as written
    bare = {c["id"]: c for c in json.loads(invoke("check", *_args(shop, shop["api"], "bare", "-o", "json")).stdout)["checks"]}
    assert bare["STAGE.20"]["fixCommands"][0][:3] == ["aws", "apigateway", "create-usage-plan"]
    assert "apiId=a1b2c3d4e5,stage=bare" in bare["STAGE.20"]["fixCommands"][0]


def test_v2_stage_from_aws_lists_every_route_of_the_api(invoke):
    from tests.test_v2_wire import HTTP_ID, HTTP_PROD, V2Wire

    class Served(V2Wire):
        def answer(self, path):
            bare = path.partition("?")[0]
            if bare == "/account":  # GetAccount is REST's, and serves HTTP APIs' account limit too
                return 200, {}, json.dumps({"throttleSettings": {"rateLimit": 1000.0, "burstLimit": 50}}).encode()
            if bare == f"/v2/apis/{HTTP_ID}/routes":  # GetRoutes, apigatewayv2's wire shape (camelCase items)
                return 200, {}, json.dumps({"items": [{"routeId": "r1", "routeKey": "GET /pets"},
                                                      {"routeId": "r2", "routeKey": "POST /pets"}]}).encode()
            return super().answer(path)

    server = Served()
    server.v2apis = [{"apiId": HTTP_ID, "name": "pets", "protocolType": "HTTP"}]
    server.v2stages = {(HTTP_ID, "prod"): HTTP_PROD}
    server.start()
    try:
        result = invoke("limits", HTTP_ID, "prod", "--endpoint-url", server.url, "--region", "eu-west-1",
                        "--family", "v2", "-o", "json")
    finally:
        server.stop()
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    rows = {r["method"]: r for r in data["methods"]}
    assert list(rows) == ["(default route)", "GET /pets", "POST /pets"]
    # GET /pets has its own entry (2000 rps / 100): the account caps its rate; POST follows the default.
    assert rows["GET /pets"]["effective"]["rate"] == 1000.0 and rows["GET /pets"]["effective"]["binding"] == "account"
    assert rows["GET /pets"]["effective"]["burst"] == 50
    assert [f["id"] for f in data["findings"]] == ["STAGE.21"]
    assert data["plans"] == [] and data["family"] == "v2"


def test_fleet_without_the_account_limit_is_incomplete_not_wrong(invoke):
    """tests/fleetwire.py answers no GetAccount (404): the stages are listed, the limits of their
    region named as not read, exit 8, one line on stderr."""
    from tests.fleetwire import FleetServer

    server = FleetServer().start()
    try:
        server.add("us-west-2", "aa00000001", "orders", ("prod", "dev"))
        result = invoke("limits", "--region", "us-west-2", "--endpoint-url", server.url, "-o", "json")
    finally:
        server.stop()
    assert result.exit_code == 8
    data = json.loads(result.stdout)
    assert sorted(s["stage"] for s in data["stages"]) == ["dev", "prod"]
    assert all(s["plans"] is None for s in data["stages"])  # not read, never "no plans"
    assert len(data["errors"]) == 1 and data["errors"][0]["reason"].startswith("account throttle and usage plans:")
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("stage: error: incomplete:")


def test_fleet_check_judges_limits_with_methods_only(invoke, moto_shop):
    scope = ("--endpoint-url", moto_shop["endpoint"], "--region", REGION, "-o", "json")

    def statuses(*extra):
        data = json.loads(invoke("check", *scope, *extra).stdout)
        return {s["stage"]["stageName"]: {c["id"]: c["status"] for c in s["checks"]["checks"]}
                for s in data["stages"] if s["restApiId"] == moto_shop["api"]}

    assert statuses()["prod"]["STAGE.21"] == "not_applicable"  # not read: the scan's cost stays as it was
    judged = statuses("--methods")
    assert judged["prod"]["STAGE.21"] == "fail"  # 20000 above moto's 10,000
    assert judged["prod"]["STAGE.22"] == "fail"  # gold and free have no throttle
