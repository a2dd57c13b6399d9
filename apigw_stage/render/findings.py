"""The report of `stage check`: a table of each check (result, where and why), then the commands
that fix the failures, ready to paste, then the counts.

The fixes are outside the table so that a copied block holds no column borders, and each is
broken into lines only between words, every line but the last ending in ` \\` (a shell line
continuation). A word wider than the terminal stays whole on a line of its own.
"""

import shlex

from rich.console import Group
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from apigw_stage.render.cells import text, title

# The table says each result with the word the json/yaml `status` holds (a reader moving between
# the two never translates), styled for a terminal.
_STATUS = {
    "pass": "green", "fail": "bold red", "not_applicable": "dim",
    "not_evaluated": "bold yellow", "info": "cyan", "ignored": "dim",
}
# Rows: the most severe first (AWS Security Hub's order), then by id, numbers as numbers
# (APIGateway.2 before APIGateway.10).
SEVERITY_ORDER = ("critical", "high", "medium", "low", "informational")
_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "", "informational": "dim"}
_COUNTS = (("pass", "passed", "passed"), ("fail", "failed", "failed"),
           ("not_applicable", "not applicable", "not applicable"), ("not_evaluated", "not evaluated", "not evaluated"),
           ("info", "informational finding", "informational findings"), ("ignored", "ignored", "ignored"))
CONTINUATION = " \\"
INDENT = "    "


def row_order(check: dict) -> tuple:
    """Severity (most severe first; one we do not know after the known), then the id naturally."""
    severity = check.get("severity")
    rank = SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)
    return (rank, *_natural(str(check.get("id", ""))))


def _natural(identifier: str) -> tuple:
    prefix, dot, number = identifier.rpartition(".")
    if dot and number.isdigit():
        return prefix, int(number), ""
    return identifier, -1, ""


def _details(check: dict):
    """The title, then why it is not applicable or not evaluated, then each finding."""
    head = Text(check["title"])
    # Whose verdict it is (Security Hub, AWS Config or stage's own), so that AWS's and ours are told
    # apart; the severity has its own column.
    head.append(f"  ({check['source']})", style="dim")
    rows = []
    if check.get("note"):
        rows.append(text(check["note"], "dim"))
    for finding in check["findings"]:
        rows.append(Text.assemble(text(finding["where"], "bold"), ": ", text(finding["reason"])))
    if not rows:
        return head
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for row in rows:
        grid.add_row("", row)
    return Group(head, grid)


def command_lines(words: list[str], width: int) -> list[str]:
    """One command as lines of at most `width` cells, broken only between words; each line but
    the last ends with a continuation. Joining them (` \\` newline indent -> space) gives
    shlex.join(words) back."""
    tokens = [shlex.quote(word) for word in words]
    lines, current = [], tokens[0]
    for token in tokens[1:]:
        if Text(current + " " + token + CONTINUATION).cell_len <= width:
            current += " " + token
        else:
            lines.append(current + CONTINUATION)
            current = INDENT + token
    lines.append(current)
    return lines


class Fixes:
    """The fix commands of the failed checks, laid out for the width they are drawn at."""

    def __init__(self, result: dict):
        self.fixes = [(c["id"], c["fixCommands"]) for c in result["checks"] if c["status"] == "fail" and c["fixCommands"]]

    def __bool__(self) -> bool:
        return bool(self.fixes)

    def __rich_console__(self, console, options):
        yield Text("To fix (words in CAPITALS are placeholders):", style="bold")
        for check_id, commands in self.fixes:
            yield Text(f"# {check_id}", style="dim")
            for words in commands:
                for line in command_lines(words, options.max_width):
                    # Service text inside a word is escaped for the terminal; the word is never cut.
                    yield from text(line, "cyan").render(console)
                    yield Segment.line()


def _cells(check: dict) -> tuple:
    severity = str(check.get("severity") or "")
    return (Text(check["id"], style="bold"), Text(check["status"], style=_STATUS[check["status"]]),
            text(severity, _SEVERITY_STYLE.get(severity, "")))


def _longest_word(check: dict) -> int:
    words = " ".join([check["title"], check.get("note") or ""]
                     + [f"{f['where']}: {f['reason']}" for f in check["findings"]]).split()
    return max((text(word).cell_len for word in words), default=0)


class Checks:
    """The checks as a table (Check, Status, Severity, Details) when Details is wide enough for its
    longest word, else each check's line (id, status, severity) with its details under it, as
    wide as the terminal: an identifier in a title or a finding (an AWS Config rule name, a
    method path) is never folded mid-word."""

    def __init__(self, checks: list[dict]):
        self.checks = checks

    def _table(self) -> Table:
        table = Table(show_edge=False, header_style="bold")
        table.add_column("Check", no_wrap=True)
        table.add_column("Status", no_wrap=True)
        table.add_column("Severity", no_wrap=True)
        table.add_column("Details", overflow="fold")
        for check in self.checks:
            table.add_row(*_cells(check), _details(check))
        return table

    def __rich_console__(self, console, options):
        widths = [max([len(head)] + [cell.cell_len for cell in cells])
                  for head, cells in zip(("Check", "Status", "Severity"), zip(*map(_cells, self.checks)))]
        longest = max(map(_longest_word, self.checks), default=0) + 1  # + the findings' indent
        if sum(widths) + 3 * 3 + longest <= options.max_width:  # " │ " between columns, no edges
            yield self._table()
            return
        grid = Table(show_edge=False, header_style="bold", box=None, padding=(0, 2, 0, 0))
        for head, width in zip(("Check", "Status", "Severity"), widths):
            grid.add_column(head, no_wrap=True, width=width)
        yield grid
        for check in self.checks:
            line = Table.grid(padding=(0, 2, 0, 0))
            for width in widths:
                line.add_column(no_wrap=True, width=width)
            line.add_row(*_cells(check))
            yield line
            yield Padding(_details(check), (0, 0, 0, len(INDENT)))


def report(result: dict, where: str):
    heading = title("Checks of stage", result.get("stageName"), where)
    methods = result["deployedMethods"]
    if methods is None:  # an HTTP or WebSocket stage: routes, no deployed methods to read
        about = Text("HTTP or WebSocket API stage: routes, no deployed methods; checks of settings v2 stages "
                     "lack are not applicable", style="dim")
    elif methods["count"] is None:
        about = Text.assemble(("Deployed methods unknown: ", "yellow"), text(methods["note"]))
    else:
        noun = "deployed method" if methods["count"] == 1 else "deployed methods"
        about = Text.assemble((f"{methods['count']} {noun} ", "dim"), text(methods["note"], "dim"))
    params = result.get("parameters") or {}
    counts = dict.fromkeys(_STATUS, 0)
    for check in result["checks"]:
        counts[check["status"]] += 1
    table = Checks(sorted(result["checks"], key=row_order))
    parts = [f"{counts[status]} {one if counts[status] == 1 else many}"
             for status, one, many in _COUNTS if counts[status] or status in ("pass", "fail")]
    summary = Text(" · ".join(parts), style="bold green" if result["passed"] else "bold red")
    body = [heading, about]
    if params:
        body.append(Text.assemble(("Parameters: ", "dim"), text(", ".join(
            f"{name}={','.join(values)}" for name, values in params.items()))))
    body.append(table)
    fixes = Fixes(result)
    if fixes:
        body.append(fixes)
    body.append(summary)
    return Group(*body)
