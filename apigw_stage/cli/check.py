"""`check`: a stage against AWS's controls for API Gateway stages and our own."""

from typing import Annotated, Optional

import typer

from apigw_stage.cli.app import ApiId, FamilyOpt, FileOpt, StageName, app, family_of
from apigw_stage.errors import DIFFERENT, UsageError
from apigw_stage.options import CHECK_FORMATS, Common, with_common
from apigw_stage.output import emit


def deployed_and_region(common: Common, where, found, clients: dict):
    """The deployed methods of stage `found` (source.Stage; one GetExport call, deployed.py says
    why; None for a family whose stages have none) and the region its API lives in; from a file
    both are unknown."""
    from apigw_stage import deployed

    has_methods = found.family.has_methods
    if where.file is not None:
        unknown = deployed.unknown("read from a file; they come from the stage's export, so give API STAGE")
        return (unknown if has_methods else None), common.region
    from apigw_stage import exports
    from apigw_stage.source import client_for

    client = client_for(common.target(), clients, found.family)
    return (exports.methods_of(client, found.api_id, found.doc) if has_methods else None), client.region


@app.command(epilog="Examples:  stage check a1b2c3d4e5 prod  ·  stage check a1b2c3d4e5 prod --param loggingLevel=ERROR "
                    "--ignore APIGateway.4 -o json  ·  stage check --all-regions -o sarif > stage.sarif")
@with_common(formats=CHECK_FORMATS, scope=True)
def check(
    common: Common,
    api_id: ApiId = None,
    stage: StageName = None,
    file: FileOpt = None,
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", "-i", metavar="ID", help="Skip a check by its id, e.g. APIGateway.4 (repeatable).",
    )] = None,
    param: Annotated[Optional[list[str]], typer.Option(
        "--param", "-p", metavar="NAME=VALUES",
        help="An AWS Config rule parameter, comma-separated values (repeatable): loggingLevel=ERROR "
             "(APIGateway.1), CertificateIDs=ID,... (APIGateway.2), WebAclArns=ARN,... (APIGateway.4).",
    )] = None,
    family: FamilyOpt = None,
    methods: Annotated[bool, typer.Option(
        "--methods", help="With no API: also read each stage's deployed methods (one GetExport per deployment), "
                          "so that the checks needing them are evaluated.",
    )] = False,
    details: Annotated[bool, typer.Option(
        "--details", help="With no API: each failing stage's findings and fixes under the summary table.",
    )] = False,
):
    """Check the stage against AWS's API Gateway controls and our own. Exit 1 on a failure.

    APIGateway.1 execution logging of the stage defaults and every method entry (so of every
    deployed method), .2 client certificate (not
    applicable without an HTTP backend), .3 X-Ray, .4 WAF web ACL, .5 cache encryption (Security
    Hub); Config.AccessLogs access logging (AWS Config's apigateway-stage-access-logs-enabled;
    --ignore also takes its former id APIGateway.9); STAGE.1 no data trace, .2 cache invalidation
    needs authorisation, .3 no canary left at 0% or 100%, .4 throttling set somewhere, .5 no
    secrets in stage variables, .6 methods open to anyone (informational).
    HTTP and WebSocket stages: APIGateway.1 execution logging of WebSocket stages (default
    route and each route that sets a level), APIGateway.9 access logging (Security Hub's
    control for v2 stages), STAGE.1 data trace (WebSocket), .4 throttling, .5 secrets in
    stageVariables; the checks of settings v2 stages lack (client certificate, X-Ray, WAF,
    cache, canary, methods) are not applicable, each saying why.
    The deployed methods come from the stage's export (one more call; with --file they are
    unknown, and the checks that need them are not evaluated, which fails unless the check is
    informational). A failure says where and
    why, and the AWS CLI commands that fix it.
    json/yaml: {stageName, passed, deployedMethods, parameters, checks: [{id, severity, status,
    note, findings, fix, fixCommands, patchOperations}]} (README). -o sarif (SARIF 2.1.0, for
    GitHub code scanning) and -o junit (a testcase per check) for pipelines.
    With no API and no --file: every stage in scope, REST, HTTP and WebSocket (--profile,
    --region repeatable, --all-regions), each against its family's checks, a summary of stages
    by failing checks; exit 8 when part of the scope could not be read.
    """
    from apigw_stage import checks, families
    from apigw_stage.output import where_label
    from apigw_stage.source import check_where, fetch_stage

    # Every family's ids are valid words before any call; each family maps them after the fetch.
    # REST's ids first (FAMILIES' order), so the usage message lists them in the README's order.
    known: dict = {}
    for each in families.FAMILIES.values():
        known.update({k: v for k, v in checks.ids(each.checks).items() if k not in known})
    for item in ignore or []:
        if item.lower() not in known:
            raise UsageError(f"no check {item!r}", "checks: " + ", ".join(dict.fromkeys(known.values())))
    params = checks.parse_params(param or [])
    if api_id is None and file is None:
        return _fleet(common, set(ignore or []), params, methods, details)
    if len(common.regions) > 1 or len(common.profiles) > 1 or common.all_regions:
        raise UsageError("one stage is in one account and region", "leave out API and STAGE to check every stage in scope")
    where = check_where(api_id, stage, file)
    clients: dict = {}
    stage_found = fetch_stage(where, common.target(), clients, family_of(family))
    doc, resolved = stage_found.doc, stage_found.api_id
    registry = stage_found.family.checks
    own = checks.ids(registry)
    skipped = {own[item.lower()] for item in ignore or [] if item.lower() in own}
    label = where_label(where, resolved)
    found, region = deployed_and_region(common, where, stage_found, clients)
    context = checks.Context(doc, found, params, resolved or "API_ID", region, stage_found.protocol)
    result = checks.run(context, skipped, registry)

    def table(on_terminal):
        from apigw_stage.render.findings import report

        return report(result, label)

    from apigw_stage.fleet.check import stage_documents
    from apigw_stage.formats.sarif import Target

    target = Target(str(doc.get("stageName") or "STAGE"), resolved, region,
                    file=None if where.file is None else where.file, family=stage_found.family)
    emit(common, result, table, stage_documents(target, result))
    if not result["passed"]:
        raise typer.Exit(DIFFERENT)


def _fleet(common: Common, ignore: set, params: dict, methods: bool, details: bool):
    from apigw_stage.fleet.check import check_fleet

    result = check_fleet(common, ignore, params, methods=methods, details=details)
    emit(common, result.data, result.table, result.documents)
    code = result.finish()
    if code:
        raise typer.Exit(code)

