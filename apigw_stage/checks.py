"""`stage check`: a stage against AWS's own controls for API Gateway stages (Security Hub, AWS
Config) and a few of ours, evaluated as AWS evaluates them. Pure: no I/O, no rendering.

Method checks read the settings that apply to each method (methods.effective: an entry is
self-contained, a method without one follows `*/*`). They judge `*/*` and every entry, deployed
or not, as AWS Config judges a stage's methodSettings; that covers every deployed method (each
has an entry or follows `*/*`), so a pass is never a guess. With the deployed methods known (the
stage's export) a finding says whom it concerns now: how many deployed methods follow `*/*`, or
that an entry's method is not deployed.

Statuses: pass, fail, not_applicable (AWS Config's NOT_APPLICABLE), not_evaluated (the check
needs the deployed methods and they are unknown), info (an informational finding), ignored.
"""

import json
import shlex
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

from apigw_stage import deployed as deployed_methods, methods, secrets, views
from apigw_stage.errors import UsageError

SECURITY_HUB = "Security Hub"
CONFIG = "AWS Config"
OURS = "stage"

PASS, FAIL, NOT_APPLICABLE, NOT_EVALUATED, INFO, IGNORED = (
    "pass", "fail", "not_applicable", "not_evaluated", "info", "ignored")
_HTTP_INTEGRATIONS = ("HTTP", "HTTP_PROXY")
_LEVELS = ("ERROR", "INFO")


class _Template(str):
    """A word of a fix command with {api}, {stage}, {region} or {partition} to fill in; other
    words are used as they are (they may hold braces of their own)."""


class Finding(NamedTuple):
    where: str  # "stage defaults (*/*)", a method ("GET /pets"), a variable, or "stage"
    reason: str


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


def _op(path: str, value=None, op: str = "replace") -> dict:
    out = {"op": op, "path": path}
    if value is not None:
        out["value"] = value
    return out


def _values(applied: dict) -> dict:
    return {f: v for f, (v, _) in applied.items()}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _per_method(fails: Callable[[dict, Context], str | None], suffix: str, value: Callable[[Context], str]):
    """A check of the settings of the stage defaults and of each method entry; `suffix` and
    `value` make the patch that fixes one method entry or the stage defaults."""

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
        stage_reason = fails(_values(methods.effective(settings, methods.STAGE_DEFAULTS_KEY)), ctx)
        if stage_reason:
            if following is None:
                stage_reason += " (applies to every method without an entry)"
            elif following:
                stage_reason += f" ({_plural(following, 'deployed method')} without an entry follow it)"
            else:
                stage_reason += " (no deployed method follows it now; one deployed without an entry would)"
            findings.append(Finding(f"stage defaults ({methods.STAGE_DEFAULTS_KEY})", stage_reason))
            ops.append(_op(f"/{methods.STAGE_DEFAULTS_KEY}/{suffix}", value(ctx)))
        for method in methods.method_keys(settings):
            reason = fails(_values(methods.effective(settings, method.key)), ctx)
            if reason:
                if deployed is not None and method.key not in deployed:
                    reason += " (an entry for a method not deployed on this stage)"
                findings.append(Finding(method.label, reason))
                ops.append(_op(f"/{method.key}/{suffix}", value(ctx)))
        return Outcome(findings, ops)

    return evaluate


def _levels(ctx: Context) -> tuple:
    return ctx.params.get("loggingLevel") or _LEVELS


def _logging(values: dict, ctx: Context) -> str | None:
    level = values["loggingLevel"]
    if isinstance(level, str) and level in _levels(ctx):
        return None
    return f"execution logging {level if isinstance(level, str) else json.dumps(level)}"


def _unencrypted_cache(values: dict, ctx: Context) -> str | None:
    if values["cachingEnabled"] is True and values["cacheDataEncrypted"] is not True:
        return "caching on, cache data not encrypted"
    return None


