"""Hostile service text in every position of an HTTP or WebSocket (v2) stage's tables: the
protocol type GetApi sends, route keys, settings, variables, tags, unknown fields (DESIGN.md,
untrusted text), and the rule that keeps render/v2.py building text only through render/cells."""

import pytest

from tests.test_hostile_positions import EVIL, assert_inert, test_renderers_build_text_only_through_cells
from tests.test_v2_wire import V2Wire

API = "e1v2api0ab"


def evil_v2_stage() -> dict:
    return {
        "stageName": "live" + EVIL, "description": EVIL, "deploymentId": "d" + EVIL, "autoDeploy": True,
        "lastDeploymentStatusMessage": EVIL, "clientCertificateId": EVIL,
        "accessLogSettings": {"destinationArn": EVIL, "format": EVIL, EVIL: EVIL},
        "defaultRouteSettings": {"loggingLevel": EVIL, "dataTraceEnabled": True, EVIL: EVIL},
        "routeSettings": {EVIL: {"loggingLevel": EVIL, EVIL: EVIL}, "$connect": {"throttlingRateLimit": 5.0}},
        "stageVariables": {EVIL: EVIL, "password": "x" + EVIL}, "tags": {EVIL: EVIL}, EVIL: {EVIL: [EVIL]},
    }


@pytest.fixture
def evil_v2(monkeypatch):
    server = V2Wire()
    server.v2apis = [{"apiId": API, "name": "evil", "protocolType": "WEB\x1b[2JSOCKET" + EVIL}]
    server.v2stages = {(API, "live"): evil_v2_stage()}
    server.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    yield server
    server.stop()


@pytest.mark.parametrize("command", [("show",), ("settings",), ("settings", "-e"), ("vars",), ("canary",), ("check",)])
@pytest.mark.parametrize("columns", ["40", "120"])
def test_evil_text_is_inert_in_every_v2_position(invoke, evil_v2, command, columns):
    result = invoke(*command, API, "live", "--family", "v2", env={"COLUMNS": columns})
    assert result.exit_code in (0, 1), result.stderr
    assert_inert(result.stdout)


def test_evil_protocol_type_is_shown_escaped(invoke, evil_v2):
    """GetApi's protocolType is service text: shown as an API type, escaped (it reached the tree
    as a plain rich Text)."""
    for command in ("show", "settings"):
        out = invoke(command, API, "live", "--family", "v2", "--no-color", env={"COLUMNS": "300"}).stdout
        assert "WEB\\e[2JSOCKET" in out and "\x1b" not in out


def test_evil_text_is_inert_in_a_v2_list(invoke, evil_v2):
    evil_v2.v2stages[(API, "other" + EVIL)] = dict(evil_v2_stage(), stageName="other" + EVIL)
    result = invoke("list", API, "--family", "v2", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout)


def test_v2_renderer_builds_text_only_through_cells():
    test_renderers_build_text_only_through_cells("v2.py")
