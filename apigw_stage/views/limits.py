"""Which throttle a request meets: every layer that can limit a method or route, and the one that
binds. Pure: no I/O.

The layers and their order are API Gateway's (developer guide, "Throttle requests to your REST
APIs for better throughput", section "How throttling limit settings are applied in API
Gateway", https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html):
  1. per-client or per-method throttling limits set for an API stage in a usage plan (for
     requests with that plan's API key, on methods that require a key);
  2. per-method throttling limits set for an API stage (the method's entry, else `*/*`;
     HTTP/WebSocket: the route's entry, else DefaultRouteSettings);
  3. account-level throttling per Region (GetAccount throttleSettings: read, never assumed);
  4. AWS Regional throttling (not visible to the account, so not shown).
Each is a token bucket and a request must pass every one that matches it, so the most
restrictive rate (and, separately, burst) binds; on a tie the more specific layer (the earlier
one above) is named. The same page: per-client limits "cannot be higher than the per-account
limits", and neither can a stage's, so a higher one is capped by the account.

Within a usage plan, a method's entry in `apiStages[].throttle` (keyed `/resource/path/METHOD`)
is that method's per-client limit; a method without one has the plan's `throttle`. A plan with
no throttle sets no rate for its keys: they are held only by the stage and the account. The
`quota` (limit per DAY, WEEK or MONTH) is per key and does not shape the rate.

The data is the documented json/yaml schema (README, "stage limits"):
{stageName, apiId, family, account, plans, key, methods: [{method, path, apiKeyRequired,
layers: [{layer, source, rate, burst, quota, plan, applies}], effective: {rate, burst, binding,
burstBinding, plan, blocked}, byPlan}], findings: [{id, where, reason, subject}], note}; a
finding's `subject` says what a fix changes (methodKey, plan, planPath, the account's rate and
burst).
"""

from apigw_stage.core.errors import UsageError
from apigw_stage.model import methods as rest_methods
from apigw_stage.model import routes

ACCOUNT, STAGE, PLAN = "account", "stage", "usagePlan"
# The ids `stage check` gives these findings (checks/limits.py); STAGE.20-23 are kept for limits.
NO_PLAN, ABOVE_ACCOUNT, NO_PLAN_THROTTLE, STRAY_PLAN_METHOD = "STAGE.20", "STAGE.21", "STAGE.22", "STAGE.23"
DEFAULT_ROW = "(stage defaults)"
DEFAULT_ROUTE = "(default route)"


def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else None


def rate_text(rate) -> str:
    return f"{rate:g} rps" if isinstance(rate, (int, float)) else "none"


def plan_label(plan: dict) -> str:
    name, pid = plan.get("name"), plan.get("id")
    return f"{name} ({pid})" if name else str(pid)


def plan_method_key(path: str, http_method: str) -> str:
    """How a usage plan keys a method's throttle: `/pets/{petId}/GET` (root: `//GET`)."""
    return f"{path}/{http_method}"


def _stage_entry(plan: dict, api_id, stage) -> dict:
    for entry in plan.get("apiStages") or []:
        if isinstance(entry, dict) and entry.get("apiId") == api_id and entry.get("stage") == stage:
            return entry
    return {}


def _quota(plan: dict):
    quota = plan.get("quota")
    if not isinstance(quota, dict):
        return None
    return {k: quota[k] for k in ("limit", "period", "offset") if k in quota}


def _account_layer(account) -> dict:
    if account is None:
        return {"layer": ACCOUNT, "source": "not read", "rate": None, "burst": None, "quota": None}
    return {"layer": ACCOUNT, "source": "GetAccount throttleSettings", "rate": _number(account.get("rateLimit")),
            "burst": _number(account.get("burstLimit")), "quota": None}


