"""Where a key of a saved stage document sits in its file: (line, column), 1-based, for the
report formats' locations (model/report.py). The file is composed once with PyYAML, whose nodes
carry their positions; JSON is read the same way (a JSON text is YAML for these documents). A
file that cannot be composed, or standard input (read once already), locates everything at the
stage's first line, never fails the command."""

from typing import Callable

_STAGE_NAME_KEYS = ("stageName", "StageName")


def _key(text: str) -> str:
    return text[:1].lower() + text[1:]  # PascalCase (AWS CLI's v2 output) as the normal form's camelCase


_INDEX: dict = {}  # id(mapping node) -> (node, {key: (key node, value node)}, {camelCase key: ...})


def _child(node, part):
    """The (key node, value node) of `part` in a mapping node: the exact key, else its camelCase.
    Each mapping is indexed once, so a report of N method entries stays linear."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    found = _INDEX.get(id(node))
    if found is None or found[0] is not node:
        exact, loose = {}, {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                exact.setdefault(key.value, (key, value))
                loose.setdefault(_key(key.value), (key, value))
        found = _INDEX[id(node)] = (node, exact, loose)
    return found[1].get(part) or found[2].get(part)


def _stage_nodes(root) -> list:
    """Every stage object in the file: the root, GetStages' item/items/Items, a list, or a saved
    fleet listing's {"stages": [{"stage": {...}}]}."""
    import yaml

    if isinstance(root, yaml.SequenceNode):
        out = []
        for item in root.value:
            inner = _child(item, "stage")
            out.append(inner[1] if inner and isinstance(inner[1], yaml.MappingNode) else item)
        return out
    for field in ("item", "items", "stages"):
        found = _child(root, field)
        if found and isinstance(found[1], yaml.SequenceNode):
            return _stage_nodes(found[1])
    return [root]


def _name_of(node) -> str | None:
    for key in _STAGE_NAME_KEYS:
        found = _child(node, key)
        if found:
            return str(found[1].value)
    return None


def _compose(path: str):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8-sig") as handle:
        return yaml.compose(handle, Loader=loader)


def locator(path: str, stage: str | None) -> Callable[[tuple], tuple[int, int]]:
    """locate(at) for stage `stage` (by stageName; the only stage when None) of the file at
    `path`: the key at the end of `at`, or of its longest prefix present, or the stage object's
    first line."""
    root = None
    if path != "-":
        try:
            root = _compose(path)
        except Exception:  # noqa: BLE001 - a position is a nicety; the document was read already
            root = None
    nodes = _stage_nodes(root) if root is not None else []
    node = next((n for n in nodes if stage is None or _name_of(n) == stage), nodes[0] if len(nodes) == 1 else None)

    def locate(at: tuple) -> tuple[int, int]:
        if node is None:
            return (1, 1)
        mark = node.start_mark
        here = node
        for part in at:
            found = _child(here, str(part))
            if found is None:
                break
            mark, here = found[0].start_mark, found[1]
        return (mark.line + 1, mark.column + 1)

    return locate
