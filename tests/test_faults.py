"""The AWS call path under faults (issues 13.4, 13.6, 13.8, 13.11, 13.12, 12.10): TLS and config
failures, secrets in requests, bad --timeout/--endpoint-url, trickled answers, endless paging,
--debug call lines, and the pacing hooks for many threads. Loopback only."""

import json
import string
import time

import botocore.exceptions as bex
import pytest

from apigw_stage.sources import aws
from apigw_stage.sources.aws import Client
from apigw_stage.sources.aws_errors import translate
from apigw_stage.core.errors import NetworkError, NotFound, ServiceError, UsageError
from apigw_stage.core.target import Target
from tests.docs import wire_stage
from tests.wire import HANG, Trickle, WireServer, error, make_certificate

API = "a1b2c3d4e5"
SECRETS = ("fake-secret-never-printed", "AKIAFAKEFAKEFAKE1234")


@pytest.fixture
def served(wire):
    wire.stages[(API, "prod")] = wire_stage()
    return wire


@pytest.fixture
def certificate(tmp_path):
    made = make_certificate(tmp_path)
    if made is None:
        pytest.skip("neither the cryptography package nor the openssl program is available")
    return made


@pytest.fixture
def tls_wire(certificate):
    server = WireServer(tls=certificate)
    server.stages[(API, "prod")] = wire_stage()
    server.start()
    yield server
    server.stop()


def one_line(result, code):
    """The run failed with `code` and one `stage: error:` line, nothing on stdout."""
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stage: error: "), result.stderr
    return lines[0]


# Item 13.6: each failure gets its class's exit code and names its cause (was AttributeError, 70).

def test_self_signed_certificate_is_exit_6_naming_the_check(invoke, tls_wire):
    line = one_line(invoke("show", API, "prod", "--endpoint-url", tls_wire.url), 6)
    assert "TLS certificate check failed" in line and "self-signed certificate" in line
    assert "AWS_CA_BUNDLE" in line


def test_ca_bundle_with_the_certificate_is_trusted(invoke, tls_wire, certificate):
    # The control for the test above: the same server passes once its certificate is trusted.
    result = invoke("show", API, "prod", "--endpoint-url", tls_wire.url, "-o", "json", env={"AWS_CA_BUNDLE": certificate[0]})
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stageName"] == "prod"


def test_https_to_an_http_server_is_exit_6(invoke, served):
    line = one_line(invoke("show", API, "prod", "--endpoint-url", served.url.replace("http:", "https:")), 6)
    assert "does not speak TLS" in line and "http://" in line


def test_missing_ca_bundle_is_exit_2_before_any_call(invoke, tls_wire, tmp_path):
    # 2, not 6: a setting names a file that is not there, as with a --file that is not.
    missing = str(tmp_path / "no-such-ca.pem")
    line = one_line(invoke("show", API, "prod", "--endpoint-url", tls_wire.url, env={"AWS_CA_BUNDLE": missing}), 2)
    assert "AWS_CA_BUNDLE" in line and "no-such-ca.pem" in line
    assert tls_wire.requests == []


@pytest.mark.parametrize("text", [b"garbage without a section\n", b"[default\nregion = x\n", b"[default]\nregion = \xff\xfe\n"])
def test_garbage_config_file_is_exit_2(invoke, served, fake_aws, text):
    # 2, not 4: the file the user wrote cannot be read at all; logging in again would not help.
    (fake_aws / "aws-config").write_bytes(text)
    line = one_line(invoke("show", API, "prod", "--endpoint-url", served.url), 2)
    assert "cannot parse the AWS config file" in line and "aws-config" in line


def _profiles(fake_aws, monkeypatch, text):
    (fake_aws / "aws-config").write_text(text)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")


def test_source_profile_loop_is_exit_4(invoke, served, fake_aws, monkeypatch):
    _profiles(fake_aws, monkeypatch, "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = b\n"
                                     "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = a\n")
    line = one_line(invoke("show", API, "prod", "--endpoint-url", served.url, "--profile", "a"), 4)
    assert "source_profile" in line and "loop" in line and "a -> b -> a" in line
    assert served.requests == []


def test_missing_credential_process_is_exit_4(invoke, served, fake_aws, monkeypatch):
    _profiles(fake_aws, monkeypatch, "[profile p]\ncredential_process = /nonexistent/get-creds --json\n")
    line = one_line(invoke("show", API, "prod", "--endpoint-url", served.url, "--profile", "p"), 4)
    assert "credential_process" in line and "No such file or directory" in line and "'p'" in line