def _plan_layer(plan: dict, api_id, stage, path, http_method, applies) -> dict:
    throttles = _stage_entry(plan, api_id, stage).get("throttle")
    throttles = throttles if isinstance(throttles, dict) else {}
    key = plan_method_key(path, http_method) if path and http_method else None
    own = throttles.get(key) if key else None
    throttle = plan.get("throttle")
    if isinstance(own, dict):
        source, rate, burst = f"plan method {key}", own.get("rateLimit"), own.get("burstLimit")
    elif isinstance(throttle, dict):
        source, rate, burst = "plan throttle", throttle.get("rateLimit"), throttle.get("burstLimit")
    else:
        source, rate, burst = "plan has no throttle", None, None
    return {"layer": PLAN, "source": source, "rate": _number(rate), "burst": _number(burst), "quota": _quota(plan),
            "plan": {"id": plan.get("id"), "name": plan.get("name")}, "applies": applies}


def _lowest(layers: list, field: str):
    best = None
    for layer in layers:  # in precedence order: the first of equal values is the more specific
        if layer[field] is not None and (best is None or layer[field] < best[field]):
            best = layer
    return best


def effective(layers: list) -> dict:
    rate, burst = _lowest(layers, "rate"), _lowest(layers, "burst")
    return {"rate": rate and rate["rate"], "burst": burst and burst["burst"],
            "binding": rate and rate["layer"], "burstBinding": burst and burst["layer"],
            "plan": (rate.get("plan") or {}).get("id") if rate else None, "blocked": None}


class _Row:
    def __init__(self, label, path, http_method, key_required, stage_layer):
        self.label, self.path, self.http_method = label, path, http_method
        self.key_required, self.stage_layer = key_required, stage_layer


def _rest_stage_layer(settings: dict, key: str) -> dict:
    applied = rest_methods.effective(settings, key)
    rate, rate_source = applied["throttlingRateLimit"]
    burst, _ = applied["throttlingBurstLimit"]
    source = rest_methods.SOURCE_WORDS.get(rate_source, rate_source)
    if rest_methods.is_account_limit("throttlingRateLimit", rate) and rest_methods.is_account_limit("throttlingBurstLimit", burst):
        source += ": account limit"
    return {"layer": STAGE, "source": source, "rate": _number(rate), "burst": _number(burst), "quota": None}


def _rest_rows(doc: dict, deployed) -> tuple[list, str]:
    settings = doc.get("methodSettings") if isinstance(doc.get("methodSettings"), dict) else {}
    if deployed is not None and deployed.methods is not None:
        rows = [_Row(m.label, m.path, m.http_method, m.api_key_required, _rest_stage_layer(settings, m.key))
                for m in deployed.methods]
        return rows, deployed.note
    rows = [_Row(DEFAULT_ROW, None, None, None, _rest_stage_layer(settings, rest_methods.STAGE_DEFAULTS_KEY))]
    for key in rest_methods.method_keys(settings):
        rows.append(_Row(key.label, key.path, key.http_method, None, _rest_stage_layer(settings, key.key)))
    note = "deployed methods unknown" + (f" ({deployed.note})" if deployed is not None else "")
    return rows, note + ": the stage defaults and each method entry are shown"


def _route_stage_layer(doc: dict, route, protocol) -> dict:
    applied = routes.effective(doc, route, protocol)
    rate, source = applied["throttlingRateLimit"]
    burst, _ = applied["throttlingBurstLimit"]
    words = routes.SOURCE_WORDS.get(source, source)
    if _number(rate) is None and _number(burst) is None:
        words += ": account limit"
    return {"layer": STAGE, "source": words, "rate": _number(rate), "burst": _number(burst), "quota": None}


