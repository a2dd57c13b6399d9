"""Small Rich building blocks shared by the table and tree renderers. Service text always goes
through `text()` so it is never parsed as markup and never carries control characters."""

import json

from rich.table import Table
from rich.text import Text

from apigw_stage.render.safe import visible

NONE = Text("—", style="dim")


def text(value, style: str | None = None) -> Text:
    if value is None:
        return NONE.copy()
    if isinstance(value, bool):
        return Text("yes" if value else "no", style=style or "")
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, default=str)
    return Text(visible(value), style=style or "")


def joined(*parts, sep: str = " · ") -> Text:
    out = Text()
    first = True
    for part in parts:
        if part is None:
            continue
        if not first:
            out.append(sep, style="dim")
        out.append(part if isinstance(part, Text) else text(part))
        first = False
    return out


def on_off(value, on: str = "on", off: str = "off") -> Text:
    return Text(on, style="green") if value else Text(off, style="dim")


def field_grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def title(label: str, name, where) -> Text:
    out = Text(label + " ", style="bold")
    out.append(text(name, "bold magenta"))
    if where:
        out.append("  ")
        out.append(text(where, "dim"))
    return out
