"""Fleet scope against moto: several APIs in two regions of two accounts, reached through two
profiles that assume roles in accounts 222222222222 and 333333333333 (moto keeps accounts apart
by the assumed role's keys), so nothing here touches the accounts other tests seed."""

import json
import os

import boto3
import pytest

ALPHA, BETA = "222222222222", "333333333333"
REGIONS = ("us-west-2", "eu-west-1")


def _write_profiles(tmp_path, endpoint: str, monkeypatch) -> None:
    (tmp_path / "aws-config").write_text(
        "[profile base]\nregion = us-east-1\n"
        f"[profile alpha]\nregion = us-west-2\nrole_arn = arn:aws:iam::{ALPHA}:role/audit\nsource_profile = base\n"
        f"[profile beta]\nregion = eu-west-1\nrole_arn = arn:aws:iam::{BETA}:role/audit\nsource_profile = base\n"
    )
    (tmp_path / "aws-credentials").write_text(
        "[base]\naws_access_key_id = AKIAFAKEFAKEFAKE1234\naws_secret_access_key = fake-secret-never-printed\n"
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)


def _account_client(endpoint: str, account: str, region: str):
    sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="AKIAFAKEFAKEFAKE1234", aws_secret_access_key="x")
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/seed", RoleSessionName="seed")["Credentials"]
    return boto3.client("apigateway", endpoint_url=endpoint, region_name=region,
                        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                        aws_session_token=creds["SessionToken"])


def _api(client, name: str, stages: dict) -> str:
    api_id = client.create_rest_api(name=name)["id"]
    root = client.get_resources(restApiId=api_id)["items"][0]["id"]
    client.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    client.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
    deployment = client.create_deployment(restApiId=api_id)["id"]
    for stage, patch in stages.items():
        client.create_stage(restApiId=api_id, stageName=stage, deploymentId=deployment)
        if patch:
            client.update_stage(restApiId=api_id, stageName=stage, patchOperations=patch)
    return api_id


@pytest.fixture(scope="module")
def accounts(moto_server):
    """alpha: us-west-2 orders (prod, dev) and billing (prod); eu-west-1 orders (prod).
    beta: us-west-2 search (prod, X-Ray on); eu-west-1 nothing."""
    xray = [{"op": "replace", "path": "/tracingEnabled", "value": "true"}]
    logging = [{"op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO"}]
    a_west = _account_client(moto_server, ALPHA, "us-west-2")
    a_eu = _account_client(moto_server, ALPHA, "eu-west-1")
    b_west = _account_client(moto_server, BETA, "us-west-2")
    return {
        "endpoint": moto_server,
        "orders": _api(a_west, "orders", {"prod": logging, "dev": None}),
        "billing": _api(a_west, "billing", {"prod": None}),
        "orders_eu": _api(a_eu, "orders", {"prod": None}),
        "search": _api(b_west, "search", {"prod": xray}),
        "clients": {"alpha-west": a_west},
    }


@pytest.fixture
def profiles(accounts, fake_aws, monkeypatch):
    _write_profiles(fake_aws, accounts["endpoint"], monkeypatch)
    return accounts


SCOPE = ("--profile", "alpha", "--profile", "beta", "--region", "us-west-2", "--region", "eu-west-1")


def test_list_without_api_lists_every_stage_of_both_accounts_and_regions(invoke, profiles):
    result = invoke("list", *SCOPE, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "prod" in line or "dev" in line]
    rows = sorted(" ".join(cell.strip() for cell in line.split("│")[:3]) for line in lines)
    assert rows == sorted([
        f"{ALPHA} eu-west-1 orders {profiles['orders_eu']}",
        f"{ALPHA} us-west-2 billing {profiles['billing']}",
        f"{ALPHA} us-west-2 orders {profiles['orders']}",
        f"{ALPHA} us-west-2 orders {profiles['orders']}",
        f"{BETA} us-west-2 search {profiles['search']}",
    ])
    assert "5 stages in 4 APIs, 4 account/regions" in result.stdout
    assert result.stderr == ""


