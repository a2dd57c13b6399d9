"""What a command hands to the output writers (output/formats.py): the data for json/yaml, the
table for people, and for `check` the stages checked with the rules that ran (for the report formats). A writer reads the
report only: check rules and statuses reach it here, never by importing checks/.

Locations (issue 21): every report format points at a file in the repository, because GitHub
code scanning, GitLab Code Quality and GitHub annotations accept nothing else ("URI scheme arn
did not match the checkout URI scheme file"). A stage read from a file is located in that file,
relative to the report root (the root option, default the current directory), at the line of the
offending key; a live stage at the path `stage snapshot` would write for it (model/tree.py), line
1, with its ARN as a logical location."""

import hashlib
import json
import os
import shlex
from typing import Callable, NamedTuple

from apigw_stage.core import families

PASS, FAIL, NOT_APPLICABLE, NOT_EVALUATED, INFO, IGNORED = (
    "pass", "fail", "not_applicable", "not_evaluated", "info", "ignored")
SKIPPED = (IGNORED, NOT_APPLICABLE, NOT_EVALUATED)


def _no_position(at: tuple) -> tuple[int, int]:
    return (1, 1)


def relative_to(file: str, root: str | None) -> str | None:
    """`file` as a POSIX path relative to `root` (None: the current directory), or None when it
    lies outside it (or is standard input)."""
    if file == "-":
        return None
    rel = os.path.relpath(os.path.abspath(file), os.path.abspath(root or os.curdir))
    rel = rel.replace(os.sep, "/")
    if rel == ".." or rel.startswith("../") or os.path.isabs(rel):
        return None
    return rel


class StageRef:
    """Where a checked stage lives (family, account, region, API id, stage; or the file it was
    read from), for locations, names and fingerprints.

    path: the file location every report format writes, relative to the repository (the
    --file or snapshot file when inside the report root, else the snapshot-style path);
    on_disk: whether `path` is the file the stage was read from; locate(at) -> (line, column)
    of the keys `at` in that file ((1, 1) when unknown); paths: {check id: [Finding.at]};
    timings: {check id: seconds}."""

    def __init__(self, stage: str, api_id: str | None = None, region: str | None = None,
                 account: str | None = None, file: str | None = None, partition: str = "aws",
                 family=families.REST, path: str | None = None, locate: Callable | None = None,
                 paths: dict | None = None, api_name: str | None = None, timings: dict | None = None,
                 account_dir: str | None = None, account_name: str | None = None):
        self.stage, self.api_id, self.region, self.account, self.file = stage, api_id, region, account, file
        self.partition, self.family = partition, family
        self.account_name = account_name  # the organization's name for the account (--org-role), else None
        self.api_name = api_name  # the API's name where the scan read it (the html report, the snapshot path)
        # How the snapshot tree names the account (model/tree.account_label: ID, ID--NAME in an
        # organization scan, or the profile), before its folder name is encoded.
        self.account_dir = account_dir or account
        self.on_disk = path is not None
        self.path = path or self._snapshot_path()
        self.locate = locate or _no_position
        self.paths = paths or {}
        self.timings = timings or {}  # {check id: seconds it took}, for JUnit's time

    def _snapshot_path(self) -> str:
        """The path `stage snapshot` writes for this stage (model/tree.py's encoded parts)."""
        from apigw_stage.model import tree

        if self.file == "-" or (self.file is not None and not self.api_id):
            base = "stdin" if self.file == "-" else "file"
            return f"{base}/{tree.stage_file(self.stage)}"
        account = tree.encode(self.account_dir) if self.account_dir else "_"
        region = tree.region_dir(self.region) if self.region else "_"
        # No API id known: a placeholder folder, not an encoded id (there is none to decode).
        api = tree.api_dir(self.api_name, self.api_id) if self.api_id else f"{tree.safe_name(self.api_name, 'unnamed')}--API"
        return "/".join((account, region, api, tree.stage_file(self.stage)))

    @property
    def _arn_path(self) -> str:
        return f"{self.family.arn_collection}/{self.api_id or 'API'}/stages/{self.stage}"

    @property
    def arn(self) -> str | None:
        if not self.api_id or not self.region:
            return None
        return f"arn:{self.partition}:apigateway:{self.region}::/{self._arn_path}"

    @property
    def name(self) -> str:
        parts = [p for p in (self.account, self.region, self.api_id, self.stage) if p]
        return "/".join(parts) if self.api_id else self.file or self.stage

    def identity(self) -> str:
        """What names this stage across runs: account/region/API/stage when known, else the
        stage's file location and name (never an absolute path: it differs between checkouts)."""
        if self.api_id:
            return "/".join((self.account_dir or "", self.region or "", self.api_id, self.stage))
        return f"{self.path}#{self.stage}"

    def fingerprint(self, check_id: str, at: tuple = ()) -> str:
        """Stable across runs for one stage, control and place (method entry, variable); unrelated
        settings do not move it (no line number, no finding text)."""
        key = "\0".join((self.identity(), check_id, *map(str, at)))
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class Location(NamedTuple):
    """One place a failing check points at: the finding's `where` text and its keys `at`."""

    where: str
    reason: str
    at: tuple
    line: int
    column: int
    index: int | None = None  # the finding's place in the entry's findings (None: the stage)


