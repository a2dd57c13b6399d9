"""Pure views over a normalised Stage document: what each command shows, before rendering."""

from dataclasses import dataclass

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


def canary_percent(settings: dict) -> float:
    value = settings.get("percentTraffic")
    try:
        return max(0.0, min(100.0, float(value or 0)))
    except (TypeError, ValueError):
        return 0.0


def other_fields(doc: dict) -> dict:
    """Fields this release does not know (the service may add some): kept, shown under Other."""
    return {k: v for k, v in doc.items() if k not in KNOWN_FIELDS}
