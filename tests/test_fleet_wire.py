"""Fleet scans against the loopback fleet server (tests/fleetwire.py) for what moto lacks:
GetRestApis pages, 429 storms, a denied region, a region not enabled, a region that hangs."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import run_stage
from tests.fleetwire import DENY, HANG, NOT_ENABLED, FleetServer


@pytest.fixture
def server():
    fleet = FleetServer().start()
    fleet.retry_after = "0"
    yield fleet
    fleet.stop()


def _seed(server, region, count, prefix):
    for i in range(count):
        server.add(region, f"{prefix}{i:08d}"[:10], f"{prefix}-api-{i}", ("prod", "dev"))


def test_getrestapis_pages_at_limit_500_then_one_getstages_per_api(invoke, server):
    server.page_max = 2  # the service may answer fewer than asked; we follow `position`
    _seed(server, "us-west-2", 5, "aa")
    result = invoke("list", "--region", "us-west-2", "--endpoint-url", server.url, "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["stages"]) == 10
    pages = [p for _, p in server.requests if p.startswith("/restapis?")]
    assert pages == ["/restapis?limit=500", "/restapis?limit=500&position=2", "/restapis?limit=500&position=4"]
    stages = [p for _, p in server.requests if p.endswith("/stages")]
    assert sorted(stages) == sorted(f"/restapis/aa{i:08d}/stages" for i in range(5))
    # nothing per stage; plus the one GetApis page of HTTP/WebSocket APIs (none here), which the
    # fleet reads too since issue 11
    assert [p for _, p in server.requests if p.startswith("/v2/")] == ["/v2/apis"]
    assert len(server.requests) == 3 + 5 + 1


def test_a_429_storm_is_retried_and_the_scan_completes(invoke, server):
    _seed(server, "us-west-2", 6, "bb")
    for i in range(6):
        server.throttle[f"bb{i:08d}"] = 2  # two throttled answers each, the third attempt passes
    result = invoke("list", "--region", "us-west-2", "--endpoint-url", server.url, "-o", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["stages"]) == 12 and data["errors"] == []
    assert server.throttled == 12


def test_throttled_past_the_retries_names_the_api_and_exits_8(invoke, server):
    _seed(server, "us-west-2", 3, "cc")
    server.throttle["cc00000001"] = -1  # always 429
    result = invoke("list", "--region", "us-west-2", "--endpoint-url", server.url, "-o", "json")
    assert result.exit_code == 8
    data = json.loads(result.stdout)
    assert len(data["stages"]) == 4
    [error] = data["errors"]
    assert error["restApiId"] == "cc00000001" and error["apiName"] == "cc-api-1" and error["region"] == "us-west-2"
    assert error["exitCode"] == 5 and "throttled" in error["reason"].lower()
    assert result.stderr.startswith("stage: error: incomplete: 1 part of the scope not read")
    assert len(result.stderr.splitlines()) == 1


def test_a_denied_region_is_reported_and_the_other_region_is_listed(invoke, server):
    _seed(server, "us-west-2", 2, "dd")
    _seed(server, "eu-west-1", 2, "ee")
    server.faults["eu-west-1"] = DENY
    result = invoke("list", "--region", "us-west-2", "--region", "eu-west-1", "--endpoint-url", server.url,
                    env={"COLUMNS": "200"})
    assert result.exit_code == 8
    assert result.stdout.count("dd-api-") == 4
    assert "Not read (1)" in result.stdout
    [row] = [line for line in result.stdout.splitlines() if "eu-west-1" in line and "every API" in line]
    assert "not authorised" in row and "not authorized to perform" in row


def test_a_region_not_enabled_is_skipped_with_all_regions(invoke, server):
    from apigw_stage.sources.fleet.scope import all_regions

    regions = all_regions("aws")
    _seed(server, "us-west-2", 1, "ff")
    for region in regions[:3]:
        server.faults[region] = NOT_ENABLED
    result = invoke("list", "--all-regions", "--endpoint-url", server.url, "--rate", "1000", "-o", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [s["region"] for s in data["skipped"]] == regions[:3]
    assert [s["reason"] for s in data["skipped"]] == ["region not enabled for this account"] * 3
    assert len(data["stages"]) == 2 and data["errors"] == []
    assert {r for r, _ in server.requests} == set(regions)  # every region of the partition asked


def test_when_no_region_works_it_is_the_credentials_not_skipped_regions(invoke, server):
    from apigw_stage.sources.fleet.scope import all_regions

    for region in all_regions("aws"):
        server.faults[region] = NOT_ENABLED
    result = invoke("list", "--all-regions", "--endpoint-url", server.url, "--rate", "1000", "-o", "json")
    assert result.exit_code == 8
    data = json.loads(result.stdout)
    assert data["skipped"] == [] and len(data["errors"]) == len(all_regions("aws"))


def test_a_hanging_region_fails_within_the_timeout_and_the_rest_is_listed(invoke, server):
    _seed(server, "us-west-2", 2, "gg")
    server.faults["eu-west-1"] = HANG
    started = time.monotonic()
    result = invoke("list", "--region", "us-west-2", "--region", "eu-west-1", "--endpoint-url", server.url,
                    "--timeout", "0.5", "-o", "json")
    elapsed = time.monotonic() - started
    assert result.exit_code == 8
    data = json.loads(result.stdout)
    assert len(data["stages"]) == 4
    [error] = data["errors"]
    assert error["region"] == "eu-west-1" and error["exitCode"] == 6 and error["restApiId"] is None
    assert elapsed < 10


def test_one_region_that_fails_whole_is_its_own_error(invoke, server):
    server.faults["eu-west-1"] = DENY
    result = invoke("list", "--region", "eu-west-1", "--endpoint-url", server.url)
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr.startswith("stage: error: not authorised")


def test_ctrl_c_stops_at_once_with_130_and_keeps_the_previous_snapshot(stage_exe, server, tmp_path):
    _seed(server, "us-west-2", 3, "hh")
    (tmp_path / "snapshots").mkdir()
    tree = tmp_path / "snapshots" / "fleet"
    first = run_stage(stage_exe, "snapshot", tree, "--region", "us-west-2", "--endpoint-url", server.url)
    assert first.returncode == 0, first.stderr
    before = {p: open(os.path.join(d, p)).read() for d, _, files in os.walk(tree) for p in files}
    server.faults["us-west-2"] = HANG
    proc = subprocess.Popen([stage_exe, "snapshot", str(tree), "--region", "us-west-2", "--endpoint-url", server.url,
                             "--timeout", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=10)
    assert time.monotonic() - sent < 1.0
    assert proc.returncode == 130, err
    after = {p: open(os.path.join(d, p)).read() for d, _, files in os.walk(tree) for p in files}
    assert after == before
    assert sorted(os.listdir(tmp_path / "snapshots")) == ["fleet"]  # no temporary sibling left behind


def test_progress_on_a_terminal_stderr_only_and_nothing_on_a_pipe(stage_exe, server):
    import pty

    _seed(server, "us-west-2", 30, "kk")
    env = dict(os.environ, COLUMNS="150", TERM="xterm")
    args = [stage_exe, "list", "--region", "us-west-2", "--endpoint-url", server.url, "--rate", "1000"]
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=terminal, env=env)
    out, _ = proc.communicate(timeout=60)
    os.close(terminal)
    shown = b""
    try:
        while chunk := os.read(controller, 65536):
            shown += chunk
    except OSError:  # the terminal's other end is closed: all read
        pass
    os.close(controller)
    assert proc.returncode == 0
    assert b"APIs" in shown and b"30/30" in shown  # the progress display, on the terminal
    assert b"\x1b" not in out and out.count(b"kk-api-") == 60  # stdout: the table only
    piped = run_stage(stage_exe, *args[1:], env={"COLUMNS": "150"})
    assert piped.returncode == 0 and piped.stderr == ""


def test_a_snapshot_against_the_live_fleet_and_a_region_not_read_is_not_removed(invoke, server, tmp_path):
    _seed(server, "us-west-2", 2, "mm")
    _seed(server, "eu-west-1", 1, "nn")
    tree = tmp_path / "fleet"
    scope = ("--region", "us-west-2", "--region", "eu-west-1", "--endpoint-url", server.url)
    assert invoke("snapshot", tree, *scope).exit_code == 0
    assert invoke("diff", tree, *scope).exit_code == 0
    server.stages[("us-west-2", "mm00000001")][0]["tracingEnabled"] = True
    result = invoke("diff", tree, *scope, "-o", "json")
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["added"] == [] and data["removed"] == []
    [changed] = data["changed"]
    assert (changed["restApiId"], changed["stage"], changed["changes"][0]["path"]) == ("mm00000001", "prod", ["tracingEnabled"])
    server.faults["eu-west-1"] = DENY
    partial = invoke("diff", tree, *scope, "-o", "json")
    assert partial.exit_code == 8  # incomplete wins over "differs"
    assert json.loads(partial.stdout)["removed"] == []  # eu-west-1 was not read, not deleted
    assert partial.stderr.startswith("stage: error: incomplete")


def test_regions_are_paced_side_by_side_not_one_after_another(invoke, server):
    """Each (account, region) has its own bucket and its own workers: when one region waits for
    its pace, the other goes on, so both finish together (a shared queue ran them in turn)."""
    _seed(server, "us-west-2", 30, "pp")
    _seed(server, "eu-west-1", 30, "qq")
    result = invoke("list", "--region", "us-west-2", "--region", "eu-west-1", "--endpoint-url", server.url,
                    "--rate", "5", "-o", "json")
    assert result.exit_code == 0, result.stderr
    order = [region for region, path in server.requests if path.endswith("/stages")]
    last_west = max(i for i, r in enumerate(order) if r == "us-west-2")
    last_eu = max(i for i, r in enumerate(order) if r == "eu-west-1")
    assert len(order) - 1 - min(last_west, last_eu) <= 3  # the slower region trails by a call or two


def test_snapshot_keeps_an_account_whose_keys_expired_when_its_profile_names_no_account(invoke, server, tmp_path,
                                                                                          monkeypatch):
    """The default profile names no account id: the first snapshot files it under the id STS told.
    With the keys expired STS fails, the failure knows only the profile, and the account's files
    were dropped as if its stages were deleted; the marker's profile -> account record keeps them."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)  # API Gateway and STS both on the fixture
    _seed(server, "us-west-2", 1, "kk")
    _seed(server, "eu-west-1", 1, "ll")
    tree = tmp_path / "fleet"
    scope = ("--region", "us-west-2", "--region", "eu-west-1")
    first = invoke("snapshot", tree, *scope)
    assert first.exit_code == 0, first.stderr
    before = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.json"))
    assert before == [".stage-snapshot.json",
                      "123456789012/eu-west-1/ll-api-0--ll00000000/dev.json",
                      "123456789012/eu-west-1/ll-api-0--ll00000000/prod.json",
                      "123456789012/us-west-2/kk-api-0--kk00000000/dev.json",
                      "123456789012/us-west-2/kk-api-0--kk00000000/prod.json"]
    marker = json.loads((tree / ".stage-snapshot.json").read_text())
    assert marker["accounts"] == {"default": "123456789012"}
    server.sts_error = "ExpiredToken"
    second = invoke("snapshot", tree, *scope, "-o", "json")
    assert second.exit_code == 8
    errors = json.loads(second.stdout)["errors"]
    # Filed, and named, under the account the snapshot recorded for the profile.
    assert [(e["account"], e["region"], e["exitCode"]) for e in errors] == [
        ("123456789012", "eu-west-1", 4), ("123456789012", "us-west-2", 4)]
    assert all("expired" in e["reason"] for e in errors), [e["reason"] for e in errors]
    assert sorted(str(p.relative_to(tree)) for p in tree.rglob("*.json")) == before


