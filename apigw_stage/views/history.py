"""An API's deployments as the documented data of `stage history` (README, "History"): pure, no
I/O.

Newest first by createdDate (RFC 3339 Z in json). Each deployment names the stages and canaries
that point at it (GetStages' deploymentId and canarySettings.deploymentId) and whether it is
what the asked stage or its canary serves. A REST deployment's `changes` are against the one
created before it, from both apiSummary maps (GetDeployment embed=apisummary): methods added
and removed, and methods whose authorizationType or apiKeyRequired changed; null when a summary
was not read (the oldest shown has its predecessor read too, so every shown row has changes
unless it is the API's first deployment).

The way back: the deployment created before the one the stage serves, and the AWS CLI command
that points the stage at it (UpdateStage: REST `--patch-operations
op=replace,path=/deploymentId,value=ID`; apigatewayv2 `--deployment-id ID`, with
`--no-auto-deploy` when the stage deploys automatically, or its next change would deploy over
the rollback).
"""

from apigw_stage.core.plain import rfc3339

FIELDS = ("authorizationType", "apiKeyRequired")


def _when(value):
    from apigw_stage.model.shape import ShapeError, _timestamp

    try:
        return _timestamp(value)
    except (ShapeError, TypeError):
        return None


def ordered(deployments: list[dict]) -> list[dict]:
    """Newest first; a deployment without a readable date last. Deployments of the same second
    keep the service's order, taken as oldest first (moto's and the AWS CLI examples' order)."""
    dated = [(i, d, _when(d.get("createdDate"))) for i, d in enumerate(deployments) if isinstance(d.get("id"), str)]
    dated.sort(key=lambda t: (t[2] is not None, t[2].timestamp() if t[2] else 0, t[0]), reverse=True)
    return [d for _, d, _ in dated]


def methods(summary: dict) -> dict:
    """{"GET /pets": {authorizationType, apiKeyRequired}} of an apiSummary."""
    out = {}
    for path, by_method in (summary or {}).items():
        if not isinstance(by_method, dict):
            continue
        for verb, snapshot in by_method.items():
            out[f"{verb} {path}"] = {f: (snapshot or {}).get(f) for f in FIELDS} if isinstance(snapshot, dict) else {}
    return out


def changes(before: dict | None, after: dict | None) -> dict | None:
    """What `after` (an apiSummary) changed against `before`: {added, removed, changed}."""
    if before is None or after is None:
        return None
    old, new = methods(before), methods(after)
    changed = [{"method": key, "field": field, "before": old[key].get(field), "after": new[key].get(field)}
               for key in sorted(set(old) & set(new)) for field in FIELDS
               if old[key].get(field) != new[key].get(field)]
    return {"added": sorted(set(new) - set(old)), "removed": sorted(set(old) - set(new)), "changed": changed}


def differs(change: dict | None) -> bool:
    return bool(change and (change["added"] or change["removed"] or change["changed"]))


def _pointing(stages: list[dict]) -> tuple[dict, dict]:
    by_stage, by_canary = {}, {}
    for doc in stages:
        name = doc.get("stageName")
        if not isinstance(name, str):
            continue
        by_stage.setdefault(doc.get("deploymentId"), []).append(name)
        canary = doc.get("canarySettings")
        if isinstance(canary, dict) and canary.get("deploymentId"):
            by_canary.setdefault(canary["deploymentId"], []).append(name)
    return by_stage, by_canary


def rollback(family_key: str, api_id: str, stage: dict, newest_first: list[dict], region: str | None) -> dict:
    """{"to": the deployment before the stage's, "command": [words], "note"}."""
    current = stage.get("deploymentId")
    ids = [d["id"] for d in newest_first]
    if current not in ids:
        return {"to": None, "command": None, "note": "the stage's deployment is not among the API's deployments"}
    index = ids.index(current)
    if index + 1 >= len(ids):
        return {"to": None, "command": None, "note": "the stage serves the API's first deployment: nothing before it"}
    previous = ids[index + 1]
    where = ["--region", region] if region else []
    name = stage.get("stageName")
    if family_key == "rest":
        words = ["aws", "apigateway", "update-stage", "--rest-api-id", api_id, "--stage-name", name, *where,
                 "--patch-operations", f"op=replace,path=/deploymentId,value={previous}"]
        note = None
    else:
        words = ["aws", "apigatewayv2", "update-stage", "--api-id", api_id, "--stage-name", name, *where,
                 "--deployment-id", previous]
        note = None
        if stage.get("autoDeploy"):
            words.append("--no-auto-deploy")
            note = "the stage deploys automatically: the command turns that off, or its next change would deploy over the rollback"
    return {"to": previous, "command": words, "note": note}


def history(family_key: str, api_id: str, stage: dict, stages: list[dict], deployments: list[dict],
            summaries: dict, limit: int, region: str | None) -> dict:
    """The documented data of `stage history`; `summaries`: {deployment id: apiSummary} read."""
    newest = ordered(deployments)
    by_stage, by_canary = _pointing(stages)
    canary = stage.get("canarySettings") if isinstance(stage.get("canarySettings"), dict) else {}
    rows = []
    for index, d in enumerate(newest[:limit]):
        before = newest[index + 1]["id"] if index + 1 < len(newest) else None
        when = _when(d.get("createdDate"))
        row = {"id": d["id"], "createdDate": rfc3339(when) if when else None, "description": d.get("description"),
               "stages": sorted(by_stage.get(d["id"], [])), "canaries": sorted(by_canary.get(d["id"], [])),
               "servesStage": d["id"] == stage.get("deploymentId"),
               "servesCanary": bool(canary) and d["id"] == canary.get("deploymentId")}
        if family_key == "v2":
            row["deploymentStatus"] = d.get("deploymentStatus")
            row["deploymentStatusMessage"] = d.get("deploymentStatusMessage")
            row["autoDeployed"] = d.get("autoDeployed")
        else:
            row["previous"] = before
            row["changes"] = changes(summaries.get(before), summaries.get(d["id"])) if before else None
        rows.append(row)
    return {"apiId": api_id, "stageName": stage.get("stageName"), "family": family_key, "region": region,
            "stageDeployment": stage.get("deploymentId"), "canaryDeployment": canary.get("deploymentId"),
            "total": len(newest), "shown": len(rows), "deployments": rows,
            "rollback": rollback(family_key, api_id, stage, newest, region)}


def diff(a: str, b: str, summary_a: dict, summary_b: dict) -> dict:
    """--diff A B: what B changed against A ({from, to, same, added, removed, changed})."""
    change = changes(summary_a, summary_b)
    return {"from": a, "to": b, "same": not differs(change), **change}
