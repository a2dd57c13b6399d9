"""What moto lacks (canary, dates, certificate, doc version) and faults, from the wire fixture."""

import json
import time

import pytest

from tests.docs import wire_stage
from tests.wire import HANG, error

API = "a1b2c3d4e5"


@pytest.fixture
def served(wire):
    wire.stages[(API, "prod")] = wire_stage()
    wire.stages[(API, "preprod")] = wire_stage(stageName="preprod")
    return wire


def run(invoke, wire, command, *extra):
    return invoke(command, API, "prod", "--endpoint-url", wire.url, *extra)


@pytest.mark.parametrize("command", ["show", "settings", "canary", "vars"])
@pytest.mark.parametrize("fmt", ["table", "json", "yaml"])
def test_exactly_one_call_per_command(invoke, served, command, fmt):
    result = run(invoke, served, command, "-o", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    # show's table also lists the custom-domain URLs of the stage: GetDomainNames, none here (issue 24).
    domains = ["/domainnames?limit=500"] if (command, fmt) == ("show", "table") else []
    assert served.requests == [f"/restapis/{API}/stages/prod", *domains]


def test_fields_moto_lacks(invoke, served):
    out = run(invoke, served, "show").stdout
    for expected in ("h7n2pq", "2.4.0", "2023-11-14T22:13:20Z", "2024-11-27T09:33:20Z", "10% of traffic"):
        assert expected in out
    data = json.loads(run(invoke, served, "show", "-o", "json").stdout)
    assert data["createdDate"] == "2023-11-14T22:13:20Z"
    assert data["canarySettings"]["deploymentId"] == "p8r3vz"


def test_canary_table(invoke, served):
    out = run(invoke, served, "canary").stdout
    assert "10% canary · 90% stage" in out and "█" in out
    assert "canary p8r3vz · stage k2xq9d" in out
    assert "not used by the canary" in out
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip().startswith(("lambdaAlias", "searchIndex", "backendUrl"))}
    assert "overrides" in rows["lambdaAlias"] and "canary" in rows["lambdaAlias"]
    assert "adds" in rows["searchIndex"]
    assert "(stage value)" in rows["backendUrl"]


def test_promoted_canary_at_zero(invoke, wire):
    wire.stages[(API, "prod")] = wire_stage(canarySettings={"percentTraffic": 0.0, "deploymentId": "k2xq9d", "useStageCache": True})
    out = run(invoke, wire, "canary").stdout
    assert "0% canary · 100% stage" in out
    assert "no traffic goes to the canary" in out
    assert "idle" in run(invoke, wire, "show").stdout


def test_throttled_then_ok_honours_retry_after(invoke, served):
    served.script = [error(429, "TooManyRequestsException", "Too Many Requests", {"Retry-After": "1"})] * 2
    started = time.monotonic()
    result = run(invoke, served, "show", "-o", "json")
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.stderr
    assert len(served.requests) == 3
    assert elapsed >= 2.0  # two waits of Retry-After: 1


def test_throttled_forever_is_exit_5_in_bounded_time(invoke, served):
    served.script = [error(429, "TooManyRequestsException", "Too Many Requests", {"Retry-After": "0"})] * 10
    started = time.monotonic()
    result = run(invoke, served, "show")
    assert result.exit_code == 5
    assert "throttled" in result.stderr
    assert result.stdout == ""
    assert len(served.requests) == 3
    assert time.monotonic() - started < 15


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_exit_5(invoke, served, status):
    served.script = [error(status, "ServiceUnavailableException" if status == 503 else "InternalFailure", "boom")] * 3
    result = run(invoke, served, "vars")
    assert result.exit_code == 5
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_body_that_is_not_json_is_exit_5(invoke, served):
    served.script = [(200, {"Content-Type": "text/html"}, b"<html>proxy login</html>")]
    result = run(invoke, served, "show")
    assert result.exit_code == 5
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("body", [b"{}", b'{"item": []}', b'{"stageName": 5}'])
def test_answer_that_is_not_a_stage_is_exit_5(invoke, served, body):
    served.script = [(200, {}, body)]
    result = run(invoke, served, "settings")
    assert result.exit_code == 5
    assert "not a stage" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("status,kind", [(403, "AccessDeniedException"), (401, "UnauthorizedException"),
                                         (403, "UnrecognizedClientException"), (403, "ExpiredTokenException")])