def _data_trace(values: dict, ctx: Context) -> str | None:
    if values["dataTraceEnabled"] is not True:
        return None
    if values["loggingLevel"] in (None, "OFF"):  # nothing is written while logging is off
        return "data trace on: logging is OFF, so nothing is written yet; full requests and responses go to CloudWatch Logs once it is on"
    return "data trace on: full requests and responses go to CloudWatch Logs"


def _open_invalidation(values: dict, ctx: Context) -> str | None:
    if values["cachingEnabled"] is True and values["requireAuthorizationForCacheControl"] is False:
        return "caching on and any caller can flush it (Cache-Control: max-age=0)"
    return None


def _certificate(ctx: Context) -> Outcome:
    """APIGateway.2 as AWS Config's api-gw-ssl-enabled: not applicable unless a deployed method
    calls an HTTP backend (HTTP or HTTP_PROXY integration)."""
    cert = ctx.doc.get("clientCertificateId")
    allowed = ctx.params.get("CertificateIDs")
    ok = isinstance(cert, str) and bool(cert) and (not allowed or cert in allowed)
    found = ctx.deployed.methods
    http = [m for m in found or () if m.integration in _HTTP_INTEGRATIONS]
    if not http and ctx.deployed.integrations_known:
        return Outcome([], status=NOT_APPLICABLE,
                       note="no deployed method has an HTTP or HTTP_PROXY integration")
    if ok:
        return Outcome([])
    if not http:
        return Outcome([], status=NOT_EVALUATED,
                       note="no client certificate, and the integrations of the deployed methods are unknown: "
                            + ctx.deployed.note)
    if isinstance(cert, str) and cert:
        reason = f"client certificate {cert} is not one of CertificateIDs"
    else:
        reason = "no client certificate"
    names = ", ".join(m.label for m in http[:3]) + (f" and {len(http) - 3} more" if len(http) > 3 else "")
    reason += f" (HTTP backends: {names})"
    patch = [_op("/clientCertificateId", allowed[0] if allowed else "CERTIFICATE_ID")]
    before = () if allowed else (["aws", "apigateway", "generate-client-certificate", "--description",
                                  _Template("backend authentication of {api} {stage}")],)
    return Outcome([Finding("stage", reason)], patch, before)


def _tracing(ctx: Context) -> Outcome:
    if ctx.doc.get("tracingEnabled") is True:
        return Outcome([])
    return Outcome([Finding("stage", "X-Ray tracing off")], [_op("/tracingEnabled", "true")])


def _waf(ctx: Context) -> Outcome:
    arn = ctx.doc.get("webAclArn")
    allowed = ctx.params.get("WebAclArns")
    if isinstance(arn, str) and arn and (not allowed or arn in allowed):
        return Outcome([])
    reason = f"web ACL {arn} is not one of WebAclArns" if isinstance(arn, str) and arn else "no WAF web ACL"
    command = ["aws", "wafv2", "associate-web-acl", "--web-acl-arn", allowed[0] if allowed else "ACL_ARN",
               "--resource-arn", _Template("arn:{partition}:apigateway:{region}::/restapis/{api}/stages/{stage}")]
    return Outcome([Finding("stage", reason)], [], (command,))


def _access_logs(ctx: Context) -> Outcome:
    settings = ctx.doc.get("accessLogSettings")
    if isinstance(settings, dict) and settings.get("destinationArn"):
        return Outcome([])
    # AWS Config passes a stage whose accessLogSettings merely exists; without a destination
    # nothing is logged, so here that fails too.
    reason = "access log settings without a destination" if isinstance(settings, dict) else "no access log destination"
    return Outcome([Finding("stage", reason)], [_op("/accessLogSettings/destinationArn", "LOG_GROUP_ARN"),
                                                _op("/accessLogSettings/format", "FORMAT")])


