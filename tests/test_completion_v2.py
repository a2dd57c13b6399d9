"""Issue 19, item 7: the completion cache keeps the rows HTTP/WebSocket APIs write ([id, name,
protocol]), so a warm TAB answers from the cache for REST and v2 alike, importing neither boto3
nor botocore, and the cached shortcut for v2 stage names (no REST GetStages first) works."""

import os
import subprocess
import sys

import pytest

from apigw_stage.completion import live as completion
from tests.docs import wire_stage
from tests.test_stage_names import _Unquoting
from tests.test_v2_wire import HTTP_ID, HTTP_PROD, REST_ID

_PROBE = ("import sys\nfrom apigw_stage.entry import main\n"
          "try:\n    main()\nexcept SystemExit:\n    pass\n"
          "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'rich', 'typer', 'yaml', 'click'))\n"
          "print('HEAVY', heavy, file=sys.stderr)")


@pytest.fixture
def both(monkeypatch):
    server = _Unquoting()
    server.v2apis = [{"apiId": HTTP_ID, "name": "pets", "protocolType": "HTTP"}]
    server.v2stages = {(HTTP_ID, "$default"): {**HTTP_PROD, "stageName": "$default"}, (HTTP_ID, "prod"): HTTP_PROD}
    server.stages[(REST_ID, "prod")] = wire_stage()
    server.apis = [{"id": REST_ID, "name": "orders"}]
    server.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    yield server
    server.stop()


def _tab(*words, current=""):
    env = {**os.environ, "_STAGE_COMPLETE": "fast", "STAGE_COMP_WORDS": "\n".join(("stage",) + words),
           "STAGE_COMP_CURRENT": current}
    proc = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, timeout=30)
    return [line.split("\t")[0] for line in proc.stdout.splitlines()], proc.stderr


def test_v2_rows_are_read_back_from_the_cache(both):
    ctx = completion.context()
    first = completion.v2_apis(ctx)
    assert first == [[HTTP_ID, "pets", "HTTP"]]
    calls = len(both.requests)
    assert completion.v2_apis(ctx) == first and len(both.requests) == calls  # was a GetApis every time


def test_warm_tab_of_apis_with_a_v2_api_makes_no_call_and_imports_no_sdk(both):
    completion.api_matches(completion.context(), "")  # a cold TAB: GetRestApis and GetApis
    calls = len(both.requests)
    offered, stderr = _tab("show")
    assert set(offered) >= {REST_ID, HTTP_ID, "orders", "pets"}
    assert "HEAVY []" in stderr, stderr
    assert len(both.requests) == calls


def test_v2_stage_names_use_the_cached_family_and_then_the_cache(both):
    ctx = completion.context()
    completion.api_matches(ctx, "")
    before = len(both.requests)
    assert [s for s, _ in completion.stages(ctx, HTTP_ID)] == ["$default", "prod"]
    # The cache knows the id is an HTTP API: no REST GetStages is tried first.
    assert not any(r.startswith("/restapis") for r in both.requests[before:]), both.requests[before:]
    calls = len(both.requests)
    offered, stderr = _tab("show", HTTP_ID)
    assert offered == ["$default", "prod"] and "HEAVY []" in stderr
    offered, stderr = _tab("settings", "pets", current="pr")
    assert offered == ["prod"] and "HEAVY []" in stderr
    assert len(both.requests) == calls
