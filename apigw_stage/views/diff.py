"""What differs between two Stage documents: a flat list of changes, each in a group a person
reads together. Pure: no I/O, no rendering.

The json schema (documented in README and the man page) is a list of
{"group", "path", "change", "left", "right"}: path is the list of keys from the document's top
(jq's getpath reads it), change is "changed", "added" (only on the right) or "removed" (only on
the left), and left/right are null on the side where the field is absent.
"""

from apigw_stage.model import methods
from apigw_stage.model.changes import _GROUP_OF, _IDENTITY, ABSENT, GROUPS, Change, ignored  # noqa: F401

def _same(left, right) -> bool:
    """Equal as json values: true is not 1, but 1 is 1.0."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    return left == right


def _walk(path: tuple, left, right, out: list) -> None:
    """Down to the leaves: an object on one side only is compared field by field with nothing."""
    if isinstance(left, dict) or isinstance(right, dict):
        if left is ABSENT:
            left = {}
        if right is ABSENT:
            right = {}
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right), key=str):
            _walk(path + (key,), left.get(key, ABSENT), right.get(key, ABSENT), out)
    elif not _same(left, right):
        out.append((path, left, right))


def compare(left: dict, right: dict, ignore: list[str] = ()) -> list[Change]:
    """Every difference between two documents, grouped in GROUPS order, then by path."""
    raw: list = []
    for key in sorted((set(left) | set(right)) - _IDENTITY, key=str):
        _walk((key,), left.get(key, ABSENT), right.get(key, ABSENT), raw)
    changes = [
        Change(_GROUP_OF.get(path[0], "other"), path, lv, rv)
        for path, lv, rv in raw
        if not ignored(path, list(ignore))
    ]
    return sorted(changes, key=_order)


_GROUP_ORDER = {name: index for index, (name, _) in enumerate(GROUPS)}
_FIELD_ORDER = {field: f"{index:02d}" for index, field in enumerate(methods.FIELD_NAMES)}
# The default route settings before the routes' entries, as `stage settings` shows them.
_ROUTE_ORDER = {"defaultRouteSettings": "0", "routeSettings": "1"}


def _order(change: Change) -> tuple:
    """Groups in GROUPS order, then by path; a method's settings in the order people read them."""
    parts = [str(p) for p in change.path]
    if change.group == "methodSettings" and len(parts) == 3:
        parts[2] = _FIELD_ORDER.get(parts[2], "99" + parts[2])
    if change.group == "routeSettings":
        parts[0] = _ROUTE_ORDER[parts[0]]
    return _GROUP_ORDER[change.group], parts


def as_data(changes: list[Change]) -> list[dict]:
    """The documented json/yaml schema."""
    return [
        {
            "group": c.group,
            "path": list(c.path),
            "change": c.kind,
            "left": None if c.left is ABSENT else c.left,
            "right": None if c.right is ABSENT else c.right,
        }
        for c in changes
    ]
