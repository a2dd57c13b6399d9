"""`limits`: which throttle a request meets, from the account down to the API key.

One stage: GetStage, the deployed methods (GetExport, REST), GetAccount once, GetUsagePlans
(all pages) and, with --key, GetUsagePlans filtered by keyId or GetUsagePlanKeys by name for
each covering plan (sources/limits.py); views/limits.py says which layer binds and why.
With no API: the fleet scan, then GetAccount and GetUsagePlans once per account and region
(never per stage); each stage's effective default rate, burst and binding layer.
"""

from typing import Annotated, Optional

import typer

from apigw_stage.commands import steps
from apigw_stage.commands.options import ApiId, Common, FamilyOpt, StageName, with_common
from apigw_stage.core.errors import UsageError
from apigw_stage.output.emit import emit

NAME = "limits"
EPILOG = ("Examples:  stage limits a1b2c3d4e5 prod  ·  stage limits a1b2c3d4e5 prod --method 'GET /pets/{id}' "
          "--key partner-key  ·  stage limits a1b2c3d4e5 prod -o json  ·  stage limits --all-regions --sort rate  ·  "
          "stage limits --file fleet/123456789012/eu-west-1/petstore--a1b2c3d4e5/prod.json")
SORTS = ("rate", "burst", "stage", "binding", "region")


@with_common(scope=True)
def limits(
    common: Common,
    api_id: ApiId = None,
    stage: StageName = None,
    file: Annotated[Optional[str], typer.Option(
        "--file", "-f", metavar="PATH",
        help="A stage file of a `stage snapshot` tree (its region's account throttle and usage plans are read "
             "from the snapshot too), a snapshot DIR (every stage in it), or any saved GetStage document "
             "(then the account limit and plans are unknown).",
    )] = None,
    method: Annotated[Optional[str], typer.Option(
        "--method", "-m", metavar="'VERB /PATH'",
        help="Only this method or route, as the table names it: 'GET /pets/{id}' (HTTP API: its route key).",
    )] = None,
    key: Annotated[Optional[str], typer.Option(
        "--key", "-k", metavar="KEY",
        help="An API key id or name: the usage plans it is in, their throttle and quota for this stage (REST).",
    )] = None,
    sort: Annotated[Optional[str], typer.Option(
        "--sort", metavar="FIELD", help="With no API: order stages by " + ", ".join(SORTS) + " (lowest rate first).",
    )] = None,
    family: FamilyOpt = None,
):
    """Which throttle a request meets: usage plan, stage or method, account; the one that binds.

    API Gateway applies, in this order, a usage plan's per-method or per-client limit (requests
    with the plan's API key, on methods that require one), the stage's method entry or */*
    (HTTP/WebSocket: the route entry or default route settings), then the account's limit in
    the region (GetAccount: read, never assumed); a request must pass each, so the lowest rate
    and the lowest burst bind. One row per deployed method (REST, from the stage's export) or
    route (GetRoutes; from a file, each route with an entry), one column per usage plan
    covering the stage (--key: that key's plans only; "no key" on methods that need none), then
    stage, account and the effective limit, the binding cell marked. Findings under the table: a method needing a key on a stage no plan
    covers (every request gets 403), a limit above the account's (capped), a plan without a
    throttle, a plan's method throttle that matches no deployed method. `stage check` judges
    the same as STAGE.20-23.
    json/yaml: {stageName, apiId, family, account, plans, key, methods: [{method, path,
    apiKeyRequired, layers: [{layer, source, rate, burst, quota, plan, applies}], effective:
    {rate, burst, binding, burstBinding, plan, blocked}, byPlan}], findings: [{id, where,
    reason}], note} (README).
    With no API: every stage in scope (--profile, --region repeatable, --all-regions) with its
    effective default rate, burst and binding layer, sorted with --sort; json/yaml {stages,
    errors, calls}; exit 8 when part of the scope was not read.
    """
    if sort is not None and sort.lower() not in SORTS:
        raise UsageError(f"--sort takes {', '.join(SORTS)}, not {sort!r}")
    if api_id is None and file is None:
        if method or key:
            raise UsageError("--method and --key need API STAGE", "e.g. stage limits a1b2c3d4e5 prod --key KEY")
        return _fleet(common, (sort or "rate").lower())
    import os

    if file is not None and os.path.isdir(file):
        from apigw_stage.sources.limits_files import read_tree
        from apigw_stage.views.limits_fleet import from_entries

        if api_id is not None or stage is not None:
            raise UsageError("give either API STAGE or --file, not both")
        return _emit_fleet(common, from_entries(read_tree(file)), (sort or "rate").lower())
    if len(common.regions) > 1 or len(common.profiles) > 1 or common.all_regions:
        raise UsageError("one stage is in one account and region", "leave out API and STAGE for every stage in scope")
    _one(common, api_id, stage, file, method, key, family)


