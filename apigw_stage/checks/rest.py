"""The controls of REST API stages: AWS's own (Security Hub, AWS Config), evaluated as AWS
evaluates them, and a few of ours. Pure: no I/O, no rendering.

Method checks read the settings that apply to each method (methods.effective: an entry is
self-contained, a method without one follows `*/*`). They judge `*/*` and every entry, deployed
or not, as AWS Config judges a stage's methodSettings; that covers every deployed method (each
has an entry or follows `*/*`), so a pass is never a guess. With the deployed methods known (the
stage's export) a finding says whom it concerns now: how many deployed methods follow `*/*`, or
that an entry's method is not deployed.
"""

import json

from apigw_stage.checks.engine import (
    CONFIG, INFO, NOT_APPLICABLE, NOT_EVALUATED, OURS, PASS, SECURITY_HUB, Check, Context, Finding, Outcome,
    _op, _per_method, _plural, _Template,
)
from apigw_stage.model import methods
from apigw_stage.model import rest as views
from apigw_stage.views import secrets

_HTTP_INTEGRATIONS = ("HTTP", "HTTP_PROXY")
INTEGRATION_TYPES = ("HTTP", "HTTP_PROXY", "AWS", "AWS_PROXY", "MOCK")  # botocore's apigateway IntegrationType
_LEVELS = ("ERROR", "INFO")


def _levels(ctx: Context) -> tuple:
    return ctx.params.get("loggingLevel") or _LEVELS


def _logging(values: dict, ctx: Context) -> str | None:
    level = values["loggingLevel"]
    if isinstance(level, str) and level in _levels(ctx):
        return None
    return f"execution logging {level if isinstance(level, str) else json.dumps(level)}"


def _execution_logging(ctx: Context) -> Outcome:
    """APIGateway.1 as AWS Config reads methodSettings: "Checks if all methods in Amazon API
    Gateway stages have logging enabled. The rule is NON_COMPLIANT if logging is not enabled, or if
    loggingLevel is neither ERROR nor INFO" (api-gw-execution-logging-enabled). The entries that
    exist are judged, `*/*` among them when present; a stage without any entry has no logging
    enabled and fails. A stage with method entries and no `*/*` passes here when they all log:
    what that leaves unlogged is STAGE.7's finding."""
    if not ctx.settings:
        return Outcome([Finding(f"stage defaults ({methods.STAGE_DEFAULTS_KEY})",
                                "no method settings: execution logging is not enabled")],
                       [_op(f"/{methods.STAGE_DEFAULTS_KEY}/logging/loglevel", _levels(ctx)[0])])
    return _judge_entries(ctx)


_judge_entries = _per_method(_logging, "logging/loglevel", lambda ctx: _levels(ctx)[0], entries_only=True)


def _unlogged_methods(ctx: Context) -> Outcome:
    """STAGE.7: with method entries but no `*/*` entry, a method without an entry of its own
    follows the service default, logging OFF: AWS Config's rule, which judges the entries that
    exist, passes such a stage while those methods log nothing."""
    settings = ctx.settings
    if methods.STAGE_DEFAULTS_KEY in settings:
        return Outcome([], status=NOT_APPLICABLE, note="the stage has a */* entry, which APIGateway.1 judges")
    if not settings:
        return Outcome([], status=NOT_APPLICABLE, note="no method settings at all: APIGateway.1 fails the stage")
    if ctx.deployed.methods is None:
        who = "every method without an entry of its own logs nothing"
    else:
        bare = [m for m in ctx.deployed.methods if m.key not in settings]
        if not bare:
            return Outcome([], note="every deployed method has an entry of its own (one deployed later would not)")
        names = ", ".join(m.label for m in bare[:3]) + (f" and {len(bare) - 3} more" if len(bare) > 3 else "")
        who = f"{_plural(len(bare), 'deployed method')} without an entry log nothing: {names}"
    reason = f"no */* entry: {who} (AWS Config judges only the entries that exist)"
    return Outcome([Finding(f"stage defaults ({methods.STAGE_DEFAULTS_KEY})", reason)],
                   [_op(f"/{methods.STAGE_DEFAULTS_KEY}/logging/loglevel", _levels(ctx)[0])])


def _caches_somewhere(ctx: Context) -> bool:
    settings = ctx.settings
    return any(methods.effective(settings, key)["cachingEnabled"][0] is True
               for key in (methods.STAGE_DEFAULTS_KEY, *settings))


