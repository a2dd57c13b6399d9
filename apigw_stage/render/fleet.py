"""Fleet tables: one row per stage across accounts and regions, what was not read, fleet check
summaries and fleet diffs. Service text only through cells.text (never markup, never raw)."""

from apigw_stage.core import families
from apigw_stage.render.cells import assemble, none, plural, stack, table as new_table, text

_SAME_FIELD = ("Stage", "Deployment", "Last updated")  # stageName, deploymentId, lastUpdatedDate in both families


def _api(name, api_id, kind: str | None = None):
    out = text(name if name is not None else "(unnamed)")
    out.append(" ")
    out.append(text(api_id, "dim"))
    if kind:
        out.append(" ")
        out.append(text(kind, "cyan"))
    return out


NAME_CELLS = 20  # an API's name (free text) cut to this, with an ellipsis, before rows become blocks


def _short(name):
    if name is None or len(name) <= NAME_CELLS:
        return name
    return name[:NAME_CELLS - 1] + "…"


def _kind(result) -> str | None:
    """HTTP or WEBSOCKET after a v2 API's id; nothing for REST (the rows most fleets hold)."""
    if result.family is families.REST:
        return None
    return result.protocol or "HTTP/WebSocket"


def _per_stage(column):
    """A list column's cell for a row of either family: a v2 stage shows what it has under the
    heading (render/v2.fleet_cells) and — for settings only REST stages have (canary, cache,
    X-Ray, WAF)."""
    from apigw_stage.render.v2 import fleet_cells

    v2_cell = fleet_cells().get(column.header)

    def cell(result):
        if result.family is families.REST or column.header in _SAME_FIELD:
            return column.cell(result.doc)
        return v2_cell(result.doc) if v2_cell else none()

    return cell


def stage_rows(results, on_terminal: bool, failing: dict | None = None, wide: bool = False):
    """The fleet table: the single-API list's columns (render/listing.py, same priorities) after
    the account, region and API; `failing` maps id(result) to its failing check ids (check)."""
    from apigw_stage.render.columns import Column, PriorityTable
    from apigw_stage.render.listing import columns

    where = [
        Column("Account", lambda r: text(r.account.label), 0),
        Column("Region", lambda r: text(r.region), 0),
        Column("API", lambda r: _api(r.api_name, r.api_id, _kind(r)), 0,
               narrow=lambda r: _api(_short(r.api_name), r.api_id, _kind(r))),
    ]
    per_stage = [Column(c.header, _per_stage(c), c.priority, c.justify, c.style) for c in columns(on_terminal)]
    extra = []
    if failing is not None:
        def failed(r):
            ids = failing.get(id(r)) or []
            return text(", ".join(ids), "red") if ids else text("none", "green")

        extra.append(Column("Failing checks", failed, 0, wraps=True))
    return PriorityTable(where + per_stage + extra, results, wide=wide)


def not_compared(cells: list):
    """The snapshot's (account, region) cells `diff DIR` left out, and why; None when none."""
    if not cells:
        return None
    rows = new_table(show_edge=False, header_style="bold")
    for name in ("Account", "Region", "Why"):
        rows.add_column(name, overflow="fold")
    for cell in cells:
        rows.add_row(text(cell["account"]), text(cell["region"]), text(cell["reason"], "yellow"))
    return stack(text(f"Not compared ({len(cells)}): in the snapshot, not in this run's scope", "bold yellow"), rows)


def not_read(scan):
    """The "Not read" section (and skipped regions); None when everything was read."""
    parts = []
    if scan.failures:
        rows = new_table(show_edge=False, header_style="bold")
        for name in ("Account", "Region", "API", "Reason"):
            rows.add_column(name, overflow="fold")
        for f in scan.failures:
            rows.add_row(text(f.account.label), text(f.region),
                          _api(f.api_name, f.api_id) if f.api_id else text("every API", "dim"),
                          text(f.reason, "red"))
        parts += [text(f"Not read ({len(scan.failures)})", "bold red"), rows]
    regions = [f for f in scan.skipped if f.family is None]
    if regions:
        names = ", ".join(f"{f.region} ({f.account.label})" for f in regions)
        parts.append(assemble(text("Skipped, not enabled for the account: ", "dim"), text(names, "dim")))
    for f in scan.skipped:
        if f.family is not None:  # e.g. no permission for apigatewayv2 GetApis: the REST part was read
            parts.append(assemble(text(f"Skipped in {f.region} ({f.account.label}): ", "dim"), text(f.reason, "yellow")))
    return stack(*parts) if parts else None


def _heading(scan, what: str):
    apis = plural(scan.apis, "API")
    regions = plural(scan.cells, "account/region") if scan.cells != 1 else "1 region"
    out = text(f"{what} ", "bold")
    out.append(f"{plural(len(scan.stages), 'stage')} in {apis}, {regions}", style="dim")
    if scan.failures:
        out.append("  incomplete: see Not read", style="bold red")
    return out


