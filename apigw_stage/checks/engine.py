"""The check engine: what a check is (Check, with the metadata every output format reads), what it
may read (Context), what it finds (Finding, Outcome), how a registry runs on a stage (run) and the
fix commands of a failure. Pure: no I/O, no rendering. The controls are registry entries in their
subject's file: checks/rest.py (REST stages), checks/v2.py (HTTP and WebSocket stages);
checks/registry.py maps each API family to its registry.

Statuses (model/report.py): pass, fail, not_applicable (AWS Config's NOT_APPLICABLE),
not_evaluated (the check needs the deployed methods and they are unknown), info (an informational
finding), ignored.
"""

import json
import shlex
import time
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

from apigw_stage.model import deployed as deployed_methods
from apigw_stage.model import methods
from apigw_stage.model.report import FAIL, IGNORED, INFO, NOT_APPLICABLE, NOT_EVALUATED, PASS  # noqa: F401

SECURITY_HUB = "Security Hub"
CONFIG = "AWS Config"
OURS = "stage"
_SH_PAGE = "https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html"
_CONFIG_PAGE = "https://docs.aws.amazon.com/config/latest/developerguide/{}.html"


def sh_url(control: str) -> str:
    """Security Hub's page for an APIGateway control (its anchors are the ids in lower case)."""
    return f"{_SH_PAGE}#{control.lower().replace('.', '-')}"


def config_url(rule: str) -> str:
    return _CONFIG_PAGE.format(rule)


class _Template(str):
    """A word of a fix command with {api}, {stage}, {region} or {partition} to fill in; other
    words are used as they are (they may hold braces of their own)."""


class Finding(NamedTuple):
    where: str  # "stage defaults (*/*)", a method ("GET /pets"), a variable, or "stage"
    reason: str
    at: tuple = ()  # the keys leading to the offending value in the stage document (normal form),
    # e.g. ("methodSettings", "~1pets/GET", "loggingLevel"): where the report formats point


# The update-stage patch path's last parts -> the methodSettings field they set (botocore's
# MethodSetting members; the paths from AWS's "update-stage" reference).
SETTING_OF_PATCH = {
    "logging/loglevel": "loggingLevel", "logging/dataTrace": "dataTraceEnabled", "metrics/enabled": "metricsEnabled",
    "caching/enabled": "cachingEnabled", "caching/dataEncrypted": "cacheDataEncrypted",
    "caching/ttlInSeconds": "cacheTtlInSeconds",
    "caching/requireAuthorizationForCacheControl": "requireAuthorizationForCacheControl",
    "caching/unauthorizedCacheControlHeaderStrategy": "unauthorizedCacheControlHeaderStrategy",
    "throttling/rateLimit": "throttlingRateLimit", "throttling/burstLimit": "throttlingBurstLimit",
}


class Outcome(NamedTuple):
    findings: list
    patch: list = []  # update-stage patch operations that fix it: [{"op", "path", "value"}]
    before: tuple = ()  # commands to run first, each a list of words ({api}, {stage}, {region} filled in)
    status: str | None = None  # None: fail with findings, else pass
    note: str | None = None  # why not applicable or not evaluated, or how it was judged


@dataclass(frozen=True)
class Context:
    """What a check may read: the stage, its deployed methods, the rule parameters, and where
    the stage lives (for fix commands)."""

    doc: dict
    deployed: deployed_methods.Deployed | None  # None for a v2 stage: it has routes, not methods
    params: dict = field(default_factory=dict)  # parameter name -> tuple of values
    api_id: str = "API_ID"
    region: str | None = None
    protocol: str | None = None  # HTTP or WEBSOCKET for a v2 stage (None: REST, or not known)
    limits: dict | None = None  # sources/limits.fetch's {"account", "plans", "key"} (None: not read)
    parts: object = None  # v2: model/v2_parts.ApiParts (the API's routes and integrations); None: unknown

    @property
    def settings(self) -> dict:
        value = self.doc.get("methodSettings")
        return value if isinstance(value, dict) else {}


class Check(NamedTuple):
    id: str
    source: str
    title: str
    why: str  # one sentence for README and the man page
    severity: str  # AWS's own for its controls; ours with the reason in `why`
    evaluate: Callable[[Context], Outcome]
    params: tuple = ()  # AWS Config rule parameters this check takes (--param NAME=VALUE)
    aliases: tuple = ()  # earlier ids still accepted by --ignore
    config_rule: str | None = None  # the AWS Config rule that evaluates it (None: a check of ours)
    resource_types: tuple = ("AWS::ApiGateway::Stage",)  # the AWS Config resource types it judges
    url: str | None = None  # the page that states the rule (Security Hub's or AWS Config's)
    reading: str | None = None  # how stage reads the rule where AWS's text leaves a choice

    @property
    def source_url(self) -> str | None:
        if self.url:
            return self.url
        if self.source == SECURITY_HUB:
            return sh_url(self.id)
        return config_url(self.config_rule) if self.config_rule else None

    def metadata(self) -> dict:
        """What every output format may say of the rule (json/yaml: each check's entry)."""
        return {"aws_config_rule": self.config_rule, "source_url": self.source_url,
                "resource_types": list(self.resource_types), "reading": self.reading}


def _op(path: str, value=None, op: str = "replace") -> dict:
    out = {"op": op, "path": path}
    if value is not None:
        out["value"] = value
    return out


