"""`stage limits` over a fleet: each stage's effective default limit (what a method without an
entry, called without a key, meets) and the layer that binds. Pure: no I/O.

Data: {stages: [{account, region, apiId, apiName, stage, family, rate, burst, binding,
burstBinding, plans}], errors: [{where, reason}], calls: {scan, limits}}; `plans` is the number
of usage plans covering the stage (None: not read).
"""

from apigw_stage.views import limits as view

_NO_RATE = float("inf")


def _entry(account: str, region: str, api_id, api_name, doc: dict, family, protocol, inputs) -> dict:
    data = view.report(doc, family.key, api_id, protocol, None, inputs)
    default = data["methods"][0]["effective"]  # the stage defaults / default route row
    plans = (inputs or {}).get("plans") if family.has_methods else []
    return {"account": account, "region": region, "apiId": api_id, "apiName": api_name,
            "stage": doc.get("stageName"), "family": family.key, "rate": default["rate"],
            "burst": default["burst"], "binding": default["binding"], "burstBinding": default["burstBinding"],
            "plans": None if plans is None else len(plans)}


def fleet_data(scan, per_region: dict, scan_calls: int, limit_calls: int) -> dict:
    """From a fleet scan and sources/limits.fleet's {(account label, region): record}."""
    from apigw_stage.sources.limits import covers

    stages, errors = [], []
    for stage in scan.stages:
        record = per_region.get((stage.account.label, stage.region)) or {"error": "not read"}
        inputs = None
        if "error" not in record:
            plans = [p for p in record.get("plans") or [] if covers(p, stage.api_id, stage.doc.get("stageName"))]
            inputs = {"account": record.get("account"), "plans": plans, "key": None}
        stages.append(_entry(stage.account.label, stage.region, stage.api_id, stage.api_name, stage.doc,
                             stage.family, stage.protocol, inputs))
    for (account, region), record in per_region.items():
        if "error" in record:
            errors.append({"where": f"{account} {region}", "reason": f"account throttle and usage plans: {record['error']}"})
    for failure in scan.failures:
        errors.append({"where": f"{failure.account.label} {failure.region}"
                       + (f" {failure.api_id}" if failure.api_id else ""), "reason": failure.reason})
    return {"stages": stages, "errors": errors, "calls": {"scan": scan_calls, "limits": limit_calls}}


def from_entries(entries: list[dict]) -> dict:
    """From a snapshot tree (sources/limits_files.read_tree)."""
    stages = [_entry(e["account"], e["region"], e["apiId"], e["apiName"], e["doc"], e["family"], e["protocol"],
                     e["inputs"]) for e in entries]
    return {"stages": stages, "errors": [], "calls": {"scan": 0, "limits": 0}}


def sorted_stages(stages: list[dict], by: str) -> list[dict]:
    def key(s):
        number = s.get(by) if by in ("rate", "burst") else None
        first = (_NO_RATE if number is None else number) if by in ("rate", "burst") else str(s.get(by) or "")
        return (first, str(s["region"]), str(s.get("apiName") or ""), str(s["apiId"]), str(s["stage"]))

    return sorted(stages, key=key)
