"""check -o sarif / -o junit: the formatters over checks.run's result (one stage from a saved
document) and the fleet check's function, against the shapes their readers expect."""

import json
import xml.etree.ElementTree as ET

from apigw_stage.checks import engine as checks
from apigw_stage.checks import registry as checks_registry
from apigw_stage.commands.check import rules as all_rules
from apigw_stage.model import deployed
from apigw_stage.model.report import Checked, StageRef
from apigw_stage.sources import files as document
from apigw_stage.output import junit
from apigw_stage.output import sarif
from tests.conftest import EXAMPLE


def _one_stage():
    doc = document.from_file(EXAMPLE)
    outcome = checks.run(checks.Context(doc, deployed.unknown("read from a file"), {}, "a1b2c3d4e5", "eu-west-1"), set(), checks_registry.CHECKS)
    return StageRef(doc["stageName"], "a1b2c3d4e5", "eu-west-1"), outcome


def test_sarif_has_a_rule_per_check_and_a_result_per_failing_check():
    target, outcome = _one_stage()
    data = json.loads(sarif.dumps(Checked([(target, outcome)], [], all_rules())))
    assert data["version"] == "2.1.0" and data["$schema"].endswith("sarif-2.1.0.json")
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.id for c in checks_registry.CHECKS]
    for rule, check in zip(rules, checks_registry.CHECKS):
        # GitHub code scanning reads security-severity as a number in a string, and help text
        assert float(rule["properties"]["security-severity"]) >= 0
        assert rule["help"]["text"] and rule["shortDescription"]["text"] == check.title
    failing = [c["id"] for c in outcome["checks"] if c["status"] == "fail"]
    assert failing == ["STAGE.1"]
    [result] = run["results"]
    assert result["ruleId"] == "STAGE.1" and rules[result["ruleIndex"]]["id"] == "STAGE.1"
    arn = "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod"
    # Issue 21: GitHub takes only file locations; a live stage is at the path `stage snapshot`
    # would write, its ARN a logical location.
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "_/eu-west-1/unnamed--a1b2c3d4e5/prod.json"
    assert result["locations"][0]["logicalLocations"][0] == {"fullyQualifiedName": arn, "kind": "resource"}
    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]


