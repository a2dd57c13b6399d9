"""The installed `stage` as a user runs it: time zones, streams, colour, signals, pipes, imports."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import EXAMPLE, run_stage
from tests.docs import wire_stage
from tests.wire import HANG


@pytest.mark.parametrize("tz", ["UTC", "Asia/Tokyo", "America/Los_Angeles"])
def test_timestamps_are_utc_whatever_tz(stage_exe, wire, tz):
    wire.stages[("a1b2c3d4e5", "prod")] = wire_stage()
    proc = run_stage(stage_exe, "show", "a1b2c3d4e5", "prod", "-o", "json", "--endpoint-url", wire.url, env={"TZ": tz})
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["createdDate"] == "2023-11-14T22:13:20Z"
    assert data["lastUpdatedDate"] == "2024-11-27T09:33:20Z"


def test_python_dash_m_works(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "apigw_stage", "vars", "-f", EXAMPLE, "-o", "json"],
                          capture_output=True, text=True)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["lambdaAlias"] == "live"


def test_version(stage_exe):
    from apigw_stage import __version__

    assert run_stage(stage_exe, "--version").stdout.strip() == f"stage {__version__}"


def _imported(*args):
    code = ("import sys; sys.argv=['stage', *sys.argv[1:]]\n"
            "from apigw_stage.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('MODULES', ' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3','botocore','yaml','rich'))), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    line = [l for l in proc.stderr.splitlines() if l.startswith("MODULES")][0]
    return set(line.split()[1:])


def test_help_does_not_import_boto3_or_yaml():
    modules = _imported("--help")
    assert not any(m.startswith(("boto3", "botocore", "yaml")) for m in modules)
    # lean_help: Typer's markdown and pretty-traceback support stays unloaded.
    assert "rich.markdown" not in modules and "rich.traceback" not in modules


@pytest.mark.parametrize("args", [["--help"], ["diff", "--help"], ["check", "-h"], []])
def test_lean_help_prints_exactly_what_typer_prints(args):
    env = {**os.environ, "COLUMNS": "100"}
    lean = subprocess.run([sys.executable, "-m", "apigw_stage", *args], capture_output=True, text=True, env=env)
    plain = subprocess.run([sys.executable, "-c", "from apigw_stage.cli import app; app(prog_name='stage')", *args],
                           capture_output=True, text=True, env=env)
    assert lean.stdout == plain.stdout
    assert lean.returncode == plain.returncode
    assert "Usage: stage" in lean.stdout


def test_file_json_does_not_import_boto3_or_rich_tables():
    modules = _imported("vars", "-f", EXAMPLE, "-o", "json")
    assert not any(m.startswith(("boto3", "botocore", "yaml")) for m in modules)
    assert "rich.table" not in modules and "rich.tree" not in modules


def test_piped_table_has_no_escape_codes(stage_exe):
    proc = run_stage(stage_exe, "show", "-f", EXAMPLE)
    assert proc.returncode == 0 and "\x1b" not in proc.stdout


def test_force_color_colours(stage_exe):
    assert "\x1b[" in run_stage(stage_exe, "show", "-f", EXAMPLE, env={"FORCE_COLOR": "1"}).stdout


def test_no_color_flag_drops_colour(stage_exe):
    out = run_stage(stage_exe, "canary", "-f", EXAMPLE, "--no-color", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[33m" not in out and "\x1b[3" not in out


def test_no_color_env_drops_colour(stage_exe):
    out = run_stage(stage_exe, "canary", "-f", EXAMPLE, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b[3" not in out


def test_ctrl_c_is_exit_130_without_traceback(stage_exe, wire):
    wire.script = [HANG] * 3
    env = dict(os.environ)
    proc = subprocess.Popen([stage_exe, "show", "a1b2c3d4e5", "prod", "--endpoint-url", wire.url, "--timeout", "20"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 20
    while not wire.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert out == ""


@pytest.mark.parametrize("delay", [0.1, 0.2, 0.4, 0.8])
def test_ctrl_c_at_any_point_of_startup(stage_exe, wire, delay):
    """SIGINT while stage imports typer or boto3, builds the client, or waits: 130, quietly.
    (The first ~30 ms belong to Python itself: site and the console script run before our code.)"""
    wire.script = [HANG] * 3
    proc = subprocess.Popen([stage_exe, "show", "a1b2c3d4e5", "prod", "--endpoint-url", wire.url, "--timeout", "20"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and out == ""


def test_closed_stdout_is_quiet(stage_exe, tmp_path):
    big = wire_stage(variables={f"v{i}": "x" * 200 for i in range(2000)})
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big))
    proc = subprocess.run(f"'{stage_exe}' show -f '{path}' -o json | head -c1", shell=True,
                          capture_output=True, text=True)
    assert proc.stdout == "{"
    assert proc.stderr == ""


def test_errors_go_to_stderr_only(stage_exe, tmp_path):
    proc = run_stage(stage_exe, "show", "-f", tmp_path / "missing.json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("stage: error:") and proc.stderr.count("\n") == 1


def test_usage_error_is_exit_2(stage_exe):
    proc = run_stage(stage_exe, "show", "-o", "xml", "-f", EXAMPLE)
    assert proc.returncode == 2
    assert proc.stdout == ""


def test_every_command_is_documented(stage_exe):
    top = run_stage(stage_exe, "--help").stdout
    for command in ("show", "settings", "canary", "vars"):
        assert command in top
        sub = run_stage(stage_exe, command, "--help").stdout
        for option in ("--output", "--profile", "--region", "--endpoint-url", "--no-color", "--debug", "--file", "--query"):
            assert option in sub, (command, option)
