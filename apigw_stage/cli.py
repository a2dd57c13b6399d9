"""The Typer app: arguments, options and the choice of command. Each command is the same three
steps: get the document (source), derive the view, render it (output). No boto3 or Rich tables here."""

from typing import Annotated, Optional

import typer

from apigw_stage import __version__
from apigw_stage.completion import complete_api_id, complete_side, complete_stage
from apigw_stage.errors import DIFFERENT, UsageError
from apigw_stage.options import Common, with_common
from apigw_stage.output import emit, where_label
from apigw_stage.source import Where, check_api, check_where, fetch, fetch_all

app = typer.Typer(
    name="stage",
    help=(
        "Inspect Amazon API Gateway REST API stages.\n\n"
        "Give a REST API (id or name) and a stage name, or --file with a saved GetStage document. "
        "Every command prints a table for people, or -o json / -o yaml for scripts."
    ),
    epilog="Exit status: 0 ok, 1 differences or failed checks, 2 bad input, 3 not found, 4 credentials, 5 service, 6 network, 74 output not written. See man stage.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)

ApiId = Annotated[Optional[str], typer.Argument(
    metavar="API", show_default=False, autocompletion=complete_api_id,
    help="REST API id (e.g. a1b2c3d4e5) or its name, if unique. TAB lists the account's APIs.",
)]
StageName = Annotated[Optional[str], typer.Argument(
    metavar="STAGE", show_default=False, autocompletion=complete_stage,
    help="Stage name. TAB lists the API's stages.",
)]
FileOpt = Annotated[Optional[str], typer.Option(
    "--file", "-f", metavar="PATH",
    help="Read a saved GetStage document (JSON or YAML; - for stdin) instead of calling AWS.",
)]


def _load(common: Common, api_id, stage, file) -> tuple[dict, str, str | None]:
    """Step one of every command: the Stage document, how to name where it came from, and the
    API's id (None for a file)."""
    where = check_where(api_id, stage, file)
    doc, resolved = fetch(where, common.target())
    return doc, where_label(where, resolved), resolved


def _version(value: bool):
    if value:
        typer.echo(f"stage {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
):
    """Inspect Amazon API Gateway REST API stages."""


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


@app.command(name="list", epilog="Examples:  stage list a1b2c3d4e5  ·  stage list petstore -o json --query '[].stageName'")
@with_common
def list_(common: Common, api_id: ApiId = None):
    """Every stage of an API in one table.

    Name, deployment, last update, canary share, cache cluster, X-Ray, WAF, logging level of the
    stage defaults and how many method entries override them. One GetStages call.
    json/yaml: the list of stage documents, sorted by name.
    """
    if api_id is None:
        raise UsageError("missing API (an id or a name)", "see --help")
    check_api(api_id)
    docs, resolved = fetch_all(api_id, common.target())
    label = where_label(Where(api_id=api_id), resolved)

    def table(on_terminal):
        from apigw_stage.render.listing import stage_list

        return stage_list(docs, label, on_terminal)

    emit(common, docs, table)


@app.command(epilog=(
    "Examples:  stage diff a1b2c3d4e5 prod staging  ·  stage diff a1b2c3d4e5:prod prod-snapshot.json "
    "--ignore lastUpdatedDate  ·  stage diff petstore:prod petstore:prod --right-region us-east-1"
))
@with_common
def diff(
    common: Common,
    sides: Annotated[Optional[list[str]], typer.Argument(
        metavar="[API] LEFT RIGHT", show_default=False, autocompletion=complete_side,
        help="Two stages of one API (API STAGE STAGE), or two sides each API:STAGE or a saved document (- for stdin).",
    )] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", "-i", metavar="FIELD",
        help="Leave out a field (repeatable): a name at any depth (deploymentId) or a dotted path (methodSettings.*.metricsEnabled).",
    )] = None,
    left_profile: Annotated[Optional[str], typer.Option("--left-profile", metavar="NAME", help="AWS profile of the left side (default: --profile).")] = None,
    left_region: Annotated[Optional[str], typer.Option("--left-region", metavar="REGION", help="AWS region of the left side (default: --region).")] = None,
    right_profile: Annotated[Optional[str], typer.Option("--right-profile", metavar="NAME", help="AWS profile of the right side (default: --profile).")] = None,
    right_region: Annotated[Optional[str], typer.Option("--right-region", metavar="REGION", help="AWS region of the right side (default: --region).")] = None,
):
    """What differs between two stages. Exit 0 when identical, 1 when they differ.

    Changes are grouped (settings, method settings by decoded path and setting, variables, canary,
    tags, logging, cache, everything else) and shown old → new. Compare two stages of one API,
    or any two sides: API:STAGE (each with its own --left-/--right- profile and region, say prod
    in two regions) or a saved GetStage document (say a snapshot committed in git).
    json/yaml: a list of changes {group, path, change, left, right} (OUTPUT FORMATS in man stage).
    """
    from apigw_stage import diff as differ
    from apigw_stage.source import sides as parse_sides

    left, right = parse_sides(sides or [])
    base = common.target()
    targets = (
        base._replace(profile=left_profile or base.profile, region=left_region or base.region),
        base._replace(profile=right_profile or base.profile, region=right_region or base.region),
    )
    clients: dict = {}
    docs, labels = [], []
    for where, target in zip((left, right), targets):
        doc, resolved = fetch(where, target, clients)
        docs.append(doc)
        labels.append(_side_label(where, resolved, target, targets))
    changes = differ.compare(docs[0], docs[1], ignore or [])

    def table(on_terminal):
        from apigw_stage.render.difference import difference

        return difference(changes, labels[0], labels[1], on_terminal)

    emit(common, differ.as_data(changes), table)
    if changes:
        raise typer.Exit(DIFFERENT)


