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
    assert err == ""  # quiet on a pipe: no traceback, not even the newline a terminal gets after ^C
    assert out == ""


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


@pytest.mark.parametrize("fmt", ["json", "yaml", "table"])
def test_a_reader_that_leaves_in_the_middle_of_a_large_output_is_141(stage_exe, tmp_path, fmt):
    """`| head -c 10` of megabytes: the one large write() comes back short instead of failing, and
    Python's text stream drops the short count; the run ended 0 with its output cut."""
    big = wire_stage(variables={f"v{i}": "x" * 200 for i in range(10000)})  # about 2 MB of output
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big))
    proc = subprocess.run(f"'{stage_exe}' vars -f '{path}' -o {fmt} | head -c 10 >/dev/null; "
                          "echo \"rc=${PIPESTATUS[0]}\"", shell=True, executable="bash", capture_output=True, text=True)
    assert proc.stdout == "rc=141\n"
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


def _stage_once_ours(exe: str, *args: str) -> tuple[subprocess.Popen, list]:
    """Start `stage` and return once apigw_stage.entry (which installs the SIGINT handler) is
    imported. Before that Python itself is starting (site, the console script) and a Ctrl-C is
    Python's own; how long that takes depends on the machine's load, so the test's clock starts
    here, told by Python's import-time report on stderr. The rest of stderr is drained into the
    returned list so that the report never fills the pipe."""
    import threading

    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    proc = subprocess.Popen([exe, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    err: list = []
    for line in proc.stderr:
        err.append(line)
        if line.rstrip().endswith("| apigw_stage.entry"):
            break
    threading.Thread(target=lambda: err.extend(proc.stderr), daemon=True).start()
    return proc, err


@pytest.mark.parametrize("delay", [0, 0.03, 0.08, 0.15, 0.25, 0.4, 0.6, 0.8])
def test_ctrl_c_is_130_at_any_moment(stage_exe, wire, delay):
    """SIGINT at spread-out moments after our handler is in: the imports of typer, rich and boto3,
    client set-up and the wait for the service. Always 130, no traceback, nothing on stdout."""
    wire.script = [HANG] * 3
    proc, err = _stage_once_ours(stage_exe, "show", "a1b2c3d4e5", "prod", "--endpoint-url", wire.url,
                                 "--timeout", "20")
    time.sleep(delay)
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out = proc.stdout.read()
    proc.wait(timeout=20)
    text = "".join(line for line in err if not line.startswith("import time:"))
    assert proc.returncode == 130, text
    assert "Traceback" not in text and out == ""
    assert time.monotonic() - started < 3


def test_a_swallowed_ctrl_c_still_ends_the_run_within_a_second():
    """A library that catches KeyboardInterrupt (a broad except in a network stack) cannot keep
    the run going: the watchdog the handler starts ends it with 130."""
    # The run (main's _run) is a loop that swallows every interrupt; 'ready' is printed inside its
    # try, so the interrupt always lands where it is swallowed.
    code = ("import sys, time\nsys.argv=['stage']\nimport apigw_stage.entry as entry\n"
            "def swallow():\n"
            "    while True:\n        try:\n            print('ready', flush=True)\n            time.sleep(10)\n"
            "        except KeyboardInterrupt:\n            pass\n"
            "entry._run = swallow\nentry.main()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=10)
    assert proc.returncode == 130
    assert 0.9 <= time.monotonic() - started < 2.5  # the watchdog's second, not the handler at once


def test_ctrl_c_between_our_import_and_main_is_130_without_traceback():
    """The console script runs a line of its own (re.sub on argv[0]) after importing entry and
    before main: an interrupt there ended in a traceback and exit -2 (seen under load in CI)."""
    code = "import time\nimport apigw_stage.entry\nprint('ready', flush=True)\ntime.sleep(10)\n"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 130 and "Traceback" not in err


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
