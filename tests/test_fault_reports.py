"""Faults while reporting a fault (issue 20.12): an error whose own stderr line cannot be written
(stderr a full disk, or closed) still ends with the error's own exit code, not 74 or 70, and no
other stream gets the message instead."""

import os
import subprocess

import pytest

from tests.docs import wire_stage
from tests.wire import error

API = "a1b2c3d4e5"


@pytest.fixture
def served(wire):
    wire.stages[(API, "prod")] = wire_stage()
    return wire


def _cases(wire):
    """(expected exit code, arguments) for each error class a user meets."""
    at = ["--endpoint-url", wire.url]
    return [
        (2, ["show", "--file", "/nonexistent/stage.json"]),            # bad input
        (2, ["show", "--no-such-option"]),                             # usage (Typer's own path)
        (3, ["show", API, "nostage", *at]),                            # not found
        (4, ["show", API, "prod", *at, "--timeout", "5"], [error(403, "AccessDeniedException", "denied")]),
        (5, ["show", API, "prod", *at], [error(500, "InternalFailure", "boom")] * 3),
        (6, ["show", API, "prod", "--endpoint-url", "http://127.0.0.1:9", "--timeout", "0.5"]),
    ]


def _run(stage_exe, args, stderr_mode):
    env = dict(os.environ, COLUMNS="80")
    if stderr_mode == "closed":
        # `2>&-`: the process starts with no fd 2 at all.
        return subprocess.run(["sh", "-c", 'exec "$0" "$@" 2>&-', stage_exe, *args], capture_output=False,
                              stdout=subprocess.PIPE, text=True, env=env, timeout=60)
    with open("/dev/full", "w") as full:
        return subprocess.run([stage_exe, *args], stdout=subprocess.PIPE, stderr=full, text=True, env=env, timeout=60)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("stderr_mode", ["full", "closed"])
@pytest.mark.parametrize("case", range(6))
def test_an_error_that_cannot_be_reported_keeps_its_exit_code(stage_exe, served, stderr_mode, case):
    expected, args, *script = _cases(served)[case]
    served.script = list(script[0]) if script else []
    proc = _run(stage_exe, args, stderr_mode)
    assert proc.returncode == expected, (args, proc.returncode)
    assert proc.stdout == ""  # the message did not go to stdout instead


def test_the_same_errors_report_their_line_when_stderr_works(stage_exe, served):
    """The control: with a working stderr each case is its code and one line."""
    for expected, args, *script in _cases(served):
        served.script = list(script[0]) if script else []
        proc = subprocess.run([stage_exe, *args], capture_output=True, text=True, timeout=60)
        assert proc.returncode == expected, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("stage: error: "), proc.stderr


def test_output_that_cannot_be_written_with_stderr_full_is_still_74(stage_exe, tmp_path):
    example = os.path.join(os.path.dirname(__file__), "..", "examples", "prod-stage.json")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([stage_exe, "show", "--file", example], stdout=full, stderr=full, timeout=60)
    assert proc.returncode == 74
