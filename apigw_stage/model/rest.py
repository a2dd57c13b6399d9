"""The REST Stage document in normal form (ResponseMetadata dropped, createdDate/lastUpdatedDate as
aware UTC datetimes, the shape checked by model/shape.py so that the views can trust it), and
pure views over it: what each command shows, before rendering."""

from dataclasses import dataclass

from apigw_stage.model.shape import ShapeError, _check_values, read_timestamps

_MAP_FIELDS = ("methodSettings", "variables", "tags")
_STAGE_MARKERS = ("stageName", "deploymentId")

KNOWN_FIELDS = (
    "stageName", "description", "deploymentId", "createdDate", "lastUpdatedDate",
    "cacheClusterEnabled", "cacheClusterSize", "cacheClusterStatus", "tracingEnabled",
    "webAclArn", "clientCertificateId", "documentationVersion", "accessLogSettings",
    "tags", "methodSettings", "canarySettings", "variables",
)


@dataclass(frozen=True)
class VariableRow:
    name: str
    stage: str | None  # None: not a stage variable
    canary: str | None  # None: the canary does not set it
    change: str  # "overrides", "adds", "same" (canary sets the stage's own value) or "" (untouched)


def variables(doc: dict) -> dict:
    return doc.get("variables") or {}


def canary(doc: dict) -> dict | None:
    return doc.get("canarySettings")


def variable_rows(doc: dict) -> list[VariableRow]:
    stage_vars = variables(doc)
    overrides = (canary(doc) or {}).get("stageVariableOverrides") or {}
    rows = []
    for name in sorted(set(stage_vars) | set(overrides)):
        stage_value = stage_vars.get(name)
        canary_value = overrides.get(name)
        if name not in overrides:
            change = ""
        elif name not in stage_vars:
            change = "adds"
        elif canary_value == stage_value:
            change = "same"
        else:
            change = "overrides"
        rows.append(VariableRow(str(name), stage_value, canary_value, change))
    return rows


def percent_given(settings: dict) -> float | None:
    """percentTraffic as a number (absent: 0, the service's default), or None when the document
    holds something else (a string, a boolean): then the share is unknown, never 0."""
    value = settings.get("percentTraffic")
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return None
    return float(value)


def canary_percent(settings: dict) -> float:
    value = settings.get("percentTraffic")
    try:
        return max(0.0, min(100.0, float(value or 0)))
    except (TypeError, ValueError):
        return 0.0


def other_fields(doc: dict) -> dict:
    """Fields this release does not know (the service may add some): kept, shown under Other."""
    return {k: v for k, v in doc.items() if k not in KNOWN_FIELDS}


def normalise(raw) -> dict:
    """Return the Stage document in normal form, or raise ShapeError."""
    if not isinstance(raw, dict):
        raise ShapeError(f"expected an object, got {type(raw).__name__}")
    doc = {k: v for k, v in raw.items() if k != "ResponseMetadata"}
    _check_values(doc)
    if not any(isinstance(doc.get(k), str) for k in _STAGE_MARKERS):
        raise ShapeError("no stageName or deploymentId")
    read_timestamps(doc)
    for field in _MAP_FIELDS:
        if field in doc and doc[field] is not None and not isinstance(doc[field], dict):
            raise ShapeError(f"{field} is not an object")
    for key, entry in (doc.get("methodSettings") or {}).items():
        if not isinstance(entry, dict):
            raise ShapeError(f"methodSettings[{key!r}] is not an object")
    logs = doc.get("accessLogSettings")
    if logs is not None and not isinstance(logs, dict):
        raise ShapeError("accessLogSettings is not an object")
    canary = doc.get("canarySettings")
    if canary is not None:
        if not isinstance(canary, dict):
            raise ShapeError("canarySettings is not an object")
        overrides = canary.get("stageVariableOverrides")
        if overrides is not None and not isinstance(overrides, dict):
            raise ShapeError("canarySettings.stageVariableOverrides is not an object")
    return doc
