"""Rich renderables for an HTTP or WebSocket API stage: show, settings (tree), vars. Text enters
only through render/cells (SafeText escapes every string, control characters made visible): the
protocol type, route keys and every value come from the service."""

from apigw_stage.model.methods import describe
from apigw_stage.render.cells import (
    SafeText, assemble, field_grid, joined, lines, none, on_off, plural, stack, table, text, title,
)
from apigw_stage.render.console import when
from apigw_stage.render.fields import access_log_rows, mapping, other_rows, unknown
from apigw_stage.render.outline import Outline
from apigw_stage.model import routes
from apigw_stage.model.v2 import ACCESS_LOG_MEMBERS, KNOWN_FIELDS, ROUTE_SETTINGS_MEMBERS

_KINDS = {routes.HTTP: "HTTP API", routes.WEBSOCKET: "WebSocket API", None: "HTTP or WebSocket API (type unknown)"}
_SOURCE_STYLES = {routes.ROUTE: "bold yellow", routes.DEFAULT: "cyan", routes.SERVICE: "dim"}


def kind(protocol: str | None) -> str:
    return _KINDS.get(protocol, f"{protocol} API")


def _value(field: str, value) -> SafeText:
    words = describe(field, value) if field in routes.SERVICE_DEFAULTS else None
    return text(value if words is None else words)


def _label(field, style: str = "") -> SafeText:
    return SafeText(routes.LABELS[field], style=style) if field in routes.LABELS else text(field, style)


def _defaults_words(doc: dict, protocol: str | None) -> str:
    parts = []
    for field, (value, source) in routes.effective(doc, None, protocol).items():
        if field == "throttlingBurstLimit":
            continue
        words = describe(field, value)
        if field == "throttlingRateLimit":
            burst = routes.effective(doc, None, protocol)["throttlingBurstLimit"][0]
            parts.append("throttling at the account limit" if words == "account limit"
                         else f"throttling {words}, burst {describe('throttlingBurstLimit', burst)}")
        else:
            parts.append(f"{routes.LABELS[field].lower()} {words if words is not None else value}")
    return ", ".join(parts)


def _route_line(doc: dict, protocol: str | None) -> SafeText:
    line = text("default route: " + _defaults_words(doc, protocol))
    keys = routes.route_keys(doc)
    if not keys:
        return line
    changing = sum(1 for key in keys if routes.overrides(doc, key, protocol))
    note = f"{plural(len(keys), 'route entry', 'route entries')}, {changing} changing something"
    return lines([line, SafeText(note, style="yellow" if changing else "dim")])


def _deploy(doc: dict) -> SafeText:
    auto = doc.get("autoDeploy")
    return joined(on_off(auto, "automatic", "manual"), doc.get("lastDeploymentStatusMessage"))


def show(doc: dict, where: str | None, protocol: str | None, on_terminal: bool):
    grid = field_grid()
    grid.add_row("API type", kind(protocol))
    grid.add_row("Description", text(doc.get("description")))
    grid.add_row("Deployment", text(doc.get("deploymentId")))
    grid.add_row("Deploys", _deploy(doc))
    grid.add_row("Created", when(doc.get("createdDate"), on_terminal))
    grid.add_row("Last updated", when(doc.get("lastUpdatedDate"), on_terminal))
    if doc.get("apiGatewayManaged"):
        grid.add_row("Managed", SafeText("by API Gateway (quick create): change it through the API", style="yellow"))
    if protocol != routes.HTTP:
        grid.add_row("Client certificate", text(doc.get("clientCertificateId")))
    logs = doc.get("accessLogSettings") if isinstance(doc.get("accessLogSettings"), dict) else {}
    access_log_rows(grid, logs)
    grid.add_row("Tags", mapping(doc.get("tags") or {}))
    grid.add_row("Route settings", _route_line(doc, protocol))
    grid.add_row("Canary", SafeText("none (HTTP and WebSocket APIs have no canary releases)", style="dim"))
    grid.add_row("Variables", mapping(doc.get("stageVariables") or {}))
    other = {k: v for k, v in doc.items() if k not in KNOWN_FIELDS}
    other.update((f"accessLogSettings.{k}", v) for k, v in unknown(logs, ACCESS_LOG_MEMBERS.values()).items())
    other.update((f"defaultRouteSettings.{k}", v)
                 for k, v in unknown(doc.get("defaultRouteSettings"), ROUTE_SETTINGS_MEMBERS.values()).items())
    other_rows(grid, other)
    return stack(title("Stage", doc.get("stageName"), where), grid)


def _rows(entries):
    out = table(show_header=False, show_edge=False, box=None, padding=(0, 2))
    out.add_column(no_wrap=True)
    out.add_column(overflow="fold")
    out.add_column(overflow="fold")
    for row in entries:
        out.add_row(*row)
    return out


