"""The account throttle and usage plans of a `stage snapshot` tree, in a sidecar file per account
and region, DIR/<account>/<region>/.limits.json:

    {"format": 1, "account": {GetAccount throttleSettings} | null,
     "usagePlans": [the region's usage plans that cover a stage, keys' values never included]}

A dot file, so the readers of stage files (snapshot.read, diff) pass it by; written with the tree
by the snapshot writer (sidecar_files gives its {relative path: text}), read back by `stage
limits --file`.
"""

import json
import os

from apigw_stage.core.errors import UsageError

SIDECAR = ".limits.json"


def sidecar_text(account, plans: list) -> str:
    return json.dumps({"format": 1, "account": account, "usagePlans": plans}, indent=2, sort_keys=True,
                      ensure_ascii=False) + "\n"


def sidecar_files(per_region: dict, region_dirs: dict, stages: dict) -> dict:
    """{relative path: text} of the sidecars. per_region: sources/limits.fleet's answer;
    region_dirs: {(account label, region): relative region folder}; stages: {(account label,
    region): {(api id, stage name)}}, to keep only the plans that cover a stage written."""
    from apigw_stage.sources.limits import covers

    out = {}
    for key, folder in region_dirs.items():
        found = per_region.get(key)
        if not isinstance(found, dict) or "error" in found:
            continue
        wanted = stages.get(key, set())
        plans = [p for p in found.get("plans") or [] if any(covers(p, a, s) for a, s in wanted)]
        out[os.path.join(folder, SIDECAR)] = sidecar_text(found.get("account"), plans)
    return out


def _read(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {path}: {getattr(exc, 'strerror', None) or 'not JSON'}") from None
    if not isinstance(data, dict) or not isinstance(data.get("usagePlans", []), list):
        raise UsageError(f"cannot read {path}: not a limits record of `stage snapshot`")
    return data


def beside(path: str, doc: dict, api_id: str | None) -> dict | None:
    """{"account", "plans", "key", "apiId"} for a stage file of a snapshot tree (the API id from
    its folder name, NAME--ID), or None when the file is not in one (stdin, a lone file)."""
    if path == "-":
        return None
    api_folder = os.path.dirname(os.path.abspath(path))
    record = _read(os.path.join(os.path.dirname(api_folder), SIDECAR))
    if record is None:
        return None
    api_id = api_id or os.path.basename(api_folder).rpartition("--")[2] or None
    from apigw_stage.sources.limits import covers

    plans = [p for p in record.get("usagePlans") or [] if isinstance(p, dict) and covers(p, api_id, doc.get("stageName"))]
    return {"account": record.get("account"), "plans": plans, "key": None, "apiId": api_id}


def read_tree(root: str) -> list[dict]:
    """Every stage of the snapshot at `root` with its region's record: [{account, region, apiId,
    apiName, doc, family, protocol, inputs}] (inputs None when the region has no sidecar)."""
    from apigw_stage.model.routes import protocol_of
    from apigw_stage.sources import files
    from apigw_stage.sources.fleet import snapshot

    out = []
    for key, entry in snapshot.read(root).items():
        if key is None:  # the tree's marker
            continue
        account, region, api_id = key
        for name, (path, doc) in entry["stages"].items():
            family = files.read_stage(path)[0]
            out.append({"account": account, "region": region, "apiId": api_id, "apiName": entry["apiName"],
                        "doc": doc, "family": family, "protocol": None if family.has_methods else protocol_of(doc),
                        "inputs": beside(path, doc, api_id)})
    return out
