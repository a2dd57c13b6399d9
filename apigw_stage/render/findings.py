"""The table of `stage check`: each check, pass or fail, and on fail where, why and the fix."""

from rich.console import Group
from rich.table import Table
from rich.text import Text

from apigw_stage.render.cells import text, title

_STATUS = {"pass": ("PASS", "green"), "fail": ("FAIL", "bold red"), "ignored": ("ignored", "dim")}


def _details(check: dict) -> Text:
    out = Text(check["title"])
    for finding in check["findings"]:
        out.append("\n  ")
        out.append(text(finding["where"], "bold"))
        out.append(": ")
        out.append(text(finding["reason"]))
    if check["fix"]:
        out.append("\n  fix: ", style="dim")
        out.append(text(check["fix"], "cyan"))
    return out


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
