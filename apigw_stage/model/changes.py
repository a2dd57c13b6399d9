"""A difference between two Stage documents (views/diff.py finds them): its group, path and the
two sides, ABSENT where a side lacks the field; and the --ignore patterns that leave fields out."""

import fnmatch
from typing import NamedTuple

# Group of each top-level field, in the order groups are shown.
GROUPS = (
    ("settings", "Settings"),
    ("methodSettings", "Method settings"),
    ("routeSettings", "Route settings"),  # HTTP and WebSocket stages: the default route's, then each route's
    ("variables", "Variables"),
    ("canary", "Canary"),
    ("tags", "Tags"),
    ("logging", "Logging"),
    ("cache", "Cache"),
    ("other", "Everything else"),
)
_GROUP_OF = {
    "description": "settings", "deploymentId": "settings", "documentationVersion": "settings",
    "clientCertificateId": "settings", "tracingEnabled": "settings", "webAclArn": "settings",
    "createdDate": "settings", "lastUpdatedDate": "settings",
    "methodSettings": "methodSettings",
    "variables": "variables",
    "canarySettings": "canary",
    "tags": "tags",
    "accessLogSettings": "logging",
    "cacheClusterEnabled": "cache", "cacheClusterSize": "cache", "cacheClusterStatus": "cache",
    # HTTP and WebSocket (v2) stages, apigatewayv2's Stage members (model/v2.py)
    "autoDeploy": "settings", "lastDeploymentStatusMessage": "settings", "apiGatewayManaged": "settings",
    "defaultRouteSettings": "routeSettings", "routeSettings": "routeSettings",
    "stageVariables": "variables",
}
# The stage's own name is what is being compared, not a difference.
_IDENTITY = {"stageName"}


class _Absent:
    def __repr__(self):
        return "ABSENT"


ABSENT = _Absent()


class Change(NamedTuple):
    group: str
    path: tuple
    left: object  # ABSENT when the left side has no such field
    right: object

    @property
    def kind(self) -> str:
        if self.left is ABSENT:
            return "added"
        if self.right is ABSENT:
            return "removed"
        return "changed"


def ignored(path: tuple, patterns: list[str]) -> bool:
    """A pattern without a dot names a field at any depth (deploymentId ignores the canary's too);
    a dotted one is a path from the top, each part a glob (methodSettings.*.metricsEnabled)."""
    for pattern in patterns:
        parts = pattern.split(".")
        if len(parts) == 1:
            if any(fnmatch.fnmatchcase(str(key), pattern) for key in path):
                return True
        elif len(path) >= len(parts) and all(
            fnmatch.fnmatchcase(str(key), part) for key, part in zip(path, parts)
        ):
            return True
    return False