def test_credential_process_that_prints_no_json_is_exit_4(invoke, served, fake_aws, monkeypatch):
    """Not "the endpoint URL is not valid" (exit 2): botocore lets json's ValueError through."""
    _profiles(fake_aws, monkeypatch, "[profile p]\ncredential_process = echo not-json\n")
    line = one_line(invoke("show", API, "prod", "--endpoint-url", served.url, "--profile", "p"), 4)
    assert "credential_process did not print JSON" in line and "'p'" in line
    assert served.requests == []


@pytest.mark.parametrize("body", [b"<html>proxy login</html>", b'{"stageName": "pr', b"\xff\xfe\x00{", b"\x1f\x8b\x08\x00gzip"])
def test_body_that_is_not_json_is_exit_5_and_says_so(invoke, served, body):
    served.script = [(200, {"Content-Type": "text/html"}, body)]
    line = one_line(invoke("show", API, "prod", "--endpoint-url", served.url), 5)
    assert "not JSON" in line


def test_get_rest_apis_page_that_is_not_json_is_exit_5_not_an_empty_account(invoke, served):
    served.script = [(200, {}, b"<html>captive portal</html>")]
    line = one_line(invoke("show", "petstore", "prod", "--endpoint-url", served.url), 5)
    assert "not JSON" in line


# Item 13.4: no message echoes a header value or request data.

@pytest.mark.parametrize("variable,value", [("AWS_SESSION_TOKEN", "SECRET-TOKEN\nX"), ("AWS_ACCESS_KEY_ID", "AKIASECRETKEY\nX"),
                                            ("AWS_SECRET_ACCESS_KEY", "fake-secret\r\nX")])
@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_a_credential_with_a_newline_is_exit_4_and_never_printed(invoke, served, monkeypatch, variable, value, debug):
    monkeypatch.setenv(variable, value)
    result = invoke("show", API, "prod", "--endpoint-url", served.url, *debug)
    out = result.stdout + result.stderr
    for secret in (value.split("\n")[0].strip(), *SECRETS, "Signature=", "Credential="):
        assert secret not in out
    if variable == "AWS_SECRET_ACCESS_KEY":  # never sent, only signed with: the call works
        assert result.exit_code == 0, result.stderr
    else:
        assert result.exit_code == 4 and result.stdout == ""
        *debugged, last = result.stderr.strip().splitlines()
        assert last.startswith("stage: error: ") and "cannot be sent in an HTTP header" in last
        assert len(debugged) == (3 if debug else 0)
        assert all(line.startswith("stage: debug: ") for line in debugged)


def test_endpoint_password_and_request_path_are_not_echoed(invoke):
    line = one_line(invoke("show", API, "prod", "--endpoint-url", "http://user:pw-secret@127.0.0.1:1"), 6)
    assert "pw-secret" not in line and "user" not in line and "/restapis" not in line
    assert "http://127.0.0.1:1" in line


def _request_path_errors():
    """Every botocore exception of the HTTP path, each field filled with a canary, wrapping an
    exception whose text is the canary (as http.client's ValueError holds a header value)."""
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    classes = {bex.HTTPClientError, bex.ConnectionError, bex.ParamValidationError,
               *subclasses(bex.HTTPClientError), *subclasses(bex.ConnectionError)}
    for cls in sorted(classes, key=lambda c: c.__name__):
        fields = {name for _, name, _, _ in string.Formatter().parse(cls.fmt) if name}
        kwargs = {name: "CANARY-field" for name in fields}
        if "error" in fields:
            kwargs["error"] = ValueError("Invalid header value b'CANARY-header'")
        yield pytest.param(cls, kwargs, id=cls.__name__)


@pytest.mark.parametrize("cls,kwargs", list(_request_path_errors()))
def test_translate_never_echoes_an_exception_of_the_request_path(cls, kwargs):
    exc = cls(**kwargs)
    assert "CANARY" in str(exc)  # the exception does carry it
    line = translate(exc, "profile 'default', region us-east-1", 3, "http://127.0.0.1:1").line()
    assert "CANARY" not in line


# Item 13.8: usage errors before any call.

@pytest.mark.parametrize("url", ["http://127.0.0.1:99999", "http://127.0.0.1:0", "ftp://127.0.0.1", "http://:80",
                                 "127.0.0.1:8080", "http://127.0.0.1:port", "http://127.0.0.1:1\n"])
def test_bad_endpoint_url_is_exit_2(invoke, url):
    line = one_line(invoke("show", API, "prod", "--endpoint-url", url), 2)
    assert "--endpoint-url" in line and "65535" in line
    assert line.endswith(f": {url!r}")  # the value given, escaped


def test_a_bad_endpoint_url_is_quoted_as_given_less_any_password(invoke):
    assert one_line(invoke("show", API, "prod", "--endpoint-url", "notaurl"), 2).endswith(": 'notaurl'")
    line = one_line(invoke("show", API, "prod", "--endpoint-url", "http://ci:hunter2@127.0.0.1:99999"), 2)
    assert "hunter2" not in line and line.endswith(": '…@127.0.0.1:99999'")