def _side_label(where, resolved, target, targets) -> str:
    """API:STAGE (plus the region, or the profile, when the two sides differ in it) or the file."""
    if where.file is not None:
        return "standard input" if where.file == "-" else where.file
    label = f"{where.api_id}:{where.stage}"
    if targets[0].region != targets[1].region and target.region:
        label += f" ({target.region})"
    elif targets[0].profile != targets[1].profile:
        label += f" (profile {target.profile_name()})"
    return label


@app.command(epilog="Examples:  stage check a1b2c3d4e5 prod  ·  stage check a1b2c3d4e5 prod --ignore APIGateway.4 -o json")
@with_common
def check(
    common: Common,
    api_id: ApiId = None,
    stage: StageName = None,
    file: FileOpt = None,
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", "-i", metavar="ID", help="Skip a check by its id, e.g. APIGateway.4 (repeatable).",
    )] = None,
):
    """Check the stage against Security Hub's API Gateway controls and our own. Exit 1 on a failure.

    APIGateway.1 execution logging for every method, .2 client certificate, .3 X-Ray, .4 WAF web
    ACL, .5 cache encryption, .9 access logging; STAGE.1 no data trace, STAGE.2 cache invalidation
    needs authorisation, STAGE.3 no canary left at 0% or 100%, STAGE.4 throttling set somewhere.
    A failure says which methods and why, and the update-stage command that fixes it.
    json/yaml: {stageName, passed, checks: [{id, status, findings, fix, patchOperations}]}.
    """
    from apigw_stage import checks

    skipped = set()
    for item in ignore or []:
        if item.lower() not in checks.IDS:
            raise UsageError(f"no check {item!r}", "checks: " + ", ".join(c.id for c in checks.CHECKS))
        skipped.add(checks.IDS[item.lower()])
    doc, label, resolved = _load(common, api_id, stage, file)
    result = checks.run(doc, resolved, skipped)

    def table(on_terminal):
        from apigw_stage.render.findings import report

        return report(result, label)

    emit(common, result, table)
    if not result["passed"]:
        raise typer.Exit(DIFFERENT)
