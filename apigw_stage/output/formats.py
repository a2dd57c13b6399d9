"""The output formats (aws-cli's CLI_OUTPUT_FORMATS): one entry each, its writer output/NAME.py
with `write(report, env)`. with_common offers a command only the formats it writes (help, TAB
and the man page list them), so any other -o is exit 2 before a single call.

A new format: output/NAME.py plus one entry below."""

import enum
import importlib
from typing import NamedTuple


class Format(NamedTuple):
    name: str
    checks_only: bool  # a report of checks (only `check` writes it), not a data format
    help: str  # for the man page
    example: str = ""  # a `stage check` line for check's examples
    commands: tuple = ()  # only these commands write it (e.g. html: list and check); () as checks_only says


FORMATS = {f.name: f for f in (
    Format("table", False, "Rich tables for people (the default). Colour only on a terminal."),
    Format("json", False, "The service's own shape, two-space indented, RFC 3339 UTC timestamps."),
    Format("yaml", False, "The same data through yaml.safe_dump, unicode kept."),
    Format("sarif", True, "check only: SARIF 2.1.0 for GitHub code scanning (a rule per check, a result per "
                          "failing check and stage).", "stage check --all-regions -o sarif > stage.sarif"),
    Format("junit", True, "check only: JUnit XML for Jenkins, GitLab and test reporters (a testsuite per stage, "
                          "a testcase per check).", "stage check snapshot/ -o junit > stage.xml"),
    Format("github", True, "check only: GitHub Actions annotations (::error/::warning workflow commands, one "
                           "per finding, at its file and line).", "stage check --file stage.json -o github"),
    Format("gitlab", True, "check only: GitLab Code Quality JSON (one finding per finding, at its file and line).",
           "stage check snapshot/ -o gitlab > gl-code-quality-report.json"),
    Format("html", False, "list and check: one self-contained HTML page (no network): summary, a stages x "
                          "controls matrix, findings with their fix commands; filters and sorting, readable "
                          "without JavaScript.", "stage check --all-regions -o html > stage.html",
           commands=("list", "check")),
)}

Output = enum.Enum("Output", {name: name for name in FORMATS}, type=str)
Output.__doc__ = "The format registry as -o choices: every format any command writes."
DATA_FORMATS = tuple(Output[name] for name, f in FORMATS.items() if not f.checks_only and not f.commands)
CHECK_FORMATS = tuple(Output[name] for name, f in FORMATS.items() if not f.commands or "check" in f.commands)


def formats_of(command: str) -> tuple:
    """The -o choices of `command`: the data formats, check's report formats for check, and every
    format whose entry names the command."""
    base = CHECK_FORMATS if command == "check" else DATA_FORMATS
    return base + tuple(Output[name] for name, f in FORMATS.items() if command in f.commands and Output[name] not in base)


def writer(name: str):
    """The writer module of format `name` (imported on use: each loads only for its format)."""
    return importlib.import_module(f"apigw_stage.output.{name}")