def _cache_encrypted(ctx: Context) -> Outcome:
    """APIGateway.5, Security Hub's api-gw-cache-encrypted: "Security Hub CSPM evaluates the
    encryption of a particular method only when caching is enabled for that method"; a stage on
    which nothing caches is not applicable (Config.Caching is the rule that
    asks for caching)."""
    if not _caches_somewhere(ctx):
        return Outcome([], status=NOT_APPLICABLE, note="caching is on for no method (Security Hub judges "
                                                       "only methods that cache)")
    return _judge_cache(ctx)


def _uncached(values: dict, ctx: Context) -> str | None:
    if values["cachingEnabled"] is not True:
        return "caching off" + ("" if values["cacheDataEncrypted"] is True else ", cache data not encrypted")
    if values["cacheDataEncrypted"] is not True:
        return "caching on, cache data not encrypted"
    return None


def _cache_everywhere(ctx: Context) -> Outcome:
    """AWS Config's api-gw-cache-enabled-and-encrypted: "NON_COMPLIANT if any method in an Amazon
    API Gateway stage is not configured to cache or the cache is not encrypted". Offered as
    information: no Security Hub control uses the rule, and not caching is no fault."""
    outcome = _judge_everywhere(ctx)
    return outcome._replace(status=INFO if outcome.findings else PASS,
                            note="AWS Config's rule would be NON_COMPLIANT" if outcome.findings else None)


def _unencrypted_cache(values: dict, ctx: Context) -> str | None:
    if values["cachingEnabled"] is True and values["cacheDataEncrypted"] is not True:
        return "caching on, cache data not encrypted"
    return None


_judge_everywhere = _per_method(_uncached, "caching/enabled", lambda ctx: "true")
_judge_cache = _per_method(_unencrypted_cache, "caching/dataEncrypted", lambda ctx: "true")


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


# AWS's texts disagree on when APIGateway.2 applies: AWS Config's page now reads "NOT_APPLICABLE if
# the GetIntegration API returns an integration type other than HTTP", older copies "... returns AWS
# as type", and Security Hub findings judge stages whose methods are all AWS_PROXY, MOCK or
# HTTP_PROXY too. stage's default reading is the Check entry's `reading`; a note names any other.


def _certificate(ctx: Context) -> Outcome:
    """APIGateway.2 as AWS Config's api-gw-ssl-enabled: "NON_COMPLIANT if the REST API stage
    does not have an associated SSL certificate" (clientCertificateId, one of CertificateIDs when
    given). Applicability, where AWS's texts disagree (_APPLICABILITY): by default a deployed
    method with an HTTP or HTTP_PROXY integration, the backends that can check the certificate;
    `--param APIGateway.2:integrationTypes=...` (stage's own parameter) names other types, and
    all five judge every stage, as the Security Hub findings do."""
    cert = ctx.doc.get("clientCertificateId")
    allowed = ctx.params.get("CertificateIDs")
    ok = isinstance(cert, str) and bool(cert) and (not allowed or cert in allowed)
    types = ctx.params.get("integrationTypes") or _HTTP_INTEGRATIONS
    everything = set(INTEGRATION_TYPES) <= set(types)
    reading = None
    if types != _HTTP_INTEGRATIONS:
        reading = ("judged on every stage (--param integrationTypes), as Security Hub's findings do" if everything
                   else f"applicable where a deployed method's integration is {' or '.join(types)} (--param integrationTypes)")
    found = ctx.deployed.methods
    http = [m for m in found or () if m.integration in types]
    if not everything and not http and ctx.deployed.integrations_known:
        return Outcome([], status=NOT_APPLICABLE,
                       note=f"no deployed method has an {' or '.join(types)} integration"
                            + (f"; {reading}" if reading else ""))
    if ok:
        return Outcome([], note=reading)
    if not http and not everything:
        return Outcome([], status=NOT_EVALUATED,
                       note="no client certificate, and the integrations of the deployed methods are unknown: "
                            + ctx.deployed.note + (f"; {reading}" if reading else ""))
    if isinstance(cert, str) and cert:
        reason = f"client certificate {cert} is not one of CertificateIDs"
    else:
        reason = "no client certificate"
    if http:
        names = ", ".join(m.label for m in http[:3]) + (f" and {len(http) - 3} more" if len(http) > 3 else "")
        reason += f" ({' or '.join(types)} integrations: {names})" if types != _HTTP_INTEGRATIONS else \
            f" (HTTP backends: {names})"
    patch = [_op("/clientCertificateId", allowed[0] if allowed else "CERTIFICATE_ID")]
    before = () if allowed else (["aws", "apigateway", "generate-client-certificate", "--description",
                                  _Template("backend authentication of {api} {stage}")],)
    return Outcome([Finding("stage", reason, ("clientCertificateId",))], patch, before, note=reading)