def settings_tree(doc: dict, where: str | None, protocol: str | None, effective: bool):
    heading = title("Route settings of stage", doc.get("stageName"), where)
    root = Outline(heading, guide_style="dim")
    root.add(text(kind(protocol), "dim"))
    node = root.add(SafeText("Default route settings", style="bold"))
    raw = doc.get("defaultRouteSettings")
    present = raw if isinstance(raw, dict) else {}
    rows = [(_label(f), _value(f, v), SafeText("" if s == routes.DEFAULT else "service default", style="dim"))
            for f, (v, s) in routes.effective(doc, None, protocol).items()]
    rows += [(_label(f), text(v), SafeText("")) for f, v in present.items() if f not in routes.fields(protocol)]
    node.add(_rows(rows))
    keys = routes.route_keys(doc)
    if not keys:
        root.add(SafeText("No route entries: every route follows the default route settings.", style="dim"))
        return root
    for key in keys:
        entry = routes.route_settings(doc).get(key)
        head = text(key, "bold green")
        if not isinstance(entry, dict):
            head.append("  not a settings object: ", style="red")
            head.append(text(entry))
        changes = routes.overrides(doc, key, protocol)
        if not effective:
            if changes:
                head.append(f"  changes {plural(len(changes), 'setting')}", style="yellow")
        branch = root.add(head)
        if effective:
            applied = routes.effective(doc, key, protocol)
            extra = {f: v for f, v in (entry or {}).items() if f not in applied} if isinstance(entry, dict) else {}
            rows = [(_label(f, "yellow" if s == routes.ROUTE else ""), _value(f, v),
                     SafeText(routes.SOURCE_WORDS[s], style=_SOURCE_STYLES[s])) for f, (v, s) in applied.items()]
            rows += [(_label(f, "yellow"), text(v), SafeText(routes.SOURCE_WORDS[routes.ROUTE], style="bold yellow"))
                     for f, v in extra.items()]
            branch.add(_rows(rows))
        elif changes:
            branch.add(_rows([(_label(f, "yellow"), _value(f, v), assemble(("without the entry: ", "dim"), _value(f, b)))
                              for f, (v, b) in changes.items()]))
        else:
            branch.add(SafeText("same as the default route settings", style="dim"))
    return root


def variables(doc: dict, where: str | None):
    values = doc.get("stageVariables") if isinstance(doc.get("stageVariables"), dict) else {}
    if not values:
        return assemble("Stage ", text(doc.get("stageName"), "bold"), " has no stage variables.")
    out = table(show_edge=False, header_style="bold")
    out.add_column("Variable", no_wrap=True)
    out.add_column("Value", overflow="fold")
    for name, value in sorted(values.items(), key=lambda kv: str(kv[0])):
        out.add_row(text(name, "bold"), text(value))
    return stack(title("Variables of stage", doc.get("stageName"), where), out)


def no_canary(doc: dict) -> SafeText:
    return assemble("Stage ", text(doc.get("stageName"), "bold"), ": HTTP and WebSocket APIs have no canary releases.")


def _default_logging(doc: dict) -> SafeText:
    level = routes.default_settings(doc).get("loggingLevel")
    return text(level, "dim" if level in (None, "OFF") else None) if level is not None else none()


def _route_entries(doc: dict) -> SafeText:
    keys = routes.route_keys(doc)
    return SafeText(str(len(keys)), style="yellow") if keys else none()


def fleet_cells() -> dict:
    """{column header of the fleet table (render/listing.columns): cell} for what a v2 stage has
    under a REST heading: Logging is the default route's level, Overrides its route entries.
    Stage, Deployment and Last updated are the same fields; other headings show —."""
    return {"Logging": _default_logging, "Overrides": _route_entries}


def list_columns(on_terminal: bool):
    """`stage list` of an HTTP or WebSocket API: what v2 stages have (no canary, cache, X-Ray or
    WAF); priorities as in render/listing.py (lower is kept longer)."""
    from apigw_stage.render.columns import Column

    return [
        Column("Stage", lambda doc: text(doc.get("stageName"), "bold magenta"), 0),
        Column("Deployment", lambda doc: text(doc.get("deploymentId")), 0),
        Column("Deploys", lambda doc: on_off(doc.get("autoDeploy"), "automatic", "manual"), 1),
        Column("Last updated", lambda doc: text(when(doc.get("lastUpdatedDate"), on_terminal)), 4),
        Column("Access logs", lambda doc: on_off((doc.get("accessLogSettings") or {}).get("destinationArn")
                                                 if isinstance(doc.get("accessLogSettings"), dict) else None,
                                                 on="yes", off="no"), 3),
        Column("Logging", _default_logging, 2),
        Column("Route entries", _route_entries, 2, justify="right"),
    ]


def stage_list(docs: list[dict], where: str, on_terminal: bool, wide: bool = False):
    from apigw_stage.render.listing import stage_table

    return stage_table(docs, where, list_columns(on_terminal), wide)
