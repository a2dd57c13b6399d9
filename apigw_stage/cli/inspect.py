"""`show`, `settings`, `canary`, `vars`: one stage, one view each. Each works on REST and on HTTP
and WebSocket (v2) stages; the family picks the view and renderer (render/tables.py and
render/tree.py for REST, render/v2.py for v2)."""

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
    doc = found.doc

    def table(on_terminal):
        if found.family.key == "v2":
            from apigw_stage.render.v2 import show as render_v2

            return render_v2(doc, label, found.protocol, on_terminal)
        from apigw_stage.render.tables import show as render

        return render(doc, label, on_terminal)

    emit(common, doc, table)


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
    from apigw_stage import methods
    from apigw_stage.output import where_label

    where = check_where(api_id, stage, file)
    clients: dict = {}
    stage_found = fetch_stage(where, common.target(), clients, family_of(family))
    doc, resolved = stage_found.doc, stage_found.api_id
    label = where_label(where, resolved)
    if stage_found.family.key == "v2":
        _route_settings(common, stage_found, label, effective or all_methods, all_methods)
        return
    found = deployed_and_region(common, where, doc, resolved, clients)[0] if all_methods else None
    effective = effective or all_methods
    data = methods.effective_data(doc, found) if effective else (doc.get("methodSettings") or {})

    def table(on_terminal):
        from apigw_stage.render.tree import settings_tree

        return settings_tree(doc, label, effective, found)

    emit(common, data, table)


def _route_settings(common: Common, found, label: str, effective: bool, all_methods: bool) -> None:
    """`settings` of an HTTP or WebSocket stage (v2/routes.py)."""
    import sys

    from apigw_stage.v2 import routes

    if all_methods:
        sys.stderr.write("stage: note: --all-methods is for REST stages; the route settings are shown\n")
    doc = found.doc
    data = routes.effective_data(doc, found.protocol) if effective else (doc.get("routeSettings") or {})

    def table(on_terminal):
        from apigw_stage.render.v2 import settings_tree

        return settings_tree(doc, label, found.protocol, effective)

    emit(common, data, table)


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
    doc = found.doc

    def table(on_terminal):
        if not found.family.has_canary:
            from apigw_stage.render.v2 import no_canary

            return no_canary(doc)
        from apigw_stage.render.tables import canary as render

        return render(doc, label)

    emit(common, doc.get("canarySettings"), table)


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
    doc = found.doc
    if found.family.key == "v2":
        def v2_table(on_terminal):
            from apigw_stage.render.v2 import variables as render_v2

            return render_v2(doc, label)

        emit(common, doc.get("stageVariables") or {}, v2_table)
        return
    variables = doc.get("variables") or {}
    data = variables
    if with_canary:
        overrides = (doc.get("canarySettings") or {}).get("stageVariableOverrides") or {}
        data = {"variables": variables, "stageVariableOverrides": overrides}

    def table(on_terminal):
        from apigw_stage.render.tables import variables as render

        return render(doc, label, with_canary)

    emit(common, data, table)
