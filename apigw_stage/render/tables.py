"""Rich renderables for `show`, `canary` and `vars`. Tables are for people and may change."""

from rich.console import Group
from rich.table import Table
from rich.text import Text

from apigw_stage import methods, views
from apigw_stage.render.cells import NONE, field_grid, joined, on_off, text, title
from apigw_stage.render.console import when
from apigw_stage.render.safe import visible


def _cache(doc: dict) -> Text:
    if not doc.get("cacheClusterEnabled"):
        status = doc.get("cacheClusterStatus")
        return joined(Text("off", style="dim"), status if status and status != "NOT_AVAILABLE" else None)
    size = doc.get("cacheClusterSize")
    return joined(Text("enabled", style="green"), f"{size} GB" if size else None, doc.get("cacheClusterStatus"))


def _defaults_line(settings: dict) -> Text:
    defaults, count, overriding = methods.summary(settings)
    parts = []
    for field in ("loggingLevel", "metricsEnabled", "dataTraceEnabled", "cachingEnabled"):
        value, _ = methods.baseline(settings, field)
        parts.append(f"{methods.LABELS[field].lower()} {methods.describe(field, value)}")
    rate, _ = methods.baseline(settings, "throttlingRateLimit")
    burst, _ = methods.baseline(settings, "throttlingBurstLimit")
    if methods.is_account_limit("throttlingRateLimit", rate):
        parts.append("throttling at the account limit")
    else:
        parts.append(f"throttling {methods.describe('throttlingRateLimit', rate)}, burst "
                     f"{methods.describe('throttlingBurstLimit', burst)}")
    described = visible(", ".join(parts))  # the service's own values are in there
    line = Text("stage defaults: " + described)
    if not defaults:
        line = Text("no stage defaults set (service defaults apply): " + described)
    if count:
        verb = "overrides" if overriding == 1 else "override"
        line.append(f"\n{overriding} of {count} method entr{'y' if count == 1 else 'ies'} {verb} them",
                    style="yellow" if overriding else "dim")
    return line


def _canary_line(doc: dict) -> Text:
    settings = views.canary(doc)
    if settings is None:
        return Text("none", style="dim")
    percent = views.canary_percent(settings)
    overrides = settings.get("stageVariableOverrides") or {}
    line = Text(f"{percent:g}% of traffic", style="yellow" if percent else "dim")
    line.append(" → deployment ")
    line.append(text(settings.get("deploymentId")))
    if overrides:
        line.append(f" · {len(overrides)} variable override{'s' if len(overrides) != 1 else ''}")
    if not percent:
        line.append(" (idle: no traffic; left after a promotion?)", style="dim")
    return line


def _mapping(values: dict, limit: int = 12) -> Text:
    if not values:
        return NONE.copy()
    out = Text()
    for index, (key, value) in enumerate(sorted(values.items(), key=lambda kv: str(kv[0]))):
        if index == limit:
            out.append(f"\n… and {len(values) - limit} more", style="dim")
            break
        if index:
            out.append("\n")
        out.append(text(key, "bold"))
        out.append(" = ", style="dim")
        out.append(text(value))
    return out


