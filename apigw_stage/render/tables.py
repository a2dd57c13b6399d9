"""Rich renderables for `show`, `canary` and `vars`. Tables are for people and may change."""

from apigw_stage.model import methods
from apigw_stage.model import rest as views
from apigw_stage.render.cells import (
    SafeText, assemble, field_grid, joined, lines, on_off, plural, stack, table, text, title,
)
from apigw_stage.render.console import when
from apigw_stage.render.fields import access_log_rows, mapping, other_rows, unknown

# Fields of CanarySettings and AccessLogSettings in the service model (botocore
# data/apigateway/2015-07-09/service-2.json); any other field is newer than this release.
CANARY_FIELDS = ("percentTraffic", "deploymentId", "stageVariableOverrides", "useStageCache")
ACCESS_LOG_FIELDS = ("format", "destinationArn")


def _cache(doc: dict) -> SafeText:
    if not doc.get("cacheClusterEnabled"):
        status = doc.get("cacheClusterStatus")
        return joined(SafeText("off", style="dim"), status if status and status != "NOT_AVAILABLE" else None)
    size = doc.get("cacheClusterSize")
    return joined(SafeText("enabled", style="green"), f"{size} GB" if size else None, doc.get("cacheClusterStatus"))


def _defaults_line(settings: dict) -> SafeText:
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
    described = ", ".join(parts)  # the service's own values are in there: SafeText escapes them
    line = text(("stage defaults: " if defaults else "no stage defaults set (service defaults apply): ") + described)
    if not count:
        return line
    return lines([line, SafeText(_overriding(overriding, count), style="yellow" if overriding else "dim")])


def _overriding(overriding: int, count: int) -> str:
    """How many method entries override the stage defaults, in grammatical English."""
    entries = plural(count, "method entry", "method entries")
    if count == 1:
        return f"the {entries} {'overrides' if overriding else 'does not override'} them"
    if not overriding:
        return f"none of the {entries} override them"
    return f"{overriding} of {entries} {'overrides' if overriding == 1 else 'override'} them"


def _canary_line(doc: dict) -> SafeText:
    settings = views.canary(doc)
    if settings is None:
        return SafeText("none", style="dim")
    percent = views.canary_percent(settings)
    overrides = settings.get("stageVariableOverrides") or {}
    if views.percent_given(settings) is None:
        line = _unknown_share(settings)
    else:
        line = SafeText(f"{percent:g}% of traffic", style="yellow" if percent else "dim")
    line.append(" → ")
    line.append(_canary_deployment(settings))
    if overrides:
        line.append(f" · {plural(len(overrides), 'variable override')}")
    if not percent and views.percent_given(settings) is not None:
        line.append(" (idle: no traffic; left after a promotion?)", style="dim")
    return line


def _unknown_share(settings: dict) -> SafeText:
    """percentTraffic that is not a number: say so (with the value, escaped), never show 0%."""
    line = SafeText("unknown share of traffic (percentTraffic ", style="red")
    line.append(text(repr(settings.get("percentTraffic"))))
    line.append(" is not a number)", style="red")
    return line


def _canary_deployment(settings: dict) -> SafeText:
    deployment = settings.get("deploymentId")
    if deployment is None or deployment == "":
        return SafeText("deployment unknown (no deploymentId in the canary)", style="red")
    return assemble("deployment ", text(deployment))


def show(doc: dict, where: str | None, on_terminal: bool):
    grid = field_grid()
    grid.add_row("Description", text(doc.get("description")))
    grid.add_row("Deployment", text(doc.get("deploymentId")))
    grid.add_row("Created", when(doc.get("createdDate"), on_terminal))
    grid.add_row("Last updated", when(doc.get("lastUpdatedDate"), on_terminal))
    grid.add_row("Cache cluster", _cache(doc))
    grid.add_row("X-Ray tracing", on_off(doc.get("tracingEnabled")))
    grid.add_row("WAF web ACL", text(doc.get("webAclArn")))
    grid.add_row("Client certificate", text(doc.get("clientCertificateId")))
    grid.add_row("Documentation", text(doc.get("documentationVersion")))
    logs = doc.get("accessLogSettings") or {}
    access_log_rows(grid, logs)
    grid.add_row("Tags", mapping(doc.get("tags") or {}))
    grid.add_row("Method settings", _defaults_line(doc.get("methodSettings") or {}))
    grid.add_row("Canary", _canary_line(doc))
    grid.add_row("Variables", mapping(views.variables(doc)))
    other = dict(views.other_fields(doc))
    other.update((f"canarySettings.{k}", v) for k, v in unknown(views.canary(doc), CANARY_FIELDS).items())
    other.update((f"accessLogSettings.{k}", v) for k, v in unknown(logs, ACCESS_LOG_FIELDS).items())
    other_rows(grid, other)
    return stack(title("Stage", doc.get("stageName"), where), grid)


