"""Issue 21: every output of `check` as the CI systems' own validators judge it, for every
source (one live stage, a fleet, --file, a snapshot DIR) and every report format; the exit
rule; locations on the exact line; escaping; fleet scans that read nothing (issue 19).

The validators are ../shared/validators (its README): exit 0 valid, 1 invalid with reasons, 3
could not judge. Outside CI a test that cannot find them skips; under STAGE_REQUIRE_PROGRAMS=1
(.ci/run) it fails, and so does an exit 3."""

import json
import os
import shutil
import socket
import subprocess
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import EXAMPLE, REQUIRE_PROGRAMS, ROOT
from tests.docs import wire_stage
from tests.fleetwire import DENY, FleetServer

VALIDATORS = os.environ.get("STAGE_VALIDATORS") or os.path.join(os.path.dirname(ROOT), "shared", "validators")
FORMATS = ("sarif", "junit", "github", "gitlab")
SOURCES = ("live", "fleet", "file", "dir")
REGION = "us-west-2"
API = "a1b2c3d4e5"


def validate(kind: str, path) -> None:
    tool = os.path.join(VALIDATORS, kind)
    if not os.access(tool, os.X_OK):
        message = f"the {kind} validator is not at {tool} (../shared/validators beside the checkout)"
        if REQUIRE_PROGRAMS:
            pytest.fail(message)
        pytest.skip(message)
    proc = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=600)
    if proc.returncode == 3:
        if REQUIRE_PROGRAMS:
            pytest.fail(f"{kind} could not judge: {proc.stdout}{proc.stderr}")
        pytest.skip(f"{kind} validator could not judge here: {(proc.stdout + proc.stderr).strip()[-300:]}")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture
def fleet():
    server = FleetServer().start()
    server.retry_after = "0"
    server.add(REGION, "r3st000001", "orders", ("prod", "dev"))
    server.add_v2(REGION, "w5s0000001", "chat", "WEBSOCKET", ("live",),
                  defaultRouteSettings={"loggingLevel": "OFF", "dataTraceEnabled": True})
    server.add_v2(REGION, "h77p000001", "web", "HTTP", ("$default",), stageVariables={"password": "hunter2hunter2"})
    yield server
    server.stop()


def _snapshot(invoke, fleet, tmp_path):
    root = tmp_path / "snap shot#1"
    result = invoke("snapshot", str(root), "--region", REGION, "--endpoint-url", fleet.url)
    assert result.exit_code == 0, result.stderr
    return root


def _run(invoke, source, fmt, fleet, wire, tmp_path, monkeypatch, *extra):
    monkeypatch.chdir(tmp_path)
    if source == "live":
        wire.stages[(API, "prod")] = wire_stage()
        return invoke("check", API, "prod", "--endpoint-url", wire.url, "-o", fmt, *extra)
    if source == "fleet":
        return invoke("check", "--region", REGION, "--region", "eu-west-1", "--endpoint-url", fleet.url, "-o", fmt, *extra)
    if source == "file":
        shutil.copy(EXAMPLE, tmp_path / "prod stage?.json")
        return invoke("check", "--file", "prod stage?.json", "-o", fmt, *extra)
    root = _snapshot(invoke, fleet, tmp_path)
    return invoke("check", root.name, "-o", fmt, *extra)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("source", SOURCES)
def test_every_source_and_format_passes_its_validator(invoke, source, fmt, fleet, wire, tmp_path, monkeypatch):
    result = _run(invoke, source, fmt, fleet, wire, tmp_path, monkeypatch)
    assert result.exit_code == 1, result.stderr  # each source holds a failing check
    assert "Traceback" not in result.stderr
    out = tmp_path / f"report.{fmt}"
    out.write_text(result.stdout, encoding="utf-8")
    validate(fmt, out)