def _v2_rows(doc: dict, protocol, api_routes=None) -> tuple[list, str]:
    rows = [_Row(DEFAULT_ROUTE, None, None, False, _route_stage_layer(doc, None, protocol))]
    keys = list(routes.route_keys(doc))
    if api_routes is not None:  # every route of the API (GetRoutes); one without an entry follows the default
        keys += sorted(k for k in api_routes if k not in keys)
    entries = routes.route_settings(doc)
    for key in keys:
        method, _, path = str(key).partition(" ")
        rows.append(_Row(str(key), path or None, method if path else None, False,
                         _route_stage_layer(doc, key if key in entries else None, protocol)))
    which = ("every route of the API (GetRoutes: the API's routes, which a stage that is not auto-deployed "
             "may not serve yet)" if api_routes is not None else "each route with an entry")
    return rows, (f"the default route settings and {which}; a route without an entry follows the default "
                  "route settings; HTTP and WebSocket APIs have no usage plans")


def _pick(rows: list, method: str | None) -> list:
    if method is None:
        return rows
    wanted = " ".join(method.split())
    found = [r for r in rows if r.label == wanted or r.label.upper() == wanted.upper()]
    if not found:
        listed = ", ".join(r.label for r in rows[:8]) + (" …" if len(rows) > 8 else "")
        raise UsageError(f"no method or route {method!r} on this stage", f"rows: {listed}")
    return found


def report(doc: dict, family_key: str, api_id, protocol, deployed, inputs: dict | None,
           method: str | None = None, api_routes: list | None = None) -> dict:
    """The documented data of `stage limits` for one stage. `inputs`: sources/limits.fetch's
    {"account", "plans", "key"} (None: not read, e.g. a file outside a snapshot)."""
    stage = doc.get("stageName")
    inputs = inputs or {"account": None, "plans": None, "key": None}
    account = inputs.get("account")
    plans = inputs.get("plans") if family_key == "rest" else []
    key = inputs.get("key")
    if family_key == "rest":
        rows, note = _rest_rows(doc, deployed)
    else:
        rows, note = _v2_rows(doc, protocol, api_routes)
    rows = _pick(rows, method)
    shown_plans = plans or []
    if key is not None:
        shown_plans = [p for p in shown_plans if p.get("id") in key.get("plans", [])]
    account_layer = _account_layer(account)
    out_rows = []
    for row in rows:
        layers = [_plan_layer(p, api_id, stage, row.path, row.http_method, row.key_required)
                  for p in shown_plans]
        layers += [row.stage_layer, account_layer]
        out_rows.append(_row_data(row, layers, plans, key))
    data = {"stageName": stage, "apiId": api_id, "family": family_key, "protocolType": protocol,
            "account": account, "plans": [_plan_summary(p, api_id, stage) for p in shown_plans] if plans is not None else None,
            "key": key, "methods": out_rows, "note": note}
    data["findings"] = findings(data, plans, deployed, api_id, stage)
    return data


def _plan_summary(plan: dict, api_id, stage) -> dict:
    throttles = _stage_entry(plan, api_id, stage).get("throttle")
    return {"id": plan.get("id"), "name": plan.get("name"), "throttle": plan.get("throttle"),
            "quota": _quota(plan), "methodThrottle": throttles if isinstance(throttles, dict) else {}}


def _row_data(row: _Row, layers: list, plans, key) -> dict:
    base = [layer for layer in layers if layer["layer"] != PLAN]
    entry = {"method": row.label, "path": row.path, "httpMethod": row.http_method,
             "apiKeyRequired": row.key_required, "layers": layers, "byPlan": []}
    plan_layers = [layer for layer in layers if layer["layer"] == PLAN]
    if row.key_required and plans is not None and not plans:
        entry["effective"] = {**effective(base), "blocked": "403 Forbidden: the method requires an API key and no usage plan covers the stage"}
    elif row.key_required and key is not None and not plan_layers:
        entry["effective"] = {**effective(base), "blocked": "403 Forbidden: the key is in no usage plan that covers the stage"}
    elif row.key_required and key is not None:
        entry["effective"] = effective(layers)
    else:
        # No key needed (or not known): plans do not apply; with a key required and no --key,
        # the method's ceiling for any key is stage and account, and byPlan gives each plan's.
        entry["effective"] = effective(base)
        if row.key_required:
            entry["byPlan"] = [{**effective([layer, *base]), "plan": layer["plan"]["id"]} for layer in plan_layers]
    return entry


