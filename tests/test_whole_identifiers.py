"""Issue 19, item 9: identifiers a user copies (ARNs, API ids, invoke and variable URLs, fix
commands, fleet ids) are never split across lines, at 80 and 120 columns: each is found whole in
the text. A word wider than the terminal gets a line of its own, whole; every other line fits."""

import json

import pytest
from rich.cells import cell_len

from tests.docs import wire_stage

WAF = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/petstore-production-acl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
LOGS = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/petstore-production-access-logs"
URL = "https://internal-petstore-backend-1234567890.eu-west-1.elb.amazonaws.com/v1/pets"
CANARY_URL = "https://internal-petstore-backend-canary-0987654321.eu-west-1.elb.amazonaws.com/v2/pets"
ALIAS = "arn:aws:lambda:eu-west-1:123456789012:function:petstore-handler:live"
SHORT_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:pets"


@pytest.fixture
def long_file(tmp_path):
    doc = {**wire_stage(), "webAclArn": WAF,
           "accessLogSettings": {"destinationArn": LOGS, "format": "$context.requestId"},
           "variables": {"backendUrl": URL, "lambdaAlias": ALIAS, "fn": SHORT_ARN},
           "canarySettings": {"percentTraffic": 10.0, "deploymentId": "abc123",
                              "stageVariableOverrides": {"backendUrl": CANARY_URL}}}
    path = tmp_path / "long.json"
    path.write_text(json.dumps(doc, default=str))
    return str(path)


def _whole(out: str, width: int, words):
    lines = out.splitlines()
    for word in words:
        assert any(word in line for line in lines), f"{word!r} split at {width} columns:\n{out}"
    for line in lines:  # wider than the terminal only for one word too long for any line
        assert cell_len(line) <= width or len(line.split()) <= 2, line


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("command, words", [
    (("show",), [WAF, LOGS, URL, ALIAS, SHORT_ARN, "k2xq9d", "abc123"]),
    (("vars",), [URL, ALIAS, SHORT_ARN]),
    (("vars", "--canary"), [URL, CANARY_URL, ALIAS, SHORT_ARN]),
    (("canary",), [URL, CANARY_URL, ALIAS, "abc123"]),
    (("check",), ["apigateway-stage-access-logs-enabled", "Config.AccessLogs", "APIGateway.1"]),
])
def test_every_identifier_is_whole(invoke, long_file, command, words, width):
    result = invoke(*command, "-f", long_file, "--no-color", env={"COLUMNS": str(width)})
    assert result.exit_code in (0, 1), result.stderr
    _whole(result.stdout, width, words)


@pytest.mark.parametrize("width", [80, 120])
def test_fix_commands_are_whole_after_joining_continuations(invoke, long_file, width):
    data = json.loads(invoke("check", "-f", long_file, "-o", "json").stdout)
    fixes = [c["fix"] for c in data["checks"] if c.get("fix")]
    out = invoke("check", "-f", long_file, "--no-color", env={"COLUMNS": str(width)}).stdout
    joined = out.replace(" \\\n    ", " ")
    for fix in fixes:
        assert fix.replace("API_ID", "API_ID") in joined or all(w in joined for w in fix.split())
