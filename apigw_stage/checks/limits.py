"""The throttling cases of `stage limits` as checks (views/limits.py finds them, with API
Gateway's precedence cited there). They need what a stage document does not hold: the account's
limit in the region (GetAccount) and the usage plans covering the stage (GetUsagePlans), which
a one-stage `stage check` reads (Context.limits); from a file or in a fleet check they are not
read, and the checks say so as not applicable rather than guess. STAGE.20-23 are this file's.
Pure: no I/O.
"""

import json

from apigw_stage.checks.engine import (
    NOT_APPLICABLE, NOT_EVALUATED, OURS, Check, Context, Finding, Outcome, _op, _Template,
)
from apigw_stage.views import limits as view

_UNREAD = ("the account's throttle and the usage plans were not read (a file, or a fleet check); "
           "`stage limits API STAGE` reads them")


def _report(ctx: Context, family: str) -> dict | None:
    if ctx.limits is None:
        return None
    return view.report(ctx.doc, family, ctx.api_id, ctx.protocol, ctx.deployed, ctx.limits)


def _by_id(check_id: str, family: str, needs_methods: bool = False):
    def evaluate(ctx: Context) -> Outcome:
        data = _report(ctx, family)
        if data is None:
            return Outcome([], status=NOT_APPLICABLE, note=_UNREAD)
        if needs_methods and (ctx.deployed is None or ctx.deployed.methods is None) and not _moot(check_id, data):
            note = "the deployed methods are unknown" + (f": {ctx.deployed.note}" if ctx.deployed is not None else "")
            return Outcome([], status=NOT_EVALUATED, note=note)
        found = [f for f in data["findings"] if f["id"] == check_id]
        patch, before = _fixes(check_id, found, ctx)
        return Outcome([Finding(f["where"], f["reason"]) for f in found], patch, before)

    return evaluate


def _moot(check_id: str, data: dict) -> bool:
    """Judged without the deployed methods: a stage some plan covers leaves no method needing a
    key unreachable (STAGE.20); plans without method throttles have none to mismatch (STAGE.23)."""
    plans = data.get("plans") or []
    if check_id == view.NO_PLAN:
        return bool(plans)
    return not any(p.get("methodThrottle") for p in plans)


def _plan_ops(plan_id: str, ops: list) -> list:
    # JSON patch operations, as the engine writes them: the CLI's shorthand cannot hold braces.
    return ["aws", "apigateway", "update-usage-plan", "--usage-plan-id", plan_id, "--patch-operations",
            *(json.dumps(op, separators=(",", ":")) for op in ops)]


def _fixes(check_id: str, found: list, ctx: Context) -> tuple[list, tuple]:
    """(update-stage patch operations, commands to run first). Plan paths: `/throttle/rateLimit`
    as in awscli/examples/apigateway/update-usage-plan.rst; a method's entry in a plan is
    `/apiStages/API:STAGE/throttle/RESOURCE_PATH/METHOD` (API Gateway developer guide, usage plans
    with the AWS CLI). v2 stages get no patch here: their fix is apigatewayv2's update-stage."""
    patch, before = [], []
    if not found:
        return [], ()
    if check_id == view.NO_PLAN:
        before.append(["aws", "apigateway", "create-usage-plan", "--name", _Template("{api}-{stage}"),
                       "--api-stages", _Template("apiId={api},stage={stage}"),
                       "--throttle", "rateLimit=RATE,burstLimit=BURST"])
        before.append(["aws", "apigateway", "create-usage-plan-key", "--usage-plan-id", "PLAN_ID",
                       "--key-id", "KEY_ID", "--key-type", "API_KEY"])
    for f in found:
        subject = f.get("subject") or {}
        if check_id == view.ABOVE_ACCOUNT and subject.get("methodKey") and ctx.deployed is not None:
            key = subject["methodKey"]
            if subject.get("rate") is not None:
                patch.append(_op(f"/{key}/throttling/rateLimit", f"{subject['rate']:g}"))
            if subject.get("burst") is not None:
                patch.append(_op(f"/{key}/throttling/burstLimit", f"{subject['burst']:g}"))
        elif check_id == view.ABOVE_ACCOUNT and subject.get("plan"):
            path = subject["planPath"]
            before.append(_plan_ops(subject["plan"], [
                {"op": "replace", "path": f"{path}/{field}Limit", "value": f"{subject[field]:g}"}
                for field in ("rate", "burst") if subject.get(field) is not None]))
        elif check_id == view.NO_PLAN_THROTTLE:
            before.append(_plan_ops(subject["plan"], [{"op": "replace", "path": "/throttle/rateLimit", "value": "RATE"},
                                                      {"op": "replace", "path": "/throttle/burstLimit", "value": "BURST"}]))
        elif check_id == view.STRAY_PLAN_METHOD:
            before.append(_plan_ops(subject["plan"], [{"op": "remove", "path": subject["planPath"]}]))
    return patch, tuple(before)


def _fix(*words) -> tuple:
    return (list(words),)


REST = (
    Check(view.NO_PLAN, OURS, "A method that needs an API key is reachable through a usage plan",
          "A method with apiKeyRequired on a stage that no usage plan covers answers every request with 403 "
          "Forbidden: medium, an outage that looks like a client error.", "medium",
          _by_id(view.NO_PLAN, "rest", needs_methods=True)),
    Check(view.ABOVE_ACCOUNT, OURS, "No stage, method or plan limit above the account's",
          "A limit above the account's limit in the region is capped by it (API Gateway's throttling order), "
          "so the setting promises what the account cannot give: low.", "low", _by_id(view.ABOVE_ACCOUNT, "rest")),
    Check(view.NO_PLAN_THROTTLE, OURS, "Every usage plan covering the stage sets a throttle",
          "A plan without a throttle leaves each key unbounded up to the stage limit, so one client can take "
          "it all: low, the stage and account limits still hold.", "low", _by_id(view.NO_PLAN_THROTTLE, "rest")),
    Check(view.STRAY_PLAN_METHOD, OURS, "A plan's per-method throttle names a deployed method",
          "A usage plan's method throttle keyed by a path and method that is not deployed is a typo that "
          "protects nothing: low.", "low", _by_id(view.STRAY_PLAN_METHOD, "rest", needs_methods=True)),
)

V2 = (
    Check(view.ABOVE_ACCOUNT, OURS, "No default route or route limit above the account's",
          "A limit above the account's limit in the region is capped by it, so the setting promises what "
          "the account cannot give: low.", "low", _by_id(view.ABOVE_ACCOUNT, "v2"),
          resource_types=("AWS::ApiGatewayV2::Stage",)),
)
