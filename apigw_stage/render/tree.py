"""`stage settings` as a Rich tree: stage defaults first, then each decoded resource path."""

from itertools import groupby

from rich.console import Group
from rich.table import Table
from rich.text import Text

from apigw_stage import methods
from apigw_stage.render.cells import text, title
from apigw_stage.render.outline import Outline

_SOURCE = {"method": ("method", "bold yellow"), "stage": ("stage default", "cyan"), "service": ("service default", "dim")}


def _value(field: str, value) -> Text:
    if field in methods.SERVICE_DEFAULTS:
        return text(methods.describe(field, value))
    return text(value)


def _label(field: str) -> str:
    return methods.LABELS.get(field, field)


class _Rows:
    """Rows of (setting, value, note): plain aligned lines when they fit the width; else a grid
    that folds long values within their column; on a narrow terminal, where the setting names
    alone would take the width, each value under its name. Lines cost a fraction of a Table to
    render, which matters with thousands of methods."""

    def __init__(self):
        self.rows: list[tuple[Text, Text, Text]] = []

    def add_row(self, label, value: Text, note: Text) -> None:
        self.rows.append((label if isinstance(label, Text) else Text(label), value, note))

    def _widths(self) -> list[int]:
        return [max(row[i].cell_len for row in self.rows) for i in range(3)]

    def fitted_lines(self, width: int) -> list[Text] | None:
        """One aligned line a row; on a narrow terminal, name then value; None: use the grid."""
        widths = self._widths()
        if sum(widths) + 4 > width:
            return self._stacked() if widths[0] * 5 > width * 2 else None
        lines = []
        for label, value, note in self.rows:
            line = label.copy()
            line.append(" " * (widths[0] - label.cell_len + 2))
            line.append_text(value)
            if note.plain:
                line.append(" " * (widths[1] - value.cell_len + 2))
                line.append_text(note)
            lines.append(line)
        return lines

    def _stacked(self) -> list[Text]:
        lines = []
        for label, value, note in self.rows:
            lines.append(label)
            lines.extend(Text.assemble("  ", part) for part in (value, note) if part.plain)
        return lines

    def __rich_console__(self, console, options):
        lines = self.fitted_lines(options.max_width)
        if lines is not None:
            yield Text("\n").join(lines)
            return
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_column(overflow="fold")
        for row in self.rows:
            grid.add_row(*row)
        yield grid


def _defaults_node(settings: dict) -> Outline:
    present = methods.stage_defaults(settings)
    node = Outline(Text.assemble(("Stage defaults", "bold"), ("  */*", "dim")))
    grid = _Rows()
    for field in methods.FIELD_NAMES:
        value, source = methods.baseline(settings, field)
        note = Text("" if source == "stage" else "service default", style="dim")
        grid.add_row(_label(field), _value(field, value), note)
    for field, value in present.items():
        if field not in methods.SERVICE_DEFAULTS:
            grid.add_row(text(field), text(value), Text(""))
    node.add(grid)
    return node


def _overrides_grid(diff: dict) -> _Rows | Text:
    """What one method changes: `diff` as methods.overrides gives it."""
    if not diff:
        return Text("same as stage defaults", style="dim")
    grid = _Rows()
    for field, (value, base) in diff.items():
        grid.add_row(
            Text(_label(field), style="yellow"),
            _value(field, value),
            Text.assemble(("stage default: ", "dim"), _value(field, base)),
        )
    return grid


def _effective_grid(settings: dict, key: str) -> _Rows:
    grid = _Rows()
    for field, (value, source) in methods.effective(settings, key).items():
        label, style = _SOURCE[source]
        grid.add_row(Text(_label(field), style="yellow" if source == "method" else ""),
                     _value(field, value), Text(label, style=style))
    return grid


def _method_node(settings: dict, method: methods.MethodKey, effective: bool) -> Outline:
    head = Text(method.http_method or "", style="bold green")
    diff = methods.overrides(settings, method.key)
    if diff and not effective:
        head.append(f"  overrides {len(diff)}", style="yellow")
    node = Outline(head)
    node.add(_effective_grid(settings, method.key) if effective else _overrides_grid(diff))
    return node


def settings_tree(doc: dict, where: str | None, effective: bool):
    settings = doc.get("methodSettings") or {}
    heading = title("Method settings of stage", doc.get("stageName"), where)
    if not settings:
        note = Text("No method settings: every method uses the service defaults "
                    "(logging off, metrics off, throttling at the account limit, caching off).", style="dim")
        return Group(heading, note)
    root = Outline(heading, guide_style="dim")
    root.add(_defaults_node(settings))
    keys = methods.method_keys(settings)
    decoded = [k for k in keys if k.path is not None]
    for path, group in groupby(decoded, key=lambda k: k.path):
        label = "all resources (*)" if path == "*" else path
        branch = root.add(text(label, "bold"))
        for method in group:
            branch.add(_method_node(settings, method, effective))
    odd = [k for k in keys if k.path is None]
    if odd:
        branch = root.add(Text("Keys that are not {path}/{METHOD} (shown as the service wrote them)", style="bold red"))
        for method in odd:
            node = branch.add(text(method.key, "bold"))
            node.add(_effective_grid(settings, method.key) if effective
                     else _overrides_grid(methods.overrides(settings, method.key)))
    return root