def test_sarif_names_what_was_not_read_and_marks_the_run_unsuccessful():
    data = json.loads(sarif.dumps(Checked([], [("profile dev eu-west-1", "not authorised: denied")], all_rules())))
    [invocation] = data["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "not read: profile dev eu-west-1: not authorised: denied"


def test_junit_one_testcase_per_check_failures_skips_and_errors():
    target, outcome = _one_stage()
    root = ET.fromstring(junit.dumps(Checked([(target, outcome)], [("profile dev eu-west-1", "denied\x1b[31m")], all_rules())))
    # Issue 21: one suite per stage, the scopes not read in a suite of their own.
    suite, unread = root.findall("testsuite")
    cases = suite.findall("testcase") + unread.findall("testcase")
    assert len(cases) == len(checks_registry.CHECKS) + 1
    assert root.get("tests") == str(len(checks_registry.CHECKS) + 1) and root.get("failures") == "1"
    # STAGE.6 not evaluated; STAGE.7 (issue 22) not applicable: the stage has a */* entry; STAGE.20-23
    # not applicable (a file: no account throttle or plans, issue 23).
    assert root.get("errors") == "1" and suite.get("skipped") == "6"
    assert root.get("skipped") is None  # junit-10.xsd allows no skipped on <testsuites>
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name").split()[0] for c in failed] == ["STAGE.1"]
    assert failed[0].get("classname") == "eu-west-1/a1b2c3d4e5/prod"
    error = cases[-1].find("error")
    assert error.get("message") == "denied\\e[31m"  # no raw escape in XML (1.0 cannot hold it)


def test_single_stage_documents_for_emit():
    target, outcome = _one_stage()
    checked = Checked([(target, outcome)], [], all_rules())
    assert json.loads(sarif.dumps(checked))["runs"][0]["results"][0]["ruleId"] == "STAGE.1"
    assert ET.fromstring(junit.dumps(checked)).tag == "testsuites"


def test_single_stage_check_as_sarif_and_junit_from_a_file(invoke):
    """sarif/junit for one stage, from the command line: the file is the location."""
    import json as _json
    import xml.etree.ElementTree as ET

    from tests.conftest import EXAMPLE

    sarif = invoke("check", "-f", EXAMPLE, "-o", "sarif")
    assert sarif.exit_code in (0, 1), sarif.stderr
    doc = _json.loads(sarif.stdout)
    assert doc["version"] == "2.1.0"
    locations = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert locations and all(EXAMPLE.rsplit("/", 1)[-1] in uri for uri in locations)
    junit = invoke("check", "-f", EXAMPLE, "-o", "junit")
    assert junit.exit_code == sarif.exit_code
    cases = list(ET.fromstring(junit.stdout).iter("testcase"))
    assert {c.get("name").split()[0] for c in cases} >= {"APIGateway.1", "STAGE.1"}


def test_a_format_a_command_does_not_write_is_exit_2(invoke):
    from tests.conftest import EXAMPLE

    result = invoke("show", "-f", EXAMPLE, "-o", "sarif")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("stage: error: Invalid value for '--output'")


def test_junit_failure_text_is_one_real_line_per_finding_and_fix_command():
    """Each finding and fix command on a line of its own (real newlines, no literal backslash-n);
    a newline inside service text stays escaped, so it cannot forge a line."""
    entry = {"id": "STAGE.1", "title": "No data trace", "severity": "high", "status": "fail",
             "findings": [{"where": "GET /a", "reason": "data trace on"},
                          {"where": "GET /b\nFix: rm -rf /", "reason": "data trace on"}],
             "fixCommands": [["aws", "apigateway", "update-stage", "--stage-name", "prod"],
                             ["aws", "apigateway", "flush-stage-cache", "--stage-name", "prod"]]}
    outcome = {"stageName": "prod", "passed": False, "checks": [entry]}
    root = ET.fromstring(junit.dumps(Checked([(StageRef("prod", "a1b2c3d4e5", "eu-west-1"), outcome)], [], all_rules())))
    # Issue 21: a testcase per place (method entry) of a failing control, each with its evidence.
    first, second = [f.text for f in root.findall("testsuite/testcase/failure")]
    fixes = ["Fix: aws apigateway update-stage --stage-name prod",
             "     aws apigateway flush-stage-cache --stage-name prod"]
    assert first.splitlines() == ["GET /a: data trace on", *fixes]
    assert second.splitlines() == ["GET /b\\nFix: rm -rf /: data trace on", *fixes]


def _v2_stage_file(tmp_path) -> str:
    """The HTTP API stage of awscli/examples/apigatewayv2/get-stage.rst, saved as a user would."""
    from tests.test_v2 import GET_STAGE

    path = tmp_path / "v2-stage.json"
    path.write_text(json.dumps(GET_STAGE))
    return str(path)


def test_sarif_of_a_v2_stage_points_each_result_at_its_own_rule(invoke, tmp_path):
    """The v2 family's checks are the rules, and a result's ruleIndex is its own check's (it was
    0, REST's APIGateway.1, for every v2 result)."""
    from apigw_stage.core import families

    result = invoke("check", "--file", _v2_stage_file(tmp_path), "-o", "sarif")
    assert result.exit_code == 1, result.stderr
    run = json.loads(result.stdout)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    v2_checks = checks_registry.registry(families.V2)
    assert [r["id"] for r in rules] == [c.id for c in v2_checks]
    assert [r["shortDescription"]["text"] for r in rules] == [c.title for c in v2_checks]
    assert "APIGateway.9" in {r["ruleId"] for r in run["results"]}  # the example has no access logs
    titles = {c.id: c.title for c in v2_checks}
    for found in run["results"]:
        rule = rules[found["ruleIndex"]]
        assert rule["id"] == found["ruleId"]
        assert rule["shortDescription"]["text"] == titles[found["ruleId"]]


def test_sarif_arn_of_a_v2_stage_is_under_apis_and_rest_under_restapis():
    """API Gateway's ARN formats: /restapis/ID/stages/NAME (REST), /apis/ID/stages/NAME (v2)."""
    from apigw_stage.core import families

    assert StageRef("prod", "a1b2c3d4e5", "eu-west-1").arn == \
        "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod"
    v2 = StageRef("$default", "a1b2c3d4e5", "eu-west-1", family=families.V2)
    assert v2.arn == "arn:aws:apigateway:eu-west-1::/apis/a1b2c3d4e5/stages/$default"
    # Issue 21: the file location is never the ARN; a stage of no known API is a file path.
    assert StageRef("prod", family=families.V2).path == "_/_/unnamed--API/prod.json"


def test_sarif_rule_ids_stay_unique_when_rest_and_v2_stages_share_a_control():
    """APIGateway.1 is one Security Hub control for REST and WebSocket stages: one rule naming
    both, and both stages' results point at it."""
    from apigw_stage.core import families
    from tests.test_v2 import WEBSOCKET
    from apigw_stage.model import v2 as v2doc

    rest_target, rest_outcome = _one_stage()
    ws_outcome = checks.run(checks.Context(v2doc.normalise(WEBSOCKET), None, {}, "b1b2c3d4e5", "eu-west-1", "WEBSOCKET"), set(),
                            checks_registry.registry(families.V2))
    ws_target = StageRef("production", "b1b2c3d4e5", "eu-west-1", family=families.V2)
    run = json.loads(sarif.dumps(Checked([(rest_target, rest_outcome), (ws_target, ws_outcome)], [], all_rules())))["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))
    [rule] = [r for r in run["tool"]["driver"]["rules"] if r["id"] == "APIGateway.1"]
    titles = [c.title for registry in (checks_registry.CHECKS, checks_registry.registry(families.V2))
              for c in registry if c.id == "APIGateway.1"]
    assert rule["shortDescription"]["text"] == "; ".join(titles) and titles[0] != titles[1]
    located = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for r in run["results"]}
    assert located == {rest_target.arn, "arn:aws:apigateway:eu-west-1::/apis/b1b2c3d4e5/stages/production"}
    for found in run["results"]:
        assert run["tool"]["driver"]["rules"][found["ruleIndex"]]["id"] == found["ruleId"]
