"""`check`: a stage against Security Hub's controls and our own."""

from typing import Annotated, Optional

import typer

from apigw_stage.cli.app import ApiId, FileOpt, StageName, _load, app
from apigw_stage.options import Common, with_common
from apigw_stage.output import emit
from apigw_stage.errors import DIFFERENT, UsageError


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
