"""`stage settings` as a tree: stage defaults first, then each decoded resource path and method.

Every string from the service (keys, the path and method parts of a key, field names, values)
reaches a renderable only through cells.text, which escapes it.
"""

from itertools import groupby

from rich.console import Group
from rich.table import Table
from rich.text import Text

from apigw_stage.model import methods
from apigw_stage.render.cells import text, title
from apigw_stage.render.outline import Outline

_SOURCE_STYLES = {methods.METHOD: "bold yellow", methods.STAGE: "cyan", methods.SERVICE: "dim"}


def _value(field: str, value) -> Text:
    """A known setting in words when its value is of the setting's kind; anything else as written."""
    words = methods.describe(field, value) if field in methods.SERVICE_DEFAULTS else None
    return text(value if words is None else words)


def _label(field, style: str = "") -> Text:
    return Text(methods.LABELS[field], style=style) if field in methods.LABELS else text(field, style)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class _Rows:
    """Rows of (setting, value, note): plain aligned lines when they fit the width; else a grid
    that folds long values within their column; on a narrow terminal, where the setting names
    alone would take the width, each value under its name. Lines cost a fraction of a Table to
    render, which matters with thousands of methods."""

    def __init__(self):
        self.rows: list[tuple[Text, Text, Text]] = []

    def add_row(self, label: Text, value: Text, note: Text) -> None:
        self.rows.append((label, value, note))

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
    raw = settings.get(methods.STAGE_DEFAULTS_KEY)
    if raw is not None and not isinstance(raw, dict):
        node.add(Text.assemble(("not a settings object: ", "red"), text(raw)))
    grid = _Rows()
    for field, (value, source) in methods.effective(settings, methods.STAGE_DEFAULTS_KEY).items():
        grid.add_row(_label(field), _value(field, value),
                     Text("" if source == methods.STAGE else "service default", style="dim"))
    for field, value in present.items():
        if field not in methods.SERVICE_DEFAULTS:
            grid.add_row(_label(field), text(value), Text(""))
    node.add(grid)
    return node


def _overrides_grid(settings: dict, key: str, diff: dict) -> _Rows | Text:
    """What one method entry changes: `diff` as methods.overrides gives it."""
    if not diff:
        return Text("same as stage defaults", style="dim")
    entry = settings.get(key) if isinstance(settings.get(key), dict) else {}
    grid = _Rows()
    for field, (value, base) in diff.items():
        note = Text.assemble(("stage default: ", "dim"), _value(field, base))
        if field not in entry:
            note.append(" · absent from the entry", style="dim")
        grid.add_row(_label(field, "yellow"), _value(field, value), note)
    return grid


def _shared(cache: dict, key, make):
    """One renderable for every method whose settings read the same: the outline renders a
    shared label once, so 100,000 methods cost what their distinct settings cost."""
    try:
        found = cache.get(key)
    except TypeError:  # a value that cannot be a key (a list): not shared
        return make()
    if found is None:
        found = cache[key] = make()
    return found


def _value_key(value):
    return (type(value).__name__, value) if not isinstance(value, (list, dict)) else (type(value).__name__, repr(value))


def _effective_grid(row: methods.Row) -> _Rows:
    grid = _Rows()
    for field, (value, source) in row.applied.items():
        grid.add_row(_label(field, "yellow" if source == methods.METHOD else ""), _value(field, value),
                     Text(methods.SOURCE_WORDS[source], style=_SOURCE_STYLES[source]))
    return grid


def _deployment_words(row: methods.Row) -> Text:
    """How a method is deployed: authorization, API key, integration; or that it is not."""
    out = Text()
    if row.deployed is not None:
        found = row.deployed
        out.append("  ")
        out.append(text(found.authorization if found.authorization is not None else "authorization unknown", "dim"))
        if found.api_key_required:
            out.append(" · API key", style="dim")
        out.append(" · ", style="dim")
        out.append(text(found.integration if found.integration is not None else "integration unknown", "dim"))
        if not row.has_entry:
            out.append(" · no entry: follows the stage defaults", style="dim")
    elif row.deployed_known:
        out.append("  not deployed on this stage", style="dim red")
    return out


def _method_node(settings: dict, row: methods.Row, effective: bool, defaults: dict, cache: dict) -> Outline:
    head = text(row.method.http_method if row.method.path is not None else row.method.key, "bold green")
    raw = settings.get(row.method.key)
    if row.has_entry and not isinstance(raw, dict):
        head.append("  not a settings object: ", style="red")
        head.append(text(raw))
    diff = methods.overrides(settings, row.method.key, defaults) if row.has_entry else {}
    if diff and not effective:
        head.append(f"  overrides {_plural(len(diff), 'setting')}", style="yellow")
    head.append_text(_deployment_words(row))
    node = Outline(head)
    if effective:
        key = ("effective", tuple((f, _value_key(v), source) for f, (v, source) in row.applied.items()))
        node.add(_shared(cache, key, lambda: _effective_grid(row)))
    else:
        entry = raw if isinstance(raw, dict) else {}
        key = ("overrides", tuple((f, _value_key(v), _value_key(b), f in entry) for f, (v, b) in diff.items()))
        node.add(_shared(cache, key, lambda: _overrides_grid(settings, row.method.key, diff)))
    return node


def _deployed_note(found) -> Text:
    if found.methods is None:
        return Text.assemble(("Deployed methods unknown: ", "yellow"), text(found.note))
    return Text.assemble((_plural(len(found.methods), "deployed method") + ", ", "dim"), text(found.note, "dim"))


def settings_tree(doc: dict, where: str | None, effective: bool, found=None):
    """`found`, a deployed.Deployed, adds the deployed methods (settings --all-methods)."""
    settings = doc.get("methodSettings")
    settings = settings if isinstance(settings, dict) else {}
    heading = title("Method settings of stage", doc.get("stageName"), where)
    rows = methods.rows(settings, found)
    if not settings and not rows:
        note = Text("No method settings: every method uses the service defaults "
                    "(logging off, metrics off, throttling at the account limit, caching off).", style="dim")
        return Group(*([heading] + ([_deployed_note(found)] if found is not None else []) + [note]))
    root = Outline(heading, guide_style="dim")
    if found is not None:
        root.add(_deployed_note(found))
    root.add(_defaults_node(settings))
    defaults = methods.stage_default_values(settings)
    cache: dict = {}
    decoded = [r for r in rows if r.method.path is not None]
    for path, group in groupby(decoded, key=lambda r: r.method.path):
        branch = root.add(Text("all resources (*)", style="bold") if path == "*" else text(path, "bold"))
        for row in group:
            branch.add(_method_node(settings, row, effective, defaults, cache))
    odd = [r for r in rows if r.method.path is None]
    if odd:
        branch = root.add(Text("Keys that are not {path}/{METHOD} (shown as the service wrote them)", style="bold red"))
        for row in odd:
            branch.add(_method_node(settings, row, effective, defaults, cache))
    return root