def test_the_account_id_comes_from_one_sts_call_of_our_client_with_its_debug_line(invoke, server, monkeypatch):
    """STS goes through aws.Client like every call: bounded, paced, and one --debug line each."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    _seed(server, "us-west-2", 1, "mm")
    result = invoke("list", "--region", "us-west-2", "--debug", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert [s["account"] for s in json.loads(result.stdout)["stages"]] == ["123456789012"] * 2
    assert server.sts_requests == ["GetCallerIdentity"]
    [line] = [line for line in result.stderr.splitlines() if "GetCallerIdentity" in line]
    assert line.startswith("stage: debug: GetCallerIdentity() region us-east-1 endpoint http://127.0.0.1:")
    assert "attempt 1/3: HTTP 200" in line


def test_a_bug_in_the_sts_lookup_fails_the_profile_instead_of_relabelling_its_rows(invoke, server, monkeypatch):
    """Only our typed errors mean "STS cannot tell"; a bug is an internal error (exit 70 per cell),
    not rows quietly named after the profile."""
    from apigw_stage.sources import aws

    real = aws.Client.call

    def call(self, operation, **params):
        if operation == "get_caller_identity":
            raise RuntimeError("a bug")
        return real(self, operation, **params)

    monkeypatch.setattr(aws.Client, "call", call)
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    _seed(server, "us-west-2", 1, "nn")
    result = invoke("list", "--region", "us-west-2", "--region", "eu-west-1", "-o", "json")
    assert result.exit_code == 8
    data = json.loads(result.stdout)
    assert data["stages"] == []
    assert [(e["region"], e["reason"], e["exitCode"]) for e in data["errors"]] == [
        ("eu-west-1", "internal error: RuntimeError (please report it)", 70),
        ("us-west-2", "internal error: RuntimeError (please report it)", 70)]


def test_a_profile_s_credentials_are_resolved_once_for_the_whole_scan(invoke, server, fake_aws, monkeypatch):
    """Three regions are six clients (REST and v2 each); the profile's credential_process (for an
    assumed role, an AssumeRole call) runs once, not once per client."""
    log = fake_aws / "runs"
    helper = fake_aws / "creds.py"
    helper.write_text("import sys\nopen(sys.argv[1], 'a').write('run\\n')\n"
                      "print('{\"Version\": 1, \"AccessKeyId\": \"AKIAFAKEFAKEFAKE9999\", "
                      "\"SecretAccessKey\": \"fake-secret\"}')\n")
    (fake_aws / "aws-config").write_text(
        f"[profile p]\naws_account_id = 111122223333\ncredential_process = {sys.executable} {helper} {log}\n")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    _list_in_three_regions(invoke, server, "p")
    assert log.read_text() == "run\n"


def _list_in_three_regions(invoke, server, profile: str) -> dict:
    """`list --profile PROFILE` over one API in each of three regions: its json, all six stages read."""
    regions = ("us-west-2", "eu-west-1", "ap-south-1")
    for region in regions:
        _seed(server, region, 1, region[:2])
    result = invoke("list", "--profile", profile, *(f"--region={r}" for r in regions), "--endpoint-url", server.url,
                    "-o", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["stages"]) == 6
    return data


def test_an_assumed_role_is_assumed_once_in_the_profile_s_region(invoke, server, fake_aws, monkeypatch):
    """Not in the region of whichever cell made the first client (with --all-regions that was
    af-south-1, an opt-in region: every cell failed where the account had not enabled it)."""
    (fake_aws / "aws-config").write_text(
        "[profile audit]\nrole_arn = arn:aws:iam::111122223333:role/audit\nsource_profile = base\n"
        "region = eu-central-1\n")
    (fake_aws / "aws-credentials").write_text(
        "[base]\naws_access_key_id = AKIAFAKEFAKEFAKE5678\naws_secret_access_key = fake-base-secret\n")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", server.url)
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    data = _list_in_three_regions(invoke, server, "audit")
    assert {s["account"] for s in data["stages"]} == {"111122223333"}
    assert server.sts_requests == ["AssumeRole"]
    assert server.sts_regions == ["eu-central-1"]


def test_a_passing_sts_failure_leaves_the_snapshot_where_it_is(invoke, server, tmp_path, monkeypatch):
    """The account id of a profile that names none comes from STS; when STS cannot answer this
    time, the stages stay under the id the snapshot recorded instead of moving to a directory named
    after the profile (every file removed and added again, exit 0)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    _seed(server, "us-west-2", 1, "pp")
    tree = tmp_path / "fleet"
    assert invoke("snapshot", tree, "--region", "us-west-2").exit_code == 0
    before = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.json"))
    assert "123456789012/us-west-2/pp-api-0--pp00000000/prod.json" in before
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1")  # refused: STS cannot tell
    again = invoke("snapshot", tree, "--region", "us-west-2", "-o", "json")
    assert again.exit_code == 0, again.stderr
    assert sorted(str(p.relative_to(tree)) for p in tree.rglob("*.json")) == before
    compared = invoke("diff", str(tree), "--region", "us-west-2", "-o", "json")
    assert compared.exit_code == 0, compared.stdout
    assert json.loads(compared.stdout) == {"added": [], "removed": [], "changed": [], "errors": [], "skipped": [],
                                           "notCompared": []}


