"""The tables of `stage history`: the deployments newest first (what the stage and its canary
serve marked), what each REST deployment changed, and the command that goes back, outside any
table so that it pastes whole; and `--diff A B`."""

from rich.console import Group
from rich.segment import Segment
from rich.text import Text

from apigw_stage.render.cells import SafeText, joined, lines, none, plural, table, text, title
from apigw_stage.render.findings import command_lines


def _changes(change: dict | None) -> SafeText:
    if change is None:
        return none()
    parts = [text(f"+ {m}", "green") for m in change["added"]]
    parts += [text(f"- {m}", "red") for m in change["removed"]]
    for c in change["changed"]:
        line = text(f"~ {c['method']} {c['field']} ", "yellow")
        line.append(text(c["before"]))
        line.append(" → ")
        line.append(text(c["after"]))
        parts.append(line)
    return lines(parts) if parts else SafeText("no method changes", style="dim")


def _serves(row: dict) -> SafeText:
    marks = []
    if row["servesStage"]:
        marks.append(SafeText("◀ stage", style="bold green"))
    if row["servesCanary"]:
        marks.append(SafeText("◀ canary", style="bold yellow"))
    others = [s for s in row["stages"]] + [f"{s} (canary)" for s in row["canaries"]]
    if others:
        marks.append(text(", ".join(others), "magenta"))
    return joined(*marks) if marks else none()


def _date(row: dict, on_terminal: bool) -> SafeText:
    value = row.get("createdDate")
    if value is None:
        return none()
    del on_terminal  # the same on a terminal and in a pipe: minutes are enough for people (json has it all)
    return text(value.replace("T", " ")[:16] + "Z")


class _Command:
    def __init__(self, intro: str, words: list):
        self.intro, self.words = intro, words

    def __rich_console__(self, console, options):
        yield Text(self.intro, style="bold")
        for line in command_lines(self.words, options.max_width):
            yield from text(line, "cyan").render(console)
            yield Segment.line()


def history_report(data: dict, on_terminal: bool):
    heading = title("Deployments of API", data["apiId"],
                    f"stage {data['stageName']} · {data['shown']} of {plural(data['total'], 'deployment')}")
    if not data["deployments"]:
        return Group(heading, SafeText("The API has no deployments.", style="dim"))
    rest = data["family"] == "rest"
    out = table(show_edge=False, header_style="bold")
    out.add_column("Deployment", no_wrap=True, style="bold")
    out.add_column("Created", no_wrap=True)
    out.add_column("Served by", overflow="fold")
    out.add_column("Description", overflow="fold")
    out.add_column("Changes" if rest else "Status", overflow="fold")
    for row in data["deployments"]:
        if rest:
            last = _changes(row.get("changes")) if row.get("previous") else SafeText("first deployment", style="dim")
        else:
            last = joined(text(row.get("deploymentStatus")),
                          SafeText("automatic", style="dim") if row.get("autoDeployed") else None)
        out.add_row(text(row["id"]), _date(row, on_terminal), _serves(row), text(row.get("description")), last)
    body = [heading, out]
    back = data["rollback"]
    if back["command"]:
        body.append(_Command(f"Back to {back['to']}, the deployment before the stage's:", back["command"]))
    if back["note"]:
        body.append(text(back["note"], "dim"))
    return Group(*body)


def diff_report(data: dict):
    heading = title("Deployment", data["to"], f"against {data['from']}")
    if data["same"]:
        return Group(heading, SafeText("Same methods, authorization and API keys.", style="green"))
    return Group(heading, _changes(data))
