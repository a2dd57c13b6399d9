"""The table of `stage diff`: changes grouped, left → right, labels a person reads."""

import json
from datetime import datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text

from apigw_stage import methods
from apigw_stage.diff import ABSENT, GROUPS
from apigw_stage.render.cells import text
from apigw_stage.render.console import when

_GROUP_LABELS = dict(GROUPS)
_ABSENT_TEXT = "(absent)"


def _method(change) -> Text:
    key = str(change.path[1])
    return text("Stage defaults" if key == methods.STAGE_DEFAULTS_KEY else methods.parse_key(key).label, "bold")


def _name(change, method_width: int) -> Text:
    """The changed thing: a decoded method and a setting's label (aligned across methods), or
    the path from the group."""
    path = change.path
    if change.group == "methodSettings" and len(path) >= 2:
        out = _method(change)
        if len(path) > 2:
            out.append(" " * (method_width - out.cell_len + 2))
            out.append(text(methods.LABELS.get(path[2], ".".join(str(p) for p in path[2:]))))
        return out
    start = 1 if change.group in ("variables", "tags", "canary", "logging") and len(path) > 1 else 0
    return text(".".join(str(p) for p in path[start:]))


def _value(change, value, style: str, on_terminal: bool) -> Text:
    if value is ABSENT:
        return Text(_ABSENT_TEXT, style="dim")
    if isinstance(value, datetime):
        return Text(when(value, on_terminal), style=style)
    field = change.path[-1] if change.group == "methodSettings" and len(change.path) == 3 else None
    if field in methods.SERVICE_DEFAULTS:
        described = methods.describe(field, value)
        other = change.right if value is change.left else change.left
        # Where the words hide the difference (-1 and absent are both "account limit"), show raw values.
        if other is ABSENT or described != methods.describe(field, other):
            return text(described, style)
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    elif isinstance(value, bool) or value is None:
        value = json.dumps(value)
    return text(value, style)


def difference(changes: list, left: str, right: str, on_terminal: bool):
    if not changes:
        return Text.assemble("No differences between ", text(left, "bold"), " and ", text(right, "bold"), ".")
    heading = Text("Differences ", style="bold")
    heading.append(text(left, "red"))
    heading.append(" → ")
    heading.append(text(right, "green"))
    heading.append(f"  {len(changes)} change{'s' if len(changes) != 1 else ''}", style="dim")
    table = Table(show_edge=False, header_style="bold", box=None, padding=(0, 2, 0, 0))
    table.add_column("", overflow="fold")
    table.add_column(text(left), overflow="fold")
    table.add_column("", no_wrap=True)
    table.add_column(text(right), overflow="fold")
    method_width = max((_method(c).cell_len for c in changes if c.group == "methodSettings" and len(c.path) > 2), default=0)
    group = None
    for change in changes:
        if change.group != group:
            group = change.group
            table.add_row(Text(_GROUP_LABELS[group], style="bold cyan"), "", "", "")
        name = Text("  ")
        name.append(_name(change, method_width))
        table.add_row(name, _value(change, change.left, "red", on_terminal), Text("→", style="dim"),
                      _value(change, change.right, "green", on_terminal))
    return Group(heading, table)