def test_sarif_locates_a_file_finding_on_its_key_with_an_encoded_relative_uri(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stages").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "stages" / "a b#c?.json")
    result = invoke("check", "--file", "stages/a b#c?.json", "-o", "sarif")
    assert result.exit_code == 1
    [result_] = json.loads(result.stdout)["runs"][0]["results"]
    physical = result_["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "stages/a%20b%23c%3F.json", "uriBaseId": "%SRCROOT%"}
    lines = open(EXAMPLE, encoding="utf-8").read().splitlines()
    # STAGE.1 on the DELETE entry: the line of its "dataTraceEnabled" key, at the key's quote.
    line = physical["region"]["startLine"]
    assert lines[line - 1].strip().startswith('"dataTraceEnabled": true')
    assert lines[line - 1].index('"') + 1 == physical["region"]["startColumn"]
    assert '"~1pets~1{petId}/DELETE"' in "\n".join(lines[line - 4:line])


def test_sarif_root_makes_locations_relative_to_it(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "repo" / "snap").mkdir(parents=True)
    shutil.copy(EXAMPLE, tmp_path / "repo" / "snap" / "prod.json")
    result = invoke("check", "--file", "repo/snap/prod.json", "--sarif-root", "repo", "-o", "gitlab")
    [finding] = json.loads(result.stdout)
    assert finding["location"]["path"] == "snap/prod.json" and finding["location"]["lines"]["begin"] > 1


def test_live_stage_is_at_its_snapshot_path_with_the_arn_as_logical_location(invoke, wire, tmp_path, monkeypatch):
    log = json.loads(_run(invoke, "live", "sarif", None, wire, tmp_path, monkeypatch).stdout)
    uris = []

    def walk(value):
        if isinstance(value, dict):
            uris.extend(v for k, v in value.items() if k == "uri")
            for k, v in value.items():
                if k != "properties":
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(log)
    assert uris and all(":" not in uri for uri in uris)  # no scheme anywhere: all relative file paths
    run = log["runs"][0]
    location = run["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == f"default/us-east-1/unnamed--{API}/prod.json"
    assert location["logicalLocations"] == [{"fullyQualifiedName": f"arn:aws:apigateway:us-east-1::/restapis/{API}/stages/prod",
                                             "kind": "resource"}]
    assert run["automationDetails"]["id"].startswith("stage-check/") and API in run["automationDetails"]["id"]


def test_fingerprints_stay_when_unrelated_settings_change(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = json.load(open(EXAMPLE, encoding="utf-8"))
    (tmp_path / "s.json").write_text(json.dumps(doc, indent=2))
    first = json.loads(invoke("check", "--file", "s.json", "-o", "sarif").stdout)["runs"][0]["results"]
    doc["description"] = "changed\nover two lines"
    doc["tags"] = {"team": "pets"}
    (tmp_path / "s.json").write_text(json.dumps(doc, indent=4))
    second = json.loads(invoke("check", "--file", "s.json", "-o", "sarif").stdout)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in first] == [r["partialFingerprints"] for r in second]
    assert first[0]["locations"][0]["physicalLocation"]["region"] != second[0]["locations"][0]["physicalLocation"]["region"]


def test_snapshot_dir_and_the_live_fleet_share_fingerprints(invoke, fleet, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = _snapshot(invoke, fleet, tmp_path)
    offline = json.loads(invoke("check", root.name, "-o", "gitlab").stdout)
    live = json.loads(invoke("check", "--region", REGION, "--endpoint-url", fleet.url, "-o", "gitlab").stdout)
    assert {f["fingerprint"] for f in offline} == {f["fingerprint"] for f in live}
    assert all(f["location"]["path"].startswith("snap shot#1/default/us-west-2/") for f in offline)
    assert len({f["fingerprint"] for f in offline}) == len(offline)


def test_offline_check_makes_no_call(invoke, fleet, tmp_path, monkeypatch):
    """DIR and --file need no credentials and open no socket."""
    root = _snapshot(invoke, fleet, tmp_path)
    monkeypatch.chdir(tmp_path)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)

    def no_network(*args, **kwargs):
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    result = invoke("check", root.name, "-o", "json")
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert {s["apiName"] for s in data["stages"]} == {"orders", "chat", "web"}
    assert all("hunter2" not in json.dumps(s["stage"]) for s in data["stages"])  # never print a secret
    stages = {"item": [wire_stage(stageName="a"), wire_stage(stageName="b", tracingEnabled=True)]}
    (tmp_path / "stages.json").write_text(json.dumps(stages))
    many = invoke("check", "--file", "stages.json", "-o", "junit")
    assert many.exit_code == 1, many.stderr
    suites = ET.fromstring(many.stdout).findall("testsuite")
    assert [s.get("file") for s in suites] == ["stages.json", "stages.json"]


def test_saved_fleet_listing_is_checked_with_its_accounts(invoke, fleet, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    listing = invoke("list", "--region", REGION, "--endpoint-url", fleet.url, "-o", "json")
    (tmp_path / "fleet.json").write_text(listing.stdout)
    result = invoke("check", "--file", "fleet.json", "-o", "json")
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert {(s["region"], s["restApiId"], s["apiName"]) for s in data["stages"]} == {
        (REGION, "r3st000001", "orders"), (REGION, "w5s0000001", "chat"), (REGION, "h77p000001", "web")}
    gitlab = json.loads(invoke("check", "--file", "fleet.json", "-o", "gitlab").stdout)
    assert gitlab and all(f["location"]["path"] == "fleet.json" and f["location"]["lines"]["begin"] > 1 for f in gitlab)


def _status(invoke, tmp_path, fmt, *extra):
    """A stage whose only non-passing checks are not evaluated (a file: the deployed methods unknown)."""
    doc = {"stageName": "ok", "deploymentId": "d1", "tracingEnabled": True, "webAclArn": "arn:aws:wafv2:x",
           "accessLogSettings": {"destinationArn": "arn:aws:logs:x", "format": "$context.requestId"},
           "methodSettings": {"*/*": {"loggingLevel": "ERROR", "throttlingRateLimit": 10.0, "throttlingBurstLimit": 5}}}
    (tmp_path / "ok.json").write_text(json.dumps(doc, indent=2))
    return invoke("check", "--file", "ok.json", "-o", fmt, *extra)


@pytest.mark.parametrize("fmt", ("json", "table", *FORMATS))
def test_exit_rule_not_evaluated_alone_passes_and_strict_fails(invoke, tmp_path, monkeypatch, fmt):
    """README, "Exit status of check": exit 1 only when a check fails; not evaluated is skipped
    (exit 0); --strict makes a non-informational not evaluated fail. Each format agrees."""
    monkeypatch.chdir(tmp_path)
    relaxed = _status(invoke, tmp_path, fmt)
    strict = _status(invoke, tmp_path, fmt, "--strict")
    assert relaxed.exit_code == 0, relaxed.stderr
    assert strict.exit_code == 1, strict.stderr
    if fmt == "sarif":
        assert json.loads(relaxed.stdout)["runs"][0]["results"] == []
        assert {r["ruleId"] for r in json.loads(strict.stdout)["runs"][0]["results"]} == {"APIGateway.2"}
    elif fmt == "junit":
        loose, tight = ET.fromstring(relaxed.stdout), ET.fromstring(strict.stdout)
        # Skipped: the two not evaluated, and STAGE.20-23 not applicable (a lone file has no
        # account throttle or usage plans beside it, issue 23).
        # Issue 22's checks (merged after this test was written) add two skipped cases here.
        assert loose.get("failures") == "0" and loose.find("testsuite").get("skipped") == "8"
        assert tight.get("failures") == "1" and tight.find("testsuite").get("skipped") == "7"
        reasons = [s.text for s in loose.iter("skipped")]
        assert all(r and r.startswith(("not evaluated: ", "not applicable: ")) for r in reasons)
        assert sum(r.startswith("not evaluated: ") for r in reasons) == 2
    elif fmt in ("github", "gitlab"):
        assert relaxed.stdout.strip() in ("", "[]")
        assert "APIGateway.2" in strict.stdout
    elif fmt == "json":
        assert json.loads(relaxed.stdout)["passed"] is True and json.loads(strict.stdout)["passed"] is False


def test_github_annotations_escape_properties_and_messages():
    from apigw_stage.model.report import Checked, StageRef
    from apigw_stage.output import github

    entry = {"id": "STAGE.3", "title": "No canary left at 0% or 100%", "severity": "high", "status": "fail",
             "findings": [{"where": "GET /a,b:c", "reason": "50% off\r\nnext"}], "fixCommands": [["aws", "x"], ["aws", "y"]]}
    target = StageRef("prod", file="d/a,b:c%.json", path="d/a,b:c%.json", paths={"STAGE.3": [("methodSettings", "x")]})
    [line] = github.lines(Checked([(target, {"checks": [entry]})], [], {}))
    assert line.startswith("::error file=d/a%2Cb%3Ac%25.json,line=1,col=1,title=STAGE.3 No canary left at 0%25 or 100%25::")
    assert "50%25 off\\r\\nnext" in line and "\n" not in line and "%0AFix: aws x ; aws y" in line


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\x00", "\x1b", "\ud800"])
def test_junit_escapes_every_character_outside_xml_char(char, tmp_path):
    """Issue 20: a name holding U+FFFE or U+FFFF (or a control character, or a lone surrogate)
    must not make the JUnit ill-formed."""
    from apigw_stage.model.report import Checked, StageRef
    from apigw_stage.output import junit

    entry = {"id": "STAGE.5", "title": "No secrets", "severity": "high", "status": "fail",
             "findings": [{"where": f"variable a{char}b", "reason": f"looks{char}secret"}], "fixCommands": [["aws", f"x{char}"]]}
    checked = Checked([(StageRef(f"st{char}age", "a1b2c3d4e5", "eu-west-1"), {"checks": [entry]})],
                      [(f"scope{char}", f"why{char}")], {})
    text = junit.dumps(checked)
    root = ET.fromstring(text.encode("utf-8", "surrogatepass"))
    assert root.find("testsuite").get("name").startswith("eu-west-1/a1b2c3d4e5/st\\")
    out = tmp_path / "hostile.xml"
    out.write_bytes(text.encode("utf-8", "surrogatepass"))
    validate("junit", out)


def test_fleet_that_reads_no_region_names_each_and_exits_8(invoke, fleet, tmp_path):
    fleet.faults = {REGION: DENY, "eu-west-1": DENY}
    for fmt in ("json", "sarif", "junit"):
        result = invoke("check", "--region", REGION, "--region", "eu-west-1", "--endpoint-url", fleet.url, "-o", fmt)
        assert result.exit_code == 8, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert "no region could be read" in line and REGION in line and "eu-west-1" in line and "not authorized" in line
        if fmt == "sarif":
            run = json.loads(result.stdout)["runs"][0]
            assert run["properties"]["incomplete"] is True
            assert {n["scope"].split()[-1] for n in run["properties"]["notRead"]} == {REGION, "eu-west-1"}
            assert run["invocations"][0]["executionSuccessful"] is False
        if fmt == "junit":
            root = ET.fromstring(result.stdout)
            assert root.get("errors") == "2"
            assert {c.get("classname").split()[-1] for c in root.iter("testcase")} == {REGION, "eu-west-1"}
            out = tmp_path / "unread.xml"
            out.write_text(result.stdout)
            validate("junit", out)


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_the_ci_examples_snapshot_nightly_and_check_offline(name):
    """examples/: a workflow and a job a user can copy: YAML, a snapshot, the offline check with
    the formats their CI shows (README, "CI reports")."""
    import yaml

    text = open(os.path.join(ROOT, "examples", name), encoding="utf-8").read()
    yaml.safe_load(text)
    assert "stage snapshot snapshot/" in text and "stage check snapshot/" in text
    wanted = ("-o sarif", "-o junit", "-o github", "upload-sarif") if name.startswith("github") else \
        ("-o gitlab", "-o junit", "codequality:", "junit:")
    assert all(word in text for word in wanted)


def test_sarif_cut_to_the_upload_limit_says_so_in_the_log_and_on_stderr(monkeypatch):
    import io

    from apigw_stage.model.report import Checked, StageRef
    from apigw_stage.output import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    entry = {"id": "STAGE.5", "title": "No secrets in stage variables", "severity": "high", "status": "fail",
             "findings": [{"where": f"variable v{i}", "reason": "looks like a secret"} for i in range(5)]}
    target = StageRef("prod", file="s.json", path="s.json", paths={"STAGE.5": [("variables", f"v{i}") for i in range(5)]})
    from apigw_stage.commands.check import rules

    class Env:
        stderr = io.StringIO()

    log = json.loads(sarif.dumps(Checked([(target, {"checks": [entry]})], [], rules()), Env))
    run = log["runs"][0]
    assert len(run["results"]) == 2 and run["properties"]["resultsCut"] == {"written": 2, "total": 5}
    assert "2 of 5" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert Env.stderr.getvalue() == "sarif: results cut to GitHub's upload limits: 2 of 5 written\n"


def test_check_of_a_directory_that_is_not_there_is_exit_2(invoke, tmp_path):
    result = invoke("check", str(tmp_path / "nothing"))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("stage: error: cannot read ") and "no such directory" in result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_keys_and_file_names_stay_valid_in_every_format(invoke, tmp_path, monkeypatch, fmt):
    """Service text and file names holding the formats' own syntax (`::`, `,`, `%`, newlines,
    control characters, U+FFFF) cannot forge an annotation or break a report."""
    monkeypatch.chdir(tmp_path)
    doc = json.load(open(EXAMPLE, encoding="utf-8"))
    doc["methodSettings"]["~1a\n::error file=x::forged,%0A\x1b[2J\uffff/GET"] = {"loggingLevel": "OFF", "dataTraceEnabled": True}
    doc["variables"] = {"api_password%,:": "Zx9!qW3#rT7$yU1@"}
    name = "odd, name: 100%.json"
    (tmp_path / name).write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    result = invoke("check", "--file", name, "-o", fmt)
    assert result.exit_code == 1, result.stderr
    assert "Zx9!qW3" not in result.stdout + result.stderr  # a secret is never printed
    if fmt == "github":
        assert all(line.startswith(("::error ", "::warning ")) for line in result.stdout.splitlines())
    out = tmp_path / f"hostile.{fmt}"
    out.write_text(result.stdout, encoding="utf-8")
    validate(fmt, out)


def test_each_place_carries_only_its_own_fix(invoke, tmp_path, monkeypatch):
    """N failing method entries are N results, each with the one patch operation that fixes it
    (not the N-operation command N times: a report of a large stage stays linear in size)."""
    monkeypatch.chdir(tmp_path)
    settings = {"*/*": {"loggingLevel": "INFO"}}
    settings.update({f"~1r{i}/GET": {"loggingLevel": "OFF"} for i in range(50)})
    (tmp_path / "s.json").write_text(json.dumps({"stageName": "prod", "methodSettings": settings}, indent=2))
    results = json.loads(invoke("check", "--file", "s.json", "-o", "sarif").stdout)["runs"][0]["results"]
    logging = [r for r in results if r["ruleId"] == "APIGateway.1"]
    assert len(logging) == 50
    assert len({r["partialFingerprints"]["stageCheck/v2"] for r in logging}) == 50
    import re

    seen = set()
    for result in logging:
        text = result["message"]["text"]
        [method] = re.findall(r"GET /(r\d+): execution logging OFF", text)
        assert text.count('"op"') == 1 and f"/~1{method}/GET/logging/loglevel" in text
        seen.add(method)
    assert len(seen) == 50


def test_live_fleet_stage_is_located_at_the_file_stage_snapshot_writes(invoke, fleet, tmp_path, monkeypatch):
    """The location of a live stage is the path `stage snapshot` really writes (model/tree.py's
    encoded account, region, API folder and stage file), so a report of the live fleet points
    at the files a committed snapshot holds."""
    monkeypatch.chdir(tmp_path)
    root = _snapshot(invoke, fleet, tmp_path)
    live = json.loads(invoke("check", "--region", REGION, "--endpoint-url", fleet.url, "-o", "gitlab").stdout)
    assert live and all((root / f["location"]["path"]).is_file() for f in live)