def test_bad_endpoint_from_the_environment_is_exit_2(invoke):
    line = one_line(invoke("show", API, "prod", env={"AWS_ENDPOINT_URL": "http://127.0.0.1:99999"}), 2)
    assert "AWS_ENDPOINT_URL" in line


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e10", "601"])
def test_bad_timeout_is_exit_2(invoke, served, value):
    line = one_line(invoke("show", API, "prod", "--endpoint-url", served.url, "--timeout", value), 2)
    assert "--timeout" in line
    assert served.requests == []


@pytest.mark.parametrize("value", [0, -1, 0.0, float("nan"), 1e10])
def test_client_checks_the_timeout_before_any_call(served, value):
    with pytest.raises(UsageError, match="--timeout must be a number of seconds from 0.1 to 600"):
        Client(Target(endpoint_url=served.url, timeout=value))
    assert served.requests == []


# Item 13.11: each attempt is bounded in total time, so a call is too.

STAGE_BODY = json.dumps(wire_stage()).encode()


@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers"])
def test_trickled_answer_is_exit_6_within_attempts_times_timeout(invoke, served, headers):
    # Before: a byte every 0.1 s of a 3 kB body reset the read timeout each time (exit 0 after
    # ~5 min). Now each attempt ends after --timeout 1: 3 attempts + backoff (< 1 s + < 2 s).
    served.script = [Trickle(STAGE_BODY, delay=0.1, headers=headers)] * 3
    started = time.monotonic()
    line = one_line(invoke("show", API, "prod", "--endpoint-url", served.url, "--timeout", "1"), 6)
    elapsed = time.monotonic() - started
    assert "did not answer in time" in line
    assert len(served.requests) == 3
    assert 3.0 <= elapsed < 3 * 1 + 3 + 2


