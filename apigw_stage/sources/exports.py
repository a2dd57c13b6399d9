"""Fetch the methods deployed on a stage: one GetExport call, or GetDeployment when the export
fails (model/deployed.py says why these calls and what each gives).

GetExport fails for an API whose payload models are not JSON ("JSON body models are not
found"), and an IAM policy may allow GetStage but not the export path. Either way the deployment's
API summary still names each deployed method's authorization and API key. When both fail the
methods are unknown and the views say so: no verdict is guessed.
"""

import json

from apigw_stage.model import deployed
from apigw_stage.core.errors import NetworkError, StageError

# An export of the largest REST API (300 resources x 8 methods with integrations) is a few MB.
SIZE_LIMIT = 50 * 1024 * 1024


def _read(body) -> bytes:
    data = body.read(SIZE_LIMIT + 1) if hasattr(body, "read") else body
    if isinstance(data, str):
        data = data.encode()
    if not isinstance(data, (bytes, bytearray)):
        raise deployed.ExportError("the export has no body")
    if len(data) > SIZE_LIMIT:
        raise deployed.ExportError(f"the export is larger than {SIZE_LIMIT // (1024 * 1024)} MB")
    return bytes(data)


def _export(client, api_id: str, stage: str) -> deployed.Deployed:
    answer = client.call("get_export", restApiId=api_id, stageName=stage, exportType="oas30",
                         parameters={"extensions": "integrations,authorizers"}, accepts="application/json")
    try:
        document = json.loads(_read(answer.get("body")))
    except (ValueError, RecursionError):
        raise deployed.ExportError("the export is not JSON") from None
    return deployed.from_export(document)


def methods_of(client, api_id: str, doc: dict) -> deployed.Deployed:
    """The deployed methods of the stage `doc` of API `api_id`. Network errors end the command
    (exit 6) as for any call; other failures make the methods unknown, with the reason. A canary
    serves a deployment of its own, which neither call reads: the note says so (its methods'
    settings are still judged, through */* or their entries, but not their integrations or
    authorization)."""
    found = _stage_methods(client, api_id, doc)
    canary = doc.get("canarySettings")
    other = canary.get("deploymentId") if isinstance(canary, dict) else None
    if found.methods is not None and isinstance(other, str) and other and other != doc.get("deploymentId"):
        from dataclasses import replace

        return replace(found, note=f"{found.note}; not those of the canary's deployment {other}")
    return found


def _stage_methods(client, api_id: str, doc: dict) -> deployed.Deployed:
    stage = str(doc.get("stageName") or "")
    try:
        return _export(client, api_id, stage)
    except NetworkError:
        raise
    except (StageError, deployed.ExportError) as exc:
        why = f"GetExport failed: {getattr(exc, 'message', None) or exc}"
    deployment_id = doc.get("deploymentId")
    if not isinstance(deployment_id, str) or not deployment_id:
        return deployed.unknown(f"{why}; the stage names no deployment")
    try:
        answer = client.call("get_deployment", restApiId=api_id, deploymentId=deployment_id, embed=["apisummary"])
    except NetworkError:
        raise
    except StageError as exc:
        return deployed.unknown(f"{why}; GetDeployment failed: {exc.message}")
    return deployed.from_api_summary(answer, why)
