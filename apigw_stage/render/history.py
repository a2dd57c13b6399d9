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
        line = text(f"~ {c['method']} {c['field']}: ", "yellow")
        line.append(text(c["before"]))
        line.append(" → ")
        line.append(text(c["after"]))
        parts.append(line)
    return lines(parts) if parts else SafeText("no method changes", style="dim")


def _count(change: dict | None) -> SafeText:
    """`+1 -1 ~1` methods added, removed, changed; the lines follow the table."""
    if change is None:
        return none()
    parts = [(f"+{len(change['added'])}", "green"), (f"-{len(change['removed'])}", "red"),
             (f"~{len(change['changed'])}", "yellow")]
    if not any(int(p[1:]) for p, _ in parts):
        return SafeText("none", style="dim")
    out = SafeText()
    for index, (part, style) in enumerate(parts):
        out.append((" " if index else "") + part, style=style if int(part[1:]) else "dim")
    return out


def _indented(renderable):
    from rich.padding import Padding

    return Padding(renderable, (0, 0, 0, 2))


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
    out.add_column("Changes" if rest else "Status", no_wrap=True)
    details = []
    for row in data["deployments"]:
        if rest:
            last = _count(row.get("changes")) if row.get("previous") else SafeText("first", style="dim")
            if row.get("changes") and (row["changes"]["added"] or row["changes"]["removed"] or row["changes"]["changed"]):
                details.append(Group(title("Changes of", row["id"], f"against {row['previous']}"),
                                     _indented(_changes(row["changes"]))))
        else:
            last = joined(text(row.get("deploymentStatus")),
                          SafeText("automatic", style="dim") if row.get("autoDeployed") else None)
        out.add_row(text(row["id"]), _date(row, on_terminal), _serves(row), text(row.get("description")), last)
    body = [heading, out, *details]
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
