"""A saved fleet listing as a file holds it: what `stage list` or `stage check` with no API print
with -o json/yaml ({stages: [{account, profile, region, restApiId, apiName, apiType, stage}],
errors, skipped}; views/fleet.py). The one-stage commands' --file takes its only stage, or the
one API STAGE picks from it; `list --file` shows the fleet again (sources/fleet/saved.py)."""

from apigw_stage.core import families
from apigw_stage.core.errors import NotFound, UsageError
from apigw_stage.model.shape import ShapeError


def is_listing(raw) -> bool:
    """A fleet listing, not a stage document (which has no `stages` list of entries)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("stages"), list) or "stageName" in raw:
        return False
    entries = raw["stages"]
    return all(isinstance(e, dict) and "restApiId" in e and "stage" in e for e in entries) and (
        bool(entries) or "errors" in raw)


def normalise_as(family, raw) -> dict:
    """The document in normal form for its family (core/families.py: REST or HTTP/WebSocket)."""
    if family is families.V2:
        from apigw_stage.model.v2 import normalise as normalise_v2

        return normalise_v2(raw)
    from apigw_stage.model.rest import normalise

    return normalise(raw)


def family_of(entry: dict) -> families.Family:
    return families.REST if entry.get("apiType") in (None, "REST") else families.V2


def entry_document(entry: dict, where: str) -> dict:
    """The normalised stage document of one listing entry; exit 2 naming the entry if it is not one."""
    doc = entry.get("stage")
    if not isinstance(doc, dict):
        raise UsageError(f"{where}: stage is not a stage document")
    try:
        return normalise_as(family_of(entry), doc)
    except ShapeError as exc:
        raise UsageError(f"{where}: not a stage document: {exc}") from None


def pick(raw: dict, name: str, api: str | None, stage: str | None):
    """(family, document) of the listing's only stage, or of the one of API (id or name) STAGE."""
    entries = raw["stages"]
    if api is None:
        if len(entries) == 1:
            return family_of(entries[0]), entry_document(entries[0], f"cannot use {name}: stages item 1")
        raise UsageError(f"cannot use {name}: a fleet listing with {len(entries)} stages",
                         "name the one to use: API STAGE --file PATH")
    found = [(i, e) for i, e in enumerate(entries) if api in (e.get("restApiId"), e.get("apiName"))
             and isinstance(e.get("stage"), dict) and e["stage"].get("stageName", e["stage"].get("StageName")) == stage]
    if not found:
        raise NotFound(f"no stage {stage!r} of API {api!r} in {name}")
    if len(found) > 1:
        places = ", ".join(sorted({f"{e.get('region')} ({e.get('account') or e.get('profile')})" for _, e in found}))
        raise UsageError(f"{len(found)} stages {stage!r} of API {api!r} in {name}: {places}",
                         "keep one with jq, e.g. `jq '.stages |= map(select(.region==\"REGION\"))'`")
    index, entry = found[0]
    return family_of(entry), entry_document(entry, f"cannot use {name}: stages item {index + 1}")
