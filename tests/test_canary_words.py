"""Issue 19, item 17: a canary the table cannot describe says so in a clear line: percentTraffic
that is not a number is not 0%, a canary without deploymentId is not "deployment None", and
`vars --canary` on a stage without a canary says it has none (on stderr, whatever the format)."""

import json

import pytest

from tests.docs import wire_stage


def _file(tmp_path, canary):
    doc = {**wire_stage(), "stageName": "prod", "deploymentId": "dep111", "variables": {"table": "pets"}}
    doc.pop("canarySettings", None)
    if canary is not None:
        doc["canarySettings"] = canary
    path = tmp_path / "stage.json"
    path.write_text(json.dumps(doc))
    return str(path)


@pytest.mark.parametrize("command", ["show", "canary"])
def test_percent_that_is_not_a_number_is_not_zero(invoke, tmp_path, command):
    path = _file(tmp_path, {"percentTraffic": "ten", "deploymentId": "dep222"})
    result = invoke(command, "--file", path, "--no-color", env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    assert "0%" not in result.stdout
    assert "percentTraffic 'ten' is not a number" in " ".join(result.stdout.split())
    data = json.loads(invoke(command, "--file", path, "-o", "json").stdout)
    assert (data.get("canarySettings") or data)["percentTraffic"] == "ten"  # json keeps it exact


@pytest.mark.parametrize("command", ["show", "canary"])
def test_canary_without_deployment_says_so(invoke, tmp_path, command):
    path = _file(tmp_path, {"percentTraffic": 10.0})
    result = invoke(command, "--file", path, "--no-color", env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    assert "None" not in result.stdout
    assert "no deploymentId" in " ".join(result.stdout.split())


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_vars_canary_without_a_canary_says_it_has_none(invoke, tmp_path, fmt):
    path = _file(tmp_path, None)
    result = invoke("vars", "--file", path, "--canary", "-o", fmt, "--no-color")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ("stage: note: --canary: the stage has no canary release (it has none); "
                             "its own values are shown\n")
    if fmt == "json":
        assert json.loads(result.stdout) == {"variables": {"table": "pets"}, "stageVariableOverrides": {}}


def test_vars_canary_with_a_canary_says_nothing_more(invoke, tmp_path):
    path = _file(tmp_path, {"percentTraffic": 10.0, "deploymentId": "dep222",
                            "stageVariableOverrides": {"table": "pets-canary"}})
    result = invoke("vars", "--file", path, "--canary", "--no-color")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "pets-canary" in result.stdout