def test_a_passing_sts_failure_with_v2_denied_keeps_the_v2_files(invoke, server, tmp_path, monkeypatch):
    """What was not read is kept where the snapshot has it, under the recorded account id."""
    from tests.fleetwire import DENY

    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    _seed(server, "us-west-2", 1, "qq")
    server.add_v2("us-west-2", "h77p000009", "web", "HTTP", ("$default",))
    tree = tmp_path / "fleet"
    assert invoke("snapshot", tree, "--region", "us-west-2").exit_code == 0
    before = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.json"))
    assert "123456789012/us-west-2/web--h77p000009/%24default.json" in before  # $ encoded, apart from _default
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1")
    server.v2_faults["us-west-2"] = DENY
    again = invoke("snapshot", tree, "--region", "us-west-2", "-o", "json")
    assert again.exit_code == 0, again.stderr
    assert sorted(str(p.relative_to(tree)) for p in tree.rglob("*.json")) == before
    compared = json.loads(invoke("diff", str(tree), "--region", "us-west-2", "-o", "json").stdout)
    assert (compared["added"], compared["removed"], compared["changed"], compared["errors"]) == ([], [], [], [])
    [skip] = compared["skipped"]  # said, not silently left out
    assert skip["account"] == "123456789012" and skip["reason"].startswith("HTTP/WebSocket APIs not read")