def _tracing(ctx: Context) -> Outcome:
    if ctx.doc.get("tracingEnabled") is True:
        return Outcome([])
    return Outcome([Finding("stage", "X-Ray tracing off", ("tracingEnabled",))], [_op("/tracingEnabled", "true")])


def _waf(ctx: Context) -> Outcome:
    arn = ctx.doc.get("webAclArn")
    allowed = ctx.params.get("WebAclArns")
    if isinstance(arn, str) and arn and (not allowed or arn in allowed):
        return Outcome([])
    reason = f"web ACL {arn} is not one of WebAclArns" if isinstance(arn, str) and arn else "no WAF web ACL"
    command = ["aws", "wafv2", "associate-web-acl", "--web-acl-arn", allowed[0] if allowed else "ACL_ARN",
               "--resource-arn", _Template("arn:{partition}:apigateway:{region}::/restapis/{api}/stages/{stage}")]
    return Outcome([Finding("stage", reason, ("webAclArn",))], [], (command,))


_ACCESS_FIX = [_op("/accessLogSettings/destinationArn", "LOG_GROUP_ARN"), _op("/accessLogSettings/format", "FORMAT")]


def _access_logs(ctx: Context) -> Outcome:
    """AWS Config's apigateway-stage-access-logs-enabled: "NON_COMPLIANT if 'accessLogSettings'
    is not present in Stage configuration". Settings without a destination pass here, as there;
    that they log nothing is STAGE.8's finding."""
    if isinstance(ctx.doc.get("accessLogSettings"), dict):
        return Outcome([])
    return Outcome([Finding("stage", "no access log settings", ("accessLogSettings",))], list(_ACCESS_FIX))


def _access_destination(ctx: Context) -> Outcome:
    settings = ctx.doc.get("accessLogSettings")
    if not isinstance(settings, dict):
        return Outcome([], status=NOT_APPLICABLE, note="no access log settings: Config.AccessLogs fails the stage")
    if settings.get("destinationArn"):
        return Outcome([])
    return Outcome([Finding("stage", "access log settings without a destination: nothing is logged",
                            ("accessLogSettings",))],
                   list(_ACCESS_FIX))


def _canary(ctx: Context) -> Outcome:
    canary = ctx.doc.get("canarySettings")
    if not isinstance(canary, dict):
        return Outcome([])
    percent = views.canary_percent(canary)
    deployment = canary.get("deploymentId")
    if percent <= 0:
        reason = "canary gets 0% of traffic: left behind after a promotion?"
        return Outcome([Finding("stage", reason, ("canarySettings", "percentTraffic"))], [_op("/canarySettings", op="remove")])
    if percent >= 100:
        reason = f"canary gets 100% of traffic: deployment {deployment} is live; promote it"
        # Promotion as AWS documents it (API Gateway developer guide, "Promote a canary release",
        # the REST API example): copy the canary's deployment and its variable overrides onto the
        # stage, so that the stage keeps serving what the canary served; then the canary goes.
        ops = [{"op": "copy", "from": "/canarySettings/deploymentId", "path": "/deploymentId"}]
        if canary.get("stageVariableOverrides"):
            ops.append({"op": "copy", "from": "/canarySettings/stageVariableOverrides", "path": "/variables"})
        return Outcome([Finding("stage", reason, ("canarySettings", "percentTraffic"))], ops + [_op("/canarySettings", op="remove")])
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
    return Outcome([Finding("stage", reason, ("methodSettings",))], ops)


def _variable_at(secret) -> tuple:
    if secret.where.startswith("canary"):
        return ("canarySettings", "stageVariableOverrides", secret.name)
    return ("variables", secret.name)


def _secrets(ctx: Context) -> Outcome:
    found = secrets.scan(ctx.doc)
    return Outcome([Finding(s.where, s.reason, _variable_at(s)) for s in found],
                   [_op(s.path, op="remove") for s in found])