def fleet_list(scan, on_terminal: bool, wide: bool = False):
    parts = [_heading(scan, "Stages")]
    parts.append(stage_rows(scan.stages, on_terminal, wide=wide) if scan.stages else text("No stages found.", "dim"))
    section = not_read(scan)
    if section is not None:
        parts += [text(""), section]
    return stack(*parts)


def fleet_check(scan, outcomes: list, on_terminal: bool, details: bool = False, wide: bool = False):
    """Summary: every stage with its failing checks, then counts per check; details on request."""
    failing = {id(r): [c["id"] for c in o["checks"] if c["status"] == "fail"] for r, o in zip(scan.stages, outcomes)}
    parts = [_heading(scan, "Checks of")]
    if scan.stages:
        parts.append(stage_rows(scan.stages, on_terminal, failing, wide))
        counts = new_table(show_edge=False, header_style="bold")
        for name, kwargs in (("Check", {"no_wrap": True}), ("Failing", {"justify": "right"}),
                             ("Not evaluated", {"justify": "right"}), ("Title", {"overflow": "fold"})):
            counts.add_column(name, **kwargs)
        for check_id, title, failed, unknown in check_counts(outcomes):
            counts.add_row(text(check_id, "bold"), text(str(failed), "red" if failed else "green"),
                           text(str(unknown), "yellow" if unknown else "dim"), text(title))
        parts += [text(""), counts]
    else:
        parts.append(text("No stages found.", "dim"))
    if details:
        from apigw_stage.render.findings import report

        for result, outcome in zip(scan.stages, outcomes):
            if not outcome.get("passed", True):
                kind = f" {_kind(result)}" if _kind(result) else ""
                label = f"{result.account.label} {result.region} {result.api_name or ''} ({result.api_id}){kind}"
                parts += [text(""), report(outcome, label)]
    section = not_read(scan)
    if section is not None:
        parts += [text(""), section]
    return stack(*parts)


def check_counts(outcomes: list) -> list:
    """[(check id, title, stages failing, stages not evaluated)] in the checks' own order. An id
    both families run (APIGateway.1: REST and WebSocket) is one row naming each family's title."""
    order: dict = {}
    for outcome in outcomes:
        for c in outcome["checks"]:
            entry = order.setdefault(c["id"], [c["id"], c.get("title", ""), 0, 0])
            if c.get("title") and c["title"] not in entry[1].split("; "):
                entry[1] = f"{entry[1]}; {c['title']}" if entry[1] else c["title"]
            if c["status"] == "fail":
                entry[2] += 1
            elif c["status"] == "not_evaluated":
                entry[3] += 1
    return [tuple(v) for v in order.values()]


def fleet_diff(data: dict, changed: list, left: str, right: str, on_terminal: bool):
    from apigw_stage.render.difference import difference

    total = len(data["added"]) + len(data["removed"]) + len(data["changed"])
    if not total:
        return assemble("No differences between ", text(left, "bold"), " and ", text(right, "bold"), ".")
    parts = [assemble(text("Differences ", "bold"), text(left, "red"), " → ", text(right, "green"),
                           text(f"  {plural(len(data['added']), 'stage')} added, {len(data['removed'])} removed, "
                                f"{len(data['changed'])} changed", "dim"))]
    for kind, style in (("added", "green"), ("removed", "red")):
        if data[kind]:
            rows = new_table(show_edge=False, header_style="bold", title_justify="left")
            for name in ("Account", "Region", "API", "Stage"):
                rows.add_column(name, overflow="fold")
            for ref in data[kind]:
                rows.add_row(text(ref["account"]), text(ref["region"]), _api(ref["apiName"], ref["restApiId"]),
                              text(ref["stage"], style))
            parts += [text(""), text(kind.capitalize(), f"bold {style}"), rows]
    import os

    short = [os.path.basename(os.path.normpath(side)) or side for side in (left, right)]
    for (account, region, api_id, stage), name, changes in changed:
        label = f"{account} {region} {name or '(unnamed)'} ({api_id}) {stage}"
        parts += [text(""), text(label, "bold magenta"), difference(changes, short[0], short[1], on_terminal)]
    return stack(*parts)


def snapshot_summary(scan, directory: str, written: int):
    parts = [assemble(text("Wrote ", "bold"), plural(written, "stage"), " to ", text(directory, "bold"),
                      text(f"  from {plural(scan.apis, 'API')}, {plural(scan.cells, 'account/region')}", "dim"))]
    section = not_read(scan)
    if section is not None:
        parts += [text("Not read: their previous files, if any, were kept.", "yellow"), section]
    return stack(*parts)