def test_diff_dir_against_live_says_which_region_it_could_not_compare(invoke, server, tmp_path):
    _seed(server, "us-west-2", 1, "rr")
    _seed(server, "eu-west-1", 1, "ss")
    scope = ("--region", "us-west-2", "--region", "eu-west-1", "--endpoint-url", server.url)
    tree = tmp_path / "fleet"
    assert invoke("snapshot", tree, *scope).exit_code == 0
    server.faults["eu-west-1"] = DENY
    result = invoke("diff", str(tree), *scope, "-o", "json")
    assert result.exit_code == 8
    data = json.loads(result.stdout)
    assert (data["added"], data["removed"], data["changed"]) == ([], [], [])
    assert [(e["region"], e["exitCode"]) for e in data["errors"]] == [("eu-west-1", 4)]
    table = invoke("diff", str(tree), *scope, "--no-color", env={"COLUMNS": "120"})
    assert table.exit_code == 8
    assert "No differences between" in table.stdout and "Not read (1)" in table.stdout
    assert "eu-west-1" in table.stdout.split("Not read (1)")[1]


def test_a_snapshot_of_a_narrower_scope_keeps_the_regions_it_did_not_look_at(invoke, server, tmp_path):
    """Refreshing one region replaced the whole tree: the other region's files were deleted
    although its stages still exist; they were only not asked for."""
    _seed(server, "us-west-2", 1, "tt")
    _seed(server, "eu-west-1", 1, "uu")
    tree = tmp_path / "fleet"
    both = ("--region", "us-west-2", "--region", "eu-west-1", "--endpoint-url", server.url)
    assert invoke("snapshot", tree, *both).exit_code == 0
    before = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.json"))
    server.stages[("us-west-2", "tt00000000")].pop()  # dev deleted in the region refreshed
    one = invoke("snapshot", tree, "--region", "us-west-2", "--endpoint-url", server.url)
    assert one.exit_code == 0, one.stderr
    after = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.json"))
    assert after == [p for p in before if p != "default/us-west-2/tt-api-0--tt00000000/dev.json"]
    assert "default/eu-west-1/uu-api-0--uu00000000/prod.json" in after