def _bar(percent: float, width: int = 20) -> SafeText:
    filled = round(percent / 100 * width)
    if percent and not filled:
        filled = 1
    bar = SafeText()
    bar.append("█" * filled, style="yellow")
    bar.append("░" * (width - filled), style="dim")
    return bar


_CHANGE_STYLE = {"overrides": "yellow", "adds": "green", "same": "dim"}


def canary(doc: dict, where: str | None):
    settings = views.canary(doc)
    if settings is None:
        return assemble("Stage ", text(doc.get("stageName"), "bold"), " has no canary release.")
    percent = views.canary_percent(settings)
    grid = field_grid()
    if views.percent_given(settings) is None:
        grid.add_row("Traffic", _unknown_share(settings))
    else:
        share = _bar(percent)
        share.append(f"  {percent:g}% canary · {100 - percent:g}% stage")
        grid.add_row("Traffic", share)
    canary_deployment = settings.get("deploymentId")
    grid.add_row("Deployment", joined(
        assemble("canary ", text(canary_deployment, "bold")) if canary_deployment
        else SafeText("canary: no deploymentId in the document", style="red"),
        assemble("stage ", text(doc.get("deploymentId"))),
    ))
    if settings.get("deploymentId") and settings.get("deploymentId") == doc.get("deploymentId"):
        grid.add_row("", SafeText("the canary runs the stage's own deployment", style="dim"))
    grid.add_row("Stage cache", "used by the canary" if settings.get("useStageCache") else "not used by the canary")
    if not percent and views.percent_given(settings) is not None:
        grid.add_row("", SafeText("no traffic goes to the canary (promoted, or idle)", style="dim"))
    other_rows(grid, unknown(settings, CANARY_FIELDS))
    return stack(title("Canary release on stage", doc.get("stageName"), where), grid, _variables_table(doc, with_canary=True))


def _variables_table(doc: dict, with_canary: bool):
    rows = views.variable_rows(doc)
    if not with_canary:
        rows = [r for r in rows if r.stage is not None]
    if not rows:
        return SafeText("No stage variables.", style="dim")
    return _Variables(rows, with_canary)


class _Variables:
    """The variables as a table when every value's longest word fits its column; else each
    variable as a block, its values under it, every word whole (an invoke URL, an ARN)."""

    def __init__(self, rows, with_canary: bool):
        self.with_canary = with_canary
        self.cells = []
        for row in rows:
            cells = [text(row.name, "bold"), text(row.stage)]
            if with_canary:
                cells.append(text(row.canary) if row.canary is not None else SafeText("(stage value)", style="dim"))
                cells.append(SafeText(row.change or "—", style=_CHANGE_STYLE.get(row.change, "dim")))
            self.cells.append(cells)

    def _table(self):
        # Variable names are identifiers: never wrapped; values wrap between words only.
        out = table(show_edge=False, header_style="bold")
        out.add_column("Variable", no_wrap=True)
        out.add_column("Stage value", overflow="fold")
        if self.with_canary:
            out.add_column("Canary value", overflow="fold")
            out.add_column("Canary", no_wrap=True)
        for cells in self.cells:
            out.add_row(*cells)
        return out

    def __rich_console__(self, console, options):
        from apigw_stage.render.cells import longest_token, whole_lines

        headers = ("Variable", "Stage value", "Canary value", "Canary")
        widths = [max([len(headers[i])] + [longest_token(c[i]) if i in (1, 2) else c[i].cell_len for c in self.cells])
                  for i in range(len(self.cells[0]))]
        if sum(widths) + 3 * (len(widths) - 1) + 2 <= options.max_width:
            yield self._table()
            return
        for cells in self.cells:
            head = cells[0].copy()
            if self.with_canary:
                head.append("  ")
                head.append(cells[3])
            yield head
            yield from whole_lines(console, assemble(SafeText("stage   ", style="dim"), cells[1]), 4, options.max_width)
            if self.with_canary:
                yield from whole_lines(console, assemble(SafeText("canary  ", style="dim"), cells[2]), 4, options.max_width)


def variables(doc: dict, where: str | None, with_canary: bool):
    if not views.variables(doc) and not (with_canary and views.canary(doc)):
        return assemble("Stage ", text(doc.get("stageName"), "bold"), " has no stage variables.")
    if with_canary and views.canary(doc) is None:
        note = SafeText("(no canary release: the canary column is empty)", style="dim")
        return stack(title("Variables of stage", doc.get("stageName"), where), _variables_table(doc, True), note)
    return stack(title("Variables of stage", doc.get("stageName"), where), _variables_table(doc, with_canary))
