"""The table of `stage check`: each check, pass or fail, and on fail where, why and the fix."""

from rich.console import Group
from rich.table import Table
from rich.text import Text

from apigw_stage.render.cells import text, title

_STATUS = {"pass": ("PASS", "green"), "fail": ("FAIL", "bold red"), "ignored": ("ignored", "dim")}


def _details(check: dict):
    """The title, then each finding and the fix, indented so that wrapped lines stay indented."""
    if not check["findings"] and not check["fix"]:
        return Text(check["title"])
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for finding in check["findings"]:
        grid.add_row("", Text.assemble(text(finding["where"], "bold"), ": ", text(finding["reason"])))
    if check["fix"]:
        grid.add_row(Text("fix:", style="dim"), text(check["fix"], "cyan"))
    return Group(Text(check["title"]), grid)


def report(result: dict, where: str):
    table = Table(show_edge=False, header_style="bold")
    table.add_column("Check", no_wrap=True)
    table.add_column("Result", no_wrap=True)
    table.add_column("Details", overflow="fold")
    counts = {"pass": 0, "fail": 0, "ignored": 0}
    for check in result["checks"]:
        label, style = _STATUS[check["status"]]
        counts[check["status"]] += 1
        table.add_row(Text(check["id"], style="bold"), Text(label, style=style), _details(check))
    summary = Text(f"{counts['pass']} passed · {counts['fail']} failed", style="bold red" if counts["fail"] else "bold green")
    if counts["ignored"]:
        summary.append(f" · {counts['ignored']} ignored", style="dim")
    return Group(title("Checks of stage", result.get("stageName"), where), table, summary)
