"""The table of `stage check --list-controls`: each control stage knows (id and severity, title,
resource types, AWS Config rule, parameters), then where each rule is written (its source page,
one a line, outside the table and never broken, so that a link can be copied), then AWS's
controls stage does not implement, with the reason."""

from rich.console import Group
from rich.segment import Segment
from rich.text import Text

from apigw_stage.render.cells import lines, table, text


class _Whole:
    """Lines drawn as they are: a link wider than the terminal stays whole, never folded."""

    def __init__(self, rows: list[str]):
        self.rows = rows

    def __rich_console__(self, console, options):
        for row in self.rows:
            yield from text(row).render(console)
            yield Segment.line()


def report(data: dict):
    grid = table()
    grid.add_column("Control", no_wrap=True)
    grid.add_column("What, judging which resources, by which rule")
    for control in data["controls"]:
        rule = control["aws_config_rule"] or f"none ({control['source']}'s own)"
        parts = [text(control["title"]), *(text(t, "dim") for t in control["resource_types"]),
                 text(f"Config rule: {rule}", "dim")]
        for param in control["parameters"]:
            values = ", ".join(param["values"]) if param["values"] else "VALUES"
            parts.append(text(f"--param {control['id']}:{param['name']}= {values}", "dim"))
        grid.add_row(lines([text(control["id"], "bold"), text(control["severity"], "dim")]), lines(parts))
    out = [grid, Text("Sources:", style="bold"),
           _Whole([f"  {c['id']}  {c['source_url']}" for c in data["controls"] if c["source_url"]])]
    if data["notImplemented"]:
        out.append(Text("AWS controls stage does not implement:", style="bold"))
        for c in data["notImplemented"]:
            out.append(Text.assemble(f"  {c['id']} ", (c["title"], "bold"), f": {c['reason']}"))
    return Group(*out)
