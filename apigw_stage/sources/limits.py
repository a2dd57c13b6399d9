"""The throttles that sit outside a stage document: the account's limit in the region (GetAccount
`throttleSettings`), the usage plans (GetUsagePlans, paged by `position`, limit 500 as the
service model allows) and, only when a key is asked about, the keys of a plan
(GetUsagePlanKeys). All calls go through aws.Client, so they are paced, retried and bounded in
time like every other call.

Usage plans and API keys exist for REST APIs only (API Gateway developer guide, "Usage plans
and API keys for REST APIs"); the account limit in a region is shared by REST, HTTP and
WebSocket APIs, so a v2 stage still costs one GetAccount on the REST client.

A usage plan key carries `value`, the API key itself: it is dropped here, before anything can
print or save it.
"""

from apigw_stage.core.errors import NotFound, StageError, UsageError
from apigw_stage.sources.paging import rest_pages as _pages

_PLAN_FIELDS = ("id", "name", "description", "apiStages", "throttle", "quota", "productCode")
_KEY_FIELDS = ("id", "name", "type")  # never `value`


def account(client) -> dict | None:
    """GetAccount's throttleSettings ({rateLimit, burstLimit}); None when it holds none."""
    settings = client.call("get_account").get("throttleSettings")
    return dict(settings) if isinstance(settings, dict) else None


def _plan(plan: dict) -> dict:
    return {k: plan[k] for k in _PLAN_FIELDS if k in plan}


def usage_plans(client, key_id: str | None = None) -> list[dict]:
    """Every usage plan of the account and region (with `key_id`: those that key is in)."""
    params = {"keyId": key_id} if key_id else {}
    return [_plan(p) for p in _pages(client, "get_usage_plans", "GetUsagePlans", **params)]


def plan_keys(client, plan_id: str, name: str | None = None) -> list[dict]:
    """The API keys of a plan, without their values (`name`: the service's nameQuery)."""
    params = {"usagePlanId": plan_id, **({"nameQuery": name} if name else {})}
    keys = _pages(client, "get_usage_plan_keys", "GetUsagePlanKeys", **params)
    return [{k: key[k] for k in _KEY_FIELDS if k in key} for key in keys]


def covers(plan: dict, api_id: str | None, stage: str | None) -> bool:
    stages = plan.get("apiStages")
    if not isinstance(stages, list):
        return False
    return any(isinstance(s, dict) and s.get("apiId") == api_id and s.get("stage") == stage for s in stages)


def fetch(client, api_id: str, stage: str, key: str | None = None, plans: list | None = None) -> dict:
    """{"account", "plans", "key"} for one stage: the account throttle, the plans covering the
    stage and, with `key` (an API key id or name), which of them hold it.

    A key: GetUsagePlans filtered by keyId first (the service matches ids only); when that
    finds no plan for the stage the word may be a name, so each covering plan's keys are asked
    for by nameQuery (GetUsagePlanKeys, one call per covering plan). `plans`: the region's plans
    already read (the fleet reads them once per region)."""
    found = {"account": account(client), "plans": None, "key": None}
    every = plans if plans is not None else usage_plans(client)
    covering = [p for p in every if covers(p, api_id, stage)]
    found["plans"] = covering
    if key is None:
        return found
    try:
        by_id = {p.get("id") for p in usage_plans(client, key) if covers(p, api_id, stage)}
    except (NotFound, UsageError):  # a keyId that is no key's id (a name): not an error, try names
        by_id = set()
    if by_id:
        found["key"] = {"asked": key, "id": key, "name": None, "plans": sorted(i for i in by_id if isinstance(i, str))}
        return found
    holding, key_id, key_name = [], None, None
    for plan in covering:
        for entry in plan_keys(client, plan["id"], key):
            if entry.get("name") == key or entry.get("id") == key:
                holding.append(plan["id"])
                key_id, key_name = entry.get("id"), entry.get("name")
    found["key"] = {"asked": key, "id": key_id, "name": key_name, "plans": holding}
    return found


def fleet(scope, cells) -> dict:
    """({(account label, region): {"account", "plans"} or {"error": reason}}, HTTP attempts made)
    for the cells: one
    GetAccount and the GetUsagePlans pages per region, paced like the scan (one token bucket per
    account and region, at --rate)."""
    from apigw_stage.core.target import Target
    from apigw_stage.sources.aws import Client, Sessions
    from apigw_stage.sources.fleet.pacing import Buckets

    buckets = Buckets(scope.rate, scope.burst)
    sessions = Sessions()
    out, clients = {}, []
    for cell in cells:
        key = (cell.account.label, cell.region)
        if key in out:
            continue
        target = Target(cell.account.profile, cell.region, scope.endpoint_url, scope.timeout, scope.debug)
        try:
            client = Client(target, limiter=buckets.get(key), sessions=sessions)
            clients.append(client)
            out[key] = {"account": account(client), "plans": usage_plans(client)}
        except StageError as exc:
            out[key] = {"error": exc.message}
    return out, sum(c.calls for c in clients)