def _values(applied: dict) -> dict:
    return {f: v for f, (v, _) in applied.items()}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _per_method(fails: Callable[[dict, Context], str | None], suffix: str, value: Callable[[Context], str],
                entries_only: bool = False):
    """A check of the settings of the stage defaults and of each method entry; `suffix` and
    `value` make the patch that fixes one method entry or the stage defaults. `entries_only`:
    judge the entries that exist, as AWS Config reads methodSettings (a stage without a `*/*`
    entry is judged by its method entries alone)."""

    def evaluate(ctx: Context) -> Outcome:
        # The stage defaults and every method entry are judged, deployed or not: AWS Config judges
        # the stage's methodSettings (its configuration item holds no deployment), and a method
        # deployed later without an entry follows */*. The deployed methods say who is affected now.
        settings = ctx.settings
        deployed = None
        following = None
        if ctx.deployed.methods is not None:
            deployed = set(m.key for m in ctx.deployed.methods)
            following = len([k for k in deployed if k not in settings])
        findings, ops = [], []
        stage_reason = None
        if not entries_only or methods.STAGE_DEFAULTS_KEY in settings:
            stage_reason = fails(_values(methods.effective(settings, methods.STAGE_DEFAULTS_KEY)), ctx)
        if stage_reason:
            if following is None:
                stage_reason += " (applies to every method without an entry)"
            elif following:
                stage_reason += f" ({_plural(following, 'deployed method')} without an entry follow it)"
            else:
                stage_reason += " (no deployed method follows it now; one deployed without an entry would)"
            findings.append(Finding(f"stage defaults ({methods.STAGE_DEFAULTS_KEY})", stage_reason,
                                    ("methodSettings", methods.STAGE_DEFAULTS_KEY, SETTING_OF_PATCH.get(suffix, suffix))))
            ops.append(_op(f"/{methods.STAGE_DEFAULTS_KEY}/{suffix}", value(ctx)))
        for method in methods.method_keys(settings):
            reason = fails(_values(methods.effective(settings, method.key)), ctx)
            if reason:
                if deployed is not None and method.key not in deployed:
                    reason += " (an entry for a method not deployed on this stage)"
                findings.append(Finding(method.label, reason,
                                        ("methodSettings", method.key, SETTING_OF_PATCH.get(suffix, suffix))))
                ops.append(_op(f"/{method.key}/{suffix}", value(ctx)))
        return Outcome(findings, ops)

    return evaluate

def _partition(region: str | None) -> str:
    if region and region.startswith("cn-"):
        return "aws-cn"
    if region and region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def commands(outcome: Outcome, ctx: Context, stage: str) -> list[list[str]]:
    """The commands that fix a failing check, each a list of words (placeholders in capitals)."""
    region = ctx.region or "REGION"
    fill = {"api": ctx.api_id, "stage": stage, "region": region, "partition": _partition(ctx.region)}
    region_args = ["--region", ctx.region] if ctx.region else []
    out = [[word.format(**fill) if isinstance(word, _Template) else word for word in command] + region_args
           for command in outcome.before]
    if outcome.patch:
        out.append(["aws", "apigateway", "update-stage", "--rest-api-id", ctx.api_id, "--stage-name", stage,
                    *region_args, "--patch-operations",
                    *(json.dumps(op, separators=(",", ":")) for op in outcome.patch)])
    return out


def run(ctx: Context, ignore: set[str], checks: tuple, strict: bool = False, paths: dict | None = None,
        timings: dict | None = None) -> dict:
    """The documented json/yaml schema (README): {stageName, passed, deployedMethods,
    parameters, checks: [...]}. `checks`: the family's registry (checks/registry.py).
    `passed` follows the exit rule (README, "Exit status of check"): only a failing check fails;
    with `strict` a check that could not be judged (not_evaluated) fails too, unless it is
    informational. `paths`, when given, is filled with {check id: [Finding.at of each finding]}
    for the report formats' locations (the json keeps its documented shape), `timings` with
    {check id: seconds} for JUnit's time."""
    stage_name = ctx.doc.get("stageName")
    stage = stage_name if isinstance(stage_name, str) and stage_name else "STAGE"
    results = []
    for check in checks:
        entry = {"id": check.id, "source": check.source, "title": check.title, "severity": check.severity,
                 **check.metadata(),
                 "parameters": {name: list(ctx.params[name]) for name in check.params if name in ctx.params}}
        if check.id in ignore:
            results.append({**entry, "status": IGNORED, "note": None, "findings": [], "fix": None,
                            "fixCommands": [], "patchOperations": []})
            continue
        started = time.perf_counter()
        outcome = check.evaluate(ctx)
        if timings is not None:
            timings[check.id] = time.perf_counter() - started
        status = outcome.status or (FAIL if outcome.findings else PASS)
        if paths is not None:
            paths[check.id] = [tuple(f.at) for f in outcome.findings]
        fixes = commands(outcome, ctx, stage) if status == FAIL else []
        results.append({
            **entry,
            "status": status,
            "note": outcome.note,
            "findings": [{"where": f.where, "reason": f.reason} for f in outcome.findings],
            "fix": "\n".join(shlex.join(words) for words in fixes) or None,
            "fixCommands": fixes,
            "patchOperations": outcome.patch if status == FAIL else [],
        })
    return {
        "stageName": stage_name,
        "passed": all(r["status"] != FAIL and not (strict and r["status"] == NOT_EVALUATED
                                                   and r["severity"] != "informational")
                      for r in results),
        "deployedMethods": ctx.deployed.summary() if ctx.deployed is not None else None,  # None: a v2 stage
        "parameters": {name: list(values) for name, values in ctx.params.items()},
        "checks": results,
    }