def test_list_json_is_one_object_per_stage_with_its_getstage_document(invoke, profiles):
    result = invoke("list", *SCOPE, "-o", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["errors"] == [] and data["skipped"] == []
    keys = [(s["account"], s["profile"], s["region"], s["apiName"], s["stage"]["stageName"]) for s in data["stages"]]
    assert keys == [
        (ALPHA, "alpha", "eu-west-1", "orders", "prod"),
        (ALPHA, "alpha", "us-west-2", "billing", "prod"),
        (ALPHA, "alpha", "us-west-2", "orders", "dev"),
        (ALPHA, "alpha", "us-west-2", "orders", "prod"),
        (BETA, "beta", "us-west-2", "search", "prod"),
    ]
    first = data["stages"][0]
    assert set(first) == {"account", "accountName", "profile", "region", "restApiId", "apiName", "apiType", "stage"}
    assert first["apiType"] == "REST" and first["restApiId"] == profiles["orders_eu"]
    search = data["stages"][-1]["stage"]
    assert search["tracingEnabled"] is True and "ResponseMetadata" not in search


def test_list_query_runs_over_the_fleet_data(invoke, profiles):
    result = invoke("list", *SCOPE, "--query", "stages[?stage.tracingEnabled].apiName", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == ["search"]


def test_list_default_scope_is_the_profile_region(invoke, profiles):
    result = invoke("list", "--profile", "beta", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stages"] == []  # beta has nothing in its own eu-west-1


def test_single_api_list_still_takes_one_api(invoke, profiles):
    result = invoke("list", profiles["orders"], "--profile", "alpha", "--region", "us-west-2", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert [d["stageName"] for d in json.loads(result.stdout)] == ["dev", "prod"]
    twice = invoke("list", profiles["orders"], "--region", "us-west-2", "--region", "eu-west-1")
    assert twice.exit_code == 2
    assert twice.stderr.startswith("stage: error: one API is in one account and region")


def test_a_one_stage_command_takes_one_region(invoke, profiles):
    result = invoke("show", profiles["orders"], "prod", "--region", "us-west-2", "--region", "eu-west-1")
    assert result.exit_code == 2
    assert result.stderr.startswith("stage: error: one --region only here")


@pytest.mark.parametrize("fmt", ["sarif", "junit"])
def test_list_refuses_a_format_it_does_not_write_before_any_call(invoke, fmt, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens: a call would be exit 6
    result = invoke("list", "-o", fmt)
    assert result.exit_code == 2
    assert result.stderr.startswith("stage: error: Invalid value for '--output'")
    assert f"'{fmt}' is not one of 'table', 'json', 'yaml'" in result.stderr and len(result.stderr.splitlines()) == 1


def test_both_region_options_are_a_usage_error(invoke, profiles):
    result = invoke("list", "--all-regions", "--region", "us-west-2")
    assert result.exit_code == 2
    assert "give --region or --all-regions, not both" in result.stderr


def _tree(root):
    out = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            out[os.path.relpath(path, root)] = open(path, encoding="utf-8").read()
    return out


def test_snapshot_writes_the_tree_then_drops_removed_stages_and_diff_names_them(invoke, profiles, tmp_path):
    first = tmp_path / "monday"
    result = invoke("snapshot", str(first), *SCOPE, "--ignore", "createdDate")
    assert result.exit_code == 0, result.stderr
    tree = _tree(first)
    orders = f"{ALPHA}/us-west-2/orders--{profiles['orders']}"
    assert sorted(tree) == sorted([
        ".stage-snapshot.json",
        f"{ALPHA}/eu-west-1/orders--{profiles['orders_eu']}/prod.json",
        f"{ALPHA}/us-west-2/billing--{profiles['billing']}/prod.json",
        f"{orders}/dev.json", f"{orders}/prod.json",
        f"{BETA}/us-west-2/search--{profiles['search']}/prod.json",
        # issue 23: each region's account throttle and covering usage plans, beside its stages
        f"{ALPHA}/eu-west-1/.limits.json", f"{ALPHA}/us-west-2/.limits.json", f"{BETA}/us-west-2/.limits.json",
    ])
    prod = tree[f"{orders}/prod.json"]
    assert list(json.loads(prod)) == sorted(json.loads(prod))  # keys sorted, for git diff
    assert json.loads(prod)["stageName"] == "prod" and "createdDate" not in json.loads(prod)
    # show reads a snapshot file as it reads any saved GetStage document
    shown = invoke("show", "--file", str(first / orders / "prod.json"), "-o", "json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["stageName"] == "prod"

    client = profiles["clients"]["alpha-west"]
    client.create_stage(restApiId=profiles["orders"], stageName="qa",
                        deploymentId=client.get_stages(restApiId=profiles["orders"])["item"][0]["deploymentId"])
    client.delete_stage(restApiId=profiles["orders"], stageName="dev")
    client.update_stage(restApiId=profiles["orders"], stageName="prod",
                        patchOperations=[{"op": "replace", "path": "/variables/color", "value": "blue"}])
    try:
        second = tmp_path / "tuesday"
        assert invoke("snapshot", str(second), *SCOPE, "--ignore", "createdDate").exit_code == 0
        diff = invoke("diff", str(first), str(second), "-o", "json")
        assert diff.exit_code == 1, diff.stderr
        data = json.loads(diff.stdout)
        where = {"account": ALPHA, "region": "us-west-2", "restApiId": profiles["orders"], "apiName": "orders"}
        assert data["added"] == [{**where, "stage": "qa"}]
        assert data["removed"] == [{**where, "stage": "dev"}]
        assert [(c["stage"], [x["path"] for x in c["changes"]]) for c in data["changed"]] == [("prod", [["variables", "color"]])]
        table = invoke("diff", str(first), str(second), env={"COLUMNS": "300"})
        assert table.exit_code == 1
        assert "1 stage added, 1 removed, 1 changed" in table.stdout and "color" in table.stdout
        assert invoke("diff", str(first), str(second), "--ignore", "color").exit_code == 1  # qa and dev remain
        # rewriting the first tree in place drops the stage that is gone
        assert invoke("snapshot", str(first), *SCOPE, "--ignore", "createdDate").exit_code == 0
        assert _tree(first) == _tree(second)
        assert invoke("diff", str(first), str(second)).exit_code == 0
        assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]  # no temporary sibling left
    finally:
        client.create_stage(restApiId=profiles["orders"], stageName="dev",
                            deploymentId=client.get_stages(restApiId=profiles["orders"])["item"][0]["deploymentId"])
        client.delete_stage(restApiId=profiles["orders"], stageName="qa")
        client.update_stage(restApiId=profiles["orders"], stageName="prod",
                            patchOperations=[{"op": "remove", "path": "/variables/color"}])


def test_snapshot_never_replaces_a_directory_it_did_not_write(invoke, profiles, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine")
    result = invoke("snapshot", str(home), *SCOPE)
    assert result.exit_code == 2
    assert "is not empty and holds no snapshot of ours" in result.stderr
    assert (home / "notes.txt").read_text() == "mine"


def test_snapshot_keeps_dot_entries_of_the_tree(invoke, profiles, tmp_path):
    tree = tmp_path / "fleet"
    assert invoke("snapshot", str(tree), "--profile", "beta", "--region", "us-west-2").exit_code == 0
    (tree / ".git").mkdir()
    (tree / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert invoke("snapshot", str(tree), "--profile", "beta", "--region", "us-west-2").exit_code == 0
    assert (tree / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"


def _common(**kwargs):
    from apigw_stage.commands.options import Common, Output

    return Common(**{"output": Output.json, **kwargs})


def test_fleet_check_gives_each_stage_its_checks_and_exit_1_on_a_failure(profiles):
    from apigw_stage.commands.check import check_fleet

    common = _common(profiles=("alpha", "beta"), regions=("us-west-2",))
    result = check_fleet(common, set(), {})
    stages = result.data["stages"]
    assert [(s["apiName"], s["stage"]["stageName"]) for s in stages] == [
        ("billing", "prod"), ("orders", "dev"), ("orders", "prod"), ("search", "prod")]
    statuses = {c["id"]: c["status"] for c in stages[-1]["checks"]["checks"]}
    assert statuses["APIGateway.3"] == "pass"  # search has X-Ray on
    assert statuses["STAGE.6"] == "not_evaluated"  # deployed methods not fetched without --methods
    assert result.code == 1 and result.finish() == 1
    from apigw_stage.output import sarif

    sarif_doc = json.loads(sarif.dumps(result.checked))
    # Issue 21: the ARN is a logical location; the file location the snapshot path.
    uris = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for r in sarif_doc["runs"][0]["results"]}
    assert f"arn:aws:apigateway:us-west-2::/restapis/{profiles['search']}/stages/prod" in uris
    files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif_doc["runs"][0]["results"]}
    assert f"333333333333/us-west-2/search--{profiles['search']}/prod.json" in files

    from rich.console import Console

    console = Console(width=250, color_system=None)
    with console.capture() as captured:
        console.print(result.table(False))
    out = captured.get()
    assert "Checks of 4 stages in 3 APIs, 2 account/regions" in out
    assert "APIGateway.4" in out and "Failing checks" in out


def test_fleet_check_ignores_for_every_stage(profiles):
    from apigw_stage.commands.check import check_fleet

    common = _common(profiles=("beta",), regions=("us-west-2",))
    every = {c.id for c in __import__("apigw_stage.checks.registry", fromlist=["CHECKS"]).CHECKS}
    result = check_fleet(common, every, {})
    assert result.code == 0
    assert {c["status"] for c in result.data["stages"][0]["checks"]["checks"]} == {"ignored"}


class _Clock:
    def __init__(self):
        self.now = 0.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_token_bucket_lets_the_burst_through_then_paces_at_the_rate():
    from apigw_stage.sources.fleet.pacing import TokenBucket

    clock = _Clock()
    bucket = TokenBucket(rate=8, burst=20, clock=clock, sleep=clock.sleep)
    for _ in range(20):
        bucket.acquire()
    assert clock.now == 0.0  # the burst costs no wait
    for _ in range(80):
        bucket.acquire()
    assert clock.now == pytest.approx(80 / 8, rel=1e-6)  # then exactly the rate
    assert max(clock.slept) <= 0.1  # short slices: a stop is seen within 0.1 s


def test_token_bucket_stops_a_waiting_call():
    import threading

    from apigw_stage.sources.fleet.pacing import Stopped, TokenBucket

    stop = threading.Event()
    clock = _Clock()
    bucket = TokenBucket(rate=1, burst=1, stop=stop, clock=clock, sleep=lambda s: stop.set())
    bucket.acquire()
    with pytest.raises(Stopped):
        bucket.acquire()


@pytest.mark.parametrize("name, safe", [
    ("orders", "orders"), ("my api/v2", "my_api_v2"), ("..", "_."), (".hidden", "_hidden"),
    ("CON", "_CON"), ("nul.txt", "_nul.txt"), ("café\x1b[31m", "caf___31m"), ("", "_"), ("a" * 300, "a" * 120),
])
def test_snapshot_names_are_safe_on_any_file_system(name, safe):
    from apigw_stage.sources.fleet.snapshot import safe_name

    assert safe_name(name) == safe


def test_progress_shows_only_on_a_terminal_with_a_table():
    from apigw_stage.core.env import Env
    from apigw_stage.render.progress import wanted

    class Stream:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty

    assert wanted(Env("table", stderr=Stream(True))) is True
    assert wanted(Env("json", stderr=Stream(True))) is False  # -o json: nothing on stderr
    assert wanted(Env("table", stderr=Stream(False))) is False  # a pipe or a log


def test_list_reads_a_saved_getstages_answer_from_the_aws_cli_examples(invoke, tmp_path):
    """The real answer in awscli/examples/apigateway/get-stages.rst, saved as a user would."""
    import awscli

    example = open(os.path.join(os.path.dirname(awscli.__file__), "examples", "apigateway", "get-stages.rst")).read()
    saved = tmp_path / "stages.json"
    saved.write_text(example[example.index("{"):example.rindex("}") + 1])
    result = invoke("list", "--file", saved, "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert [(d["stageName"], d["deploymentId"]) for d in json.loads(result.stdout)] == [("dev", "123h64")]
    both = invoke("list", "a1b2c3d4e5", "--file", saved)
    assert both.exit_code == 2 and both.stderr.startswith("stage: error: give either API or --file, not both")


def test_check_without_api_checks_every_stage_in_scope(invoke, profiles):
    """The command as a user types it: no API, two profiles and one region; exit 1 on failures."""
    result = invoke("check", "--profile", "alpha", "--profile", "beta", "--region", "us-west-2", "-o", "json")
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert [(s["apiName"], s["stage"]["stageName"]) for s in data["stages"]] == [
        ("billing", "prod"), ("orders", "dev"), ("orders", "prod"), ("search", "prod")]
    assert all("checks" in s and s["checks"]["checks"] for s in data["stages"])
    table = invoke("check", "--profile", "beta", "--region", "us-west-2", env={"COLUMNS": "120"})
    assert table.exit_code == 1 and "APIGateway.4" in table.stdout and table.stderr == ""


def test_check_without_api_as_sarif_and_junit(invoke, profiles):
    sarif = invoke("check", "--profile", "beta", "--region", "us-west-2", "-o", "sarif")
    assert sarif.exit_code == 1, sarif.stderr
    doc = json.loads(sarif.stdout)
    assert doc["version"] == "2.1.0" and doc["runs"][0]["results"]
    junit = invoke("check", "--profile", "beta", "--region", "us-west-2", "-o", "junit")
    assert junit.exit_code == 1
    import xml.etree.ElementTree as ET

    root = ET.fromstring(junit.stdout)
    assert root.iter("testcase") and any(tc.find("failure") is not None for tc in root.iter("testcase"))


def test_check_of_one_stage_refuses_a_fleet_scope(invoke, profiles):
    result = invoke("check", profiles["search"], "prod", "--region", "us-west-2", "--region", "eu-west-1")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("stage: error: one stage is in one account and region")


def test_diff_of_directories_that_are_not_snapshots_is_exit_2(invoke, tmp_path, monkeypatch):
    """Two directories without the snapshot marker read as empty fleets: "No differences", exit 0,
    for `stage diff /tmp /tmp`. They are a usage error, before any call for the live form."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens: a call would be exit 6
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "notes.txt").write_text("mine")
    for args in ((plain, plain), (plain,)):
        result = invoke("diff", *args)
        assert result.exit_code == 2, result.stdout
        assert result.stdout == ""
        assert result.stderr.startswith(f"stage: error: {plain} is not a snapshot: it has no .stage-snapshot.json")
        assert len(result.stderr.splitlines()) == 1


def test_diff_of_a_snapshot_against_the_live_fleet_compares_only_the_scope_read(invoke, profiles, tmp_path):
    """A snapshot of two regions against the profile's own region: the other region's stages were
    not looked at, so they are not "removed" (they were, with exit 1)."""
    tree = tmp_path / "fleet"
    both = ("--profile", "alpha", "--region", "us-west-2", "--region", "eu-west-1")
    assert invoke("snapshot", str(tree), *both).exit_code == 0
    assert os.path.isdir(tree / ALPHA / "eu-west-1")
    result = invoke("diff", str(tree), "--profile", "alpha", "-o", "json")  # alpha's region: us-west-2
    assert result.exit_code == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == {"added": [], "removed": [], "changed": [], "errors": [], "skipped": [],
                                         "notCompared": []}  # both regions of the snapshot compared
    other = invoke("diff", str(tree), "--profile", "beta", "--region", "us-west-2", "-o", "json")
    assert other.exit_code == 1  # beta's us-west-2 is in scope and not in the tree: added, nothing removed
    data = json.loads(other.stdout)
    assert [(s["account"], s["apiName"]) for s in data["added"]] == [(BETA, "search")] and data["removed"] == []


def test_diff_of_a_directory_and_a_file_names_the_mismatch(invoke, tmp_path):
    folder, document = tmp_path / "snap", tmp_path / "prod.json"
    folder.mkdir()
    document.write_text("{}")
    for args in ((folder, document), (document, folder)):
        result = invoke("diff", *map(str, args))
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.startswith(f"stage: error: {str(folder)!r} is a directory and {str(document)!r} is not")
