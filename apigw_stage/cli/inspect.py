"""`show`, `settings`, `canary`, `vars`: one stage, one view each. Each works on REST and on HTTP
and WebSocket (v2) stages: the stage's family gives the view and renderer (its `present`,
present/rest.py and present/v2.py)."""

from typing import Annotated

import typer

from apigw_stage.cli.app import ApiId, FamilyOpt, FileOpt, StageName, _load, app, family_of
from apigw_stage.options import Common, with_common
from apigw_stage.output import emit


@app.command(epilog="Examples:  stage show a1b2c3d4e5 prod  ·  stage show --file examples/prod-stage.json -o yaml")
@with_common
def show(common: Common, api_id: ApiId = None, stage: StageName = None, file: FileOpt = None,
         family: FamilyOpt = None):
    """How a stage is configured, on one screen.

    Deployment, dates, cache cluster, X-Ray, WAF, client certificate, access logs, tags, and a
    summary of method settings, canary and variables. HTTP and WebSocket stages: API type,
    automatic deployment, access logs, route settings, variables. json/yaml: the GetStage
    document (v2: apigatewayv2's, camelCase).
    """
    found, label = _load(common, api_id, stage, file, family)
    emit(common, *found.family.present.show(found, label))


@app.command(epilog="Examples:  stage settings a1b2c3d4e5 prod  ·  stage settings a1b2c3d4e5 prod --effective --all-methods -o json")
@with_common
def settings(
    common: Common,
    api_id: ApiId = None,
    stage: StageName = None,
    file: FileOpt = None,
    effective: Annotated[bool, typer.Option(
        "--effective", "-e", help="Every setting that applies to each method, and where it comes from.",
    )] = False,
    all_methods: Annotated[bool, typer.Option(
        "--all-methods", "-a",
        help="With --effective: every method deployed on the stage, with its authorization and integration, "
             "not only those with an entry (one more call, GetExport; implies --effective). REST only.",
    )] = False,
    family: FamilyOpt = None,
):
    """Method settings as a tree: stage defaults, then what each method overrides.

    The stage defaults (*/*) first, then each resource path (decoded: /pets/{petId}) and method
    with what differs from the defaults. A method with an entry takes every setting from it (a
    field the entry lacks is the service default, e.g. logging OFF); a method without one
    follows */*. --effective shows every setting that applies and where it comes from (method
    entry, stage defaults, service default); --all-methods adds the deployed methods that have
    no entry (from the stage's export; unknown with --file). json/yaml: methodSettings (with
    --effective, the schema in README). HTTP and WebSocket stages: the default route settings,
    then each route key with what its entry changes (a field the entry lacks follows the
    default route settings); json/yaml: routeSettings.
    """
    from apigw_stage.cli.check import deployed_and_region
    from apigw_stage.source import check_where, fetch_stage
    from apigw_stage.output import where_label

    where = check_where(api_id, stage, file)
    clients: dict = {}
    found = fetch_stage(where, common.target(), clients, family_of(family))
    label = where_label(where, found.api_id)
    deployed = None
    if all_methods and found.family.has_methods:
        deployed = deployed_and_region(common, where, found, clients)[0]
    elif all_methods:
        import sys

        sys.stderr.write("stage: note: --all-methods is for REST stages; the route settings are shown\n")
    emit(common, *found.family.present.settings(found, label, effective or all_methods, deployed))


@app.command(epilog="Example:  stage canary a1b2c3d4e5 prod -o json")
@with_common
def canary(common: Common, api_id: ApiId = None, stage: StageName = None, file: FileOpt = None,
           family: FamilyOpt = None):
    """The canary release and how its variables differ.

    Share of traffic, canary vs stage deployment, stage cache, and each variable the canary
    overrides or adds. json/yaml: canarySettings (null when the stage has no canary, and for
    HTTP and WebSocket stages, which have no canary releases).
    """
    found, label = _load(common, api_id, stage, file, family)
    emit(common, *found.family.present.canary(found, label))


@app.command(name="vars", epilog="Example:  stage vars a1b2c3d4e5 prod --canary")
@with_common
def vars_(
    common: Common,
    api_id: ApiId = None,
    stage: StageName = None,
    file: FileOpt = None,
    with_canary: Annotated[bool, typer.Option(
        "--canary", "-c", help="Add the canary's value of each variable (json: variables and stageVariableOverrides).",
    )] = False,
    family: FamilyOpt = None,
):
    """The stage variables (--canary adds the canary's values).

    json/yaml: variables (an empty object when there are none); HTTP and WebSocket stages:
    stageVariables (--canary adds nothing: they have no canary).
    """
    found, label = _load(common, api_id, stage, file, family)
    emit(common, *found.family.present.variables(found, label, with_canary))