def _one(common, api_id, stage, file, method, key, family):
    from apigw_stage.views import limits as view

    where = steps.check_where(api_id, stage, file)
    clients: dict = {}
    api_routes = None  # v2 from AWS: every route of the API (GetRoutes)
    found, label = steps.load(common, api_id, stage, file, family, clients)
    rest = found.family.has_methods
    if key is not None and not rest:
        raise UsageError("--key is for REST stages: HTTP and WebSocket APIs have no usage plans or API keys")
    deployed, _region = steps.deployed_and_region(common, where, found, clients)
    if where.file is not None:
        from apigw_stage.sources.limits_files import beside

        if key is not None:
            raise UsageError("--key needs API STAGE: a snapshot records the plans, not their keys")
        inputs = beside(where.file, found.doc, found.api_id)
        api = found.api_id or (inputs or {}).get("apiId")
    else:
        from apigw_stage.sources import limits as calls
        from apigw_stage.sources.stage import client_for

        client = client_for(common.target(), clients)  # REST: GetAccount serves every family
        if rest:
            inputs = calls.fetch(client, found.api_id, str(found.doc.get("stageName") or stage), key)
        else:
            from apigw_stage.sources import v2 as v2calls

            inputs = {"account": calls.account(client), "plans": [], "key": None}
            v2client = client_for(common.target(), clients, found.family)
            api_routes = [r["RouteKey"] for r in v2calls.get_routes(v2client, found.api_id)
                          if isinstance(r.get("RouteKey"), str)]
        api = found.api_id
    data = view.report(found.doc, found.family.key, api, found.protocol, deployed, inputs, method, api_routes)

    def table(on_terminal):
        from apigw_stage.render.limits import limits_table

        return limits_table(data, label)

    emit(common, data, table)


def _fleet(common, sort: str):
    from apigw_stage.sources import limits as calls
    from apigw_stage.views.limits_fleet import fleet_data

    scope = common.scope()
    result = steps.scan(common, scope)
    # Regions whose stages were read (a cell the scan could not read at all would only fail again).
    cells = list({(s.account.label, s.region): s for s in result.stages}.values())
    from apigw_stage.sources.fleet.scope import Cell

    per_region, calls_made = calls.fleet(scope, [Cell(s.account, s.region) for s in cells])
    data = fleet_data(result, per_region, result.calls, calls_made)
    _emit_fleet(common, data, sort)
    steps.finish(result)
    unread = [k for k, v in per_region.items() if "error" in v]
    if unread:  # the stages were read, their plans or account limit not: a partial answer too
        raise steps.Incomplete(f"incomplete: the account throttle and usage plans of {len(unread)} region"
                               f"{'s' if len(unread) != 1 else ''} not read", "see errors in json")


def _emit_fleet(common, data: dict, sort: str):
    from apigw_stage.views.limits_fleet import sorted_stages

    data["stages"] = sorted_stages(data["stages"], sort)

    def table(on_terminal):
        from apigw_stage.render.limits import fleet_table

        return fleet_table(data)

    emit(common, data, table)


COMMAND = limits