def _canary(ctx: Context) -> Outcome:
    canary = ctx.doc.get("canarySettings")
    if not isinstance(canary, dict):
        return Outcome([])
    percent = views.canary_percent(canary)
    deployment = canary.get("deploymentId")
    if percent <= 0:
        reason = "canary gets 0% of traffic: left behind after a promotion?"
        return Outcome([Finding("stage", reason)], [_op("/canarySettings", op="remove")])
    if percent >= 100:
        reason = f"canary gets 100% of traffic: deployment {deployment} is live; promote it"
        # Promotion as AWS documents it (API Gateway developer guide, "Promote a canary release",
        # the REST API example): copy the canary's deployment and its variable overrides onto the
        # stage, so that the stage keeps serving what the canary served; then the canary goes.
        ops = [{"op": "copy", "from": "/canarySettings/deploymentId", "path": "/deploymentId"}]
        if canary.get("stageVariableOverrides"):
            ops.append({"op": "copy", "from": "/canarySettings/stageVariableOverrides", "path": "/variables"})
        return Outcome([Finding("stage", reason)], ops + [_op("/canarySettings", op="remove")])
    return Outcome([])


def _throttling(ctx: Context) -> Outcome:
    settings = ctx.settings
    limited = any(
        not methods.is_account_limit(name, value)
        for key in settings
        for name, (value, _) in methods.effective(settings, key).items()
        if name in ("throttlingRateLimit", "throttlingBurstLimit")
    )
    if limited:
        return Outcome([])
    reason = "no stage default or method sets a throttling limit: every method runs at the account limit"
    ops = [_op("/*/*/throttling/rateLimit", "RATE"), _op("/*/*/throttling/burstLimit", "BURST")]
    return Outcome([Finding("stage", reason)], ops)


def _secrets(ctx: Context) -> Outcome:
    found = secrets.scan(ctx.doc)
    return Outcome([Finding(s.where, s.reason) for s in found], [_op(s.path, op="remove") for s in found])


def _open_methods(ctx: Context) -> Outcome:
    if ctx.deployed.methods is None:
        return Outcome([], status=NOT_EVALUATED, note="the deployed methods are unknown: " + ctx.deployed.note)
    # OPTIONS is left out: a CORS preflight must be callable without credentials.
    open_ = [m for m in ctx.deployed.methods if m.is_open and m.http_method != "OPTIONS"]
    findings = [Finding(m.label, "authorization NONE and no API key: anyone can call it") for m in open_]
    return Outcome(findings, status=INFO if findings else PASS)


CHECKS = (
    Check("APIGateway.1", SECURITY_HUB, "Execution logging at ERROR or INFO for every method",
          "Without execution logs, failed requests leave no trace in CloudWatch. An entry without "
          "loggingLevel logs nothing, whatever */* says.", "medium",
          _per_method(_logging, "logging/loglevel", lambda ctx: _levels(ctx)[0]), ("loggingLevel",)),
    Check("APIGateway.2", SECURITY_HUB, "Client certificate for backend authentication",
          "A client certificate lets an HTTP backend tell API Gateway's calls from anyone else's; "
          "not applicable when no deployed method has an HTTP or HTTP_PROXY integration.", "medium",
          _certificate, ("CertificateIDs",)),
    Check("APIGateway.3", SECURITY_HUB, "X-Ray tracing enabled",
          "Tracing shows where a request spends its time across services.", "low", _tracing),
    Check("APIGateway.4", SECURITY_HUB, "Associated with a WAF web ACL",
          "A web ACL filters common attacks before they reach the API.", "medium", _waf, ("WebAclArns",)),
    Check("APIGateway.5", SECURITY_HUB, "Cache data encrypted at rest where caching is on",
          "Cached responses can hold personal data; encrypt them.", "medium",
          _per_method(_unencrypted_cache, "caching/dataEncrypted", lambda ctx: "true")),
    Check("Config.AccessLogs", CONFIG, "Access logging configured (apigateway-stage-access-logs-enabled)",
          "Access logs record who called what, for audits and incident response. Medium, as Security "
          "Hub rates the same control for HTTP and WebSocket stages (APIGateway.9).", "medium",
          _access_logs, (), ("APIGateway.9",)),
    Check("STAGE.1", OURS, "No data-trace logging",
          "Data trace writes full requests and responses, secrets included, to CloudWatch Logs: medium, "
          "as for missing logs.", "medium",
          _per_method(_data_trace, "logging/dataTrace", lambda ctx: "false")),
    Check("STAGE.2", OURS, "Cache invalidation needs authorisation",
          "Otherwise any caller can flush the cache with Cache-Control: max-age=0 and load the backend: "
          "medium, a denial of service within reach of anyone.", "medium",
          _per_method(_open_invalidation, "caching/requireAuthorizationForCacheControl", lambda ctx: "true")),
    Check("STAGE.3", OURS, "No canary left at 0% or 100%",
          "A canary at 0% is a leftover; at 100% the stage's own deployment serves nothing: low, "
          "untidy rather than unsafe.", "low", _canary),
    Check("STAGE.4", OURS, "Throttling limit set somewhere",
          "With no limit anywhere, one client can use the whole account's request quota: low, the "
          "account limit still applies.", "low", _throttling),
    Check("STAGE.5", OURS, "No secrets in stage variables",
          "Stage variables are readable by anyone allowed to read the stage and land in execution "
          "logs: high, a credential exposed. Only where it is is shown, never the value.", "high", _secrets),
    Check("STAGE.6", OURS, "Methods open to anyone (authorization NONE, no API key)",
          "Informational: a public API is fine, an unintended one is not; OPTIONS (CORS preflight) is "
          "left out.", "informational", _open_methods),
)
IDS = {name.lower(): check.id for check in CHECKS for name in (check.id, *check.aliases)}
PARAMS = {name.lower(): name for check in CHECKS for name in check.params}