def locations(target: StageRef, entry: dict) -> list[Location]:
    """The places of a failing check entry on `target`: one per finding (its line in the file),
    or the stage itself when the check found nothing it can point at."""
    ats = target.paths.get(entry["id"], [])
    out = []
    for i, finding in enumerate(entry.get("findings") or []):
        at = tuple(ats[i]) if i < len(ats) else ()
        line, column = target.locate(at)
        out.append(Location(str(finding.get("where", "")), str(finding.get("reason", "")), at, line, column, i))
    if not out:
        line, column = target.locate(())
        out.append(Location("stage", "", (), line, column))
    return out


def fix_commands(entry: dict, index: int | None = None) -> list[list[str]]:
    """The fix commands of a failing check entry, each a list of words; for place `index` of
    several (one per finding), only what fixes that place when the check's update-stage patch
    has one operation per finding: the commands to run first, then update-stage with that one
    operation. Else all of them (so a report of N places never repeats an N-operation command
    N times)."""
    commands = [list(words) for words in entry.get("fixCommands") or []]
    ops = entry.get("patchOperations") or []
    findings = entry.get("findings") or []
    if index is None or len(findings) < 2 or len(ops) != len(findings) or not commands:
        return commands
    last = commands[-1]
    if "--patch-operations" not in last:
        return commands
    cut = last.index("--patch-operations") + 1
    one = json.dumps(ops[index], separators=(",", ":"), ensure_ascii=False)
    return commands[:-1] + [last[:cut] + [one]]


def fix_text(entry: dict, index: int | None = None) -> str | None:
    """fix_commands as shell text, one command a line (None: nothing to run)."""
    return "\n".join(shlex.join(words) for words in fix_commands(entry, index)) or None


class Checked(NamedTuple):
    """The stages a check judged: [(StageRef, checks.run result)], the scopes it could not read
    [(scope text, reason)], and every family's rules {family key: its checks}, whose metadata
    (id, source, title, why, severity, Config rule, resource types) the writers describe.
    scope: what the run covered (account, regions, API, or the files), naming its uploads
    (code scanning's runAutomationDetails.id); strict: not_evaluated fails (the exit rule, README)."""

    stages: list
    not_read: list
    rules: dict
    scope: str = "stage"
    strict: bool = False


def fails(entry: dict, strict: bool) -> bool:
    """Whether a check entry fails under the exit rule: a failure, or with --strict a check
    that could not be judged (not_evaluated) unless it is informational."""
    if entry["status"] == FAIL:
        return True
    return strict and entry["status"] == NOT_EVALUATED and entry.get("severity") != "informational"


class Report(NamedTuple):
    data: object  # json/yaml: the documented data
    table: Callable  # table(on_terminal) -> a renderable for people
    checked: Checked | None = None  # check only: what the report formats write
