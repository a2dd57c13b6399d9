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
    """The reader is gone before the first write (`true` exits long before stage has started):
    exit 141 as a shell reports SIGPIPE, nothing on stderr (issue 13: Typer made it exit 1)."""
    big = wire_stage(variables={f"v{i}": "x" * 200 for i in range(2000)})
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big))
    for fmt in ("json", "table"):
        proc = subprocess.run(f"'{stage_exe}' show -f '{path}' -o {fmt} | true; echo \"rc=${{PIPESTATUS[0]}}\"",
                              shell=True, executable="bash", capture_output=True, text=True)
        assert proc.stdout == "rc=141\n", fmt
        assert proc.stderr == "", fmt


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


@pytest.mark.parametrize("delay", [0.05, 0.08, 0.12, 0.16, 0.25, 0.3, 0.35, 0.5])
def test_ctrl_c_is_130_at_any_moment(stage_exe, wire, delay):
    """SIGINT at spread-out moments of startup, imports, client set-up and the wait: always 130,
    no traceback, nothing on stdout. (Before ~30 ms Python itself is still starting: site and the
    console script's first import run before any code of ours can install a handler.)"""
    wire.script = [HANG] * 3
    proc = subprocess.Popen([stage_exe, "show", "a1b2c3d4e5", "prod", "--endpoint-url", wire.url, "--timeout", "20"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and out == ""
    assert time.monotonic() - started < 3


def test_a_swallowed_ctrl_c_still_ends_the_run_within_a_second():
    """A library that catches KeyboardInterrupt (a broad except in a network stack) cannot keep
    the run going: the watchdog the handler starts ends it with 130."""
    # 'ready' is printed inside the try, so the interrupt always lands where it is swallowed.
    code = ("import sys, time\nsys.argv=['stage']\nimport apigw_stage.entry\n"
            "while True:\n    try:\n        print('ready', flush=True)\n        time.sleep(10)\n"
            "    except KeyboardInterrupt:\n        pass\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=10)
    assert proc.returncode == 130
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("args", [["show", "--bogus"], ["show", "-o", "xml", "-f", EXAMPLE], ["nosuch"],
                                  ["diff", "--ignore"]])
def test_usage_errors_are_one_line_with_a_hint(stage_exe, args):
    proc = run_stage(stage_exe, *args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("stage: error: ") and "--help')" in proc.stderr
    assert "╭" not in proc.stderr


def test_usage_error_in_process_is_one_line(invoke):
    result = invoke("show", "--bogus")
    assert result.exit_code == 2
    assert result.stderr == "stage: error: No such option: --bogus (Try 'stage show --help')\n"


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["show", "-f", EXAMPLE]])
def test_full_disk_is_74_in_one_line(stage_exe, args):
    proc = subprocess.run(f"'{stage_exe}' {' '.join(args)} >/dev/full", shell=True, capture_output=True, text=True)
    assert proc.returncode == 74
    assert proc.stderr.startswith("stage: error: cannot write the output") and proc.stderr.count("\n") == 1


def test_closed_stdout_is_74(stage_exe):
    proc = subprocess.run(f"'{stage_exe}' show -f '{EXAMPLE}' >&-", shell=True, capture_output=True, text=True)
    assert proc.returncode == 74
    assert proc.stderr == "stage: error: cannot write the output: standard output is closed\n"
