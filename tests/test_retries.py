"""Issue 19, item 13: 5xx answers are retried by botocore's standard retry mode (exponential
backoff with full jitter, bounded attempts; botocore/retries/standard.py), AWS_MAX_ATTEMPTS and
AWS_RETRY_MODE (and the profile's max_attempts / retry_mode) are honoured, and the exit-5
message names the next step. The waits are recorded, never timed."""

import botocore.endpoint
import botocore.retries.standard as standard
import pytest

from tests.docs import wire_stage
from tests.wire import error

API = "a1b2c3d4e5"


@pytest.fixture(autouse=True)
def _endpoint(wire, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", wire.url)


@pytest.fixture
def failing(wire):
    wire.stages[(API, "prod")] = wire_stage()
    wire.script = [error(500, "InternalFailure", "boom")] * 30
    return wire


@pytest.fixture
def sleeps(monkeypatch):
    waited = []
    monkeypatch.setattr(botocore.endpoint.time, "sleep", waited.append)
    return waited


def _jitter(monkeypatch, value: float) -> None:
    """Every backoff of botocore's standard mode draws `value` from its rand(0, 1)."""
    made = standard.ExponentialBackoff.__init__

    def init(self, *args, **kwargs):
        made(self, *args, **kwargs)
        self._random = lambda: value

    monkeypatch.setattr(standard.ExponentialBackoff, "__init__", init)


def _one_line(result, code=5):
    assert result.exit_code == code, result.stderr
    assert result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_a_5xx_is_retried_with_growing_jittered_waits(invoke, failing, sleeps, monkeypatch):
    _jitter(monkeypatch, 1.0)  # the top of each jitter range
    line = _one_line(invoke("show", API, "prod"))
    assert len(failing.requests) == 3  # 3 attempts in all by default
    assert len(sleeps) == 2 and 0 < sleeps[0] < sleeps[1]  # exponential: each range doubles
    assert "after 3 attempts" in line and "try again in a minute" in line and "AWS_MAX_ATTEMPTS" in line


def test_the_waits_are_jittered(invoke, failing, sleeps, monkeypatch):
    _jitter(monkeypatch, 0.0)
    _one_line(invoke("show", API, "prod"))
    assert sleeps == [0, 0]  # full jitter: anywhere from nothing to the range's top


def test_aws_max_attempts_is_honoured(invoke, failing, sleeps):
    line = _one_line(invoke("show", API, "prod", env={"AWS_MAX_ATTEMPTS": "5"}))
    assert len(failing.requests) == 5 and len(sleeps) == 4
    assert "after 5 attempts" in line


def test_one_attempt_is_not_retried(invoke, failing, sleeps):
    _one_line(invoke("show", API, "prod", env={"AWS_MAX_ATTEMPTS": "1"}))
    assert len(failing.requests) == 1 and sleeps == []


def test_the_profiles_max_attempts_is_honoured(invoke, failing, sleeps, fake_aws, monkeypatch, tmp_path):
    config = tmp_path / "retry-config"
    config.write_text("[default]\nmax_attempts = 2\nretry_mode = standard\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    _one_line(invoke("show", API, "prod"))
    assert len(failing.requests) == 2


@pytest.mark.parametrize("mode", ["standard", "adaptive", "legacy"])
def test_aws_retry_mode_is_honoured(invoke, failing, sleeps, mode):
    _one_line(invoke("show", API, "prod", env={"AWS_RETRY_MODE": mode, "AWS_MAX_ATTEMPTS": "2"}))
    assert len(failing.requests) == 2


@pytest.mark.parametrize("env, words", [({"AWS_MAX_ATTEMPTS": "zero"}, "AWS_MAX_ATTEMPTS"),
                                        ({"AWS_MAX_ATTEMPTS": "0"}, "from 1 to 20"),
                                        ({"AWS_MAX_ATTEMPTS": "500"}, "from 1 to 20"),
                                        ({"AWS_RETRY_MODE": "eager"}, "AWS_RETRY_MODE")])
def test_a_bad_retry_setting_is_exit_2_before_any_call(invoke, failing, env, words):
    line = _one_line(invoke("show", API, "prod", env=env), 2)
    assert words in line and failing.requests == []


def test_a_4xx_is_not_retried(invoke, wire, sleeps):
    wire.script = [error(400, "BadRequestException", "no")] * 5
    _one_line(invoke("show", API, "prod"), 2)
    assert len(wire.requests) == 1 and sleeps == []
