"""`show`, `settings`, `canary`, `vars`: one stage, one view each."""

from typing import Annotated

import typer

from apigw_stage.cli.app import ApiId, FileOpt, StageName, _load, app
from apigw_stage.options import Common, with_common
from apigw_stage.output import emit


@app.command(epilog="Examples:  stage show a1b2c3d4e5 prod  ·  stage show --file examples/prod-stage.json -o yaml")
@with_common
def show(common: Common, api_id: ApiId = None, stage: StageName = None, file: FileOpt = None):
    """How a stage is configured, on one screen.

    Deployment, dates, cache cluster, X-Ray, WAF, client certificate, access logs, tags, and a
    summary of method settings, canary and variables. json/yaml: the GetStage document.
    """
    doc, label, _ = _load(common, api_id, stage, file)

    def table(on_terminal):
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
             "not only those with an entry (one more call, GetExport; implies --effective).",
    )] = False,
):
    """Method settings as a tree: stage defaults, then what each method overrides.

    The stage defaults (*/*) first, then each resource path (decoded: /pets/{petId}) and method
    with what differs from the defaults. A method with an entry takes every setting from it (a
    field the entry lacks is the service default, e.g. logging OFF); a method without one
    follows */*. --effective shows every setting that applies and where it comes from (method
    entry, stage defaults, service default); --all-methods adds the deployed methods that have
    no entry (from the stage's export; unknown with --file). json/yaml: methodSettings (with
    --effective, the schema in README).
    """
    from apigw_stage.cli.check import deployed_and_region
    from apigw_stage.source import check_where, fetch
    from apigw_stage import methods
    from apigw_stage.output import where_label

    where = check_where(api_id, stage, file)
    clients: dict = {}
    doc, resolved = fetch(where, common.target(), clients)
    label = where_label(where, resolved)
    found = deployed_and_region(common, where, doc, resolved, clients)[0] if all_methods else None
    effective = effective or all_methods
    data = methods.effective_data(doc, found) if effective else (doc.get("methodSettings") or {})

    def table(on_terminal):
        from apigw_stage.render.tree import settings_tree

        return settings_tree(doc, label, effective, found)

    emit(common, data, table)


@app.command(epilog="Example:  stage canary a1b2c3d4e5 prod -o json")
@with_common
def canary(common: Common, api_id: ApiId = None, stage: StageName = None, file: FileOpt = None):
    """The canary release and how its variables differ.

    Share of traffic, canary vs stage deployment, stage cache, and each variable the canary
    overrides or adds. json/yaml: canarySettings (null when the stage has no canary).
    """
    doc, label, _ = _load(common, api_id, stage, file)

    def table(on_terminal):
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
):
    """The stage variables (--canary adds the canary's values).

    json/yaml: variables (an empty object when there are none).
    """
    doc, label, _ = _load(common, api_id, stage, file)
    variables = doc.get("variables") or {}
    data = variables
    if with_canary:
        overrides = (doc.get("canarySettings") or {}).get("stageVariableOverrides") or {}
        data = {"variables": variables, "stageVariableOverrides": overrides}

    def table(on_terminal):
        from apigw_stage.render.tables import variables as render

        return render(doc, label, with_canary)

    emit(common, data, table)
