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


@app.command(epilog="Examples:  stage settings a1b2c3d4e5 prod  ·  stage settings a1b2c3d4e5 prod --effective -o json")
@with_common
def settings(
    common: Common,
    api_id: ApiId = None,
    stage: StageName = None,
    file: FileOpt = None,
    effective: Annotated[bool, typer.Option(
        "--effective", "-e", help="Every setting that applies to each method, and where it comes from.",
    )] = False,
):
    """Method settings as a tree: stage defaults, then what each method overrides.

    The stage defaults (*/*) first, then each resource path (decoded: /pets/{petId}) and method
    with only what differs from the defaults. --effective shows every setting that applies and
    where it comes from. json/yaml: methodSettings (with --effective, the schema in README).
    """
    doc, label, _ = _load(common, api_id, stage, file)
    from apigw_stage import methods

    data = methods.effective_data(doc) if effective else (doc.get("methodSettings") or {})

    def table(on_terminal):
        from apigw_stage.render.tree import settings_tree

        return settings_tree(doc, label, effective)

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