def registry(family) -> tuple:
    """The checks of an API family (its registry entry, families.py): REST's above,
    HTTP/WebSocket's in v2/checks.py."""
    return family.checks


def ids(checks: tuple) -> dict:
    """{lower-case id or alias: id} of a registry, for --ignore."""
    return {name.lower(): check.id for check in checks for name in (check.id, *check.aliases)}


def parse_params(items: list[str]) -> dict:
    """`--param NAME=V1,V2` as AWS Config's rule parameters: {name: (values...)}."""
    params = {}
    for item in items:
        name, equals, value = item.partition("=")
        known = PARAMS.get(name.strip().lower())
        if not equals or known is None:
            raise UsageError(f"no rule parameter {item!r}", "parameters: " + ", ".join(sorted(PARAMS.values()))
                             + "; e.g. --param loggingLevel=ERROR")
        values = tuple(v.strip() for v in value.split(",") if v.strip())
        if not values:
            raise UsageError(f"--param {known} needs a value")
        if known == "loggingLevel" and not set(values) <= set(_LEVELS):
            raise UsageError(f"loggingLevel takes ERROR and/or INFO, not {value!r}")
        params[known] = values
    return params


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


def run(ctx: Context, ignore: set[str], checks: tuple = CHECKS) -> dict:
    """The documented json/yaml schema (README): {stageName, passed, deployedMethods,
    parameters, checks: [...]}. `checks`: the family's registry (registry())."""
    stage_name = ctx.doc.get("stageName")
    stage = stage_name if isinstance(stage_name, str) and stage_name else "STAGE"
    results = []
    for check in checks:
        entry = {"id": check.id, "source": check.source, "title": check.title, "severity": check.severity}
        if check.id in ignore:
            results.append({**entry, "status": IGNORED, "note": None, "findings": [], "fix": None,
                            "fixCommands": [], "patchOperations": []})
            continue
        outcome = check.evaluate(ctx)
        status = outcome.status or (FAIL if outcome.findings else PASS)
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
        # A check that could not be judged is not a pass: only an informational one may stay unknown.
        "passed": all(r["status"] != FAIL and (r["status"] != NOT_EVALUATED or r["severity"] == "informational")
                      for r in results),
        "deployedMethods": ctx.deployed.summary() if ctx.deployed is not None else None,  # None: a v2 stage
        "parameters": {name: list(values) for name, values in ctx.params.items()},
        "checks": results,
    }