def findings(data: dict, plans, deployed, api_id, stage) -> list[dict]:
    """What a request will meet, said plainly; each with the id `stage check` gives it."""
    out = []
    account = data.get("account")
    account_rate = _number((account or {}).get("rateLimit"))
    account_burst = _number((account or {}).get("burstLimit"))
    seen = set()
    for row in data["methods"]:
        blocked = row["effective"].get("blocked")
        if blocked and "no usage plan covers" in blocked:
            out.append({"id": NO_PLAN, "where": row["method"], "reason": f"every request gets {blocked}", "subject": {}})
        elif blocked:
            out.append({"id": None, "where": row["method"], "reason": f"requests with the key get {blocked}"})
        for layer in row["layers"]:
            if layer["layer"] == ACCOUNT or account is None:
                continue
            what = layer["source"] if layer["layer"] == STAGE else f"plan {plan_label(layer['plan'])}"
            marker = (what, layer["rate"], layer["burst"])
            over, subject = [], {}
            if layer["rate"] is not None and account_rate is not None and layer["rate"] > account_rate:
                over.append(f"rate {layer['rate']:g} capped by the account at {account_rate:g} rps")
                subject["rate"] = account_rate
            if layer["burst"] is not None and account_burst is not None and layer["burst"] > account_burst:
                over.append(f"burst {layer['burst']:g} capped by the account at {account_burst:g}")
                subject["burst"] = account_burst
            if over and marker not in seen:
                seen.add(marker)
                if layer["layer"] != STAGE:
                    where = what
                    subject.update(plan=layer["plan"]["id"], planPath=_plan_path(layer, api_id, stage))
                elif what.startswith(("stage defaults", "default route")):
                    where = what.split(":")[0]
                    subject["methodKey"] = rest_methods.STAGE_DEFAULTS_KEY if what.startswith("stage") else None
                else:
                    where = row["method"]
                    subject["methodKey"] = (rest_methods.encode_key(row["path"], row["httpMethod"])
                                            if data["family"] == "rest" and row["path"] else None)
                reason = ", ".join(over) if where == what else f"{what}: " + ", ".join(over)
                out.append({"id": ABOVE_ACCOUNT, "where": where, "reason": reason,
                            "subject": subject})
    for plan in plans or []:
        if not isinstance(plan.get("throttle"), dict):
            out.append({"id": NO_PLAN_THROTTLE, "where": f"plan {plan_label(plan)}",
                        "reason": "no throttle: each key is unbounded up to the stage and account limits",
                        "subject": {"plan": plan.get("id"), "planPath": "/throttle"}})
        out += _stray_keys(plan, deployed, api_id, stage)
    return out


def _stray_keys(plan: dict, deployed, api_id, stage) -> list[dict]:
    throttles = _stage_entry(plan, api_id, stage).get("throttle")
    if not isinstance(throttles, dict) or deployed is None or deployed.methods is None:
        return []
    known = {plan_method_key(m.path, m.http_method) for m in deployed.methods}
    return [{"id": STRAY_PLAN_METHOD, "where": f"plan {plan_label(plan)}",
             "reason": f"method throttle {key} matches no deployed method: a typo that protects nothing",
             "subject": {"plan": plan.get("id"), "planPath": f"/apiStages/{api_id}:{stage}/throttle{key}"}}
            for key in sorted(throttles) if key not in known]


def _plan_path(layer: dict, api_id, stage) -> str:
    """The patch path of a plan layer's throttle: the plan's own, or its method entry's."""
    source = layer["source"]
    if source.startswith("plan method "):
        return f"/apiStages/{api_id}:{stage}/throttle{source.removeprefix('plan method ')}"
    return "/throttle"
