"""Stages a repository keeps, read as a fleet scan would return them (sources/fleet/scan.Scan),
so that `check DIR` and `check --file` of many stages judge them with the fleet's formats and
exit codes: no credentials, no call. A snapshot tree (`stage snapshot DIR`) knows each stage's
account, region and API from its folders; a saved fleet listing (`stage list -o json`, no API)
from its entries; a GetStages answer or a list of stage documents knows none of them.

Each returns (Scan, [file path of each stage, in scan order], [stage name as located in its file])."""

import os

from apigw_stage.core import families
from apigw_stage.core.errors import UsageError
from apigw_stage.sources import files
from apigw_stage.sources.fleet import snapshot
from apigw_stage.sources.fleet.scan import Scan, StageResult
from apigw_stage.sources.fleet.scope import Account


def _result(account: Account, region, api_id, api_name, doc: dict, family=None) -> StageResult:
    from apigw_stage.model.routes import protocol_of

    family = family or families.of_document(doc)
    protocol = protocol_of(doc) if family is families.V2 else None
    return StageResult(account, region, api_id, api_name, doc, None, family, protocol)


def from_snapshot(root: str) -> tuple[Scan, list, list]:
    """Every stage of the snapshot tree at `root` (exit 2 when it is not one)."""
    tree = snapshot.read(root)
    scan, paths, names = Scan(), [], []
    regions = set()
    for key, entry in tree.items():
        if key is None:  # the marker (and the paths skipped as not regular files)
            continue
        account_dir, region, api_id = key
        regions.add((account_dir, region))
        scan.apis += 1
        for _file_stage, (path, doc) in entry["stages"].items():
            scan.stages.append(_result(Account(None, account_dir), region, api_id, entry["apiName"], doc))
            paths.append(path)
            names.append(doc.get("stageName"))
    scan.cells = len(regions)
    return scan, paths, names


def _entries(raw) -> list | None:
    """The entries of a saved fleet listing ({"stages": [{account, region, restApiId, apiName,
    stage}], ...}), else None."""
    if isinstance(raw, dict) and isinstance(raw.get("stages"), list) and \
            all(isinstance(e, dict) and isinstance(e.get("stage"), dict) for e in raw["stages"]):
        return raw["stages"]
    return None


def from_file(path: str, family=None):
    """The stages of a saved document holding several (GetStages, a list of stage documents, a
    fleet listing) as (Scan, paths, names); or, when it holds one stage document, that stage as
    sources/stage.Stage (the one-stage check judges it). The file is read once (stdin too)."""
    from apigw_stage.sources.stage import Stage

    raw = files.parsed(path)
    name = "standard input" if path == "-" else path
    entries = _entries(raw)
    if entries is None and files.not_one_stage(raw) is None:
        found_family, doc = files.stage_from_raw(raw, name, family)
        if found_family is families.V2:
            from apigw_stage.model.routes import protocol_of

            return Stage(doc, None, found_family, protocol_of(doc))
        return Stage(doc, None, found_family)
    scan, paths, names = Scan(), [], []
    if entries is not None:
        for index, entry in enumerate(entries):
            doc = entry["stage"]
            fam = family or families.of_document(doc)
            try:
                doc = files.normalise_as(fam, doc)
            except files.ShapeError as exc:
                raise UsageError(f"cannot use {name}: entry {index + 1} is not a stage: {exc}") from None
            account = Account(entry.get("profile") if isinstance(entry.get("profile"), str) else None,
                              entry.get("account") if isinstance(entry.get("account"), str) else None)
            api_id = entry.get("restApiId") or entry.get("apiId")
            scan.stages.append(_result(account, str(entry.get("region") or ""), str(api_id) if api_id else None,
                                       entry.get("apiName"), doc, fam))
            paths.append(path)
            names.append(doc.get("stageName"))
    else:
        for doc in files.stages_from_raw(raw, name):
            scan.stages.append(_result(Account(None, None), "", None, None, doc))
            paths.append(path)
            names.append(doc.get("stageName"))
    scan.cells = 1
    return scan, paths, names


def is_snapshot(path: str) -> bool:
    return os.path.isdir(path)
