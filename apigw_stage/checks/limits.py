"""The throttling cases of `stage limits` as checks (views/limits.py finds them, with API
Gateway's precedence cited there). They need what a stage document does not hold: the account's
limit in the region (GetAccount) and the usage plans covering the stage (GetUsagePlans), which
a one-stage `stage check` reads (Context.limits); from a file or in a fleet check they are not
read, and the checks say so as not applicable rather than guess. STAGE.20-23 are this file's.
Pure: no I/O.
"""

from apigw_stage.checks.engine import NOT_APPLICABLE, NOT_EVALUATED, OURS, Check, Context, Finding, Outcome
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
        if needs_methods and (ctx.deployed is None or ctx.deployed.methods is None):
            note = "the deployed methods are unknown" + (f": {ctx.deployed.note}" if ctx.deployed is not None else "")
            return Outcome([], status=NOT_EVALUATED, note=note)
        return Outcome([Finding(f["where"], f["reason"]) for f in data["findings"] if f["id"] == check_id])

    return evaluate


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