def show(doc: dict, where: str | None, on_terminal: bool):
    grid = field_grid()
    grid.add_row("Description", text(doc.get("description")))
    grid.add_row("Deployment", text(doc.get("deploymentId")))
    grid.add_row("Created", Text(when(doc.get("createdDate"), on_terminal)))
    grid.add_row("Last updated", Text(when(doc.get("lastUpdatedDate"), on_terminal)))
    grid.add_row("Cache cluster", _cache(doc))
    grid.add_row("X-Ray tracing", on_off(doc.get("tracingEnabled")))
    grid.add_row("WAF web ACL", text(doc.get("webAclArn")))
    grid.add_row("Client certificate", text(doc.get("clientCertificateId")))
    grid.add_row("Documentation", text(doc.get("documentationVersion")))
    logs = doc.get("accessLogSettings") or {}
    if logs.get("destinationArn") or logs.get("format"):
        grid.add_row("Access logs", text(logs.get("destinationArn")))
        grid.add_row("  format", text(logs.get("format"), "dim"))
    else:
        grid.add_row("Access logs", Text("off", style="dim"))
    grid.add_row("Tags", _mapping(doc.get("tags") or {}))
    grid.add_row("Method settings", _defaults_line(doc.get("methodSettings") or {}))
    grid.add_row("Canary", _canary_line(doc))
    grid.add_row("Variables", _mapping(views.variables(doc)))
    other = views.other_fields(doc)
    if other:
        # Fields newer than this release: shown as the service wrote them, under their own heading.
        grid.add_row(Text("Other fields", style="bold"), Text("not known to this version of stage", style="dim"))
        for key, value in sorted(other.items(), key=lambda kv: str(kv[0])):
            grid.add_row(Text.assemble("  ", text(key, "cyan")), text(value))
    return Group(title("Stage", doc.get("stageName"), where), grid)


def _bar(percent: float, width: int = 20) -> Text:
    filled = round(percent / 100 * width)
    if percent and not filled:
        filled = 1
    bar = Text()
    bar.append("█" * filled, style="yellow")
    bar.append("░" * (width - filled), style="dim")
    return bar


_CHANGE_STYLE = {"overrides": "yellow", "adds": "green", "same": "dim"}


def canary(doc: dict, where: str | None):
    settings = views.canary(doc)
    if settings is None:
        return Text.assemble("Stage ", text(doc.get("stageName"), "bold"), " has no canary release.")
    percent = views.canary_percent(settings)
    grid = field_grid()
    share = _bar(percent)
    share.append(f"  {percent:g}% canary · {100 - percent:g}% stage")
    grid.add_row("Traffic", share)
    grid.add_row("Deployment", joined(
        Text.assemble("canary ", text(settings.get("deploymentId"), "bold")),
        Text.assemble("stage ", text(doc.get("deploymentId"))),
    ))
    if settings.get("deploymentId") and settings.get("deploymentId") == doc.get("deploymentId"):
        grid.add_row("", Text("the canary runs the stage's own deployment", style="dim"))
    grid.add_row("Stage cache", Text("used by the canary" if settings.get("useStageCache") else "not used by the canary"))
    if not percent:
        grid.add_row("", Text("no traffic goes to the canary (promoted, or idle)", style="dim"))
    return Group(title("Canary release on stage", doc.get("stageName"), where), grid, _variables_table(doc, with_canary=True))


def _variables_table(doc: dict, with_canary: bool):
    rows = views.variable_rows(doc)
    if not with_canary:
        rows = [r for r in rows if r.stage is not None]
    if not rows:
        return Text("No stage variables.", style="dim")
    table = Table(show_edge=False, header_style="bold")
    table.add_column("Variable", overflow="fold")
    table.add_column("Stage value", overflow="fold")
    if with_canary:
        table.add_column("Canary value", overflow="fold")
        table.add_column("Canary", no_wrap=True)
    for row in rows:
        cells = [text(row.name, "bold"), text(row.stage) if row.stage is not None else NONE.copy()]
        if with_canary:
            cells.append(text(row.canary) if row.canary is not None else Text("(stage value)", style="dim"))
            cells.append(Text(row.change or "—", style=_CHANGE_STYLE.get(row.change, "dim")))
        table.add_row(*cells)
    return table


def variables(doc: dict, where: str | None, with_canary: bool):
    if not views.variables(doc) and not (with_canary and views.canary(doc)):
        return Text.assemble("Stage ", text(doc.get("stageName"), "bold"), " has no stage variables.")
    if with_canary and views.canary(doc) is None:
        note = Text("(no canary release: the canary column is empty)", style="dim")
        return Group(title("Variables of stage", doc.get("stageName"), where), _variables_table(doc, True), note)
    return Group(title("Variables of stage", doc.get("stageName"), where), _variables_table(doc, with_canary))
