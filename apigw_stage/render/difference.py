"""The table of `stage diff`: changes grouped, left → right, labels a person reads.

Drawn as lines, not a rich Table: a Table costs ~7 ms a method (35 s for 5,000 methods) where
lines cost a few microseconds a row. Three layouts, chosen by the width:
- every row on one line, names and values aligned in columns;
- names in a column of their own (never broken), values wrapped within two value columns;
- narrow: the name on its own line, `old → new` indented under it.
"""

import json
from datetime import datetime

from rich.segment import Segment

from apigw_stage.model import methods
from apigw_stage.model.changes import ABSENT, GROUPS
from apigw_stage.render.cells import SafeText, assemble, plural, text, word_breaks
from apigw_stage.render.console import when

_GROUP_LABELS = dict(GROUPS)
_ABSENT_TEXT = "(absent)"
_INDENT = "  "
_ARROW = " → "
_GAP = 2  # between the name column and the values
_MIN_VALUE = 12  # narrowest value column before the layout becomes stacked


def _method_label(change) -> SafeText:
    key = str(change.path[1])
    return text("Stage defaults" if key == methods.STAGE_DEFAULTS_KEY else methods.parse_key(key).label, "bold")


def _name(change, method_width: int) -> SafeText:
    """The changed thing: a decoded method and a setting's label (aligned across methods when
    `method_width` is given), or the path from the group."""
    path = change.path
    if change.group == "methodSettings" and len(path) >= 2:
        out = _method_label(change)
        if len(path) > 2:
            out.append(" " * max(2, method_width - out.cell_len + 2))
            out.append(text(methods.LABELS.get(path[2], ".".join(str(p) for p in path[2:]))))
        return out
    start = 1 if change.group in ("variables", "tags", "canary", "logging") and len(path) > 1 else 0
    return text(".".join(str(p) for p in path[start:]))


def _value(change, value, style: str, on_terminal: bool) -> SafeText:
    if value is ABSENT:
        return SafeText(_ABSENT_TEXT, style="dim")
    if isinstance(value, datetime):
        return text(when(value, on_terminal), style)
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


def _pad(line: SafeText, width: int) -> SafeText:
    """A copy of `line` with spaces up to `width` cells."""
    return assemble(line, " " * max(0, width - line.cell_len))


class _Difference:
    def __init__(self, changes: list, left: str, right: str, on_terminal: bool):
        self.count = len(changes)
        self.left, self.right = text(left, "red"), text(right, "green")
        method_width = max((_method_label(c).cell_len for c in changes
                            if c.group == "methodSettings" and len(c.path) > 2), default=0)
        # rows: a group label (str) or (aligned name, plain name, left value, right value)
        self.rows: list = []
        group = None
        for change in changes:
            if change.group != group:
                group = change.group
                self.rows.append(_GROUP_LABELS[group])
            self.rows.append((_name(change, method_width), _name(change, 0),
                              _value(change, change.left, "red", on_terminal),
                              _value(change, change.right, "green", on_terminal)))
        cells = [r for r in self.rows if not isinstance(r, str)]
        self.widths = [max(r[i].cell_len for r in cells) for i in (0, 2, 3)]

    def _heading(self, width: int) -> list[SafeText]:
        changes = plural(self.count, "change")
        one = assemble(("Differences ", "bold"), self.left, _ARROW, self.right, (f"  {changes}", "dim"))
        if one.cell_len <= width:
            return [one]
        # Side by side the names would break: each on its own line, wrapped between path parts.
        return [assemble(("Differences", "bold"), (f"  {changes}", "dim")),
                assemble(_INDENT, ("from ", "dim"), self.left), assemble(_INDENT, ("to   ", "dim"), self.right)]

    def __rich_console__(self, console, options):
        width = options.max_width
        name_w, left_w, right_w = self.widths
        name_w += len(_INDENT)
        out = list(self._heading(width))
        if name_w + _GAP + left_w + len(_ARROW) + right_w <= width:
            layout = self._aligned
        elif name_w + _GAP + len(_ARROW) + 2 * _MIN_VALUE <= width:
            layout = self._columns
        else:
            layout = self._stacked
        for row in self.rows:
            if isinstance(row, str):
                out.append(SafeText(row, style="bold cyan"))
            else:
                out.extend(layout(console, row, width, name_w))
        newline = Segment.line()
        for line in out:
            for part in [line] if line.cell_len <= width else _wrapped(console, line, width):
                yield from part.render(console)
                yield newline

    def _aligned(self, console, row, width, name_w):
        name, _, left, right = row
        return [assemble(_pad(assemble(_INDENT, name), name_w + _GAP), _pad(left, self.widths[1]), (_ARROW, "dim"), right)]

    def _columns(self, console, row, width, name_w):
        """Names in their column; each value wrapped within its own column."""
        name, _, left, right = row
        room = width - name_w - _GAP - len(_ARROW)
        left_w = min(self.widths[1], max(room // 2, room - self.widths[2]))
        right_w = room - left_w
        lefts, rights = left.wrap(console, left_w), right.wrap(console, right_w)
        lines = []
        for index in range(max(len(lefts), len(rights))):
            head = assemble(_INDENT, name) if index == 0 else SafeText()
            cell = lefts[index] if index < len(lefts) else SafeText()
            line = assemble(_pad(head, name_w + _GAP), _pad(assemble(cell), left_w), (_ARROW if index == 0 else "   ", "dim"))
            if index < len(rights):
                line.append(assemble(rights[index]))
            lines.append(line)
        return lines

    def _stacked(self, console, row, width, name_w):
        """The name on its line; `old → new` under it, or old then `→ new` when that is too long."""
        _, name, left, right = row
        indent = _INDENT * 2
        both = assemble(indent, left, (_ARROW, "dim"), right)
        if both.cell_len <= width:
            return [assemble(_INDENT, name), both]
        return [assemble(_INDENT, name), *_hanging(console, indent, left, width),
                *_hanging(console, indent, assemble(("→ ", "dim"), right), width)]


def _wrapped(console, line: SafeText, width: int) -> list:
    """A line too long for the width, wrapped under its own indentation (plus two spaces)."""
    lead = len(line.plain) - len(line.plain.lstrip(" "))
    if lead + len(_INDENT) * 2 >= width:
        return list(line.wrap(console, width))
    body = line[lead:]
    # Between words only; a word too long for any line (a file's path) on a line of its own, whole.
    cut = (word_breaks(body.plain, width - lead) or [len(body)])[0]
    rest_text = assemble(body[cut:])
    rest = rest_text.divide(word_breaks(rest_text.plain, width - lead - len(_INDENT)))
    return [assemble(" " * lead, body[:cut]), *(assemble(" " * (lead + len(_INDENT)), part) for part in rest if part.plain.strip())]


def _hanging(console, indent: str, value: SafeText, width: int) -> list[SafeText]:
    """`value` wrapped to the width, every line indented."""
    return [assemble(indent, part) for part in value.wrap(console, max(1, width - len(indent)))]


def difference(changes: list, left: str, right: str, on_terminal: bool):
    if not changes:
        return assemble("No differences between ", text(left, "bold"), " and ", text(right, "bold"), ".")
    return _Difference(changes, left, right, on_terminal)