def _open_methods(ctx: Context) -> Outcome:
    if ctx.deployed.methods is None:
        return Outcome([], status=NOT_EVALUATED, note="the deployed methods are unknown: " + ctx.deployed.note)
    # OPTIONS is left out: a CORS preflight must be callable without credentials.
    open_ = [m for m in ctx.deployed.methods if m.is_open and m.http_method != "OPTIONS"]
    findings = [Finding(m.label, "authorization NONE and no API key: anyone can call it", ("methodSettings", m.key))
                for m in open_]
    return Outcome(findings, status=INFO if findings else PASS)


CHECKS = (
    Check("APIGateway.1", SECURITY_HUB, "Execution logging at ERROR or INFO in every method entry",
          "Without execution logs, failed requests leave no trace in CloudWatch. An entry without "
          "loggingLevel logs nothing, whatever */* says.", "medium", _execution_logging, ("loggingLevel",),
          config_rule="api-gw-execution-logging-enabled", resource_types=("AWS::ApiGateway::Stage",),
          reading="the methodSettings entries that exist are judged, */* among them when present, as AWS Config "
                  "reads the stage; a stage without entries fails; STAGE.7 judges the methods left without one"),
    Check("APIGateway.2", SECURITY_HUB, "Client certificate for backend authentication",
          "A client certificate lets an HTTP backend tell API Gateway's calls from anyone else's; "
          "not applicable when no deployed method has an HTTP or HTTP_PROXY integration.", "medium",
          _certificate, ("CertificateIDs", "integrationTypes"),
          config_rule="api-gw-ssl-enabled", resource_types=("AWS::ApiGateway::Stage",),
          reading="applicable where a deployed method's integration is HTTP or HTTP_PROXY (AWS's texts disagree; "
                  "--param APIGateway.2:integrationTypes=HTTP,HTTP_PROXY,AWS,AWS_PROXY,MOCK judges every stage)"),
    Check("APIGateway.3", SECURITY_HUB, "X-Ray tracing enabled",
          "Tracing shows where a request spends its time across services.", "low", _tracing,
          config_rule="api-gw-xray-enabled", resource_types=("AWS::ApiGateway::Stage",)),
    Check("APIGateway.4", SECURITY_HUB, "Associated with a WAF web ACL",
          "A web ACL filters common attacks before they reach the API.", "medium", _waf, ("WebAclArns",),
          config_rule="api-gw-associated-with-waf", resource_types=("AWS::ApiGateway::Stage",)),
    Check("APIGateway.5", SECURITY_HUB, "Cache data encrypted at rest where caching is on",
          "Cached responses can hold personal data; encrypt them.", "medium", _cache_encrypted,
          config_rule="api-gw-cache-encrypted", resource_types=("AWS::ApiGateway::Stage",),
          reading="*/* and every method entry that caches must encrypt; a stage on which nothing caches is not "
                  "applicable"),
    Check("Config.AccessLogs", CONFIG, "Access logging configured (apigateway-stage-access-logs-enabled)",
          "Access logs record who called what, for audits and incident response. Medium, as Security "
          "Hub rates the same control for HTTP and WebSocket stages (APIGateway.9).", "medium",
          _access_logs, (), ("APIGateway.9",),
          config_rule="apigateway-stage-access-logs-enabled", resource_types=("AWS::ApiGateway::Stage",),
          reading="passes when accessLogSettings is present, as AWS Config's rule reads it; STAGE.8 asks for a "
                  "destination"),
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
    Check("Config.Caching", CONFIG, "Cache enabled and encrypted for every method "
          "(api-gw-cache-enabled-and-encrypted)",
          "AWS Config's stricter rule, which no Security Hub control uses: it flags stages that do not cache. "
          "Informational: caching is a choice (APIGateway.5 fails unencrypted caches).", "informational",
          _cache_everywhere,
          config_rule="api-gw-cache-enabled-and-encrypted", resource_types=("AWS::ApiGateway::Stage",),
          reading="*/* and every method entry must cache and encrypt, as the rule says; reported as info (it "
                  "does not fail the stage); REST stages only (v2 stages have no cache)"),
    Check("STAGE.7", OURS, "Stage defaults (*/*) set, so methods without an entry log",
          "A stage with method entries and no */* entry passes AWS Config's APIGateway.1, yet every method "
          "without an entry logs nothing: medium, as APIGateway.1.", "medium", _unlogged_methods),
    Check("STAGE.8", OURS, "Access logs have a destination",
          "Access log settings without a destination ARN pass AWS Config's rule and log nothing: medium, as "
          "missing access logs.", "medium", _access_destination),
)