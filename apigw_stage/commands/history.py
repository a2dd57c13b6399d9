"""`history`: an API's deployments newest first, what each REST deployment changed, which stages
and canaries serve each, and the command that points the stage back at the previous one."""

import re
from typing import Annotated, Optional

import typer

from apigw_stage.commands.options import ApiId, Common, FamilyOpt, StageName, family_of, with_common
from apigw_stage.completion.live import complete_deployment
from apigw_stage.core import families, names
from apigw_stage.core.errors import DIFFERENT, NotFound, StageNotFound, UsageError
from apigw_stage.output.emit import emit

NAME = "history"
EPILOG = ("Examples:  stage history a1b2c3d4e5 prod  ·  stage history petstore prod --limit 3 -o json  ·  "
          "stage history a1b2c3d4e5 prod --diff abc123 def456  ·  "
          "stage history a1b2c3d4e5 prod -o json --query rollback.command")

DEFAULT_LIMIT = 10
# Deployment ids are short letters and digits (ztt4m2); anything with spaces or controls is a typo.
_DEPLOYMENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@with_common
def history(
    common: Common,
    api_id: ApiId = None,
    stage: StageName = None,
    limit: Annotated[int, typer.Option(
        "--limit", "-n", metavar="N", min=1, max=500,
        help=f"Show the N newest deployments (default {DEFAULT_LIMIT}; REST: one GetDeployment each, plus one).",
    )] = DEFAULT_LIMIT,
    diff: Annotated[Optional[tuple[str, str]], typer.Option(
        "--diff", metavar="A B", autocompletion=complete_deployment, show_default=False,
        help="What REST deployment B changed against A (methods added, removed, authorization and API key); "
             "exit 1 when they differ.",
    )] = None,
    family: FamilyOpt = None,
):
    """An API's deployments newest first, and the way back to the previous one.

    Each deployment with its id, date, description, the stages and canaries that point at it,
    marking what STAGE and its canary serve. REST APIs: what each deployment changed against
    the one before it (methods added and removed, authorizationType and apiKeyRequired changes),
    from GetDeployment with embed=apisummary. HTTP and WebSocket APIs: deployment status and
    whether it was deployed automatically (apigatewayv2 keeps no API summary). Calls:
    GetStages, GetDeployments (all pages), and for REST one GetDeployment per deployment shown
    plus the one before the oldest. The way back: the AWS CLI command that points STAGE at
    the deployment created before the one it serves.
    json/yaml: {apiId, stageName, family, region, stageDeployment, canaryDeployment, total,
    shown, deployments: [{id, createdDate, description, stages, canaries, servesStage,
    servesCanary, previous, changes: {added, removed, changed: [{method, field, before,
    after}]}}], rollback: {to, command, note}}; v2 rows carry deploymentStatus,
    deploymentStatusMessage and autoDeployed instead of previous and changes. With --diff A B:
    {from, to, same, added, removed, changed}, exit 1 when they differ (as diff does).
    """
    from apigw_stage.commands import steps
    from apigw_stage.sources import deployments as source
    from apigw_stage.sources.stage import client_for, fetch_all
    from apigw_stage.views import history as view

    steps.check_where(api_id, stage, None)
    for word in diff or ():
        if not _DEPLOYMENT_ID.fullmatch(word):
            raise UsageError(f"--diff {word!r} is not a deployment id", "e.g. ztt4m2; TAB lists them")
    target = common.target()
    docs, resolved, found = fetch_all(api_id, target, family_of(family))
    mine = next((d for d in docs if d.get("stageName") == stage), None)
    if mine is None:
        listed = ", ".join(names.closest(stage, [d.get("stageName") for d in docs if isinstance(d.get("stageName"), str)]))
        raise StageNotFound(f"no stage {stage!r} in API {resolved}", f"stages: {listed}" if listed else "the API has no stages")
    client = client_for(target, None, found)
    if found is families.V2:
        if diff:
            raise UsageError("--diff compares REST deployments' API summaries; apigatewayv2 keeps none")
        deployments = source.v2_deployments(client, resolved)
    else:
        deployments = source.rest_deployments(client, resolved)
    _remember(common, resolved, deployments)
    if diff:
        return _diff(common, client, resolved, diff, deployments)
    newest = view.ordered(deployments)
    summaries = {}
    if found is families.REST:
        for d in newest[:limit + 1]:
            summaries[d["id"]] = source.api_summary(client, resolved, d["id"])
    data = view.history(found.key, resolved, mine, docs, deployments, summaries, limit, client.region)

    def table(on_terminal):
        from apigw_stage.render.history import history_report

        return history_report(data, on_terminal)

    emit(common, data, table)


def _diff(common: Common, client, api_id: str, pair: tuple, deployments: list):
    from apigw_stage.sources import deployments as source
    from apigw_stage.views import history as view

    known = {d.get("id") for d in deployments}
    for word in pair:
        if word not in known:
            raise NotFound(f"no deployment {word!r} in API {api_id}", "`stage history API STAGE` lists them")
    a, b = pair
    data = view.diff(a, b, source.api_summary(client, api_id, a), source.api_summary(client, api_id, b))

    def table(on_terminal):
        from apigw_stage.render.history import diff_report

        return diff_report(data)

    emit(common, data, table)
    if not data["same"]:
        raise typer.Exit(DIFFERENT)


def _remember(common: Common, api_id: str, deployments: list) -> None:
    """The API's deployment ids for TAB (core/cache.py), as completion/live.deployments reads them."""
    from apigw_stage.core import cache
    from apigw_stage.sources.deployments import completion_items

    ctx = cache.context(common.profile, common.region, common.endpoint_url)
    cache.write([*ctx, "deployments", api_id], completion_items(deployments))


COMMAND = history