def test_denied_is_exit_4_with_a_hint(invoke, served, status, kind):
    served.script = [error(status, kind, "User is not authorized")]
    result = run(invoke, served, "show")
    assert result.exit_code == 4
    assert "profile 'default'" in result.stderr and "us-east-1" in result.stderr
    assert "aws sso login" in result.stderr
    assert result.stdout == ""


def test_no_credentials_is_exit_4(invoke, served, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = run(invoke, served, "show")
    assert result.exit_code == 4
    assert "no AWS credentials" in result.stderr
    assert served.requests == []


def test_unknown_profile_is_exit_4(invoke, served):
    result = run(invoke, served, "show", "--profile", "nope")
    assert result.exit_code == 4
    assert "'nope'" in result.stderr


def test_connection_refused_is_exit_6_quickly(invoke, served):
    url = served.url
    served.stop()
    started = time.monotonic()
    result = invoke("show", API, "prod", "--endpoint-url", url)
    assert result.exit_code == 6
    assert "cannot reach" in result.stderr
    assert time.monotonic() - started < 15


def test_hang_is_exit_6_within_the_timeout(invoke, served):
    served.script = [HANG] * 3
    started = time.monotonic()
    result = run(invoke, served, "show", "--timeout", "0.5")
    assert result.exit_code == 6
    assert "did not answer in time" in result.stderr
    assert time.monotonic() - started < 10


def test_missing_stage_makes_one_more_call(invoke, served):
    result = invoke("show", API, "prd", "--endpoint-url", served.url)
    assert result.exit_code == 3
    assert "stages: prod, preprod" in result.stderr
    assert served.requests == [f"/restapis/{API}/stages/prd", f"/restapis/{API}/stages"]


def test_no_secret_in_debug_output(invoke, served):
    served.script = [error(403, "AccessDeniedException", "denied")]
    result = run(invoke, served, "show", "--debug")
    assert "fake-secret-never-printed" not in result.stdout + result.stderr
    assert "AKIAFAKEFAKEFAKE1234" not in result.stdout + result.stderr


def test_diff_and_check_on_fields_moto_lacks(invoke, served):
    preprod = wire_stage(stageName="preprod", lastUpdatedDate=1732800000, clientCertificateId=None)
    preprod["canarySettings"]["percentTraffic"] = 0.0
    served.stages[(API, "preprod")] = preprod
    diff = invoke("diff", API, "prod", "preprod", "--endpoint-url", served.url, "-o", "json")
    assert diff.exit_code == 1, diff.stderr
    changes = {tuple(c["path"]): (c["left"], c["right"]) for c in json.loads(diff.stdout)}
    assert changes == {
        ("canarySettings", "percentTraffic"): (10.0, 0.0),
        ("clientCertificateId",): ("h7n2pq", None),
        ("lastUpdatedDate",): ("2024-11-27T09:33:20Z", "2024-11-28T13:20:00Z"),
    }
    assert served.requests == [f"/restapis/{API}/stages/prod", f"/restapis/{API}/stages/preprod"]
    check = invoke("check", API, "preprod", "--endpoint-url", served.url, "-o", "json")
    assert check.exit_code == 1
    checks = {c["id"]: c for c in json.loads(check.stdout)["checks"]}
    failed = {i for i, c in checks.items() if c["status"] == "fail"}
    assert failed == {"STAGE.1", "STAGE.3"}
    # This fixture serves no export or deployment, so the deployed methods are unknown: without a
    # certificate APIGateway.2 may or may not apply (HTTP integrations?) and is not guessed.
    assert checks["APIGateway.2"]["status"] == "not_evaluated"
    assert "integrations of the deployed methods are unknown" in checks["APIGateway.2"]["note"]
    assert checks["STAGE.3"]["fix"] == (f"aws apigateway update-stage --rest-api-id {API} --stage-name preprod "
                                        "--region us-east-1 --patch-operations '{\"op\":\"remove\",\"path\":\"/canarySettings\"}'")