def test_slow_answer_within_the_timeout_is_fine(invoke, served):
    served.script = [Trickle(b'{"stageName": "prod", "deploymentId": "k2xq9d"}', delay=0.01)]
    result = invoke("show", API, "prod", "--endpoint-url", served.url, "--timeout", "3", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["deploymentId"] == "k2xq9d"


def test_budget_caps_all_calls_of_a_client_without_retrying(served):
    served.script = [HANG] * 3
    client = Client(Target(endpoint_url=served.url, timeout=5), budget=1.0)
    started = time.monotonic()
    with pytest.raises(NetworkError, match="did not answer in time"):
        client.get_stage(API, "prod")
    assert time.monotonic() - started < 2.5
    assert client.calls == 1


def test_retry_after_that_is_not_a_finite_number_is_ignored(invoke, served):
    served.script = [error(429, "TooManyRequestsException", "slow down", {"Retry-After": value}) for value in ("nan", "inf")]
    result = invoke("show", API, "prod", "--endpoint-url", served.url, "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert len(served.requests) == 3


# Item 13.12: endless paging stops with exit 5.

def _page(position, n=1):
    return 200, {}, json.dumps({"item": [{"id": f"x{n:09d}", "name": f"api{n}"}], "position": position}).encode()


def test_repeated_position_is_exit_5(invoke, served):
    served.route = lambda path: _page("same")
    line = one_line(invoke("show", "petstore", "prod", "--endpoint-url", served.url), 5)
    assert "paging in a loop" in line
    assert len(served.requests) == 2


def test_page_limit_is_exit_5(invoke, served, monkeypatch):
    monkeypatch.setattr(aws, "MAX_PAGES", 5)
    pages = iter(range(1, 100))
    served.route = lambda path: _page(str(n := next(pages)), n)
    line = one_line(invoke("show", "petstore", "prod", "--endpoint-url", served.url), 5)
    assert "after 5 pages (5 APIs)" in line
    assert len(served.requests) == 5


def test_pages_chained_by_position_are_all_read(invoke, served):
    served.apis = [{"id": f"{i:010d}"[-10:].replace("0", "a"), "name": f"api{i}"} for i in range(1, 8)]
    served.apis.append({"id": API, "name": "petstore"})
    served.page_size = 3
    result = invoke("show", "petstore", "prod", "--endpoint-url", served.url, "-o", "json")
    assert result.exit_code == 0, result.stderr
    # Every GetRestApis page, one GetApis (a name shared with a v2 API would be ambiguous), the stage.
    assert [p.partition("?")[0] for p in served.requests] == ["/restapis"] * 3 + ["/v2/apis", f"/restapis/{API}/stages/prod"]


# Item 12.10: --debug says what was called, never a credential.

def test_debug_prints_each_attempt(invoke, served, monkeypatch):
    monkeypatch.setenv("AWS_SESSION_TOKEN", "fake-session-token-never-printed")
    served.script = [error(429, "TooManyRequestsException", "slow down", {"Retry-After": "0"})]
    result = invoke("show", API, "prod", "--endpoint-url", served.url, "--debug")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("stage: debug: ")]
    call = f"GetStage(restApiId='{API}', stageName='prod') region us-east-1 endpoint {served.url}"
    assert len(lines) == 3  # the third: show's table asks for the custom domains (issue 24)
    assert lines[0].startswith(f"stage: debug: {call} attempt 1/3: HTTP 429 in ")
    assert lines[1].startswith(f"stage: debug: {call} attempt 2/3: HTTP 200 in ")
    assert lines[2].startswith("stage: debug: GetDomainNames(limit=500) region us-east-1 ")
    assert all(line.endswith(" ms") for line in lines)
    assert "Stage prod" in result.stdout
    signature = served.headers[-1]["Authorization"].rpartition("Signature=")[2]
    for secret in (*SECRETS, "fake-session-token-never-printed", signature):
        assert secret not in result.stdout + result.stderr


def test_debug_names_a_failed_attempt(invoke, served):
    served.stop()
    result = invoke("vars", API, "prod", "--endpoint-url", served.url, "--debug", "--timeout", "0.5")
    assert result.exit_code == 6
    assert "attempt 3/3: EndpointConnectionError in " in result.stderr


def test_no_debug_lines_without_debug(invoke, served):
    result = invoke("show", API, "prod", "--endpoint-url", served.url)
    assert result.exit_code == 0 and result.stderr == ""


# Item 7: pacing and counting hooks for the fleet.

class Limiter:
    def __init__(self, wire):
        self.wire, self.seen = wire, []

    def acquire(self):
        self.seen.append(len(self.wire.requests))  # requests the server had when we were asked


def test_limiter_is_asked_before_every_attempt(served):
    served.script = [error(429, "TooManyRequestsException", "slow down", {"Retry-After": "0"})] * 2
    limiter = Limiter(served)
    client = Client(Target(endpoint_url=served.url), limiter=limiter)
    assert client.call("get_stage", restApiId=API, stageName="prod")["stageName"] == "prod"
    assert limiter.seen == [0, 1, 2]
    assert (client.calls, client.throttled) == (3, 2)


@pytest.mark.parametrize("attempts,words", [(1, "after 1 attempt:"), (2, "after 2 attempts:")])
def test_throttle_message_counts_the_clients_attempts(served, attempts, words):
    served.script = [error(429, "TooManyRequestsException", "slow down", {"Retry-After": "0"})] * attempts
    client = Client(Target(endpoint_url=served.url), attempts=attempts)
    with pytest.raises(ServiceError, match=words):
        client.get_stage(API, "prod")
    assert client.calls == attempts == client.throttled


def test_hooks_cover_the_v2_service_too(served):
    # HTTP/WebSocket APIs go through the same Client (service apigatewayv2, event id apigatewayv2).
    limiter = Limiter(served)
    client = Client(Target(endpoint_url=served.url), limiter=limiter, service="apigatewayv2")
    with pytest.raises(NotFound):
        client.call("get_api", ApiId=API)
    assert limiter.seen == [0] and client.calls == 1


@pytest.mark.parametrize("region", ["bad region", "us-east-1\n", "-us-east-1", "x" * 70])
def test_a_region_that_is_no_region_name_is_exit_2_before_any_call(invoke, served, region):
    result = invoke("show", API, "prod", "--region", region, "--endpoint-url", served.url)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("stage: error: ") and "is not a region name" in result.stderr
    assert result.stderr.count("\n") == 1
    assert served.requests == []


def test_a_bad_region_from_the_environment_is_exit_2_not_an_sdk_failure(invoke, served, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "bad region")
    result = invoke("show", API, "prod", "--endpoint-url", served.url)
    assert result.exit_code == 2, result.stderr
    assert result.stderr == "stage: error: the region set in AWS_REGION or the profile is not a region name (e.g. us-east-1)\n"


def test_a_fips_pseudo_region_is_a_region(invoke, served):
    result = invoke("show", API, "prod", "--region", "fips-us-east-1", "--endpoint-url", served.url, "-o", "json")
    assert result.exit_code == 0, result.stderr


def test_an_empty_region_is_as_if_none_was_given(invoke, served):
    """`--region "$REGION"` with REGION unset: the region of the environment, as before."""
    result = invoke("show", API, "prod", "--region", "", "--endpoint-url", served.url, "-o", "json")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("option", ["--left-region", "--right-region"])
def test_a_bad_side_region_of_diff_names_its_option(invoke, served, option):
    result = invoke("diff", f"{API}:prod", f"{API}:prod", option, "bad_region!", "--endpoint-url", served.url)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"stage: error: {option} 'bad_region!' is not a region name (e.g. us-east-1)\n"
    assert served.requests == []
