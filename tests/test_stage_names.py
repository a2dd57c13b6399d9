"""Issue 19, items 1, 2 and 14: every stage name the service allows works by name (`$default`, the
stage the console gives every HTTP API), what cannot be a stage is one line and exit 2; the
shared options work before the command name too (as with the aws CLI); and a stdout that cannot
be written is exit 74 in one line even in a clean environment (block-buffered stdout)."""

import json
import os
import subprocess
from urllib.parse import unquote

import pytest

from apigw_stage.cli.group import hoist_common
from apigw_stage.core import names
from tests.test_v2_wire import HTTP_ID, HTTP_PROD, V2Wire, REST_ID
from tests.docs import wire_stage

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "examples", "prod-stage.json")
DEFAULT = {**HTTP_PROD, "stageName": "$default"}


class _Unquoting(V2Wire):
    """botocore writes `$default` in a path as %24default; the service reads it back."""

    def answer(self, path):
        return super().answer(unquote(path))


@pytest.fixture
def v2(monkeypatch):
    server = _Unquoting()
    server.v2apis = [{"apiId": HTTP_ID, "name": "pets", "protocolType": "HTTP"}]
    server.v2stages = {(HTTP_ID, "$default"): DEFAULT, (HTTP_ID, "prod"): HTTP_PROD}
    server.stages[(REST_ID, "prod")] = wire_stage()
    server.apis = [{"id": REST_ID, "name": "orders"}]
    server.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    yield server
    server.stop()


def test_the_rule_lives_in_core_names():
    assert names.is_stage_name("$default") and names.is_stage_name("a" * 128)
    assert names.is_stage_name("Prod_2-x")
    for bad in ("", "/", "a/b", "a\x07b", "a" * 129, "$other", "default$", "pro d"):
        assert not names.is_stage_name(bad), bad


@pytest.mark.parametrize("command", [["show"], ["settings"], ["vars"], ["canary"], ["check"]])
def test_default_stage_works_by_name_in_every_command(invoke, v2, command):
    result = invoke(*command, HTTP_ID, "$default", "-o", "json")
    assert result.exit_code in (0, 1), result.stderr  # check: 1 is failing checks, not a refusal
    assert "cannot be a stage name" not in result.stderr
    json.loads(result.stdout)
    # `$default` can only be an HTTP or WebSocket stage: no REST call is spent on it.
    assert not any(r.startswith("/restapis") for r in v2.requests), v2.requests


def test_default_stage_by_name_in_show_table(invoke, v2):
    result = invoke("show", "pets", "$default", "--no-color", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    assert "$default" in result.stdout


def test_default_stage_in_diff(invoke, v2):
    result = invoke("diff", HTTP_ID, "$default", "prod", "-o", "json")
    assert result.exit_code in (0, 1), result.stderr
    result = invoke("diff", f"{HTTP_ID}:$default", f"{HTTP_ID}:prod", "-o", "json")
    assert result.exit_code in (0, 1), result.stderr


def test_default_stage_of_a_rest_api_is_refused_before_any_call(invoke, v2):
    result = invoke("show", REST_ID, "$default", "--family", "rest")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "--family v2" in result.stderr
    assert v2.requests == []


@pytest.mark.parametrize("bad", ["", "/", "a/b", "pr\x1bod", "a" * 129, "$dflt"])
@pytest.mark.parametrize("command", ["show", "settings", "vars", "canary", "check"])
def test_what_cannot_be_a_stage_is_one_line_and_exit_2(invoke, v2, command, bad):
    result = invoke(command, HTTP_ID, bad)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("stage: error: ") and result.stderr.count("\n") == 1
    assert "cannot be a stage name" in result.stderr and "\x1b" not in result.stderr
    assert v2.requests == []


# --- item 2: shared options before the command name --------------------------------------------

def test_hoisting_moves_only_shared_options_before_a_command():
    commands = {"list": None, "show": None}
    assert hoist_common(["--profile", "p", "list"], commands) == ["list", "--profile", "p"]
    assert hoist_common(["--region=eu-west-1", "-o", "json", "show", "A", "S"], commands) == [
        "show", "--region=eu-west-1", "-o", "json", "A", "S"]
    assert hoist_common(["--help"], commands) == ["--help"]
    assert hoist_common(["--bogus", "list"], commands) == ["--bogus", "list"]
    assert hoist_common(["list", "--profile", "p"], commands) == ["list", "--profile", "p"]


def test_region_before_the_command_reaches_the_command(invoke, v2):
    result = invoke("--region", "eu-west-1", "-o", "json", "show", REST_ID, "prod")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stageName"] == "prod"


def test_profile_before_the_command_is_the_commands_profile(invoke, v2):
    result = invoke("--profile", "nosuchprofile", "show", REST_ID, "prod")
    after = invoke("show", REST_ID, "prod", "--profile", "nosuchprofile")
    assert result.exit_code == after.exit_code == 4, result.stderr
    assert result.stderr == after.stderr and "nosuchprofile" in result.stderr


def test_debug_and_no_color_before_the_command(invoke):
    result = invoke("--no-color", "--debug", "show", "--file", EXAMPLE)
    assert result.exit_code == 0, result.stderr


# --- item 14: stdout that cannot be written, block-buffered -----------------------------------

@pytest.mark.parametrize("args", ["--help", "--version", "show --help", "list --help", "check --help",
                                  f"show -f '{EXAMPLE}'"])
def test_full_disk_in_a_clean_environment_is_74_in_one_line(stage_exe, args):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    clean = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": os.environ.get("HOME", "/tmp")}
    proc = subprocess.run(f"'{stage_exe}' {args} >/dev/full", shell=True, capture_output=True,
                          text=True, env=clean)
    assert proc.returncode == 74, proc.stderr
    assert proc.stderr.startswith("stage: error: cannot write the output") and proc.stderr.count("\n") == 1, proc.stderr
